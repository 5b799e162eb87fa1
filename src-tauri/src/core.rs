//! Starts and stops the Linkarr core inside the desktop app.

use std::sync::Mutex;

use anyhow::Context;
use linkarr::config::Overrides;
use linkarr::listener::ListenAddress;
use linkarr::state::AppState;
use linkarr::{Application, telemetry};
use serde_json::json;
use tauri::async_runtime::{self, JoinHandle};

/// What the window needs to reach the core.
#[derive(Clone)]
pub struct Connection {
    pub listen: ListenAddress,
    pub api_token: String,
}

impl Connection {
    /// The UI, as this machine reaches the listener.
    pub fn page_url(&self) -> String {
        format!("{}/", self.listen.local_url())
    }

    /// Whether `url` is one of the listener's pages (the window's token must not leave them).
    pub fn is_listener_url(listen: &ListenAddress, url: &str) -> bool {
        url.starts_with(&format!("{}/", listen.local_url()))
    }

    /// A script run before each page loads; the page reads `window.__LINKARR__`.
    pub fn init_script(&self) -> String {
        let value = json!({ "apiToken": self.api_token, "desktop": true });
        format!("window.__LINKARR__ = Object.freeze({value});")
    }
}

/// The running core, kept as Tauri state until the app exits.
pub struct Running {
    pub connection: Connection,
    /// The core's handles: settings, events, the database.
    pub state: AppState,
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
        listen: app.state().listen.clone(),
        api_token: app.api_token(),
    };
    let state = app.state().clone();
    let shutdown = app.shutdown_token();
    let server = async_runtime::spawn(app.run_until_stopped());
    Ok(Running {
        connection,
        state,
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
