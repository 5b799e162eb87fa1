use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Query, State};
use serde::Serialize;
use utoipa::ToSchema;

use super::ApiError;
use super::paging::{Page, Paging};
use crate::clients::overseerr;
use crate::db::{requests, webhooks};
use crate::state::AppState;

const RECENT_WEBHOOKS: i64 = 10;

/// What the window's first page shows.
#[derive(Serialize, ToSchema)]
pub struct Status {
    service: &'static str,
    version: &'static str,
    listen: String,
    /// The URL to give Overseerr: this machine's LAN address.
    webhook_url: String,
    /// Every address it answers at, the LAN one first (then this machine's own).
    webhook_urls: Vec<String>,
    webhook_secret_set: bool,
    /// When Overseerr's test notification last arrived: proof the two are connected.
    #[schema(required)]
    overseerr_connected_at: Option<String>,
    webhooks: webhooks::Counts,
    /// How many requests there are.
    requests: i64,
    /// How many are being worked on, and how many need the user.
    activity: requests::Activity,
    /// Whether processing is paused (the `paused` setting).
    paused: bool,
    /// The last webhooks received, newest first.
    recent: Vec<webhooks::Summary>,
    /// Overseerr's default JSON payload, which Linkarr reads: for setting its webhook agent
    /// up by hand.
    overseerr_json_payload: &'static str,
    data_folder: String,
    log_folder: String,
    /// Whether the caller runs on this machine (and can open files and folders on it).
    local_client: bool,
}

/// `GET /api/v1/status`: what the window's first page shows.
#[utoipa::path(
    get,
    path = "/api/v1/status",
    operation_id = "getStatus",
    tag = "status",
    responses((status = 200, body = Status)),
    security(("api_key" = []), ("session" = []))
)]
pub async fn get(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
) -> Result<Json<Status>, ApiError> {
    let local_webhook_url = format!("{}/api/webhooks/overseerr", state.local_url());
    let webhook_url = state.webhook_url();
    let mut webhook_urls = vec![webhook_url.clone()];
    if local_webhook_url != webhook_url {
        webhook_urls.push(local_webhook_url);
    }
    Ok(Json(Status {
        service: "Linkarr",
        version: env!("CARGO_PKG_VERSION"),
        listen: state.listen.get().to_string(),
        webhook_url,
        webhook_urls,
        webhook_secret_set: state.settings.current().webhook_secret.is_some(),
        overseerr_connected_at: webhooks::last_test_notification(&state.db).await?,
        webhooks: webhooks::counts(&state.db).await?,
        requests: requests::count(&state.db).await?,
        activity: requests::activity(&state.db).await?,
        paused: state.settings.current().paused,
        recent: webhooks::recent(&state.db, RECENT_WEBHOOKS, 0).await?,
        overseerr_json_payload: overseerr::DEFAULT_TEMPLATE,
        data_folder: state.data_dir.display().to_string(),
        log_folder: state.log_dir().display().to_string(),
        local_client: client.ip().to_canonical().is_loopback(),
    }))
}

/// `GET /api/v1/webhooks?limit=50&offset=0`: every notification received, newest first, with
/// what Linkarr made of it.
#[utoipa::path(
    get,
    path = "/api/v1/webhooks",
    operation_id = "listWebhooks",
    tag = "webhooks",
    params(Paging),
    responses((status = 200, body = Page<webhooks::Summary>)),
    security(("api_key" = []), ("session" = []))
)]
pub async fn webhooks(
    State(state): State<AppState>,
    Query(paging): Query<Paging>,
) -> Result<Json<Page<webhooks::Summary>>, ApiError> {
    let (limit, offset) = (paging.limit(), paging.offset());
    Ok(Json(Page {
        total: webhooks::counts(&state.db).await?.total,
        limit,
        offset,
        items: webhooks::recent(&state.db, limit, offset).await?,
    }))
}
