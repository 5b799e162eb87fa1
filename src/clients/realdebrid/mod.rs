//! Real-Debrid's REST API (reference: realdebrid.md). Every call goes through one shared
//! [`Limiter`]; rate limits and server errors are retried a little with jittered backoff, and
//! RD's `{"error", "error_code"}` bodies become [`RdError`]s the pipeline can act on.

use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};

use rand::Rng;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;

use super::{read_limited, retry_after};
use crate::config::Settings;

mod limiter;
pub mod types;

pub use limiter::Limiter;
pub use types::{ActiveCount, TorrentInfo, TorrentSummary, Unrestricted, User};

const MAX_BODY_BYTES: usize = 16 << 20;
/// Tries of one call when RD is rate limiting or failing.
const TRIES: u32 = 3;
/// `GET /torrents` page size (RD allows up to 5,000).
const PAGE: usize = 1000;
/// RD answers API calls in well under a second when it is well.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// The one call that is not safe to repeat blindly: RD may have added the torrent before the
/// answer was lost, and a second add makes a duplicate. The next run finds it on the account.
const ADD_MAGNET: &str = "/torrents/addMagnet";

#[derive(Debug, thiserror::Error)]
pub enum RdError {
    #[error("no Real-Debrid token is set")]
    MissingToken,
    #[error("Real-Debrid rejected the token")]
    BadToken,
    #[error("Real-Debrid refused the account: {0}")]
    Account(String),
    #[error("Real-Debrid is rate limiting")]
    RateLimited(Option<Duration>),
    #[error("Real-Debrid is cooling down after repeated errors")]
    CoolingDown(Duration),
    #[error("every Real-Debrid torrent slot is in use")]
    SlotsFull,
    #[error("Real-Debrid refuses this torrent (its filter blocks the name)")]
    Infringing,
    /// The magnet or torrent itself is bad: invalid, too big (codes 2, 29, 30).
    #[error("Real-Debrid cannot use this torrent ({0})")]
    BadTorrent(String),
    /// Code 33: the account already has it.
    #[error("the torrent is already on the account")]
    AlreadyActive,
    /// A hoster in maintenance or at its limit: hours, not seconds (codes 17, 18, 19).
    #[error("Real-Debrid's hoster is unavailable ({0})")]
    HosterUnavailable(String),
    #[error("Real-Debrid no longer has it")]
    NotFound,
    #[error("Real-Debrid says the file is unavailable")]
    FileUnavailable,
    #[error("the Real-Debrid traffic allowance is used up")]
    TrafficExhausted,
    #[error("Real-Debrid is unavailable ({0})")]
    Unavailable(String),
    #[error("Real-Debrid refused: {0}")]
    Refused(String),
    #[error("could not reach Real-Debrid: {0}")]
    Network(String),
    #[error("Real-Debrid sent something unexpected: {0}")]
    Unexpected(String),
}

#[derive(Clone, Debug)]
pub struct RdClient {
    http: reqwest::Client,
    limiter: Arc<Limiter>,
    /// The last account check: for which token, when, and what RD said.
    checked: Arc<std::sync::Mutex<Option<(String, Instant, User)>>>,
}

/// How long an account check stands: premium does not run out between two requests.
const ACCOUNT_CHECK_TTL: Duration = Duration::from_secs(10 * 60);

type Form<'a> = &'a [(&'a str, &'a str)];

impl Default for RdClient {
    fn default() -> Self {
        Self::new(Limiter::default())
    }
}

impl RdClient {
    pub fn new(limiter: Limiter) -> Self {
        Self {
            http: super::http_client_timing_out_after(CALL_TIMEOUT),
            limiter: Arc::new(limiter),
            checked: Arc::default(),
        }
    }

    /// The account, asked of RD now (a "test" of the token).
    pub async fn user(&self, settings: &Settings) -> Result<User, RdError> {
        let user: User = self.json(settings, Method::GET, "/user", None).await?;
        if let Some(token) = &settings.realdebrid_token {
            *self.checked.lock().unwrap_or_else(PoisonError::into_inner) =
                Some((token.expose().to_owned(), Instant::now(), user.clone()));
        }
        Ok(user)
    }

    /// The account as checked within the last minutes, else asked of RD.
    pub async fn account(&self, settings: &Settings) -> Result<User, RdError> {
        let token = settings
            .realdebrid_token
            .as_ref()
            .ok_or(RdError::MissingToken)?;
        if let Some((checked_token, at, user)) = self
            .checked
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            && checked_token == token.expose()
            && at.elapsed() < ACCOUNT_CHECK_TTL
        {
            return Ok(user.clone());
        }
        self.user(settings).await
    }

    /// Every torrent on the account (paged).
    pub async fn torrents(&self, settings: &Settings) -> Result<Vec<TorrentSummary>, RdError> {
        let mut all = Vec::new();
        for page in 1.. {
            let path = format!("/torrents?page={page}&limit={PAGE}");
            let body = self.send(settings, Method::GET, &path, None).await?;
            // An empty page comes as 204 without a body. Anything else must read whole: a
            // partial list would make the library's torrents look gone.
            let items: Vec<TorrentSummary> = match body.iter().all(u8::is_ascii_whitespace) {
                true => Vec::new(),
                false => serde_json::from_slice(&body)
                    .map_err(|error| RdError::Unexpected(format!("torrent list: {error}")))?,
            };
            let full = items.len() == PAGE;
            all.extend(items);
            if !full {
                break;
            }
        }
        Ok(all)
    }

    pub async fn active_count(&self, settings: &Settings) -> Result<ActiveCount, RdError> {
        self.json(settings, Method::GET, "/torrents/activeCount", None)
            .await
    }

    /// Adds the torrent by its infohash alone; returns RD's torrent id.
    pub async fn add_magnet(
        &self,
        settings: &Settings,
        info_hash: &str,
    ) -> Result<String, RdError> {
        let magnet = format!("magnet:?xt=urn:btih:{info_hash}");
        let form = [("magnet", magnet.as_str())];
        let added: types::Added = self
            .json(settings, Method::POST, "/torrents/addMagnet", Some(&form))
            .await?;
        Ok(added.id)
    }

    pub async fn info(&self, settings: &Settings, id: &str) -> Result<TorrentInfo, RdError> {
        self.json(settings, Method::GET, &format!("/torrents/info/{id}"), None)
            .await
    }

    pub async fn select_files(
        &self,
        settings: &Settings,
        id: &str,
        file_ids: &[u64],
    ) -> Result<(), RdError> {
        let files: Vec<String> = file_ids.iter().map(u64::to_string).collect();
        let files = files.join(",");
        let path = format!("/torrents/selectFiles/{id}");
        self.send(settings, Method::POST, &path, Some(&[("files", &files)]))
            .await
            .map(drop)
    }

    /// Removes the torrent from the account; one already gone is fine.
    pub async fn delete(&self, settings: &Settings, id: &str) -> Result<(), RdError> {
        let path = format!("/torrents/delete/{id}");
        match self.send(settings, Method::DELETE, &path, None).await {
            Ok(_) | Err(RdError::NotFound) => Ok(()),
            Err(error) => Err(error),
        }
    }

    /// A restricted link's direct URL, valid for a while.
    pub async fn unrestrict(&self, settings: &Settings, link: &str) -> Result<String, RdError> {
        let link = shorten_link(link);
        let unrestricted: Unrestricted = self
            .json(
                settings,
                Method::POST,
                "/unrestrict/link",
                Some(&[("link", link)]),
            )
            .await?;
        // Some clients have seen a 200 without a URL: that is no answer.
        match unrestricted.download.is_empty() {
            true => Err(RdError::Unexpected("no download URL".into())),
            false => Ok(unrestricted.download),
        }
    }

    /// Whether a direct URL still answers (RD expires them): a quick HEAD, not rate limited
    /// (it goes to RD's download servers, not the API).
    pub async fn link_works(&self, url: &str) -> bool {
        self.http
            .head(url)
            .timeout(Duration::from_secs(3))
            .send()
            .await
            .is_ok_and(|response| response.status().is_success())
    }

    async fn json<T: DeserializeOwned>(
        &self,
        settings: &Settings,
        method: Method,
        path: &str,
        form: Option<Form<'_>>,
    ) -> Result<T, RdError> {
        let body = self.send(settings, method, path, form).await?;
        serde_json::from_slice(&body).map_err(|error| RdError::Unexpected(error.to_string()))
    }

    /// One call, retried on rate limits and server errors that RD did not explain.
    async fn send(
        &self,
        settings: &Settings,
        method: Method,
        path: &str,
        form: Option<Form<'_>>,
    ) -> Result<Vec<u8>, RdError> {
        let token = settings
            .realdebrid_token
            .as_ref()
            .ok_or(RdError::MissingToken)?;
        let url = format!("{}{path}", settings.realdebrid_url);
        let mut tries = 0;
        loop {
            tries += 1;
            self.limiter
                .wait_turn()
                .await
                .map_err(|until| RdError::CoolingDown(until - tokio::time::Instant::now()))?;
            let mut request = self
                .http
                .request(method.clone(), &url)
                .bearer_auth(token.expose());
            if let Some(form) = form {
                request = request.form(form);
            }
            let result = match request.send().await {
                Ok(response) => self.read(response).await,
                Err(error) => Err(RdError::Network(error.without_url().to_string())),
            };
            let failed = matches!(
                result,
                Err(RdError::RateLimited(_) | RdError::Unavailable(_) | RdError::Network(_))
            );
            match failed {
                true => self.limiter.failed().await,
                false => self.limiter.succeeded().await,
            }
            let retry = match &result {
                // Refused before anything was done: safe to repeat.
                Err(RdError::RateLimited(after)) => Some(after.unwrap_or_else(|| pause(tries))),
                Err(RdError::Unavailable(_) | RdError::Network(_)) if path != ADD_MAGNET => {
                    Some(pause(tries))
                }
                _ => None,
            };
            match retry {
                Some(wait) if tries < TRIES && wait <= Duration::from_secs(30) => {
                    tokio::time::sleep(wait).await;
                }
                _ => return result,
            }
        }
    }

    async fn read(&self, response: reqwest::Response) -> Result<Vec<u8>, RdError> {
        let status = response.status();
        let after = retry_after(&response);
        let body = read_limited(response, MAX_BODY_BYTES)
            .await
            .map_err(RdError::Network)?;
        if status.is_success() {
            return Ok(body);
        }
        let error: types::ErrorBody = serde_json::from_slice(&body).unwrap_or_default();
        Err(classify(status, &error, after))
    }
}

/// What an RD failure means (reference §4: codes first, statuses where there is no code).
fn classify(status: StatusCode, body: &types::ErrorBody, after: Option<Duration>) -> RdError {
    let words = match body.error.is_empty() {
        true => format!("HTTP {}", status.as_u16()),
        false => body.error.replace('_', " "),
    };
    match (body.error_code, status.as_u16()) {
        (Some(8), _) | (None, 401) => RdError::BadToken,
        (Some(9 | 14 | 15 | 20 | 22), _) | (None, 403) => RdError::Account(words),
        (Some(35), _) | (_, 451) => RdError::Infringing,
        (Some(21), _) | (_, 509) => RdError::SlotsFull,
        (Some(5 | 34), _) | (_, 429) => RdError::RateLimited(after),
        (Some(7), _) => RdError::NotFound,
        // A 404 that is not RD's own JSON: the address is wrong, not the torrent gone.
        (None, 404) if body.error.is_empty() => {
            RdError::Unexpected("HTTP 404: is the Real-Debrid address right?".into())
        }
        (None, 404) => RdError::NotFound,
        (Some(16 | 24 | 28), _) => RdError::FileUnavailable,
        (Some(2 | 29 | 30), _) => RdError::BadTorrent(words),
        (Some(33), _) => RdError::AlreadyActive,
        (Some(23 | 36), _) => RdError::TrafficExhausted,
        (Some(17..=19), _) => RdError::HosterUnavailable(words),
        (Some(-1 | 6 | 25), _) | (None, 500..) => RdError::Unavailable(words),
        _ => RdError::Refused(words),
    }
}

/// 1 s, 2 s, 4 s … ±20 %.
fn pause(tries: u32) -> Duration {
    Duration::from_secs(1 << tries.saturating_sub(1).min(5))
        .mul_f64(rand::rng().random_range(0.8..1.2))
}

/// Links in torrent info can carry a longer id than `/unrestrict/link` takes: keep 13.
fn shorten_link(link: &str) -> &str {
    const PREFIX: &str = "https://real-debrid.com/d/";
    match link.strip_prefix(PREFIX) {
        Some(id) => id.get(..13).map_or(link, |_| &link[..PREFIX.len() + 13]),
        None => link,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(code: Option<i64>, text: &str) -> types::ErrorBody {
        types::ErrorBody {
            error: text.into(),
            error_code: code,
        }
    }

    #[test]
    fn rd_errors_are_read_by_code_first() {
        let cases = [
            (
                401,
                error(Some(8), "bad_token"),
                "Real-Debrid rejected the token",
            ),
            (
                451,
                error(Some(35), "infringing_file"),
                "Real-Debrid refuses this torrent (its filter blocks the name)",
            ),
            (
                509,
                error(Some(21), "too_many_active_downloads"),
                "every Real-Debrid torrent slot is in use",
            ),
            (
                503,
                error(Some(24), "unavailable_file"),
                "Real-Debrid says the file is unavailable",
            ),
            (
                400,
                error(Some(2), "parameter_invalid"),
                "Real-Debrid cannot use this torrent (parameter invalid)",
            ),
            (
                400,
                error(Some(31), "action_already_done"),
                "Real-Debrid refused: action already done",
            ),
            (
                404,
                error(None, ""),
                "Real-Debrid sent something unexpected: HTTP 404: is the Real-Debrid address right?",
            ),
            (
                503,
                error(Some(18), "hoster_limit_reached"),
                "Real-Debrid's hoster is unavailable (hoster limit reached)",
            ),
            (
                503,
                error(None, ""),
                "Real-Debrid is unavailable (HTTP 503)",
            ),
            (
                403,
                error(Some(20), "hoster_not_free"),
                "Real-Debrid refused the account: hoster not free",
            ),
            (
                404,
                error(Some(7), "unknown_ressource"),
                "Real-Debrid no longer has it",
            ),
            (
                429,
                error(Some(34), "too_many_requests"),
                "Real-Debrid is rate limiting",
            ),
        ];
        for (status, body, expected) in cases {
            let status = StatusCode::from_u16(status).unwrap();
            assert_eq!(classify(status, &body, None).to_string(), expected);
        }
    }

    #[test]
    fn long_link_ids_are_cut_to_thirteen_characters() {
        assert_eq!(
            shorten_link("https://real-debrid.com/d/ABCDEFGHIJKLMNOPQ"),
            "https://real-debrid.com/d/ABCDEFGHIJKLM"
        );
        assert_eq!(
            shorten_link("https://real-debrid.com/d/ABCDEFGHIJKLM"),
            "https://real-debrid.com/d/ABCDEFGHIJKLM"
        );
    }
}
