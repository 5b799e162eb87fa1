//! What a request's last search found: the torrents to try, in order, and the rejected ones
//! with their reason.

use serde::Serialize;
use sqlx::{SqliteConnection, SqlitePool};
use utoipa::ToSchema;

use crate::domain::ranking::{Ranked, Verdict};
use crate::domain::release::Release;

/// Replaces the request's candidates with `ranked` (kept first, in order).
pub async fn replace(
    conn: &mut SqliteConnection,
    request_id: i64,
    ranked: &[Ranked],
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM candidates WHERE request_id = ?1")
        .bind(request_id)
        .execute(&mut *conn)
        .await?;
    let mut position = 0;
    for candidate in ranked {
        let (position, covers, is_pack, rejection) = match &candidate.verdict {
            Verdict::Kept { covers, is_pack } => {
                position += 1;
                let covers: Vec<[u32; 2]> = covers.iter().map(|&(s, e)| [s, e]).collect();
                (Some(position), covers, *is_pack, None)
            }
            Verdict::Rejected(rejection) => (None, Vec::new(), false, Some(rejection.to_string())),
        };
        let offer = &candidate.offer;
        sqlx::query(
            "INSERT INTO candidates (request_id, position, info_hash, title, file_name, size_bytes,
                                     seeders, sources, resolution, quality, score, covers,
                                     is_pack, rejection, parsed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )
        .bind(request_id)
        .bind(position)
        .bind(&offer.info_hash)
        .bind(&offer.title)
        .bind(&offer.file_name)
        .bind(offer.size.and_then(|size| i64::try_from(size).ok()))
        .bind(offer.seeders)
        .bind(serde_json::to_string(&offer.sources).unwrap_or_default())
        .bind(&candidate.release.resolution)
        .bind(&candidate.release.quality)
        .bind(candidate.score)
        .bind(serde_json::to_string(&covers).unwrap_or_default())
        .bind(is_pack)
        .bind(rejection)
        .bind(serde_json::to_string(&candidate.release).unwrap_or_default())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A torrent the last search found.
#[derive(Debug, Serialize, sqlx::FromRow, ToSchema)]
pub struct Candidate {
    /// 1 = tried first; null when rejected.
    #[schema(required)]
    pub position: Option<i64>,
    pub info_hash: String,
    pub title: String,
    #[schema(required)]
    pub file_name: Option<String>,
    #[schema(required)]
    pub size_bytes: Option<i64>,
    #[schema(required)]
    pub seeders: Option<i64>,
    /// The names of the sources that offered it.
    #[serde(serialize_with = "super::as_json")]
    #[schema(value_type = Option<Vec<String>>, required)]
    pub sources: String,
    #[schema(required)]
    pub resolution: Option<String>,
    #[schema(required)]
    pub quality: Option<String>,
    pub score: i64,
    /// The episodes it holds, as `[season, episode]` pairs.
    #[serde(serialize_with = "super::as_json")]
    #[schema(value_type = Option<Vec<Vec<u32>>>, required)]
    pub covers: String,
    pub is_pack: bool,
    /// Why it was rejected, in words; null when kept.
    #[schema(required)]
    pub rejection: Option<String>,
    /// What its name says.
    #[serde(serialize_with = "super::as_json")]
    #[schema(value_type = Option<Release>, required)]
    pub parsed: String,
    pub found_at: String,
}

/// The kept ones in order, then the rejected ones (best score first).
pub async fn list(pool: &SqlitePool, request_id: i64) -> sqlx::Result<Vec<Candidate>> {
    sqlx::query_as(
        "SELECT position, info_hash, title, file_name, size_bytes, seeders, sources, resolution,
                quality, score, covers, is_pack, rejection, parsed, found_at
         FROM candidates WHERE request_id = ?1
         ORDER BY position IS NULL, position, score DESC, id",
    )
    .bind(request_id)
    .fetch_all(pool)
    .await
}

/// A candidate worth trying, as the debrid step needs it.
#[derive(Debug, sqlx::FromRow)]
pub struct Kept {
    pub info_hash: String,
    pub title: String,
    pub resolution: Option<String>,
    pub quality: Option<String>,
    /// JSON [[season, episode], …].
    pub covers: String,
}

/// The kept candidates in the order to try them.
pub async fn kept(pool: &SqlitePool, request_id: i64) -> sqlx::Result<Vec<Kept>> {
    sqlx::query_as(
        "SELECT info_hash, title, resolution, quality, covers FROM candidates
         WHERE request_id = ?1 AND position IS NOT NULL ORDER BY position",
    )
    .bind(request_id)
    .fetch_all(pool)
    .await
}
