//! Durable intake: a webhook is answered only once its row is committed, and SQLite commits
//! one writer at a time. Rather than have every request queue for the write lock, one writer
//! task takes everything waiting and commits it as a single transaction (group commit), then
//! answers each sender. Under a burst a batch holds many webhooks; alone, one.
//!
//! The writer never checkpoints the WAL itself (that syncs the disk and would stall a batch);
//! the checkpointer does it on a pool connection once a burst of writes has settled.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sqlx::SqlitePool;
use tokio::sync::{Notify, mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::db::webhooks::Outcome;
use crate::domain::MediaRequest;
use crate::events::Events;

mod writer;

/// Webhooks waiting for the writer before senders wait for room (back-pressure).
const QUEUE_DEPTH: usize = 4096;
/// How long writes must pause before the WAL is checkpointed.
const CHECKPOINT_DELAY: Duration = Duration::from_secs(1);

/// Something to record (a webhook, or a request the catch-up sync found), and what to do.
#[derive(Debug)]
pub struct Delivery {
    /// The webhook as it came; `None` for a request found by the catch-up sync.
    pub webhook: Option<Webhook>,
    pub action: Action,
}

impl Delivery {
    /// For log lines: "a MEDIA_APPROVED webhook", "a request from the catch-up sync".
    pub fn describe(&self) -> String {
        match &self.webhook {
            Some(webhook) => format!("a {} webhook", webhook.notification_type),
            None => "a request from the catch-up sync".to_owned(),
        }
    }
}

#[derive(Debug, Default)]
pub struct Webhook {
    pub notification_type: String,
    pub subject: String,
    pub raw_body: String,
}

#[derive(Debug)]
pub enum Action {
    /// Create the request, or recognise it as a repeat.
    /// A new request also gets its first pipeline job, in the same transaction.
    Request(MediaRequest),
    Ignore(&'static str),
    Reject(String),
}

/// What was stored.
#[derive(Debug, PartialEq, Eq)]
pub struct Receipt {
    pub outcome: Outcome,
    pub request_id: Option<i64>,
    pub detail: String,
}

struct Job {
    delivery: Delivery,
    reply: oneshot::Sender<Result<Receipt, String>>,
}

#[derive(Clone, Debug)]
pub struct Intake {
    queue: mpsc::Sender<Job>,
}

/// Who hears about new requests once they are committed.
#[derive(Clone, Debug)]
pub struct Listeners {
    /// Wakes the pipeline's workers.
    pub work_queued: Arc<Notify>,
    pub events: Events,
}

#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error("the webhook writer has stopped")]
    Stopped,
    #[error("could not store the webhook: {0}")]
    Storage(String),
}

impl Intake {
    /// Opens the writer's own connection to the (already migrated) database and starts it,
    /// and the checkpointer on `pool` until `shutdown`. The writer stops at `shutdown` (or once
    /// every `Intake` clone is dropped), after committing what was queued; the handle resolves
    /// then.
    pub fn start(
        db_path: &Path,
        pool: SqlitePool,
        listeners: Listeners,
        shutdown: CancellationToken,
    ) -> anyhow::Result<(Self, JoinHandle<()>)> {
        let conn = writer::open(db_path)?;
        let (queue, jobs) = mpsc::channel(QUEUE_DEPTH);
        let written = Arc::new(Notify::new());
        let writer_written = written.clone();
        let writer_shutdown = shutdown.clone();
        let writer = tokio::spawn(async move {
            writer::run(conn, jobs, &writer_written, &listeners, &writer_shutdown).await;
        });
        tokio::spawn(checkpoint_after_writes(pool, written, shutdown));
        Ok((Self { queue }, writer))
    }

    /// Records `delivery`; returns once it is committed.
    pub async fn record(&self, delivery: Delivery) -> Result<Receipt, IntakeError> {
        let (reply, receipt) = oneshot::channel();
        self.queue
            .send(Job { delivery, reply })
            .await
            .map_err(|_| IntakeError::Stopped)?;
        receipt
            .await
            .map_err(|_| IntakeError::Stopped)?
            .map_err(IntakeError::Storage)
    }
}

/// Checkpoints the WAL once writes have paused for [`CHECKPOINT_DELAY`]. PASSIVE never blocks
/// the writer or readers; what it cannot copy now is copied next time.
async fn checkpoint_after_writes(
    pool: SqlitePool,
    written: Arc<Notify>,
    shutdown: CancellationToken,
) {
    loop {
        tokio::select! {
            () = written.notified() => {}
            () = shutdown.cancelled() => return,
        }
        // Writes during the pause leave a permit behind, so a long burst is checkpointed about
        // once per delay rather than once per batch.
        tokio::select! {
            () = tokio::time::sleep(CHECKPOINT_DELAY) => {}
            () = shutdown.cancelled() => return,
        }
        if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            tracing::warn!("Checkpointing the database failed: {error}");
        }
    }
}
