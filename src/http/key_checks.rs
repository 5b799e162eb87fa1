//! The "Test" buttons beside the Real-Debrid token and the TMDb key: the typed value (or the
//! saved one), tried against the service, answered with the account or the error in words.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};

use super::ApiError;
use super::settings::MASK;
use crate::clients::tmdb::TmdbError;
use crate::config::{Secret, Settings};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
pub struct Candidate {
    /// What the user typed; empty or masked means the saved value.
    #[serde(default)]
    value: String,
}

#[derive(Debug, Serialize)]
pub struct RealDebridAccount {
    username: String,
    #[serde(rename = "type")]
    kind: String,
    premium: bool,
    premium_days_left: i64,
    expiration: Option<String>,
}

/// `GET /api/v1/realdebrid/account`: whether the saved token works, and whose account it is.
pub async fn realdebrid_account(
    State(state): State<AppState>,
) -> Result<Json<RealDebridAccount>, ApiError> {
    account(&state, &state.settings.current()).await
}

/// `POST /api/v1/settings/test/realdebrid {"value": "…"}`.
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

/// `POST /api/v1/settings/test/tmdb {"value": "…"}` → `{"ok": true}`.
pub async fn test_tmdb(
    State(state): State<AppState>,
    Json(candidate): Json<Candidate>,
) -> Result<Json<serde_json::Value>, ApiError> {
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
    Ok(Json(serde_json::json!({ "ok": true })))
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
    (!value.is_empty() && !value.starts_with(MASK)).then(|| Secret::new(value))
}

fn capitalised(message: &str) -> String {
    let mut chars = message.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
