//! Clients of the outside services. Each takes its base URL from the settings, so tests (and
//! users behind a proxy) can point it anywhere.

use std::time::Duration;

/// Overseerr's (and Jellyseerr's) REST API: the catch-up sync.
pub mod overseerr;
/// TMDb: titles, seasons, episodes, posters.
pub mod tmdb;

const USER_AGENT: &str = concat!("Linkarr/", env!("CARGO_PKG_VERSION"));
const TIMEOUT: Duration = Duration::from_secs(20);

/// The one place HTTP clients are built: a timeout and our user agent on every call.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .timeout(TIMEOUT)
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
