//! The metadata step: the title's details from TMDb into the library. Fetching again
//! updates in place, so a retry or a restart mid-step leaves no duplicates; a second request
//! for a show fetches only the seasons the library lacks.

use chrono::Utc;

use super::{Completed, Pipeline, StepError};
use crate::clients::tmdb::types::year;
use crate::clients::tmdb::{Season, Show, TmdbError};
use crate::config::{SettingKey, Settings};
use crate::db;
use crate::db::jobs::Claimed;
use crate::db::library::{Details, EpisodeDetails, SeasonDetails};
use crate::db::requests::Work;
use crate::domain::RequestState;

/// Details fetched this recently are not fetched again (a second request for a title, a retry).
const FRESH_FOR_HOURS: i64 = 12;

pub async fn fetch(pipeline: &Pipeline, job: &Claimed) -> Result<Completed, StepError> {
    let request_id = job.request_id;
    let inner = &pipeline.inner;
    let work = db::requests::work(&inner.db, request_id)
        .await?
        .ok_or_else(|| StepError::Permanent {
            reason: "The request was deleted".into(),
        })?;
    pipeline
        .transition(
            request_id,
            RequestState::Metadata,
            "Fetching details from TMDb",
            None,
        )
        .await?;
    let settings = inner.settings.current();
    let found = match work.media_type.as_str() {
        "movie" => movie(pipeline, &settings, &work).await?,
        _ => show(pipeline, &settings, &work).await?,
    };
    Ok(Completed {
        state: RequestState::Searching,
        message: format!("Found on TMDb: {found}"),
        next: Some(super::SEARCH),
    })
}

async fn movie(pipeline: &Pipeline, settings: &Settings, work: &Work) -> Result<String, StepError> {
    let inner = &pipeline.inner;
    let cached = db::library::fresh(&inner.db, "movie", work.tmdb_id, FRESH_FOR_HOURS).await?;
    if let Some((item_id, title, year)) = cached {
        db::requests::link_media_item(&inner.db, work.id, item_id).await?;
        return Ok(format!(
            "{} (already in the library)",
            with_year(&title, year)
        ));
    }
    let movie = inner
        .tmdb
        .movie(settings, work.tmdb_id)
        .await
        .map_err(|error| step_error(&error, &format!("movie {}", work.tmdb_id)))?;
    let year = year(movie.release_date.as_deref());
    let details = Details {
        media_type: "movie",
        tmdb_id: movie.id,
        title: &movie.title,
        original_title: &movie.original_title,
        year,
        overview: &movie.overview,
        runtime: movie.runtime,
        genres: movie
            .genres
            .iter()
            .map(|genre| genre.name.as_str())
            .collect(),
        rating: movie.vote_average,
        poster_path: movie.poster_path.as_deref(),
        backdrop_path: movie.backdrop_path.as_deref(),
        imdb_id: movie
            .imdb_id
            .as_deref()
            .or(movie.external_ids.imdb_id.as_deref()),
        tvdb_id: None,
        alternative_titles: movie.alternative_titles.names(),
    };
    let mut tx = db::begin_write(&inner.db).await?;
    let (item_id, added) = db::library::upsert_item(&mut tx, &details).await?;
    db::requests::link_media_item(&mut *tx, work.id, item_id).await?;
    tx.commit().await?;
    if added {
        tracing::info!("Added movie: {} (TMDb ID: {})", movie.title, movie.id);
    }
    Ok(with_year(&movie.title, year))
}

async fn show(pipeline: &Pipeline, settings: &Settings, work: &Work) -> Result<String, StepError> {
    let inner = &pipeline.inner;
    let what = format!("show {}", work.tmdb_id);
    let show = inner
        .tmdb
        .show(settings, work.tmdb_id)
        .await
        .map_err(|error| step_error(&error, &what))?;
    let wanted = wanted_seasons(&show, work.requested_seasons.as_deref());

    let existing: Option<i64> =
        sqlx::query_scalar("SELECT id FROM media_items WHERE media_type = 'tv' AND tmdb_id = ?1")
            .bind(show.id)
            .fetch_optional(&inner.db)
            .await?;
    let known = match existing {
        Some(item_id) => db::library::seasons_with_episodes(&inner.db, item_id).await?,
        None => Vec::new(),
    };
    // Everything is fetched before anything is written: a failure halfway stores nothing.
    let mut seasons = Vec::new();
    let mut missing = Vec::new();
    for &number in wanted.iter().filter(|number| !known.contains(number)) {
        match inner.tmdb.season(settings, show.id, number).await {
            Ok(season) => seasons.push(season),
            Err(TmdbError::NotFound) => missing.push(number),
            Err(error) => return Err(step_error(&error, &format!("{what} season {number}"))),
        }
    }

    let year = year(show.first_air_date.as_deref());
    let details = Details {
        media_type: "tv",
        tmdb_id: show.id,
        title: &show.name,
        original_title: &show.original_name,
        year,
        overview: &show.overview,
        runtime: show.episode_run_time.first().copied(),
        genres: show
            .genres
            .iter()
            .map(|genre| genre.name.as_str())
            .collect(),
        rating: show.vote_average,
        poster_path: show.poster_path.as_deref(),
        backdrop_path: show.backdrop_path.as_deref(),
        imdb_id: show.external_ids.imdb_id.as_deref(),
        tvdb_id: show.external_ids.tvdb_id,
        alternative_titles: show.alternative_titles.names(),
    };
    let mut tx = db::begin_write(&inner.db).await?;
    let (item_id, added) = db::library::upsert_item(&mut tx, &details).await?;
    for season in &seasons {
        store_season(&mut tx, item_id, season).await?;
    }
    db::requests::link_media_item(&mut *tx, work.id, item_id).await?;
    tx.commit().await?;
    if added {
        tracing::info!("Added show: {} (TMDb ID: {})", show.name, show.id);
    }

    let mut found = with_year(&show.name, year);
    let episodes: usize = seasons.iter().map(|season| season.episodes.len()).sum();
    if !wanted.is_empty() {
        found.push_str(&format!(
            ", {} ({episodes} new episodes)",
            season_list(&wanted)
        ));
    }
    if !missing.is_empty() {
        found.push_str(&format!("; TMDb has no {}", season_list(&missing)));
    }
    Ok(found)
}

async fn store_season(
    tx: &mut sqlx::SqliteConnection,
    item_id: i64,
    season: &Season,
) -> sqlx::Result<()> {
    let details = SeasonDetails {
        number: season.season_number,
        name: &season.name,
        air_date: season.air_date.as_deref(),
        poster_path: season.poster_path.as_deref(),
    };
    let season_id = db::library::upsert_season(&mut *tx, item_id, &details).await?;
    for episode in &season.episodes {
        let details = EpisodeDetails {
            number: episode.episode_number,
            name: &episode.name,
            air_date: episode.air_date.as_deref(),
            runtime: episode.runtime,
            still_path: episode.still_path.as_deref(),
        };
        db::library::upsert_episode(&mut *tx, season_id, &details).await?;
    }
    Ok(())
}

/// The seasons asked for; without a list, every season that has aired (specials only when
/// asked for by number).
fn wanted_seasons(show: &Show, requested: Option<&str>) -> Vec<u32> {
    if let Some(list) = requested.and_then(|json| serde_json::from_str::<Vec<u32>>(json).ok()) {
        return list;
    }
    let today = Utc::now().format("%Y-%m-%d").to_string();
    let mut aired: Vec<u32> = show
        .seasons
        .iter()
        .filter(|season| season.season_number > 0)
        .filter(|season| {
            season
                .air_date
                .as_deref()
                .is_some_and(|date| *date <= *today)
        })
        .map(|season| season.season_number)
        .collect();
    aired.sort_unstable();
    aired
}

fn season_list(numbers: &[u32]) -> String {
    let list: Vec<String> = numbers.iter().map(u32::to_string).collect();
    match numbers.len() {
        1 => format!("season {}", list[0]),
        _ => format!("seasons {}", list.join(", ")),
    }
}

fn with_year(title: &str, year: Option<i64>) -> String {
    match year {
        Some(year) => format!("{title} ({year})"),
        None => title.to_owned(),
    }
}

/// What each TMDb failure means for the request.
fn step_error(error: &TmdbError, what: &str) -> StepError {
    match error {
        TmdbError::MissingKey => StepError::Blocked {
            setting: SettingKey::TmdbKey,
            reason: "Waiting for a TMDb key: add yours in Settings".into(),
        },
        TmdbError::MalformedKey | TmdbError::KeyRejected => StepError::Blocked {
            setting: SettingKey::TmdbKey,
            reason: format!("{error}: check it in Settings; the request resumes once it is saved"),
        },
        TmdbError::NotFound => StepError::Permanent {
            reason: format!("TMDb has no {what}"),
        },
        TmdbError::RateLimited { retry_after } => StepError::Transient {
            reason: error.to_string(),
            retry_after: *retry_after,
        },
        TmdbError::Unavailable(_) | TmdbError::Network(_) | TmdbError::Unexpected(_) => {
            StepError::Transient {
                reason: error.to_string(),
                retry_after: None,
            }
        }
    }
}
