//! Setup: connecting Overseerr automatically (over an agent that points elsewhere) and by hand.

use linkarr::config::SettingKey;
use serde_json::Value;

use crate::harness::World;
use crate::sim::overseerr::{Agent, DEFAULT_TEMPLATE, KEY, LINKARR_TYPES};

/// What someone else's webhook agent looks like: a notifier that is no Linkarr (`.invalid`
/// never resolves, so nothing could ever be sent there).
const ELSEWHERE: &str = "http://notifier.invalid:8000/hooks/overseerr";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn automatic_connect_replaces_another_agent_and_the_test_notification_arrives() {
    let world = World::start(&[]).await;
    world.overseerr.set_agent(Agent {
        enabled: true,
        types: 2,
        webhook_url: ELSEWHERE.to_owned(),
        auth_header: "Bearer someone-else".to_owned(),
        ..Agent::default()
    });
    world
        .run("setup-connect", &[("OTHER_WEBHOOK_URL", ELSEWHERE)])
        .await;

    // Exactly one save, exactly as Overseerr's own settings page would make it.
    let saves = world.overseerr.agent_saves();
    assert_eq!(saves.len(), 1, "{saves:#?}");
    let saved = &saves[0];
    let settings = world.app.state.settings.current();
    let secret = settings
        .webhook_secret
        .as_ref()
        .expect("connect makes a webhook secret when there is none")
        .expose()
        .to_owned();
    let webhook_url = world.app.url("/api/webhooks/overseerr");
    assert_eq!(saved["enabled"], true, "{saved:#}");
    assert_eq!(saved["types"], LINKARR_TYPES, "{saved:#}");
    assert_eq!(saved["options"]["webhookUrl"], webhook_url.as_str());
    assert_eq!(saved["options"]["authHeader"], secret.as_str());
    let payload = saved["options"]["jsonPayload"]
        .as_str()
        .expect("jsonPayload is a string: the template JSON-encoded once more");
    let text: Value = serde_json::from_str(payload).unwrap();
    let template: Value = serde_json::from_str(
        text.as_str()
            .unwrap_or_else(|| panic!("jsonPayload must decode to the template's text: {text}")),
    )
    .unwrap();
    assert_eq!(
        template,
        serde_json::from_str::<Value>(DEFAULT_TEMPLATE).unwrap(),
        "the default template"
    );

    // Overseerr's test button reached Linkarr, with the secret, and Linkarr said yes.
    let deliveries = world.overseerr.test_deliveries();
    assert_eq!(deliveries.len(), 1, "{deliveries:#?}");
    assert_eq!(deliveries[0].url, webhook_url);
    assert_eq!(
        deliveries[0].authorization.as_deref(),
        Some(secret.as_str())
    );
    assert_eq!(deliveries[0].body["notification_type"], "TEST_NOTIFICATION");
    assert_eq!(deliveries[0].status, Some(200));
    assert_eq!(
        world
            .app
            .count("webhooks WHERE notification_type = 'TEST_NOTIFICATION'")
            .await,
        1
    );
    assert_eq!(world.overseerr.agent().webhook_url, webhook_url);
    assert_eq!(
        settings.overseerr_url.as_deref(),
        Some(world.urls.overseerr.as_str())
    );
    assert_eq!(
        settings.overseerr_key.as_ref().map(|key| key.expose()),
        Some(KEY)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn manual_setup_shows_what_to_paste_and_turns_green_on_the_test_notification() {
    let secret = "manual-setup-secret-7f3a";
    let world = World::start(&[(SettingKey::WebhookSecret, secret)]).await;
    world
        .run(
            "setup-manual",
            &[
                ("WEBHOOK_SECRET", secret),
                ("WEBHOOK_URL", &world.app.url("/api/webhooks/overseerr")),
            ],
        )
        .await;
    assert_eq!(
        world
            .app
            .count("webhooks WHERE notification_type = 'TEST_NOTIFICATION'")
            .await,
        1
    );
    assert!(
        world.overseerr.agent_saves().is_empty(),
        "manual setup leaves Overseerr alone"
    );
}
