//! Starts and stops the Linkarr core inside the desktop app.

use std::sync::Mutex;

use anyhow::Context;
use linkarr::config::Overrides;
use linkarr::{Application, telemetry};
use serde_json::json;
use tauri::async_runtime::{self, JoinHandle};

/// What the window's page needs to reach the core.
pub struct Connection {
    pub api_base: String,
    pub api_token: String,
}

impl Connection {
    /// A script run before the page loads; the page reads `window.__LINKARR__`.
    pub fn init_script(&self) -> String {
        let value = json!({ "apiBase": self.api_base, "apiToken": self.api_token });
        format!("window.__LINKARR__ = Object.freeze({value});")
    }
}

/// The running core, kept as Tauri state until the app exits.
pub struct Running {
    pub connection: Connection,
    shutdown: linkarr::CancellationToken,
    server: Mutex<Option<JoinHandle<anyhow::Result<()>>>>,
    _log_guard: telemetry::LogGuard,
}

/// Builds the core exactly as `linkarr serve` does and starts serving in the background.
pub fn start() -> anyhow::Result<Running> {
    let overrides = Overrides::from_env();
    let data_dir = overrides.resolve_data_dir()?;
    std::fs::create_dir_all(&data_dir)
        .with_context(|| format!("could not create the data folder {}", data_dir.display()))?;
    let log_guard = telemetry::init(&data_dir.join(linkarr::state::LOG_FOLDER))?;
    let app = async_runtime::block_on(Application::build(overrides))?;
    let connection = Connection {
        api_base: app.state().local_url(),
        api_token: app.api_token(),
    };
    let shutdown = app.shutdown_token();
    let server = async_runtime::spawn(app.run_until_stopped());
    Ok(Running {
        connection,
        shutdown,
        server: Mutex::new(Some(server)),
        _log_guard: log_guard,
    })
}

impl Running {
    /// Stops the listener and waits for the requests in flight and the database to close,
    /// so a Quit never cuts a webhook's commit in half.
    pub fn stop(&self) {
        self.shutdown.cancel();
        let server = self.server.lock().ok().and_then(|mut server| server.take());
        if let Some(server) = server {
            match async_runtime::block_on(server) {
                Ok(Ok(())) => {}
                Ok(Err(error)) => tracing::error!("The listener stopped with an error: {error:#}"),
                Err(error) => tracing::error!("The listener task failed: {error}"),
            }
        }
    }
}
