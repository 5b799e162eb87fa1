//! Real-Debrid, against its simulator: from webhook to a playable `/play` redirect, the ways
//! RD says no (not cached, filtered, packed, dead, slots full, rate limits, outages), nothing
//! left behind on the account, a crash between adding and selecting, repairs, and telling
//! Overseerr.

use std::sync::Arc;
use std::time::Duration;

use linkarr::config::SettingKey;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, history, json, minutes_until_next_attempt};
use crate::sim::realdebrid::{self, Account, Fault, Kind, RealDebrid, Release};
use crate::sim::stremio::{self, Addon, torrentio_stream};
use crate::sim::{overseerr, tmdb};

const MATRIX: &str = "tt0133093";
const BREAKING_BAD: &str = "tt0903747";
const GB: u64 = 1_000_000_000;

fn hash(n: u32) -> String {
    format!("{:040x}", 0xfeed_0000_u64 + u64::from(n))
}

/// Linkarr with TMDb, Torrentio and Real-Debrid simulated.
struct World {
    app: TestApp,
    rd: Arc<RealDebrid>,
    addon: Arc<Addon>,
}

impl World {
    async fn start(settings: &[(SettingKey, &str)]) -> Self {
        let (tmdb_url, _tmdb) = tmdb::start().await;
        let (addon_url, addon) = stremio::start().await;
        let (rd_url, rd) = realdebrid::start().await;
        let sources =
            json!([{"name": "Torrentio", "kind": "stremio", "url": addon_url}]).to_string();
        let mut all = vec![
            (SettingKey::Sources, sources.as_str()),
            (SettingKey::RealdebridUrl, rd_url.as_str()),
            (SettingKey::RealdebridToken, realdebrid::TOKEN),
        ];
        all.extend_from_slice(settings);
        let app = TestApp::with_tmdb_and(&tmdb_url, &all).await;
        Self { app, rd, addon }
    }

    /// Release `n` of The Matrix: on Torrentio (better seeded the lower `n` is, so tried in
    /// that order) and known to RD as `kind`.
    fn movie(&self, n: u32, kind: Kind) -> String {
        let name = format!("The.Matrix.1999.1080p.BluRay.x264-GRP{n}");
        self.addon.add(
            MATRIX,
            torrentio_stream(&hash(n), &name, None, 1000 - n, "8.2 GB"),
        );
        let files = [
            (format!("{name}/{name}.mkv"), 8 * GB),
            (format!("{name}/Sample/sample.mkv"), 40_000_000),
            (format!("{name}/{name}.nfo"), 2_000),
        ];
        let files: Vec<(&str, u64)> = files.iter().map(|(p, b)| (p.as_str(), *b)).collect();
        self.rd
            .add_release(&hash(n), Release::new(&name, kind, &files));
        hash(n)
    }

    async fn wait(&self, id: i64, seconds: u64, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = std::time::Instant::now() + Duration::from_secs(seconds);
        loop {
            let request = self.app.request(id).await;
            if done(&request) {
                return request;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "request {id} stuck: {request:#}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn ready(&self, id: i64) -> Value {
        self.wait(id, 20, |r| r["state"] == "ready" || r["state"] == "failed")
            .await
    }

    /// Ready again after a repair.
    async fn repaired(&self, id: i64) -> Value {
        self.wait(id, 20, |r| {
            let story = history(r);
            r["state"] == "ready" && story.iter().any(|l| l.starts_with("received: Repairing"))
        })
        .await
    }

    async fn library_files(&self, request: &Value) -> Vec<Value> {
        let item = request["media_item_id"].as_i64().unwrap();
        let (status, body) = json(self.app.get_api(&format!("/api/v1/library/{item}")).await).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["files"].as_array().unwrap().clone()
    }

    fn hashes_on_account(&self) -> Vec<String> {
        self.rd.torrents().into_iter().map(|t| t.hash).collect()
    }
}

fn not_following_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_cached_movie_goes_from_webhook_to_a_playable_link() {
    let world = World::start(&[]).await;
    world.rd.set_conversion_polls(0);
    let best = world.movie(1, Kind::Cached);
    let id = world.app.post_fixture("movie_media_approved.json").await;
    let request = world.ready(id).await;
    assert_eq!(request["state"], "ready", "{request:#}");
    assert_eq!(
        request["reason"], "",
        "a ready request has nothing to explain"
    );
    let story = history(&request);
    assert_eq!(
        story.last().unwrap(),
        "ready: Ready to stream: The Matrix (1999), from The.Matrix.1999.1080p.BluRay.x264-GRP1"
    );

    // The minimum the flow needs: user, torrents (no duplicate), add, info, select, info.
    assert_eq!(world.rd.calls().len(), 6, "{:#?}", world.rd.calls());
    let files = world.library_files(&request).await;
    assert_eq!(files.len(), 1);
    let file = &files[0];
    assert_eq!(
        file["path"],
        "/The.Matrix.1999.1080p.BluRay.x264-GRP1/The.Matrix.1999.1080p.BluRay.x264-GRP1.mkv"
    );
    assert_eq!(file["info_hash"], best);
    assert_eq!(file["resolution"], "1080p");
    let play_url = file["play_url"].as_str().unwrap();
    let token = play_url.rsplit('/').next().unwrap();
    assert_eq!(token.len(), 32);
    assert!(
        file.get("restricted_link").is_none(),
        "RD's links stay inside"
    );

    // Any client, no management token: a redirect to RD's direct URL, which plays.
    let play = world.app.url(&format!("/play/{token}"));
    let answer = not_following_redirects().get(&play).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::TEMPORARY_REDIRECT);
    let location = answer.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.contains("/d/"), "{location}");
    let video = reqwest::get(&play).await.unwrap();
    assert_eq!(video.status(), StatusCode::OK);
    assert!(!video.bytes().await.unwrap().is_empty());
    let unknown = reqwest::get(world.app.url("/play/0123456789abcdef0123456789abcdef"))
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

    assert_eq!(world.rd.calls_to("POST", "/unrestrict/link"), 1);
    assert_eq!(world.hashes_on_account(), [best]);
}

#[tokio::test]
async fn an_expired_download_url_is_resolved_again_and_the_play_link_never_changes() {
    let world = World::start(&[]).await;
    world.movie(1, Kind::Cached);
    let id = world.app.post_fixture("movie_media_approved.json").await;
    let request = world.ready(id).await;
    let files = world.library_files(&request).await;
    let play = files[0]["play_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let play = world.app.url(&format!("/play/{play}"));
    let client = not_following_redirects();
    let first = client.get(&play).send().await.unwrap().headers()["location"].clone();
    let again = client.get(&play).send().await.unwrap().headers()["location"].clone();
    assert_eq!(first, again, "a working URL is reused");
    let unrestricts = world.rd.calls_to("POST", "/unrestrict/link");
    assert_eq!(unrestricts, 1);

    world.rd.expire_downloads();
    let renewed = client.get(&play).send().await.unwrap();
    assert_eq!(renewed.status(), StatusCode::TEMPORARY_REDIRECT);
    assert_ne!(renewed.headers()["location"], first);
    assert_eq!(world.rd.calls_to("POST", "/unrestrict/link"), 2);
    assert_eq!(reqwest::get(&play).await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn not_cached_in_cached_only_mode_is_deleted_and_the_next_candidate_taken() {
    let world = World::start(&[]).await;
    let uncached = world.movie(
        1,
        Kind::Uncached {
            polls_to_finish: 50,
        },
    );
    let virus = world.movie(2, Kind::Virus);
    let filtered = world.movie(3, Kind::Cached);
    world.rd.filter(&filtered);
    let good = world.movie(4, Kind::Cached);
    let id = world.app.post_fixture("movie_media_approved.json").await;
    let request = world.ready(id).await;
    assert_eq!(request["state"], "ready", "{request:#}");
    let story = history(&request);
    assert!(
        story
            .last()
            .unwrap()
            .ends_with("from The.Matrix.1999.1080p.BluRay.x264-GRP4"),
        "{story:#?}"
    );
    assert_eq!(
        world.hashes_on_account(),
        [good],
        "nothing else left behind"
    );
    assert_eq!(world.rd.adds_of(&uncached), 1);
    assert_eq!(world.rd.adds_of(&virus), 1);

    let blocked: Vec<(String, String)> =
        sqlx::query_as("SELECT info_hash, reason FROM blocked_hashes ORDER BY reason")
            .fetch_all(&world.app.db)
            .await
            .unwrap();
    assert_eq!(
        blocked,
        [
            (filtered, "filtered by Real-Debrid".to_owned()),
            (virus, "virus".to_owned()),
        ],
        "not cached is not blocked: it may be cached another day"
    );
}

#[tokio::test]
async fn nothing_cached_waits_with_a_reason_and_leaves_no_torrent_behind() {
    let world = World::start(&[]).await;
    world.movie(
        1,
        Kind::Uncached {
            polls_to_finish: 50,
        },
    );
    world.movie(
        2,
        Kind::Uncached {
            polls_to_finish: 50,
        },
    );
    world.movie(3, Kind::MagnetError);
    let id = world.app.post_fixture("movie_media_approved.json").await;
    let request = world.wait(id, 30, |r| r["state"] == "not_found").await;
    let reason = request["reason"].as_str().unwrap();
    assert!(
        reason.starts_with(
            "Nothing on Real-Debrid yet: 3 tried, 1 magnet error, 2 not cached; searching again at "
        ),
        "{reason}"
    );
    assert!(minutes_until_next_attempt(&request) >= 50);
    assert!(
        world.hashes_on_account().is_empty(),
        "{:?}",
        world.rd.torrents()
    );
    let queued: String =
        sqlx::query_scalar("SELECT step FROM jobs WHERE request_id = ?1 AND state = 'queued'")
            .bind(id)
            .fetch_one(&world.app.db)
            .await
            .unwrap();
    assert_eq!(
        queued, "search",
        "the next try looks for new releases first"
    );
}

#[tokio::test]
async fn with_downloads_allowed_progress_shows_and_a_dead_torrent_gives_way() {
    let world = World::start(&[(SettingKey::DebridMode, "allow_downloads")]).await;
    let dead = world.movie(1, Kind::Dead);
    let slow = world.movie(2, Kind::Uncached { polls_to_finish: 4 });
    let id = world.app.post_fixture("movie_media_approved.json").await;
    let request = world.ready(id).await;
    assert_eq!(request["state"], "ready", "{request:#}");
    let story = history(&request);
    assert!(
        story.iter().any(
            |line| line.starts_with("downloading: Downloading on Real-Debrid: ")
                && line.contains(" min left")
        ),
        "{story:#?}"
    );
    assert!(story.last().unwrap().ends_with("GRP2"));
    assert_eq!(world.hashes_on_account(), [slow]);
    let reason: String =
        sqlx::query_scalar("SELECT reason FROM blocked_hashes WHERE info_hash = ?1")
            .bind(&dead)
            .fetch_one(&world.app.db)
            .await
            .unwrap();
    assert_eq!(reason, "dead");
    assert!(
        request["progress"].is_null(),
        "progress goes with the download"
    );
}

#[tokio::test]
async fn full_slots_wait_visibly_and_rate_limits_are_waited_out_within_the_budget() {
    let world = World::start(&[]).await;
    world.movie(1, Kind::Cached);
    world
        .rd
        .fail_next("/torrents/addMagnet", Fault::SlotsFull, 1);
    let id = world.app.post_fixture("movie_media_approved.json").await;
    let request = world.wait(id, 10, |r| r["state"] == "waiting").await;
    let reason = request["reason"].as_str().unwrap();
    assert!(
        reason.starts_with(
            "Waiting for a free Real-Debrid torrent slot (0 of 10 in use); trying again at "
        ),
        "{reason}"
    );
    assert!(request["next_attempt_at"].is_string());

    // A 429 storm shorter than the client's patience: waited out inside the call.
    world
        .rd
        .fail_next("/torrents/addMagnet", Fault::RateLimited, 2);
    world.rd.fail_next("/torrents/info", Fault::Unavailable, 1);
    let (status, _) = json(
        world
            .app
            .post_api(&format!("/api/v1/requests/{id}/retry"))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let request = world.ready(id).await;
    assert_eq!(request["state"], "ready", "{request:#}");
    assert_eq!(
        world.rd.calls_to("POST", "/torrents/addMagnet"),
        4,
        "509, 429, 429, then added"
    );
    assert!(world.rd.busiest_minute() <= 220);
}

#[tokio::test]
async fn a_long_rate_limit_and_an_expired_premium_each_explain_themselves() {
    let world = World::start(&[]).await;
    world.movie(1, Kind::Cached);
    world.rd.fail_next("/torrents", Fault::RateLimited, 10);
    let id = world.app.post_fixture("movie_media_approved.json").await;
    let request = world.wait(id, 15, |r| r["state"] == "waiting").await;
    assert!(
        request["reason"]
            .as_str()
            .unwrap()
            .starts_with("Real-Debrid is rate limiting; trying again at "),
        "{request:#}"
    );

    let world = World::start(&[]).await;
    world.rd.set_account(Account::Expired);
    world.movie(1, Kind::Cached);
    let id = world.app.post_fixture("movie_media_approved.json").await;
    let request = world.wait(id, 10, |r| r["state"] == "waiting").await;
    assert!(
        request["reason"]
            .as_str()
            .unwrap()
            .starts_with("Real-Debrid premium has run out for "),
        "{request:#}"
    );
    assert_eq!(world.rd.calls_to("POST", "/torrents/addMagnet"), 0);
}

#[tokio::test]
async fn a_timed_out_add_is_found_on_the_account_not_added_twice() {
    let world = World::start(&[]).await;
    let best = world.movie(1, Kind::Cached);
    world.rd.fail_next(
        "/torrents/addMagnet",
        Fault::Slow(Duration::from_secs(11)),
        1,
    );
    let id = world.app.post_fixture("movie_media_approved.json").await;
    let waiting = world.wait(id, 15, |r| r["state"] == "waiting").await;
    assert!(
        waiting["reason"]
            .as_str()
            .unwrap()
            .starts_with("could not reach Real-Debrid"),
        "{waiting:#}"
    );
    let request = world.wait(id, 30, |r| r["state"] == "ready").await;
    assert_eq!(request["state"], "ready");
    assert_eq!(world.rd.adds_of(&best), 1);
    assert_eq!(world.hashes_on_account(), [best]);
}

#[tokio::test]
async fn a_show_gets_one_stream_per_episode_from_a_season_pack_where_one_ranks_best() {
    let world = World::start(&[]).await;
    world.rd.set_conversion_polls(0);
    // Season 1: a pack (7 episodes and a sample). Season 2: single episodes only.
    let pack = "Breaking.Bad.S01.1080p.BluRay.x264-ROVERS";
    world.addon.add(
        &format!("{BREAKING_BAD}:1:1"),
        torrentio_stream(
            &hash(1),
            pack,
            Some("Breaking.Bad.S01E01.1080p.BluRay.x264-ROVERS.mkv"),
            300,
            "14 GB",
        ),
    );
    let mut files: Vec<(String, u64)> = (1..=7)
        .map(|e| {
            (
                format!("{pack}/Breaking.Bad.S01E{e:02}.1080p.BluRay.x264-ROVERS.mkv"),
                2 * GB,
            )
        })
        .collect();
    files.push((
        format!("{pack}/Sample/breaking.bad.s01e01.sample.mkv"),
        50_000_000,
    ));
    let files: Vec<(&str, u64)> = files.iter().map(|(p, b)| (p.as_str(), *b)).collect();
    world
        .rd
        .add_release(&hash(1), Release::new(pack, Kind::Cached, &files));
    for episode in 1..=8u32 {
        let name = format!("Breaking.Bad.S02E{episode:02}.1080p.BluRay.x264-DEMAND");
        world.addon.add(
            &format!("{BREAKING_BAD}:2:{episode}"),
            torrentio_stream(&hash(100 + episode), &name, None, 50, "2.1 GB"),
        );
        world.rd.add_release(
            &hash(100 + episode),
            Release::new(&name, Kind::Cached, &[(&format!("{name}.mkv"), 2 * GB)]),
        );
    }
    // A better-seeded pack that RD packs into one archive: skipped.
    let packed = "Breaking.Bad.S01.1080p.BluRay.x264-PACKED";
    world.addon.add(
        &format!("{BREAKING_BAD}:1:1"),
        torrentio_stream(&hash(2), packed, None, 900, "14 GB"),
    );
    let packed_files: Vec<(String, u64)> = (1..=7)
        .map(|e| (format!("{packed}/Breaking.Bad.S01E{e:02}.mkv"), 2 * GB))
        .collect();
    let packed_files: Vec<(&str, u64)> =
        packed_files.iter().map(|(p, b)| (p.as_str(), *b)).collect();
    world
        .rd
        .add_release(&hash(2), Release::new(packed, Kind::Packed, &packed_files));
    let id = world.app.post_fixture("tv_media_approved.json").await;
    let request = world
        .wait(id, 30, |r| {
            r["state"] == "ready" || r["state"] == "not_found"
        })
        .await;
    assert_eq!(request["state"], "ready", "{request:#}");

    let files = world.library_files(&request).await;
    let episodes: Vec<(i64, i64, &str)> = files
        .iter()
        .map(|f| {
            (
                f["season_number"].as_i64().unwrap(),
                f["episode_number"].as_i64().unwrap(),
                f["info_hash"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(episodes.len(), 15, "7 + 8 episodes, no sample");
    assert!(
        episodes[..7]
            .iter()
            .all(|(s, _, h)| *s == 1 && *h == hash(1)),
        "{episodes:?}"
    );
    assert!(
        episodes[7..]
            .iter()
            .all(|(s, e, h)| *s == 2 && *h == hash(100 + *e as u32))
    );
    assert_eq!(
        world.rd.torrents().len(),
        9,
        "the pack and eight episodes, nothing else"
    );
    assert_eq!(
        world.rd.adds_of(&hash(2)),
        1,
        "the packed one was tried, then removed"
    );
    // The pack selected only its episodes.
    assert_eq!(world.rd.links_of(&hash(1)).len(), 7);

    let (status, body) = json(
        world
            .app
            .post_api_json("/api/v1/library/export", json!({"folder": "relative/path"}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let folder = tempfile::TempDir::new().unwrap();
    let (status, body) = json(
        world
            .app
            .post_api_json("/api/v1/library/export", json!({"folder": folder.path()}))
            .await,
    )
    .await;
    assert_eq!(
        (status, body["written"].as_i64()),
        (StatusCode::OK, Some(15)),
        "{body}"
    );
    let strm = folder
        .path()
        .join("Shows/Breaking Bad (2008)/Season 02/Breaking Bad S02E08.strm");
    let url = std::fs::read_to_string(strm).unwrap();
    assert!(url.trim_end().ends_with(
        &format!("/play/{}", files[14]["play_url"].as_str().unwrap().rsplit('/').next().unwrap())
    ));

    let playlist = world.app.get_api("/api/v1/library/playlist.m3u").await;
    assert_eq!(
        playlist.headers()["content-type"],
        "audio/x-mpegurl; charset=utf-8"
    );
    let playlist = playlist.text().await.unwrap();
    assert!(playlist.starts_with("#EXTM3U\n"));
    assert_eq!(playlist.matches("#EXTINF").count(), 15);
    assert!(playlist.contains(",Breaking Bad (2008) S01E07\n"));
}

#[tokio::test]
async fn a_torrent_gone_from_the_account_is_repaired_with_the_same_play_link() {
    let world = World::start(&[]).await;
    let best = world.movie(1, Kind::Cached);
    let id = world.app.post_fixture("movie_media_approved.json").await;
    let request = world.ready(id).await;
    let token = world.library_files(&request).await[0]["play_url"]
        .as_str()
        .unwrap()
        .to_owned();

    // The user deletes it on real-debrid.com.
    let rd_id = world.rd.torrents()[0].id.clone();
    let deleted = reqwest::Client::new()
        .delete(format!(
            "{}/torrents/delete/{rd_id}",
            world.app.state.settings.current().realdebrid_url
        ))
        .bearer_auth(realdebrid::TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let (status, body) = json(world.app.post_api("/api/v1/library/repair").await).await;
    assert_eq!(
        (status, body["repairing"].as_i64()),
        (StatusCode::OK, Some(1)),
        "{body}"
    );

    let request = world.repaired(id).await;
    assert!(
        history(&request)
            .iter()
            .any(|l| l == "received: Repairing: Real-Debrid no longer has its torrent"),
        "{request:#}"
    );
    assert_eq!(world.rd.adds_of(&best), 2, "the same torrent added again");
    let files = world.library_files(&request).await;
    assert_eq!(files[0]["play_url"], token, "links handed out keep working");
    assert!(files[0]["broken"].is_null());
    let play = reqwest::get(
        world
            .app
            .url(&format!("/play/{}", token.rsplit('/').next().unwrap())),
    )
    .await
    .unwrap();
    assert_eq!(play.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_link_rd_stopped_serving_answers_502_and_is_repaired_from_the_next_candidate() {
    let world = World::start(&[]).await;
    let first = world.movie(1, Kind::Cached);
    let second = world.movie(2, Kind::Cached);
    let id = world.app.post_fixture("movie_media_approved.json").await;
    let request = world.ready(id).await;
    let token = world.library_files(&request).await[0]["play_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();

    world.rd.kill_links_of(&first);
    world.rd.filter(&first);
    let play = reqwest::get(world.app.url(&format!("/play/{token}")))
        .await
        .unwrap();
    assert_eq!(play.status(), StatusCode::BAD_GATEWAY);
    let body: Value = play.json().await.unwrap();
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("Linkarr is repairing it"),
        "{body}"
    );

    let request = world.repaired(id).await;
    let files = world.library_files(&request).await;
    assert_eq!(files[0]["info_hash"], second);
    let play = reqwest::get(world.app.url(&format!("/play/{token}")))
        .await
        .unwrap();
    assert_eq!(play.status(), StatusCode::OK);
}

#[tokio::test]
async fn overseerr_is_told_once_ready_and_its_available_webhook_is_absorbed() {
    let (overseerr_url, overseerr) = overseerr::start().await;
    let world = World::start(&[
        (SettingKey::OverseerrUrl, &overseerr_url),
        (SettingKey::OverseerrKey, overseerr::KEY),
        (SettingKey::OverseerrMarkAvailable, "true"),
    ])
    .await;
    world.movie(1, Kind::Cached);
    let id = world.app.post_fixture("movie_media_approved.json").await;
    let request = world.ready(id).await;
    assert!(
        history(&request)
            .last()
            .unwrap()
            .ends_with("(marked available in Overseerr)"),
        "{request:#}"
    );
    assert_eq!(
        *overseerr.marked.lock().unwrap(),
        [(2, json!({"is4k": false}))]
    );

    let (status, answer) = json(
        world
            .app
            .post_webhook(crate::helpers::fixture("movie_media_available.json"))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer, json!({"status": "duplicate", "request_id": id}));
    assert_eq!(world.app.request(id).await["state"], "ready");
}

#[tokio::test]
async fn the_account_check_names_the_user_and_never_shows_the_token() {
    // An empty value is no override: the token is the one saved in Settings.
    let world = World::start(&[(SettingKey::RealdebridToken, "")]).await;
    let (status, error) = json(world.app.get_api("/api/v1/realdebrid/account").await).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert_eq!(error["error"], "No Real-Debrid token is set");

    let (status, settings) = json(
        world
            .app
            .put_settings(json!({"realdebrid_token": realdebrid::TOKEN}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let shown = settings["realdebrid_token"]["value"].as_str().unwrap();
    assert_eq!(
        shown,
        format!("••••{}", &realdebrid::TOKEN[realdebrid::TOKEN.len() - 4..])
    );
    let (status, account) = json(world.app.get_api("/api/v1/realdebrid/account").await).await;
    assert_eq!(status, StatusCode::OK, "{account}");
    assert_eq!(account["premium"], true);
    assert_eq!(account["premium_days_left"], 30);
    assert!(account["username"].is_string());

    // Sent back as shown (masked): the saved token stays.
    let (status, _) = json(
        world
            .app
            .put_settings(json!({"realdebrid_token": shown}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = json(world.app.get_api("/api/v1/realdebrid/account").await).await;
    assert_eq!(status, StatusCode::OK);

    world
        .app
        .put_settings(json!({"realdebrid_token": "wrong-token-0123456789"}))
        .await;
    let (status, error) = json(world.app.get_api("/api/v1/realdebrid/account").await).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert_eq!(error["error"], "Real-Debrid rejected the token");
}

#[tokio::test]
async fn a_torrent_the_user_added_is_used_but_never_deleted() {
    let world = World::start(&[]).await;
    let theirs = world.movie(
        1,
        Kind::Uncached {
            polls_to_finish: 50,
        },
    );
    let good = world.movie(2, Kind::Cached);
    // The user added the first one on real-debrid.com.
    let added = reqwest::Client::new()
        .post(format!(
            "{}/torrents/addMagnet",
            world.app.state.settings.current().realdebrid_url
        ))
        .bearer_auth(realdebrid::TOKEN)
        .form(&[("magnet", format!("magnet:?xt=urn:btih:{theirs}"))])
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), StatusCode::CREATED);

    let id = world.app.post_fixture("movie_media_approved.json").await;
    let request = world.ready(id).await;
    assert_eq!(request["state"], "ready", "{request:#}");
    assert_eq!(
        world.rd.adds_of(&theirs),
        1,
        "found on the account, not added again"
    );
    let mut on_account = world.hashes_on_account();
    on_account.sort();
    assert_eq!(on_account, [theirs, good], "the user's torrent stays");
}
