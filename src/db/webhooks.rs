use serde::Serialize;
use sqlx::SqlitePool;

// Webhooks are written only by the webhook writer (`intake`); these are the reads.

/// What Linkarr made of a webhook; stored with it and shown in the UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Accepted,
    Duplicate,
    Ignored,
    Rejected,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::Duplicate => "duplicate",
            Self::Ignored => "ignored",
            Self::Rejected => "rejected",
        }
    }
}

#[derive(Debug, Default, Serialize, sqlx::FromRow)]
pub struct Counts {
    pub total: i64,
    pub accepted: i64,
    pub duplicate: i64,
    pub ignored: i64,
    pub rejected: i64,
}

pub async fn counts(pool: &SqlitePool) -> sqlx::Result<Counts> {
    sqlx::query_as(
        "SELECT count(*) AS total,
                coalesce(sum(outcome = 'accepted'), 0) AS accepted,
                coalesce(sum(outcome = 'duplicate'), 0) AS duplicate,
                coalesce(sum(outcome = 'ignored'), 0) AS ignored,
                coalesce(sum(outcome = 'rejected'), 0) AS rejected
         FROM webhooks",
    )
    .fetch_one(pool)
    .await
}

/// When Overseerr's test notification last arrived (ISO-8601), if ever. The literal type
/// lets SQLite use the partial index `webhooks_test_notifications`.
pub async fn last_test_notification(pool: &SqlitePool) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT max(received_at) FROM webhooks WHERE notification_type = 'TEST_NOTIFICATION'",
    )
    .fetch_one(pool)
    .await
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Summary {
    pub id: i64,
    pub received_at: String,
    pub notification_type: String,
    pub subject: String,
    pub outcome: String,
    pub detail: String,
}

/// Newest first.
pub async fn recent(pool: &SqlitePool, limit: i64, offset: i64) -> sqlx::Result<Vec<Summary>> {
    sqlx::query_as(
        "SELECT id, received_at, notification_type, subject, outcome, detail
         FROM webhooks ORDER BY id DESC LIMIT ?1 OFFSET ?2",
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await
}

/// Those stored after webhook `id`, oldest first.
pub async fn after(pool: &SqlitePool, id: i64, limit: i64) -> sqlx::Result<Vec<Summary>> {
    sqlx::query_as(
        "SELECT id, received_at, notification_type, subject, outcome, detail
         FROM webhooks WHERE id > ?1 ORDER BY id LIMIT ?2",
    )
    .bind(id)
    .bind(limit)
    .fetch_all(pool)
    .await
}
