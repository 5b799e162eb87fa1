//! The library at 5,000 titles, next to an empty one in the same run: the latency of
//! `GET /api/v1/library` (first page, and a `q=` search) over 500 calls each, then in headless
//! Chromium the time from navigation to the first library card and to the grid settled.
//! Titles are stored as the metadata step stores them (`db::library::upsert_item`, through the
//! tests' `seed_ready`) in a real SQLite file; TMDb (for the image base URL) is the simulator.
//!
//! Run: `cargo bench --bench library_ui` (ITEMS=n titles, CALLS=n per figure, ROUNDS=n page
//! loads). The browser part needs node, chromium and ui/node_modules (scripts/setup).

#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use linkarr::Application;

#[path = "../tests/api/helpers.rs"]
#[allow(dead_code)]
mod helpers;
#[path = "../tests/api/sim/mod.rs"]
#[allow(dead_code)]
mod sim;

use helpers::{ReadyTitle, seed_ready};

// The same allocator as the `linkarr` binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ADJECTIVES: [&str; 50] = [
    "Silent",
    "Crimson",
    "Hidden",
    "Last",
    "Broken",
    "Golden",
    "Lost",
    "Frozen",
    "Burning",
    "Distant",
    "Secret",
    "Wild",
    "Quiet",
    "Fallen",
    "Midnight",
    "Electric",
    "Hollow",
    "Iron",
    "Velvet",
    "Shattered",
    "Wandering",
    "Forgotten",
    "Bright",
    "Savage",
    "Gentle",
    "Endless",
    "Bitter",
    "Restless",
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Paper",
    "Glass",
    "Stone",
    "Copper",
    "Silver",
    "Scarlet",
    "Violet",
    "Emerald",
    "Winter",
    "Summer",
    "Autumn",
    "Spring",
    "Dark",
    "Pale",
    "Lonely",
    "Second",
    "Final",
    "Little",
];
const NOUNS: [&str; 100] = [
    "River",
    "Garden",
    "Empire",
    "Harbor",
    "Mountain",
    "Station",
    "Forest",
    "Kingdom",
    "Island",
    "Letter",
    "Promise",
    "Witness",
    "Machine",
    "Horizon",
    "Shadow",
    "Lantern",
    "Bridge",
    "Circus",
    "Engine",
    "Frontier",
    "Orchard",
    "Parade",
    "Signal",
    "Tower",
    "Voyage",
    "Window",
    "Desert",
    "Canyon",
    "Valley",
    "Ocean",
    "Comet",
    "Planet",
    "Voice",
    "Crown",
    "Sword",
    "Mirror",
    "Dream",
    "Storm",
    "Thunder",
    "Echo",
    "Ember",
    "Feather",
    "Harvest",
    "Journey",
    "Legend",
    "Meadow",
    "Night",
    "Passage",
    "Quarry",
    "Reunion",
    "Sanctuary",
    "Tide",
    "Umbrella",
    "Village",
    "Wolf",
    "Year",
    "Zone",
    "Anthem",
    "Ballad",
    "Cathedral",
    "Diary",
    "Eclipse",
    "Fortune",
    "Glacier",
    "Heist",
    "Inheritance",
    "Jungle",
    "Keeper",
    "Labyrinth",
    "Monument",
    "Nomad",
    "Oracle",
    "Pilgrim",
    "Queen",
    "Rebellion",
    "Sailor",
    "Tempest",
    "Uprising",
    "Vendetta",
    "Waltz",
    "Archive",
    "Beacon",
    "Compass",
    "Dynasty",
    "Exile",
    "Fugitive",
    "Guardian",
    "Hunter",
    "Illusion",
    "Jester",
    "Knight",
    "Lighthouse",
    "Mariner",
    "Nightfall",
    "Outpost",
    "Prophet",
    "Refuge",
    "Stranger",
    "Traveler",
    "Wanderer",
];
/// A word in 1 title of 100 (one noun): what a user types to find a title.
const SEARCH: &str = "Lighthouse";

struct Running {
    addr: SocketAddr,
    token: String,
    _data: tempfile::TempDir,
}

async fn start(tmdb_url: &str, items: usize) -> (Running, Duration) {
    let data = tempfile::TempDir::new().unwrap();
    let overrides = sim::tmdb::linkarr_overrides(data.path(), tmdb_url);
    let app = Application::build(overrides).await.unwrap();
    let running = Running {
        addr: app.local_addr(),
        token: app.api_token(),
        _data: data,
    };
    let db = app.state().db.clone();
    tokio::spawn(app.run_until_stopped());
    let started = Instant::now();
    let titles = (0..items).map(|n| {
        let (adjective, noun) = (ADJECTIVES[n % 50], NOUNS[(n / 50) % 100]);
        let round = n / 5000;
        let title = if round == 0 {
            format!("The {adjective} {noun}")
        } else {
            format!("The {adjective} {noun} {}", round + 1)
        };
        ReadyTitle {
            media_type: if n % 4 == 3 { "tv" } else { "movie" },
            tmdb_id: 1_000_000 + n as i64,
            overview: format!("{title}: a title the library benchmark made up."),
            title,
            year: 1950 + (n % 75) as i64,
            runtime: Some(80 + (n % 60) as i64),
            genres: vec![["Drama", "Comedy", "Thriller", "Western"][n % 4]],
            rating: (n % 90) as f64 / 10.0,
            poster_path: Some(format!("/bench-{n}.jpg")),
        }
    });
    let mut tx = linkarr::db::begin_write(&db).await.unwrap();
    seed_ready(&mut tx, titles).await;
    tx.commit().await.unwrap();
    (running, started.elapsed())
}

/// p50 and p99 of `calls` sequential GETs of `path` (after 20 unmeasured ones).
async fn latency(app: &Running, path: &str, calls: usize) -> (Duration, Duration, i64) {
    let client = reqwest::Client::new();
    let url = format!("http://{}{path}", app.addr);
    let get = || async {
        let answer = client
            .get(&url)
            .header("x-api-key", &app.token)
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success(), "{url}: {}", answer.status());
        let body: serde_json::Value = answer.json().await.unwrap();
        body["total"].as_i64().unwrap_or(-1)
    };
    for _ in 0..20 {
        get().await;
    }
    let mut times = Vec::with_capacity(calls);
    let mut total = 0;
    for _ in 0..calls {
        let started = Instant::now();
        total = get().await;
        times.push(started.elapsed());
    }
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    (at(0.50), at(0.99), total)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// The browser figures, or why there are none.
fn browser(app: &Running, rounds: u32) -> Result<serde_json::Value, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).is_file() {
        return Err(format!(
            "no Chromium at {chromium} (scripts/setup installs it)"
        ));
    }
    if !root.join("ui/node_modules/playwright-core").is_dir() {
        return Err("no ui/node_modules/playwright-core (scripts/setup runs npm ci)".into());
    }
    let output = Command::new("node")
        .arg(root.join("ui/tests/browser/library-bench.mjs"))
        .current_dir(root)
        .env("LINKARR_URL", format!("http://{}", app.addr))
        .env("LINKARR_TOKEN", &app.token)
        .env("CHROMIUM", &chromium)
        .env("ROUNDS", rounds.to_string())
        .output()
        .map_err(|error| format!("could not run node: {error}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "library-bench.mjs failed ({}):\n{stdout}{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let line = stdout
        .lines()
        .find_map(|line| line.strip_prefix("RESULT "))
        .ok_or_else(|| format!("no RESULT line in:\n{stdout}"))?;
    serde_json::from_str(line).map_err(|error| format!("{error}: {line}"))
}

#[tokio::main]
async fn main() {
    let number = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let (items, calls, rounds) = (
        number("ITEMS", 5000),
        number("CALLS", 500),
        number("ROUNDS", 5),
    );
    let (tmdb_url, _tmdb) = sim::tmdb::start().await;
    let (empty, _) = start(&tmdb_url, 0).await;
    let (full, seeded) = start(&tmdb_url, items).await;
    println!(
        "Library of {items} titles (seeded in {:.2} s, one transaction) against an empty one\n",
        seeded.as_secs_f64()
    );

    let first = "/api/v1/library";
    let search = format!("/api/v1/library?q={SEARCH}");
    println!("GET /api/v1/library, {calls} sequential calls each (p50 / p99, matches):");
    for (label, path) in [("first page", first), ("q= search", search.as_str())] {
        let (p50, p99, _) = latency(&empty, path, calls).await;
        let (f50, f99, total) = latency(&full, path, calls).await;
        println!(
            "  {label:<11} empty: {} / {}   {items} titles: {} / {}   (total {total})",
            ms(p50),
            ms(p99),
            ms(f50),
            ms(f99)
        );
    }
    let (_, _, total) = latency(&full, &search, 1).await;
    if total == i64::try_from(items).unwrap() {
        println!("  note: q= matched all {items} titles: this build ignores q= (contract: NEW)");
    }

    println!("\nHeadless Chromium, #/library from navigation, median of {rounds} loads:");
    let rounds = u32::try_from(rounds).unwrap();
    match (browser(&empty, rounds), browser(&full, rounds)) {
        (Ok(base), Ok(full)) => {
            println!(
                "  empty library: shown (empty message) {:>7.1} ms",
                base["empty_ms"].as_f64().unwrap_or(f64::NAN)
            );
            println!(
                "  {items} titles: first card {:>7.1} ms   grid settled {:>7.1} ms   cards shown {}",
                full["first_card_ms"].as_f64().unwrap_or(f64::NAN),
                full["settled_ms"].as_f64().unwrap_or(f64::NAN),
                full["cards"]
            );
        }
        (Err(why), _) | (_, Err(why)) => println!("  not measured: {why}"),
    }
}
