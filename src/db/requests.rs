use sqlx::{SqliteConnection, SqlitePool};

use crate::domain::MediaRequest;

/// Whether a request was new or a repeat of one already stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stored {
    Created(i64),
    Existing(i64),
}

/// Stores `request` unless one with the same dedupe key exists; either way returns its id.
pub async fn insert_or_find(
    conn: &mut SqliteConnection,
    request: &MediaRequest,
) -> sqlx::Result<Stored> {
    let key = request.dedupe_key();
    let seasons = request
        .seasons
        .as_ref()
        .map(|seasons| serde_json::Value::from(seasons.clone()).to_string());
    let created: Option<i64> = sqlx::query_scalar(
        "INSERT INTO requests (dedupe_key, overseerr_request_id, media_type, tmdb_id, tvdb_id,
                               is_4k, requested_seasons, subject, requested_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (dedupe_key) DO NOTHING
         RETURNING id",
    )
    .bind(&key)
    .bind(request.overseerr_request_id)
    .bind(request.media_type.as_str())
    .bind(request.tmdb_id)
    .bind(request.tvdb_id)
    .bind(request.is_4k)
    .bind(seasons)
    .bind(&request.subject)
    .bind(&request.requested_by)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = created {
        return Ok(Stored::Created(id));
    }
    let existing = sqlx::query_scalar("SELECT id FROM requests WHERE dedupe_key = ?1")
        .bind(&key)
        .fetch_one(&mut *conn)
        .await?;
    Ok(Stored::Existing(existing))
}

pub async fn count(pool: &SqlitePool) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT count(*) FROM requests")
        .fetch_one(pool)
        .await
}
