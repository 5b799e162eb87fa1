//! `/api/v1/library`: the titles Linkarr has, with their seasons and episodes.

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::Json;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::ApiError;
use super::open_here::open_for;
use super::paging::{Page, Paging};
use crate::clients::tmdb::{BACKDROP_SIZE, POSTER_SIZE, image_url};
use crate::db::library::{Item, ListQuery, SeasonRow, Sort};
use crate::db::{self, files::File};
use crate::library;
use crate::pipeline::RepairError;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct Filter {
    media_type: Option<String>,
    /// Words in the title.
    q: Option<String>,
    /// `added` (the default), `title`, `year` or `rating`.
    sort: Option<String>,
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
    /// The streams: one per movie or episode.
    files: Vec<FileView>,
}

#[derive(Debug, Serialize)]
pub struct FileView {
    #[serde(flatten)]
    file: File,
    /// Hand this to a player: it resolves at play time.
    play_url: String,
}

/// `GET /api/v1/library?media_type=movie&q=matrix&sort=added|title|year|rating&limit=50&offset=0`:
/// the titles ready to stream.
pub async fn list(
    State(state): State<AppState>,
    Query(filter): Query<Filter>,
    Query(paging): Query<Paging>,
) -> Result<Json<Page<Title>>, ApiError> {
    let (limit, offset) = (paging.limit(), paging.offset());
    let query = ListQuery {
        media_type: filter.media_type.as_deref(),
        search: filter.q.as_deref(),
        sort: match filter.sort.as_deref() {
            None | Some("added") => Sort::Added,
            Some("title") => Sort::Title,
            Some("year") => Sort::Year,
            Some("rating") => Sort::Rating,
            Some(_) => {
                return Err(ApiError::BadRequest(
                    "sort: expected added, title, year or rating".into(),
                ));
            }
        },
        limit,
        offset,
    };
    let (items, total) = db::library::list(&state.db, &query).await?;
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
    let files = db::files::of_item(&state.db, id)
        .await?
        .into_iter()
        .map(|file| FileView {
            play_url: state.play_url(&file.play_token),
            file,
        })
        .collect();
    let base = state.tmdb.image_base(&state.settings.current()).await;
    Ok(Json(TitleDetail {
        title: with_images(item, &base),
        seasons,
        files,
    }))
}

/// `POST /api/v1/library/files/{id}/open`: plays the file in this machine's default player.
pub async fn open_file(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    client: ConnectInfo<SocketAddr>,
) -> Result<StatusCode, ApiError> {
    let file = db::files::by_id(&state.db, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    // The local address: the player runs here.
    let url = format!("{}/play/{}", state.local_url(), file.play_token);
    open_for(client, &url)?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/library/playlist.m3u`: every stream, for a player that takes playlists.
pub async fn playlist(State(state): State<AppState>) -> Result<Response, ApiError> {
    let files = db::files::playable(&state.db).await?;
    let body = library::m3u(&files, |file| state.play_url(&file.play_token));
    Ok((
        [
            (header::CONTENT_TYPE, "audio/x-mpegurl; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"linkarr.m3u\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// `POST /api/v1/library/repair`: check the library's torrents on Real-Debrid now (it is
/// also done every few hours); broken streams are repaired in the background.
pub async fn repair(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    let repairing = state.pipeline.repair().await.map_err(|error| match error {
        RepairError::Database(error) => error.into(),
        RepairError::RealDebrid(error) => ApiError::BadGateway(error.to_string()),
    })?;
    Ok(Json(serde_json::json!({ "repairing": repairing })))
}

#[derive(Debug, Deserialize)]
pub struct Export {
    folder: PathBuf,
}

/// `POST /api/v1/library/export` with `{"folder": "/media/linkarr"}`: a `.strm` file per
/// stream, in the layout Jellyfin, Emby and Kodi read; stale ones are removed.
pub async fn export(
    State(state): State<AppState>,
    Json(export): Json<Export>,
) -> Result<Json<serde_json::Value>, ApiError> {
    if !export.folder.is_absolute() {
        return Err(ApiError::Unprocessable("folder: give a full path".into()));
    }
    let files = db::files::playable(&state.db).await?;
    let folder = export.folder.clone();
    let exported = tokio::task::spawn_blocking(move || {
        library::export_strm(&folder, &files, |file| state.play_url(&file.play_token))
    })
    .await
    .map_err(|error| ApiError::Internal(error.into()))?
    .map_err(|error| {
        ApiError::Unprocessable(format!(
            "Could not write to {}: {error}",
            export.folder.display()
        ))
    })?;
    Ok(Json(serde_json::json!({
        "folder": export.folder,
        "written": exported.written,
        "removed": exported.removed,
    })))
}

fn with_images(item: Item, base: &str) -> Title {
    Title {
        poster_url: image_url(base, POSTER_SIZE, item.poster_path.as_deref()),
        backdrop_url: image_url(base, BACKDROP_SIZE, item.backdrop_path.as_deref()),
        item,
    }
}
