//! What Linkarr costs a machine: start-up time, memory and idle CPU of the headless server
//! (`linkarr serve`) and of the desktop app (window open, and resident in the tray), each
//! printed next to its baseline from the same run (an empty Tauri window,
//! `examples/empty_window.rs`) and judged against its target.
//!
//! Run: `cargo bench -p linkarr-desktop --bench footprint`, after
//! `cargo build --release -p linkarr -p linkarr-desktop --bins --examples` (`--bins` matters:
//! `--examples` alone builds only the examples). The benchmark builds nothing itself and says
//! so when a binary is missing or older than the sources; cargo does rebuild
//! `target/release/linkarr-desktop` before any bench of its package, so that one is always
//! current. It starts its own `xvfb-run -a` and `dbus-run-session`, gives every process a
//! HOME, XDG_RUNTIME_DIR and LINKARR_DATA_DIR of its own in a temporary folder and a free
//! loopback port, and takes about six minutes. Not part of CI. Knobs: FOOTPRINT_IDLE_SECS=n
//! shortens the four idle-CPU windows from 60 s; FOOTPRINT_KEEP=1 keeps the folder with every
//! process's log; FOOTPRINT_ONLY=headless stops after the headless server, and
//! FOOTPRINT_HEADLESS_BIN=path measures another build of it (to try a change);
//! FOOTPRINT_SMAPS=1 adds each process's largest mappings to every memory figure.
//!
//! Memory is PSS summed over the process tree (the app and every descendant: the window's
//! process and WebKit's included; shared libraries counted once between them), with the plain RSS sum
//! beside it. The headless server's target is judged on its RSS, the stricter figure.
//! The "real work" for the headless server is webhooks for movies whose metadata and streams
//! come from a stub TMDb and a stub Stremio addon run by this benchmark on loopback: each
//! search hands the release-name parser a few hundred real names (the PTT test corpus).

// A plain program with no async runtime: its sleeps (polling a process, waiting out an idle
// window) block nothing but itself.
#![allow(clippy::disallowed_methods)]

mod baseline;
mod desktop;
mod display;
mod headless;
mod measure;
mod procfs;
mod report;
mod stub;
mod subject;
mod tray;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, bail};

use crate::display::Display;
use crate::report::Report;
use crate::stub::Stub;

const INNER: &str = "FOOTPRINT_INNER";
const BUILD: &str = "cargo build --release -p linkarr -p linkarr-desktop --bins --examples";
const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

// Targets.
const HEADLESS_RSS_MIB: f64 = 30.0;
const HEADLESS_START_S: f64 = 0.5;
const DESKTOP_OVER_EMPTY_MIB: f64 = 60.0;
const TRAY_MIB: f64 = 60.0;
const REOPEN_S: f64 = 1.0;

/// Webhooks posted to the headless server for its "after work" figure, and the release names
/// each search hands the parser.
const WEBHOOKS: usize = 30;
const NAMES_PER_SEARCH: usize = 300;
const REOPENS: usize = 3;
/// When the "after work" figure is taken: the release parser gives its memory back once it
/// has had no names for 30 s (src/domain/release/worker.rs).
const AFTER_WORK: Duration = Duration::from_secs(40);
/// How long a process is left to settle before its memory is read.
const SETTLE: Duration = Duration::from_secs(5);

fn main() -> anyhow::Result<()> {
    match std::env::var_os(INNER) {
        Some(_) => inner(),
        None => outer(),
    }
}

struct Binaries {
    headless: PathBuf,
    desktop: PathBuf,
    window: PathBuf,
    empty: PathBuf,
}

impl Binaries {
    /// The release binaries beside this benchmark (target/release/deps/footprint-…).
    fn find() -> anyhow::Result<Binaries> {
        let exe = std::env::current_exe().context("where is this benchmark?")?;
        let release = exe
            .parent()
            .and_then(Path::parent)
            .context("the benchmark is not under target/release/deps")?
            .to_path_buf();
        // Another headless build to compare (an experiment's binary).
        let headless = std::env::var_os("FOOTPRINT_HEADLESS_BIN")
            .map_or_else(|| release.join("linkarr"), PathBuf::from);
        Ok(Binaries {
            headless,
            desktop: release.join("linkarr-desktop"),
            window: release.join("linkarr-window"),
            empty: release.join("examples").join("empty_window"),
        })
    }

    fn all(&self) -> [&Path; 4] {
        [&self.headless, &self.desktop, &self.window, &self.empty]
    }
}

/// Checks the binaries and tools, then runs this same program again inside a virtual display
/// and a D-Bus session.
fn outer() -> anyhow::Result<()> {
    let binaries = Binaries::find()?;
    let missing: Vec<String> = binaries
        .all()
        .iter()
        .filter(|path| !path.is_file())
        .map(|path| path.display().to_string())
        .collect();
    if !missing.is_empty() {
        eprintln!(
            "footprint: missing {}\nBuild the release binaries first:\n    {BUILD}",
            missing.join(", ")
        );
        std::process::exit(2);
    }
    let workspace = Path::new(MANIFEST_DIR).join("..");
    let sources = newest_mtime(&[
        workspace.join("src"),
        workspace.join("src-tauri/src"),
        workspace.join("src-tauri/examples"),
        workspace.join("ui/dist"),
        workspace.join("Cargo.lock"),
        workspace.join("src-tauri/tauri.conf.json"),
    ]);
    for binary in binaries.all() {
        let built = std::fs::metadata(binary).and_then(|m| m.modified()).ok();
        if let (Some(built), Some(sources)) = (built, sources)
            && built < sources
        {
            eprintln!(
                "footprint: warning: {} is older than the sources; to measure them, run first:\n    {BUILD}",
                binary.display()
            );
        }
    }
    for tool in ["xvfb-run", "dbus-run-session", "xauth"] {
        if !on_path(tool) {
            eprintln!(
                "footprint: needs {tool} (apt-get install xvfb xauth dbus-x11, or scripts/setup)"
            );
            std::process::exit(2);
        }
    }
    let exe = std::env::current_exe()?;
    let mut child = Command::new("xvfb-run")
        .args([
            "-a",
            "-s",
            "-screen 0 1280x800x24",
            "dbus-run-session",
            "--",
        ])
        .arg(exe)
        .env(INNER, "1")
        .stderr(Stdio::piped())
        .spawn()
        .context("could not start xvfb-run")?;
    // The display and the bus say a few harmless things; keep the rest.
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let noise = [
                "dbus-daemon",
                "Failed to set fd limit",
                "Authorization required",
            ];
            if !noise.iter().any(|n| line.contains(n)) {
                eprintln!("{line}");
            }
        }
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("the measurements failed ({status})");
    }
    Ok(())
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()))
}

fn newest_mtime(paths: &[PathBuf]) -> Option<SystemTime> {
    fn walk(path: &Path, newest: &mut Option<SystemTime>) {
        let Ok(meta) = std::fs::metadata(path) else {
            return;
        };
        if meta.is_dir() {
            for entry in std::fs::read_dir(path).into_iter().flatten().flatten() {
                walk(&entry.path(), newest);
            }
        } else if let Ok(modified) = meta.modified() {
            *newest = Some(newest.map_or(modified, |n| n.max(modified)));
        }
    }
    let mut newest = None;
    for path in paths {
        walk(path, &mut newest);
    }
    newest
}

/// What every scenario runs in: the binaries, the folder with each subject's home and log, the
/// virtual display, and how long each idle-CPU window lasts.
struct Bench {
    binaries: Binaries,
    root: PathBuf,
    display: Display,
    idle: Duration,
}

/// Inside the virtual display and the D-Bus session: measures, then prints the report.
fn inner() -> anyhow::Result<()> {
    let binaries = Binaries::find()?;
    let idle = Duration::from_secs(
        std::env::var("FOOTPRINT_IDLE_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(60),
    );
    let root = std::env::temp_dir().join(format!("linkarr-footprint-{}", std::process::id()));
    std::fs::create_dir_all(&root)?;
    let display = Display::connect()?;
    let stub = Stub::start()?;
    let mut f = Report::default();
    let started = Instant::now();
    eprintln!("footprint: logs in {}", root.display());
    let bench = Bench {
        binaries,
        root,
        display,
        idle,
    };

    let result = measure(&bench, &stub, &mut f);

    f.print(started);
    if std::env::var_os("FOOTPRINT_KEEP").is_some() || result.is_err() {
        println!("logs kept in {}", bench.root.display());
    } else {
        let _ = std::fs::remove_dir_all(&bench.root);
    }
    result
}

/// The scenarios in turn; the desktop app's are read against the empty window's figures.
fn measure(bench: &Bench, stub: &Stub, f: &mut Report) -> anyhow::Result<()> {
    let headless_cpu = headless::measure(bench, stub, f)?;
    if std::env::var("FOOTPRINT_ONLY").as_deref() == Ok("headless") {
        return Ok(());
    }
    let empty = baseline::measure(bench, f)?;
    let open_cpu = desktop::measure(bench, &empty, f)?;
    let tray_cpu = tray::measure(bench, &empty, f)?;

    f.section("Idle CPU side by side");
    f.line(format!("headless:            {}", headless_cpu.describe()));
    f.line(format!("empty window:        {}", empty.cpu.describe()));
    f.line(format!("desktop, window:     {}", open_cpu.describe()));
    f.line(format!("desktop, tray only:  {}", tray_cpu.describe()));
    Ok(())
}
