//! The real `linkarr serve` process: what a NAS user runs, killed and restarted for real.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use sqlx::SqlitePool;
use tempfile::TempDir;

use crate::helpers::{fixture, json};

struct Server {
    child: Child,
    base: String,
}

impl Server {
    async fn start(data_dir: &Path, port: u16) -> Self {
        Self::start_with(data_dir, port, &[]).await
    }

    async fn start_with(data_dir: &Path, port: u16, env: &[(&str, &str)]) -> Self {
        let child = Command::new(env!("CARGO_BIN_EXE_linkarr"))
            .args(["serve", "--bind", "127.0.0.1", "--port", &port.to_string()])
            .arg("--data-dir")
            .arg(data_dir)
            .env_remove("LINKARR_API_TOKEN")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        server.wait_until_answering().await;
        server
    }

    async fn wait_until_answering(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = reqwest::Client::new();
        while Instant::now() < deadline {
            let answer = client
                .get(format!("{}/api/webhooks/test", self.base))
                .send()
                .await;
            if answer.is_ok_and(|response| response.status() == StatusCode::OK) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("linkarr serve did not answer within 20 s");
    }

    async fn post(&self, body: Vec<u8>) -> (StatusCode, serde_json::Value) {
        let response = reqwest::Client::new()
            .post(format!("{}/api/webhooks/overseerr", self.base))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        json(response).await
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn open(data_dir: &Path) -> SqlitePool {
    SqlitePool::connect(&format!("sqlite:{}", data_dir.join("linkarr.db").display()))
        .await
        .unwrap()
}

#[tokio::test]
async fn a_request_acknowledged_just_before_sigkill_is_there_after_restart_once() {
    let dir = TempDir::new().unwrap();
    let port = free_port();
    let mut server = Server::start(dir.path(), port).await;
    let (status, answer) = server.post(fixture("tv_media_approved.json")).await;
    assert_eq!(
        (status, &answer["status"]),
        (StatusCode::OK, &serde_json::json!("accepted"))
    );
    let request_id = answer["request_id"].as_i64().unwrap();
    server.child.kill().unwrap(); // SIGKILL: no shutdown, no flush
    server.child.wait().unwrap();
    drop(server);

    let restarted = Server::start(dir.path(), port).await;
    let db = open(dir.path()).await;
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT r.id, (SELECT count(*) FROM jobs j WHERE j.request_id = r.id) FROM requests r",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(rows, vec![(request_id, 1)], "the request, with one job");

    let (_, again) = restarted.post(fixture("tv_media_approved.json")).await;
    assert_eq!(again["status"], "duplicate");
    assert_eq!(again["request_id"], request_id);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM requests")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(count, 1, "processed once, not twice");
}

#[tokio::test]
async fn every_recorded_body_gets_its_answer_from_the_real_binary() {
    let dir = TempDir::new().unwrap();
    let server = Server::start(dir.path(), free_port()).await;
    let mut answers = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(crate::helpers::FIXTURES)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".json"))
        .collect();
    files.sort();
    for file in &files {
        let (status, body) = server.post(fixture(file)).await;
        assert_eq!(status, StatusCode::OK, "{file}");
        answers.push((file.as_str(), body["status"].as_str().unwrap().to_owned()));
    }
    // Sorted by name, movie_media_approved (#3) precedes movie_media_available (#3).
    let expected = [
        ("movie_issue_created.json", "ignored"),
        ("movie_media_approved.json", "accepted"),
        ("movie_media_auto_approved.json", "accepted"),
        ("movie_media_available.json", "duplicate"),
        ("movie_media_pending.json", "ignored"),
        ("test_notification.json", "ignored"),
        ("tv_media_approved.json", "accepted"),
    ];
    let answers: Vec<(&str, &str)> = answers.iter().map(|(f, s)| (*f, s.as_str())).collect();
    assert_eq!(answers, expected);

    let db = open(dir.path()).await;
    let kept: Vec<String> = sqlx::query_scalar("SELECT raw_body FROM webhooks ORDER BY id")
        .fetch_all(&db)
        .await
        .unwrap();
    let sent: Vec<String> = files
        .iter()
        .map(|f| String::from_utf8(fixture(f)).unwrap())
        .collect();
    assert_eq!(kept, sent, "every body is stored exactly as sent");
}

#[tokio::test]
async fn sigterm_stops_the_server_cleanly() {
    let dir = TempDir::new().unwrap();
    let mut server = Server::start(dir.path(), free_port()).await;
    let stopped = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "still running 10 s after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[test]
fn a_bad_setting_or_a_busy_port_stops_start_up_with_a_clear_message() {
    let dir = TempDir::new().unwrap();
    let bad_port = Command::new(env!("CARGO_BIN_EXE_linkarr"))
        .args(["serve", "--data-dir"])
        .arg(dir.path())
        .env("LINKARR_BIND", "not-an-address")
        .output()
        .unwrap();
    assert!(!bad_port.status.success());
    let stderr = String::from_utf8_lossy(&bad_port.stderr);
    assert!(
        stderr.contains("invalid value \"not-an-address\" for setting bind"),
        "{stderr}"
    );

    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let busy = Command::new(env!("CARGO_BIN_EXE_linkarr"))
        .args([
            "serve",
            "--bind",
            "127.0.0.1",
            "--port",
            &port,
            "--data-dir",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!busy.status.success());
    let stderr = String::from_utf8_lossy(&busy.stderr);
    assert!(stderr.contains(&format!("port {port}")), "{stderr}");
}

#[test]
fn release_parse_reads_one_name_a_line_and_writes_one_json_object_a_line() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_linkarr"))
        .args(["release", "parse"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // Windows line ends and bytes that are not UTF-8 are read, not refused.
    let names = b"The.Office.US.S01-S09.COMPLETE.720p.WEB-DL\n\nOppenheimer.2023.HDCAM.x264-NoGroup\r\n\xff\n";
    child.stdin.take().unwrap().write_all(names).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(
        lines.len(),
        4,
        "one answer for every line, empty and broken ones too"
    );
    assert_eq!(lines[0]["title"], "The Office");
    assert_eq!(
        lines[0]["seasons"],
        serde_json::json!([1, 2, 3, 4, 5, 6, 7, 8, 9])
    );
    assert_eq!(lines[0]["complete"], true);
    assert_eq!(lines[0]["resolution"], "720p");
    assert_eq!(lines[0]["quality"], "WEB-DL");
    assert_eq!(lines[1]["title"], "");
    assert_eq!(
        (
            lines[2]["quality"].as_str(),
            lines[2]["trash"].as_bool(),
            lines[2]["year"].as_i64()
        ),
        (Some("CAM"), Some(true), Some(2023))
    );
    assert!(
        lines[2].get("adult").is_none(),
        "false flags are left out, as PTT does"
    );
}

#[tokio::test]
async fn requests_killed_mid_pipeline_finish_after_a_restart_without_duplicates() {
    let (tmdb_url, tmdb) = crate::sim::tmdb::start().await;
    tmdb.set_delay(Duration::from_millis(1500));
    let env = [
        ("LINKARR_TMDB_URL", tmdb_url.as_str()),
        ("LINKARR_TMDB_KEY", crate::sim::tmdb::V3_KEY),
        ("LINKARR_SOURCES", "[]"),
    ];
    let dir = TempDir::new().unwrap();
    let port = free_port();
    let mut server = Server::start_with(dir.path(), port, &env).await;
    for file in [
        "movie_media_approved.json",
        "tv_media_approved.json",
        "movie_media_auto_approved.json",
    ] {
        let (status, _) = server.post(fixture(file)).await;
        assert_eq!(status, StatusCode::OK);
    }
    let db = open(dir.path()).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let busy: i64 = sqlx::query_scalar("SELECT count(*) FROM jobs WHERE state = 'running'")
            .fetch_one(&db)
            .await
            .unwrap();
        if busy > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "no job started");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.child.kill().unwrap(); // mid-step: TMDb has not answered yet
    server.child.wait().unwrap();
    drop(server);

    tmdb.set_delay(Duration::ZERO);
    let _restarted = Server::start_with(dir.path(), port, &env).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let finished: i64 = sqlx::query_scalar(
            "SELECT count(DISTINCT request_id) FROM request_events WHERE message LIKE 'Found on TMDb%'",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        if finished == 3 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{finished} of 3 requests finished after the restart"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let counts: (i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM requests), (SELECT count(*) FROM media_items),
                (SELECT count(*) FROM seasons), (SELECT count(*) FROM episodes),
                (SELECT count(*) FROM jobs WHERE state = 'done')",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    // Requests 3 and 1 are both The Matrix: one title. Breaking Bad seasons 1 and 2: 7 + 8.
    assert_eq!(
        counts,
        (3, 2, 2, 15, 3),
        "requests, titles, seasons, episodes, jobs done"
    );
}

#[tokio::test]
async fn killed_between_adding_to_real_debrid_and_selecting_files_reuses_the_same_torrent() {
    use crate::sim::realdebrid::{self, Kind, Release};
    let (tmdb_url, _tmdb) = crate::sim::tmdb::start().await;
    let (addon_url, addon) = crate::sim::stremio::start().await;
    let (rd_url, rd) = realdebrid::start().await;
    // RD takes a while to read the magnet: the kill lands before any file is selected.
    rd.set_conversion_polls(6);
    let name = "The.Matrix.1999.1080p.BluRay.x264-GRP1";
    let hash = "feed00000000000000000000000000000000beef";
    let stream = crate::sim::stremio::torrentio_stream(hash, name, None, 99, "8.2 GB");
    addon.add("tt0133093", stream);
    let file = format!("{name}/{name}.mkv");
    rd.add_release(
        hash,
        Release::new(name, Kind::Cached, &[(file.as_str(), 8_000_000_000)]),
    );
    let sources = serde_json::json!([{"name": "Torrentio", "kind": "stremio", "url": addon_url}]);
    let sources = sources.to_string();
    let env = [
        ("LINKARR_TMDB_URL", tmdb_url.as_str()),
        ("LINKARR_TMDB_KEY", crate::sim::tmdb::V3_KEY),
        ("LINKARR_SOURCES", sources.as_str()),
        ("LINKARR_REALDEBRID_URL", rd_url.as_str()),
        ("LINKARR_REALDEBRID_TOKEN", realdebrid::TOKEN),
    ];
    let dir = TempDir::new().unwrap();
    let port = free_port();
    let mut server = Server::start_with(dir.path(), port, &env).await;
    let (status, _) = server.post(fixture("movie_media_approved.json")).await;
    assert_eq!(status, StatusCode::OK);
    let deadline = Instant::now() + Duration::from_secs(10);
    while rd.adds_of(hash) == 0 {
        assert!(Instant::now() < deadline, "never added to Real-Debrid");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    drop(server);
    assert_eq!(rd.calls_to("POST", "/torrents/selectFiles"), 0);

    let _restarted = Server::start_with(dir.path(), port, &env).await;
    let db = open(dir.path()).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let state: String = sqlx::query_scalar("SELECT state FROM requests")
            .fetch_one(&db)
            .await
            .unwrap();
        if state == "ready" {
            break;
        }
        assert!(Instant::now() < deadline, "still {state} after the restart");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(rd.adds_of(hash), 1, "reused, not added again");
    assert_eq!(rd.torrents().len(), 1);
}
