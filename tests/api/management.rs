use linkarr::config::SettingKey;
use reqwest::StatusCode;

use crate::helpers::{TestApp, fixture, json};

#[tokio::test]
async fn status_needs_the_api_token() {
    let app = TestApp::spawn().await;
    let url = app.url("/api/v1/status");
    let (status, body) = json(app.client.get(&url).send().await.unwrap()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (
            StatusCode::UNAUTHORIZED,
            Some("Sign in, or send the API token as the X-Api-Key header")
        )
    );
    let wrong = app
        .client
        .get(&url)
        .header("x-api-key", "nope")
        .send()
        .await
        .unwrap();
    assert_eq!(json(wrong).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get_api("/api/v1/status").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn status_reports_what_arrived() {
    let app = TestApp::spawn().await;
    let (_, empty) = json(app.get_api("/api/v1/status").await).await;
    assert_eq!(empty["overseerr_connected_at"], serde_json::Value::Null);
    assert_eq!(empty["webhooks"]["total"], 0);
    assert_eq!(empty["recent"], serde_json::json!([]));
    assert_eq!(empty["webhook_secret_set"], false);
    assert_eq!(empty["listen"], app.addr.to_string());
    assert_eq!(
        empty["webhook_url"],
        format!("http://{}/api/webhooks/overseerr", app.addr),
        "bound to one address, the URL uses it"
    );

    for file in [
        "test_notification.json",
        "movie_media_approved.json",
        "movie_media_available.json",
    ] {
        app.post_webhook(fixture(file)).await;
    }
    app.post_webhook("not json").await;
    let (_, status) = json(app.get_api("/api/v1/status").await).await;
    assert!(
        status["overseerr_connected_at"]
            .as_str()
            .is_some_and(|at| at.ends_with('Z'))
    );
    assert_eq!(
        status["webhooks"],
        serde_json::json!({"total": 4, "accepted": 1, "duplicate": 1, "ignored": 1, "rejected": 1})
    );
    assert_eq!(status["requests"], 1);
    let recent: Vec<&str> = status["recent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(
        recent,
        ["rejected", "duplicate", "accepted", "ignored"],
        "newest first"
    );
}

#[tokio::test]
async fn only_the_desktop_page_and_the_same_host_may_call_from_a_browser() {
    let app = TestApp::spawn().await;
    let from = |origin: &str| {
        app.client
            .get(app.url("/api/v1/status"))
            .header("x-api-key", &app.api_token)
            .header("origin", origin)
            .send()
    };
    let desktop = from("tauri://localhost").await.unwrap();
    assert_eq!(desktop.status(), StatusCode::OK);
    assert_eq!(
        desktop.headers()["access-control-allow-origin"],
        "tauri://localhost"
    );
    assert_eq!(
        from(&format!("http://{}", app.addr))
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let (status, body) = json(from("http://evil.example").await.unwrap()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body["error"].as_str().unwrap().contains("origin"));

    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/status"))
        .header("origin", "tauri://localhost")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "x-api-key")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success());
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "tauri://localhost"
    );
}

#[tokio::test]
async fn a_configured_token_replaces_the_generated_one() {
    let app = TestApp::with_setting(SettingKey::ApiToken, "my-own-token").await;
    assert_eq!(app.api_token, "my-own-token");
    assert_eq!(app.get_api("/api/v1/status").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn unknown_paths_answer_json_404() {
    let app = TestApp::spawn().await;
    let (status, body) = json(app.client.get(app.url("/nope")).send().await.unwrap()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("Not found"))
    );
}
