use linkarr::config::SettingKey;
use linkarr::db;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Options, TestApp, fixture, json};

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
async fn only_pages_from_the_same_host_may_call_from_a_browser() {
    let app = TestApp::spawn().await;
    let from = |origin: &str| {
        app.client
            .get(app.url("/api/v1/status"))
            .header("x-api-key", &app.api_token)
            .header("origin", origin)
            .send()
    };
    assert_eq!(
        from(&format!("http://{}", app.addr))
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    // The desktop window loads its pages from the listener too: a Tauri origin is a stranger.
    for stranger in ["http://evil.example", "tauri://localhost"] {
        let (status, body) = json(from(stranger).await.unwrap()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{stranger}");
        assert!(body["error"].as_str().unwrap().contains("origin"));
    }

    // No CORS: a preflight from elsewhere is not granted.
    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/status"))
        .header("origin", "http://evil.example")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "x-api-key")
        .send()
        .await
        .unwrap();
    assert!(
        !preflight
            .headers()
            .contains_key("access-control-allow-origin")
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

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn a_new_port_applies_at_once_without_a_restart() {
    let dir = tempfile::TempDir::new().unwrap();
    let first = free_port();
    let pool = db::connect(&dir.path().join(db::DB_FILE)).await.unwrap();
    db::settings::save(&pool, SettingKey::Port, &first.to_string())
        .await
        .unwrap();
    pool.close().await;
    let app = TestApp::spawn_with(Options {
        data_dir: Some(dir.path().to_path_buf()),
        saved_port: true,
        ..Options::default()
    })
    .await;
    assert_eq!(app.addr.port(), first);
    let status_at = |port: u16| {
        app.client
            .get(format!("http://127.0.0.1:{port}/api/v1/status"))
            .header("x-api-key", &app.api_token)
            .send()
    };
    let mut stream = app
        .client
        .get(app.url(&format!("/api/v1/events?token={}", app.api_token)))
        .send()
        .await
        .unwrap();

    // A port that is taken is refused, and nothing changes.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let taken_port = taken.local_addr().unwrap().port();
    let (status, body) = json(app.put_settings(json!({ "port": taken_port })).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .starts_with(&format!("Linkarr cannot listen on 127.0.0.1:{taken_port}")),
        "{body}"
    );
    assert_eq!(app.state.settings.current().port, first);

    // A free one: answered from the old address, then Linkarr is at the new one only.
    let second = free_port();
    let (status, body) = json(app.put_settings(json!({ "port": second })).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["port"]["value"], second.to_string());
    let ended = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        while stream.chunk().await.unwrap().is_some() {}
    })
    .await;
    assert!(ended.is_ok(), "the old listener's event stream ended");
    let (status, moved) = json(status_at(second).await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(moved["listen"], format!("127.0.0.1:{second}"));
    assert!(
        moved["webhook_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!(":{second}/api/webhooks/overseerr"))
    );
    assert!(
        status_at(first).await.is_err(),
        "nothing listens on the old port"
    );
    app.stop().await;
}
