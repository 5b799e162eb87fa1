//! A Torznab endpoint as Prowlarr and Jackett serve it (reference: scrapers.md §4): `t=caps`,
//! `t=movie` and `t=tvsearch` (by IMDb id when the caps say so, else by `q`), the API key as
//! `apikey`, errors as `<error code description/>` with HTTP 200, answers as RSS with
//! `torznab:attr` elements.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub const KEY: &str = "torznab-sim-key-0123456789";

/// How an item gives away its infohash.
#[derive(Clone, Copy, Debug)]
pub enum Hash {
    /// The `infohash` attr (Prowlarr, Jackett for most trackers).
    Attr,
    /// Only a magnet in `magneturl`.
    Magnet,
    /// Only a link to a .torrent file.
    TorrentFile,
}

#[derive(Clone, Debug)]
pub struct Item {
    pub title: String,
    pub hash: String,
    pub size: u64,
    pub seeders: u32,
    pub how: Hash,
}

pub struct Indexer {
    /// Items by the search they answer: "movie:tt0133093", "tvsearch:tt0903747:2", or
    /// "q:The Matrix 1999" for text searches.
    items: Mutex<HashMap<String, Vec<Item>>>,
    /// What `t=caps` lists for movie-search and tv-search.
    movie_params: Mutex<String>,
    /// Every query string, `apikey` removed.
    pub queries: Mutex<Vec<HashMap<String, String>>>,
}

impl Indexer {
    pub fn add(&self, search: &str, item: Item) {
        self.items
            .lock()
            .unwrap()
            .entry(search.to_owned())
            .or_default()
            .push(item);
    }

    /// Movie searches by title only (an indexer whose caps lack `imdbid`).
    pub fn without_imdb_movie_search(&self) {
        *self.movie_params.lock().unwrap() = "q".into();
    }

    pub fn queries(&self) -> Vec<HashMap<String, String>> {
        self.queries.lock().unwrap().clone()
    }
}

pub async fn start() -> (String, Arc<Indexer>) {
    let indexer = Arc::new(Indexer {
        items: Mutex::default(),
        movie_params: Mutex::new("q,imdbid".into()),
        queries: Mutex::default(),
    });
    let router = Router::new()
        .route("/api", get(api))
        .with_state(indexer.clone());
    let addr = super::serve(router).await;
    (format!("http://{addr}/api"), indexer)
}

async fn api(
    State(indexer): State<Arc<Indexer>>,
    Query(mut query): Query<HashMap<String, String>>,
) -> Response {
    let xml = |body: String| {
        (
            [("content-type", "application/rss+xml; charset=utf-8")],
            body,
        )
            .into_response()
    };
    if query.remove("apikey").as_deref() != Some(KEY) {
        return xml(r#"<?xml version="1.0" encoding="UTF-8"?><error code="100" description="Invalid API Key"/>"#.into());
    }
    indexer.queries.lock().unwrap().push(query.clone());
    let function = query.get("t").cloned().unwrap_or_default();
    let key = match (function.as_str(), query.get("imdbid"), query.get("q")) {
        ("caps", _, _) => return xml(caps(&indexer.movie_params.lock().unwrap())),
        ("movie", Some(imdb), _) => format!("movie:{imdb}"),
        ("tvsearch", Some(imdb), _) => format!(
            "tvsearch:{imdb}:{}",
            query.get("season").cloned().unwrap_or_default()
        ),
        ("movie" | "tvsearch" | "search", None, Some(q)) => format!("q:{q}"),
        _ => {
            return xml(r#"<?xml version="1.0" encoding="UTF-8"?><error code="201" description="Incorrect parameter"/>"#.into());
        }
    };
    let items = indexer
        .items
        .lock()
        .unwrap()
        .get(&key)
        .cloned()
        .unwrap_or_default();
    xml(feed(&items))
}

fn caps(movie_params: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<caps>
  <server title="Prowlarr"/>
  <limits default="100" max="100"/>
  <searching>
    <search available="yes" supportedParams="q"/>
    <tv-search available="yes" supportedParams="q,season,ep,imdbid,tvdbid"/>
    <movie-search available="yes" supportedParams="{movie_params}"/>
  </searching>
  <categories>
    <category id="2000" name="Movies"><subcat id="2040" name="Movies/HD"/></category>
    <category id="5000" name="TV"><subcat id="5040" name="TV/HD"/></category>
  </categories>
</caps>"#
    )
}

fn feed(items: &[Item]) -> String {
    let mut body = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:torznab="http://torznab.com/schemas/2015/feed">
<channel><title>Prowlarr</title>"#,
    );
    for item in items {
        let title = escape(&item.title);
        body.push_str(&format!(
            "<item><title>{title}</title><guid>https://tracker.example/t/{}</guid><size>{}</size>\
             <pubDate>Sat, 02 Nov 2024 10:00:00 +0000</pubDate>\
             <link>http://prowlarr.local/1/download?link=abc&amp;file={title}</link>\
             <torznab:attr name=\"category\" value=\"2040\"/><torznab:attr name=\"seeders\" value=\"{}\"/>\
             <torznab:attr name=\"peers\" value=\"{}\"/>",
            &item.hash[..8],
            item.size,
            item.seeders,
            item.seeders + 3,
        ));
        match item.how {
            Hash::Attr => body.push_str(&format!("<torznab:attr name=\"infohash\" value=\"{}\"/>", item.hash)),
            Hash::Magnet => body.push_str(&format!(
                "<torznab:attr name=\"magneturl\" value=\"magnet:?xt=urn:btih:{}&amp;dn={title}\"/>",
                item.hash.to_uppercase()
            )),
            Hash::TorrentFile => {}
        }
        body.push_str("</item>");
    }
    body.push_str("</channel></rss>");
    body
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
