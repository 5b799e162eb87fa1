//! `/api/v1/logs`: the recent log lines and their live tail, for the Logs view.

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::StatusCode;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::{Stream, StreamExt};
use serde::{Deserialize, Serialize};
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;

use super::ApiError;
use super::open_here::open_for;
use crate::state::AppState;
use crate::telemetry::{LogLine, recent};

const DEFAULT_LINES: usize = 500;

#[derive(Debug, Deserialize)]
pub struct Limit {
    limit: Option<usize>,
}

#[derive(Debug, Serialize)]
pub struct Logs {
    /// Oldest first.
    lines: Vec<LogLine>,
    /// Where the daily log files are (a week of them).
    folder: String,
}

/// `GET /api/v1/logs?limit=500`.
pub async fn get(State(state): State<AppState>, Query(limit): Query<Limit>) -> Json<Logs> {
    Json(Logs {
        lines: recent().last(limit.limit.unwrap_or(DEFAULT_LINES)),
        folder: state.log_dir().display().to_string(),
    })
}

/// `GET /api/v1/logs/stream`: each new line as `event: log`; `event: lagged` when some were
/// missed.
pub async fn stream(
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let lines = BroadcastStream::new(recent().subscribe())
        .map(|line| {
            Ok(match line {
                Ok(line) => SseEvent::default()
                    .event("log")
                    .json_data(&line)
                    .unwrap_or_else(|_| SseEvent::default().comment("unserialisable line")),
                Err(BroadcastStreamRecvError::Lagged(missed)) => {
                    SseEvent::default().event("lagged").data(missed.to_string())
                }
            })
        })
        .take_until(state.shutdown.cancelled_owned());
    Sse::new(lines).keep_alive(KeepAlive::default())
}

/// `POST /api/v1/logs/open`: shows the log folder in the file manager.
pub async fn open_folder(
    State(state): State<AppState>,
    client: ConnectInfo<SocketAddr>,
) -> Result<StatusCode, ApiError> {
    let folder = state.log_dir();
    std::fs::create_dir_all(&folder)
        .map_err(|error| ApiError::Unavailable(format!("No log folder: {error}")))?;
    open_for(client, &folder.display().to_string())?;
    Ok(StatusCode::NO_CONTENT)
}
