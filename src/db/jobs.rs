//! The work queue. A job is claimed by one worker with a single UPDATE (SQLite runs it under
//! its write lock, so two workers never get the same job); every later change is guarded by
//! `state = 'running'`, so a job cancelled meanwhile is never brought back.

use sqlx::{SqliteExecutor, SqlitePool};

#[derive(Debug, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub request_id: i64,
    pub step: String,
    /// Including this one.
    pub attempts: i64,
}

/// At start: jobs a previous run was working on when it stopped go back in the queue, and so
/// do jobs blocked on a setting, which this run's environment may have changed.
pub async fn requeue_interrupted(pool: &SqlitePool) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "UPDATE jobs SET state = 'queued', blocked_on = NULL,
                         attempts = CASE WHEN state = 'blocked' THEN 0 ELSE attempts END,
                         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE state IN ('running', 'blocked')",
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

pub async fn claim(pool: &SqlitePool) -> sqlx::Result<Option<Claimed>> {
    sqlx::query_as(
        "UPDATE jobs SET state = 'running', attempts = attempts + 1,
                         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE id = (SELECT id FROM jobs
                     WHERE state = 'queued'
                       AND next_attempt_at <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                     ORDER BY next_attempt_at, id LIMIT 1)
         RETURNING id, request_id, step, attempts",
    )
    .fetch_optional(pool)
    .await
}

/// Puts a job claimed a moment ago back in the queue, as it was (processing was paused
/// while the claim waited for the database).
pub async fn unclaim(pool: &SqlitePool, id: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE jobs SET state = 'queued', attempts = attempts - 1
         WHERE id = ?1 AND state = 'running'",
    )
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

/// When the next queued job falls due, if any is queued.
pub async fn next_due(pool: &SqlitePool) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT min(next_attempt_at) FROM jobs WHERE state = 'queued'")
        .fetch_one(pool)
        .await
}

/// How a running job ends (or pauses).
pub enum Outcome<'a> {
    Done,
    RetryAt {
        at: &'a str,
        error: &'a str,
    },
    /// Comes back at `at` without it counting as a failed attempt: progress, or a wait for
    /// capacity (a free Real-Debrid slot) that says nothing about the request.
    Later {
        at: &'a str,
        error: &'a str,
    },
    /// Waits until the setting `on` changes.
    Blocked {
        on: &'a str,
        error: &'a str,
    },
    Failed {
        error: &'a str,
    },
}

/// Records how the running job `id` ended. False when it was no longer running (cancelled).
pub async fn settle(
    conn: impl SqliteExecutor<'_>,
    id: i64,
    outcome: Outcome<'_>,
) -> sqlx::Result<bool> {
    let mut fresh_start = false;
    let (state, at, on, error) = match outcome {
        Outcome::Done => ("done", None, None, None),
        Outcome::RetryAt { at, error } => ("queued", Some(at), None, Some(error)),
        Outcome::Later { at, error } => {
            fresh_start = true;
            ("queued", Some(at), None, Some(error))
        }
        Outcome::Blocked { on, error } => ("blocked", None, Some(on), Some(error)),
        Outcome::Failed { error } => ("failed", None, None, Some(error)),
    };
    let done = sqlx::query(
        "UPDATE jobs SET state = ?2, next_attempt_at = coalesce(?3, next_attempt_at),
                         blocked_on = ?4, last_error = ?5,
                         attempts = CASE WHEN ?6 THEN 0 ELSE attempts END,
                         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE id = ?1 AND state = 'running'",
    )
    .bind(id)
    .bind(state)
    .bind(at)
    .bind(on)
    .bind(error)
    .bind(fresh_start)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Puts every job waiting for setting `on` back in the queue, with a clean slate of attempts;
/// returns their requests.
pub async fn unblock(conn: impl SqliteExecutor<'_>, on: &str) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "UPDATE jobs SET state = 'queued', blocked_on = NULL, attempts = 0,
                         next_attempt_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE state = 'blocked' AND blocked_on = ?1
         RETURNING request_id",
    )
    .bind(on)
    .fetch_all(conn)
    .await
}

/// Whether job `id` is still running (not cancelled meanwhile).
pub async fn is_running(conn: impl SqliteExecutor<'_>, id: i64) -> sqlx::Result<bool> {
    let state: Option<String> = sqlx::query_scalar("SELECT state FROM jobs WHERE id = ?1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(state.as_deref() == Some("running"))
}

/// Cancels the request's open job, if it has one. True if there was one.
pub async fn cancel_open(conn: impl SqliteExecutor<'_>, request_id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE jobs SET state = 'cancelled', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE request_id = ?1 AND state IN ('queued', 'running', 'blocked')",
    )
    .bind(request_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Queues `step` for the request at `at` (ISO-8601 UTC).
pub async fn enqueue_at(
    conn: impl SqliteExecutor<'_>,
    request_id: i64,
    step: &str,
    at: &str,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO jobs (request_id, step, next_attempt_at) VALUES (?1, ?2, ?3)")
        .bind(request_id)
        .bind(step)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

/// Queues `step` for the request now.
pub async fn enqueue(
    conn: impl SqliteExecutor<'_>,
    request_id: i64,
    step: &str,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO jobs (request_id, step) VALUES (?1, ?2)")
        .bind(request_id)
        .bind(step)
        .execute(conn)
        .await?;
    Ok(())
}

/// The step of the request's most recent job.
pub async fn last_step(pool: &SqlitePool, request_id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT step FROM jobs WHERE request_id = ?1 ORDER BY id DESC LIMIT 1")
        .bind(request_id)
        .fetch_optional(pool)
        .await
}
