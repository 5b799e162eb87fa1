//! Closing the loop, when the user turned it on: tell Overseerr a request is available once
//! its streams are ready. Overseerr then sends a MEDIA_AVAILABLE webhook (Linkarr ignores it),
//! and its own availability sync may undo the mark if no media server has the title.

use super::Pipeline;
use crate::config::Settings;
use crate::db::requests::Work;
use crate::domain::ranking::Wanted;

/// A note for the request's story when something is worth saying.
pub async fn tell_overseerr(
    pipeline: &Pipeline,
    settings: &Settings,
    work: &Work,
    wanted: &Wanted,
) -> Option<String> {
    if !settings.overseerr_mark_available {
        return None;
    }
    let (Some(url), Some(key), Some(request_id)) = (
        settings.overseerr_url.as_deref(),
        settings.overseerr_key.as_ref(),
        work.overseerr_request_id,
    ) else {
        return Some("not marked available in Overseerr: its address or key is not set".into());
    };
    let seasons: Vec<u32> = wanted.seasons.keys().copied().collect();
    match pipeline
        .inner
        .overseerr
        .mark_available(url, key, request_id, work.is_4k, &seasons)
        .await
    {
        Ok(()) => Some("marked available in Overseerr".into()),
        Err(error) => {
            tracing::warn!("Could not mark request {request_id} available in Overseerr: {error}");
            Some(format!("not marked available in Overseerr: {error}"))
        }
    }
}
