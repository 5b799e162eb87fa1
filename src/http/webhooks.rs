//! Overseerr's door. Every notification is answered 2xx once stored (Overseerr drops anything
//! else for good and never retries); only a client's own mistakes get a 4xx.

use axum::Json;
use axum::body::Bytes;
use axum::extract::FromRequestParts;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use chrono::{SecondsFormat, Utc};
use serde::Serialize;
use serde::de::IgnoredAny;
use serde_json::error::Category;
use utoipa::ToSchema;

use super::auth::WebhookAuth;
use super::{ApiError, ErrorBody};
use crate::db::webhooks::Outcome;
use crate::domain::overseerr::{Disposition, Notification, disposition};
use crate::intake::{Action, Delivery, Receipt, Webhook};
use crate::state::AppState;

/// Overseerr's bodies are under 10 KiB; anything near this is not a notification.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The listener is reachable.
// Fields by name, the order `json!` wrote them in before.
#[derive(Debug, Serialize, ToSchema)]
pub struct Reachable {
    /// `Webhook endpoint is reachable`.
    message: &'static str,
    /// `Linkarr`.
    service: &'static str,
    /// `ok`.
    status: &'static str,
    /// Now, ISO-8601 UTC.
    timestamp: String,
    /// Linkarr's version.
    version: &'static str,
}

/// `GET`/`POST /api/webhooks/test`: lets the user (or a script) see the listener is reachable.
#[utoipa::path(
    method(get, post),
    path = "/api/webhooks/test",
    operation_id = "testWebhookEndpoint",
    tag = "webhooks",
    responses((status = 200, body = Reachable)),
    security(())
)]
pub async fn test() -> Json<Reachable> {
    Json(Reachable {
        message: "Webhook endpoint is reachable",
        service: "Linkarr",
        status: "ok",
        timestamp: Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
        version: env!("CARGO_PKG_VERSION"),
    })
}

/// `POST /api/webhooks/overseerr`: where Overseerr sends its notifications. Every one stored
/// is answered 2xx (Overseerr never retries); only a client's own mistakes get a 4xx.
#[utoipa::path(
    post,
    path = "/api/webhooks/overseerr",
    operation_id = "receiveOverseerrWebhook",
    tag = "webhooks",
    request_body(content = Notification, content_type = "application/json"),
    responses(
        (status = 200, description = "Stored, and what Linkarr made of it", body = Answer),
        (
            status = 400,
            description = "Not JSON, or a body that could not be read",
            body = ErrorBody,
        ),
        (status = 401, description = "A missing or wrong webhook secret", body = ErrorBody),
        (status = 413, description = "A body over 1 MiB", body = ErrorBody),
        (status = 415, description = "Not declared as JSON", body = ErrorBody),
        (status = 422, description = "JSON that is not a notification", body = ErrorBody),
        (status = 500, description = "It could not be stored", body = ErrorBody),
    ),
    security((), ("webhook_secret" = []))
)]
pub async fn overseerr(
    State(state): State<AppState>,
    _auth: WebhookAuth,
    _json: JsonContentType,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Answer>, ApiError> {
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
    let mut webhook = Webhook {
        raw_body: String::from_utf8_lossy(&body).into_owned(),
        ..Webhook::default()
    };

    let notification = match parse(&body) {
        Ok(notification) => notification,
        Err(error) => return Err(reject(&state, webhook, error).await),
    };
    webhook.subject = notification.subject.clone().unwrap_or_default();
    let notification_type = match notification.notification_type() {
        Ok(kind) => kind,
        Err(error) => {
            let error = ApiError::Unprocessable(error.to_string());
            return Err(reject(&state, webhook, error).await);
        }
    };
    tracing::info!("Received webhook notification: {notification_type}");
    webhook.notification_type = notification_type.to_owned();

    let action = match disposition(notification_type) {
        Disposition::Ignore(reason) => Action::Ignore(reason),
        Disposition::Process => match notification.media_request() {
            Ok(request) => {
                tracing::info!("Processing media request for TMDb ID: {}", request.tmdb_id);
                Action::Request(request)
            }
            Err(error) => {
                let error = ApiError::Unprocessable(format!("{notification_type}: {error}"));
                return Err(reject(&state, webhook, error).await);
            }
        },
    };
    let delivery = Delivery {
        webhook: Some(webhook),
        action,
    };

    let receipt = state
        .intake
        .record(delivery)
        .await
        .map_err(anyhow::Error::new)?;
    if receipt.outcome == Outcome::Duplicate {
        tracing::info!("{}", receipt.detail);
    }
    Ok(Json(Answer::from(receipt)))
}

/// The contract's answer: `accepted`/`duplicate` with our request id, or `ignored` with why.
#[derive(Serialize, ToSchema)]
#[schema(as = WebhookAnswer)]
pub struct Answer {
    status: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

impl From<Receipt> for Answer {
    fn from(receipt: Receipt) -> Self {
        let reason = (receipt.outcome == Outcome::Ignored).then_some(receipt.detail);
        Self {
            status: receipt.outcome,
            request_id: receipt.request_id,
            reason,
        }
    }
}

/// Passes only bodies declared as JSON (`application/json`, or any `+json` type).
pub struct JsonContentType;

impl<S: Send + Sync> FromRequestParts<S> for JsonContentType {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let content_type = parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        let essence = content_type.split(';').next().unwrap_or_default().trim();
        let is_json = essence.eq_ignore_ascii_case("application/json")
            || essence.to_ascii_lowercase().ends_with("+json");
        if is_json {
            Ok(Self)
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
}

fn parse(body: &[u8]) -> Result<Notification, ApiError> {
    let invalid = |error: serde_json::Error| match error.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            ApiError::BadRequest(format!("Invalid JSON: {error}"))
        }
        Category::Data => ApiError::Unprocessable(format!("Unexpected webhook shape: {error}")),
    };
    // Checked first because serde would happily read a struct from an array, field by field.
    if !body.trim_ascii_start().starts_with(b"{") {
        serde_json::from_slice::<IgnoredAny>(body).map_err(invalid)?;
        return Err(ApiError::Unprocessable(
            "Expected a JSON object with a notification_type".into(),
        ));
    }
    serde_json::from_slice(body).map_err(invalid)
}

/// Keeps a body we could not use, so nothing sent is lost and the UI can show why it failed.
/// Storing is best effort: the client still hears what was wrong with its request.
async fn reject(state: &AppState, webhook: Webhook, error: ApiError) -> ApiError {
    tracing::warn!("Rejected webhook: {error}");
    let delivery = Delivery {
        webhook: Some(webhook),
        action: Action::Reject(error.to_string()),
    };
    if let Err(store_error) = state.intake.record(delivery).await {
        tracing::error!("Could not keep a rejected webhook: {store_error}");
    }
    error
}
