//! Overseerr's (and Jellyseerr's) webhook agent, read and written through its settings API so
//! Linkarr can connect itself (reference: overseerr-api.md, "Configuring Overseerr's webhook
//! agent through the API").

use serde::{Deserialize, Serialize};

use super::{OverseerrClient, OverseerrError, read, unreachable};
use crate::config::Secret;

const AGENT_PATH: &str = "/api/v1/settings/notifications/webhook";

/// The notification types Linkarr acts on: MEDIA_APPROVED 4 + MEDIA_AVAILABLE 8 +
/// MEDIA_AUTO_APPROVED 128.
pub const LINKARR_TYPES: u64 = 4 + 8 + 128;

/// Overseerr's own default JSON payload (its "Reset to Default"), which Linkarr reads.
pub const DEFAULT_TEMPLATE: &str = r#"{
    "notification_type": "{{notification_type}}",
    "event": "{{event}}",
    "subject": "{{subject}}",
    "message": "{{message}}",
    "image": "{{image}}",
    "{{media}}": {
        "media_type": "{{media_type}}",
        "tmdbId": "{{media_tmdbid}}",
        "tvdbId": "{{media_tvdbid}}",
        "status": "{{media_status}}",
        "status4k": "{{media_status4k}}"
    },
    "{{request}}": {
        "request_id": "{{request_id}}",
        "requestedBy_email": "{{requestedBy_email}}",
        "requestedBy_username": "{{requestedBy_username}}",
        "requestedBy_avatar": "{{requestedBy_avatar}}",
        "requestedBy_settings_discordId": "{{requestedBy_settings_discordId}}",
        "requestedBy_settings_telegramChatId": "{{requestedBy_settings_telegramChatId}}"
    },
    "{{issue}}": {
        "issue_id": "{{issue_id}}",
        "issue_type": "{{issue_type}}",
        "issue_status": "{{issue_status}}",
        "reportedBy_email": "{{reportedBy_email}}",
        "reportedBy_username": "{{reportedBy_username}}",
        "reportedBy_avatar": "{{reportedBy_avatar}}",
        "reportedBy_settings_discordId": "{{reportedBy_settings_discordId}}",
        "reportedBy_settings_telegramChatId": "{{reportedBy_settings_telegramChatId}}"
    },
    "{{comment}}": {
        "comment_message": "{{comment_message}}",
        "commentedBy_email": "{{commentedBy_email}}",
        "commentedBy_username": "{{commentedBy_username}}",
        "commentedBy_avatar": "{{commentedBy_avatar}}",
        "commentedBy_settings_discordId": "{{commentedBy_settings_discordId}}",
        "commentedBy_settings_telegramChatId": "{{commentedBy_settings_telegramChatId}}"
    },
    "{{extra}}": []
}"#;

/// The agent's settings as Overseerr answers them: `jsonPayload` is the template's text.
#[derive(Clone, Debug, Deserialize)]
pub struct WebhookAgent {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub types: u64,
    #[serde(default)]
    pub options: AgentOptions,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AgentOptions {
    pub webhook_url: String,
    pub auth_header: String,
    pub json_payload: String,
}

impl WebhookAgent {
    /// Whether the payload is Overseerr's default (the one Linkarr reads), whatever its spacing.
    pub fn has_default_payload(&self) -> bool {
        let payload = template(&self.options.json_payload);
        payload.is_some() && payload == template(DEFAULT_TEMPLATE)
    }
}

/// The template as JSON, from its text or from the text encoded once more (servers differ in
/// which of the two their settings API answers).
fn template(text: &str) -> Option<serde_json::Value> {
    match serde_json::from_str(text).ok()? {
        serde_json::Value::String(inner) => serde_json::from_str(&inner).ok(),
        template => Some(template),
    }
}

/// What Linkarr writes: the agent on, Linkarr's types, its URL and secret, the default payload.
#[derive(Debug, Serialize)]
struct AgentSettings<'a> {
    enabled: bool,
    types: u64,
    options: AgentSettingsOptions<'a>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct AgentSettingsOptions<'a> {
    webhook_url: &'a str,
    auth_header: &'a str,
    /// The template text JSON-encoded once more, as Overseerr's own settings page sends it:
    /// the agent parses it twice on every delivery.
    json_payload: String,
}

#[derive(Debug, Deserialize)]
struct ServerStatus {
    version: String,
}

impl OverseerrClient {
    /// `GET /api/v1/status`: which version answers (no key needed).
    pub async fn version(&self, base_url: &str) -> Result<String, OverseerrError> {
        let response = self
            .http
            .get(format!("{base_url}/api/v1/status"))
            .send()
            .await
            .map_err(unreachable)?;
        read::<ServerStatus>(response)
            .await
            .map(|status| status.version)
    }

    pub async fn webhook_agent(
        &self,
        base_url: &str,
        key: &Secret,
    ) -> Result<WebhookAgent, OverseerrError> {
        let response = self
            .http
            .get(format!("{base_url}{AGENT_PATH}"))
            .header("X-Api-Key", key.expose())
            .send()
            .await
            .map_err(unreachable)?;
        read(response).await
    }

    /// Saves the agent pointing at `webhook_url` with `auth_header` (may be empty).
    pub async fn save_webhook_agent(
        &self,
        base_url: &str,
        key: &Secret,
        webhook_url: &str,
        auth_header: &str,
    ) -> Result<(), OverseerrError> {
        self.post_agent(base_url, AGENT_PATH, key, webhook_url, auth_header)
            .await
    }

    /// Asks Overseerr to send its test notification with these values; it waits for Linkarr's
    /// answer and fails (500) when the delivery did.
    pub async fn test_webhook_agent(
        &self,
        base_url: &str,
        key: &Secret,
        webhook_url: &str,
        auth_header: &str,
    ) -> Result<(), OverseerrError> {
        let path = format!("{AGENT_PATH}/test");
        self.post_agent(base_url, &path, key, webhook_url, auth_header)
            .await
    }

    async fn post_agent(
        &self,
        base_url: &str,
        path: &str,
        key: &Secret,
        webhook_url: &str,
        auth_header: &str,
    ) -> Result<(), OverseerrError> {
        let settings = AgentSettings {
            enabled: true,
            types: LINKARR_TYPES,
            options: AgentSettingsOptions {
                webhook_url,
                auth_header,
                json_payload: serde_json::Value::from(DEFAULT_TEMPLATE).to_string(),
            },
        };
        let response = self
            .http
            .post(format!("{base_url}{path}"))
            .header("X-Api-Key", key.expose())
            .json(&settings)
            .send()
            .await
            .map_err(unreachable)?;
        match response.status() {
            status if status.is_success() => Ok(()),
            _ => read::<serde_json::Value>(response).await.map(drop),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_template_is_json_with_overseerrs_keys() {
        let template: serde_json::Value = serde_json::from_str(DEFAULT_TEMPLATE).unwrap();
        assert_eq!(template["notification_type"], "{{notification_type}}");
        assert_eq!(template["{{media}}"]["tmdbId"], "{{media_tmdbid}}");
        assert_eq!(template["{{extra}}"], serde_json::json!([]));
    }

    #[test]
    fn a_reformatted_default_payload_still_counts_as_default() {
        let compact = serde_json::from_str::<serde_json::Value>(DEFAULT_TEMPLATE)
            .unwrap()
            .to_string();
        let agent = |payload: &str| WebhookAgent {
            enabled: true,
            types: LINKARR_TYPES,
            options: AgentOptions {
                json_payload: payload.to_owned(),
                ..AgentOptions::default()
            },
        };
        assert!(agent(&compact).has_default_payload());
        assert!(!agent(r#"{"subject": "{{subject}}"}"#).has_default_payload());
        assert!(!agent("not json").has_default_payload());
    }
}
