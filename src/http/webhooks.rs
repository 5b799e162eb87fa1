//! Overseerr's door. Every notification is answered 2xx once stored (Overseerr drops anything
//! else for good and never retries); only a client's own mistakes get a 4xx.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use chrono::{SecondsFormat, Utc};
use serde_json::{Value, json};

use super::ApiError;
use super::auth::WebhookAuth;
use crate::db::begin_write;
use crate::db::requests::{self, Stored};
use crate::db::webhooks::{self, NewWebhook, Outcome};
use crate::domain::overseerr::{Disposition, Notification, disposition};
use crate::state::AppState;

/// Overseerr's bodies are under 10 KiB; anything near this is not a notification.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// `GET`/`POST /api/webhooks/test`: lets the user (or a script) see the listener is reachable.
pub async fn test() -> Json<Value> {
    Json(json!({
        "status": "ok",
        "message": "Webhook endpoint is reachable",
        "service": "Linkarr",
        "version": env!("CARGO_PKG_VERSION"),
        "timestamp": Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
    }))
}

/// `POST /api/webhooks/overseerr`.
pub async fn overseerr(
    State(state): State<AppState>,
    _auth: WebhookAuth,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    require_json(&headers)?;
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge(format!(
            "Webhook body is larger than {} KiB",
            MAX_BODY_BYTES / 1024
        )),
        _ => ApiError::BadRequest(format!(
            "Could not read the body: {}",
            rejection.body_text()
        )),
    })?;
    let raw_body = String::from_utf8_lossy(&body);

    let notification = match parse(&body) {
        Ok(notification) => notification,
        Err(error) => return Err(reject(&state, "", "", &raw_body, error).await),
    };
    let subject = notification.subject.as_deref().unwrap_or_default();
    let notification_type = match notification.notification_type() {
        Ok(kind) => kind,
        Err(error) => {
            let error = ApiError::Unprocessable(error.to_string());
            return Err(reject(&state, "", subject, &raw_body, error).await);
        }
    };
    tracing::info!("Received webhook notification: {notification_type}");

    if let Disposition::Ignore(reason) = disposition(notification_type) {
        let ignored = NewWebhook {
            notification_type,
            subject,
            outcome: Outcome::Ignored,
            detail: reason,
            request_id: None,
            raw_body: &raw_body,
        };
        webhooks::insert(&mut *state.db.acquire().await?, &ignored).await?;
        return Ok(Json(json!({ "status": "ignored", "reason": reason })));
    }

    let request = match notification.media_request() {
        Ok(request) => request,
        Err(error) => {
            let error = ApiError::Unprocessable(format!("{notification_type}: {error}"));
            return Err(reject(&state, notification_type, subject, &raw_body, error).await);
        }
    };
    tracing::info!("Processing media request for TMDb ID: {}", request.tmdb_id);

    let mut tx = begin_write(&state.db).await?;
    let stored = requests::insert_or_find(&mut tx, &request).await?;
    let (outcome, request_id, detail) = match stored {
        Stored::Created(id) => (Outcome::Accepted, id, format!("Request #{id} created")),
        Stored::Existing(id) => (
            Outcome::Duplicate,
            id,
            format!("Repeat of request #{id}; nothing new to do"),
        ),
    };
    let record = NewWebhook {
        notification_type,
        subject,
        outcome,
        detail: &detail,
        request_id: Some(request_id),
        raw_body: &raw_body,
    };
    webhooks::insert(&mut tx, &record).await?;
    tx.commit().await?;

    if outcome == Outcome::Duplicate {
        tracing::info!("{detail}");
    }
    Ok(Json(
        json!({ "status": outcome.as_str(), "request_id": request_id }),
    ))
}

fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    let is_json = essence.eq_ignore_ascii_case("application/json")
        || essence.to_ascii_lowercase().ends_with("+json");
    if is_json {
        Ok(())
    } else if content_type.is_empty() {
        Err(ApiError::UnsupportedMediaType(
            "Missing Content-Type: expected application/json".into(),
        ))
    } else {
        Err(ApiError::UnsupportedMediaType(format!(
            "Content-Type {content_type:?} is not JSON: expected application/json"
        )))
    }
}

fn parse(body: &[u8]) -> Result<Notification, ApiError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|error| ApiError::BadRequest(format!("Invalid JSON: {error}")))?;
    if !value.is_object() {
        return Err(ApiError::Unprocessable(
            "Expected a JSON object with a notification_type".into(),
        ));
    }
    serde_json::from_value(value)
        .map_err(|error| ApiError::Unprocessable(format!("Unexpected webhook shape: {error}")))
}

/// Keeps a body we could not use, so nothing sent is lost and the UI can show why it failed.
/// Storing is best effort: the client still hears what was wrong with its request.
async fn reject(
    state: &AppState,
    notification_type: &str,
    subject: &str,
    raw_body: &str,
    error: ApiError,
) -> ApiError {
    tracing::warn!("Rejected webhook: {error}");
    let detail = error.to_string();
    let rejected = NewWebhook {
        notification_type,
        subject,
        outcome: Outcome::Rejected,
        detail: &detail,
        request_id: None,
        raw_body,
    };
    let stored = match state.db.acquire().await {
        Ok(mut conn) => webhooks::insert(&mut conn, &rejected).await.map(drop),
        Err(error) => Err(error),
    };
    if let Err(store_error) = stored {
        tracing::error!("Could not store a rejected webhook: {store_error}");
    }
    error
}
