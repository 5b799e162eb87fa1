use serde::Serialize;
use sqlx::{SqliteExecutor, SqlitePool};
use utoipa::ToSchema;

use crate::domain::RequestState;
use crate::events::Event;

/// Stores `event` in the request's history.
pub async fn insert(conn: impl SqliteExecutor<'_>, event: &Event) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO request_events (request_id, at, state, message) VALUES (?1, ?2, ?3, ?4)",
    )
    .bind(event.request_id)
    .bind(&event.at)
    .bind(event.state.as_str())
    .bind(&event.message)
    .execute(conn)
    .await?;
    Ok(())
}

/// One state change of a request.
#[derive(Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct HistoryEntry {
    /// ISO-8601 UTC.
    pub at: String,
    #[schema(value_type = RequestState)]
    pub state: String,
    pub message: String,
}

/// A request's whole story, oldest first.
pub async fn history(pool: &SqlitePool, request_id: i64) -> sqlx::Result<Vec<HistoryEntry>> {
    sqlx::query_as(
        "SELECT at, state, message FROM request_events WHERE request_id = ?1 ORDER BY id",
    )
    .bind(request_id)
    .fetch_all(pool)
    .await
}

/// How many times the request has been in `state`.
pub async fn count(pool: &SqlitePool, request_id: i64, state: RequestState) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT count(*) FROM request_events WHERE request_id = ?1 AND state = ?2")
        .bind(request_id)
        .bind(state.as_str())
        .fetch_one(pool)
        .await
}
