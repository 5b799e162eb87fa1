//! `/api/v1/settings`: read (keys masked) and change settings while Linkarr runs.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use serde_json::Value;

use super::ApiError;
use crate::config::SettingKey;
use crate::config::store::SaveError;
use crate::state::AppState;

const MIN_TOKEN_LENGTH: usize = 16;

#[derive(Debug, Serialize)]
pub struct Setting {
    /// The saved value; for keys, only enough to recognise it (`••••abcd`).
    value: Option<String>,
    secret: bool,
    /// Set by a `LINKARR_*` variable or a flag for this run, which wins over the saved value.
    overridden: bool,
}

/// `GET /api/v1/settings`.
pub async fn get(State(state): State<AppState>) -> Json<BTreeMap<&'static str, Setting>> {
    Json(listing(&state))
}

/// `PUT /api/v1/settings` with `{"tmdb_key": "…", "overseerr_sync_minutes": 10}`; an empty
/// value clears a setting. All or nothing: one invalid value saves none.
pub async fn put(
    State(state): State<AppState>,
    Json(body): Json<BTreeMap<String, Value>>,
) -> Result<Json<BTreeMap<&'static str, Setting>>, ApiError> {
    let mut changes = Vec::new();
    for (name, value) in body {
        let key = SettingKey::from_name(&name)
            .ok_or_else(|| ApiError::Unprocessable(format!("There is no setting {name:?}")))?;
        let value = match value {
            Value::String(text) => text,
            Value::Null => String::new(),
            Value::Number(_) | Value::Bool(_) => value.to_string(),
            Value::Array(_) | Value::Object(_) => {
                return Err(ApiError::Unprocessable(format!(
                    "{name}: expected a single value"
                )));
            }
        };
        // Without a token nobody, the window included, could reach the API again.
        if key == SettingKey::ApiToken && value.trim().len() < MIN_TOKEN_LENGTH {
            return Err(ApiError::Unprocessable(format!(
                "api_token: use at least {MIN_TOKEN_LENGTH} characters"
            )));
        }
        changes.push((key, value));
    }
    state
        .settings
        .save(&state.db, &changes)
        .await
        .map_err(|error| match error {
            SaveError::Invalid(invalid) => ApiError::Unprocessable(invalid.to_string()),
            SaveError::Database(error) => error.into(),
        })?;
    let changed = |wanted: &[SettingKey]| changes.iter().any(|(key, _)| wanted.contains(key));
    if changed(&[SettingKey::TmdbKey, SettingKey::TmdbUrl]) {
        state
            .pipeline
            .setting_changed(SettingKey::TmdbKey.name())
            .await?;
    }
    if changed(&[SettingKey::OverseerrUrl, SettingKey::OverseerrKey]) {
        state.sync_now.notify_one();
    }
    Ok(Json(listing(&state)))
}

fn listing(state: &AppState) -> BTreeMap<&'static str, Setting> {
    SettingKey::ALL
        .into_iter()
        .map(|key| {
            let value = state.settings.saved(key).filter(|value| !value.is_empty());
            let setting = Setting {
                value: if key.is_secret() {
                    value.map(|v| mask(&v))
                } else {
                    value
                },
                secret: key.is_secret(),
                overridden: state.settings.is_overridden(key),
            };
            (key.name(), setting)
        })
        .collect()
}

/// The last four characters of a long key, none of a short one.
fn mask(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    let shown: String = match chars.len() {
        0..=11 => String::new(),
        n => chars[n - 4..].iter().collect(),
    };
    format!("••••{shown}")
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn masks_never_reveal_a_short_secret_and_only_the_tail_of_a_long_one() {
        assert_eq!(mask("hunter2"), "••••");
        assert_eq!(mask("0123456789abcdef0123456789abcdef"), "••••cdef");
    }
}
