use std::time::Duration;

use linkarr::config::SettingKey;
use tempfile::TempDir;

use crate::helpers::{Options, TestApp, fixture};

#[tokio::test]
async fn the_database_is_a_migrated_wal_file_with_foreign_keys_on() {
    let app = TestApp::spawn().await;
    assert!(app.data_dir.join("linkarr.db").is_file());
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let migrations: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!((journal.as_str(), foreign_keys), ("wal", 1));
    assert!(migrations >= 1);
}

#[tokio::test]
async fn the_generated_token_and_the_data_survive_a_restart() {
    let dir = TempDir::new().unwrap();
    let options = || Options {
        data_dir: Some(dir.path().to_path_buf()),
        ..Options::default()
    };
    let first = TestApp::spawn_with(options()).await;
    assert_eq!(first.api_token.len(), 48);
    first
        .post_webhook(fixture("movie_media_approved.json"))
        .await;
    let token = first.api_token.clone();
    first.stop().await;

    let second = TestApp::spawn_with(options()).await;
    assert_eq!(
        second.api_token, token,
        "the token is generated once and kept"
    );
    assert_eq!(second.count("requests").await, 1);
}

#[tokio::test]
async fn saved_settings_apply_and_the_environment_overrides_them_for_a_run() {
    let dir = TempDir::new().unwrap();
    let db = linkarr::db::connect(&dir.path().join("linkarr.db"))
        .await
        .unwrap();
    linkarr::db::settings::save(&db, SettingKey::WebhookSecret, "saved-secret")
        .await
        .unwrap();
    db.close().await;

    let saved = TestApp::spawn_with(Options {
        data_dir: Some(dir.path().to_path_buf()),
        ..Options::default()
    })
    .await;
    let with_saved = saved
        .client
        .post(saved.url("/api/webhooks/overseerr"))
        .header("content-type", "application/json")
        .header("authorization", "saved-secret")
        .body(fixture("test_notification.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(with_saved.status(), 200);
    saved.stop().await;

    let overridden = TestApp::spawn_with(Options {
        data_dir: Some(dir.path().to_path_buf()),
        settings: vec![(SettingKey::WebhookSecret, "run-secret".into())],
        ..Options::default()
    })
    .await;
    let with_saved = overridden
        .client
        .post(overridden.url("/api/webhooks/overseerr"))
        .header("content-type", "application/json")
        .header("authorization", "saved-secret")
        .body(fixture("test_notification.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        with_saved.status(),
        401,
        "the run's secret wins over the saved one"
    );
}

#[tokio::test]
async fn a_webhook_waits_out_another_writer_without_stalling_the_listener() {
    let app = TestApp::spawn().await;
    let mut other_writer = app.db.acquire().await.unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut *other_writer)
        .await
        .unwrap();

    let pending = tokio::spawn({
        let (client, url) = (app.client.clone(), app.url("/api/webhooks/overseerr"));
        async move {
            let response = client
                .post(url)
                .header("content-type", "application/json")
                .body(fixture("movie_media_approved.json"))
                .send()
                .await
                .unwrap();
            crate::helpers::json(response).await
        }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        !pending.is_finished(),
        "acknowledged before it could be committed"
    );
    // The test runs on one thread: had the writer blocked it, nothing else would answer.
    let reachable = tokio::time::timeout(
        Duration::from_secs(2),
        app.client.get(app.url("/api/webhooks/test")).send(),
    )
    .await;
    assert!(reachable.is_ok_and(|response| response.unwrap().status() == 200));

    sqlx::query("COMMIT")
        .execute(&mut *other_writer)
        .await
        .unwrap();
    let (status, answer) = pending.await.unwrap();
    assert_eq!(
        (status.as_u16(), answer["status"].as_str()),
        (200, Some("accepted"))
    );
    assert_eq!(app.count("requests").await, 1);
}
