//! The API's description against the listener itself: every operation it describes is routed,
//! wants the credentials it says, and answers with a status it lists.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use linkarr::http::{openapi, router};
use serde_json::Value;
use tower::ServiceExt;

use crate::helpers::TestApp;

/// Sends `method path` from this machine, without a credential or a body.
async fn status(app: &TestApp, method: &str, path: &str) -> StatusCode {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .body(Body::empty())
        .unwrap();
    let client = SocketAddr::from(([127, 0, 0, 1], 50_000));
    request.extensions_mut().insert(ConnectInfo(client));
    router(app.state.clone())
        .oneshot(request)
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn every_described_operation_is_routed_guarded_and_answers_as_described() {
    let app = TestApp::spawn().await;
    let api: Value = serde_json::from_str(&openapi::pretty_json()).unwrap();
    for (template, item) in api["paths"].as_object().unwrap() {
        // A made-up id or name: no handler behind a door runs, and the others answer 404.
        let path = template.replace("{id}", "1").replace(['{', '}'], "");
        // No route takes PATCH, so only the fallback answers it with 404 (a route: 405, or the
        // door's 401 first).
        assert_ne!(
            status(&app, "PATCH", &path).await,
            StatusCode::NOT_FOUND,
            "{template} is not routed"
        );
        for (method, operation) in item.as_object().unwrap() {
            let method = method.to_uppercase();
            let answered = status(&app, &method, &path).await;
            let security = operation["security"].as_array().unwrap();
            let open = security
                .iter()
                .any(|scheme| scheme == &serde_json::json!({}));
            if !open {
                assert_eq!(answered, StatusCode::UNAUTHORIZED, "{method} {template}");
            }
            let listed = &operation["responses"][answered.as_str()];
            assert!(
                listed.is_object(),
                "{method} {template} answered {answered}, which its description does not list"
            );
        }
    }
}
