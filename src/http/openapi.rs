//! The API's description (OpenAPI 3.1), made from the handlers' `#[utoipa::path]` annotations
//! and the types they answer with. Served at `/api/openapi.json`, printed by `linkarr openapi`,
//! and turned into the UI's TypeScript types by `scripts/bindings`.
//!
//! utoipa makes an `Option` field optional: mark `#[schema(required)]` those serde always writes
//! (as null), so the UI's types say `T | null` rather than `T | null | undefined`.

use axum::Json;
use axum::http::StatusCode;
use utoipa::openapi::path::Operation;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr};
use utoipa::{Modify, OpenApi, PartialSchema as _};

use super::auth::SESSION_COOKIE;
use super::{
    ErrorBody, events, key_checks, library, logs, overseerr, paging, play, requests, session,
    settings, status, ui, webhooks,
};
use crate::config::{SourceConfig, SourceKind};
use crate::db;
use crate::domain::overseerr as notification;
use crate::domain::ranking::QualityProfile;
use crate::domain::release::Release;
use crate::domain::{MediaType, RequestState};
use crate::telemetry::LogLine;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Linkarr API",
        version = env!("CARGO_PKG_VERSION"),
        description = "Linkarr's management API, which its window and web UI use, and the \
            webhook Overseerr sends to. `/api/v1` wants the API token as `X-Api-Key` (shown in \
            Settings) or the session cookie the login page opens. It answers only this \
            machine, unless remote access is on, and only its own pages' Origin. Errors come \
            as `{\"error\": \"…\"}`, except what the framework answers when a parameter or \
            body cannot be read (plain text)."
    ),
    paths(
        status::get,
        status::webhooks,
        events::stream,
        requests::list,
        requests::get,
        requests::delete,
        requests::retry,
        requests::research,
        requests::cancel,
        requests::candidates,
        library::list,
        library::get,
        library::playlist,
        library::export,
        library::repair,
        library::open_file,
        settings::get,
        settings::put,
        settings::generate_webhook_secret,
        key_checks::test_realdebrid,
        key_checks::test_tmdb,
        key_checks::realdebrid_account,
        overseerr::inspect,
        overseerr::connect,
        logs::get,
        logs::stream,
        logs::open_folder,
        session::get,
        session::sign_in,
        session::sign_out,
        webhooks::test,
        webhooks::overseerr,
        play::play,
        ui::index,
        ui::asset,
        ui::root_file,
        ui::api_docs,
        openapi_json,
    ),
    components(schemas(
        ErrorBody,
        paging::Page<requests::RequestView>,
        paging::Page<library::Title>,
        paging::Page<db::webhooks::Summary>,
        status::Status,
        db::webhooks::Counts,
        db::webhooks::Summary,
        db::webhooks::Outcome,
        crate::events::Event,
        RequestState,
        MediaType,
        requests::RequestView,
        requests::Detail,
        db::requests::Request,
        db::events::HistoryEntry,
        db::candidates::Candidate,
        Release,
        library::Title,
        library::TitleDetail,
        library::FileView,
        library::LibrarySort,
        library::Export,
        library::ExportResult,
        library::RepairResult,
        db::library::Item,
        db::library::SeasonRow,
        db::library::EpisodeRow,
        db::files::File,
        settings::Listing,
        settings::Changes,
        settings::Setting,
        settings::WebhookSecret,
        SourceConfig,
        SourceKind,
        QualityProfile,
        key_checks::Candidate,
        key_checks::RealDebridAccount,
        key_checks::TmdbTestResult,
        overseerr::Server,
        overseerr::Connect,
        overseerr::Inspection,
        overseerr::AgentState,
        overseerr::AgentView,
        overseerr::Connection,
        logs::Logs,
        LogLine,
        session::SessionStatus,
        session::SignIn,
        webhooks::Reachable,
        webhooks::Answer,
        notification::Notification,
        notification::MediaBlock,
        notification::RequestBlock,
        notification::ExtraField,
    )),
    modifiers(&Doors),
    tags(
        (name = "status", description = "What the first page shows, and live updates"),
        (name = "requests", description = "What Overseerr asked for, and where each stands"),
        (name = "library", description = "The titles ready to stream, and playing them"),
        (name = "settings", description = "Settings, keys, and connecting Overseerr"),
        (name = "logs", description = "The recent log lines"),
        (name = "session", description = "The login page's sign-in"),
        (name = "webhooks", description = "Overseerr's notifications"),
        (name = "ui", description = "The web UI's files, and this reference"),
    )
)]
pub struct ApiDoc;

/// `GET /api/openapi.json`: this description.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    operation_id = "getOpenApi",
    tag = "ui",
    responses((status = 200, description = "OpenAPI 3.1", body = serde_json::Value)),
    security(())
)]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// The description as `scripts/bindings` writes it to `ui/src/lib/generated/openapi.json`.
pub fn pretty_json() -> String {
    let mut json = ApiDoc::openapi()
        .to_pretty_json()
        .expect("the description is plain data");
    json.push('\n');
    json
}

/// The credentials; what the listener's doors and axum's extractors answer, added to every
/// operation they guard, so the annotations list only what each handler answers itself.
struct Doors;

impl Modify for Doors {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        for (name, key) in credentials() {
            components.add_security_scheme(name, SecurityScheme::ApiKey(key));
        }
        for (path, item) in &mut api.paths.paths {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                tidy(operation);
                add_door_answers(path, operation);
            }
        }
        // One handler answers both methods; operation ids must be unique.
        let test = api.paths.paths.get_mut("/api/webhooks/test");
        if let Some(post) = test.and_then(|item| item.post.as_mut()) {
            post.operation_id = Some("testWebhookEndpointPost".into());
        }
    }
}

fn credentials() -> [(&'static str, ApiKey); 4] {
    let described = ApiKeyValue::with_description;
    [
        (
            "api_key",
            ApiKey::Header(described("X-Api-Key", "The API token, shown in Settings")),
        ),
        (
            "session",
            ApiKey::Cookie(described(
                SESSION_COOKIE,
                "Opened by signing in (`POST /api/v1/session`)",
            )),
        ),
        (
            "token_query",
            ApiKey::Query(described(
                "token",
                "The API token as `?token=`, for what cannot send headers (EventSource, \
                 download links); only on the event streams and the playlist",
            )),
        ),
        (
            "webhook_secret",
            ApiKey::Header(described(
                "Authorization",
                "Linkarr's webhook secret, verbatim (Overseerr's Authorization Header); wanted \
                 only once one is set",
            )),
        ),
    ]
}

/// `router()`'s webhook routes are open to the LAN; every other route checks the client first,
/// and `/api/v1` (but the login) wants a credential, looked up in the database for a session.
fn add_door_answers(path: &str, operation: &mut Operation) {
    let open = path.starts_with("/api/webhooks/") || path.starts_with("/play/");
    if !open {
        let forbidden = "Remote access is off, or the Host or Origin is not allowed";
        add_error(operation, "403", forbidden);
    }
    if path.starts_with("/api/v1/") && path != "/api/v1/session" {
        add_error(operation, "401", "No credential, or a wrong or ended one");
        add_error(operation, "500", "Internal error");
    }
    if operation.parameters.is_some() {
        add_text(operation, "400", "A parameter could not be read");
    }
    // The webhook reads its body itself, and answers every problem as an error body.
    if operation.request_body.is_some() && !open {
        add_text(operation, "400", "The body is not JSON");
        add_text(operation, "415", "The body is not declared as JSON");
        add_text(operation, "422", "The body is not what was expected");
    }
}

/// A summary on one line, and a description for every answer (its status's name by default).
fn tidy(operation: &mut Operation) {
    if let Some(summary) = &mut operation.summary {
        *summary = summary.replace('\n', " ");
    }
    for (status, response) in &mut operation.responses.responses {
        if let RefOr::T(response) = response
            && response.description.is_empty()
        {
            let reason = status
                .parse()
                .ok()
                .and_then(|code| StatusCode::from_u16(code).ok()?.canonical_reason());
            response.description = reason.unwrap_or_default().to_owned();
        }
    }
}

/// `{"error": "…"}`.
fn add_error(operation: &mut Operation, status: &str, description: &str) {
    let schema = Ref::from_schema_name("ErrorBody");
    add(
        operation,
        status,
        description,
        "application/json",
        schema.into(),
    );
}

/// axum's own plain-text rejection.
fn add_text(operation: &mut Operation, status: &str, description: &str) {
    add(
        operation,
        status,
        description,
        "text/plain",
        String::schema(),
    );
}

/// Adds an answer, or another reason (and body) to the answer the operation has for `status`.
fn add(
    operation: &mut Operation,
    status: &str,
    description: &str,
    content_type: &str,
    schema: RefOr<Schema>,
) {
    let content = ContentBuilder::new().schema(Some(schema)).build();
    let responses = &mut operation.responses.responses;
    match responses.get_mut(status) {
        Some(RefOr::T(response)) => {
            let mut chars = description.chars();
            let first: String = chars
                .next()
                .into_iter()
                .flat_map(char::to_lowercase)
                .collect();
            response.description =
                format!("{}; or {first}{}", response.description, chars.as_str());
            let contents = &mut response.content;
            contents.entry(content_type.into()).or_insert(content);
        }
        _ => {
            let response = ResponseBuilder::new().description(description);
            let response = response.content(content_type, content).build();
            responses.insert(status.into(), RefOr::T(response));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use regex::Regex;

    use super::*;
    use crate::http::auth;

    /// `(method, path)` of every `.route(…)` in `router()`, read from its source: a route added
    /// there without an annotation (and a place in `ApiDoc`'s `paths`) fails the test below.
    fn routed() -> BTreeSet<(String, String)> {
        let source = include_str!("mod.rs");
        for unknown in [".nest(", ".nest_service(", ".route_service("] {
            assert!(
                !source.contains(unknown),
                "teach this test to read {unknown}"
            );
        }
        let method = Regex::new(r"\b(get|post|put|delete|patch)\(").unwrap();
        let mut routes = BTreeSet::new();
        for call in source.split(".route(").skip(1) {
            let call = &call[..closing_paren(call)];
            let (path, methods) = call.split_once(',').unwrap();
            let path = match path.trim() {
                "auth::EVENTS_PATH" => auth::EVENTS_PATH,
                "auth::LOGS_STREAM_PATH" => auth::LOGS_STREAM_PATH,
                "auth::PLAYLIST_PATH" => auth::PLAYLIST_PATH,
                literal if literal.starts_with('"') => literal.trim_matches('"'),
                other => panic!("add {other} to the constants this test knows"),
            };
            // OpenAPI has no wildcard segments: `{*path}` is written `{path}`.
            let path = path.replace("{*", "{");
            for found in method.captures_iter(methods) {
                routes.insert((found[1].to_owned(), path.clone()));
            }
        }
        routes
    }

    /// Where the call that `text` is the inside of ends.
    fn closing_paren(text: &str) -> usize {
        let mut depth = 1;
        for (at, char) in text.char_indices() {
            match char {
                '(' => depth += 1,
                ')' if depth == 1 => return at,
                ')' => depth -= 1,
                _ => {}
            }
        }
        panic!("unbalanced parentheses in {text}")
    }

    fn documented() -> BTreeSet<(String, String)> {
        let api = ApiDoc::openapi();
        let mut operations = BTreeSet::new();
        for (path, item) in api.paths.paths {
            let methods = [
                ("get", item.get),
                ("put", item.put),
                ("post", item.post),
                ("delete", item.delete),
                ("patch", item.patch),
            ];
            for (method, operation) in methods {
                if operation.is_some() {
                    operations.insert((method.to_owned(), path.clone()));
                }
            }
        }
        operations
    }

    #[test]
    fn every_route_is_documented() {
        let (routed, documented) = (routed(), documented());
        assert!(routed.len() > 30, "the routes were not found in mod.rs");
        let undocumented: Vec<_> = routed.difference(&documented).collect();
        let unrouted: Vec<_> = documented.difference(&routed).collect();
        assert!(
            undocumented.is_empty() && unrouted.is_empty(),
            "not described (annotate the handler with #[utoipa::path] and list it in ApiDoc): \
             {undocumented:?}; described but not routed: {unrouted:?}"
        );
    }

    #[test]
    fn operation_ids_are_unique() {
        let api = ApiDoc::openapi();
        let mut seen = BTreeSet::new();
        for item in api.paths.paths.into_values() {
            let operations = [item.get, item.put, item.post, item.delete, item.patch];
            for operation in operations.into_iter().flatten() {
                let id = operation.operation_id.expect("every operation has an id");
                assert!(seen.insert(id.clone()), "operation id {id} is used twice");
            }
        }
    }

    #[test]
    fn openapi_json_is_current() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/ui/src/lib/generated/openapi.json"
        );
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        let current = pretty_json();
        let first_difference = committed
            .lines()
            .zip(current.lines())
            .position(|(committed, current)| committed != current);
        assert!(
            committed == current,
            "The API changed: run scripts/bindings and commit ui/src/lib/generated \
             (first difference at line {})",
            first_difference.map_or("end".to_owned(), |line| (line + 1).to_string())
        );
    }
}
