//! `/api/v1/settings`: read (keys masked) and change settings while Linkarr runs.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::LazyLock;

use axum::Json;
use axum::extract::State;
use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::net::TcpListener;
use utoipa::openapi::schema::{
    AdditionalProperties, ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, Type,
};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema as _, ToSchema};

use super::{ApiError, ErrorBody};
use crate::config::store::SaveError;
use crate::config::{Secret, SettingKey, Settings};
use crate::db;
use crate::state::AppState;

const MIN_TOKEN_LENGTH: usize = 16;

/// One setting.
#[derive(Debug, Serialize, ToSchema)]
pub struct Setting {
    /// The saved value; for keys, only enough to recognise it (`••••abcd`). Lists and profiles
    /// come as JSON, with the keys inside them masked the same way.
    #[schema(schema_with = shown_value, required)]
    value: Option<Value>,
    secret: bool,
    /// Set by a `LINKARR_*` variable or a flag for this run, which wins over the saved value.
    overridden: bool,
    /// For lists and profiles: what is used while nothing is saved.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = document)]
    default: Option<Value>,
}

/// Every setting, by name.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct Listing(BTreeMap<&'static str, Setting>);

/// The settings to change, by name; the others keep their values.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub struct Changes(BTreeMap<String, Value>);

/// `GET /api/v1/settings`.
#[utoipa::path(
    get,
    path = "/api/v1/settings",
    operation_id = "getSettings",
    tag = "settings",
    responses((status = 200, body = Listing)),
    security(("api_key" = []), ("session" = []))
)]
pub async fn get(State(state): State<AppState>) -> Json<Listing> {
    Json(listing(&state))
}

/// `PUT /api/v1/settings` with `{"tmdb_key": "…", "overseerr_sync_minutes": 10}`; an empty
/// value clears a setting. All or nothing: one invalid value saves none.
#[utoipa::path(
    put,
    path = "/api/v1/settings",
    operation_id = "putSettings",
    tag = "settings",
    request_body = Changes,
    responses(
        (status = 200, description = "Every setting, as saved now", body = Listing),
        (status = 422, description = "An unknown setting or an invalid value", body = ErrorBody),
        (status = 503, description = "Saved, but the listener could not move", body = ErrorBody),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub async fn put(
    State(state): State<AppState>,
    Json(Changes(body)): Json<Changes>,
) -> Result<Json<Listing>, ApiError> {
    let mut changes = Vec::new();
    for (name, value) in body {
        let key = SettingKey::from_name(&name)
            .ok_or_else(|| ApiError::Unprocessable(format!("There is no setting {name:?}")))?;
        let value = match value {
            Value::Null => String::new(),
            Value::String(text) if key.is_secret() && means_saved(&text) => continue,
            Value::String(text) => text,
            Value::Number(_) | Value::Bool(_) => value.to_string(),
            Value::Array(_) | Value::Object(_) if key.is_json() => {
                let mut value = value;
                if key == SettingKey::Sources {
                    keep_masked_keys(&mut value, state.settings.saved(key).as_deref());
                }
                value.to_string()
            }
            Value::Array(_) | Value::Object(_) => {
                return Err(ApiError::Unprocessable(format!(
                    "{name}: expected a single value"
                )));
            }
        };
        // Without a token nobody, the window included, could reach the API again.
        if key == SettingKey::ApiToken && value.trim().chars().count() < MIN_TOKEN_LENGTH {
            return Err(ApiError::Unprocessable(format!(
                "api_token: use at least {MIN_TOKEN_LENGTH} characters"
            )));
        }
        changes.push((key, value));
    }
    apply_changes(&state, &changes).await?;
    Ok(Json(listing(&state)))
}

/// Saves `changes` (all or none) and lets whatever depends on them know: blocked jobs retry,
/// the catch-up sync runs, sessions end when the secrets they were opened with change.
pub(super) async fn apply_changes(
    state: &AppState,
    changes: &[(SettingKey, String)],
) -> Result<(), ApiError> {
    let moving = new_listener(state, changes).await?;
    state
        .settings
        .save(&state.db, changes)
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
    if changed(&[SettingKey::RealdebridToken, SettingKey::RealdebridUrl]) {
        state
            .pipeline
            .setting_changed(SettingKey::RealdebridToken.name())
            .await?;
    }
    for key in [
        SettingKey::Sources,
        SettingKey::QualityProfile,
        SettingKey::QualityProfile4k,
    ] {
        if changed(&[key]) {
            state.pipeline.setting_changed(key.name()).await?;
        }
    }
    if changed(&[SettingKey::OverseerrUrl, SettingKey::OverseerrKey]) {
        state.sync_now.notify_one();
    }
    if changed(&[SettingKey::ApiToken, SettingKey::RemotePassword]) {
        db::sessions::delete_all(&state.db).await?;
    }

    if let Some(listener) = moving {
        state
            .listen
            .move_to(listener)
            .await
            .map_err(|error| ApiError::Unavailable(error.to_string()))?;
    }
    Ok(())
}

/// When `changes` move the listener (port, bind address): the new one, bound already, so an
/// address that cannot be used is refused before anything is saved.
async fn new_listener(
    state: &AppState,
    changes: &[(SettingKey, String)],
) -> Result<Option<TcpListener>, ApiError> {
    if !changes
        .iter()
        .any(|(key, _)| matches!(key, SettingKey::Port | SettingKey::Bind))
    {
        return Ok(None);
    }
    let next = state
        .settings
        .preview(changes)
        .map_err(|invalid| ApiError::Unprocessable(invalid.to_string()))?;
    let current = state.settings.current();
    if (next.bind, next.port) == (current.bind, current.port) {
        return Ok(None);
    }
    let addr = SocketAddr::new(next.bind, next.port);
    let listener = TcpListener::bind(addr).await.map_err(|error| {
        ApiError::Unprocessable(format!(
            "Linkarr cannot listen on {addr} ({error}): choose another port or address"
        ))
    })?;
    Ok(Some(listener))
}

/// `POST /api/v1/settings/webhook-secret`: a new webhook secret, saved and shown whole this
/// once, for pasting into Overseerr.
#[utoipa::path(
    post,
    path = "/api/v1/settings/webhook-secret",
    operation_id = "generateWebhookSecret",
    tag = "settings",
    responses((status = 200, body = WebhookSecret)),
    security(("api_key" = []), ("session" = []))
)]
pub async fn generate_webhook_secret(
    State(state): State<AppState>,
) -> Result<Json<WebhookSecret>, ApiError> {
    let secret = Secret::generate();
    let value = secret.expose().to_owned();
    apply_changes(&state, &[(SettingKey::WebhookSecret, value.clone())]).await?;
    Ok(Json(WebhookSecret { secret: value }))
}

/// A new webhook secret, shown whole this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookSecret {
    secret: String,
}

fn listing(state: &AppState) -> Listing {
    let settings = SettingKey::ALL
        .into_iter()
        .map(|key| {
            let value = state.settings.saved(key).filter(|value| !value.is_empty());
            let value = match (key.is_secret(), key.is_json()) {
                (true, _) => value.map(|v| Value::String(mask(&v))),
                (false, true) => value.map(|v| masked_document(&v)),
                (false, false) => value.map(Value::String),
            };
            let setting = Setting {
                value,
                secret: key.is_secret(),
                overridden: state.settings.is_overridden(key),
                default: key.is_json().then(|| default_document(key)),
            };
            (key.name(), setting)
        })
        .collect();
    Listing(settings)
}

/// A saved list or profile as JSON, each `api_key` in it masked.
fn masked_document(saved: &str) -> Value {
    let mut value: Value = serde_json::from_str(saved).unwrap_or(Value::Null);
    if let Value::Array(entries) = &mut value {
        for entry in entries {
            if let Some(Value::String(key)) = entry.get_mut("api_key") {
                *key = mask(key);
            }
            if let Some(Value::String(url)) = entry.get_mut("url") {
                *url = mask_url(url);
            }
        }
    }
    value
}

/// Keys some addons and indexers carry in their address (`?apikey=…`, Torrentio's
/// `realdebrid=…` config), masked like any other.
fn mask_url(url: &str) -> String {
    static KEYS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)(^|[?&|/]|%7C)(apikey|api_key|token|key|realdebrid|premiumize|alldebrid|debridlink|torbox|putio|offcloud|easydebrid)=([^&|/%]+)",
        )
        .expect("valid pattern")
    });
    let mut masked = url.to_owned();
    // Again while it changes: one match's end can be the next one's start.
    for _ in 0..4 {
        let next = KEYS
            .replace_all(&masked, format!("${{1}}${{2}}={MASK}"))
            .into_owned();
        if next == masked {
            break;
        }
        masked = next;
    }
    masked
}

fn default_document(key: SettingKey) -> Value {
    let defaults = Settings::default();
    match key {
        SettingKey::Sources => defaults
            .sources
            .iter()
            .map(|source| {
                serde_json::json!({
                    "name": source.name, "kind": source.kind, "url": source.url,
                    "timeout_secs": source.timeout_secs, "enabled": source.enabled,
                })
            })
            .collect::<Vec<Value>>()
            .into(),
        SettingKey::QualityProfile => {
            serde_json::to_value(defaults.quality_profile).unwrap_or_default()
        }
        SettingKey::QualityProfile4k => {
            serde_json::to_value(defaults.quality_profile_4k).unwrap_or_default()
        }
        _ => Value::Null,
    }
}

/// The UI sends back what it was shown: a masked `api_key` means "keep the saved one" of the
/// source with the same name.
fn keep_masked_keys(sources: &mut Value, saved: Option<&str>) {
    let saved: Vec<Value> = saved
        .and_then(|saved| serde_json::from_str(saved).ok())
        .unwrap_or_default();
    let Value::Array(entries) = sources else {
        return;
    };
    for entry in entries {
        let old = saved
            .iter()
            .find(|old| old.get("name") == entry.get("name"));
        for field in ["api_key", "url"] {
            let masked =
                matches!(entry.get(field), Some(Value::String(text)) if text.contains(MASK));
            if !masked {
                continue;
            }
            let kept = old.and_then(|old| old.get(field)).cloned();
            if let Value::Object(fields) = entry {
                match kept {
                    Some(value) => fields.insert(field.into(), value),
                    None => fields.remove(field),
                };
            }
        }
    }
}

/// The last four characters of a long key, none of a short one.
fn mask(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    let shown: String = match chars.len() {
        0..=11 => String::new(),
        n => chars[n - 4..].iter().collect(),
    };
    format!("{MASK}{shown}")
}

/// A secret sent back as the API showed it (masked): the user did not edit it, so it means
/// "keep the saved one". The settings, the Test buttons and Overseerr's connect all ask this.
pub(super) fn means_saved(sent: &str) -> bool {
    sent.starts_with(MASK)
}

const MASK: &str = "••••";

// The API's description of the settings: every name, and what each value may be.

impl utoipa::PartialSchema for Listing {
    fn schema() -> RefOr<Schema> {
        let setting = Ref::from_schema_name(Setting::name());
        let object = SettingKey::ALL
            .into_iter()
            .fold(ObjectBuilder::new(), |object, key| {
                object
                    .property(key.name(), setting.clone())
                    .required(key.name())
            })
            .description(Some("Every setting, by name."));
        object.into()
    }
}

impl ToSchema for Listing {
    fn name() -> std::borrow::Cow<'static, str> {
        "Settings".into()
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((Setting::name().into(), Setting::schema()));
    }
}

impl utoipa::PartialSchema for Changes {
    fn schema() -> RefOr<Schema> {
        let value = Ref::from_schema_name("SettingInput");
        let object = SettingKey::ALL
            .into_iter()
            .fold(ObjectBuilder::new(), |object, key| {
                object.property(key.name(), value.clone())
            })
            .description(Some(
                "The settings to change, by name; the others keep their values.",
            ));
        object
            .additional_properties(Some(AdditionalProperties::FreeForm(false)))
            .into()
    }
}

impl ToSchema for Changes {
    fn name() -> std::borrow::Cow<'static, str> {
        "SettingChanges".into()
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        let scalars = [Type::String, Type::Number, Type::Boolean, Type::Null];
        let one_of = scalars
            .into_iter()
            .fold(OneOfBuilder::new(), |one_of, kind| {
                one_of.item(ObjectBuilder::new().schema_type(kind))
            });
        let input = documents(one_of).description(Some(
            "A setting's new value: text, a number, true or false, or a list's or profile's \
             JSON. An empty text or null clears it.",
        ));
        schemas.push(("SettingInput".into(), input.into()));
    }
}

/// A saved value: text (a key masked), or a list's or profile's JSON.
fn shown_value() -> OneOfBuilder {
    let one_of = OneOfBuilder::new().item(ObjectBuilder::new().schema_type(Type::String));
    documents(one_of).item(ObjectBuilder::new().schema_type(Type::Null))
}

/// A list's or profile's default.
fn document() -> OneOfBuilder {
    documents(OneOfBuilder::new())
}

fn documents(one_of: OneOfBuilder) -> OneOfBuilder {
    one_of
        .item(ArrayBuilder::new().items(Ref::from_schema_name("SourceConfig")))
        .item(Ref::from_schema_name("QualityProfile"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_keys_are_masked_and_a_masked_key_sent_back_keeps_the_saved_one() {
        let saved = r#"[{"name": "Prowlarr", "kind": "torznab", "url": "http://nas/1/api", "api_key": "0123456789abcdef0123"}]"#;
        let shown = masked_document(saved);
        assert_eq!(shown[0]["api_key"], "••••0123");

        let mut sent = shown;
        sent.as_array_mut().unwrap().push(serde_json::json!(
            {"name": "Jackett", "kind": "torznab", "url": "http://nas/j", "api_key": "••••"}
        ));
        keep_masked_keys(&mut sent, Some(saved));
        assert_eq!(sent[0]["api_key"], "0123456789abcdef0123");
        assert!(sent[1].get("api_key").is_none(), "nothing saved to keep");
    }

    #[test]
    fn keys_in_addresses_are_masked_and_kept_when_sent_back() {
        assert_eq!(
            mask_url(
                "https://torrentio.strem.fun/sort=qualitysize%7Crealdebrid=ABCDEF123456%7Climit=2"
            ),
            "https://torrentio.strem.fun/sort=qualitysize%7Crealdebrid=••••%7Climit=2"
        );
        assert_eq!(
            mask_url(
                "http://nas:9117/api/v2.0/indexers/all/results/torznab/api?apikey=s3cr3t&t=caps"
            ),
            "http://nas:9117/api/v2.0/indexers/all/results/torznab/api?apikey=••••&t=caps"
        );
        assert_eq!(
            mask_url("https://torrentio.strem.fun"),
            "https://torrentio.strem.fun"
        );
        let saved =
            r#"[{"name": "Jackett", "kind": "torznab", "url": "http://nas/api?apikey=s3cr3t"}]"#;
        let mut sent = masked_document(saved);
        keep_masked_keys(&mut sent, Some(saved));
        assert_eq!(sent[0]["url"], "http://nas/api?apikey=s3cr3t");
    }

    #[test]
    fn masks_never_reveal_a_short_secret_and_only_the_tail_of_a_long_one() {
        assert_eq!(mask("hunter2"), "••••");
        assert_eq!(mask("0123456789abcdef0123456789abcdef"), "••••cdef");
    }

    #[test]
    fn a_secret_sent_back_as_shown_means_the_saved_one() {
        assert!(means_saved(&mask("hunter2")));
        assert!(means_saved(&mask("0123456789abcdef0123456789abcdef")));
        assert!(!means_saved("0123456789abcdef"));
        assert!(!means_saved(""));
    }
}
