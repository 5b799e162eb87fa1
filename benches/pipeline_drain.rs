//! How fast the pipeline drains a backlog: 500 queued movie requests against a TMDb simulator
//! that answers at once. TMDb's rate limit, not Linkarr, sets the pace, so next to the
//! throughput this prints the floor that limit allows (the baseline) and Linkarr's own cost
//! per item: the CPU time the whole process spent while draining (the simulator's included,
//! so it is an upper bound), which excludes every wait.
//!
//! Run: `cargo bench --bench pipeline_drain` (ITEMS=n to change the backlog).

#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use linkarr::Application;

#[path = "../tests/api/sim/mod.rs"]
#[allow(dead_code)]
mod sim;

// The same allocator as the `linkarr` binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const TEMPLATE: &str = include_str!("../tests/fixtures/overseerr/movie_media_approved.json");

#[tokio::main]
async fn main() {
    let items: usize = std::env::var("ITEMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let (tmdb_url, tmdb) = sim::tmdb::start().await;
    let data = tempfile::TempDir::new().unwrap();
    let overrides = sim::tmdb::linkarr_overrides(data.path(), &tmdb_url);
    let app = Application::build(overrides).await.unwrap();
    let (addr, db) = (app.local_addr(), app.state().db.clone());
    tokio::spawn(app.run_until_stopped());

    // From the first webhook to the last title stored: the backlog queues while it drains.
    let (started, cpu_before) = (Instant::now(), cpu_time());
    let client = reqwest::Client::new();
    for n in 0..items {
        let body = TEMPLATE
            .replace(
                r#""request_id":"3""#,
                &format!(r#""request_id":"{}""#, n + 1),
            )
            .replace(
                r#""tmdbId":"603""#,
                &format!(r#""tmdbId":"{}""#, 100_000 + n),
            );
        let response = client
            .post(format!("http://{addr}/api/webhooks/overseerr"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success());
    }

    loop {
        let done: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM requests WHERE reason LIKE 'No search source%'",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        if done as usize == items {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (elapsed, cpu) = (started.elapsed(), cpu_time() - cpu_before);

    let floor = Duration::from_secs(1).mul_f64(1.05) * (items as u32 - 1) / 20;
    println!("{items} movie requests drained against a zero-latency TMDb simulator\n");
    println!(
        "throughput:            {:.1} items/s",
        items as f64 / elapsed.as_secs_f64()
    );
    println!(
        "time to drain:         {:.2} s (floor set by the TMDb limit of 20/s: {:.2} s)",
        elapsed.as_secs_f64(),
        floor.as_secs_f64()
    );
    println!(
        "Linkarr's own time:    {:.2} ms CPU per item (target < 20 ms)",
        cpu.as_secs_f64() * 1000.0 / items as f64
    );
    println!(
        "TMDb calls, busiest 1 s: {} (limit 20)",
        tmdb.busiest_second()
    );
}

/// CPU time this process has used (user + system), from /proc (Linux).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    // Fields after the command name (which may hold spaces) start at field 3.
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_millis(ticks * 10) // USER_HZ is 100 on Linux
}
