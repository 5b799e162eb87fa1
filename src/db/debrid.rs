//! The torrents Linkarr added to Real-Debrid, and the ones it will not try again.

use std::collections::HashSet;

use sqlx::{SqliteExecutor, SqlitePool};

/// The RD torrent already added for this request and infohash, if any.
pub async fn torrent_for(
    pool: &SqlitePool,
    request_id: i64,
    info_hash: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT rd_id FROM rd_torrents WHERE request_id = ?1 AND info_hash = ?2
         ORDER BY id DESC LIMIT 1",
    )
    .bind(request_id)
    .bind(info_hash)
    .fetch_optional(pool)
    .await
}

pub async fn record(
    conn: impl SqliteExecutor<'_>,
    request_id: i64,
    info_hash: &str,
    rd_id: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO rd_torrents (request_id, info_hash, rd_id) VALUES (?1, ?2, ?3)
         ON CONFLICT (rd_id) DO UPDATE SET request_id = excluded.request_id",
    )
    .bind(request_id)
    .bind(info_hash)
    .bind(rd_id)
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

/// The request's torrents that no library file uses.
pub async fn loose_torrents(pool: &SqlitePool, request_id: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT rd_id FROM rd_torrents t WHERE request_id = ?1
           AND NOT EXISTS (SELECT 1 FROM library_files f WHERE f.rd_torrent_id = t.rd_id)",
    )
    .bind(request_id)
    .fetch_all(pool)
    .await
}
