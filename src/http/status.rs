use axum::Json;
use axum::extract::State;
use serde::Serialize;

use super::ApiError;
use crate::db::{requests, webhooks};
use crate::state::AppState;

const RECENT_WEBHOOKS: i64 = 10;

#[derive(Serialize)]
pub struct Status {
    service: &'static str,
    version: &'static str,
    listen: String,
    webhook_url: String,
    webhook_secret_set: bool,
    /// When Overseerr's test notification last arrived: proof the two are connected.
    overseerr_connected_at: Option<String>,
    webhooks: webhooks::Counts,
    requests: i64,
    recent: Vec<webhooks::Summary>,
}

/// `GET /api/v1/status`: what the window's first page shows.
pub async fn get(State(state): State<AppState>) -> Result<Json<Status>, ApiError> {
    Ok(Json(Status {
        service: "Linkarr",
        version: env!("CARGO_PKG_VERSION"),
        listen: state.listen_addr.to_string(),
        webhook_url: state.webhook_url(),
        webhook_secret_set: state.settings.current().webhook_secret.is_some(),
        overseerr_connected_at: webhooks::last_test_notification(&state.db).await?,
        webhooks: webhooks::counts(&state.db).await?,
        requests: requests::count(&state.db).await?,
        recent: webhooks::recent(&state.db, RECENT_WEBHOOKS).await?,
    }))
}
