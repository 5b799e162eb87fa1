//! Searching: every kind of source against its simulator, a source that is slow or broken,
//! nothing fitting (not found, searched again later), TV packs before episodes.

use std::time::Duration;

use linkarr::config::SettingKey;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, history, json, minutes_until_next_attempt};
use crate::sim::stremio::{self, Addon, Behaviour, torrentio_stream};
use crate::sim::torznab::{self, Hash, Item};
use crate::sim::{tmdb, zilean};

const MATRIX: &str = "tt0133093";
const BREAKING_BAD: &str = "tt0903747";

fn hash(n: u32) -> String {
    format!("{n:040x}")
}

/// Torrentio offers torrent `n` of The Matrix under this name.
fn add_matrix(addon: &Addon, n: u32, name: &str, seeders: u32, size: &str) {
    addon.add(
        MATRIX,
        torrentio_stream(&hash(n), name, None, seeders, size),
    );
}

fn stremio_source(name: &str, url: &str) -> Value {
    json!({"name": name, "kind": "stremio", "url": url, "timeout_secs": 2})
}

fn torznab_source(url: &str) -> Value {
    json!({"name": "Prowlarr", "kind": "torznab", "url": url, "api_key": torznab::KEY, "timeout_secs": 2})
}

async fn app_with(tmdb_url: &str, sources: Value) -> TestApp {
    let sources = sources.to_string();
    TestApp::with_tmdb_and(tmdb_url, &[(SettingKey::Sources, &sources)]).await
}

fn settled(request: &Value) -> bool {
    ["waiting", "not_found", "failed"].contains(&request["state"].as_str().unwrap_or_default())
        && history(request)
            .iter()
            .any(|line| line.starts_with("searching: Searching"))
}

/// What the search concluded, when it kept something (the request then goes on to
/// Real-Debrid, where these tests, without a token, leave it).
fn summary(request: &Value) -> String {
    history(request)
        .iter()
        .find_map(|line| line.strip_prefix("adding: ").map(str::to_owned))
        .unwrap_or_else(|| panic!("nothing kept: {request:#}"))
}

async fn candidates(app: &TestApp, id: i64) -> Vec<Value> {
    let (status, body) = json(
        app.get_api(&format!("/api/v1/requests/{id}/candidates"))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_array().unwrap().clone()
}

fn find<'a>(candidates: &'a [Value], hash: &str) -> &'a Value {
    candidates
        .iter()
        .find(|c| c["info_hash"] == hash)
        .unwrap_or_else(|| panic!("{hash} not among the candidates"))
}

#[tokio::test]
async fn a_movie_is_searched_on_every_source_and_ranked_with_reasons() {
    let (tmdb_url, _tmdb) = tmdb::start().await;
    let (addon_url, addon) = stremio::start().await;
    let (indexer_url, indexer) = torznab::start().await;
    let (zilean_url, zilean) = zilean::start().await;
    add_matrix(
        &addon,
        1,
        "The.Matrix.1999.HDCAM.x264-NoGroup",
        3000,
        "1.4 GB",
    );
    add_matrix(
        &addon,
        2,
        "The.Matrix.1999.2160p.UHD.BluRay.REMUX.DV.HDR10.HEVC.TrueHD.7.1.Atmos-FGT",
        300,
        "61.2 GB",
    );
    add_matrix(
        &addon,
        3,
        "The.Matrix.1999.1080p.BluRay.x264-CiNEFiLE",
        40,
        "10 GB",
    );
    add_matrix(
        &addon,
        4,
        "The.Matrix.2031.1080p.WEB-DL.DDP5.1.H.264-NTb",
        900,
        "6.1 GB",
    );
    let item = |title: &str, n: u32, seeders: u32, how: Hash| Item {
        title: title.into(),
        hash: hash(n),
        size: 9_000_000_000,
        seeders,
        how,
    };
    // The same torrent as Torrentio's #3, better seeded here: one candidate, two sources.
    indexer.add(
        &format!("movie:{MATRIX}"),
        item(
            "The.Matrix.1999.1080p.BluRay.x264-CiNEFiLE",
            3,
            95,
            Hash::Attr,
        ),
    );
    indexer.add(
        &format!("movie:{MATRIX}"),
        item(
            "The.Matrix.1999.720p.BluRay.x264-SiNNERS",
            5,
            12,
            Hash::Magnet,
        ),
    );
    indexer.add(
        &format!("movie:{MATRIX}"),
        item(
            "The.Matrix.1999.1080p.WEB-DL.x264-FILE",
            6,
            50,
            Hash::TorrentFile,
        ),
    );
    zilean.add(
        "The Matrix",
        "Matrix.1999.German.DL.1080p.BluRay.x264-DETAiLS",
        &hash(7),
        12_000_000_000,
    );
    let sources = json!([
        stremio_source("Torrentio", &addon_url),
        torznab_source(&indexer_url),
        {"name": "Zilean", "kind": "zilean", "url": zilean_url},
    ]);
    let app = app_with(&tmdb_url, sources).await;

    let id = app.post_fixture("movie_media_approved.json").await;
    let request = app.wait_for_request(id, settled).await;
    assert_eq!(
        request["reason"],
        "Waiting for a Real-Debrid token: add yours in Settings"
    );
    let reason = summary(&request);
    assert!(
        reason.starts_with(
            "6 found, 3 kept; rejected: 1 2160p, 1 CAM, 1 wrong year; \
             best: The.Matrix.1999.1080p.BluRay.x264-CiNEFiLE"
        ),
        "{reason}"
    );
    assert_eq!(addon.asked(), [MATRIX]);
    let queries = indexer.queries();
    assert_eq!(queries[0]["t"], "caps");
    assert_eq!(
        (
            queries[1]["t"].as_str(),
            queries[1]["imdbid"].as_str(),
            queries[1]["cat"].as_str()
        ),
        ("movie", MATRIX, "2000")
    );

    let list = candidates(&app, id).await;
    let kept: Vec<(&str, i64)> = list
        .iter()
        .filter(|c| c["position"].is_i64())
        .map(|c| {
            (
                c["title"].as_str().unwrap(),
                c["position"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kept,
        [
            ("The.Matrix.1999.1080p.BluRay.x264-CiNEFiLE", 1),
            // TMDb's alternative title "Matrix" lets the German release in.
            ("Matrix.1999.German.DL.1080p.BluRay.x264-DETAiLS", 2),
            ("The.Matrix.1999.720p.BluRay.x264-SiNNERS", 3),
        ]
    );
    let best = find(&list, &hash(3));
    assert_eq!(best["sources"], json!(["Torrentio", "Prowlarr"]));
    assert_eq!(best["seeders"], 95);
    assert_eq!(best["parsed"]["resolution"], "1080p");
    assert_eq!(find(&list, &hash(1))["rejection"], "CAM");
    assert_eq!(
        find(&list, &hash(2))["rejection"],
        "2160p not in the profile"
    );
    assert_eq!(find(&list, &hash(4))["rejection"], "wrong year (2031)");
    assert!(
        list.iter().all(|c| c["info_hash"] != hash(6)),
        "an item with only a .torrent link has no infohash to offer"
    );
}

#[tokio::test]
async fn a_slow_source_and_a_broken_one_do_not_stop_the_search() {
    let (tmdb_url, _tmdb) = tmdb::start().await;
    let (slow_url, slow) = stremio::start().await;
    let (limited_url, limited) = stremio::start().await;
    let (indexer_url, indexer) = torznab::start().await;
    let (zilean_url, zilean) = zilean::start().await;
    add_matrix(
        &slow,
        1,
        "The.Matrix.1999.1080p.BluRay.x264-SLOW",
        10,
        "9 GB",
    );
    slow.behave(Behaviour::Slow(Duration::from_secs(5)));
    limited.behave(Behaviour::RateLimited);
    zilean.break_down();
    indexer.add(
        &format!("movie:{MATRIX}"),
        Item {
            title: "The.Matrix.1999.1080p.BluRay.x264-CiNEFiLE".into(),
            hash: hash(2),
            size: 9_000_000_000,
            seeders: 9,
            how: Hash::Attr,
        },
    );
    let sources = json!([
        {"name": "Torrentio", "kind": "stremio", "url": slow_url, "timeout_secs": 1},
        stremio_source("Comet", &limited_url),
        torznab_source(&indexer_url),
        {"name": "Zilean", "kind": "zilean", "url": zilean_url},
    ]);
    let app = app_with(&tmdb_url, sources).await;

    let id = app.post_fixture("movie_media_approved.json").await;
    let request = app.wait_for_request(id, settled).await;
    assert_eq!(request["state"], "waiting", "{request:#}");
    let reason = summary(&request);
    for expected in [
        "1 found, 1 kept (",
        "Torrentio timed out after 1 s",
        "Comet is rate limiting",
        "Zilean sent something unreadable",
        "best: The.Matrix.1999.1080p.BluRay.x264-CiNEFiLE",
    ] {
        assert!(reason.contains(expected), "{expected:?} not in {reason}");
    }
}

#[tokio::test]
async fn no_source_answering_is_retried_not_taken_for_not_found() {
    let (tmdb_url, _tmdb) = tmdb::start().await;
    let (addon_url, addon) = stremio::start().await;
    addon.behave(Behaviour::Garbage);
    let app = app_with(&tmdb_url, json!([stremio_source("Torrentio", &addon_url)])).await;

    let id = app.post_fixture("movie_media_approved.json").await;
    let request = app.wait_for_request(id, settled).await;
    assert_eq!(request["state"], "waiting");
    assert!(request["next_attempt_at"].is_string());
    let reason = request["reason"].as_str().unwrap();
    assert!(
        reason.starts_with(
            "No source answered (Torrentio sent something unreadable: not a stream list"
        ),
        "{reason}"
    );
}

#[tokio::test]
async fn nothing_fitting_is_not_found_searched_again_later_or_when_asked() {
    let (tmdb_url, _tmdb) = tmdb::start().await;
    let (addon_url, addon) = stremio::start().await;
    add_matrix(
        &addon,
        1,
        "The.Matrix.1999.HDCAM.x264-NoGroup",
        3000,
        "1.4 GB",
    );
    add_matrix(&addon, 2, "The.Matrix.1999.TS.XviD-NoGroup", 300, "700 MB");
    let app = app_with(&tmdb_url, json!([stremio_source("Torrentio", &addon_url)])).await;

    let id = app.post_fixture("movie_media_approved.json").await;
    let request = app.wait_for_request(id, settled).await;
    assert_eq!(request["state"], "not_found", "{request:#}");
    let reason = request["reason"].as_str().unwrap();
    assert!(
        reason.starts_with(
            "Nothing fits yet: 2 found, 0 kept; rejected: 1 CAM, 1 TeleSync; searching again at "
        ),
        "{reason}"
    );
    let wait = minutes_until_next_attempt(&request);
    assert!(
        (55..=63).contains(&wait),
        "first search again in about an hour, not {wait} min"
    );

    // A good release appears; the user does not want to wait for the hour.
    add_matrix(
        &addon,
        3,
        "The.Matrix.1999.1080p.BluRay.x264-CiNEFiLE",
        40,
        "10 GB",
    );
    let (status, _) = json(
        app.post_api(&format!("/api/v1/requests/{id}/research"))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let request = app
        .wait_for_request(id, |r| {
            history(r).iter().any(|line| line.starts_with("adding: "))
        })
        .await;
    assert!(summary(&request).contains("best: The.Matrix.1999.1080p.BluRay.x264-CiNEFiLE"));
    assert_eq!(
        addon.asked(),
        [MATRIX, MATRIX],
        "re-searching does not fetch TMDb details first"
    );
}

#[tokio::test]
async fn a_show_prefers_season_packs_and_asks_episodes_only_where_there_is_none() {
    let (tmdb_url, _tmdb) = tmdb::start().await;
    let (addon_url, addon) = stremio::start().await;
    let (indexer_url, indexer) = torznab::start().await;
    // Season 1: a pack (found through its episode 1, as Torrentio shows packs) and a single
    // episode. Season 2: no pack, episodes one by one.
    addon.add(
        &format!("{BREAKING_BAD}:1:1"),
        torrentio_stream(
            &hash(1),
            "Breaking Bad S01 1080p BluRay x264-ROVERS",
            Some("Breaking.Bad.S01E01.Pilot.1080p.BluRay.x264.mkv"),
            120,
            "14.1 GB",
        ),
    );
    addon.add(
        &format!("{BREAKING_BAD}:1:1"),
        torrentio_stream(
            &hash(2),
            "Breaking.Bad.S01E01.1080p.WEB-DL.x264",
            None,
            500,
            "1.9 GB",
        ),
    );
    for episode in 1..=8 {
        addon.add(
            &format!("{BREAKING_BAD}:2:{episode}"),
            torrentio_stream(
                &hash(100 + episode),
                &format!("Breaking.Bad.S02E{episode:02}.1080p.BluRay.x264-DEMAND"),
                None,
                30,
                "2.2 GB",
            ),
        );
    }
    indexer.add(
        &format!("tvsearch:{BREAKING_BAD}:2"),
        Item {
            title: "Breaking.Bad.S02E01.720p.HDTV.x264-CTU".into(),
            hash: hash(200),
            size: 1_200_000_000,
            seeders: 4,
            how: Hash::Magnet,
        },
    );
    let sources = json!([
        stremio_source("Torrentio", &addon_url),
        torznab_source(&indexer_url)
    ]);
    let app = app_with(&tmdb_url, sources).await;

    let id = app.post_fixture("tv_media_approved.json").await;
    let request = app.wait_for_request(id, settled).await;
    assert_eq!(request["state"], "waiting", "{request:#}");
    let reason = summary(&request);
    assert!(
        reason.contains("best: Breaking Bad S01 1080p BluRay x264-ROVERS; covers all 15 episodes"),
        "{reason}"
    );

    let mut asked = addon.asked();
    asked.sort();
    let mut expected: Vec<String> = vec![format!("{BREAKING_BAD}:1:1")];
    expected.extend((1..=8).map(|e| format!("{BREAKING_BAD}:2:{e}")));
    expected.sort();
    assert_eq!(
        asked, expected,
        "season 1 has a pack: none of its episodes is asked for"
    );
    let queries = indexer.queries();
    assert!(
        queries
            .iter()
            .any(|q| q["t"] == "tvsearch" && q["season"] == "2" && q["cat"] == "5000")
    );

    let list = candidates(&app, id).await;
    assert_eq!(list[0]["info_hash"], hash(1));
    assert_eq!(list[0]["is_pack"], true);
    assert_eq!(list[0]["covers"].as_array().unwrap().len(), 7);
    assert_eq!(
        list[0]["file_name"],
        "Breaking.Bad.S01E01.Pilot.1080p.BluRay.x264.mkv"
    );
    let episode_two = find(&list, &hash(102));
    assert_eq!(episode_two["covers"], json!([[2, 2]]));
    assert_eq!(episode_two["is_pack"], false);
}

#[tokio::test]
async fn an_indexer_that_cannot_search_by_imdb_id_is_searched_by_title_and_year() {
    let (tmdb_url, _tmdb) = tmdb::start().await;
    let (indexer_url, indexer) = torznab::start().await;
    indexer.without_imdb_movie_search();
    indexer.add(
        "q:The Matrix 1999",
        Item {
            title: "The Matrix 1999 1080p BluRay x265-RARBG".into(),
            hash: hash(9),
            size: 3_000_000_000,
            seeders: 70,
            how: Hash::Attr,
        },
    );
    let app = app_with(&tmdb_url, json!([torznab_source(&indexer_url)])).await;
    let id = app.post_fixture("movie_media_approved.json").await;
    let request = app.wait_for_request(id, settled).await;
    assert!(summary(&request).contains("best: The Matrix 1999 1080p BluRay x265-RARBG"));
    assert!(indexer.queries().iter().all(|q| !q.contains_key("imdbid")));
}

#[tokio::test]
async fn without_sources_a_request_waits_and_saving_one_resumes_it() {
    let (tmdb_url, _tmdb) = tmdb::start().await;
    let (indexer_url, _indexer) = torznab::start().await;
    // An empty value is no override: these sources are the saved ones.
    let app = TestApp::with_tmdb_and(&tmdb_url, &[(SettingKey::Sources, "")]).await;
    let (status, _) = json(app.put_settings(json!({"sources": []})).await).await;
    assert_eq!(status, StatusCode::OK);
    let id = app.post_fixture("movie_media_approved.json").await;
    let request = app
        .wait_for_request(id, |r| {
            r["reason"]
                .as_str()
                .unwrap_or_default()
                .starts_with("No search source")
        })
        .await;
    assert_eq!(request["state"], "waiting");
    assert!(
        request["next_attempt_at"].is_null(),
        "it waits for Settings, not for a time"
    );

    let wrong_key = json!([{"name": "Prowlarr", "kind": "torznab", "url": indexer_url, "api_key": "wrong-key-0123456789"}]);
    let (status, settings) = json(app.put_settings(json!({"sources": wrong_key})).await).await;
    assert_eq!(status, StatusCode::OK, "{settings}");
    assert_eq!(settings["sources"]["value"][0]["api_key"], "••••6789");
    let request = app
        .wait_for_request(id, |r| {
            r["reason"]
                .as_str()
                .unwrap_or_default()
                .starts_with("No source answered")
        })
        .await;
    assert_eq!(
        request["reason"]
            .as_str()
            .unwrap()
            .split("; trying again")
            .next()
            .unwrap(),
        "No source answered (Prowlarr rejected the API key)"
    );
    assert!(
        history(&request)
            .iter()
            .any(|line| line == "received: Trying again: the sources setting changed"),
        "{request:#}"
    );
}

#[tokio::test]
async fn bad_sources_and_profiles_are_refused_without_echoing_keys() {
    let app = TestApp::spawn().await;
    let bad = json!([{"name": "Prowlarr", "kind": "torznab", "url": "nas:9696", "api_key": "secret-key-123456"}]);
    let (status, body) = json(app.put_settings(json!({"sources": bad})).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = body["error"].as_str().unwrap();
    assert!(error.contains("the url is not http(s)"), "{error}");
    assert!(!error.contains("secret-key"), "{error}");

    let (status, body) = json(
        app.put_settings(json!({"quality_profile": {"exclude": ["(unclosed"]}}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"].as_str().unwrap().contains("bad pattern"),
        "{body}"
    );

    let (status, body) = json(
        app.put_settings(
            json!({"quality_profile": {"resolutions": ["1080p"], "reject_3d": false}}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["quality_profile"]["value"]["resolutions"],
        json!(["1080p"])
    );
    assert_eq!(
        body["quality_profile_4k"]["default"]["resolutions"][0],
        "2160p"
    );
    assert_eq!(body["sources"]["default"][0]["name"], "Torrentio");
    assert_eq!(
        app.state.settings.current().quality_profile.resolutions,
        ["1080p"]
    );
}
