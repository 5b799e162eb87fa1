//! Zilean's `GET /dmm/filtered` (reference: scrapers.md §5): records with PTT's fields, the
//! size as a string, no seeders; parameters case-insensitive.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

/// (raw title, infohash, size).
type Record = (String, String, u64);

#[derive(Default)]
pub struct Zilean {
    /// Records by lower-case query text.
    records: Mutex<HashMap<String, Vec<Record>>>,
    garbage: Mutex<bool>,
}

impl Zilean {
    pub fn add(&self, query: &str, title: &str, hash: &str, size: u64) {
        self.records
            .lock()
            .unwrap()
            .entry(query.to_lowercase())
            .or_default()
            .push((title.into(), hash.into(), size));
    }

    /// Answers with a broken body, as a half-started instance does.
    pub fn break_down(&self) {
        *self.garbage.lock().unwrap() = true;
    }
}

pub async fn start() -> (String, Arc<Zilean>) {
    let zilean = Arc::new(Zilean::default());
    let router = Router::new()
        .route("/dmm/filtered", get(filtered))
        .with_state(zilean.clone());
    let addr = super::serve(router).await;
    (format!("http://{addr}"), zilean)
}

async fn filtered(
    State(zilean): State<Arc<Zilean>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if *zilean.garbage.lock().unwrap() {
        return (StatusCode::OK, "[{\"raw_title\": \"The.Matr").into_response();
    }
    let text = query
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("query"))
        .map(|(_, value)| value.to_lowercase())
        .unwrap_or_default();
    let records = zilean
        .records
        .lock()
        .unwrap()
        .get(&text)
        .cloned()
        .unwrap_or_default();
    let body: Vec<Value> = records
        .into_iter()
        .map(|(title, hash, size)| {
            json!({"raw_title": title, "info_hash": hash, "size": size.to_string(),
                   "parsed_title": "", "resolution": "", "seasons": [], "episodes": [],
                   "languages": [], "imdb_id": null, "category": "movie"})
        })
        .collect();
    axum::Json(body).into_response()
}
