use std::net::SocketAddr;

use anyhow::Context;
use axum::serve::ListenerExt;
use rand::Rng;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::config::{Overrides, Secret, SettingKey, Settings};
use crate::db;
use crate::http;
use crate::intake::Intake;
use crate::state::AppState;

/// A Linkarr core, built and bound, ready to run. Headless `linkarr serve`, the desktop app
/// and the integration tests all start it the same way.
pub struct Application {
    state: AppState,
    listener: TcpListener,
    intake_writer: JoinHandle<()>,
    shutdown: CancellationToken,
    generated_api_token: bool,
}

impl Application {
    /// Opens the data folder and database (applying migrations), resolves the settings and
    /// binds the listener. Nothing is served until [`Self::run_until_stopped`].
    pub async fn build(overrides: Overrides) -> anyhow::Result<Self> {
        let data_dir = overrides.resolve_data_dir()?;
        std::fs::create_dir_all(&data_dir)
            .with_context(|| format!("could not create the data folder {}", data_dir.display()))?;
        let db_path = data_dir.join(db::DB_FILE);
        let pool = db::connect(&db_path).await?;
        tracing::info!("Data folder: {}", data_dir.display());

        let saved = db::settings::load(&pool).await?;
        let mut settings = Settings::resolve(&[&saved, &overrides.values])?;
        let generated_api_token = settings.api_token.is_none();
        if generated_api_token {
            let token = new_token();
            db::settings::save(&pool, SettingKey::ApiToken, &token).await?;
            settings.api_token = Some(Secret::new(token));
        }

        let addr = SocketAddr::new(settings.bind, settings.port);
        let listener = TcpListener::bind(addr).await.with_context(|| {
            format!(
                "could not listen on {addr}: is another Linkarr (or another program) using \
                 port {}? Choose another with --port or LINKARR_PORT",
                settings.port
            )
        })?;
        let shutdown = CancellationToken::new();
        let (intake, intake_writer) = Intake::start(&db_path, pool.clone(), shutdown.clone())?;
        let state = AppState {
            db: pool,
            intake,
            settings: settings.into(),
            listen_addr: listener.local_addr()?,
        };
        Ok(Self {
            state,
            listener,
            intake_writer,
            shutdown,
            generated_api_token,
        })
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.state.listen_addr
    }

    /// The management API token. Shown to the user, never logged.
    pub fn api_token(&self) -> &Secret {
        self.state
            .settings
            .api_token
            .as_ref()
            .unwrap_or_else(|| unreachable!("build always sets the API token"))
    }

    /// True on the first start without `LINKARR_API_TOKEN`, when Linkarr made one up.
    pub fn api_token_was_generated(&self) -> bool {
        self.generated_api_token
    }

    /// Cancel it to stop: the listener finishes the requests in flight, then the database
    /// is closed.
    pub fn shutdown_token(&self) -> CancellationToken {
        self.shutdown.clone()
    }

    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        tracing::info!(
            "Listening on {}; Overseerr's webhook URL: {}",
            self.state.listen_addr,
            self.state.webhook_url()
        );
        let db = self.state.db.clone();
        let service = http::router(self.state).into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(
            self.listener.tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            }),
            service,
        )
        .with_graceful_shutdown(self.shutdown.cancelled_owned())
        .await;
        // The router (and with it every Intake handle) is gone: the writer commits what is
        // queued and stops.
        if let Err(error) = self.intake_writer.await {
            tracing::error!("The webhook writer failed: {error}");
        }
        db.close().await;
        tracing::info!("Linkarr stopped");
        served.context("the listener failed")
    }
}

fn new_token() -> String {
    let bytes: [u8; 24] = rand::rng().random();
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Resolves on Ctrl-C, or on SIGTERM (systemd stopping the service, a desktop session ending).
pub async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
