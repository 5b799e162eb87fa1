//! `/api/v1/overseerr/*`: connecting Overseerr's webhook agent to Linkarr from Linkarr's side.
//! Overseerr has a single webhook agent, so one pointing elsewhere is replaced only when the
//! user confirmed it.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::settings::{apply_changes, means_saved};
use super::{ApiError, ErrorBody};
use crate::clients::overseerr::{OverseerrError, WebhookAgent};
use crate::config::{Secret, SettingKey};
use crate::state::AppState;

/// Where Overseerr is, and its API key.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Server {
    /// Its address, starting with `http://` or `https://`.
    url: String,
    /// Overseerr's API key (Settings → General), or the masked saved one.
    api_key: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Connect {
    #[serde(flatten)]
    server: Server,
    /// The user saw the agent's other URL and wants it replaced.
    #[serde(default)]
    replace_other: bool,
    /// Where Overseerr reaches Linkarr, when not at this machine's LAN address (a container
    /// network, a reverse proxy).
    webhook_url: Option<String>,
}

/// What Overseerr's webhook agent is set to now.
#[derive(Debug, Serialize, ToSchema)]
pub struct Inspection {
    /// Overseerr's version.
    version: String,
    webhook: AgentView,
    /// Where Overseerr should send its webhooks.
    linkarr_webhook_url: String,
    agent: AgentState,
}

/// Where Overseerr's webhook agent sends: nowhere yet, here already, or somewhere else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AgentState {
    Empty,
    Linkarr,
    Other,
}

/// Overseerr's webhook agent's settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgentView {
    enabled: bool,
    /// Overseerr's notification types, as its bit mask.
    types: u64,
    webhook_url: String,
    auth_header_set: bool,
    json_payload_default: bool,
}

/// Overseerr's webhook agent now sends to Linkarr.
#[derive(Debug, Serialize, ToSchema)]
pub struct Connection {
    /// Where it sends.
    webhook_url: String,
    /// Whether Overseerr sent its test notification.
    test_sent: bool,
    /// Why it did not, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    test_error: Option<String>,
}

/// `POST /api/v1/overseerr/inspect {"url", "api_key"}`: what Overseerr's agent is set to now.
#[utoipa::path(
    post,
    path = "/api/v1/overseerr/inspect",
    operation_id = "inspectOverseerr",
    tag = "settings",
    request_body = Server,
    responses(
        (status = 200, body = Inspection),
        (
            status = 422,
            description = "A bad address, or a missing or refused key",
            body = ErrorBody,
        ),
        (
            status = 502,
            description = "Overseerr could not be reached, or answered oddly",
            body = ErrorBody,
        ),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub async fn inspect(
    State(state): State<AppState>,
    Json(server): Json<Server>,
) -> Result<Json<Inspection>, ApiError> {
    let (url, key) = resolve(&state, &server)?;
    let client = state.pipeline.overseerr();
    let version = client.version(&url).await.map_err(explain)?;
    let agent = client.webhook_agent(&url, &key).await.map_err(explain)?;
    let ours = state.webhook_url();
    Ok(Json(Inspection {
        version,
        agent: agent_state(&agent, &ours),
        linkarr_webhook_url: ours,
        webhook: AgentView {
            enabled: agent.enabled,
            types: agent.types,
            auth_header_set: !agent.options.auth_header.is_empty(),
            json_payload_default: agent.has_default_payload(),
            webhook_url: agent.options.webhook_url,
        },
    }))
}

/// `POST /api/v1/overseerr/connect`: saves Overseerr's address and key, points its webhook
/// agent at Linkarr (making a webhook secret first if there is none), and has Overseerr send
/// its test notification.
#[utoipa::path(
    post,
    path = "/api/v1/overseerr/connect",
    operation_id = "connectOverseerr",
    tag = "settings",
    request_body = Connect,
    responses(
        (status = 200, body = Connection),
        (
            status = 409,
            description = "The agent sends elsewhere and `replace_other` was not set",
            body = ErrorBody,
        ),
        (
            status = 422,
            description = "A bad address, a missing or refused key, or an invalid setting",
            body = ErrorBody,
        ),
        (
            status = 502,
            description = "Overseerr could not be reached, or answered oddly",
            body = ErrorBody,
        ),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub async fn connect(
    State(state): State<AppState>,
    Json(request): Json<Connect>,
) -> Result<Json<Connection>, ApiError> {
    let (url, key) = resolve(&state, &request.server)?;
    let client = state.pipeline.overseerr();
    let webhook_url = request
        .webhook_url
        .filter(|url| !url.trim().is_empty())
        .unwrap_or_else(|| state.webhook_url());
    let agent = client.webhook_agent(&url, &key).await.map_err(explain)?;
    if agent_state(&agent, &webhook_url) == AgentState::Other && !request.replace_other {
        return Err(ApiError::Conflict(format!(
            "Overseerr's webhook already sends to {}; confirm to replace it (Overseerr has one \
             webhook agent)",
            agent.options.webhook_url
        )));
    }
    let mut changes = vec![
        (SettingKey::OverseerrUrl, url.clone()),
        (SettingKey::OverseerrKey, key.expose().to_owned()),
    ];
    let secret = match state.settings.current().webhook_secret.clone() {
        Some(secret) => secret,
        None => {
            let secret = Secret::generate();
            changes.push((SettingKey::WebhookSecret, secret.expose().to_owned()));
            secret
        }
    };
    apply_changes(&state, &changes).await?;
    client
        .save_webhook_agent(&url, &key, &webhook_url, secret.expose())
        .await
        .map_err(explain)?;
    tracing::info!("Connected Overseerr's webhook to {webhook_url}");
    let test = client
        .test_webhook_agent(&url, &key, &webhook_url, secret.expose())
        .await;
    Ok(Json(Connection {
        webhook_url,
        test_sent: test.is_ok(),
        test_error: test.err().map(|error| match error {
            OverseerrError::Status(_) => "Overseerr could not deliver its test notification to \
                Linkarr: check that it can reach this address (firewall, container network)"
                .to_owned(),
            error => format!("The test notification was not sent: {error}"),
        }),
    }))
}

/// The URL without a trailing slash, and the key (the saved one when sent back masked).
fn resolve(state: &AppState, server: &Server) -> Result<(String, Secret), ApiError> {
    let url = server.url.trim().trim_end_matches('/').to_owned();
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(ApiError::Unprocessable(
            "Overseerr's address must start with http:// or https://".into(),
        ));
    }
    let key = match server.api_key.trim() {
        masked if means_saved(masked) => state.settings.current().overseerr_key.clone(),
        "" => None,
        key => Some(Secret::new(key)),
    };
    let key = key.ok_or_else(|| {
        ApiError::Unprocessable(
            "Enter Overseerr's API key (Overseerr → Settings → General → API Key)".into(),
        )
    })?;
    Ok((url, key))
}

fn agent_state(agent: &WebhookAgent, ours: &str) -> AgentState {
    match agent.options.webhook_url.trim() {
        "" => AgentState::Empty,
        url if url == ours => AgentState::Linkarr,
        _ => AgentState::Other,
    }
}

fn explain(error: OverseerrError) -> ApiError {
    match error {
        OverseerrError::KeyRejected(_) => ApiError::Unprocessable(
            "Overseerr refused the API key: copy it from Overseerr → Settings → General".into(),
        ),
        error => ApiError::BadGateway(error.to_string()),
    }
}
