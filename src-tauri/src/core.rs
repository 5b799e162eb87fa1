//! Starts and stops the Linkarr core inside the tray app, on a runtime of its own.

use std::path::Path;
use std::time::Duration;

use linkarr::config::Overrides;
use linkarr::listener::ListenAddress;
use linkarr::state::AppState;
use linkarr::{Application, telemetry};
use tokio::runtime::Runtime;
use tokio::task::JoinHandle;

/// What the window needs to reach the core.
#[derive(Clone)]
pub struct Connection {
    pub listen: ListenAddress,
    pub api_token: String,
}

/// The running core, until the app quits.
pub struct Running {
    pub connection: Connection,
    /// The core's handles: settings, events, the database.
    pub state: AppState,
    pub runtime: Runtime,
    shutdown: linkarr::CancellationToken,
    /// Built and listening, until [`Running::serve`] starts it.
    ready: Option<Application>,
    server: Option<JoinHandle<anyhow::Result<()>>>,
    _log_guard: telemetry::LogGuard,
}

/// Builds the core exactly as `linkarr serve` does: the database is open and the listener bound,
/// but nothing is served or processed until [`Running::serve`].
pub fn start(overrides: Overrides, data_dir: &Path) -> anyhow::Result<Running> {
    let log_guard = telemetry::init(&data_dir.join(linkarr::state::LOG_FOLDER))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("linkarr")
        .build()?;
    let app = runtime.block_on(Application::build(overrides))?;
    let connection = Connection {
        listen: app.state().listen.clone(),
        api_token: app.api_token(),
    };
    let state = app.state().clone();
    let shutdown = app.shutdown_token();
    Ok(Running {
        connection,
        state,
        runtime,
        shutdown,
        ready: Some(app),
        server: None,
        _log_guard: log_guard,
    })
}

impl Running {
    /// Starts serving webhooks and working in the background. Whoever listens to the core's
    /// events (the notifications) subscribes before this, so not even the first is missed.
    pub fn serve(&mut self) {
        if let Some(app) = self.ready.take() {
            self.server = Some(self.runtime.spawn(app.run_until_stopped()));
        }
    }

    /// Stops the listener and waits for the requests in flight and the database to close,
    /// so a Quit never cuts a webhook's commit in half.
    pub fn stop(self) {
        self.shutdown.cancel();
        if let Some(server) = self.server {
            match self.runtime.block_on(server) {
                Ok(Ok(())) => {}
                Ok(Err(error)) => tracing::error!("The listener stopped with an error: {error:#}"),
                Err(error) => tracing::error!("The listener task failed: {error}"),
            }
        }
        // What is left (a poster download, a notification's wait) does not hold up the exit.
        self.runtime.shutdown_timeout(Duration::from_secs(1));
    }
}
