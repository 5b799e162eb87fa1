//! TMDb's v3 API (reference: TMDb's developer docs). Both kinds of credential work: a v3 API
//! key is sent as `api_key=`, a v4 read-access token as a Bearer header; which one a key is,
//! is told by its shape. Every call waits its turn in one limiter, well under TMDb's limit.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use tokio::sync::Mutex;

use super::{http_client, retry_after};
use crate::config::Settings;

pub mod types;

pub use types::{Episode, Movie, Season, Show};

/// TMDb asks clients to stay "in the 40 requests per second range"; a desktop app needs far
/// less, and several apps behind one NAT share the budget.
pub const DEFAULT_REQUESTS_PER_SECOND: u32 = 20;
/// Image sizes Linkarr shows (each is in TMDb's configuration lists).
pub const POSTER_SIZE: &str = "w342";
pub const BACKDROP_SIZE: &str = "w1280";

/// An image's URL: `base` ends with "/" and a path starts with one, so
/// `https://image.tmdb.org/t/p/` + `w342` + `/abc.jpg`. No path, no image.
pub fn image_url(base: &str, size: &str, path: Option<&str>) -> Option<String> {
    path.map(|path| format!("{base}{size}{path}"))
}

/// Where posters come from when TMDb's configuration cannot be read.
pub const FALLBACK_IMAGE_BASE: &str = "https://image.tmdb.org/t/p/";
/// TMDb says the configuration almost never changes.
const CONFIGURATION_TTL: Duration = Duration::from_secs(3 * 24 * 3600);
/// How long the fallback base is used before TMDb is asked again.
const FALLBACK_TTL: Duration = Duration::from_secs(5 * 60);

#[derive(Debug, thiserror::Error)]
pub enum TmdbError {
    #[error("no TMDb key is set")]
    MissingKey,
    #[error("the TMDb key is neither a v3 API key (32 hex characters) nor a v4 token")]
    MalformedKey,
    #[error("TMDb key rejected")]
    KeyRejected,
    #[error("TMDb has no such title")]
    NotFound,
    #[error("TMDb is rate limiting")]
    RateLimited { retry_after: Option<Duration> },
    #[error("TMDb is unavailable (HTTP {0})")]
    Unavailable(StatusCode),
    #[error("could not reach TMDb: {0}")]
    Network(String),
    #[error("TMDb sent something unexpected: {0}")]
    Unexpected(String),
}

#[derive(Clone, Debug)]
pub struct TmdbClient {
    http: reqwest::Client,
    limiter: Arc<Limiter>,
    /// The image base and until when to use it.
    configuration: Arc<Mutex<Option<(Instant, String)>>>,
}

enum Credential<'a> {
    ApiKey(&'a str),
    Bearer(&'a str),
}

impl TmdbClient {
    pub fn new(requests_per_second: u32) -> Self {
        Self {
            http: http_client(),
            limiter: Arc::new(Limiter::new(requests_per_second)),
            configuration: Arc::default(),
        }
    }

    pub async fn movie(&self, settings: &Settings, id: i64) -> Result<Movie, TmdbError> {
        self.get(
            settings,
            &format!("/movie/{id}?append_to_response=external_ids,alternative_titles"),
        )
        .await
    }

    pub async fn show(&self, settings: &Settings, id: i64) -> Result<Show, TmdbError> {
        self.get(
            settings,
            &format!("/tv/{id}?append_to_response=external_ids,alternative_titles"),
        )
        .await
    }

    pub async fn season(
        &self,
        settings: &Settings,
        id: i64,
        number: u32,
    ) -> Result<Season, TmdbError> {
        self.get(settings, &format!("/tv/{id}/season/{number}"))
            .await
    }

    /// Whether TMDb accepts the key: its (tiny) configuration, read past the cache.
    pub async fn check_key(&self, settings: &Settings) -> Result<(), TmdbError> {
        self.get::<types::Configuration>(settings, "/configuration")
            .await
            .map(drop)
    }

    /// The base of poster URLs (`https://image.tmdb.org/t/p/`), from TMDb's configuration,
    /// read once every few days. When TMDb cannot say, the well-known base, asked again a few
    /// minutes later (so a TMDb outage does not slow every library page).
    pub async fn image_base(&self, settings: &Settings) -> String {
        if let Some((expires, base)) = self.configuration.lock().await.as_ref()
            && Instant::now() < *expires
        {
            return base.clone();
        }
        let (base, lifetime) = match self
            .get::<types::Configuration>(settings, "/configuration")
            .await
        {
            Ok(configuration) => (configuration.images.secure_base_url, CONFIGURATION_TTL),
            Err(error) => {
                tracing::debug!("Using the default image address: {error}");
                (FALLBACK_IMAGE_BASE.to_owned(), FALLBACK_TTL)
            }
        };
        *self.configuration.lock().await = Some((Instant::now() + lifetime, base.clone()));
        base
    }

    async fn get<T: DeserializeOwned>(
        &self,
        settings: &Settings,
        path: &str,
    ) -> Result<T, TmdbError> {
        let key = settings.tmdb_key.as_ref().ok_or(TmdbError::MissingKey)?;
        let url = format!("{}{path}", settings.tmdb_url);
        let request = match credential(key.expose())? {
            Credential::ApiKey(key) => self.http.get(url).query(&[("api_key", key)]),
            Credential::Bearer(token) => self.http.get(url).bearer_auth(token),
        };
        self.limiter.wait_turn().await;
        let response = request
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            // Without the URL: it can carry the api_key.
            .map_err(|error| TmdbError::Network(error.without_url().to_string()))?;
        match response.status() {
            status if status.is_success() => response
                .json()
                .await
                .map_err(|error| TmdbError::Unexpected(error.without_url().to_string())),
            StatusCode::UNAUTHORIZED => Err(TmdbError::KeyRejected),
            StatusCode::NOT_FOUND => Err(TmdbError::NotFound),
            StatusCode::TOO_MANY_REQUESTS => Err(TmdbError::RateLimited {
                retry_after: retry_after(&response),
            }),
            status if status.is_server_error() => Err(TmdbError::Unavailable(status)),
            status => Err(TmdbError::Unexpected(format!("HTTP {status}"))),
        }
    }
}

/// A v4 token is a JWT ("eyJ…", three dot-separated parts); a v3 key is 32 hex characters.
fn credential(key: &str) -> Result<Credential<'_>, TmdbError> {
    let key = key.trim();
    if key.starts_with("eyJ") && key.split('.').count() == 3 {
        Ok(Credential::Bearer(key))
    } else if key.len() == 32 && key.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        Ok(Credential::ApiKey(key))
    } else {
        Err(TmdbError::MalformedKey)
    }
}

/// Spaces calls evenly, shared by every worker: 5 % more than 1/`rate` apart, so that even
/// with network jitter no one-second window at TMDb's end sees more than `rate` of them.
#[derive(Debug)]
struct Limiter {
    interval: Duration,
    next_slot: Mutex<tokio::time::Instant>,
}

impl Limiter {
    fn new(rate: u32) -> Self {
        Self {
            interval: Duration::from_secs(1).mul_f64(1.05) / rate.max(1),
            next_slot: Mutex::new(tokio::time::Instant::now()),
        }
    }

    async fn wait_turn(&self) {
        let slot = {
            let mut next_slot = self.next_slot.lock().await;
            let slot = (*next_slot).max(tokio::time::Instant::now());
            *next_slot = slot + self.interval;
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_credential_kind_is_told_by_its_shape() {
        assert!(matches!(
            credential("0123456789abcdef0123456789abcdef"),
            Ok(Credential::ApiKey(_))
        ));
        assert!(matches!(
            credential("eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJl"),
            Ok(Credential::Bearer(_))
        ));
        assert!(matches!(
            credential("my-password"),
            Err(TmdbError::MalformedKey)
        ));
        assert!(matches!(
            credential("eyJonly.two"),
            Err(TmdbError::MalformedKey)
        ));
    }

    #[tokio::test(start_paused = true)]
    async fn the_limiter_spaces_calls_evenly() {
        let limiter = Limiter::new(20);
        let start = tokio::time::Instant::now();
        for _ in 0..21 {
            limiter.wait_turn().await;
        }
        assert_eq!(
            start.elapsed(),
            Duration::from_millis(1050),
            "21 calls: the first, then 20 at 52.5 ms"
        );
    }
}
