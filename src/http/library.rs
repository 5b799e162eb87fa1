//! `/api/v1/library`: the titles Linkarr has, with their seasons and episodes.

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::Json;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::open_here::open_for;
use super::paging::{Page, Paging};
use super::{ApiError, ErrorBody};
use crate::clients::tmdb::{BACKDROP_SIZE, POSTER_SIZE, image_url};
use crate::db::library::{Item, ListQuery, SeasonRow, Sort};
use crate::db::{self, files::File};
use crate::domain::MediaType;
use crate::library;
use crate::pipeline::RepairError;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Filter {
    #[param(value_type = Option<MediaType>)]
    media_type: Option<String>,
    /// Words in the title.
    q: Option<String>,
    /// `added` (the default), `title`, `year` or `rating`.
    #[param(value_type = Option<LibrarySort>)]
    sort: Option<String>,
}

/// The library's orders: newest added, title, newest release, best rated.
// Named only in the API's description: `list` reads the text, to answer a typo in words.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum LibrarySort {
    Added,
    Title,
    Year,
    Rating,
}

/// A title with ready-to-use image URLs (the library stores TMDb's paths).
#[derive(Debug, Serialize, ToSchema)]
pub struct Title {
    #[serde(flatten)]
    item: Item,
    #[schema(required)]
    poster_url: Option<String>,
    #[schema(required)]
    backdrop_url: Option<String>,
}

/// A title with its seasons and its streams.
#[derive(Debug, Serialize, ToSchema)]
pub struct TitleDetail {
    #[serde(flatten)]
    title: Title,
    /// Shows only: seasons with their episodes, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    seasons: Vec<SeasonRow>,
    /// The streams: one per movie or episode.
    files: Vec<FileView>,
}

/// A stream, with the URL to play it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FileView {
    #[serde(flatten)]
    file: File,
    /// Hand this to a player: it resolves at play time.
    play_url: String,
}

/// `GET /api/v1/library?media_type=movie&q=matrix&sort=added|title|year|rating&limit=50&offset=0`:
/// the titles ready to stream.
#[utoipa::path(
    get,
    path = "/api/v1/library",
    operation_id = "listLibrary",
    tag = "library",
    params(Filter, Paging),
    responses(
        (status = 200, body = Page<Title>),
        (status = 400, description = "Unknown sort", body = ErrorBody),
    ),
    security(("api_key" = []), ("session" = []))
)]
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
#[utoipa::path(
    get,
    path = "/api/v1/library/{id}",
    operation_id = "getTitle",
    tag = "library",
    params(("id" = i64, Path, description = "The title's id")),
    responses(
        (status = 200, body = TitleDetail),
        (status = 404, description = "No such title", body = ErrorBody),
    ),
    security(("api_key" = []), ("session" = []))
)]
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
#[utoipa::path(
    post,
    path = "/api/v1/library/files/{id}/open",
    operation_id = "openFile",
    tag = "library",
    params(("id" = i64, Path, description = "The file's id")),
    responses(
        (status = 204, description = "The player was started"),
        (status = 403, description = "The caller is not on this machine", body = ErrorBody),
        (status = 404, description = "No such file", body = ErrorBody),
        (status = 503, description = "This machine could not open it", body = ErrorBody),
    ),
    security(("api_key" = []), ("session" = []))
)]
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
#[utoipa::path(
    get,
    path = "/api/v1/library/playlist.m3u",
    operation_id = "getPlaylist",
    tag = "library",
    responses((
        status = 200,
        description = "An M3U playlist, as a download",
        content_type = "audio/x-mpegurl",
        body = String,
    )),
    security(("api_key" = []), ("session" = []), ("token_query" = []))
)]
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
#[utoipa::path(
    post,
    path = "/api/v1/library/repair",
    operation_id = "repairLibrary",
    tag = "library",
    responses(
        (status = 200, body = RepairResult),
        (status = 502, description = "Real-Debrid could not be asked", body = ErrorBody),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub async fn repair(State(state): State<AppState>) -> Result<Json<RepairResult>, ApiError> {
    let repairing = state.pipeline.repair().await.map_err(|error| match error {
        RepairError::Database(error) => error.into(),
        RepairError::RealDebrid(error) => ApiError::BadGateway(error.to_string()),
    })?;
    Ok(Json(RepairResult { repairing }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RepairResult {
    /// How many requests were sent back to be repaired.
    repairing: usize,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Export {
    /// A full path on the machine running Linkarr.
    #[schema(value_type = String)]
    folder: PathBuf,
}

/// What the export wrote.
// Fields by name, the order `json!` wrote them in before.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportResult {
    /// The folder written to.
    #[schema(value_type = String)]
    folder: PathBuf,
    /// Stale `.strm` files removed.
    removed: usize,
    /// `.strm` files written.
    written: usize,
}

/// `POST /api/v1/library/export` with `{"folder": "/media/linkarr"}`: a `.strm` file per
/// stream, in the layout Jellyfin, Emby and Kodi read; stale ones are removed.
#[utoipa::path(
    post,
    path = "/api/v1/library/export",
    operation_id = "exportLibrary",
    tag = "library",
    request_body = Export,
    responses(
        (status = 200, body = ExportResult),
        (status = 422, description = "Not a full path, or not writable", body = ErrorBody),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub async fn export(
    State(state): State<AppState>,
    Json(export): Json<Export>,
) -> Result<Json<ExportResult>, ApiError> {
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
    Ok(Json(ExportResult {
        folder: export.folder,
        removed: exported.removed,
        written: exported.written,
    }))
}

fn with_images(item: Item, base: &str) -> Title {
    Title {
        poster_url: image_url(base, POSTER_SIZE, item.poster_path.as_deref()),
        backdrop_url: image_url(base, BACKDROP_SIZE, item.backdrop_path.as_deref()),
        item,
    }
}
