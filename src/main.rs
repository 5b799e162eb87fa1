//! The `linkarr` command: the headless server and its tools.

use std::net::IpAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use linkarr::config::{Overrides, SettingKey};
use linkarr::{Application, telemetry};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "linkarr", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the webhook listener without a window (for a NAS or server).
    ///
    /// Every setting can also come from a LINKARR_<NAME> environment variable
    /// (LINKARR_PORT, LINKARR_BIND, LINKARR_DATA_DIR, LINKARR_WEBHOOK_SECRET, ...).
    Serve(ServeArgs),
    /// Tools for release (torrent) names.
    Release {
        #[command(subcommand)]
        command: ReleaseCommand,
    },
    /// Print the management API's description (OpenAPI 3.1, JSON), as served at
    /// /api/openapi.json.
    Openapi,
}

#[derive(Subcommand)]
enum ReleaseCommand {
    /// Read release names from stdin, one a line; write what each says as one JSON object a
    /// line (PTT's field names: title, year, resolution, quality, codec, seasons, episodes …).
    Parse,
}

#[derive(Args)]
struct ServeArgs {
    /// Port to listen on [default: 8000]
    #[arg(long)]
    port: Option<u16>,
    /// Address to listen on [default: 0.0.0.0, every interface]
    #[arg(long)]
    bind: Option<IpAddr>,
    /// Folder for the database and logs [default: the OS's app-data folder]
    #[arg(long)]
    data_dir: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Serve(args) => serve(args).await,
        Command::Release {
            command: ReleaseCommand::Parse,
        } => parse_releases(),
        Command::Openapi => {
            let json = linkarr::http::openapi::pretty_json();
            std::io::Write::write_all(&mut std::io::stdout(), json.as_bytes())
                .context("could not write stdout")
        }
    }
}

/// One output line for every input line, empty ones included, so the two stay aligned.
fn parse_releases() -> anyhow::Result<()> {
    use std::io::{BufRead, Write};
    let stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    // A parser of its own: no trip to the shared thread per line, and the process ends anyway.
    let parser = linkarr::domain::release::Parser::new();
    for line in stdin.split(b'\n') {
        let line = line.context("could not read stdin")?;
        let name = String::from_utf8_lossy(&line);
        let release = parser.parse(name.trim_end_matches('\r'));
        let written = serde_json::to_writer(&mut out, &release)
            .map_err(std::io::Error::from)
            .and_then(|()| out.write_all(b"\n"));
        match written {
            // The reader went away (`| head`): not an error.
            Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
            other => other.context("could not write stdout")?,
        }
    }
    match out.flush() {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("could not write stdout"),
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let mut overrides = Overrides::from_env();
    if let Some(port) = args.port {
        overrides.values.insert(SettingKey::Port, port.to_string());
    }
    if let Some(bind) = args.bind {
        overrides.values.insert(SettingKey::Bind, bind.to_string());
    }
    if args.data_dir.is_some() {
        overrides.data_dir = args.data_dir;
    }
    let data_dir = overrides.resolve_data_dir()?;
    std::fs::create_dir_all(&data_dir)
        .with_context(|| format!("could not create the data folder {}", data_dir.display()))?;
    let _log_guard = telemetry::init(&data_dir.join(linkarr::state::LOG_FOLDER))?;

    let app = Application::build(overrides).await?;
    if app.api_token_was_generated() {
        // Printed once, to the terminal only (never into the log files).
        eprintln!(
            "Generated the management API token (also shown in Settings): {}",
            app.api_token()
        );
    }
    let shutdown = app.shutdown_token();
    tokio::spawn(async move {
        linkarr::app::stop_signal().await;
        tracing::info!("Stopping: finishing requests in flight");
        shutdown.cancel();
    });
    app.run_until_stopped().await
}
