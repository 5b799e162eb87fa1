use linkarr::config::SettingKey;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, fixture, json};

/// What each recorded Overseerr body must get, in the order Overseerr would send them.
const FIXTURE_ANSWERS: [(&str, &str); 7] = [
    ("test_notification.json", "ignored"),
    ("movie_media_pending.json", "ignored"),
    ("movie_media_approved.json", "accepted"),
    ("movie_media_auto_approved.json", "accepted"),
    ("tv_media_approved.json", "accepted"),
    // Same Overseerr request (#3) as the approval: a repeat, not a new request.
    ("movie_media_available.json", "duplicate"),
    ("movie_issue_created.json", "ignored"),
];

#[tokio::test]
async fn every_recorded_overseerr_body_gets_its_answer_and_its_rows() {
    let app = TestApp::spawn().await;
    let mut approved_id = None;
    for (file, expected) in FIXTURE_ANSWERS {
        let (status, body) = json(app.post_webhook(fixture(file)).await).await;
        assert_eq!(status, StatusCode::OK, "{file}: {body}");
        assert_eq!(body["status"], expected, "{file}: {body}");
        match expected {
            "ignored" => assert!(body["reason"].as_str().is_some_and(|r| !r.is_empty())),
            _ => assert!(body["request_id"].as_i64().is_some(), "{file}: {body}"),
        }
        if file == "movie_media_approved.json" {
            approved_id = body["request_id"].as_i64();
        }
        if file == "movie_media_available.json" {
            assert_eq!(body["request_id"].as_i64(), approved_id);
        }
    }
    assert_eq!(app.count("webhooks").await, 7);
    assert_eq!(app.count("requests").await, 3);

    let raw: String = sqlx::query_scalar(
        "SELECT raw_body FROM webhooks
         WHERE request_id = (SELECT id FROM requests WHERE overseerr_request_id = 11)",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        raw.as_bytes(),
        fixture("tv_media_approved.json"),
        "raw body kept byte for byte"
    );

    let tv: (String, i64, Option<i64>, Option<String>, String, i64, i64) = sqlx::query_as(
        "SELECT media_type, tmdb_id, tvdb_id, requested_seasons, requested_by, is_4k,
                (SELECT count(*) FROM jobs WHERE jobs.request_id = requests.id)
         FROM requests WHERE overseerr_request_id = 11",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        tv,
        (
            "tv".into(),
            1396,
            Some(81189),
            Some("[1,2]".into()),
            "friend".into(),
            0,
            1
        ),
        "one request, not 4K, with its first job queued"
    );

    // Overseerr sends everything again (a retry, an edit): nothing new is created.
    for (file, expected) in FIXTURE_ANSWERS {
        let (_, body) = json(app.post_webhook(fixture(file)).await).await;
        let expected = if expected == "ignored" {
            "ignored"
        } else {
            "duplicate"
        };
        assert_eq!(body["status"], expected, "{file} again: {body}");
    }
    assert_eq!(app.count("requests").await, 3);
    assert_eq!(
        app.count("webhooks").await,
        14,
        "every delivery is on record"
    );
}

#[tokio::test]
async fn a_4k_request_is_kept_as_4k_and_apart_from_the_hd_one() {
    let app = TestApp::spawn().await;
    let mut body: Value = serde_json::from_slice(&fixture("movie_media_approved.json")).unwrap();
    body["event"] = json!("4K Movie Request Approved");
    body["media"]["status4k"] = json!("PENDING");
    body["request"]["request_id"] = json!("4");
    let (_, answer) = json(app.post_webhook(body.to_string()).await).await;
    assert_eq!(answer["status"], "accepted");
    let (_, hd) = json(app.post_webhook(fixture("movie_media_approved.json")).await).await;
    assert_eq!(hd["status"], "accepted");

    let flags: Vec<(i64, i64)> =
        sqlx::query_as("SELECT overseerr_request_id, is_4k FROM requests ORDER BY id")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(flags, vec![(4, 1), (3, 0)]);
}

#[tokio::test]
async fn the_guides_numeric_example_is_accepted_too() {
    let app = TestApp::spawn().await;
    let body = json!({
        "notification_type": "MEDIA_AUTO_APPROVED",
        "subject": "Breaking Bad (2008)",
        "media": {"media_type": "tv", "tmdbId": 1396, "tvdbId": 81189, "status": "PENDING"},
        "request": {"request_id": 42, "requestedBy_email": "jane@example.com"},
        "extra": [{"name": "Requested Seasons", "value": [1, 2, 3]}]
    });
    let (status, answer) = json(app.post_webhook(body.to_string()).await).await;
    assert_eq!(
        (status, &answer["status"]),
        (StatusCode::OK, &json!("accepted"))
    );
    let (seasons, who): (String, String) =
        sqlx::query_as("SELECT requested_seasons, requested_by FROM requests")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(
        (seasons.as_str(), who.as_str()),
        ("[1,2,3]", "jane@example.com")
    );
}

#[tokio::test]
async fn unknown_notification_types_are_answered_2xx_and_kept() {
    let app = TestApp::spawn().await;
    let body = json!({"notification_type": "MEDIA_SOMETHING_NEW", "media": null, "extra": []});
    let (status, answer) = json(app.post_webhook(body.to_string()).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["status"], "ignored");
    assert_eq!(answer["reason"], "Unknown notification type");
    assert_eq!(app.count("webhooks").await, 1);
}

#[tokio::test]
async fn concurrent_repeats_create_exactly_one_request() {
    let app = TestApp::spawn().await;
    let body = fixture("movie_media_approved.json");
    let sends = (0..24).map(|_| app.post_webhook(body.clone()));
    let answers = futures::future::join_all(sends).await;
    let mut statuses = Vec::new();
    for answer in answers {
        let (status, body) = json(answer).await;
        assert_eq!(status, StatusCode::OK);
        statuses.push(body["status"].as_str().unwrap().to_owned());
    }
    assert_eq!(statuses.iter().filter(|s| *s == "accepted").count(), 1);
    assert_eq!(statuses.iter().filter(|s| *s == "duplicate").count(), 23);
    assert_eq!(app.count("requests").await, 1);
}

#[tokio::test]
async fn the_test_endpoint_says_who_and_when() {
    let app = TestApp::spawn().await;
    for request in [
        app.client.get(app.url("/api/webhooks/test")),
        app.client.post(app.url("/api/webhooks/test")),
    ] {
        let (status, body) = json(request.send().await.unwrap()).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["status"], "ok");
        assert_eq!(body["message"], "Webhook endpoint is reachable");
        assert_eq!(body["service"], "Linkarr");
        assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
        let timestamp = body["timestamp"].as_str().unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(timestamp).is_ok(),
            "{timestamp}"
        );
    }
}

#[tokio::test]
async fn malformed_bodies_get_a_clear_error_and_lose_nothing() {
    let app = TestApp::spawn().await;
    let (_, first) = json(app.post_webhook(fixture("movie_media_approved.json")).await).await;
    assert_eq!(first["status"], "accepted");

    let cases: [(&str, String, StatusCode, &str); 9] = [
        ("application/json", "{\"notification_type\": ".into(), StatusCode::BAD_REQUEST, "Invalid JSON: EOF while parsing"),
        ("application/json", "[1, 2]".into(), StatusCode::UNPROCESSABLE_ENTITY, "Expected a JSON object"),
        ("application/json", "null".into(), StatusCode::UNPROCESSABLE_ENTITY, "Expected a JSON object"),
        ("application/json", "[1, ".into(), StatusCode::BAD_REQUEST, "Invalid JSON"),
        ("application/json", json!({"subject": "x"}).to_string(), StatusCode::UNPROCESSABLE_ENTITY, "notification_type is missing"),
        (
            "application/json",
            json!({"notification_type": "MEDIA_APPROVED", "media": {"media_type": "movie", "tmdbId": ""}}).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "MEDIA_APPROVED: media.tmdbId is missing",
        ),
        (
            "application/json",
            json!({"notification_type": "MEDIA_APPROVED", "media": {"media_type": "book", "tmdbId": "603"}}).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "media.media_type \"book\" is neither",
        ),
        (
            "application/json",
            json!({"notification_type": "MEDIA_AUTO_APPROVED", "media": null}).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "the media block is missing",
        ),
        (
            "application/json",
            json!({"notification_type": "MEDIA_APPROVED", "media": "603"}).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Unexpected webhook shape",
        ),
    ];
    for (content_type, body, expected_status, expected_message) in &cases {
        let response = app
            .client
            .post(app.url("/api/webhooks/overseerr"))
            .header("content-type", *content_type)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        let (status, answer) = json(response).await;
        assert_eq!(status, *expected_status, "{body}: {answer}");
        let message = answer["error"].as_str().unwrap();
        assert!(message.contains(expected_message), "{body}: {message}");
    }
    let rejected: i64 =
        sqlx::query_scalar("SELECT count(*) FROM webhooks WHERE outcome = 'rejected'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(
        rejected,
        cases.len() as i64,
        "rejected bodies are kept for the record"
    );
    assert_eq!(
        app.count("requests").await,
        1,
        "the earlier request is untouched"
    );
}

#[tokio::test]
async fn wrong_content_types_and_oversized_bodies_are_refused() {
    let app = TestApp::spawn().await;
    let approved = fixture("movie_media_approved.json");
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let mut request = app
            .client
            .post(app.url("/api/webhooks/overseerr"))
            .body(approved.clone());
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let (status, answer) = json(request.send().await.unwrap()).await;
        assert_eq!(
            status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type:?}"
        );
        assert!(
            answer["error"]
                .as_str()
                .unwrap()
                .contains("application/json")
        );
    }
    // A charset parameter is still JSON.
    let response = app
        .client
        .post(app.url("/api/webhooks/overseerr"))
        .header("content-type", "application/json; charset=utf-8")
        .body(approved)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    let oversized = format!(
        "{{\"notification_type\":\"MEDIA_APPROVED\",\"pad\":\"{}\"}}",
        "x".repeat(1024 * 1024)
    );
    let (status, answer) = json(app.post_webhook(oversized).await).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(answer["error"].as_str().unwrap().contains("1024 KiB"));

    // The same, streamed without a Content-Length: the limit still holds.
    let chunks = vec![
        Ok::<_, std::io::Error>(vec![b' '; 600 * 1024]),
        Ok(vec![b' '; 600 * 1024]),
    ];
    let stream = reqwest::Body::wrap_stream(futures::stream::iter(chunks));
    let (status, _) = json(app.post_webhook(stream).await).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.count("requests").await, 1);
}

#[tokio::test]
async fn with_a_secret_only_the_exact_authorization_header_passes() {
    let app = TestApp::with_setting(SettingKey::WebhookSecret, "s3cret-Value").await;
    let attempts = [
        (
            None,
            StatusCode::UNAUTHORIZED,
            "Missing Authorization header",
        ),
        (
            Some("wrong"),
            StatusCode::UNAUTHORIZED,
            "Wrong Authorization header",
        ),
        (
            Some("Bearer s3cret-Value"),
            StatusCode::UNAUTHORIZED,
            "Wrong Authorization header",
        ),
        (
            Some("s3cret-value"),
            StatusCode::UNAUTHORIZED,
            "Wrong Authorization header",
        ),
        (Some("s3cret-Value"), StatusCode::OK, ""),
    ];
    for (header, expected, message) in attempts {
        let mut request = app
            .client
            .post(app.url("/api/webhooks/overseerr"))
            .header("content-type", "application/json")
            .body(fixture("test_notification.json"));
        if let Some(header) = header {
            request = request.header("authorization", header);
        }
        let (status, answer) = json(request.send().await.unwrap()).await;
        assert_eq!(status, expected, "{header:?}: {answer}");
        if !message.is_empty() {
            assert!(
                answer["error"].as_str().unwrap().starts_with(message),
                "{answer}"
            );
        }
    }
    assert_eq!(
        app.count("webhooks").await,
        1,
        "refused posts are not stored"
    );
}
