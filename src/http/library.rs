//! `/api/v1/library`: the titles Linkarr has, with their seasons and episodes.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};

use super::ApiError;
use super::paging::{Page, Paging};
use crate::clients::tmdb::{BACKDROP_SIZE, POSTER_SIZE, image_url};
use crate::db::{self, library::Item, library::SeasonRow};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct Filter {
    media_type: Option<String>,
}

/// A title with ready-to-use image URLs (the library stores TMDb's paths).
#[derive(Debug, Serialize)]
pub struct Title {
    #[serde(flatten)]
    item: Item,
    poster_url: Option<String>,
    backdrop_url: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct TitleDetail {
    #[serde(flatten)]
    title: Title,
    /// Shows only: seasons with their episodes, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    seasons: Vec<SeasonRow>,
}

/// `GET /api/v1/library?media_type=movie&limit=50&offset=0`, newest first.
pub async fn list(
    State(state): State<AppState>,
    Query(filter): Query<Filter>,
    Query(paging): Query<Paging>,
) -> Result<Json<Page<Title>>, ApiError> {
    let (limit, offset) = (paging.limit(), paging.offset());
    let (items, total) =
        db::library::list(&state.db, filter.media_type.as_deref(), limit, offset).await?;
    let base = state.tmdb.image_base(&state.settings.current()).await;
    let items = items
        .into_iter()
        .map(|item| with_images(item, &base))
        .collect();
    Ok(Json(Page {
        total,
        limit,
        offset,
        items,
    }))
}

/// `GET /api/v1/library/{id}`.
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<TitleDetail>, ApiError> {
    let item = db::library::get(&state.db, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let seasons = db::library::seasons(&state.db, id).await?;
    let base = state.tmdb.image_base(&state.settings.current()).await;
    Ok(Json(TitleDetail {
        title: with_images(item, &base),
        seasons,
    }))
}

fn with_images(item: Item, base: &str) -> Title {
    Title {
        poster_url: image_url(base, POSTER_SIZE, item.poster_path.as_deref()),
        backdrop_url: image_url(base, BACKDROP_SIZE, item.backdrop_path.as_deref()),
        item,
    }
}
