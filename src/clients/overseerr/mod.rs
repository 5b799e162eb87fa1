//! The catch-up sync's reads from Overseerr (and Jellyseerr, the same API): approved requests
//! whose media is not yet available. `filter=processing` means exactly that on every version
//! (on Overseerr 1.34 `approved` also lists everything ever delivered).

use std::collections::HashSet;

use reqwest::StatusCode;
use serde::Deserialize;

use super::http_client;
use crate::config::Secret;
use crate::domain::{MediaRequest, MediaType};

mod webhook_agent;

pub use webhook_agent::{DEFAULT_TEMPLATE, LINKARR_TYPES, WebhookAgent};

/// Requests per page; Overseerr sets no maximum.
const PAGE_SIZE: u64 = 50;
/// Far beyond any home server: stops a misbehaving server from paging forever.
const MAX_PAGES: u64 = 1000;
/// Overseerr's request status "approved".
const APPROVED: i64 = 2;

#[derive(Debug, thiserror::Error)]
pub enum OverseerrError {
    #[error("Overseerr rejected the API key (HTTP {0})")]
    KeyRejected(StatusCode),
    #[error("could not reach Overseerr: {0}")]
    Unreachable(String),
    #[error("Overseerr answered HTTP {0}")]
    Status(StatusCode),
    #[error("Overseerr sent something unexpected: {0}")]
    Unexpected(String),
}

#[derive(Clone, Debug)]
pub struct OverseerrClient {
    http: reqwest::Client,
}

#[derive(Deserialize)]
struct Page {
    #[serde(rename = "pageInfo")]
    page_info: PageInfo,
    results: Vec<Request>,
}

#[derive(Deserialize)]
struct PageInfo {
    results: u64,
}

#[derive(Deserialize)]
struct Request {
    id: i64,
    status: i64,
    #[serde(rename = "type")]
    media_type: String,
    #[serde(rename = "is4k", default)]
    is_4k: bool,
    media: Media,
    #[serde(default)]
    seasons: Vec<SeasonRequest>,
    #[serde(rename = "requestedBy")]
    requested_by: Option<User>,
}

#[derive(Deserialize)]
struct Media {
    /// Overseerr's own id of the title, which its media routes take.
    #[serde(default)]
    id: Option<i64>,
    #[serde(rename = "tmdbId")]
    tmdb_id: i64,
    #[serde(rename = "tvdbId")]
    tvdb_id: Option<i64>,
}

#[derive(Deserialize)]
struct SeasonRequest {
    #[serde(rename = "seasonNumber")]
    season_number: u32,
}

#[derive(Deserialize)]
struct User {
    #[serde(rename = "displayName")]
    display_name: Option<String>,
    email: Option<String>,
}

impl Default for OverseerrClient {
    fn default() -> Self {
        Self {
            http: http_client(),
        }
    }
}

impl OverseerrClient {
    /// Every approved request whose media is not yet available, each once.
    pub async fn approved_not_available(
        &self,
        base_url: &str,
        key: &Secret,
    ) -> Result<Vec<MediaRequest>, OverseerrError> {
        let mut seen = HashSet::new();
        let mut requests = Vec::new();
        for page in 0..MAX_PAGES {
            let skip = page * PAGE_SIZE;
            let response = self
                .http
                .get(format!("{base_url}/api/v1/request"))
                .query(&[("take", PAGE_SIZE.to_string()), ("skip", skip.to_string())])
                .query(&[("filter", "processing"), ("sort", "added")])
                .header("X-Api-Key", key.expose())
                .send()
                .await
                .map_err(unreachable)?;
            let page: Page = read(response).await?;
            let count = page.results.len() as u64;
            // A request added while paging shifts the list: the same one can come twice.
            for request in page.results {
                if request.status == APPROVED && seen.insert(request.id) {
                    requests.extend(media_request(request));
                }
            }
            if skip + PAGE_SIZE >= page.page_info.results || count < PAGE_SIZE {
                break;
            }
        }
        Ok(requests)
    }

    /// Marks request `request_id`'s title available in Overseerr: `POST /media/{id}/available`
    /// with the seasons for a show (reference: overseerr-api.md). Overseerr answers a movie's
    /// with a MEDIA_AVAILABLE webhook, and its own availability sync may undo it.
    pub async fn mark_available(
        &self,
        base_url: &str,
        key: &Secret,
        request_id: i64,
        is_4k: bool,
        seasons: &[u32],
    ) -> Result<(), OverseerrError> {
        let response = self
            .http
            .get(format!("{base_url}/api/v1/request/{request_id}"))
            .header("X-Api-Key", key.expose())
            .send()
            .await
            .map_err(unreachable)?;
        let request: Request = read(response).await?;
        let media_id = request
            .media
            .id
            .ok_or_else(|| OverseerrError::Unexpected("the request has no media id".into()))?;
        let mut body = serde_json::json!({ "is4k": is_4k });
        if !seasons.is_empty() {
            let list: Vec<serde_json::Value> = seasons
                .iter()
                .map(|n| serde_json::json!({ "seasonNumber": n }))
                .collect();
            body["seasons"] = list.into();
        }
        let response = self
            .http
            .post(format!("{base_url}/api/v1/media/{media_id}/available"))
            .header("X-Api-Key", key.expose())
            .json(&body)
            .send()
            .await
            .map_err(unreachable)?;
        read::<serde_json::Value>(response).await.map(drop)
    }
}

fn unreachable(error: reqwest::Error) -> OverseerrError {
    OverseerrError::Unreachable(error.without_url().to_string())
}

async fn read<T: serde::de::DeserializeOwned>(
    response: reqwest::Response,
) -> Result<T, OverseerrError> {
    match response.status() {
        status if status.is_success() => response
            .json()
            .await
            .map_err(|error| OverseerrError::Unexpected(error.without_url().to_string())),
        status @ (StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) => {
            Err(OverseerrError::KeyRejected(status))
        }
        status => Err(OverseerrError::Status(status)),
    }
}

fn media_request(request: Request) -> Option<MediaRequest> {
    let media_type = match request.media_type.as_str() {
        "movie" => MediaType::Movie,
        "tv" => MediaType::Tv,
        _ => return None,
    };
    let seasons: Vec<u32> = request.seasons.iter().map(|s| s.season_number).collect();
    let requested_by = request
        .requested_by
        .and_then(|user| user.display_name.or(user.email))
        .unwrap_or_default();
    Some(MediaRequest {
        media_type,
        tmdb_id: request.media.tmdb_id,
        tvdb_id: request.media.tvdb_id,
        is_4k: request.is_4k,
        seasons: (media_type == MediaType::Tv && !seasons.is_empty()).then_some(seasons),
        overseerr_request_id: Some(request.id),
        subject: String::new(),
        requested_by,
    })
}
