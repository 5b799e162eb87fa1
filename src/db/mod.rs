use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub mod candidates;
pub mod debrid;
pub mod events;
pub mod files;
pub mod jobs;
pub mod library;
pub mod requests;
pub mod sessions;
pub mod settings;
pub mod webhooks;

/// The database file's name inside the data folder.
pub const DB_FILE: &str = "linkarr.db";

/// Opens (creating if needed) the database at `path` and brings its schema up to date.
///
/// WAL lets the UI read while a webhook writes. `synchronous = NORMAL` in WAL mode makes every
/// commit survive a killed process (the case that matters for "durable before acknowledged");
/// only a power cut can lose the last moments, and Overseerr's catch-up sync covers that.
pub async fn connect(path: &Path) -> anyhow::Result<SqlitePool> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await
        .with_context(|| format!("could not open the database {}", path.display()))?;
    sqlx::migrate!()
        .run(&pool)
        .await
        .with_context(|| format!("could not update the schema of {}", path.display()))?;
    Ok(pool)
}

/// Starts a write transaction that takes SQLite's write lock at once. A plain (deferred) BEGIN
/// that later upgrades to writing fails with SQLITE_BUSY if another writer got in first;
/// this one waits its turn under the busy timeout instead.
pub async fn begin_write(
    pool: &SqlitePool,
) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// Serialises a column that holds JSON text as the JSON it holds (null when it is not JSON).
fn as_json<S: serde::Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    as_optional_json(&Some(text), serializer)
}

fn as_optional_json<S: serde::Serializer, T: AsRef<str>>(
    text: &Option<T>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let value: Option<serde_json::Value> = text
        .as_ref()
        .and_then(|text| serde_json::from_str(text.as_ref()).ok());
    serde::Serialize::serialize(&value, serializer)
}
