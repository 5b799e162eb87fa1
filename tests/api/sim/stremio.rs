//! A Stremio stream addon as Torrentio serves it (reference: scrapers.md §1–2): the manifest,
//! `/stream/movie/{imdb}.json` and `/stream/series/{imdb}:{season}:{episode}.json`, titles as
//! lines (`name`, maybe the file, then `👤 seeders 💾 size ⚙️ site`), an empty list with a short
//! cache age for ids it has nothing for, 404 for ids that are not IMDb ids.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

#[derive(Clone, Debug, Default)]
pub enum Behaviour {
    #[default]
    Normal,
    /// Every answer takes this long.
    Slow(Duration),
    /// Cloudflare's challenge page instead of JSON.
    Garbage,
    /// The addon's own rate limit (express-rate-limit).
    RateLimited,
}

#[derive(Default)]
pub struct Addon {
    streams: Mutex<HashMap<String, Vec<Value>>>,
    behaviour: Mutex<Behaviour>,
    /// Every stream id asked for ("tt0133093", "tt0903747:2:3").
    pub asked: Mutex<Vec<String>>,
}

impl Addon {
    /// Torrentio's answer for `id` gains a stream for this torrent.
    pub fn add(&self, id: &str, stream: Value) {
        let mut streams = self.streams.lock().unwrap();
        streams.entry(id.to_owned()).or_default().push(stream);
    }

    pub fn behave(&self, behaviour: Behaviour) {
        *self.behaviour.lock().unwrap() = behaviour;
    }

    pub fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }
}

/// A stream as Torrentio writes it: `title` is the torrent's name, the file's when it is a pack,
/// then the details line; the size in base 1024 as Torrentio prints it ("18.7 GB").
pub fn torrentio_stream(
    hash: &str,
    name: &str,
    file: Option<&str>,
    seeders: u32,
    size: &str,
) -> Value {
    let mut title = name.to_owned();
    if let Some(file) = file {
        title.push('\n');
        title.push_str(file);
    }
    title.push_str(&format!("\n👤 {seeders} 💾 {size} ⚙️ TorrentGalaxy"));
    let mut stream = json!({
        "name": "Torrentio\n1080p",
        "title": title,
        "infoHash": hash,
        "sources": [format!("dht:{hash}")],
    });
    if let Some(file) = file {
        stream["fileIdx"] = json!(3);
        stream["behaviorHints"] =
            json!({"bingeGroup": format!("torrentio|{hash}"), "filename": file});
    }
    stream
}

pub async fn start() -> (String, Arc<Addon>) {
    let addon = Arc::new(Addon::default());
    let router = Router::new()
        .route("/manifest.json", get(manifest))
        .route("/stream/{kind}/{id}", get(streams))
        .with_state(addon.clone());
    let addr = super::serve(router).await;
    (format!("http://{addr}"), addon)
}

async fn manifest() -> Response {
    axum::Json(json!({
        "id": "com.stremio.torrentio.addon", "version": "0.0.15", "name": "Torrentio",
        "description": "Provides torrent streams", "catalogs": [],
        "resources": [{"name": "stream", "types": ["movie", "series"], "idPrefixes": ["tt", "kitsu"]}],
        "types": ["movie", "series"], "behaviorHints": {"configurable": true, "configurationRequired": false}
    }))
    .into_response()
}

async fn streams(
    State(addon): State<Arc<Addon>>,
    Path((kind, file)): Path<(String, String)>,
) -> Response {
    let Some(id) = file.strip_suffix(".json") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let valid = match kind.as_str() {
        "movie" => is_imdb(id),
        "series" => {
            let parts: Vec<&str> = id.split(':').collect();
            parts.len() == 3
                && is_imdb(parts[0])
                && parts[1..].iter().all(|p| p.parse::<u32>().is_ok())
        }
        _ => false,
    };
    if !valid {
        return StatusCode::NOT_FOUND.into_response();
    }
    addon.asked.lock().unwrap().push(id.to_owned());
    let behaviour = addon.behaviour.lock().unwrap().clone();
    match behaviour {
        Behaviour::Normal => {}
        Behaviour::Slow(delay) => tokio::time::sleep(delay).await,
        Behaviour::Garbage => {
            return (
                StatusCode::OK,
                "<!DOCTYPE html><title>Just a moment...</title>",
            )
                .into_response();
        }
        Behaviour::RateLimited => {
            return (
                StatusCode::TOO_MANY_REQUESTS,
                "Too many requests, please try again later.",
            )
                .into_response();
        }
    }
    let streams = addon
        .streams
        .lock()
        .unwrap()
        .get(id)
        .cloned()
        .unwrap_or_default();
    let cache = if streams.is_empty() { 60 } else { 3600 };
    axum::Json(json!({"streams": streams, "cacheMaxAge": cache, "staleRevalidate": 14400, "staleError": 604800}))
        .into_response()
}

fn is_imdb(id: &str) -> bool {
    id.strip_prefix("tt")
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}
