//! Overseerr's `GET /api/v1/request` as `reference/overseerr-api.md` describes it: X-Api-Key
//! (401 without, 403 wrong), offset paging with `pageInfo`, 400 for parameters it does not
//! know. The requests are the recorded page (#3 The Matrix, #11 Breaking Bad seasons 1-2),
//! plus any a test adds.
//!
//! Also the webhook agent's settings (`reference/overseerr-api.md`, "Configuring Overseerr's
//! webhook agent through the API"; `reference/overseerr.md` §1): `GET`/`POST
//! /api/v1/settings/notifications/webhook` and `POST .../webhook/test`, which really renders
//! the template and POSTs a TEST_NOTIFICATION to the given URL; the public `GET /api/v1/status`
//! and `GET /api/v1/auth/me` (the admin) to check a key.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Map, Value, json};

use super::FIXTURES_ROOT;

pub const KEY: &str = "overseerr-sim-key";

/// The agent's default template (settings.ts) as its settings page shows it: the text of a
/// JSON object, placeholders in string values and as the keys of the optional blocks.
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

/// MEDIA_APPROVED 4 + MEDIA_AVAILABLE 8 + MEDIA_AUTO_APPROVED 128.
pub const LINKARR_TYPES: i64 = 140;

/// The webhook agent as Overseerr stores it: `json_payload` is what the last save sent
/// (Overseerr keeps it base64-encoded; the simulator keeps the text).
#[derive(Clone, Debug)]
pub struct Agent {
    pub enabled: bool,
    pub types: i64,
    pub webhook_url: String,
    pub auth_header: String,
    pub json_payload: String,
}

impl Default for Agent {
    /// A fresh Overseerr: off, no types, no URL, the default template.
    fn default() -> Self {
        Self {
            enabled: false,
            types: 0,
            webhook_url: String::new(),
            auth_header: String::new(),
            json_payload: Value::from(DEFAULT_TEMPLATE).to_string(),
        }
    }
}

/// One POST the test endpoint made.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub url: String,
    /// The Authorization header sent, if any.
    pub authorization: Option<String>,
    pub body: Value,
    /// The receiver's status, or None when it could not be reached.
    pub status: Option<u16>,
}

#[derive(Default)]
pub struct Overseerr {
    requests: Mutex<Vec<Value>>,
    pub pages_served: Mutex<usize>,
    /// (media id, body) of every "mark available".
    pub marked: Mutex<Vec<(i64, Value)>>,
    agent: Mutex<Agent>,
    /// The body of every accepted `POST /api/v1/settings/notifications/webhook`, as sent.
    pub agent_saves: Mutex<Vec<Value>>,
    /// Every TEST_NOTIFICATION the test endpoint sent.
    pub test_deliveries: Mutex<Vec<Delivery>>,
}

impl Overseerr {
    /// Another approved, not yet available movie request, made from the recorded #3.
    pub fn add_movie_request(&self, request_id: i64, tmdb_id: i64) {
        let mut requests = self.requests.lock().unwrap();
        let mut request = requests
            .iter()
            .find(|r| r["type"] == "movie")
            .unwrap()
            .clone();
        request["id"] = json!(request_id);
        request["media"]["tmdbId"] = json!(tmdb_id);
        request["media"]["id"] = json!(request_id + 1000);
        requests.insert(0, request); // sort=added: newest first
    }

    /// The webhook agent as it is now.
    pub fn agent(&self) -> Agent {
        self.agent.lock().unwrap().clone()
    }

    /// Configures the webhook agent as if someone had saved it in Overseerr's settings.
    pub fn set_agent(&self, agent: Agent) {
        *self.agent.lock().unwrap() = agent;
    }

    pub fn agent_saves(&self) -> Vec<Value> {
        self.agent_saves.lock().unwrap().clone()
    }

    pub fn test_deliveries(&self) -> Vec<Delivery> {
        self.test_deliveries.lock().unwrap().clone()
    }
}

pub async fn start() -> (String, Arc<Overseerr>) {
    let page: Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{FIXTURES_ROOT}/overseerr-api/request_page_processing.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let overseerr = Arc::new(Overseerr {
        requests: Mutex::new(page["results"].as_array().unwrap().clone()),
        ..Overseerr::default()
    });
    let router = Router::new()
        .route("/api/v1/request", get(list))
        .route("/api/v1/request/{id}", get(one))
        .route("/api/v1/media/{id}/available", post(mark_available))
        .route("/api/v1/status", get(status))
        .route("/api/v1/auth/me", get(me))
        .route(
            "/api/v1/settings/notifications/webhook",
            get(get_agent).post(save_agent),
        )
        .route(
            "/api/v1/settings/notifications/webhook/test",
            post(test_agent),
        )
        .with_state(overseerr.clone());
    let addr = super::serve(router).await;
    (format!("http://{addr}"), overseerr)
}

/// Overseerr's answer to a missing or wrong key, if it is one.
fn refuse(headers: &HeaderMap) -> Option<Response> {
    match headers.get("x-api-key").and_then(|key| key.to_str().ok()) {
        None | Some("") => {
            let body = json!({"message": "cookie 'connect.sid' required",
                "errors": [{"path": "/api/v1/request", "message": "cookie 'connect.sid' required"}]});
            Some((StatusCode::UNAUTHORIZED, axum::Json(body)).into_response())
        }
        Some(key) if key != KEY => {
            let body = json!({"status": 403, "error": "You do not have permission to access this endpoint"});
            Some((StatusCode::FORBIDDEN, axum::Json(body)).into_response())
        }
        Some(_) => None,
    }
}

/// `GET /api/v1/request/{id}`.
async fn one(
    State(overseerr): State<Arc<Overseerr>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    if let Some(refused) = refuse(&headers) {
        return refused;
    }
    let requests = overseerr.requests.lock().unwrap();
    match requests.iter().find(|r| r["id"] == id) {
        Some(request) => axum::Json(request.clone()).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            axum::Json(json!({"message": "Request not found."})),
        )
            .into_response(),
    }
}

/// `POST /api/v1/media/{id}/available` with `{"is4k": false}` (and `seasons` for a show).
async fn mark_available(
    State(overseerr): State<Arc<Overseerr>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    if let Some(refused) = refuse(&headers) {
        return refused;
    }
    let requests = overseerr.requests.lock().unwrap();
    let Some(request) = requests.iter().find(|r| r["media"]["id"] == id) else {
        return (
            StatusCode::NOT_FOUND,
            axum::Json(json!({"message": "Media does not exist."})),
        )
            .into_response();
    };
    let mut media = request["media"].clone();
    media["status"] = json!(5);
    media["seasons"] = json!([]);
    overseerr.marked.lock().unwrap().push((id, body));
    axum::Json(media).into_response()
}

async fn list(
    State(overseerr): State<Arc<Overseerr>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Some(refused) = refuse(&headers) {
        return refused;
    }
    if let Some(unknown) = query
        .keys()
        .find(|k| !["take", "skip", "filter", "sort", "requestedBy"].contains(&k.as_str()))
    {
        let body = json!({"message": format!("Unknown query parameter '{unknown}'")});
        return (StatusCode::BAD_REQUEST, axum::Json(body)).into_response();
    }
    let number = |name: &str, default: usize| {
        query
            .get(name)
            .and_then(|v| v.parse().ok())
            .filter(|n| *n > 0)
            .unwrap_or(default)
    };
    let (take, skip) = (
        number("take", 10),
        query.get("skip").and_then(|v| v.parse().ok()).unwrap_or(0),
    );
    let requests = overseerr.requests.lock().unwrap();
    // The recorded requests are all approved and not yet available: `processing` lists them all.
    let selected: Vec<&Value> = match query.get("filter").map(String::as_str) {
        None | Some("all" | "approved" | "processing" | "unavailable") => requests.iter().collect(),
        Some("pending" | "available" | "failed") => Vec::new(),
        Some(other) => {
            let body = json!({"message": format!("request.query.filter should be equal to one of the allowed values: all, approved, available, pending, processing, unavailable, failed (got {other})")});
            return (StatusCode::BAD_REQUEST, axum::Json(body)).into_response();
        }
    };
    *overseerr.pages_served.lock().unwrap() += 1;
    let page: Vec<&Value> = selected.iter().skip(skip).take(take).copied().collect();
    axum::Json(json!({
        "pageInfo": {"pages": selected.len().div_ceil(take), "pageSize": take,
                     "results": selected.len(), "page": skip.div_ceil(take) + 1},
        "results": page,
    }))
    .into_response()
}

/// `GET /api/v1/status`: public, any key or none.
async fn status() -> Response {
    let text =
        std::fs::read_to_string(format!("{FIXTURES_ROOT}/overseerr-api/status.json")).unwrap();
    let body: Value = serde_json::from_str(&text).unwrap();
    axum::Json(body).into_response()
}

/// `GET /api/v1/auth/me`: the admin the key belongs to.
async fn me(headers: HeaderMap) -> Response {
    if let Some(refused) = refuse(&headers) {
        return refused;
    }
    axum::Json(json!({
        "permissions": 2, "id": 1, "email": "admin@seerr.dev", "plexUsername": null,
        "username": "admin", "userType": 2, "displayName": "admin", "requestCount": 0,
    }))
    .into_response()
}

/// `GET /api/v1/settings/notifications/webhook`: the stored payload decoded and parsed once,
/// so a payload saved as Overseerr's page saves it comes back as the template text.
async fn get_agent(State(overseerr): State<Arc<Overseerr>>, headers: HeaderMap) -> Response {
    if let Some(refused) = refuse(&headers) {
        return refused;
    }
    let agent = overseerr.agent();
    let payload: Value = serde_json::from_str(&agent.json_payload).unwrap_or(Value::Null);
    axum::Json(json!({
        "enabled": agent.enabled,
        "types": agent.types,
        "options": {
            "webhookUrl": agent.webhook_url,
            "authHeader": agent.auth_header,
            "jsonPayload": payload,
        },
    }))
    .into_response()
}

/// The agent a settings body describes, after the server's one check (`options.jsonPayload`
/// must be a string holding JSON), or the message of Overseerr's 500 for it.
fn agent_from(body: &Value) -> Result<Agent, String> {
    let options = &body["options"];
    let Some(payload) = options["jsonPayload"].as_str() else {
        // JSON.parse of a non-string coerces it to "[object Object]" first.
        return Err("Unexpected token o in JSON at position 1".to_owned());
    };
    if let Err(error) = serde_json::from_str::<Value>(payload) {
        return Err(format!("Unexpected token in JSON: {error}"));
    }
    let text = |name: &str| options[name].as_str().unwrap_or_default().to_owned();
    Ok(Agent {
        enabled: body["enabled"].as_bool().unwrap_or(false),
        types: body["types"].as_i64().unwrap_or(0),
        webhook_url: text("webhookUrl"),
        auth_header: text("authHeader"),
        json_payload: payload.to_owned(),
    })
}

/// Overseerr's error answer: `next({status: 500, message})`.
fn server_error(message: &str) -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        axum::Json(json!({"message": message})),
    )
        .into_response()
}

/// `POST /api/v1/settings/notifications/webhook`: replaces the one agent; answers it as stored
/// (the payload base64-encoded, as Overseerr answers it).
async fn save_agent(
    State(overseerr): State<Arc<Overseerr>>,
    headers: HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    if let Some(refused) = refuse(&headers) {
        return refused;
    }
    let agent = match agent_from(&body) {
        Ok(agent) => agent,
        Err(message) => return server_error(&message),
    };
    overseerr.agent_saves.lock().unwrap().push(body);
    let stored = json!({
        "enabled": agent.enabled,
        "types": agent.types,
        "options": {
            "webhookUrl": agent.webhook_url,
            "authHeader": agent.auth_header,
            "jsonPayload": base64(agent.json_payload.as_bytes()),
        },
    });
    overseerr.set_agent(agent);
    axum::Json(stored).into_response()
}

/// `POST /api/v1/settings/notifications/webhook/test` with the *unsaved* form values: sends
/// TEST_NOTIFICATION with them and waits for the receiver; 204 on a 2xx, else 500.
async fn test_agent(
    State(overseerr): State<Arc<Overseerr>>,
    headers: HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    if let Some(refused) = refuse(&headers) {
        return refused;
    }
    let agent = match agent_from(&body) {
        Ok(agent) => agent,
        Err(message) => return server_error(&message),
    };
    let failed = || server_error("Failed to send webhook notification.");
    // The agent decodes the stored payload and parses it twice.
    let template = serde_json::from_str::<Value>(&agent.json_payload)
        .ok()
        .and_then(|once| serde_json::from_str::<Value>(once.as_str()?).ok());
    let (Some(template), false) = (template, agent.webhook_url.is_empty()) else {
        return failed();
    };
    let rendered = render(&template, &test_variables());
    let client = reqwest::Client::new();
    let mut post = client
        .post(&agent.webhook_url)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/plain, */*")
        .header("user-agent", "axios/1.3.4")
        .body(rendered.to_string());
    if !agent.auth_header.is_empty() {
        post = post.header("authorization", &agent.auth_header);
    }
    let status = post
        .send()
        .await
        .ok()
        .map(|answer| answer.status().as_u16());
    overseerr.test_deliveries.lock().unwrap().push(Delivery {
        url: agent.webhook_url,
        authorization: (!agent.auth_header.is_empty()).then_some(agent.auth_header),
        body: rendered,
        status,
    });
    match status {
        Some(code) if (200..300).contains(&code) => StatusCode::NO_CONTENT.into_response(),
        _ => failed(),
    }
}

/// The variables of a TEST_NOTIFICATION sent by the admin (overseerr.md §1, "Send Test
/// Notification"); every other variable renders as "".
fn test_variables() -> Vec<(&'static str, &'static str)> {
    vec![
        ("notification_type", "TEST_NOTIFICATION"),
        ("event", ""),
        ("subject", "Test Notification"),
        ("message", "Check check, 1, 2, 3. Are we coming in clear?"),
        ("image", ""),
        ("notifyuser_username", "admin"),
        ("notifyuser_email", "admin@seerr.dev"),
        ("notifyuser_avatar", "/os_logo_square.png"),
        ("notifyuser_settings_discordId", ""),
        ("notifyuser_settings_telegramChatId", ""),
    ]
}

/// The agent's rendering: each known placeholder replaced once per string value (unknown
/// ones stay); the block keys become their names at the end, `null` as a test carries none of
/// them, and `{{extra}}` becomes `extra: []`.
fn render(template: &Value, variables: &[(&str, &str)]) -> Value {
    match template {
        Value::Object(fields) => {
            let mut out = Map::new();
            let mut blocks = Vec::new();
            for (key, value) in fields {
                match key.as_str() {
                    "{{media}}" | "{{request}}" | "{{issue}}" | "{{comment}}" => {
                        blocks.push((key.trim_matches(['{', '}']).to_owned(), Value::Null));
                    }
                    "{{extra}}" => blocks.push(("extra".to_owned(), json!([]))),
                    _ => {
                        out.insert(key.clone(), render(value, variables));
                    }
                }
            }
            out.extend(blocks);
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| render(v, variables)).collect()),
        Value::String(text) => {
            let mut text = text.clone();
            for name in KNOWN_VARIABLES {
                let value = variables
                    .iter()
                    .find(|(known, _)| *known == name)
                    .map_or("", |(_, value)| value);
                text = text.replacen(&format!("{{{{{name}}}}}"), value, 1);
            }
            Value::String(text)
        }
        other => other.clone(),
    }
}

/// The 35 variables the agent knows (overseerr.md §1).
const KNOWN_VARIABLES: [&str; 35] = [
    "notification_type",
    "event",
    "subject",
    "message",
    "image",
    "notifyuser_username",
    "notifyuser_email",
    "notifyuser_avatar",
    "notifyuser_settings_discordId",
    "notifyuser_settings_telegramChatId",
    "media_tmdbid",
    "media_tvdbid",
    "media_type",
    "media_status",
    "media_status4k",
    "request_id",
    "requestedBy_username",
    "requestedBy_email",
    "requestedBy_avatar",
    "requestedBy_settings_discordId",
    "requestedBy_settings_telegramChatId",
    "issue_id",
    "issue_type",
    "issue_status",
    "reportedBy_username",
    "reportedBy_email",
    "reportedBy_avatar",
    "reportedBy_settings_discordId",
    "reportedBy_settings_telegramChatId",
    "comment_message",
    "commentedBy_username",
    "commentedBy_email",
    "commentedBy_avatar",
    "commentedBy_settings_discordId",
    "commentedBy_settings_telegramChatId",
];

/// Standard base64 with padding, as Node's `Buffer.toString('base64')`.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
