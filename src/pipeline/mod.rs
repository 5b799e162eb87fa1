//! The ingest pipeline: workers take jobs from the queue in SQLite and move each request
//! through its states, storing every transition with a reason a person can read.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::{SecondsFormat, Utc};
use sqlx::SqlitePool;
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::clients::overseerr::OverseerrClient;
use crate::clients::realdebrid::RdClient;
use crate::clients::search::SearchClient;
use crate::clients::tmdb::TmdbClient;
use crate::config::SettingsStore;
use crate::db;
use crate::domain::RequestState;
use crate::events::{Event, Events};

mod available;
mod debrid;
mod metadata;
mod repair;
mod retry;
mod search;
mod settlement;
mod subject;
pub mod sync;
mod worker;

pub use repair::RepairError;
pub use retry::StepError;
pub use worker::Completed;

/// The step names stored in `jobs.step`.
pub const METADATA: &str = "metadata";
pub const SEARCH: &str = "search";
pub const DEBRID: &str = "debrid";

/// What the workers share. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Pipeline {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    db: SqlitePool,
    settings: Arc<SettingsStore>,
    tmdb: TmdbClient,
    search: SearchClient,
    rd: RdClient,
    overseerr: OverseerrClient,
    events: Events,
    /// Rung when jobs are queued; idle workers wake and look.
    work_queued: Arc<Notify>,
    /// The job each busy worker runs, by request: (job id, its cancel token).
    running: Mutex<HashMap<i64, (i64, CancellationToken)>>,
}

/// Where a restarted request picks up.
#[derive(Clone, Copy, Debug)]
pub enum Restart {
    LastStep,
    Search,
    /// Real-Debrid again with the candidates found (a repair).
    Debrid,
}

#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error("no request #{0}")]
    NoSuchRequest(i64),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl Pipeline {
    pub fn new(
        db: SqlitePool,
        settings: Arc<SettingsStore>,
        tmdb: TmdbClient,
        rd: RdClient,
        events: Events,
        work_queued: Arc<Notify>,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                db,
                settings,
                tmdb,
                search: SearchClient::default(),
                rd,
                overseerr: OverseerrClient::default(),
                events,
                work_queued,
                running: Mutex::default(),
            }),
        }
    }

    /// Puts interrupted jobs back in the queue and runs the workers until `shutdown`; they
    /// leave what they were doing to be resumed next time.
    pub async fn run(self, shutdown: CancellationToken) {
        match db::jobs::requeue_interrupted(&self.inner.db).await {
            Ok(0) => {}
            Ok(resumed) => {
                tracing::info!("Resuming {resumed} requests interrupted by the last stop")
            }
            Err(error) => tracing::error!("Could not resume interrupted requests: {error}"),
        }
        let mut workers: Vec<JoinHandle<()>> = (0..self.inner.settings.current().workers)
            .map(|_| tokio::spawn(worker::run(self.clone(), shutdown.clone())))
            .collect();
        workers.push(tokio::spawn(worker::announce_pauses(
            self.inner.settings.watch(),
            shutdown.clone(),
        )));
        for worker in workers {
            if let Err(error) = worker.await {
                tracing::error!("A pipeline worker failed: {error}");
            }
        }
    }

    /// The Overseerr client, shared with the catch-up sync (one connection pool).
    pub fn overseerr(&self) -> OverseerrClient {
        self.inner.overseerr.clone()
    }

    /// Jobs that waited for setting `key` (a TMDb key, say) try again now.
    pub async fn setting_changed(&self, key: &str) -> sqlx::Result<()> {
        let requests = db::jobs::unblock(&self.inner.db, key).await?;
        for request_id in &requests {
            let message = format!(
                "Trying again: the {} setting changed",
                key.replace('_', " ")
            );
            self.transition(*request_id, RequestState::Received, &message, None)
                .await?;
        }
        if !requests.is_empty() {
            self.inner.work_queued.notify_waiters();
        }
        Ok(())
    }

    /// Runs the request again from `from`: the step it stopped at (a retry), or the search
    /// (a re-search). A request without details starts from the metadata whatever was asked.
    /// Its open job, if any, is cancelled first.
    pub async fn restart(
        &self,
        request_id: i64,
        from: Restart,
        why: &str,
    ) -> Result<(), ActionError> {
        let work = db::requests::work(&self.inner.db, request_id)
            .await?
            .ok_or(ActionError::NoSuchRequest(request_id))?;
        let step = match (from, work.media_item_id) {
            (_, None) => METADATA,
            (Restart::Search, Some(_)) => SEARCH,
            (Restart::Debrid, Some(_)) => DEBRID,
            (Restart::LastStep, Some(_)) => db::jobs::last_step(&self.inner.db, request_id)
                .await?
                .and_then(|step| {
                    [METADATA, SEARCH, DEBRID]
                        .into_iter()
                        .find(|known| *known == step)
                })
                .unwrap_or(METADATA),
        };
        self.stop_running(request_id);
        let mut tx = db::begin_write(&self.inner.db).await?;
        db::jobs::cancel_open(&mut *tx, request_id).await?;
        db::jobs::enqueue(&mut *tx, request_id, step).await?;
        let event = self
            .record(&mut tx, request_id, RequestState::Received, why, None)
            .await?;
        tx.commit().await?;
        self.inner.events.publish(event);
        self.inner.work_queued.notify_waiters();
        Ok(())
    }

    /// Stops work on the request; a running step is interrupted cleanly.
    pub async fn cancel(&self, request_id: i64) -> Result<(), ActionError> {
        self.require(request_id).await?;
        let mut tx = db::begin_write(&self.inner.db).await?;
        db::jobs::cancel_open(&mut *tx, request_id).await?;
        let event = self
            .record(
                &mut tx,
                request_id,
                RequestState::Cancelled,
                "Cancelled by you",
                None,
            )
            .await?;
        tx.commit().await?;
        self.stop_running(request_id);
        self.inner.events.publish(event);
        // Nothing left behind on the account: torrents added for it and not in the library.
        let pipeline = self.clone();
        tokio::spawn(async move { pipeline.remove_torrents_of(request_id).await });
        Ok(())
    }

    /// Forgets a request: stops its work, removes the torrents added for it from Real-Debrid
    /// (those the library does not use), then deletes it and its history. The library keeps
    /// its titles.
    pub async fn delete(&self, request_id: i64) -> Result<(), ActionError> {
        self.require(request_id).await?;
        self.stop_running(request_id);
        let mut tx = db::begin_write(&self.inner.db).await?;
        db::jobs::cancel_open(&mut *tx, request_id).await?;
        tx.commit().await?;
        self.remove_torrents_of(request_id).await;
        db::requests::delete(&self.inner.db, request_id).await?;
        tracing::info!("Deleted request {request_id}");
        Ok(())
    }

    async fn remove_torrents_of(&self, request_id: i64) {
        let settings = self.inner.settings.current();
        let loose = match db::debrid::loose_torrents(&self.inner.db, request_id).await {
            Ok(loose) => loose,
            Err(error) => {
                return tracing::warn!("Could not list request {request_id}'s torrents: {error}");
            }
        };
        for rd_id in loose {
            match self.inner.rd.delete(&settings, &rd_id).await {
                Ok(()) => {
                    let _ = db::debrid::forget(&self.inner.db, &rd_id).await;
                }
                Err(error) => {
                    tracing::warn!("Could not remove torrent {rd_id} from Real-Debrid: {error}")
                }
            }
        }
    }

    async fn require(&self, request_id: i64) -> Result<(), ActionError> {
        match db::requests::work(&self.inner.db, request_id).await? {
            Some(_) => Ok(()),
            None => Err(ActionError::NoSuchRequest(request_id)),
        }
    }

    fn stop_running(&self, request_id: i64) {
        if let Some((_, token)) = self.running().get(&request_id) {
            token.cancel();
        }
    }

    fn running(&self) -> MutexGuard<'_, HashMap<i64, (i64, CancellationToken)>> {
        self.inner
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Moves a request to `state` with `message`: stored, then announced.
    async fn transition(
        &self,
        request_id: i64,
        state: RequestState,
        message: &str,
        next_attempt_at: Option<&str>,
    ) -> sqlx::Result<()> {
        let mut tx = db::begin_write(&self.inner.db).await?;
        let event = self
            .record(&mut tx, request_id, state, message, next_attempt_at)
            .await?;
        tx.commit().await?;
        self.inner.events.publish(event);
        Ok(())
    }

    /// Stores a transition in `tx`; the caller announces the event once committed.
    async fn record(
        &self,
        tx: &mut sqlx::SqliteConnection,
        request_id: i64,
        state: RequestState,
        message: &str,
        next_attempt_at: Option<&str>,
    ) -> sqlx::Result<Event> {
        let event = Event {
            request_id,
            state,
            message: message.to_owned(),
            at: now(),
            next_attempt_at: next_attempt_at.map(str::to_owned),
        };
        // Waiting and failed requests show the message as their reason.
        let reason = match state {
            RequestState::Waiting
            | RequestState::Failed
            | RequestState::NotFound
            | RequestState::Downloading => message,
            _ => "",
        };
        db::requests::set_state(
            &mut *tx,
            request_id,
            state.as_str(),
            reason,
            next_attempt_at,
        )
        .await?;
        db::events::insert(&mut *tx, &event).await?;
        Ok(event)
    }
}

/// Now, as stored: ISO-8601 UTC with milliseconds, comparable as text with SQLite's own.
pub fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}
