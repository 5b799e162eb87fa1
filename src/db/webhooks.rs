use serde::Serialize;
use sqlx::{SqliteConnection, SqlitePool};

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

pub struct NewWebhook<'a> {
    pub notification_type: &'a str,
    pub subject: &'a str,
    pub outcome: Outcome,
    pub detail: &'a str,
    pub request_id: Option<i64>,
    pub raw_body: &'a str,
}

pub async fn insert(conn: &mut SqliteConnection, webhook: &NewWebhook<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO webhooks (notification_type, subject, outcome, detail, request_id, raw_body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         RETURNING id",
    )
    .bind(webhook.notification_type)
    .bind(webhook.subject)
    .bind(webhook.outcome.as_str())
    .bind(webhook.detail)
    .bind(webhook.request_id)
    .bind(webhook.raw_body)
    .fetch_one(conn)
    .await
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

/// When a notification of this type last arrived (ISO-8601), if ever.
pub async fn last_received(
    pool: &SqlitePool,
    notification_type: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT max(received_at) FROM webhooks WHERE notification_type = ?1")
        .bind(notification_type)
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

pub async fn recent(pool: &SqlitePool, limit: i64) -> sqlx::Result<Vec<Summary>> {
    sqlx::query_as(
        "SELECT id, received_at, notification_type, subject, outcome, detail
         FROM webhooks ORDER BY id DESC LIMIT ?1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await
}
