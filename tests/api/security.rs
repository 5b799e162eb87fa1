//! The listener's doors (architecture: "One listener, two doors"): the management API wants a
//! token or a session, answers only this machine's host names and its own pages, and only this
//! machine unless remote access is on; keys never come back whole, nor reach the logs.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use linkarr::config::{SettingKey, SettingsStore};
use linkarr::http::router;
use serde_json::json;
use tower::ServiceExt;

use crate::helpers::{Options, TestApp, fixture, json};

/// Every management route, one request each (ids that need not exist: the door comes first).
const MANAGEMENT: [(&str, &str); 24] = [
    ("GET", "/api/v1/status"),
    ("GET", "/api/v1/requests"),
    ("GET", "/api/v1/requests/1"),
    ("DELETE", "/api/v1/requests/1"),
    ("POST", "/api/v1/requests/1/retry"),
    ("POST", "/api/v1/requests/1/research"),
    ("POST", "/api/v1/requests/1/cancel"),
    ("GET", "/api/v1/requests/1/candidates"),
    ("GET", "/api/v1/library"),
    ("GET", "/api/v1/library/1"),
    ("GET", "/api/v1/library/playlist.m3u"),
    ("POST", "/api/v1/library/export"),
    ("POST", "/api/v1/library/repair"),
    ("POST", "/api/v1/library/files/1/open"),
    ("GET", "/api/v1/webhooks"),
    ("GET", "/api/v1/settings"),
    ("PUT", "/api/v1/settings"),
    ("POST", "/api/v1/settings/webhook-secret"),
    ("POST", "/api/v1/settings/test/realdebrid"),
    ("POST", "/api/v1/overseerr/connect"),
    ("GET", "/api/v1/logs"),
    ("POST", "/api/v1/logs/open"),
    ("GET", "/api/v1/events"),
    ("GET", "/api/v1/realdebrid/account"),
];

fn request(app: &TestApp, method: &str, path: &str) -> reqwest::RequestBuilder {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    app.client
        .request(method, app.url(path))
        .header("content-type", "application/json")
        .body("{}")
}

#[tokio::test]
async fn every_management_route_wants_a_token_or_a_session() {
    let app = TestApp::spawn().await;
    for (method, path) in MANAGEMENT {
        let response = request(&app, method, path).send().await.unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{method} {path}"
        );
        let wrong = request(&app, method, path)
            .header("x-api-key", "not-the-token")
            .send()
            .await
            .unwrap();
        let (status, body) = json(wrong).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}");
        assert_eq!(body["error"], "Wrong API token");
    }
}

#[tokio::test]
async fn a_host_name_that_is_not_this_machine_is_refused() {
    let app = TestApp::spawn().await;
    let with_host = |host: &str| {
        app.client
            .get(app.url("/api/v1/status"))
            .header("x-api-key", &app.api_token)
            .header("host", host)
            .send()
    };
    // A rebinding name resolves to 127.0.0.1 but arrives with its own Host.
    let (status, body) = json(with_host("rebind.evil.example:8000").await.unwrap()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body["error"].as_str().unwrap().contains("host name"));
    let page = app
        .client
        .get(app.url("/"))
        .header("host", "rebind.evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::FORBIDDEN, "the UI too");
    assert_eq!(
        with_host(&format!("localhost:{}", app.addr.port()))
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    // Names the user allowed (a NAS's DNS name) pass.
    let app = TestApp::with_setting(SettingKey::AllowedHosts, "nas.home, media.lan").await;
    let response = app
        .client
        .get(app.url("/api/v1/status"))
        .header("x-api-key", &app.api_token)
        .header("host", "media.lan:8000")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_cross_origin_post_is_refused_even_with_a_session() {
    let app = TestApp::spawn().await;
    let cookie = sign_in(&app, &app.api_token).await;
    let id = app.post_fixture("movie_media_approved.json").await;
    for origin in ["http://evil.example", "null"] {
        let response = app
            .client
            .post(app.url(&format!("/api/v1/requests/{id}/cancel")))
            .header("cookie", &cookie)
            .header("origin", origin)
            .send()
            .await
            .unwrap();
        let (status, body) = json(response).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{origin}");
        assert!(body["error"].as_str().unwrap().contains("origin"));
    }
    let login = app
        .client
        .post(app.url("/api/v1/session"))
        .header("origin", "http://evil.example")
        .json(&json!({"secret": app.api_token}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        login.status(),
        StatusCode::FORBIDDEN,
        "no sign-in from other sites"
    );
    let request = app.request(id).await;
    assert_ne!(request["state"], "cancelled");
}

/// Drives the router directly, as a client at `client`, with remote access `remote_access`.
async fn from_client(
    app: &TestApp,
    client: SocketAddr,
    remote_access: bool,
    request: Request<Body>,
) -> StatusCode {
    let mut state = app.state.clone();
    let values = [
        (SettingKey::ApiToken, app.api_token.clone()),
        (SettingKey::RemoteAccess, remote_access.to_string()),
    ];
    state.settings = Arc::new(SettingsStore::new(values.into(), Default::default()).unwrap());
    let mut request = request;
    request.extensions_mut().insert(ConnectInfo(client));
    router(state).oneshot(request).await.unwrap().status()
}

#[tokio::test]
async fn a_lan_client_gets_only_webhooks_while_remote_access_is_off() {
    let app = TestApp::spawn().await;
    let lan: SocketAddr = "192.168.1.50:51000".parse().unwrap();
    let management = || {
        Request::get("/api/v1/requests")
            .header("x-api-key", &app.api_token)
            .body(Body::empty())
            .unwrap()
    };
    let page = || Request::get("/").body(Body::empty()).unwrap();
    let webhook = || {
        Request::post("/api/webhooks/overseerr")
            .header("content-type", "application/json")
            .body(Body::from(fixture("movie_media_approved.json")))
            .unwrap()
    };
    assert_eq!(
        from_client(&app, lan, false, management()).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        from_client(&app, lan, false, page()).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        from_client(&app, lan, false, webhook()).await,
        StatusCode::OK
    );
    assert_eq!(
        from_client(&app, lan, true, management()).await,
        StatusCode::OK
    );
    assert_eq!(from_client(&app, lan, true, page()).await, StatusCode::OK);
}

/// Signs in and returns the `Cookie` header to send.
async fn sign_in(app: &TestApp, secret: &str) -> String {
    let response = app
        .client
        .post(app.url("/api/v1/session"))
        .json(&json!({ "secret": secret }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    cookie.split(';').next().unwrap().to_owned()
}

#[tokio::test]
async fn the_login_page_opens_a_session_that_signing_out_or_a_new_password_ends() {
    let app = TestApp::with_setting(SettingKey::RemotePassword, "correct horse battery").await;
    let status_with = |cookie: String| {
        app.client
            .get(app.url("/api/v1/status"))
            .header("cookie", cookie)
            .send()
    };
    let session = |cookie: Option<&str>| {
        let mut request = app.client.get(app.url("/api/v1/session"));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send()
    };
    let (_, before) = json(session(None).await.unwrap()).await;
    assert_eq!(
        before,
        json!({"authenticated": false, "password_set": true})
    );

    let wrong = app
        .client
        .post(app.url("/api/v1/session"))
        .json(&json!({"secret": "guess"}))
        .send()
        .await
        .unwrap();
    let (status, body) = json(wrong).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body["error"],
        "That is neither the API token nor the remote-access password"
    );

    let by_password = sign_in(&app, "correct horse battery").await;
    let by_token = sign_in(&app, &app.api_token).await;
    assert_ne!(by_password, by_token);
    let (_, after) = json(session(Some(&by_password)).await.unwrap()).await;
    assert_eq!(after["authenticated"], true);
    assert_eq!(
        status_with(by_password.clone()).await.unwrap().status(),
        StatusCode::OK
    );
    let (status, body) = json(status_with("linkarr_session=made-up".into()).await.unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "Your session has ended: sign in again");

    let sign_out = app
        .client
        .delete(app.url("/api/v1/session"))
        .header("cookie", &by_password)
        .send()
        .await
        .unwrap();
    assert_eq!(sign_out.status(), StatusCode::NO_CONTENT);
    assert!(
        sign_out.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(
        status_with(by_password).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );

    // A new password signs everyone out.
    assert_eq!(
        status_with(by_token.clone()).await.unwrap().status(),
        StatusCode::OK
    );
    let changed = app
        .put_settings(json!({"remote_password": "a new passphrase"}))
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_eq!(
        status_with(by_token).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    let short = app.put_settings(json!({"remote_password": "short"})).await;
    let (status, body) = json(short).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["error"],
        "invalid value for setting remote_password: expected a password of at least 8 characters"
    );
}

#[tokio::test]
async fn the_ui_is_served_with_a_content_security_policy() {
    let app = TestApp::spawn().await;
    let page = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    for directive in [
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let html = page.text().await.unwrap();
    assert!(html.contains("<script type=\"module\""), "{html}");
    // The page's own script is served, from the embedded build.
    let script = html
        .split("src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .trim_start_matches("./");
    let asset = app
        .client
        .get(app.url(&format!("/{script}")))
        .send()
        .await
        .unwrap();
    assert_eq!(asset.status(), StatusCode::OK);
    assert!(
        asset.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    assert!(
        asset.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
}

#[tokio::test]
async fn keys_never_come_back_whole_nor_reach_the_logs() {
    crate::helpers::capture_logs();
    let keys = [
        (SettingKey::TmdbKey, "0123456789abcdef0123456789abcdef"),
        (
            SettingKey::RealdebridToken,
            "RDTOKEN0123456789ABCDEFGHIJKLMNOP",
        ),
        (SettingKey::OverseerrKey, "OVERSEERRKEY0123456789abcdefghij"),
        (SettingKey::WebhookSecret, "webhook-secret-0123456789abcdef"),
        (SettingKey::RemotePassword, "remote-password-0123456789"),
    ];
    let app = TestApp::spawn_with(Options {
        settings: keys
            .iter()
            .map(|(key, value)| (*key, (*value).to_owned()))
            .collect(),
        ..Options::default()
    })
    .await;
    // Exercise the paths that use the keys: a webhook, a failing key test, settings.
    let webhook = app
        .client
        .post(app.url("/api/webhooks/overseerr"))
        .header("authorization", keys[3].1)
        .header("content-type", "application/json")
        .body(fixture("movie_media_approved.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(webhook.status(), StatusCode::OK);
    let mut answers = String::new();
    for path in [
        "/api/v1/status",
        "/api/v1/settings",
        "/api/v1/requests",
        "/api/v1/webhooks",
        "/api/v1/library",
        "/api/v1/logs?limit=2000",
    ] {
        let (status, body) = json(app.get_api(path).await).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        answers.push_str(&body.to_string());
    }
    let test = app
        .post_api_json("/api/v1/settings/test/realdebrid", json!({"value": ""}))
        .await;
    answers.push_str(&test.text().await.unwrap());
    for (key, value) in keys {
        assert!(!answers.contains(value), "{} came back whole", key.name());
        let logged = linkarr::telemetry::recent().last(2000);
        assert!(
            !logged.iter().any(|line| line.message.contains(value)),
            "{} was logged",
            key.name()
        );
    }
    assert!(
        !linkarr::telemetry::recent().last(2000).is_empty(),
        "the log was captured"
    );
}
