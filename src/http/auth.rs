//! The two doors of the listener. Webhooks (and play links) are open to the LAN, guarded only
//! by the optional shared secret Overseerr sends verbatim as `Authorization`. The UI and the
//! management API answer only Host names that are this machine's (no DNS rebinding), pages of
//! their own origin (no cross-site requests), and clients on this machine unless remote access
//! is on; the API then wants the API token or a session from the login page.

use std::net::{IpAddr, SocketAddr};
use std::sync::LazyLock;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, COOKIE, HOST, ORIGIN};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;

use super::ApiError;
use crate::config::Settings;
use crate::db;
use crate::state::AppState;

pub const API_KEY_HEADER: &str = "x-api-key";
pub const SESSION_COOKIE: &str = "linkarr_session";
pub const EVENTS_PATH: &str = "/api/v1/events";
pub const LOGS_STREAM_PATH: &str = "/api/v1/logs/stream";
pub const PLAYLIST_PATH: &str = "/api/v1/library/playlist.m3u";

/// What an EventSource or a plain download link opens: they cannot send headers, so these
/// alone take the token as `?token=`.
const QUERY_TOKEN_PATHS: [&str; 3] = [EVENTS_PATH, LOGS_STREAM_PATH, PLAYLIST_PATH];

/// This machine's own names, which its users may type instead of an address.
static MACHINE_NAMES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let name = gethostname::gethostname()
        .to_string_lossy()
        .to_ascii_lowercase();
    match name.is_empty() {
        true => Vec::new(),
        false => vec![format!("{name}.local"), name],
    }
});

/// Passes only webhooks that carry the configured secret (when one is configured).
pub struct WebhookAuth;

impl FromRequestParts<AppState> for WebhookAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let settings = state.settings.current();
        let Some(secret) = &settings.webhook_secret else {
            return Ok(Self);
        };
        match parts.headers.get(AUTHORIZATION) {
            None => Err(ApiError::Unauthorized(
                "Missing Authorization header: set Linkarr's webhook secret as Overseerr's \
                 Authorization Header",
            )),
            Some(value) if secret.matches(value.as_bytes()) => Ok(Self),
            Some(_) => Err(ApiError::Unauthorized(
                "Wrong Authorization header: it must equal Linkarr's webhook secret exactly",
            )),
        }
    }
}

/// Guards the UI's pages and the login: client location, Host and Origin.
pub async fn require_trusted_client(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    check_client(&request, &state.settings.current())?;
    Ok(next.run(request).await)
}

/// Guards `/api/v1`: client location, Host, Origin, then the API token or a session.
pub async fn require_api_access(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let settings = state.settings.current();
    check_client(&request, &settings)?;
    match credential(&request, &settings) {
        Credential::Token(true) => Ok(next.run(request).await),
        Credential::Token(false) => Err(ApiError::Unauthorized("Wrong API token")),
        Credential::Session(id) if db::sessions::touch(&state.db, &id).await? => {
            Ok(next.run(request).await)
        }
        Credential::Session(_) => Err(ApiError::Unauthorized(
            "Your session has ended: sign in again",
        )),
        Credential::None => Err(ApiError::Unauthorized(
            "Sign in, or send the API token as the X-Api-Key header",
        )),
    }
}

enum Credential {
    /// Whether the token presented is the right one.
    Token(bool),
    Session(String),
    None,
}

fn credential(request: &Request, settings: &Settings) -> Credential {
    let path = request.uri().path();
    let presented = request
        .headers()
        .get(API_KEY_HEADER)
        .map(|key| key.as_bytes().to_vec())
        .or_else(|| {
            QUERY_TOKEN_PATHS
                .contains(&path)
                .then(|| query_token(request.uri().query()))
                .flatten()
        });
    if let Some(key) = presented {
        let right = settings
            .api_token
            .as_ref()
            .is_some_and(|token| token.matches(&key));
        return Credential::Token(right);
    }
    session_id(request.headers()).map_or(Credential::None, Credential::Session)
}

/// The session id from the cookie, if the browser sent one.
pub fn session_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .find_map(|cookie| {
            cookie
                .trim()
                .strip_prefix(SESSION_COOKIE)?
                .strip_prefix('=')
        })
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
}

fn check_client(request: &Request, settings: &Settings) -> Result<(), ApiError> {
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    // `to_canonical`: with an IPv6 listener, local IPv4 clients arrive as ::ffff:127.0.0.1.
    let is_local = client.is_some_and(|ip| ip.to_canonical().is_loopback());
    if !is_local && !settings.remote_access {
        return Err(ApiError::Forbidden(
            "Remote access is off: the management API answers only this machine",
        ));
    }
    if !host_allowed(request.headers(), &settings.allowed_hosts) {
        return Err(ApiError::Forbidden(
            "Linkarr does not answer to this host name: use its address, or add the name to \
             the allowed_hosts setting",
        ));
    }
    if !origin_allowed(request.headers()) {
        return Err(ApiError::Forbidden(
            "Requests from this web page's origin are not allowed",
        ));
    }
    Ok(())
}

fn query_token(query: Option<&str>) -> Option<Vec<u8>> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
        .map(|token| token.as_bytes().to_vec())
}

/// A name that another site controls could point at this machine (DNS rebinding) and let that
/// site's pages talk to Linkarr as if they were its own: only addresses, `localhost`, this
/// machine's names and the names the user allowed pass. Tools that send no Host pass.
fn host_allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
    let Some(host) = headers.get(HOST) else {
        return true;
    };
    let Some(name) = host.to_str().ok().map(host_name) else {
        return false;
    };
    let name = name.to_ascii_lowercase();
    name.parse::<IpAddr>().is_ok()
        || name == "localhost"
        || MACHINE_NAMES.contains(&name)
        || allowed.contains(&name)
}

/// `host:port`, `[v6]:port` or a bare host → the host.
fn host_name(host: &str) -> &str {
    if let Some(bracketed) = host.strip_prefix('[') {
        return bracketed.split(']').next().unwrap_or_default();
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// A browser always sends Origin on cross-site requests; only our own pages may call the API.
/// Tools such as curl send none, and are judged by the token alone.
fn origin_allowed(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(ORIGIN) else {
        return true;
    };
    let origin = origin.to_str().unwrap_or_default();
    let host = headers.get(HOST).and_then(|host| host.to_str().ok());
    host.is_some_and(|host| origin.strip_prefix("http://") == Some(host))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|&(name, value)| (name.parse().unwrap(), HeaderValue::from_static(value)))
            .collect()
    }

    #[test]
    fn origins_are_limited_to_the_pages_own_host() {
        assert!(origin_allowed(&headers(&[])));
        assert!(!origin_allowed(&headers(&[(
            "origin",
            "tauri://localhost"
        )])));
        assert!(origin_allowed(&headers(&[
            ("origin", "http://192.168.1.5:8000"),
            ("host", "192.168.1.5:8000")
        ])));
        assert!(!origin_allowed(&headers(&[
            ("origin", "http://evil.example"),
            ("host", "192.168.1.5:8000")
        ])));
        assert!(!origin_allowed(&headers(&[("origin", "null")])));
    }

    #[test]
    fn hosts_are_addresses_this_machine_or_allowed_names() {
        let allowed = ["nas.home".to_owned()];
        let ok = |host: &'static str| host_allowed(&headers(&[("host", host)]), &allowed);
        assert!(ok("127.0.0.1:8000"));
        assert!(ok("192.168.1.5:8000"));
        assert!(ok("[::1]:8000"));
        assert!(ok("localhost:8000"));
        assert!(ok("LOCALHOST"));
        assert!(ok("nas.home:8000"));
        assert!(!ok("evil.example:8000"));
        assert!(!ok("localhost.evil.example"));
        assert!(!ok("127.0.0.1.nip.io:8000"));
        assert!(host_allowed(&headers(&[]), &allowed));
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let found = session_id(&headers(&[(
            "cookie",
            "theme=dark; linkarr_session=abc123",
        )]));
        assert_eq!(found.as_deref(), Some("abc123"));
        assert_eq!(
            session_id(&headers(&[("cookie", "linkarr_sessionx=1")])),
            None
        );
        assert_eq!(
            session_id(&headers(&[("cookie", "linkarr_session=")])),
            None
        );
    }
}
