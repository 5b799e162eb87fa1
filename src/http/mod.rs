use axum::Router;
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::Request;
use axum::middleware;
use axum::routing::{get, post};
use tower_http::trace::TraceLayer;

use crate::state::AppState;

/// API token and Origin checks, and the webhook secret.
pub mod auth;
mod error;
/// `/api/v1/events` (Server-Sent Events).
pub mod events;
/// `/api/v1/settings/test/*` and the Real-Debrid account.
pub mod key_checks;
/// `/api/v1/library`.
pub mod library;
/// `/api/v1/logs`.
pub mod logs;
mod open_here;
/// `/api/openapi.json`: the API's description.
pub mod openapi;
/// `/api/v1/overseerr/*` (connecting its webhook agent).
pub mod overseerr;
mod paging;
pub mod play;
/// `/api/v1/requests`.
pub mod requests;
/// `/api/v1/session` (the login page).
pub mod session;
/// `/api/v1/settings`.
pub mod settings;
/// `/api/v1/status`.
pub mod status;
/// The embedded web UI.
pub mod ui;
/// `/api/webhooks/*`.
pub mod webhooks;

pub use error::{ApiError, ErrorBody};

/// Every route the listener serves.
pub fn router(state: AppState) -> Router {
    let webhook_routes = Router::new()
        .route(
            "/api/webhooks/test",
            get(webhooks::test).post(webhooks::test),
        )
        .route("/play/{token}", get(play::play))
        .route(
            "/api/webhooks/overseerr",
            post(webhooks::overseerr).layer(DefaultBodyLimit::max(webhooks::MAX_BODY_BYTES)),
        );
    let page_routes = Router::new()
        .route("/", get(ui::index))
        .route("/assets/{*path}", get(ui::asset))
        .route("/{file}", get(ui::root_file))
        .route("/api/docs", get(ui::api_docs))
        .route("/api/openapi.json", get(openapi::openapi_json))
        .route(
            "/api/v1/session",
            get(session::get)
                .post(session::sign_in)
                .delete(session::sign_out),
        )
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_trusted_client,
        ));
    let management_routes = Router::new()
        .route("/api/v1/status", get(status::get))
        .route("/api/v1/requests", get(requests::list))
        .route(
            "/api/v1/requests/{id}",
            get(requests::get).delete(requests::delete),
        )
        .route("/api/v1/requests/{id}/retry", post(requests::retry))
        .route("/api/v1/requests/{id}/research", post(requests::research))
        .route("/api/v1/requests/{id}/cancel", post(requests::cancel))
        .route(
            "/api/v1/requests/{id}/candidates",
            get(requests::candidates),
        )
        .route("/api/v1/library", get(library::list))
        .route("/api/v1/library/playlist.m3u", get(library::playlist))
        .route("/api/v1/library/export", post(library::export))
        .route("/api/v1/library/repair", post(library::repair))
        .route("/api/v1/library/{id}", get(library::get))
        .route("/api/v1/library/files/{id}/open", post(library::open_file))
        .route("/api/v1/webhooks", get(status::webhooks))
        .route("/api/v1/settings", get(settings::get).put(settings::put))
        .route(
            "/api/v1/settings/webhook-secret",
            post(settings::generate_webhook_secret),
        )
        .route(
            "/api/v1/settings/test/realdebrid",
            post(key_checks::test_realdebrid),
        )
        .route("/api/v1/settings/test/tmdb", post(key_checks::test_tmdb))
        .route(
            "/api/v1/realdebrid/account",
            get(key_checks::realdebrid_account),
        )
        .route("/api/v1/overseerr/inspect", post(overseerr::inspect))
        .route("/api/v1/overseerr/connect", post(overseerr::connect))
        .route("/api/v1/logs", get(logs::get))
        .route(auth::LOGS_STREAM_PATH, get(logs::stream))
        .route("/api/v1/logs/open", post(logs::open_folder))
        .route(auth::EVENTS_PATH, get(events::stream))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_api_access,
        ));
    webhook_routes
        .merge(page_routes)
        .merge(management_routes)
        .fallback(error::not_found)
        // The path, not the whole URI: the events stream's query carries the token.
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
                tracing::debug_span!(
                    target: "tower_http::trace",
                    "request",
                    method = %request.method(),
                    path = %request.uri().path()
                )
            }),
        )
        .with_state(state)
}
