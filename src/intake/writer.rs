//! The webhook writer: one task, one connection of its own, many webhooks per commit.
//!
//! It calls SQLite directly (rusqlite, cached prepared statements) rather than through sqlx.
//! Every sqlx call is a hop to the connection's worker thread and back, as a writer thread of
//! our own would be; on a busy two-core machine each hop waits to be scheduled, and those
//! waits, not SQLite, held durable intake to a third of a bare handler's rate
//! (`cargo bench --bench webhook_ack`). So a batch runs inline on the runtime: at most
//! [`MAX_BATCH`] rows, a few hundred microseconds. The one wait that could be long, another
//! connection holding the write lock, is waited out asynchronously instead of in SQLite.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{SecondsFormat, Utc};
use rusqlite::{
    Connection, ErrorCode, OptionalExtension, Transaction, TransactionBehavior, params,
};
use tokio::sync::{Notify, mpsc};
use tokio_util::sync::CancellationToken;

use super::{Action, Delivery, Job, Listeners, Receipt, Webhook};
use crate::db::webhooks::Outcome;
use crate::domain::{MediaRequest, RequestState};
use crate::events::Event;

/// The most webhooks committed together; bounds how long one batch holds the runtime.
const MAX_BATCH: usize = 64;
/// How often to try again while another connection holds the write lock, and for how long.
const BUSY_RETRY: Duration = Duration::from_millis(1);
const BUSY_GIVE_UP: Duration = Duration::from_secs(10);

pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    // The sqlx pool (db::connect) created the file in WAL mode and migrated it. No busy
    // timeout: SQLite would wait for a lock by sleeping, here inside the runtime.
    conn.busy_timeout(Duration::ZERO)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // Checkpoints copy the WAL back into the database and sync it: milliseconds that would stall
    // every webhook in the batch. The checkpointer (see `super`) runs them after bursts instead.
    conn.pragma_update(None, "wal_autocheckpoint", 0)?;
    Ok(conn)
}

/// Commits batches until `shutdown` (taking no new ones then, but committing what is queued)
/// or until every sender is gone.
pub async fn run(
    mut conn: Connection,
    mut jobs: mpsc::Receiver<Job>,
    written: &Notify,
    listeners: &Listeners,
    shutdown: &CancellationToken,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    loop {
        let received = tokio::select! {
            received = jobs.recv_many(&mut batch, MAX_BATCH) => received,
            () = shutdown.cancelled(), if !jobs.is_closed() => {
                jobs.close();
                continue;
            }
        };
        if received == 0 {
            break;
        }
        let created = commit(&mut conn, &mut batch).await;
        written.notify_one();
        listeners.events.webhooks_stored();
        if !created.is_empty() {
            listeners.work_queued.notify_waiters();
            created
                .into_iter()
                .for_each(|event| listeners.events.publish(event));
        }
    }
    if let Err((_, error)) = conn.close() {
        tracing::warn!("Closing the webhook writer's connection failed: {error}");
    }
}

/// Commits `batch` and answers every sender; empties `batch`. Returns the events of the
/// requests it created, to announce.
async fn commit(conn: &mut Connection, batch: &mut Vec<Job>) -> Vec<Event> {
    let deliveries: Vec<&Delivery> = batch.iter().map(|job| &job.delivery).collect();
    let mut created = Vec::new();
    match write_when_free(conn, &deliveries).await {
        Ok(written) => {
            for (job, (receipt, event)) in batch.drain(..).zip(written) {
                created.extend(event);
                let _ = job.reply.send(Ok(receipt));
            }
        }
        // Still locked after the wait: the database is stuck, and one by one would only wait
        // again for each. Every sender hears it (Overseerr logs the failure).
        Err(error) if is_busy(&error) => {
            tracing::error!("Could not store {} webhooks: {error}", batch.len());
            for job in batch.drain(..) {
                let _ = job.reply.send(Err(error.to_string()));
            }
        }
        // One bad row must not fail the others: retry each on its own.
        Err(error) => {
            tracing::warn!(
                "Writing {} webhooks together failed ({error}); retrying one by one",
                batch.len()
            );
            for job in batch.drain(..) {
                let result = match write_when_free(conn, &[&job.delivery]).await {
                    Ok(mut written) => {
                        let (receipt, event) = written.remove(0);
                        created.extend(event);
                        Ok(receipt)
                    }
                    Err(error) => {
                        tracing::error!("Could not store {}: {error}", job.delivery.describe());
                        Err(error.to_string())
                    }
                };
                let _ = job.reply.send(result);
            }
        }
    }
    created
}

/// Writes, waiting without blocking the runtime while another connection holds the lock.
async fn write_when_free(
    conn: &mut Connection,
    deliveries: &[&Delivery],
) -> rusqlite::Result<Vec<Written>> {
    let deadline = Instant::now() + BUSY_GIVE_UP;
    loop {
        match write(conn, deliveries) {
            Err(error) if is_busy(&error) && Instant::now() < deadline => {
                tokio::time::sleep(BUSY_RETRY).await;
            }
            result => return result,
        }
    }
}

fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// A receipt, and the event of the request it created, if it created one.
type Written = (Receipt, Option<Event>);

fn write(conn: &mut Connection, deliveries: &[&Delivery]) -> rusqlite::Result<Vec<Written>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // One timestamp for the batch: what counts is when it became durable.
    let now = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    let receipts = deliveries
        .iter()
        .map(|delivery| record(&tx, delivery, &now))
        .collect::<rusqlite::Result<Vec<_>>>()?;
    tx.commit()?;
    Ok(receipts)
}

fn record(tx: &Transaction, delivery: &Delivery, now: &str) -> rusqlite::Result<Written> {
    let mut created = None;
    let receipt = match &delivery.action {
        Action::Request(request) => match insert_or_find_request(tx, request, now)? {
            (id, true) => {
                created = Some(start_pipeline(tx, id, delivery.webhook.as_ref(), now)?);
                Receipt {
                    outcome: Outcome::Accepted,
                    request_id: Some(id),
                    detail: format!("Request #{id} created"),
                }
            }
            (id, false) => Receipt {
                outcome: Outcome::Duplicate,
                request_id: Some(id),
                detail: format!("Repeat of request #{id}; nothing new to do"),
            },
        },
        Action::Ignore(reason) => Receipt {
            outcome: Outcome::Ignored,
            request_id: None,
            detail: (*reason).to_owned(),
        },
        Action::Reject(error) => Receipt {
            outcome: Outcome::Rejected,
            request_id: None,
            detail: error.clone(),
        },
    };
    if let Some(webhook) = &delivery.webhook {
        tx.prepare_cached(
            "INSERT INTO webhooks (notification_type, subject, outcome, detail, request_id,
                                   raw_body, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            webhook.notification_type,
            webhook.subject,
            receipt.outcome.as_str(),
            receipt.detail,
            receipt.request_id,
            webhook.raw_body,
            now,
        ])?;
    }
    Ok((receipt, created))
}

/// Queues a new request's first step and records how it arrived.
fn start_pipeline(
    tx: &Transaction,
    request_id: i64,
    webhook: Option<&Webhook>,
    now: &str,
) -> rusqlite::Result<Event> {
    let message = match webhook {
        Some(webhook) => format!("Received from Overseerr ({})", webhook.notification_type),
        None => "Found by the catch-up sync with Overseerr (its webhook never arrived)".to_owned(),
    };
    tx.prepare_cached(
        "INSERT INTO jobs (request_id, step, next_attempt_at, created_at, updated_at)
         VALUES (?1, 'metadata', ?2, ?2, ?2)",
    )?
    .execute(params![request_id, now])?;
    tx.prepare_cached(
        "INSERT INTO request_events (request_id, at, state, message) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        request_id,
        now,
        RequestState::Received.as_str(),
        message
    ])?;
    Ok(Event {
        request_id,
        state: RequestState::Received,
        message,
        at: now.to_owned(),
        next_attempt_at: None,
    })
}

/// The request's id, and whether this call created it (else it was a repeat).
fn insert_or_find_request(
    tx: &Transaction,
    request: &MediaRequest,
    now: &str,
) -> rusqlite::Result<(i64, bool)> {
    let key = request.dedupe_key();
    let seasons = request
        .seasons
        .as_ref()
        .map(|seasons| serde_json::Value::from(seasons.clone()).to_string());
    let created = tx
        .prepare_cached(
            "INSERT INTO requests (dedupe_key, overseerr_request_id, media_type, tmdb_id, tvdb_id,
                                   is_4k, requested_seasons, subject, requested_by,
                                   created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)
             ON CONFLICT (dedupe_key) DO NOTHING
             RETURNING id",
        )?
        .query_row(
            params![
                key,
                request.overseerr_request_id,
                request.media_type.as_str(),
                request.tmdb_id,
                request.tvdb_id,
                request.is_4k,
                seasons,
                request.subject,
                request.requested_by,
                now,
            ],
            |row| row.get(0),
        )
        .optional()?;
    if let Some(id) = created {
        return Ok((id, true));
    }
    let existing = tx
        .prepare_cached("SELECT id FROM requests WHERE dedupe_key = ?1")?
        .query_row([&key], |row| row.get(0))?;
    Ok((existing, false))
}
