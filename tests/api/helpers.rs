use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use linkarr::Application;
use linkarr::config::{Overrides, SettingKey};
use linkarr::state::AppState;
use reqwest::{Response, StatusCode};
use serde_json::Value;
use sqlx::{SqliteConnection, SqlitePool};
use tempfile::TempDir;

pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/overseerr");

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(FIXTURES).join(name)).unwrap()
}

/// A running core on 127.0.0.1 with its own data folder.
pub struct TestApp {
    pub addr: SocketAddr,
    pub state: AppState,
    pub db: SqlitePool,
    pub api_token: String,
    pub client: reqwest::Client,
    pub data_dir: PathBuf,
    shutdown: linkarr::CancellationToken,
    server: tokio::task::JoinHandle<anyhow::Result<()>>,
    _dir: Option<TempDir>,
}

#[derive(Clone, Default)]
pub struct Options {
    pub settings: Vec<(SettingKey, String)>,
    /// A folder the test owns (to restart on it); else a fresh temporary one.
    pub data_dir: Option<PathBuf>,
    /// Listen where the saved settings say, as a user's Linkarr does, not on a free port
    /// forced for this run.
    pub saved_port: bool,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(Options::default()).await
    }

    pub async fn with_setting(key: SettingKey, value: &str) -> Self {
        Self::spawn_with(Options {
            settings: vec![(key, value.to_owned())],
            ..Options::default()
        })
        .await
    }

    pub async fn spawn_with(options: Options) -> Self {
        let (dir, data_dir) = match options.data_dir {
            Some(path) => (None, path),
            None => {
                let dir = TempDir::new().unwrap();
                let path = dir.path().to_path_buf();
                (Some(dir), path)
            }
        };
        let mut overrides = Overrides {
            data_dir: Some(data_dir.clone()),
            values: Default::default(),
        };
        overrides
            .values
            .insert(SettingKey::Bind, "127.0.0.1".into());
        if !options.saved_port {
            overrides.values.insert(SettingKey::Port, "0".into());
        }
        // Tests never reach the public Torrentio; those about searching bring simulators.
        overrides.values.insert(SettingKey::Sources, "[]".into());
        overrides.values.extend(options.settings);
        let app = Application::build(overrides).await.unwrap();
        let shutdown = app.shutdown_token();
        let addr = app.local_addr();
        let state = app.state().clone();
        let db = state.db.clone();
        let api_token = app.api_token();
        let server = tokio::spawn(app.run_until_stopped());
        Self {
            addr,
            state,
            db,
            api_token,
            client: reqwest::Client::new(),
            data_dir,
            shutdown,
            server,
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn post_webhook(&self, body: impl Into<reqwest::Body>) -> Response {
        self.client
            .post(self.url("/api/webhooks/overseerr"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn get_api(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .header("x-api-key", &self.api_token)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_api(&self, path: &str) -> Response {
        self.client
            .post(self.url(path))
            .header("x-api-key", &self.api_token)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_api_json(&self, path: &str, body: Value) -> Response {
        self.client
            .post(self.url(path))
            .header("x-api-key", &self.api_token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// `PUT /api/v1/settings` with `changes`.
    pub async fn put_settings(&self, changes: Value) -> Response {
        self.client
            .put(self.url("/api/v1/settings"))
            .header("x-api-key", &self.api_token)
            .json(&changes)
            .send()
            .await
            .unwrap()
    }

    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
            .fetch_one(&self.db)
            .await
            .unwrap()
    }

    /// Stops the listener the way Quit or SIGTERM does and waits for it.
    pub async fn stop(self) {
        drop(self.state);
        self.shutdown.cancel();
        self.server.await.unwrap().unwrap();
    }
}

/// The status and JSON body of a response, asserting the body is JSON.
pub async fn json(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let body = response.text().await.unwrap();
    let value =
        serde_json::from_str(&body).unwrap_or_else(|error| panic!("not JSON ({error}): {body}"));
    (status, value)
}

impl TestApp {
    /// A core whose TMDb is the simulator at `tmdb_url`, with a valid v3 key.
    pub async fn with_tmdb(tmdb_url: &str) -> Self {
        Self::with_tmdb_and(tmdb_url, &[]).await
    }

    /// The same, with more settings (search sources, say).
    pub async fn with_tmdb_and(tmdb_url: &str, settings: &[(SettingKey, &str)]) -> Self {
        let dir = TempDir::new().unwrap();
        let mut overrides = crate::sim::tmdb::linkarr_overrides(dir.path(), tmdb_url);
        for (key, value) in settings {
            overrides.values.insert(*key, (*value).to_owned());
        }
        let mut app = Self::spawn_with(Options {
            settings: overrides.values.into_iter().collect(),
            data_dir: overrides.data_dir,
            ..Options::default()
        })
        .await;
        app._dir = Some(dir);
        app
    }

    /// `GET /api/v1/requests/{id}`.
    pub async fn request(&self, id: i64) -> Value {
        let (status, body) = json(self.get_api(&format!("/api/v1/requests/{id}")).await).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    /// Polls request `id` until `done` holds (10 s at most) and returns it.
    pub async fn wait_for_request(&self, id: i64, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let request = self.request(id).await;
            if done(&request) {
                return request;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "request {id} stuck: {request:#}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
    }

    /// Posts the recorded movie approval as Overseerr request `request_id` for TMDb movie
    /// `tmdb_id`; returns our request id.
    pub async fn post_movie_request(&self, request_id: i64, tmdb_id: i64) -> i64 {
        let mut body: Value =
            serde_json::from_slice(&fixture("movie_media_approved.json")).unwrap();
        body["request"]["request_id"] = request_id.to_string().into();
        body["media"]["tmdbId"] = tmdb_id.to_string().into();
        let (_, answer) = json(self.post_webhook(body.to_string()).await).await;
        answer["request_id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{answer}"))
    }

    /// Posts a recorded webhook and returns the request id it was given.
    pub async fn post_fixture(&self, name: &str) -> i64 {
        let (_, answer) = json(self.post_webhook(fixture(name)).await).await;
        answer["request_id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{name}: {answer}"))
    }
}

/// A title for [`seed_ready`]: what the library shows of it.
#[derive(Default)]
pub struct ReadyTitle {
    pub media_type: &'static str,
    pub tmdb_id: i64,
    pub title: String,
    pub year: i64,
    pub overview: String,
    pub runtime: Option<i64>,
    pub genres: Vec<&'static str>,
    pub rating: f64,
    pub poster_path: Option<String>,
}

/// Puts `titles` in the library, in order, ready to stream: stored the way the metadata step
/// stores them (`db::library::upsert_item`), then marked available as if each had a stream.
/// `conn` may be a transaction's, to seed many at once.
pub async fn seed_ready(conn: &mut SqliteConnection, titles: impl IntoIterator<Item = ReadyTitle>) {
    for ready in titles {
        let details = linkarr::db::library::Details {
            media_type: ready.media_type,
            tmdb_id: ready.tmdb_id,
            title: &ready.title,
            original_title: &ready.title,
            year: Some(ready.year),
            overview: &ready.overview,
            runtime: ready.runtime,
            genres: ready.genres,
            rating: Some(ready.rating),
            poster_path: ready.poster_path.as_deref(),
            backdrop_path: None,
            imdb_id: None,
            tvdb_id: None,
            alternative_titles: Vec::new(),
        };
        let (id, _) = linkarr::db::library::upsert_item(&mut *conn, &details)
            .await
            .unwrap();
        linkarr::db::library::set_available(&mut *conn, id)
            .await
            .unwrap();
    }
}

/// The history messages of a request, oldest first.
pub fn history(request: &Value) -> Vec<String> {
    request["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            format!(
                "{}: {}",
                entry["state"].as_str().unwrap(),
                entry["message"].as_str().unwrap()
            )
        })
        .collect()
}

/// Found on TMDb, and so waiting for a search source (tests of the metadata step set none).
pub fn has_metadata(request: &Value) -> bool {
    request["state"] == "waiting"
        && request["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("No search source"))
        && history(request)
            .iter()
            .any(|line| line.starts_with("searching: Found on TMDb"))
}

/// Minutes from now until the request is tried next.
pub fn minutes_until_next_attempt(request: &Value) -> i64 {
    let next: chrono::DateTime<chrono::Utc> = request["next_attempt_at"]
        .as_str()
        .unwrap_or_else(|| panic!("no next attempt: {request:#}"))
        .parse()
        .unwrap();
    (next - chrono::Utc::now()).num_minutes()
}

/// Sends this process's log lines, at debug level, to Linkarr's recent-lines buffer (what the
/// Logs view shows), so tests can read what was logged.
pub fn capture_logs() {
    use tracing_subscriber::prelude::*;
    let _ = tracing_subscriber::registry()
        .with(tracing_subscriber::EnvFilter::new("debug"))
        .with(linkarr::telemetry::RecentLayer::default())
        .try_init();
}
