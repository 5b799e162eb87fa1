use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use axum::serve::ListenerExt;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::clients::realdebrid::RdClient;
use crate::clients::tmdb::{self, TmdbClient};
use crate::config::{Overrides, Secret, SettingKey, SettingsStore};
use crate::db;
use crate::events::Events;
use crate::http;
use crate::http::play::PlayLinks;
use crate::intake::{Intake, Listeners};
use crate::pipeline::Pipeline;
use crate::pipeline::sync::Sync;
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
    /// binds the listener. Nothing is served or processed until [`Self::run_until_stopped`].
    pub async fn build(overrides: Overrides) -> anyhow::Result<Self> {
        let data_dir = overrides.resolve_data_dir()?;
        std::fs::create_dir_all(&data_dir)
            .with_context(|| format!("could not create the data folder {}", data_dir.display()))?;
        let db_path = data_dir.join(db::DB_FILE);
        let pool = db::connect(&db_path).await?;
        tracing::info!("Data folder: {}", data_dir.display());

        let mut saved = db::settings::load(&pool).await?;
        let generated_api_token = !overrides.values.contains_key(&SettingKey::ApiToken)
            && saved
                .get(&SettingKey::ApiToken)
                .is_none_or(|token| token.trim().is_empty());
        if generated_api_token {
            let token = Secret::generate().expose().to_owned();
            db::settings::save(&pool, SettingKey::ApiToken, &token).await?;
            saved.insert(SettingKey::ApiToken, token);
        }
        let settings = Arc::new(SettingsStore::new(saved, overrides.values)?);

        let current = settings.current();
        let addr = SocketAddr::new(current.bind, current.port);
        let listener = TcpListener::bind(addr).await.with_context(|| {
            format!(
                "could not listen on {addr}: is another Linkarr (or another program) using \
                 port {}? Choose another with --port or LINKARR_PORT",
                current.port
            )
        })?;
        let shutdown = CancellationToken::new();
        let events = Events::default();
        let work_queued = Arc::new(Notify::new());
        let listeners = Listeners {
            work_queued: work_queued.clone(),
            events: events.clone(),
        };
        let (intake, intake_writer) =
            Intake::start(&db_path, pool.clone(), listeners, shutdown.clone())?;
        let tmdb = TmdbClient::new(tmdb::DEFAULT_REQUESTS_PER_SECOND);
        let rd = RdClient::default();
        let pipeline = Pipeline::new(
            pool.clone(),
            settings.clone(),
            tmdb.clone(),
            rd.clone(),
            events.clone(),
            work_queued,
        );
        let state = AppState {
            db: pool,
            intake,
            settings,
            pipeline,
            events,
            tmdb,
            rd,
            play_links: PlayLinks::default(),
            sync_now: Arc::new(Notify::new()),
            shutdown: shutdown.clone(),
            listen_addr: listener.local_addr()?,
            data_dir,
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
    pub fn api_token(&self) -> String {
        let settings = self.state.settings.current();
        let token = settings.api_token.as_ref();
        token
            .map(|token| token.expose().to_owned())
            .unwrap_or_default()
    }

    /// True on the first start without `LINKARR_API_TOKEN`, when Linkarr made one up.
    pub fn api_token_was_generated(&self) -> bool {
        self.generated_api_token
    }

    /// Cancel it to stop: the listener finishes the requests in flight, workers leave their
    /// jobs to be resumed, then the database is closed.
    pub fn shutdown_token(&self) -> CancellationToken {
        self.shutdown.clone()
    }

    /// Serves, runs the pipeline and the catch-up sync, until the shutdown token is cancelled.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        tracing::info!(
            "Listening on {}; Overseerr's webhook URL: {}",
            self.state.listen_addr,
            self.state.webhook_url()
        );
        let db = self.state.db.clone();
        // In the background: the listener must answer at once, whatever the database is doing.
        let pipeline = tokio::spawn(self.state.pipeline.clone().run(self.shutdown.clone()));
        let repairs = tokio::spawn(
            self.state
                .pipeline
                .clone()
                .run_repairs(self.shutdown.clone()),
        );
        let sync = Sync {
            client: self.state.pipeline.overseerr(),
            intake: self.state.intake.clone(),
            settings: self.state.settings.clone(),
            settings_changed: self.state.sync_now.clone(),
        };
        let sync = tokio::spawn(sync.run(self.shutdown.clone()));

        let service = http::router(self.state).into_make_service_with_connect_info::<SocketAddr>();
        // Small JSON answers: send them at once rather than wait to coalesce (Nagle).
        let listener = self.listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let served = axum::serve(listener, service)
            .with_graceful_shutdown(self.shutdown.clone().cancelled_owned())
            .await;
        // Stop the other writers first, so the writer's queue can close and drain.
        self.shutdown.cancel();
        for task in [pipeline, sync, repairs] {
            if let Err(error) = task.await {
                tracing::error!("A background task failed: {error}");
            }
        }
        if let Err(error) = self.intake_writer.await {
            tracing::error!("The webhook writer failed: {error}");
        }
        db.close().await;
        tracing::info!("Linkarr stopped");
        served.context("the listener failed")
    }
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
