//! Clients of the outside services. Each takes its base URL from the settings, so tests (and
//! users behind a proxy) can point it anywhere.

use std::time::Duration;

/// Overseerr's (and Jellyseerr's) REST API: the catch-up sync.
pub mod overseerr;
/// Real-Debrid: the account, its torrents, and links to stream.
pub mod realdebrid;
/// Torrent search sources: Stremio addons, Torznab indexers, Zilean.
pub mod search;
/// TMDb: titles, seasons, episodes, posters.
pub mod tmdb;

const USER_AGENT: &str = concat!("Linkarr/", env!("CARGO_PKG_VERSION"));
const TIMEOUT: Duration = Duration::from_secs(20);

/// The one place HTTP clients are built: a timeout and our user agent on every call.
pub fn http_client() -> reqwest::Client {
    http_client_timing_out_after(TIMEOUT)
}

pub fn http_client_timing_out_after(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .timeout(timeout)
        .connect_timeout(Duration::from_secs(5))
        .build()
        .expect("building an HTTP client only fails when TLS cannot initialise")
}

/// `Retry-After` in seconds, when a server sent one.
fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    response
        .headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
        .map(Duration::from_secs)
}

/// The body of `response`, refusing more than `limit` bytes: a misbehaving server cannot fill
/// the memory of the machine.
async fn read_limited(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| error.without_url().to_string())?
    {
        if body.len() + chunk.len() > limit {
            return Err(format!("the answer is larger than {} MB", limit >> 20));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
