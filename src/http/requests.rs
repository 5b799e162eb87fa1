//! `/api/v1/requests`: what came in, where each stands, its story, and the user's actions.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::ApiError;
use super::paging::{Page, Paging};
use crate::clients::tmdb::{POSTER_SIZE, image_url};
use crate::db::{self, candidates::Candidate, events::HistoryEntry, requests::Request};
use crate::pipeline::{ActionError, Restart};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct Filter {
    state: Option<String>,
}

/// A request with its poster's URL (the library stores TMDb's path).
#[derive(Debug, Serialize)]
pub struct RequestView {
    #[serde(flatten)]
    request: Request,
    poster_url: Option<String>,
}

/// `GET /api/v1/requests?state=waiting&limit=50&offset=0`, newest first.
pub async fn list(
    State(state): State<AppState>,
    Query(filter): Query<Filter>,
    Query(paging): Query<Paging>,
) -> Result<Json<Page<RequestView>>, ApiError> {
    let (limit, offset) = (paging.limit(), paging.offset());
    let (items, total) =
        db::requests::list(&state.db, filter.state.as_deref(), limit, offset).await?;
    Ok(Json(Page {
        total,
        limit,
        offset,
        items: views(&state, items).await,
    }))
}

#[derive(Debug, Serialize)]
pub struct Detail {
    #[serde(flatten)]
    request: RequestView,
    /// Every state change, oldest first.
    history: Vec<HistoryEntry>,
}

/// `GET /api/v1/requests/{id}`: the request and its whole history.
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<Detail>, ApiError> {
    let Json(request) = current(&state, id).await?;
    let history = db::events::history(&state.db, id).await?;
    Ok(Json(Detail { request, history }))
}

/// `POST /api/v1/requests/{id}/retry`: try the step it stopped at again, now.
pub async fn retry(state: State<AppState>, id: Path<i64>) -> Result<Json<RequestView>, ApiError> {
    restart(state, id, Restart::LastStep, "Retrying, as you asked").await
}

/// `POST /api/v1/requests/{id}/research`: search for releases again, now.
pub async fn research(
    state: State<AppState>,
    id: Path<i64>,
) -> Result<Json<RequestView>, ApiError> {
    restart(state, id, Restart::Search, "Searching again, as you asked").await
}

async fn restart(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    from: Restart,
    why: &str,
) -> Result<Json<RequestView>, ApiError> {
    state
        .pipeline
        .restart(id, from, why)
        .await
        .map_err(action_error)?;
    current(&state, id).await
}

/// `GET /api/v1/requests/{id}/candidates`: what the last search found, the ones to try first,
/// then the rejected ones with the reason.
pub async fn candidates(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Candidate>>, ApiError> {
    db::requests::get(&state.db, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(db::candidates::list(&state.db, id).await?))
}

/// `POST /api/v1/requests/{id}/cancel`.
pub async fn cancel(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<RequestView>, ApiError> {
    state.pipeline.cancel(id).await.map_err(action_error)?;
    current(&state, id).await
}

/// `DELETE /api/v1/requests/{id}`: forget it (the library keeps what it brought).
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state.pipeline.delete(id).await.map_err(action_error)?;
    Ok(StatusCode::NO_CONTENT)
}

async fn current(state: &AppState, id: i64) -> Result<Json<RequestView>, ApiError> {
    let request = db::requests::get(&state.db, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let mut views = views(state, vec![request]).await;
    Ok(Json(views.remove(0)))
}

async fn views(state: &AppState, requests: Vec<Request>) -> Vec<RequestView> {
    let base = state.tmdb.image_base(&state.settings.current()).await;
    requests
        .into_iter()
        .map(|request| RequestView {
            poster_url: image_url(&base, POSTER_SIZE, request.poster_path.as_deref()),
            request,
        })
        .collect()
}

fn action_error(error: ActionError) -> ApiError {
    match error {
        ActionError::NoSuchRequest(_) => ApiError::NotFound,
        ActionError::Database(error) => error.into(),
    }
}
