//! `/api/v1/session`: the login page's sign-in. The API token or, for remote access, its
//! password opens a session kept in an HttpOnly, same-site cookie.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::ApiError;
use super::auth::{self, API_KEY_HEADER, SESSION_COOKIE};
use crate::config::Secret;
use crate::db::sessions;
use crate::state::AppState;

/// A wrong guess costs this long: enough to make guessing useless, too little to annoy.
const FAILED_SIGN_IN_DELAY: Duration = Duration::from_secs(1);

#[derive(Debug, Serialize)]
pub struct SessionStatus {
    authenticated: bool,
    /// Whether a remote-access password exists (else only the API token signs in).
    password_set: bool,
}

#[derive(Debug, Deserialize)]
pub struct SignIn {
    secret: String,
}

/// `GET /api/v1/session`: is this browser signed in?
pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<SessionStatus>, ApiError> {
    let settings = state.settings.current();
    let by_token = headers.get(API_KEY_HEADER).is_some_and(|key| {
        let token = settings.api_token.as_ref();
        token.is_some_and(|token| token.matches(key.as_bytes()))
    });
    let authenticated = match auth::session_id(&headers) {
        _ if by_token => true,
        Some(id) => sessions::touch(&state.db, &id).await?,
        None => false,
    };
    Ok(Json(SessionStatus {
        authenticated,
        password_set: settings.remote_password.is_some(),
    }))
}

/// `POST /api/v1/session {"secret": "…"}` → 204 with the session cookie.
pub async fn sign_in(
    State(state): State<AppState>,
    Json(body): Json<SignIn>,
) -> Result<Response, ApiError> {
    let settings = state.settings.current();
    let secret = body.secret.trim().as_bytes();
    let known = [&settings.api_token, &settings.remote_password];
    if !known
        .into_iter()
        .flatten()
        .any(|expected| expected.matches(secret))
    {
        tokio::time::sleep(FAILED_SIGN_IN_DELAY).await;
        return Err(ApiError::Unauthorized(
            "That is neither the API token nor the remote-access password",
        ));
    }
    let id = Secret::generate().expose().to_owned();
    sessions::create(&state.db, &id).await?;
    let max_age = sessions::LIFETIME_DAYS * 24 * 60 * 60;
    let cookie =
        format!("{SESSION_COOKIE}={id}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}");
    Ok(with_cookie(&cookie))
}

/// `DELETE /api/v1/session`: signs this browser out.
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if let Some(id) = auth::session_id(&headers) {
        sessions::delete(&state.db, &id).await?;
    }
    Ok(with_cookie(&format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
    )))
}

fn with_cookie(cookie: &str) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}
