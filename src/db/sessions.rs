//! Sign-ins from the login page. Only the session's id is kept; it is what the cookie carries.

use sqlx::SqlitePool;

/// How long a session lasts after its last use.
pub const LIFETIME_DAYS: i64 = 30;

pub async fn create(db: &SqlitePool, id: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sessions (id, expires_at)
         VALUES (?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?))",
    )
    .bind(id)
    .bind(format!("+{LIFETIME_DAYS} days"))
    .execute(db)
    .await?;
    Ok(())
}

/// True when `id` is a live session; using it extends it.
pub async fn touch(db: &SqlitePool, id: &str) -> sqlx::Result<bool> {
    let updated = sqlx::query(
        "UPDATE sessions SET expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?)
         WHERE id = ? AND expires_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
    )
    .bind(format!("+{LIFETIME_DAYS} days"))
    .bind(id)
    .execute(db)
    .await?;
    Ok(updated.rows_affected() == 1)
}

pub async fn delete(db: &SqlitePool, id: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id = ?")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Signs everyone out: the password or token they signed in with changed.
pub async fn delete_all(db: &SqlitePool) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions").execute(db).await?;
    Ok(())
}
