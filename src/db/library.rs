//! The library: titles, their seasons and episodes, keyed so that fetching a title again
//! updates it in place (Movie 603 and TV 603 are two titles; a second request adds seasons).

use serde::Serialize;
use sqlx::{SqliteConnection, SqlitePool};

/// A title's details from TMDb, as stored.
#[derive(Debug)]
pub struct Details<'a> {
    pub media_type: &'a str,
    pub tmdb_id: i64,
    pub title: &'a str,
    pub original_title: &'a str,
    pub year: Option<i64>,
    pub overview: &'a str,
    pub runtime: Option<i64>,
    pub genres: Vec<&'a str>,
    pub rating: Option<f64>,
    pub poster_path: Option<&'a str>,
    pub backdrop_path: Option<&'a str>,
    pub imdb_id: Option<&'a str>,
    pub tvdb_id: Option<i64>,
    pub alternative_titles: Vec<&'a str>,
}

/// Stores the title (or refreshes it); returns its id and whether it is new to the library.
pub async fn upsert_item(
    conn: &mut SqliteConnection,
    item: &Details<'_>,
) -> sqlx::Result<(i64, bool)> {
    let existing: Option<i64> =
        sqlx::query_scalar("SELECT id FROM media_items WHERE media_type = ?1 AND tmdb_id = ?2")
            .bind(item.media_type)
            .bind(item.tmdb_id)
            .fetch_optional(&mut *conn)
            .await?;
    let genres = serde_json::Value::from(item.genres.clone()).to_string();
    let alternative_titles = serde_json::Value::from(item.alternative_titles.clone()).to_string();
    let id = sqlx::query_scalar(
        "INSERT INTO media_items (media_type, tmdb_id, title, original_title, year, overview,
                                  runtime, genres, rating, poster_path, backdrop_path, imdb_id,
                                  tvdb_id, alternative_titles)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT (media_type, tmdb_id) DO UPDATE SET
             title = excluded.title, original_title = excluded.original_title,
             year = excluded.year, overview = excluded.overview, runtime = excluded.runtime,
             genres = excluded.genres, rating = excluded.rating,
             poster_path = excluded.poster_path, backdrop_path = excluded.backdrop_path,
             imdb_id = excluded.imdb_id, tvdb_id = excluded.tvdb_id,
             alternative_titles = excluded.alternative_titles,
             updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         RETURNING id",
    )
    .bind(item.media_type)
    .bind(item.tmdb_id)
    .bind(item.title)
    .bind(item.original_title)
    .bind(item.year)
    .bind(item.overview)
    .bind(item.runtime)
    .bind(genres)
    .bind(item.rating)
    .bind(item.poster_path)
    .bind(item.backdrop_path)
    .bind(item.imdb_id)
    .bind(item.tvdb_id)
    .bind(alternative_titles)
    .fetch_one(&mut *conn)
    .await?;
    Ok((id, existing.is_none()))
}

pub struct SeasonDetails<'a> {
    pub number: u32,
    pub name: &'a str,
    pub air_date: Option<&'a str>,
    pub poster_path: Option<&'a str>,
}

pub async fn upsert_season(
    conn: &mut SqliteConnection,
    media_item_id: i64,
    season: &SeasonDetails<'_>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO seasons (media_item_id, season_number, name, air_date, poster_path)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (media_item_id, season_number) DO UPDATE SET
             name = excluded.name, air_date = excluded.air_date,
             poster_path = excluded.poster_path
         RETURNING id",
    )
    .bind(media_item_id)
    .bind(season.number)
    .bind(season.name)
    .bind(season.air_date)
    .bind(season.poster_path)
    .fetch_one(conn)
    .await
}

pub struct EpisodeDetails<'a> {
    pub number: i64,
    pub name: &'a str,
    pub air_date: Option<&'a str>,
    pub runtime: Option<i64>,
    pub still_path: Option<&'a str>,
}

pub async fn upsert_episode(
    conn: &mut SqliteConnection,
    season_id: i64,
    episode: &EpisodeDetails<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO episodes (season_id, episode_number, name, air_date, runtime, still_path)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (season_id, episode_number) DO UPDATE SET
             name = excluded.name, air_date = excluded.air_date, runtime = excluded.runtime,
             still_path = excluded.still_path",
    )
    .bind(season_id)
    .bind(episode.number)
    .bind(episode.name)
    .bind(episode.air_date)
    .bind(episode.runtime)
    .bind(episode.still_path)
    .execute(conn)
    .await?;
    Ok(())
}

/// A title fetched from TMDb within `max_age_hours`: its id, title and year.
pub async fn fresh(
    pool: &SqlitePool,
    media_type: &str,
    tmdb_id: i64,
    max_age_hours: i64,
) -> sqlx::Result<Option<(i64, String, Option<i64>)>> {
    sqlx::query_as(
        "SELECT id, title, year FROM media_items
         WHERE media_type = ?1 AND tmdb_id = ?2
           AND updated_at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?3)",
    )
    .bind(media_type)
    .bind(tmdb_id)
    .bind(format!("-{max_age_hours} hours"))
    .fetch_optional(pool)
    .await
}

/// Season numbers of a title that already have their episodes.
pub async fn seasons_with_episodes(
    pool: &SqlitePool,
    media_item_id: i64,
) -> sqlx::Result<Vec<u32>> {
    sqlx::query_scalar(
        "SELECT s.season_number FROM seasons s
         WHERE s.media_item_id = ?1 AND EXISTS (SELECT 1 FROM episodes e WHERE e.season_id = s.id)",
    )
    .bind(media_item_id)
    .fetch_all(pool)
    .await
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Item {
    pub id: i64,
    pub media_type: String,
    pub tmdb_id: i64,
    pub title: String,
    pub original_title: String,
    pub year: Option<i64>,
    pub overview: String,
    pub runtime: Option<i64>,
    #[serde(serialize_with = "super::as_json")]
    pub genres: String,
    pub rating: Option<f64>,
    pub poster_path: Option<String>,
    pub backdrop_path: Option<String>,
    pub imdb_id: Option<String>,
    pub tvdb_id: Option<i64>,
    pub is_available: bool,
    pub created_at: String,
}

const SELECT_ITEM: &str = "
    SELECT id, media_type, tmdb_id, title, original_title, year, overview, runtime, genres,
           rating, poster_path, backdrop_path, imdb_id, tvdb_id, is_available, created_at
    FROM media_items";

/// Which titles, in which order, for the library's grid.
#[derive(Debug, Default)]
pub struct ListQuery<'a> {
    /// `movie` or `tv`; all when `None`.
    pub media_type: Option<&'a str>,
    /// Words in the title or the original title.
    pub search: Option<&'a str>,
    pub sort: Sort,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Most recently added first.
    #[default]
    Added,
    Title,
    /// Newest release first.
    Year,
    /// Best rated first.
    Rating,
}

impl Sort {
    fn order_by(self) -> &'static str {
        match self {
            Self::Added => "created_at DESC, id DESC",
            Self::Title => "title COLLATE NOCASE, year, id",
            Self::Year => "year DESC NULLS LAST, title COLLATE NOCASE, id",
            Self::Rating => "rating DESC NULLS LAST, title COLLATE NOCASE, id",
        }
    }
}

/// The titles that are ready to stream, filtered and sorted. Returns the page and the total.
pub async fn list(pool: &SqlitePool, query: &ListQuery<'_>) -> sqlx::Result<(Vec<Item>, i64)> {
    const MATCHING: &str = "is_available = 1 AND (?1 IS NULL OR media_type = ?1)
        AND (?2 IS NULL OR title LIKE ?2 ESCAPE '\\' OR original_title LIKE ?2 ESCAPE '\\')";
    let pattern = query
        .search
        .map(str::trim)
        .filter(|words| !words.is_empty())
        .map(|words| format!("%{}%", escape_like(words)));
    let page = sqlx::query_as(&format!(
        "{SELECT_ITEM} WHERE {MATCHING} ORDER BY {} LIMIT ?3 OFFSET ?4",
        query.sort.order_by()
    ))
    .bind(query.media_type)
    .bind(&pattern)
    .bind(query.limit)
    .bind(query.offset)
    .fetch_all(pool)
    .await?;
    let total = sqlx::query_scalar(&format!(
        "SELECT count(*) FROM media_items WHERE {MATCHING}"
    ))
    .bind(query.media_type)
    .bind(&pattern)
    .fetch_one(pool)
    .await?;
    Ok((page, total))
}

/// `%` and `_` typed by the user are letters, not wildcards.
fn escape_like(words: &str) -> String {
    words
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

pub async fn get(pool: &SqlitePool, id: i64) -> sqlx::Result<Option<Item>> {
    sqlx::query_as(&format!("{SELECT_ITEM} WHERE id = ?1"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct EpisodeRow {
    #[serde(skip)]
    pub season_number: i64,
    pub episode_number: i64,
    pub name: String,
    pub air_date: Option<String>,
    pub runtime: Option<i64>,
    pub still_path: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SeasonRow {
    pub season_number: i64,
    pub name: String,
    pub air_date: Option<String>,
    pub poster_path: Option<String>,
    pub episodes: Vec<EpisodeRow>,
}

/// A show's seasons with their episodes, in order.
pub async fn seasons(pool: &SqlitePool, media_item_id: i64) -> sqlx::Result<Vec<SeasonRow>> {
    let seasons: Vec<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT season_number, name, air_date, poster_path FROM seasons
         WHERE media_item_id = ?1 ORDER BY season_number",
    )
    .bind(media_item_id)
    .fetch_all(pool)
    .await?;
    let mut episodes: Vec<EpisodeRow> = sqlx::query_as(
        "SELECT s.season_number, e.episode_number, e.name, e.air_date, e.runtime, e.still_path
         FROM episodes e JOIN seasons s ON s.id = e.season_id
         WHERE s.media_item_id = ?1 ORDER BY s.season_number, e.episode_number",
    )
    .bind(media_item_id)
    .fetch_all(pool)
    .await?;
    Ok(seasons
        .into_iter()
        .map(|(season_number, name, air_date, poster_path)| {
            let split = episodes.partition_point(|e| e.season_number == season_number);
            SeasonRow {
                season_number,
                name,
                air_date,
                poster_path,
                episodes: episodes.drain(..split).collect(),
            }
        })
        .collect())
}

/// What a search needs to know about a title.
#[derive(Debug, sqlx::FromRow)]
pub struct SearchSubject {
    pub media_type: String,
    pub title: String,
    pub original_title: String,
    /// JSON array.
    pub alternative_titles: String,
    pub year: Option<i64>,
    pub imdb_id: Option<String>,
    pub runtime: Option<i64>,
}

pub async fn search_subject(pool: &SqlitePool, id: i64) -> sqlx::Result<Option<SearchSubject>> {
    sqlx::query_as(
        "SELECT media_type, title, original_title, alternative_titles, year, imdb_id, runtime
         FROM media_items WHERE id = ?1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// Every episode of the title that has aired, as (season, episode, air date), in order.
pub async fn aired_episodes(
    pool: &SqlitePool,
    media_item_id: i64,
) -> sqlx::Result<Vec<(u32, u32, String)>> {
    sqlx::query_as(
        "SELECT s.season_number, e.episode_number, e.air_date
         FROM episodes e JOIN seasons s ON s.id = e.season_id
         WHERE s.media_item_id = ?1 AND e.air_date IS NOT NULL AND e.air_date <= date('now')
         ORDER BY s.season_number, e.episode_number",
    )
    .bind(media_item_id)
    .fetch_all(pool)
    .await
}

/// The title has something to play.
pub async fn set_available(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE media_items SET is_available = 1 WHERE id = ?1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
