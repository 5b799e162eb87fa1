//! What the Activity, Library and Logs views read: deleting a request, the compact log of
//! notifications, the library's search and sort, and the recent log lines.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ReadyTitle, TestApp, capture_logs, fixture, json, seed_ready};

#[tokio::test]
async fn a_deleted_request_is_gone_with_its_history_and_can_come_again() {
    let app = TestApp::spawn().await;
    let id = app.post_fixture("movie_media_approved.json").await;
    let delete = |id: i64| {
        app.client
            .delete(app.url(&format!("/api/v1/requests/{id}")))
            .header("x-api-key", &app.api_token)
            .send()
    };
    // At once, while its first step runs: the worker is stopped mid-query.
    assert_eq!(delete(id).await.unwrap().status(), StatusCode::NO_CONTENT);
    let (status, _) = json(app.get_api(&format!("/api/v1/requests/{id}")).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("request_events").await, 0);
    assert_eq!(app.count("jobs").await, 0);
    assert_eq!(
        app.count("webhooks").await,
        1,
        "the notification log keeps it"
    );
    let (status, _) = json(delete(id).await.unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The same approval again is a new request, not a duplicate of a forgotten one.
    let response = app.post_webhook(fixture("movie_media_approved.json")).await;
    let (_, body) = json(response).await;
    assert_eq!(body["status"], "accepted");
    assert_eq!(app.count("requests").await, 1);
}

#[tokio::test]
async fn the_notification_log_lists_every_webhook_newest_first() {
    let app = TestApp::spawn().await;
    for name in [
        "test_notification.json",
        "movie_media_pending.json",
        "movie_issue_created.json",
    ] {
        assert_eq!(
            app.post_webhook(fixture(name)).await.status(),
            StatusCode::OK
        );
    }
    let (status, page) = json(app.get_api("/api/v1/webhooks?limit=2").await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["total"], 3);
    let types: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["notification_type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["ISSUE_CREATED", "MEDIA_PENDING"]);
    assert_eq!(page["items"][0]["outcome"], "ignored");
    let (_, rest) = json(app.get_api("/api/v1/webhooks?limit=2&offset=2").await).await;
    assert_eq!(rest["items"][0]["notification_type"], "TEST_NOTIFICATION");
}

fn titles(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["title"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn the_library_searches_filters_and_sorts() {
    let app = TestApp::spawn().await;
    let ready = [
        ("movie", 603, "The Matrix", 1999),
        ("movie", 604, "The Matrix Reloaded", 2003),
        ("movie", 949, "Heat", 1995),
        ("tv", 1396, "Breaking Bad", 2008),
        ("movie", 1000, "100% Wolf", 2020),
    ];
    let ready = ready.map(|(media_type, tmdb_id, title, year)| ReadyTitle {
        media_type,
        tmdb_id,
        title: title.into(),
        year,
        runtime: Some(120),
        genres: vec!["Drama"],
        rating: 5.0 + (tmdb_id % 5) as f64,
        ..ReadyTitle::default()
    });
    seed_ready(&mut app.db.acquire().await.unwrap(), ready).await;
    let app = &app;
    let list = |query: &str| {
        let path = format!("/api/v1/library?{query}");
        async move { app.get_api(&path).await }
    };

    let (_, page) = json(list("q=matrix").await).await;
    assert_eq!(page["total"], 2);
    assert_eq!(
        titles(&page),
        ["The Matrix Reloaded", "The Matrix"],
        "newest added first"
    );
    let (_, page) = json(list("sort=title").await).await;
    assert_eq!(
        titles(&page),
        [
            "100% Wolf",
            "Breaking Bad",
            "Heat",
            "The Matrix",
            "The Matrix Reloaded"
        ]
    );
    let (_, page) = json(list("sort=year&media_type=movie").await).await;
    assert_eq!(
        titles(&page),
        ["100% Wolf", "The Matrix Reloaded", "The Matrix", "Heat"]
    );
    let (_, page) = json(list("media_type=tv").await).await;
    assert_eq!(titles(&page), ["Breaking Bad"]);
    // The user's % is a letter, not a wildcard.
    let (_, page) = json(list("q=0%25").await).await;
    assert_eq!(titles(&page), ["100% Wolf"]);
    let (_, page) = json(list("q=  ").await).await;
    assert_eq!(page["total"], 5, "blank search lists all");
    let (status, body) = json(list("sort=shuffle").await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "sort: expected added, title, year or rating");
}

#[tokio::test]
async fn recent_log_lines_are_served_for_the_logs_view() {
    capture_logs();
    let app = TestApp::spawn().await;
    app.post_webhook(fixture("test_notification.json")).await;
    let (status, logs) = json(app.get_api("/api/v1/logs?limit=2000").await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        logs["folder"],
        json!(app.data_dir.join("logs").display().to_string())
    );
    let lines = logs["lines"].as_array().unwrap();
    let line = lines
        .iter()
        .find(|line| {
            line["message"]
                .as_str()
                .unwrap()
                .contains("Received webhook notification: TEST_NOTIFICATION")
        })
        .unwrap_or_else(|| panic!("not logged: {logs}"));
    assert_eq!(line["level"], "INFO");
    assert!(line["seq"].is_u64() && line["at"].is_string());
}
