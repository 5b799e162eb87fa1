//! `/api/v1/session`: the login page's sign-in. The API token or, for remote access, its
//! password opens a session kept in an HttpOnly, same-site cookie.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::{self, API_KEY_HEADER, SESSION_COOKIE};
use super::{ApiError, ErrorBody};
use crate::config::Secret;
use crate::db::sessions;
use crate::state::AppState;

/// A wrong guess costs this long: enough to make guessing useless, too little to annoy.
const FAILED_SIGN_IN_DELAY: Duration = Duration::from_secs(1);

/// Whether this browser is signed in.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionStatus {
    /// A live session cookie, or the right API token, came with the request.
    authenticated: bool,
    /// Whether a remote-access password exists (else only the API token signs in).
    password_set: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SignIn {
    /// The API token, or the remote-access password.
    secret: String,
}

/// `GET /api/v1/session`: is this browser signed in?
#[utoipa::path(
    get,
    path = "/api/v1/session",
    operation_id = "getSession",
    tag = "session",
    responses(
        (status = 200, body = SessionStatus),
        (status = 500, description = "Internal error", body = ErrorBody),
    ),
    security((), ("api_key" = []), ("session" = []))
)]
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
#[utoipa::path(
    post,
    path = "/api/v1/session",
    operation_id = "signIn",
    tag = "session",
    request_body = SignIn,
    responses(
        (
            status = 204,
            description = "Signed in",
            headers(("Set-Cookie" = String, description = "The session: `linkarr_session=…`")),
        ),
        (status = 401, description = "Neither the API token nor the password", body = ErrorBody),
        (status = 500, description = "Internal error", body = ErrorBody),
    ),
    security(())
)]
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
#[utoipa::path(
    delete,
    path = "/api/v1/session",
    operation_id = "signOut",
    tag = "session",
    responses(
        (
            status = 204,
            description = "Signed out",
            headers(("Set-Cookie" = String, description = "The session cookie, expired")),
        ),
        (status = 500, description = "Internal error", body = ErrorBody),
    ),
    security((), ("session" = []))
)]
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
