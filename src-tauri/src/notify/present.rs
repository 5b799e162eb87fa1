//! From news to notifications: the titles, the release and the poster, read from the core
//! once a burst window has closed (not per event, so a burst of twenty reads three names).

use linkarr::db;
use linkarr::state::AppState;

use super::burst::Show;
use super::desktop::Note;
use super::news::Kind;
use super::poster::Posters;
use super::text::{self, Offer};

/// A request's news, as the event told it.
#[derive(Debug)]
pub struct Pending {
    pub request_id: i64,
    /// The event's message: the reason it needs attention, or the release it streams from.
    pub message: String,
}

/// What to show for `show`; None when its request is gone (deleted meanwhile).
pub async fn note(state: &AppState, posters: &Posters, show: Show<Pending>) -> Option<Note> {
    match show {
        Show::One(kind, pending) => one(state, posters, kind, &pending).await,
        Show::Summary(kind, pendings) => Some(summary(state, kind, &pendings).await),
    }
}

async fn one(state: &AppState, posters: &Posters, kind: Kind, pending: &Pending) -> Option<Note> {
    let request = match db::requests::get(&state.db, pending.request_id).await {
        Ok(request) => request?,
        Err(error) => {
            tracing::warn!(
                "Could not read request {} to notify: {error}",
                pending.request_id
            );
            return None;
        }
    };
    let name = text::name(&request.title, request.year);
    let text = match kind {
        Kind::Ready => {
            let detail = ready_detail(state, pending, request.media_item_id).await;
            text::ready(&name, &detail, request.id, request.media_item_id)
        }
        Kind::Attention => text::attention(&name, &pending.message, request.id),
    };
    let image = match request.poster_path.as_deref() {
        Some(poster_path) => {
            let base = state.tmdb.image_base(&state.settings.current()).await;
            posters.get(&base, poster_path).await
        }
        None => None,
    };
    Some(Note { kind, text, image })
}

/// "1080p BluRay, from Torrentio": the release in the ready message, as the search found it.
/// A request ready with nothing new (all of it already in the library) names no release:
/// then what the library streams.
async fn ready_detail(state: &AppState, pending: &Pending, media_item_id: Option<i64>) -> String {
    let Some(release) = text::release_in(&pending.message) else {
        return match media_item_id {
            Some(item) => library_grade(state, item).await.unwrap_or_default(),
            None => String::new(),
        };
    };
    let candidates = db::candidates::list(&state.db, pending.request_id)
        .await
        .unwrap_or_default();
    let offers: Vec<Offer<'_>> = candidates
        .iter()
        .map(|candidate| Offer {
            title: &candidate.title,
            resolution: candidate.resolution.as_deref(),
            quality: candidate.quality.as_deref(),
            sources: serde_json::from_str(&candidate.sources).unwrap_or_default(),
        })
        .collect();
    text::release_detail(release, &offers)
}

async fn library_grade(state: &AppState, media_item_id: i64) -> Option<String> {
    let files = db::files::of_item(&state.db, media_item_id).await.ok()?;
    let playing = files.iter().find(|file| file.broken.is_none())?;
    text::grade(playing.resolution.as_deref(), playing.quality.as_deref())
}

async fn summary(state: &AppState, kind: Kind, pendings: &[Pending]) -> Note {
    let mut first = Vec::new();
    for pending in pendings {
        if first.len() == text::NAMED_IN_SUMMARY {
            break;
        }
        if let Ok(Some(request)) = db::requests::get(&state.db, pending.request_id).await {
            // A title asked for twice (HD and 4K) is named once.
            let name = text::name(&request.title, request.year);
            if !first.contains(&name) {
                first.push(name);
            }
        }
    }
    let shared_reason = match kind {
        Kind::Ready => None,
        Kind::Attention => pendings
            .split_first()
            .filter(|(head, rest)| rest.iter().all(|other| other.message == head.message))
            .map(|(head, _)| head.message.as_str()),
    };
    Note {
        kind,
        text: text::summary(kind, pendings.len(), &first, shared_reason),
        image: None,
    }
}
