//! How fast Linkarr acknowledges a burst of approvals durably (committed to SQLite before the
//! 200), next to a bare axum handler that answers 200 without touching a database, measured in
//! the same run on the same machine.
//!
//! Linkarr runs as configured for real, pipeline included: its workers take on the requests
//! (fetching from a local TMDb simulator, at TMDb's rate) while the burst comes in.
//!
//! Run: `cargo bench --bench webhook_ack` (WEBHOOKS=n and CONNECTIONS=n to change the load).

#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::routing::post;
use linkarr as _;
use linkarr::Application;

// The same allocator as the `linkarr` binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../tests/api/sim/mod.rs"]
#[allow(dead_code)]
mod sim;

const PATH: &str = "/api/webhooks/overseerr";
const ROUNDS: usize = 5;
const TEMPLATE: &str = include_str!("../tests/fixtures/overseerr/movie_media_approved.json");

struct Run {
    throughput: f64,
    p50: Duration,
    p99: Duration,
}

#[tokio::main]
async fn main() {
    let t = Instant::now();
    for i in 0..100_000 {
        tracing::info!("Received webhook notification: {}", i);
    }
    println!("100k info!: {:?}", t.elapsed());
    let webhooks = env_number("WEBHOOKS", 4000);
    let connections = env_number("CONNECTIONS", 32);
    println!(
        "{webhooks} MEDIA_APPROVED webhooks per round, {connections} concurrent connections, \
         median of {ROUNDS} rounds\n"
    );

    let bare = start_bare_handler().await;
    let data = tempfile::TempDir::new().unwrap();
    let (tmdb_url, _tmdb) = sim::tmdb::start().await;
    let durable = start_linkarr(data.path(), &tmdb_url).await;

    // Warm both up (connections, page cache, SQLite's first pages), then measure in
    // alternating rounds so both see the same machine; each side's median round is reported.
    burst(bare, 500, connections, 1_000_000).await;
    burst(durable, 500, connections, 1_000_000).await;
    let (mut bare_runs, mut durable_runs) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        bare_runs.push(burst(bare, webhooks, connections, round * webhooks).await);
        durable_runs.push(burst(durable, webhooks, connections, round * webhooks).await);
    }
    let (bare_run, durable_run) = (median(bare_runs), median(durable_runs));

    println!("{:<34}{:>14}{:>10}{:>10}", "", "throughput", "p50", "p99");
    report("bare axum handler (no database)", &bare_run);
    report("Linkarr durable ack (SQLite)", &durable_run);
    let ratio = durable_run.throughput / bare_run.throughput;
    println!(
        "\ndurable/bare throughput: {ratio:.2} (target >= 0.50); durable p99: {:.2} ms (target < 10 ms)",
        millis(durable_run.p99)
    );
}

fn median(mut runs: Vec<Run>) -> Run {
    runs.sort_by(|a, b| a.throughput.total_cmp(&b.throughput));
    runs.swap_remove(runs.len() / 2)
}

fn report(name: &str, run: &Run) {
    println!(
        "{name:<34}{:>9.0} req/s{:>7.2} ms{:>7.2} ms",
        run.throughput,
        millis(run.p50),
        millis(run.p99)
    );
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn start_bare_handler() -> SocketAddr {
    async fn ack(_body: Bytes) -> &'static str {
        r#"{"status":"accepted","request_id":1}"#
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new().route(PATH, post(ack));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

async fn start_linkarr(data_dir: &std::path::Path, tmdb_url: &str) -> SocketAddr {
    let app = Application::build(sim::tmdb::linkarr_overrides(data_dir, tmdb_url))
        .await
        .unwrap();
    let addr = app.local_addr();
    tokio::spawn(app.run_until_stopped());
    addr
}

/// Posts `total` distinct approvals (request ids from `first_id`) over `connections` workers.
async fn burst(addr: SocketAddr, total: usize, connections: usize, first_id: usize) -> Run {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()
        .unwrap();
    let url = format!("http://{addr}{PATH}");
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|_| {
            let (client, url, next) = (client.clone(), url.clone(), next.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= total {
                        return latencies;
                    }
                    let body = TEMPLATE.replace(
                        r#""request_id":"3""#,
                        &format!(r#""request_id":"{}""#, first_id + n + 1),
                    );
                    let sent = Instant::now();
                    let response = client
                        .post(&url)
                        .header("content-type", "application/json")
                        .body(body)
                        .send()
                        .await
                        .unwrap();
                    assert!(response.status().is_success(), "{}", response.status());
                    response.bytes().await.unwrap();
                    latencies.push(sent.elapsed());
                }
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(total);
    for worker in workers {
        latencies.extend(worker.await.unwrap());
    }
    let elapsed = started.elapsed();
    latencies.sort_unstable();
    let percentile =
        |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    Run {
        throughput: total as f64 / elapsed.as_secs_f64(),
        p50: percentile(0.50),
        p99: percentile(0.99),
    }
}
