//! Overseerr's `GET /api/v1/request` as `reference/overseerr-api.md` describes it: X-Api-Key
//! (401 without, 403 wrong), offset paging with `pageInfo`, 400 for parameters it does not
//! know. The requests are the recorded page (#3 The Matrix, #11 Breaking Bad seasons 1-2),
//! plus any a test adds.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use super::FIXTURES_ROOT;

/// Overseerr's default JSON payload template, as its settings page shows it.
pub const DEFAULT_TEMPLATE: &str = linkarr::clients::overseerr::DEFAULT_TEMPLATE;

pub const KEY: &str = "overseerr-sim-key";

#[derive(Default)]
pub struct Overseerr {
    requests: Mutex<Vec<Value>>,
    pub pages_served: Mutex<usize>,
    /// (media id, body) of every "mark available".
    pub marked: Mutex<Vec<(i64, Value)>>,
    /// The webhook agent's settings as stored (`jsonPayload` as sent: the encoded template).
    pub agent: Mutex<Value>,
    /// Every body POSTed to the agent's settings.
    pub agent_saves: Mutex<Vec<Value>>,
    /// Status of each test notification delivered (the receiver's HTTP answer).
    pub tests_delivered: Mutex<Vec<u16>>,
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
        // A fresh install: agent off, no URL, types 0, the default payload.
        agent: Mutex::new(json!({"enabled": false, "types": 0, "options": {
            "webhookUrl": "", "authHeader": "",
            "jsonPayload": Value::from(DEFAULT_TEMPLATE).to_string()}})),
        ..Overseerr::default()
    });
    let router = Router::new()
        .route("/api/v1/request", get(list))
        .route("/api/v1/request/{id}", get(one))
        .route(
            "/api/v1/media/{id}/available",
            axum::routing::post(mark_available),
        )
        .route("/api/v1/status", get(status))
        .route(
            "/api/v1/settings/notifications/webhook",
            get(agent).post(save_agent),
        )
        .route(
            "/api/v1/settings/notifications/webhook/test",
            axum::routing::post(test_agent),
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

impl Overseerr {
    /// Another app's webhook is configured (Overseerr has only one agent).
    pub fn set_agent_url(&self, url: &str) {
        let mut agent = self.agent.lock().unwrap();
        agent["enabled"] = json!(true);
        agent["types"] = json!(4);
        agent["options"]["webhookUrl"] = json!(url);
    }
}

/// `GET /api/v1/status`: public, the recorded v1.34.0 answer.
async fn status() -> Response {
    let body =
        std::fs::read_to_string(format!("{FIXTURES_ROOT}/overseerr-api/status.json")).unwrap();
    ([("content-type", "application/json")], body).into_response()
}

/// `GET /api/v1/settings/notifications/webhook`: `jsonPayload` comes back decoded, as the
/// template's text.
async fn agent(State(overseerr): State<Arc<Overseerr>>, headers: HeaderMap) -> Response {
    if let Some(refused) = refuse(&headers) {
        return refused;
    }
    let mut agent = overseerr.agent.lock().unwrap().clone();
    let stored = agent["options"]["jsonPayload"]
        .as_str()
        .unwrap_or("")
        .to_owned();
    agent["options"]["jsonPayload"] = match serde_json::from_str::<Value>(&stored) {
        Ok(Value::String(text)) => json!(text),
        _ => json!(stored),
    };
    axum::Json(agent).into_response()
}

/// `POST /api/v1/settings/notifications/webhook`: Overseerr checks only that `jsonPayload`
/// parses as JSON, then stores it as given and answers the saved settings.
async fn save_agent(
    State(overseerr): State<Arc<Overseerr>>,
    headers: HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    if let Some(refused) = refuse(&headers) {
        return refused;
    }
    let payload = body["options"]["jsonPayload"].as_str().unwrap_or("");
    if serde_json::from_str::<Value>(payload).is_err() {
        let body = json!({"message": "Unexpected token in JSON"});
        return (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(body)).into_response();
    }
    overseerr.agent_saves.lock().unwrap().push(body.clone());
    *overseerr.agent.lock().unwrap() = body.clone();
    axum::Json(body).into_response()
}

/// `POST .../webhook/test`: sends TEST_NOTIFICATION with the *unsaved* values and waits for
/// the receiver; 204 if it answered 2xx, else 500.
async fn test_agent(
    State(overseerr): State<Arc<Overseerr>>,
    headers: HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    if let Some(refused) = refuse(&headers) {
        return refused;
    }
    let failed = || {
        let body = json!({"message": "Failed to send webhook notification."});
        (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(body)).into_response()
    };
    // The agent parses the stored payload twice; a template that does not survive that fails.
    let payload = body["options"]["jsonPayload"].as_str().unwrap_or("");
    let template = serde_json::from_str::<Value>(payload)
        .ok()
        .and_then(|text| serde_json::from_str::<Value>(text.as_str()?).ok());
    if !template.is_some_and(|template| template.is_object()) {
        return failed();
    }
    let notification =
        std::fs::read(format!("{FIXTURES_ROOT}/overseerr/test_notification.json")).unwrap();
    let mut request = reqwest::Client::new()
        .post(body["options"]["webhookUrl"].as_str().unwrap_or(""))
        .header("content-type", "application/json")
        .header("user-agent", "axios/1.3.4")
        .body(notification);
    if let Some(auth) = body["options"]["authHeader"]
        .as_str()
        .filter(|a| !a.is_empty())
    {
        request = request.header("authorization", auth);
    }
    match request.send().await {
        Ok(response) => {
            let status = response.status();
            overseerr
                .tests_delivered
                .lock()
                .unwrap()
                .push(status.as_u16());
            match status.is_success() {
                true => StatusCode::NO_CONTENT.into_response(),
                false => failed(),
            }
        }
        Err(_) => failed(),
    }
}
