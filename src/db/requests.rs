use serde::Serialize;
use sqlx::{SqliteExecutor, SqlitePool};
use utoipa::ToSchema;

use crate::domain::{MediaType, RequestState};

// Requests are created only by the webhook writer (`intake`), in the same transaction as the
// webhook that asked for them and their first job.

/// A request as the API shows it: what was asked, where it stands, and the title once known.
#[derive(Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct Request {
    pub id: i64,
    #[schema(required)]
    pub overseerr_request_id: Option<i64>,
    #[schema(value_type = MediaType)]
    pub media_type: String,
    pub tmdb_id: i64,
    pub is_4k: bool,
    /// JSON array of season numbers; null means every aired season.
    #[serde(serialize_with = "super::as_optional_json")]
    #[schema(value_type = Option<Vec<u32>>, required)]
    pub requested_seasons: Option<String>,
    /// The title from TMDb, else what Overseerr called it.
    pub title: String,
    #[schema(required)]
    pub year: Option<i64>,
    #[schema(required)]
    pub poster_path: Option<String>,
    pub requested_by: String,
    #[schema(value_type = RequestState)]
    pub state: String,
    /// Why it waits or failed, in words.
    pub reason: String,
    /// When a waiting request is tried again (ISO-8601 UTC).
    #[schema(required)]
    pub next_attempt_at: Option<String>,
    /// While Real-Debrid downloads it: 0-100.
    #[schema(required)]
    pub progress: Option<f64>,
    #[schema(required)]
    pub media_item_id: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

const SELECT: &str = "
    SELECT r.id, r.overseerr_request_id, r.media_type, r.tmdb_id, r.is_4k, r.requested_seasons,
           coalesce(m.title, r.subject) AS title, m.year, m.poster_path, r.requested_by,
           r.state, r.reason, r.next_attempt_at, r.progress, r.media_item_id, r.created_at, r.updated_at
    FROM requests r LEFT JOIN media_items m ON m.id = r.media_item_id";

pub async fn get(pool: &SqlitePool, id: i64) -> sqlx::Result<Option<Request>> {
    sqlx::query_as(&format!("{SELECT} WHERE r.id = ?1"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// Newest first; `state` filters when given. Returns the page and the total that match.
pub async fn list(
    pool: &SqlitePool,
    state: Option<&str>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<Request>, i64)> {
    let page = sqlx::query_as(&format!(
        "{SELECT} WHERE ?1 IS NULL OR r.state = ?1 ORDER BY r.id DESC LIMIT ?2 OFFSET ?3"
    ))
    .bind(state)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    let total = sqlx::query_scalar("SELECT count(*) FROM requests WHERE ?1 IS NULL OR state = ?1")
        .bind(state)
        .fetch_one(pool)
        .await?;
    Ok((page, total))
}

pub async fn count(pool: &SqlitePool) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT count(*) FROM requests")
        .fetch_one(pool)
        .await
}

/// What the tray and the window's badge show.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, sqlx::FromRow, utoipa::ToSchema,
)]
pub struct Activity {
    /// Being worked on: received, fetching details, searching, adding, downloading.
    pub in_progress: i64,
    /// Failed, or stopped until a setting is given (a key, a source).
    pub needs_attention: i64,
}

pub async fn activity(pool: &SqlitePool) -> sqlx::Result<Activity> {
    sqlx::query_as(
        "SELECT
           coalesce(sum(state IN ('received', 'metadata', 'searching', 'adding', 'downloading')), 0)
             AS in_progress,
           coalesce(sum(state = 'failed' OR EXISTS (SELECT 1 FROM jobs
             WHERE jobs.request_id = requests.id AND jobs.state = 'blocked')), 0)
             AS needs_attention
         FROM requests",
    )
    .fetch_one(pool)
    .await
}

/// Deletes the request; its jobs, events and candidates go with it (foreign keys).
pub async fn delete(pool: &SqlitePool, id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM requests WHERE id = ?")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn set_state(
    conn: impl SqliteExecutor<'_>,
    id: i64,
    state: &str,
    reason: &str,
    next_attempt_at: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE requests SET state = ?2, reason = ?3, next_attempt_at = ?4,
                             progress = CASE WHEN ?2 = 'downloading' THEN progress END,
                             updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE id = ?1",
    )
    .bind(id)
    .bind(state)
    .bind(reason)
    .bind(next_attempt_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn link_media_item(
    conn: impl SqliteExecutor<'_>,
    id: i64,
    media_item_id: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE requests SET media_item_id = ?2 WHERE id = ?1")
        .bind(id)
        .bind(media_item_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// What the pipeline needs to work on a request.
#[derive(Debug, sqlx::FromRow)]
pub struct Work {
    pub id: i64,
    pub overseerr_request_id: Option<i64>,
    pub media_type: String,
    pub tmdb_id: i64,
    pub is_4k: bool,
    pub requested_seasons: Option<String>,
    pub media_item_id: Option<i64>,
    pub state: String,
}

pub async fn work(pool: &SqlitePool, id: i64) -> sqlx::Result<Option<Work>> {
    sqlx::query_as(
        "SELECT id, overseerr_request_id, media_type, tmdb_id, is_4k, requested_seasons,
                media_item_id, state
         FROM requests WHERE id = ?1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

pub async fn set_progress(pool: &SqlitePool, id: i64, progress: f64) -> sqlx::Result<()> {
    sqlx::query("UPDATE requests SET progress = ?2 WHERE id = ?1")
        .bind(id)
        .bind(progress)
        .execute(pool)
        .await?;
    Ok(())
}
