//! From webhook to a playable stream, against zero-latency simulators of TMDb, Torrentio and
//! Real-Debrid (cached torrents, which RD knows at once: no `magnet_conversion` polls).
//! Prints the RD calls each cached movie costs next to the minimum the flow needs, the time
//! from webhook to ready for one movie alone, and for a batch whose RD calls the shared
//! limiter paces (200 a minute after a burst of 20), the busiest minute RD saw.
//!
//! Run: `cargo bench --bench debrid_flow` (ITEMS=n to change the batch).

#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use linkarr::Application;
use linkarr::config::SettingKey;

#[path = "../tests/api/sim/mod.rs"]
#[allow(dead_code)]
mod sim;

use sim::realdebrid::{Kind, Release};

// The same allocator as the `linkarr` binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const TEMPLATE: &str = include_str!("../tests/fixtures/overseerr/movie_media_approved.json");
/// Per movie: list the account's torrents (no duplicate), add, info, select files, info.
/// The account check (`/user`) comes on top, once every ten minutes.
const MINIMUM_CALLS: f64 = 5.0;

#[tokio::main]
async fn main() {
    let items: u32 = std::env::var("ITEMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let (tmdb_url, _tmdb) = sim::tmdb::start().await;
    let (addon_url, addon) = sim::stremio::start().await;
    let (rd_url, rd) = sim::realdebrid::start().await;
    rd.set_conversion_polls(0);
    for n in 0..=items {
        let id = 200_000 + n;
        let title = sim::tmdb::movie_title(i64::from(id)).replace(' ', ".");
        let name = format!("{title}.1999.1080p.BluRay.x264-GRP");
        let hash = format!("{:040x}", id);
        addon.add(
            &format!("tt{id:07}"),
            sim::stremio::torrentio_stream(&hash, &name, None, 50, "8 GB"),
        );
        let file = format!("{name}/{name}.mkv");
        rd.add_release(
            &hash,
            Release::new(&name, Kind::Cached, &[(file.as_str(), 8_000_000_000)]),
        );
    }
    let data = tempfile::TempDir::new().unwrap();
    let mut overrides = sim::tmdb::linkarr_overrides(data.path(), &tmdb_url);
    let sources =
        serde_json::json!([{"name": "Torrentio", "kind": "stremio", "url": addon_url}]).to_string();
    for (key, value) in [
        (SettingKey::Sources, sources),
        (SettingKey::RealdebridUrl, rd_url),
        (
            SettingKey::RealdebridToken,
            sim::realdebrid::TOKEN.to_owned(),
        ),
    ] {
        overrides.values.insert(key, value);
    }
    let app = Application::build(overrides).await.unwrap();
    let (addr, db) = (app.local_addr(), app.state().db.clone());
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::new();
    let post = |n: u32| {
        let body = TEMPLATE
            .replace(
                r#""request_id":"3""#,
                &format!(r#""request_id":"{}""#, n + 1),
            )
            .replace(
                r#""tmdbId":"603""#,
                &format!(r#""tmdbId":"{}""#, 200_000 + n),
            );
        let request = client
            .post(format!("http://{addr}/api/webhooks/overseerr"))
            .header("content-type", "application/json")
            .body(body);
        async move { assert!(request.send().await.unwrap().status().is_success()) }
    };
    let ready = |count: i64| {
        let db = db.clone();
        async move {
            let deadline = Instant::now() + Duration::from_secs(600);
            loop {
                if Instant::now() > deadline {
                    let stuck: Vec<(i64, String, String)> = sqlx::query_as(
                        "SELECT id, state, reason FROM requests WHERE state != 'ready' LIMIT 5",
                    )
                    .fetch_all(&db)
                    .await
                    .unwrap();
                    panic!("not ready after 10 minutes: {stuck:?}");
                }
                let done: i64 =
                    sqlx::query_scalar("SELECT count(*) FROM requests WHERE state = 'ready'")
                        .fetch_one(&db)
                        .await
                        .unwrap();
                if done >= count {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        }
    };

    // One movie alone: the latency a user sees.
    let started = Instant::now();
    post(0).await;
    ready(1).await;
    let alone = started.elapsed();
    let first_calls = rd.calls().len();

    // A batch: what each movie costs, and that the limiter holds the rate.
    let started = Instant::now();
    for n in 1..=items {
        post(n).await;
    }
    ready(i64::from(items) + 1).await;
    let batch = started.elapsed();
    let batch_calls = rd.calls().len() - first_calls;

    println!("Cached movies from webhook to ready, zero-latency TMDb, Torrentio and Real-Debrid\n");
    println!(
        "RD calls, first movie:     {first_calls} (the minimum the flow needs: {MINIMUM_CALLS} + the account check)"
    );
    println!(
        "RD calls per movie, batch: {:.2} (minimum: {MINIMUM_CALLS}; target: at most 6)",
        batch_calls as f64 / f64::from(items)
    );
    println!(
        "webhook to ready, alone:   {:.0} ms",
        alone.as_secs_f64() * 1000.0
    );
    println!(
        "{items} movies, webhook to all ready: {:.1} s; the RD limiter's floor for {batch_calls} calls: {:.1} s",
        batch.as_secs_f64(),
        (batch_calls as f64 - 20.0).max(0.0) / (200.0 / 60.0)
    );
    println!(
        "RD calls in the busiest minute: {} (RD allows 250)",
        rd.busiest_minute()
    );
}
