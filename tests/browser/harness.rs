//! One Linkarr with every simulator, and the runner of the Node scenarios.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use linkarr::config::SettingKey;
use serde_json::json;

use crate::helpers::{Options, TestApp};
use crate::sim::overseerr::{self, Overseerr};
use crate::sim::realdebrid::{self, Kind, RealDebrid, Release};
use crate::sim::stremio::{self, Addon, torrentio_stream};
use crate::sim::tmdb::{self, Tmdb};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// The Rust side's own limit on a scenario; the scripts time themselves out before it.
const SCENARIO_LIMIT: Duration = Duration::from_secs(150);
pub const GB: u64 = 1_000_000_000;

/// One Chromium at a time: the CI machine has two cores, and the timings the scenarios wait
/// on should not depend on how many other tests happen to run.
static BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Linkarr whose TMDb, Torrentio and Real-Debrid are simulators; an Overseerr simulator
/// is running too, but Linkarr is not told about it (Setup does that).
pub struct World {
    pub app: TestApp,
    pub tmdb: Arc<Tmdb>,
    pub addon: Arc<Addon>,
    pub rd: Arc<RealDebrid>,
    pub overseerr: Arc<Overseerr>,
    pub urls: Urls,
}

pub struct Urls {
    pub tmdb: String,
    pub torrentio: String,
    pub realdebrid: String,
    pub overseerr: String,
}

impl World {
    pub async fn start(settings: &[(SettingKey, &str)]) -> Self {
        Self::start_with(settings, &[]).await
    }

    /// The same, with `saved` settings stored through the API as a user would (overridden
    /// ones are locked in the UI, "set by environment").
    pub async fn start_with(settings: &[(SettingKey, &str)], saved: &[(SettingKey, &str)]) -> Self {
        capture_logs();
        let (tmdb_url, tmdb) = tmdb::start().await;
        // A poster with its title on it, like the others the screenshots show.
        tmdb.set_movie(603, "The Matrix", 1999);
        let (addon_url, addon) = stremio::start().await;
        let (rd_url, rd) = realdebrid::start().await;
        let (overseerr_url, overseerr) = overseerr::start().await;
        let sources =
            json!([{"name": "Torrentio", "kind": "stremio", "url": addon_url}]).to_string();
        let mut values = tmdb::linkarr_overrides(Path::new(ROOT), &tmdb_url).values;
        values.insert(SettingKey::Sources, sources);
        values.insert(SettingKey::RealdebridUrl, rd_url.clone());
        values.insert(SettingKey::RealdebridToken, realdebrid::TOKEN.to_owned());
        for (key, value) in settings {
            values.insert(*key, (*value).to_owned());
        }
        for (key, _) in saved {
            values.remove(key);
        }
        let app = TestApp::spawn_with(Options {
            settings: values.into_iter().collect(),
            ..Options::default()
        })
        .await;
        if !saved.is_empty() {
            let changes: serde_json::Map<String, serde_json::Value> = saved
                .iter()
                .map(|(key, value)| (key.name().to_owned(), json!(value)))
                .collect();
            let answer = app.put_settings(changes.into()).await;
            assert!(
                answer.status().is_success(),
                "{}",
                answer.text().await.unwrap()
            );
        }
        Self {
            app,
            tmdb,
            addon,
            rd,
            overseerr,
            urls: Urls {
                tmdb: tmdb_url,
                torrentio: addon_url,
                realdebrid: rd_url,
                overseerr: overseerr_url,
            },
        }
    }

    /// Movie `tmdb_id` (IMDb `tt{id:07}`, or The Matrix's for 603) gets a release on
    /// Torrentio that Real-Debrid knows as `kind`; returns its hash.
    pub fn release(&self, tmdb_id: i64, name: &str, seeders: u32, kind: Kind) -> String {
        let imdb = if tmdb_id == 603 {
            "tt0133093".to_owned()
        } else {
            format!("tt{tmdb_id:07}")
        };
        let hash = format!("{:040x}", hash_of(name));
        self.addon.add(
            &imdb,
            torrentio_stream(&hash, name, None, seeders, "8.2 GB"),
        );
        let files = [
            (format!("{name}/{name}.mkv"), 8 * GB),
            (format!("{name}/Sample/sample.mkv"), 40_000_000),
        ];
        let files: Vec<(&str, u64)> = files.iter().map(|(p, b)| (p.as_str(), *b)).collect();
        self.rd.add_release(&hash, Release::new(name, kind, &files));
        hash
    }

    /// Runs `ui/tests/browser/<scenario>.mjs` against this Linkarr (one Chromium), with the
    /// standard variables plus `extra`; panics with its whole output unless it exits 0.
    pub async fn run(&self, scenario: &str, extra: &[(&str, &str)]) -> String {
        let mut env: Vec<(String, String)> = vec![
            ("LINKARR_URL".into(), self.app.url("")),
            ("LINKARR_TOKEN".into(), self.app.api_token.clone()),
            ("OVERSEERR_URL".into(), self.urls.overseerr.clone()),
            ("OVERSEERR_KEY".into(), overseerr::KEY.into()),
            ("TMDB_URL".into(), self.urls.tmdb.clone()),
            ("TORRENTIO_URL".into(), self.urls.torrentio.clone()),
            ("REALDEBRID_URL".into(), self.urls.realdebrid.clone()),
        ];
        env.extend(extra.iter().map(|(k, v)| ((*k).into(), (*v).into())));
        let chromium = preflight();
        let script = Path::new(ROOT)
            .join("ui/tests/browser")
            .join(format!("{scenario}.mjs"));
        assert!(script.is_file(), "no scenario script {}", script.display());
        let _one_at_a_time = BROWSER.lock().await;
        run_node(scenario, &script, &chromium, &env)
            .await
            .unwrap_or_else(|failure| panic!("{failure}"))
    }
}

/// A stable number from a release name (the simulated info hash).
fn hash_of(name: &str) -> u128 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325_u128, |h, b| {
        (h ^ u128::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// What the scenarios need, or a failure that says how to get it.
fn preflight() -> PathBuf {
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|out| out.status.success()) {
        panic!(
            "the browser tests need Node.js (`node` on PATH): install it, then run scripts/setup"
        );
    }
    let chromium =
        PathBuf::from(std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned()));
    assert!(
        chromium.is_file(),
        "the browser tests need Chromium at {} (set CHROMIUM= to use another): \
         scripts/setup installs Debian's `chromium` package",
        chromium.display()
    );
    let playwright = Path::new(ROOT).join("ui/node_modules/playwright-core/package.json");
    assert!(
        playwright.is_file(),
        "the browser tests need playwright-core in ui/node_modules: run scripts/setup (npm ci)"
    );
    chromium
}

/// The script's output if it exited 0, else what to fail with.
async fn run_node(
    scenario: &str,
    script: &Path,
    chromium: &Path,
    env: &[(String, String)],
) -> Result<String, String> {
    // stdout and stderr into one file, so the steps and the errors stay in order.
    let mut log = tempfile::tempfile().unwrap();
    let started = Instant::now();
    let mut child = Command::new("node")
        .arg(script)
        .current_dir(ROOT)
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("CHROMIUM", chromium)
        .env("SCREENSHOT_DIR", screenshot_dir())
        .env("FIXTURES", Path::new(ROOT).join("tests/fixtures"))
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log.try_clone().unwrap())
        .spawn()
        .map_err(|error| format!("could not start node: {error}"))?;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > SCENARIO_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let mut output = String::new();
    use std::io::Seek;
    log.rewind().unwrap();
    log.read_to_string(&mut output).unwrap();
    let took = started.elapsed().as_secs_f64();
    match status {
        Some(status) if status.success() => {
            println!("--- {scenario}.mjs passed in {took:.1} s\n{output}");
            Ok(output)
        }
        Some(status) => Err(format!(
            "{scenario}.mjs failed ({status}) after {took:.1} s:\n{output}"
        )),
        None => Err(format!(
            "{scenario}.mjs was killed after {} s:\n{output}",
            SCENARIO_LIMIT.as_secs()
        )),
    }
}

/// Log lines reach the Logs view as in the app (`telemetry::init` without the terminal and
/// the file). One subscriber for the whole test binary: the first test installs it.
fn capture_logs() {
    use tracing_subscriber::prelude::*;
    let _ = tracing_subscriber::registry()
        .with(tracing_subscriber::EnvFilter::new("linkarr=info"))
        .with(linkarr::telemetry::RecentLayer::default())
        .try_init();
}

/// Where the scenarios save their views: the README's `docs/screenshots`, or `SCREENSHOT_DIR`
/// when set (to keep a test run from touching the committed pictures).
fn screenshot_dir() -> PathBuf {
    std::env::var_os("SCREENSHOT_DIR")
        .map_or_else(|| Path::new(ROOT).join("docs/screenshots"), PathBuf::from)
}

/// "Night of the Living Dead 1968" → "night-of-the-living-dead-1968".
pub fn slug(words: &str) -> String {
    words
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}
