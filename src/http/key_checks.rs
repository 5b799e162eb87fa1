//! The "Test" buttons beside the Real-Debrid token and the TMDb key: the typed value (or the
//! saved one), tried against the service, answered with the account or the error in words.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::settings::means_saved;
use super::{ApiError, ErrorBody};
use crate::clients::tmdb::TmdbError;
use crate::config::{Secret, Settings};
use crate::state::AppState;

/// A key to try.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(as = KeyCandidate)]
pub struct Candidate {
    /// What the user typed; empty or masked means the saved value.
    #[serde(default)]
    value: String,
}

/// The Real-Debrid account a token belongs to.
#[derive(Debug, Serialize, ToSchema)]
pub struct RealDebridAccount {
    username: String,
    /// Real-Debrid's account type, e.g. `premium`.
    #[serde(rename = "type")]
    kind: String,
    premium: bool,
    premium_days_left: i64,
    #[schema(required)]
    expiration: Option<String>,
}

/// `GET /api/v1/realdebrid/account`: whether the saved token works, and whose account it is.
#[utoipa::path(
    get,
    path = "/api/v1/realdebrid/account",
    operation_id = "getRealDebridAccount",
    tag = "settings",
    responses(
        (status = 200, body = RealDebridAccount),
        (
            status = 502,
            description = "Real-Debrid refused the token, or could not be reached",
            body = ErrorBody,
        ),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub async fn realdebrid_account(
    State(state): State<AppState>,
) -> Result<Json<RealDebridAccount>, ApiError> {
    account(&state, &state.settings.current()).await
}

/// `POST /api/v1/settings/test/realdebrid {"value": "…"}`.
#[utoipa::path(
    post,
    path = "/api/v1/settings/test/realdebrid",
    operation_id = "testRealDebridToken",
    tag = "settings",
    request_body = Candidate,
    responses(
        (status = 200, body = RealDebridAccount),
        (
            status = 502,
            description = "Real-Debrid refused the token, or could not be reached",
            body = ErrorBody,
        ),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub async fn test_realdebrid(
    State(state): State<AppState>,
    Json(candidate): Json<Candidate>,
) -> Result<Json<RealDebridAccount>, ApiError> {
    let mut settings = Settings::clone(&state.settings.current());
    if let Some(token) = typed(&candidate) {
        settings.realdebrid_token = Some(token);
    }
    account(&state, &settings).await
}

/// The TMDb key works.
#[derive(Debug, Serialize, ToSchema)]
pub struct TmdbTestResult {
    /// Always true: a key that does not work is an error.
    ok: bool,
}

/// `POST /api/v1/settings/test/tmdb {"value": "…"}` → `{"ok": true}`.
#[utoipa::path(
    post,
    path = "/api/v1/settings/test/tmdb",
    operation_id = "testTmdbKey",
    tag = "settings",
    request_body = Candidate,
    responses(
        (status = 200, body = TmdbTestResult),
        (
            status = 422,
            description = "TMDb refused the key, or it is missing or malformed",
            body = ErrorBody,
        ),
        (status = 502, description = "TMDb could not be reached", body = ErrorBody),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub async fn test_tmdb(
    State(state): State<AppState>,
    Json(candidate): Json<Candidate>,
) -> Result<Json<TmdbTestResult>, ApiError> {
    let mut settings = Settings::clone(&state.settings.current());
    if let Some(key) = typed(&candidate) {
        settings.tmdb_key = Some(key);
    }
    state
        .tmdb
        .check_key(&settings)
        .await
        .map_err(|error| match error {
            TmdbError::MissingKey | TmdbError::MalformedKey | TmdbError::KeyRejected => {
                ApiError::Unprocessable(format!(
                    "{}: copy the API key or read access token from themoviedb.org → \
                     Settings → API",
                    capitalised(&error.to_string())
                ))
            }
            error => ApiError::BadGateway(capitalised(&error.to_string())),
        })?;
    Ok(Json(TmdbTestResult { ok: true }))
}

async fn account(
    state: &AppState,
    settings: &Settings,
) -> Result<Json<RealDebridAccount>, ApiError> {
    let user = state
        .rd
        .user(settings)
        .await
        .map_err(|error| ApiError::BadGateway(capitalised(&error.to_string())))?;
    Ok(Json(RealDebridAccount {
        premium: user.is_premium(),
        premium_days_left: user.premium_days_left(),
        username: user.username,
        kind: user.kind,
        expiration: user.expiration,
    }))
}

fn typed(candidate: &Candidate) -> Option<Secret> {
    let value = candidate.value.trim();
    (!value.is_empty() && !means_saved(value)).then(|| Secret::new(value))
}

fn capitalised(message: &str) -> String {
    let mut chars = message.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
