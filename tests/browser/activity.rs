//! Activity and request detail: a webhook posted while the page is open shows up and goes to
//! `ready` live; the detail shows the history and the candidates; untrusted text stays text.

use linkarr::config::SettingKey;
use serde_json::Value;

use crate::harness::World;
use crate::helpers::fixture;
use crate::sim::realdebrid::Kind;
use crate::sim::tmdb::MISSING;

/// Posts the recorded approval as Overseerr request `request_id` for movie `tmdb_id`.
async fn approve(world: &World, request_id: i64, tmdb_id: i64, subject: &str) -> i64 {
    let mut body: Value = serde_json::from_slice(&fixture("movie_media_approved.json")).unwrap();
    body["request"]["request_id"] = request_id.to_string().into();
    body["media"]["tmdbId"] = tmdb_id.to_string().into();
    body["subject"] = subject.into();
    let answer: Value = world
        .app
        .post_webhook(body.to_string())
        .await
        .json()
        .await
        .unwrap();
    answer["request_id"].as_i64().unwrap()
}

/// Past the steps that run at once: ready, downloading, waiting, not found or failed.
fn settled(request: &Value) -> bool {
    let state = request["state"].as_str().unwrap();
    !["received", "metadata", "searching", "adding"].contains(&state)
}

/// Requests in the states a real Activity page shows: ready, downloading, nothing found,
/// not on TMDb.
async fn earlier_requests(world: &World) {
    world
        .tmdb
        .set_movie(10331, "Night of the Living Dead", 1968);
    world.release(
        10331,
        "Night.of.the.Living.Dead.1968.1080p.BluRay.x264-CiNEFiLE",
        240,
        Kind::Cached,
    );
    world.tmdb.set_movie(19, "Metropolis", 1927);
    world.tmdb.set_movie(653, "Nosferatu", 1922);
    world.release(
        653,
        "Nosferatu.1922.1080p.BluRay.x264-AMIABLE",
        31,
        Kind::Uncached {
            polls_to_finish: 100_000,
        },
    );
    world.tmdb.set_movie(961, "The General", 1926);
    world.release(
        961,
        "The.General.1926.720p.BluRay.x264-PSYCHD",
        12,
        Kind::Cached,
    );
    let ids = [
        approve(world, 21, 10331, "Night of the Living Dead (1968)").await,
        approve(world, 22, 19, "Metropolis (1927)").await,
        approve(world, 23, 653, "Nosferatu (1922)").await,
        approve(world, 24, MISSING, "A Title TMDb Forgot (2031)").await,
        approve(world, 25, 961, "The General (1926)").await,
    ];
    // What else Overseerr sends: its test, and a request still waiting for approval.
    for other in ["test_notification.json", "movie_media_pending.json"] {
        let answer = world.app.post_webhook(fixture(other)).await;
        assert!(answer.status().is_success());
    }
    // Settled (or downloading) before the browser looks.
    for id in ids {
        world.app.wait_for_request(id, settled).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_appears_in_activity_and_turns_ready_live_with_history_and_candidates() {
    let world = World::start(&[(SettingKey::DebridMode, "allow_downloads")]).await;
    world.rd.set_conversion_polls(3);
    earlier_requests(&world).await;
    let best = world.release(
        603,
        "The.Matrix.1999.1080p.BluRay.x264-SPARKS",
        900,
        Kind::Cached,
    );
    world.release(
        603,
        "The.Matrix.1999.2160p.UHD.BluRay.x265.10bit.HDR.DDP5.1-SWTYBLZ",
        400,
        Kind::Cached,
    );
    world.release(603, "The.Matrix.1999.CAM.XviD-NoGRP", 50, Kind::Cached);
    world.release(
        603,
        "The.Matrix.1999.720p.WEB-DL.x264-EVO",
        300,
        Kind::Cached,
    );

    world.run("activity", &[]).await;

    let id: i64 = sqlx::query_scalar("SELECT id FROM requests WHERE overseerr_request_id = 3")
        .fetch_one(&world.app.db)
        .await
        .unwrap();
    assert_eq!(world.app.request(id).await["state"], "ready");
    let on_account: Vec<String> = world.rd.torrents().into_iter().map(|t| t.hash).collect();
    assert!(on_account.contains(&best), "{on_account:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn markup_in_torrent_names_and_titles_renders_as_text() {
    let world = World::start(&[]).await;
    world.rd.set_conversion_polls(0);
    world
        .tmdb
        .set_movie(4242, "<img src=x onerror=alert(2)>Hostile", 2001);
    world.release(
        4242,
        "Hostile.2001.1080p.<script>alert(1)</script>.BluRay.x264-XSS",
        500,
        Kind::Cached,
    );
    world.release(
        4242,
        "Hostile.2001.720p.WEB-DL.x264-<b>BOLD</b>",
        100,
        Kind::Cached,
    );
    let id = approve(&world, 42, 4242, "<img src=x onerror=alert(3)> (2001)").await;
    world.app.wait_for_request(id, settled).await;
    let candidates: Value = world
        .app
        .get_api(&format!("/api/v1/requests/{id}/candidates"))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        candidates.to_string().contains("<script>alert(1)</script>"),
        "the hostile name is a candidate: {candidates:#}"
    );
    world.run("xss", &[("REQUEST_ID", &id.to_string())]).await;
}
