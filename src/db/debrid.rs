//! The torrents Linkarr added to Real-Debrid, and the ones it will not try again.

use std::collections::HashSet;
use std::time::Duration;

use sqlx::{SqliteExecutor, SqlitePool};

/// The RD torrent already used for this request and infohash, if any, and whether Linkarr
/// added it (rather than found it on the account).
pub async fn torrent_for(
    pool: &SqlitePool,
    request_id: i64,
    info_hash: &str,
) -> sqlx::Result<Option<(String, bool)>> {
    sqlx::query_as(
        "SELECT rd_id, added FROM rd_torrents WHERE request_id = ?1 AND info_hash = ?2
         ORDER BY id DESC LIMIT 1",
    )
    .bind(request_id)
    .bind(info_hash)
    .fetch_optional(pool)
    .await
}

/// Remembers RD torrent `rd_id` for the request; `added` when Linkarr added it for this
/// request (only those are ever deleted). A torrent already remembered keeps its owner.
pub async fn record(
    conn: impl SqliteExecutor<'_>,
    request_id: i64,
    info_hash: &str,
    rd_id: &str,
    added: bool,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO rd_torrents (request_id, info_hash, rd_id, added) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (rd_id) DO NOTHING",
    )
    .bind(request_id)
    .bind(info_hash)
    .bind(rd_id)
    .bind(added)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn update(
    pool: &SqlitePool,
    rd_id: &str,
    status: &str,
    progress: f64,
    speed: Option<u64>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE rd_torrents SET status = ?2, progress = ?3, speed = ?4,
                                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE rd_id = ?1",
    )
    .bind(rd_id)
    .bind(status)
    .bind(progress)
    .bind(speed.and_then(|speed| i64::try_from(speed).ok()))
    .execute(pool)
    .await?;
    Ok(())
}

/// The torrent left the account (deleted by Linkarr or gone on RD's side).
pub async fn forget(pool: &SqlitePool, rd_id: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM rd_torrents WHERE rd_id = ?1")
        .bind(rd_id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn block(pool: &SqlitePool, info_hash: &str, reason: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO blocked_hashes (info_hash, reason) VALUES (?1, ?2)
         ON CONFLICT (info_hash) DO UPDATE SET reason = excluded.reason",
    )
    .bind(info_hash)
    .bind(reason)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn blocked(pool: &SqlitePool) -> sqlx::Result<HashSet<String>> {
    let hashes: Vec<String> = sqlx::query_scalar("SELECT info_hash FROM blocked_hashes")
        .fetch_all(pool)
        .await?;
    Ok(hashes.into_iter().collect())
}

/// The torrents Linkarr added for the request that no library file uses.
pub async fn loose_torrents(pool: &SqlitePool, request_id: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT rd_id FROM rd_torrents t WHERE request_id = ?1 AND added = 1
           AND NOT EXISTS (SELECT 1 FROM library_files f WHERE f.rd_torrent_id = t.rd_id)",
    )
    .bind(request_id)
    .fetch_all(pool)
    .await
}

/// How long ago Linkarr first saw RD torrent `rd_id`.
pub async fn age(pool: &SqlitePool, rd_id: &str) -> sqlx::Result<Duration> {
    let seconds: Option<f64> = sqlx::query_scalar(
        "SELECT (julianday('now') - julianday(created_at)) * 86400 FROM rd_torrents
         WHERE rd_id = ?1",
    )
    .bind(rd_id)
    .fetch_optional(pool)
    .await?;
    Ok(Duration::from_secs_f64(seconds.unwrap_or(0.0).max(0.0)))
}
