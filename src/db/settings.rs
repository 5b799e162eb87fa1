use sqlx::SqlitePool;

use crate::config::{SettingKey, SettingValues};

/// The settings saved in the database. Unknown keys (from a newer Linkarr) are skipped.
pub async fn load(pool: &SqlitePool) -> sqlx::Result<SettingValues> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT key, value FROM settings")
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(name, value)| SettingKey::from_name(&name).map(|key| (key, value)))
        .collect())
}

pub async fn save(
    conn: impl sqlx::SqliteExecutor<'_>,
    key: SettingKey,
    value: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value,
             updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
    )
    .bind(key.name())
    .bind(value)
    .execute(conn)
    .await?;
    Ok(())
}
