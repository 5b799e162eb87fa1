//! The loopback stub TMDb and Stremio addon the headless server's work goes to, and the
//! tiny HTTP client the benchmark talks to its subjects with.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::Context;
use serde_json::{Value, json};

use crate::{MANIFEST_DIR, NAMES_PER_SEARCH};

/// A loopback stand-in for TMDb and a Stremio addon (Torrentio's answer format), so that the
/// headless server's pipeline does real work: metadata, then a search whose answer the
/// release-name parser reads. Anything else is 404.
pub(crate) struct Stub {
    pub(crate) port: u16,
    pub(crate) searches: Arc<AtomicUsize>,
}

impl Stub {
    pub(crate) fn start() -> anyhow::Result<Stub> {
        let fixtures = Path::new(MANIFEST_DIR).join("../tests/fixtures");
        let movie: Value = serde_json::from_str(&std::fs::read_to_string(
            fixtures.join("tmdb/movie_603_external_ids_release_dates.json"),
        )?)?;
        let configuration = std::fs::read_to_string(fixtures.join("tmdb/configuration.json"))?;
        let corpus: Value = serde_json::from_str(&std::fs::read_to_string(
            fixtures.join("ptt/all_tests.json"),
        )?)?;
        let names: Vec<String> = corpus
            .as_array()
            .context("the PTT corpus is a list")?
            .iter()
            .filter_map(|case| Some(case.get("title")?.as_str()?.to_owned()))
            .collect();
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let searches = Arc::new(AtomicUsize::new(0));
        let shared = Arc::new((movie, configuration, names, searches.clone()));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = shared.clone();
                std::thread::spawn(move || {
                    let (movie, configuration, names, searches) = &*shared;
                    let _ = Stub::answer(stream, movie, configuration, names, searches);
                });
            }
        });
        Ok(Stub { port, searches })
    }

    fn answer(
        mut stream: TcpStream,
        movie: &Value,
        configuration: &str,
        names: &[String],
        searches: &AtomicUsize,
    ) -> std::io::Result<()> {
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        let head = read_head(&mut stream)?;
        let target = head
            .split_whitespace()
            .nth(1)
            .unwrap_or("/")
            .split('?')
            .next()
            .unwrap_or("/")
            .to_owned();
        let body: Option<String> = if target == "/3/configuration" {
            Some(configuration.to_owned())
        } else if let Some(id) = target.strip_prefix("/3/movie/") {
            id.parse::<i64>().ok().map(|id| {
                let mut movie = movie.clone();
                movie["id"] = json!(id);
                movie["title"] = json!(format!("Footprint Movie {id}"));
                movie["original_title"] = json!(format!("Footprint Movie {id}"));
                movie["imdb_id"] = json!(format!("tt{id:07}"));
                movie.to_string()
            })
        } else if target.ends_with("/manifest.json") {
            Some(
                json!({"id": "footprint.stub", "version": "0.0.1", "name": "Stub",
                    "resources": ["stream"], "types": ["movie", "series"], "catalogs": []})
                .to_string(),
            )
        } else if target.contains("/stream/movie/") {
            let n = searches.fetch_add(1, Ordering::SeqCst);
            let streams: Vec<Value> = (0..NAMES_PER_SEARCH)
                .map(|i| {
                    let at = (n * NAMES_PER_SEARCH + i) % names.len().max(1);
                    let name = names.get(at).map_or("Nothing.2020.1080p", String::as_str);
                    let hash = format!("{:040x}", n * 100_000 + i);
                    json!({
                        "name": "Torrentio\n1080p",
                        "title": format!("{name}\n👤 {} 💾 {}.{} GB ⚙️ TorrentGalaxy", 10 + i, 1 + i % 30, i % 10),
                        "infoHash": hash,
                        "sources": [format!("dht:{hash}")],
                    })
                })
                .collect();
            Some(json!({"streams": streams, "cacheMaxAge": 3600}).to_string())
        } else {
            None
        };
        let (status, body) = match body {
            Some(body) => ("200 OK", body),
            None => (
                "404 Not Found",
                r#"{"status_code":34,"success":false}"#.to_owned(),
            ),
        };
        write!(
            stream,
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )?;
        stream.flush()
    }
}

fn read_head(stream: &mut TcpStream) -> std::io::Result<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65_536 {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}

/// One HTTP/1.1 request to the app on loopback: its status, and its body.
pub(crate) fn http(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> Option<(u16, String)> {
    let address = ([127, 0, 0, 1], port).into();
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_millis(500)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let body = body.unwrap_or("");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    let status = answer.split_whitespace().nth(1)?.parse().ok()?;
    let body = answer
        .split_once("\r\n\r\n")
        .map_or("", |(_, body)| body)
        .to_owned();
    Some((status, body))
}

pub(crate) fn answers(port: u16) -> bool {
    http(port, "GET", "/api/webhooks/test", None).is_some_and(|(status, _)| status == 200)
}
