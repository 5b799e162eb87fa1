//! The library's streams: one file per movie or episode, kept as Real-Debrid references.

use serde::Serialize;
use sqlx::{SqliteConnection, SqlitePool};

/// A file to store (or to replace the broken one of the same movie or episode).
#[derive(Debug)]
pub struct NewFile<'a> {
    pub media_item_id: i64,
    pub request_id: i64,
    pub season_number: Option<u32>,
    pub episode_number: Option<u32>,
    pub info_hash: &'a str,
    pub rd_torrent_id: &'a str,
    pub rd_file_id: u64,
    pub path: &'a str,
    pub size_bytes: u64,
    pub restricted_link: &'a str,
    pub resolution: Option<&'a str>,
    pub quality: Option<&'a str>,
    pub play_token: &'a str,
}

/// Stores the file; a file already there for the same video is replaced, keeping its play
/// token so links handed out earlier keep working.
pub async fn upsert(conn: &mut SqliteConnection, file: &NewFile<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO library_files (media_item_id, request_id, season_number, episode_number,
                                    info_hash, rd_torrent_id, rd_file_id, path, size_bytes,
                                    restricted_link, resolution, quality, play_token)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (media_item_id, coalesce(season_number, -1), coalesce(episode_number, -1))
         DO UPDATE SET request_id = excluded.request_id, info_hash = excluded.info_hash,
             rd_torrent_id = excluded.rd_torrent_id, rd_file_id = excluded.rd_file_id,
             path = excluded.path, size_bytes = excluded.size_bytes,
             restricted_link = excluded.restricted_link, resolution = excluded.resolution,
             quality = excluded.quality, broken = NULL,
             added_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
    )
    .bind(file.media_item_id)
    .bind(file.request_id)
    .bind(file.season_number)
    .bind(file.episode_number)
    .bind(file.info_hash)
    .bind(file.rd_torrent_id)
    .bind(i64::try_from(file.rd_file_id).unwrap_or(i64::MAX))
    .bind(file.path)
    .bind(i64::try_from(file.size_bytes).unwrap_or(i64::MAX))
    .bind(file.restricted_link)
    .bind(file.resolution)
    .bind(file.quality)
    .bind(file.play_token)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct File {
    pub id: i64,
    pub media_item_id: i64,
    #[serde(skip)]
    pub request_id: Option<i64>,
    pub season_number: Option<i64>,
    pub episode_number: Option<i64>,
    pub info_hash: String,
    pub rd_torrent_id: String,
    pub path: String,
    pub size_bytes: i64,
    #[serde(skip)]
    pub restricted_link: String,
    pub resolution: Option<String>,
    pub quality: Option<String>,
    #[serde(skip)]
    pub play_token: String,
    pub broken: Option<String>,
    pub added_at: String,
    /// The title's, for names and playlists.
    pub title: String,
    pub year: Option<i64>,
    pub media_type: String,
}

const SELECT: &str = "
    SELECT f.id, f.media_item_id, f.request_id, f.season_number, f.episode_number, f.info_hash,
           f.rd_torrent_id, f.path, f.size_bytes, f.restricted_link, f.resolution, f.quality,
           f.play_token, f.broken, f.added_at, m.title, m.year, m.media_type
    FROM library_files f JOIN media_items m ON m.id = f.media_item_id";

pub async fn of_item(pool: &SqlitePool, media_item_id: i64) -> sqlx::Result<Vec<File>> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE f.media_item_id = ?1 ORDER BY f.season_number, f.episode_number"
    ))
    .bind(media_item_id)
    .fetch_all(pool)
    .await
}

pub async fn by_id(pool: &SqlitePool, id: i64) -> sqlx::Result<Option<File>> {
    sqlx::query_as(&format!("{SELECT} WHERE f.id = ?1"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

pub async fn by_token(pool: &SqlitePool, token: &str) -> sqlx::Result<Option<File>> {
    sqlx::query_as(&format!("{SELECT} WHERE f.play_token = ?1"))
        .bind(token)
        .fetch_optional(pool)
        .await
}

/// Every file that plays, by title then episode.
pub async fn playable(pool: &SqlitePool) -> sqlx::Result<Vec<File>> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE f.broken IS NULL
         ORDER BY m.media_type, m.title, f.season_number, f.episode_number"
    ))
    .fetch_all(pool)
    .await
}

/// Every file, for the repair check.
pub async fn all(pool: &SqlitePool) -> sqlx::Result<Vec<File>> {
    sqlx::query_as(&format!("{SELECT} ORDER BY f.id"))
        .fetch_all(pool)
        .await
}

/// Marks every file of RD torrent `rd_id` broken; returns their requests.
pub async fn mark_torrent_broken(
    pool: &SqlitePool,
    rd_id: &str,
    reason: &str,
) -> sqlx::Result<Vec<i64>> {
    let requests: Vec<Option<i64>> = sqlx::query_scalar(
        "UPDATE library_files SET broken = ?2 WHERE rd_torrent_id = ?1 RETURNING request_id",
    )
    .bind(rd_id)
    .bind(reason)
    .fetch_all(pool)
    .await?;
    let mut requests: Vec<i64> = requests.into_iter().flatten().collect();
    requests.sort_unstable();
    requests.dedup();
    sqlx::query(
        "UPDATE media_items SET is_available = 0
         WHERE is_available = 1 AND NOT EXISTS (SELECT 1 FROM library_files f
                                                WHERE f.media_item_id = media_items.id
                                                  AND f.broken IS NULL)",
    )
    .execute(pool)
    .await?;
    Ok(requests)
}

/// Whether any library file plays from RD torrent `rd_id`.
pub async fn uses_torrent(pool: &SqlitePool, rd_id: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM library_files WHERE rd_torrent_id = ?1)")
        .bind(rd_id)
        .fetch_one(pool)
        .await
}
