use sqlx::SqlitePool;

// Requests are created only by the webhook writer (`intake`), in the same transaction as the
// webhook that asked for them.

pub async fn count(pool: &SqlitePool) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT count(*) FROM requests")
        .fetch_one(pool)
        .await
}
