//! The setup walk-through's server side: testing keys, a webhook secret shown once, and
//! connecting Overseerr's webhook agent to Linkarr (against the simulated Overseerr, which
//! really sends its test notification).

use linkarr::config::SettingKey;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, json};
use crate::sim::{overseerr, realdebrid, tmdb};

#[tokio::test]
async fn connecting_overseerr_writes_its_webhook_agent_and_its_test_arrives() {
    let (url, sim) = overseerr::start().await;
    let app = TestApp::spawn().await;
    let (status, inspection) = json(
        app.post_api_json(
            "/api/v1/overseerr/inspect",
            json!({"url": format!("{url}/"), "api_key": overseerr::KEY}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{inspection}");
    let ours = format!("http://{}/api/webhooks/overseerr", app.addr);
    assert_eq!(
        inspection,
        json!({"version": "1.34.0", "agent": "empty", "linkarr_webhook_url": ours,
               "webhook": {"enabled": false, "types": 0, "webhook_url": "",
                           "auth_header_set": false, "json_payload_default": true}})
    );

    let (status, connection) = json(
        app.post_api_json(
            "/api/v1/overseerr/connect",
            json!({"url": url, "api_key": overseerr::KEY}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{connection}");
    assert_eq!(connection, json!({"webhook_url": ours, "test_sent": true}));

    // Saved as Overseerr's own settings page would: the template encoded once more.
    let saves = sim.agent_saves.lock().unwrap().clone();
    assert_eq!(saves.len(), 1);
    let secret = app.state.settings.current().webhook_secret.clone().unwrap();
    assert_eq!(saves[0]["enabled"], true);
    assert_eq!(saves[0]["types"], 140);
    assert_eq!(saves[0]["options"]["webhookUrl"], ours);
    assert_eq!(saves[0]["options"]["authHeader"], secret.expose());
    let payload = saves[0]["options"]["jsonPayload"].as_str().unwrap();
    let text: String = serde_json::from_str(payload).unwrap();
    let template: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(template["notification_type"], "{{notification_type}}");
    assert_eq!(*sim.tests_delivered.lock().unwrap(), vec![200]);

    // The test notification arrived, with the secret, and Linkarr knows it is connected.
    let (_, status) = json(app.get_api("/api/v1/status").await).await;
    assert!(status["overseerr_connected_at"].is_string(), "{status}");
    assert_eq!(
        status["recent"][0]["notification_type"],
        "TEST_NOTIFICATION"
    );
    let settings = app.state.settings.current();
    assert_eq!(settings.overseerr_url.as_deref(), Some(url.as_str()));
    assert_eq!(
        settings.overseerr_key.as_ref().unwrap().expose(),
        overseerr::KEY
    );

    // Asked again, it recognises its own agent; the masked saved key works.
    let (_, again) = json(
        app.post_api_json(
            "/api/v1/overseerr/inspect",
            json!({"url": url, "api_key": "••••"}),
        )
        .await,
    )
    .await;
    assert_eq!(again["agent"], "linkarr");
    assert_eq!(again["webhook"]["auth_header_set"], true);
}

#[tokio::test]
async fn another_apps_webhook_is_replaced_only_when_the_user_confirms() {
    let (url, sim) = overseerr::start().await;
    sim.set_agent_url("http://192.168.1.9:5000/notify");
    let app = TestApp::spawn().await;
    let (_, inspection) = json(
        app.post_api_json(
            "/api/v1/overseerr/inspect",
            json!({"url": url, "api_key": overseerr::KEY}),
        )
        .await,
    )
    .await;
    assert_eq!(inspection["agent"], "other");
    assert_eq!(
        inspection["webhook"]["webhook_url"],
        "http://192.168.1.9:5000/notify"
    );
    let connect = |replace: bool| {
        app.post_api_json(
            "/api/v1/overseerr/connect",
            json!({"url": url, "api_key": overseerr::KEY, "replace_other": replace}),
        )
    };
    let (status, body) = json(connect(false).await).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("already sends to http://192.168.1.9:5000/notify"),
        "{body}"
    );
    assert!(
        sim.agent_saves.lock().unwrap().is_empty(),
        "nothing written"
    );
    assert!(app.state.settings.current().overseerr_url.is_none());

    let (status, body) = json(connect(true).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(sim.agent_saves.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_wrong_key_or_address_is_explained() {
    let (url, sim) = overseerr::start().await;
    let app = TestApp::spawn().await;
    let inspect = |url: &str, key: &str| {
        app.post_api_json(
            "/api/v1/overseerr/inspect",
            json!({"url": url, "api_key": key}),
        )
    };
    let (status, body) = json(inspect(&url, "wrong").await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .starts_with("Overseerr refused the API key")
    );
    let (status, body) = json(inspect("overseerr:5055", overseerr::KEY).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["error"],
        "Overseerr's address must start with http:// or https://"
    );
    let (status, body) = json(inspect("http://127.0.0.1:9", overseerr::KEY).await).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .starts_with("could not reach Overseerr")
    );
    let (status, body) = json(inspect(&url, "").await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .starts_with("Enter Overseerr's API key")
    );
    assert!(sim.agent_saves.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_test_notification_linkarr_refuses_is_reported() {
    let (url, sim) = overseerr::start().await;
    let app = TestApp::spawn().await;
    // Overseerr can reach Linkarr, but at an address where nothing answers webhooks.
    let (status, body) = json(
        app.post_api_json(
            "/api/v1/overseerr/connect",
            json!({"url": url, "api_key": overseerr::KEY,
                   "webhook_url": app.url("/api/webhooks/nowhere")}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["test_sent"], false);
    assert!(
        body["test_error"]
            .as_str()
            .unwrap()
            .starts_with("Overseerr could not deliver its test notification"),
        "{body}"
    );
    assert_eq!(*sim.tests_delivered.lock().unwrap(), vec![404]);
}

#[tokio::test]
async fn a_generated_webhook_secret_is_shown_once_then_masked() {
    let app = TestApp::spawn().await;
    let (status, body) = json(app.post_api("/api/v1/settings/webhook-secret").await).await;
    assert_eq!(status, StatusCode::OK);
    let secret = body["secret"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 48);
    let (_, settings) = json(app.get_api("/api/v1/settings").await).await;
    let shown = settings["webhook_secret"]["value"].as_str().unwrap();
    assert_eq!(shown, format!("••••{}", &secret[44..]));
    // Overseerr must now send it.
    assert_eq!(
        app.post_webhook(crate::helpers::fixture("test_notification.json"))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn key_tests_show_the_account_or_the_error_in_words() {
    let (rd_url, _rd) = realdebrid::start().await;
    let (tmdb_url, _tmdb) = tmdb::start().await;
    let app = TestApp::spawn_with(crate::helpers::Options {
        settings: vec![
            (SettingKey::RealdebridUrl, rd_url),
            (SettingKey::TmdbUrl, tmdb_url),
        ],
        ..Default::default()
    })
    .await;
    let app = &app;
    let test = |what: &str, value: &str| {
        let path = format!("/api/v1/settings/test/{what}");
        let body = json!({ "value": value });
        async move { app.post_api_json(&path, body).await }
    };
    let (status, account) = json(test("realdebrid", realdebrid::TOKEN).await).await;
    assert_eq!(status, StatusCode::OK, "{account}");
    assert!(account["username"].is_string());
    assert!(account["premium_days_left"].as_i64().unwrap() > 0);
    let (status, body) = json(test("realdebrid", "WRONGTOKEN").await).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert!(body["error"].as_str().unwrap().contains("token"), "{body}");
    let (status, body) = json(test("realdebrid", "").await).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "nothing saved: {body}");

    let (status, body) = json(test("tmdb", tmdb::V3_KEY).await).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"ok": true})));
    let (status, body) = json(test("tmdb", "ffffffffffffffffffffffffffffffff").await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .starts_with("TMDb key rejected: copy the API key"),
        "{body}"
    );
    // Testing saves nothing.
    assert!(app.state.settings.current().tmdb_key.is_none());
}
