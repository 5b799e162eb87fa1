//! The ingest pipeline through the real listener, with TMDb and Overseerr simulated.

use std::time::Duration;

use linkarr::config::SettingKey;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Options, TestApp, fixture, has_metadata, history, json};
use crate::sim::tmdb::{Fault, MISSING, V3_KEY, V4_TOKEN};
use crate::sim::{overseerr, tmdb};

#[tokio::test]
async fn a_movie_and_a_show_end_with_their_metadata() {
    let (tmdb_url, tmdb) = tmdb::start().await;
    let app = TestApp::with_tmdb(&tmdb_url).await;
    let movie = app.post_fixture("movie_media_approved.json").await;
    let show = app.post_fixture("tv_media_approved.json").await;

    let movie = app.wait_for_request(movie, has_metadata).await;
    assert_eq!(
        (movie["title"].as_str(), movie["year"].as_i64()),
        (Some("The Matrix"), Some(1999))
    );
    let poster = movie["poster_url"].as_str().unwrap();
    assert_eq!(
        poster,
        "https://image.tmdb.org/t/p/w342/f89U3ADr1oiB1s9GkdPOEpXUk5H.jpg"
    );
    let show = app.wait_for_request(show, has_metadata).await;
    assert_eq!(show["title"], "Breaking Bad");
    assert_eq!(
        history(&show),
        [
            "received: Received from Overseerr (MEDIA_APPROVED)",
            "metadata: Fetching details from TMDb",
            "searching: Found on TMDb: Breaking Bad (2008), seasons 1, 2 (15 new episodes)",
            "waiting: No search source is switched on: add one in Settings",
        ]
    );

    let (_, item) = json(
        app.get_api(&format!("/api/v1/library/{}", movie["media_item_id"]))
            .await,
    )
    .await;
    assert_eq!(item["imdb_id"], "tt0133093");
    assert_eq!(item["genres"], json!(["Action", "Science Fiction"]));
    let poster = item["poster_url"].as_str().unwrap();
    assert!(
        poster.starts_with("https://image.tmdb.org/t/p/w342/") && !poster.contains("//w"),
        "{poster}"
    );

    let (_, item) = json(
        app.get_api(&format!("/api/v1/library/{}", show["media_item_id"]))
            .await,
    )
    .await;
    assert_eq!(
        (item["tvdb_id"].as_i64(), item["imdb_id"].as_str()),
        (Some(81189), Some("tt0903747"))
    );
    let seasons: Vec<(i64, usize)> = item["seasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["season_number"].as_i64().unwrap(),
                s["episodes"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(
        seasons,
        [(1, 7), (2, 8)],
        "exactly the requested seasons, with their episodes"
    );
    assert_eq!(tmdb.calls_to("/3/tv/1396/season/3"), 0);

    // The guide's own check, verbatim.
    let newest: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT id, title, media_type, is_available FROM media_items ORDER BY created_at DESC LIMIT 5;",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let titles: Vec<&str> = newest.iter().map(|row| row.1.as_str()).collect();
    assert_eq!(newest.len(), 2);
    assert!(titles.contains(&"The Matrix") && titles.contains(&"Breaking Bad"));
}

#[tokio::test]
async fn a_second_request_for_a_show_adds_only_its_new_seasons() {
    let (tmdb_url, tmdb) = tmdb::start().await;
    let app = TestApp::with_tmdb(&tmdb_url).await;
    let first = app.post_fixture("tv_media_approved.json").await;
    app.wait_for_request(first, has_metadata).await;

    let mut later: Value = serde_json::from_slice(&fixture("tv_media_approved.json")).unwrap();
    later["request"]["request_id"] = json!("12");
    later["extra"] = json!([{"name": "Requested Seasons", "value": "2, 3"}]);
    let (_, answer) = json(app.post_webhook(later.to_string()).await).await;
    let second = answer["request_id"].as_i64().unwrap();
    let second = app.wait_for_request(second, has_metadata).await;

    assert_eq!(app.count("media_items").await, 1, "one show, not two");
    assert_eq!(app.count("seasons").await, 3);
    assert_eq!(app.count("episodes").await, 7 + 8 + 9);
    assert_eq!(
        tmdb.calls_to("/3/tv/1396/season/2"),
        1,
        "season 2 was already there"
    );
    assert!(
        history(&second)
            .iter()
            .any(|line| line.contains("seasons 2, 3 (9 new episodes)"))
    );
}

#[tokio::test]
async fn movie_603_and_show_603_are_two_titles() {
    let (tmdb_url, _tmdb) = tmdb::start().await;
    let app = TestApp::with_tmdb(&tmdb_url).await;
    let movie = app.post_fixture("movie_media_approved.json").await;
    let mut show: Value = serde_json::from_slice(&fixture("tv_media_approved.json")).unwrap();
    show["media"]["tmdbId"] = json!("603");
    let (_, answer) = json(app.post_webhook(show.to_string()).await).await;
    let show = answer["request_id"].as_i64().unwrap();
    let movie = app.wait_for_request(movie, has_metadata).await;
    let show = app.wait_for_request(show, has_metadata).await;
    assert_ne!(movie["media_item_id"], show["media_item_id"]);
    assert_eq!(app.count("media_items").await, 2);
}

#[tokio::test]
async fn a_v4_read_access_token_works_as_well_as_a_v3_key() {
    let (tmdb_url, _tmdb) = tmdb::start().await;
    let app = TestApp::spawn_with(Options {
        settings: vec![
            (SettingKey::TmdbUrl, tmdb_url),
            (SettingKey::TmdbKey, V4_TOKEN.into()),
        ],
        ..Options::default()
    })
    .await;
    let id = app.post_fixture("movie_media_approved.json").await;
    app.wait_for_request(id, has_metadata).await;
}

#[tokio::test]
async fn a_rate_limit_is_waited_out_and_the_request_completes() {
    let (tmdb_url, tmdb) = tmdb::start().await;
    tmdb.fail_next("/3/movie/603", Fault::RateLimited { retry_after: 1 }, 1);
    let app = TestApp::with_tmdb(&tmdb_url).await;
    let id = app.post_fixture("movie_media_approved.json").await;
    let waiting = app
        .wait_for_request(id, |r| {
            r["state"] == "waiting" && r["next_attempt_at"].is_string()
        })
        .await;
    assert!(
        waiting["reason"]
            .as_str()
            .unwrap()
            .starts_with("TMDb is rate limiting; trying again at")
    );
    let done = app.wait_for_request(id, has_metadata).await;
    assert_eq!(done["next_attempt_at"], Value::Null);
    assert_eq!(tmdb.calls_to("/3/movie/603"), 2);
}

#[tokio::test]
async fn a_server_error_backs_off_with_the_next_attempt_shown() {
    let (tmdb_url, tmdb) = tmdb::start().await;
    tmdb.outage("/3/movie/603", Fault::Unavailable);
    let app = TestApp::with_tmdb(&tmdb_url).await;
    let id = app.post_fixture("movie_media_approved.json").await;
    let waiting = app.wait_for_request(id, |r| r["state"] == "waiting").await;
    let reason = waiting["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("TMDb is unavailable (HTTP 503"),
        "{reason}"
    );
    let next: chrono::DateTime<chrono::Utc> = waiting["next_attempt_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let wait = (next - chrono::Utc::now()).num_milliseconds();
    assert!(
        (5_000..=12_000).contains(&wait),
        "first backoff about 10 s, got {wait} ms"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        tmdb.calls_to("/3/movie/603"),
        1,
        "no retry before the time shown"
    );
}

#[tokio::test]
async fn a_rejected_key_stops_the_request_until_a_good_one_is_saved() {
    let (tmdb_url, _tmdb) = tmdb::start().await;
    let app = TestApp::spawn_with(Options {
        settings: vec![(SettingKey::TmdbUrl, tmdb_url)],
        ..Options::default()
    })
    .await;
    let saved_wrong = app
        .put_settings(json!({"tmdb_key": "ffffffffffffffffffffffffffffffff"}))
        .await;
    assert_eq!(saved_wrong.status(), StatusCode::OK);
    let id = app.post_fixture("movie_media_approved.json").await;
    let stopped = app.wait_for_request(id, |r| r["state"] == "waiting").await;
    assert!(
        stopped["reason"]
            .as_str()
            .unwrap()
            .starts_with("TMDb key rejected"),
        "{stopped}"
    );
    assert_eq!(
        stopped["next_attempt_at"],
        Value::Null,
        "no retry on its own: the key is wrong"
    );
    let blocked: String = sqlx::query_scalar("SELECT state FROM jobs WHERE request_id = ?1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(blocked, "blocked");

    let saved = app.put_settings(json!({"tmdb_key": V3_KEY})).await;
    let (status, settings) = json(saved).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        settings["tmdb_key"]["value"], "••••cdef",
        "never returned whole"
    );
    let done = app.wait_for_request(id, has_metadata).await;
    assert!(
        history(&done)
            .iter()
            .any(|h| h.contains("the tmdb key setting changed"))
    );
}

#[tokio::test]
async fn an_unknown_title_fails_for_good_with_a_reason() {
    let (tmdb_url, tmdb) = tmdb::start().await;
    let app = TestApp::with_tmdb(&tmdb_url).await;
    let id = app.post_movie_request(3, MISSING).await;
    let failed = app.wait_for_request(id, |r| r["state"] == "failed").await;
    assert_eq!(failed["reason"], format!("TMDb has no movie {MISSING}"));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(tmdb.calls_to(&format!("/3/movie/{MISSING}")), 1);
}

#[tokio::test]
async fn cancelling_stops_a_running_step_cleanly_and_retry_starts_over() {
    let (tmdb_url, tmdb) = tmdb::start().await;
    let app = TestApp::with_tmdb(&tmdb_url).await;
    // Poster URLs need TMDb's configuration: read it now, so that watching the request below
    // is not itself held up by the slow TMDb (and late to cancel).
    app.get_api("/api/v1/requests").await;
    tmdb.set_delay(Duration::from_secs(2));
    let id = app.post_fixture("movie_media_approved.json").await;
    app.wait_for_request(id, |r| r["state"] == "metadata").await;

    let cancel = app.post_api(&format!("/api/v1/requests/{id}/cancel")).await;
    let (status, cancelled) = json(cancel).await;
    assert_eq!(
        (status, cancelled["state"].as_str()),
        (StatusCode::OK, Some("cancelled"))
    );
    tokio::time::sleep(Duration::from_millis(2300)).await;
    let still = app.request(id).await;
    assert_eq!(
        still["state"], "cancelled",
        "the interrupted step wrote nothing afterwards"
    );
    assert_eq!(app.count("media_items").await, 0);

    tmdb.set_delay(Duration::ZERO);
    let retry = app.post_api(&format!("/api/v1/requests/{id}/retry")).await;
    assert_eq!(retry.status(), StatusCode::OK);
    app.wait_for_request(id, has_metadata).await;
    let missing = app.post_api("/api/v1/requests/999/retry").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_catch_up_sync_takes_on_missed_requests_once() {
    let (tmdb_url, _tmdb) = tmdb::start().await;
    let (overseerr_url, overseerr) = overseerr::start().await;
    for n in 0..60 {
        overseerr.add_movie_request(100 + n, 200_000 + n); // more than one page of 50
    }
    let dir = tempfile::TempDir::new().unwrap();
    let options = || Options {
        data_dir: Some(dir.path().to_path_buf()),
        settings: vec![
            (SettingKey::TmdbUrl, tmdb_url.clone()),
            (SettingKey::TmdbKey, V3_KEY.into()),
            (SettingKey::OverseerrUrl, overseerr_url.clone()),
            (SettingKey::OverseerrKey, overseerr::KEY.into()),
        ],
        ..Options::default()
    };
    let app = TestApp::spawn_with(options()).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while app.count("requests").await < 62 {
        assert!(
            std::time::Instant::now() < deadline,
            "sync found {} of 62",
            app.count("requests").await
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let (_, list) = json(app.get_api("/api/v1/requests?limit=100").await).await;
    let tv = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["overseerr_request_id"] == 11)
        .unwrap();
    assert_eq!(tv["requested_seasons"], json!([1, 2]));
    let detail = app.request(tv["id"].as_i64().unwrap()).await;
    assert!(history(&detail)[0].contains("catch-up sync"));
    // The webhook that was missed arrives late after all: a repeat, nothing new.
    let (_, late) = json(app.post_webhook(fixture("tv_media_approved.json")).await).await;
    assert_eq!(late["status"], "duplicate");
    app.stop().await;

    let pages_before = *overseerr.pages_served.lock().unwrap();
    let again = TestApp::spawn_with(options()).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while *overseerr.pages_served.lock().unwrap() < pages_before + 2 {
        assert!(std::time::Instant::now() < deadline, "no second sync");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        again.count("requests").await,
        62,
        "known requests are not added again"
    );
}

#[tokio::test]
async fn a_wrong_overseerr_key_leaves_webhooks_working() {
    let (overseerr_url, overseerr) = overseerr::start().await;
    let app = TestApp::spawn_with(Options {
        settings: vec![
            (SettingKey::OverseerrUrl, overseerr_url),
            (SettingKey::OverseerrKey, "wrong".into()),
        ],
        ..Options::default()
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(*overseerr.pages_served.lock().unwrap(), 0);
    assert_eq!(app.count("requests").await, 0);
    app.post_fixture("movie_media_approved.json").await;
    assert_eq!(app.count("requests").await, 1);
}

#[tokio::test]
async fn state_changes_stream_over_server_sent_events() {
    let (tmdb_url, _tmdb) = tmdb::start().await;
    let app = TestApp::with_tmdb(&tmdb_url).await;
    let unauthorised = app
        .client
        .get(app.url("/api/v1/events"))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthorised.status(), StatusCode::UNAUTHORIZED);
    let mut stream = app
        .client
        .get(app.url(&format!("/api/v1/events?token={}", app.api_token)))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    let id = app.post_fixture("movie_media_approved.json").await;

    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !text.contains("No search source") {
        let chunk = tokio::time::timeout_at(deadline, stream.chunk())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    let events = sse_events(&text);
    let changes: Vec<&Value> = events
        .iter()
        .filter(|(name, _)| name == "request")
        .map(|(_, data)| data)
        .collect();
    let states: Vec<&str> = changes
        .iter()
        .map(|e| e["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["received", "metadata", "searching", "waiting"]);
    assert!(changes.iter().all(|e| e["request_id"] == id));
    // The webhook itself is announced too, as the status's recent list shows it.
    let (_, webhook) = events.iter().find(|(name, _)| name == "webhook").unwrap();
    assert_eq!(webhook["notification_type"], "MEDIA_APPROVED");
    assert_eq!(webhook["outcome"], "accepted");
}

/// `(event name, JSON data)` of each Server-Sent Event in `text`.
pub fn sse_events(text: &str) -> Vec<(String, Value)> {
    text.split("\n\n")
        .filter_map(|block| {
            let name = block.lines().find_map(|l| l.strip_prefix("event: "))?;
            let data = block.lines().find_map(|l| l.strip_prefix("data: "))?;
            Some((name.to_owned(), serde_json::from_str(data).ok()?))
        })
        .collect()
}

#[tokio::test]
async fn requests_list_by_state_and_page() {
    let (tmdb_url, _tmdb) = tmdb::start().await;
    let app = TestApp::with_tmdb(&tmdb_url).await;
    let mut ids = Vec::new();
    for n in 0..5 {
        let tmdb_id = if n == 4 { MISSING } else { 300 + n };
        ids.push(app.post_movie_request(50 + n, tmdb_id).await);
    }
    for id in &ids {
        app.wait_for_request(*id, |r| r["state"] == "waiting" || r["state"] == "failed")
            .await;
    }
    let (_, page) = json(app.get_api("/api/v1/requests?limit=2&offset=1").await).await;
    let listed: Vec<i64> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        (page["total"].as_i64(), listed),
        (Some(5), vec![ids[3], ids[2]]),
        "newest first"
    );
    let (_, failed) = json(app.get_api("/api/v1/requests?state=failed").await).await;
    assert_eq!(failed["total"], 1);
    let (_, movies) = json(
        app.get_api("/api/v1/library?media_type=movie&limit=3")
            .await,
    )
    .await;
    assert_eq!(
        movies["total"], 0,
        "titles with no stream yet are not in the library"
    );
    let (status, _) = json(app.get_api("/api/v1/library/12345").await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn settings_are_validated_together_and_keys_stay_masked() {
    let app = TestApp::spawn().await;
    let put = |body: Value| app.put_settings(body);
    let (status, error) = json(put(json!({"tmdb_key": V3_KEY, "workers": 0})).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error["error"].as_str().unwrap().contains("workers"));
    let (_, settings) = json(app.get_api("/api/v1/settings").await).await;
    assert_eq!(
        settings["tmdb_key"]["value"],
        Value::Null,
        "nothing saved from a bad batch"
    );
    let (status, error) = json(put(json!({"colour": "blue"})).await).await;
    assert_eq!(
        (status, error["error"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("There is no setting \"colour\"")
        )
    );

    let (_, settings) =
        json(put(json!({"overseerr_sync_minutes": 5, "tmdb_key": V3_KEY})).await).await;
    assert_eq!(settings["overseerr_sync_minutes"]["value"], "5");
    assert!(!settings.to_string().contains(V3_KEY));
    assert!(
        !settings["api_token"]["value"]
            .as_str()
            .unwrap()
            .contains(&app.api_token)
    );
    assert_eq!(
        settings["bind"]["overridden"], true,
        "the test sets it for this run"
    );
}

#[tokio::test]
async fn a_burst_of_requests_never_exceeds_the_tmdb_rate_limit() {
    let (tmdb_url, tmdb) = tmdb::start().await;
    let app = TestApp::with_tmdb(&tmdb_url).await;
    let mut ids = Vec::new();
    for n in 0..30 {
        ids.push(app.post_movie_request(1000 + n, 5000 + n).await);
    }
    for id in ids {
        app.wait_for_request(id, has_metadata).await;
    }
    let busiest = tmdb.busiest_second();
    assert!(
        (15..=20).contains(&busiest),
        "{busiest} calls in one second (limit 20)"
    );
}

#[tokio::test]
async fn a_title_fetched_recently_is_not_fetched_again() {
    let (tmdb_url, tmdb) = tmdb::start().await;
    let app = TestApp::with_tmdb(&tmdb_url).await;
    let first = app.post_fixture("movie_media_approved.json").await;
    app.wait_for_request(first, has_metadata).await;
    let second = app.post_fixture("movie_media_auto_approved.json").await;
    let second = app.wait_for_request(second, has_metadata).await;
    assert!(
        history(&second)
            .iter()
            .any(|line| line.contains("The Matrix (1999) (already in the library)"))
    );
    assert_eq!(tmdb.calls_to("/3/movie/603"), 1);
    assert_eq!(app.count("media_items").await, 1);
}

#[tokio::test]
async fn a_key_given_at_the_next_start_resumes_requests_that_waited_for_one() {
    let (tmdb_url, _tmdb) = tmdb::start().await;
    let dir = tempfile::TempDir::new().unwrap();
    let mut options = Options {
        data_dir: Some(dir.path().to_path_buf()),
        settings: vec![(SettingKey::TmdbUrl, tmdb_url)],
        ..Options::default()
    };
    let app = TestApp::spawn_with(options.clone()).await;
    let id = app.post_fixture("movie_media_approved.json").await;
    let waiting = app.wait_for_request(id, |r| r["state"] == "waiting").await;
    assert_eq!(
        waiting["reason"],
        "Waiting for a TMDb key: add yours in Settings"
    );
    app.stop().await;

    options.settings.push((SettingKey::TmdbKey, V3_KEY.into())); // as LINKARR_TMDB_KEY would
    let app = TestApp::spawn_with(options).await;
    app.wait_for_request(id, has_metadata).await;
}

#[tokio::test]
async fn a_server_asking_for_an_absurd_wait_gets_our_longest_one() {
    let (tmdb_url, tmdb) = tmdb::start().await;
    tmdb.fail_next(
        "/3/movie/603",
        Fault::RateLimited {
            retry_after: 10_u64.pow(12),
        },
        1,
    );
    let app = TestApp::with_tmdb(&tmdb_url).await;
    let id = app.post_fixture("movie_media_approved.json").await;
    let waiting = app
        .wait_for_request(id, |r| r["next_attempt_at"].is_string())
        .await;
    let next: chrono::DateTime<chrono::Utc> = waiting["next_attempt_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let wait = next - chrono::Utc::now();
    assert!(wait <= chrono::Duration::minutes(30) && wait > chrono::Duration::minutes(29));
}

#[tokio::test]
async fn paused_processing_keeps_requests_until_resumed() {
    let (tmdb_url, tmdb) = tmdb::start().await;
    let app = TestApp::with_tmdb(&tmdb_url).await;
    let paused = app.put_settings(json!({"paused": true})).await;
    assert_eq!(paused.status(), StatusCode::OK);
    let id = app.post_fixture("movie_media_approved.json").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(app.request(id).await["state"], "received", "not taken on");
    assert_eq!(tmdb.calls_to("/3/movie/603"), 0, "TMDb not asked");
    let (_, status) = json(app.get_api("/api/v1/status").await).await;
    assert_eq!(status["paused"], true);
    assert_eq!(
        status["activity"],
        json!({"in_progress": 1, "needs_attention": 0})
    );

    app.put_settings(json!({"paused": false})).await;
    // No search source is set: it goes as far as that, and needs the user.
    app.wait_for_request(id, |r| r["state"] == "waiting").await;
    assert_eq!(tmdb.calls_to("/3/movie/603"), 1);
    let (_, status) = json(app.get_api("/api/v1/status").await).await;
    assert_eq!(
        status["activity"],
        json!({"in_progress": 0, "needs_attention": 1})
    );
}
