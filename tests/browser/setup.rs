//! Setup: connecting Overseerr automatically (over an agent that points elsewhere) and by hand.

use linkarr::config::SettingKey;
use serde_json::Value;

use crate::harness::World;
use crate::sim::overseerr::KEY;

/// What someone else's webhook agent looks like: a notifier that is no Linkarr (`.invalid`
/// never resolves, so nothing could ever be sent there).
const ELSEWHERE: &str = "http://notifier.invalid:8000/hooks/overseerr";

/// Overseerr's default template as `reference/overseerr.md` §1 describes it, written out here
/// so that the test does not take Linkarr's own copy on trust.
const OVERSEERR_DEFAULT: &str = r#"{
  "notification_type": "{{notification_type}}", "event": "{{event}}",
  "subject": "{{subject}}", "message": "{{message}}", "image": "{{image}}",
  "{{media}}": {"media_type": "{{media_type}}", "tmdbId": "{{media_tmdbid}}",
    "tvdbId": "{{media_tvdbid}}", "status": "{{media_status}}",
    "status4k": "{{media_status4k}}"},
  "{{request}}": {"request_id": "{{request_id}}", "requestedBy_email": "{{requestedBy_email}}",
    "requestedBy_username": "{{requestedBy_username}}",
    "requestedBy_avatar": "{{requestedBy_avatar}}",
    "requestedBy_settings_discordId": "{{requestedBy_settings_discordId}}",
    "requestedBy_settings_telegramChatId": "{{requestedBy_settings_telegramChatId}}"},
  "{{issue}}": {"issue_id": "{{issue_id}}", "issue_type": "{{issue_type}}",
    "issue_status": "{{issue_status}}", "reportedBy_email": "{{reportedBy_email}}",
    "reportedBy_username": "{{reportedBy_username}}",
    "reportedBy_avatar": "{{reportedBy_avatar}}",
    "reportedBy_settings_discordId": "{{reportedBy_settings_discordId}}",
    "reportedBy_settings_telegramChatId": "{{reportedBy_settings_telegramChatId}}"},
  "{{comment}}": {"comment_message": "{{comment_message}}",
    "commentedBy_email": "{{commentedBy_email}}",
    "commentedBy_username": "{{commentedBy_username}}",
    "commentedBy_avatar": "{{commentedBy_avatar}}",
    "commentedBy_settings_discordId": "{{commentedBy_settings_discordId}}",
    "commentedBy_settings_telegramChatId": "{{commentedBy_settings_telegramChatId}}"},
  "{{extra}}": []
}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn automatic_connect_then_over_another_apps_agent_and_the_test_notification_arrives() {
    let world = World::start(&[]).await;
    world
        .run("setup-connect", &[("OTHER_WEBHOOK_URL", ELSEWHERE)])
        .await;

    // Linkarr's two saves (fresh, then replacing the other app's, which the script made),
    // each exactly as Overseerr's own settings page would make it.
    let saves = world.overseerr.agent_saves.lock().unwrap().clone();
    assert_eq!(saves.len(), 3, "{saves:#?}");
    assert_eq!(saves[1]["options"]["webhookUrl"], ELSEWHERE, "{saves:#?}");
    let settings = world.app.state.settings.current();
    let secret = settings
        .webhook_secret
        .as_ref()
        .expect("connect makes a webhook secret when there is none")
        .expose()
        .to_owned();
    let webhook_url = world.app.url("/api/webhooks/overseerr");
    for saved in [&saves[0], &saves[2]] {
        assert_eq!(saved["enabled"], true, "{saved:#}");
        assert_eq!(
            saved["types"], 140,
            "MEDIA_APPROVED + MEDIA_AVAILABLE + MEDIA_AUTO_APPROVED"
        );
        assert_eq!(saved["options"]["webhookUrl"], webhook_url.as_str());
        assert_eq!(
            saved["options"]["authHeader"],
            secret.as_str(),
            "the same secret both times"
        );
        let payload = saved["options"]["jsonPayload"]
            .as_str()
            .expect("jsonPayload is a string: the template JSON-encoded once more");
        let text: Value = serde_json::from_str(payload).unwrap();
        let template: Value =
            serde_json::from_str(text.as_str().unwrap_or_else(|| {
                panic!("jsonPayload must decode to the template's text: {text}")
            }))
            .unwrap();
        assert_eq!(
            template,
            serde_json::from_str::<Value>(OVERSEERR_DEFAULT).unwrap(),
            "Overseerr's default template"
        );
    }

    // Overseerr's test button reached Linkarr, which requires the secret: so it carried it.
    assert_eq!(*world.overseerr.tests_delivered.lock().unwrap(), [200, 200]);
    assert_eq!(
        world
            .app
            .count("webhooks WHERE notification_type = 'TEST_NOTIFICATION'")
            .await,
        2
    );
    assert_eq!(
        world.overseerr.agent.lock().unwrap()["options"]["webhookUrl"],
        webhook_url.as_str()
    );
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
        world.overseerr.agent_saves.lock().unwrap().is_empty(),
        "manual setup leaves Overseerr alone"
    );
}
