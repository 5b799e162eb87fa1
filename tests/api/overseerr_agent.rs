//! The Overseerr simulator's webhook agent against the real listener: what its test button
//! sends is byte for byte what the live Overseerr sent (the recorded fixture), with the
//! Authorization header as configured, and its answer follows the receiver's.

use linkarr::config::SettingKey;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, fixture};
use crate::sim::overseerr::{self, DEFAULT_TEMPLATE, LINKARR_TYPES};

fn agent_body(url: &str, auth_header: &str) -> Value {
    json!({
        "enabled": true,
        "types": LINKARR_TYPES,
        "options": {
            "webhookUrl": url,
            "authHeader": auth_header,
            "jsonPayload": Value::from(DEFAULT_TEMPLATE).to_string(),
        },
    })
}

async fn post(url: String, key: &str, body: &Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(url)
        .header("x-api-key", key)
        .json(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_simulated_test_button_sends_what_overseerr_sends() {
    let (sim_url, sim) = overseerr::start().await;
    let app = TestApp::with_setting(SettingKey::WebhookSecret, "s3cret-header").await;
    let webhook = app.url("/api/webhooks/overseerr");
    let test = format!("{sim_url}/api/v1/settings/notifications/webhook/test");

    let sent = post(
        test.clone(),
        overseerr::KEY,
        &agent_body(&webhook, "s3cret-header"),
    )
    .await;
    assert_eq!(sent.status(), StatusCode::NO_CONTENT);
    let deliveries = sim.test_deliveries();
    assert_eq!(deliveries.len(), 1);
    let expected: Value = serde_json::from_slice(&fixture("test_notification.json")).unwrap();
    assert_eq!(deliveries[0].url, webhook);
    assert_eq!(deliveries[0].body, expected);
    assert_eq!(
        deliveries[0].authorization.as_deref(),
        Some("s3cret-header")
    );
    let recorded: String = sqlx::query_scalar(
        "SELECT raw_body FROM webhooks WHERE notification_type = 'TEST_NOTIFICATION'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&recorded).unwrap(),
        expected,
        "Linkarr stored it as sent"
    );

    // A wrong header: Linkarr answers 401, so Overseerr's button fails.
    let refused = post(test.clone(), overseerr::KEY, &agent_body(&webhook, "wrong")).await;
    assert_eq!(refused.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["message"], "Failed to send webhook notification.");
    assert_eq!(sim.test_deliveries()[1].status, Some(401));

    // Nothing was saved by testing; a wrong key is refused before anything is sent.
    assert!(sim.agent_saves().is_empty());
    let wrong_key = post(test, "nope", &agent_body(&webhook, "")).await;
    assert_eq!(wrong_key.status(), StatusCode::FORBIDDEN);
    assert_eq!(sim.test_deliveries().len(), 2);
}

#[tokio::test]
async fn the_simulated_agent_keeps_what_was_saved_as_overseerr_does() {
    let (sim_url, sim) = overseerr::start().await;
    let settings = format!("{sim_url}/api/v1/settings/notifications/webhook");
    let client = reqwest::Client::new();
    let fresh: Value = client
        .get(&settings)
        .header("x-api-key", overseerr::KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(fresh["enabled"], false);
    assert_eq!(fresh["options"]["webhookUrl"], "");
    assert_eq!(fresh["options"]["jsonPayload"], DEFAULT_TEMPLATE);

    let body = agent_body("http://127.0.0.1:9/api/webhooks/overseerr", "abc");
    let saved = post(settings.clone(), overseerr::KEY, &body).await;
    assert_eq!(saved.status(), StatusCode::OK);
    let read: Value = client
        .get(&settings)
        .header("x-api-key", overseerr::KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(read["types"], LINKARR_TYPES);
    assert_eq!(read["options"]["authHeader"], "abc");
    assert_eq!(
        read["options"]["jsonPayload"], DEFAULT_TEMPLATE,
        "the text comes back, not the JSON string literal"
    );
    assert_eq!(sim.agent_saves(), [body]);

    let missing = client.get(&settings).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    let status: Value = reqwest::get(format!("{sim_url}/api/v1/status"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["version"], "1.34.0");
}
