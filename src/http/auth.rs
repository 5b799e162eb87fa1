//! The two doors of the listener. Webhooks are open to the LAN, guarded only by the optional
//! shared secret Overseerr sends verbatim as `Authorization`. The management API needs the API
//! token, a trusted Origin, and a client on this machine unless remote access is on.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, HOST, ORIGIN};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;

use super::ApiError;
use crate::state::AppState;

pub const API_KEY_HEADER: &str = "x-api-key";
pub const EVENTS_PATH: &str = "/api/v1/events";

/// Where the desktop window's page comes from (Linux/macOS, then Windows).
pub const DESKTOP_ORIGINS: [&str; 3] = [
    "tauri://localhost",
    "http://tauri.localhost",
    "https://tauri.localhost",
];

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

/// Guards `/api/v1`: client location, Origin, then the API token.
pub async fn require_api_access(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    // `to_canonical`: with an IPv6 listener, local IPv4 clients arrive as ::ffff:127.0.0.1.
    let is_local = client.is_some_and(|ip| ip.to_canonical().is_loopback());
    let settings = state.settings.current();
    if !is_local && !settings.remote_access {
        return Err(ApiError::Forbidden(
            "Remote access is off: the management API answers only this machine",
        ));
    }
    if !origin_allowed(request.headers()) {
        return Err(ApiError::Forbidden(
            "Requests from this web page's origin are not allowed",
        ));
    }
    let token = settings
        .api_token
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("the API token was not initialised"))?;
    // EventSource (SSE) cannot send headers: the events stream alone takes it as `?token=`.
    let presented = request
        .headers()
        .get(API_KEY_HEADER)
        .map(|key| key.as_bytes().to_vec())
        .or_else(|| {
            (request.uri().path() == EVENTS_PATH)
                .then(|| query_token(request.uri().query()))
                .flatten()
        });
    match presented {
        Some(key) if token.matches(&key) => Ok(next.run(request).await),
        Some(_) => Err(ApiError::Unauthorized("Wrong API token")),
        None => Err(ApiError::Unauthorized("Missing X-Api-Key header")),
    }
}

fn query_token(query: Option<&str>) -> Option<Vec<u8>> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
        .map(|token| token.as_bytes().to_vec())
}

/// A browser always sends Origin on cross-site requests; only our own pages may call the API.
/// Tools such as curl send none, and are judged by the token alone.
fn origin_allowed(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(ORIGIN) else {
        return true;
    };
    let origin = origin.to_str().unwrap_or_default();
    if DESKTOP_ORIGINS.contains(&origin) {
        return true;
    }
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
    fn origins_are_limited_to_the_app_and_its_own_host() {
        assert!(origin_allowed(&headers(&[])));
        assert!(origin_allowed(&headers(&[("origin", "tauri://localhost")])));
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
}
