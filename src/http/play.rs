//! `GET /play/{token}`: late-bound playback. The library keeps Real-Debrid's restricted link;
//! here it becomes a direct URL (`/unrestrict/link`) at play time, cached for a while and
//! checked before reuse, and the player is redirected to it. The token in the path is the
//! file's own, unguessable: a play URL works on any device without the management token.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::{ApiError, ErrorBody};
use crate::clients::realdebrid::RdError;
use crate::db;
use crate::state::AppState;

/// RD's direct URLs last a day or more; resolve again well before.
const KEEP: Duration = Duration::from_secs(6 * 3600);

/// Direct URLs by library file: (URL, when it was resolved).
#[derive(Clone, Debug, Default)]
pub struct PlayLinks(Arc<Mutex<HashMap<i64, (String, Instant)>>>);

impl PlayLinks {
    fn get(&self, file: i64) -> Option<(String, Instant)> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&file)
            .cloned()
    }

    fn put(&self, file: i64, url: &str) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(file, (url.to_owned(), Instant::now()));
    }
}

/// `GET /play/{token}`: plays a library file. Hand this URL to any player: it is redirected
/// to Real-Debrid's direct link, resolved now.
#[utoipa::path(
    get,
    path = "/play/{token}",
    operation_id = "play",
    tag = "library",
    params(("token" = String, Path, description = "The file's play token (from its `play_url`)")),
    responses(
        (
            status = 307,
            description = "To the stream",
            headers(("Location" = String, description = "Real-Debrid's direct link")),
        ),
        (status = 404, description = "No file has this token", body = ErrorBody),
        (status = 500, description = "The library could not be read", body = ErrorBody),
        (status = 502, description = "Real-Debrid would not give a link", body = ErrorBody),
        (status = 503, description = "The file is broken and being repaired", body = ErrorBody),
    ),
    security(())
)]
pub async fn play(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, ApiError> {
    let file = db::files::by_token(&state.db, &token)
        .await?
        .ok_or(ApiError::NotFound)?;
    if let Some(reason) = &file.broken {
        return Err(ApiError::Unavailable(format!(
            "{reason}; Linkarr is repairing it"
        )));
    }
    // Checked before reuse: RD expires them, and a player given a dead URL just fails.
    if let Some((url, at)) = state.play_links.get(file.id)
        && at.elapsed() < KEEP
        && state.rd.link_works(&url).await
    {
        return Ok(Redirect::temporary(&url).into_response());
    }
    let settings = state.settings.current();
    match state.rd.unrestrict(&settings, &file.restricted_link).await {
        Ok(url) => {
            state.play_links.put(file.id, &url);
            Ok(Redirect::temporary(&url).into_response())
        }
        Err(error @ (RdError::FileUnavailable | RdError::NotFound | RdError::Infringing)) => {
            let reason = format!("Real-Debrid no longer serves {} ({error})", file.path);
            // In the background: the player gets its answer now.
            let pipeline = state.pipeline.clone();
            let (torrent, why) = (file.rd_torrent_id.clone(), reason.clone());
            tokio::spawn(async move {
                if let Err(error) = pipeline.repair_torrent(&torrent, &why).await {
                    tracing::warn!("Could not repair torrent {torrent}: {error}");
                }
            });
            Err(ApiError::BadGateway(format!(
                "{reason}; Linkarr is repairing it"
            )))
        }
        Err(error) => Err(ApiError::BadGateway(format!(
            "Could not get a link to play: {error}"
        ))),
    }
}
