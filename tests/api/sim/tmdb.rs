//! TMDb v3 as `reference/tmdb.md` describes it. The Matrix (603), Breaking Bad (1396) and its
//! season 1 come from the recorded fixtures; other ids are made from them, so a test (or the
//! benchmark) can ask for as many titles as it likes. Only ids listed in `MISSING` are 404.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use super::FIXTURES_ROOT;

pub const V3_KEY: &str = "0123456789abcdef0123456789abcdef";
pub const V4_TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJsaW5rYXJyIn0.c2ltdWxhdG9y";
/// Ids TMDb does not know.
pub const MISSING: i64 = 99_999_999;

/// A scripted answer: the next calls to a path get these instead of the real thing.
#[derive(Clone, Debug)]
pub enum Fault {
    RateLimited { retry_after: u64 },
    Unavailable,
}

#[derive(Default)]
pub struct Tmdb {
    faults: Mutex<HashMap<String, VecDeque<Fault>>>,
    /// Every path that always fails this way.
    outages: Mutex<HashMap<String, Fault>>,
    delay: Mutex<Duration>,
    /// (when, path) of every authorised call.
    pub calls: Mutex<Vec<(Instant, String)>>,
    /// Movies given a title of their own: id → (title, year).
    movies: Mutex<HashMap<i64, (String, u16)>>,
}

impl Tmdb {
    /// Movie `id` is called `title`, released in `year`, with a poster of its own (its path
    /// made of the title's words: `/night-of-the-living-dead-1968.jpg`), instead of the
    /// made-up title.
    #[allow(dead_code)] // Used by the browser tests, not by every test binary.
    pub fn set_movie(&self, id: i64, title: &str, year: u16) {
        let mut movies = self.movies.lock().unwrap();
        movies.insert(id, (title.to_owned(), year));
    }

    /// The next `count` calls to `path` (e.g. "/3/movie/603") fail with `fault`.
    pub fn fail_next(&self, path: &str, fault: Fault, count: usize) {
        let mut faults = self.faults.lock().unwrap();
        faults
            .entry(path.to_owned())
            .or_default()
            .extend(std::iter::repeat_n(fault, count));
    }

    /// Every call to `path` fails with `fault`.
    pub fn outage(&self, path: &str, fault: Fault) {
        self.outages.lock().unwrap().insert(path.to_owned(), fault);
    }

    /// Every answer takes this long.
    pub fn set_delay(&self, delay: Duration) {
        *self.delay.lock().unwrap() = delay;
    }

    pub fn calls_to(&self, path: &str) -> usize {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, p)| p == path)
            .count()
    }

    /// The most calls seen within any one second.
    pub fn busiest_second(&self) -> usize {
        let calls = self.calls.lock().unwrap();
        let times: Vec<Instant> = calls.iter().map(|(at, _)| *at).collect();
        (0..times.len())
            .map(|i| {
                times[i..]
                    .iter()
                    .take_while(|t| **t - times[i] < Duration::from_secs(1))
                    .count()
            })
            .max()
            .unwrap_or(0)
    }
}

/// Settings for a Linkarr on a free loopback port, keeping its data in `data_dir`, whose TMDb
/// is this simulator at `url`.
pub fn linkarr_overrides(data_dir: &std::path::Path, url: &str) -> linkarr::config::Overrides {
    use linkarr::config::SettingKey;
    let values = [
        (SettingKey::Bind, "127.0.0.1"),
        (SettingKey::Port, "0"),
        (SettingKey::TmdbUrl, url),
        (SettingKey::TmdbKey, V3_KEY),
        // No search source: the public Torrentio cannot be reached from a test.
        (SettingKey::Sources, "[]"),
    ];
    linkarr::config::Overrides {
        data_dir: Some(data_dir.to_path_buf()),
        values: values
            .into_iter()
            .map(|(key, value)| (key, value.to_owned()))
            .collect(),
    }
}

pub async fn start() -> (String, Arc<Tmdb>) {
    let tmdb = Arc::new(Tmdb::default());
    let router = Router::new()
        .route("/3/configuration", get(configuration))
        .route("/3/movie/{id}", get(movie))
        .route("/3/tv/{id}", get(show))
        .route("/3/tv/{id}/season/{number}", get(season))
        .with_state(tmdb.clone());
    let addr = super::serve(router).await;
    (format!("http://{addr}/3"), tmdb)
}

type Params = Query<HashMap<String, String>>;

async fn configuration(
    State(tmdb): State<Arc<Tmdb>>,
    headers: HeaderMap,
    query: Params,
) -> Response {
    answer(&tmdb, &headers, &query, "/3/configuration", || {
        Some(fixture("configuration.json"))
    })
    .await
}

async fn movie(
    State(tmdb): State<Arc<Tmdb>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    query: Params,
) -> Response {
    let alternative_titles = appends(&query, "alternative_titles");
    answer(&tmdb, &headers, &query, &format!("/3/movie/{id}"), || {
        (id != MISSING).then(|| {
            let mut movie = fixture("movie_603_external_ids_release_dates.json");
            if id != 603 {
                movie["id"] = json!(id);
                movie["title"] = json!(movie_title(id));
                movie["original_title"] = json!(movie_title(id));
                movie["imdb_id"] = json!(format!("tt{id:07}"));
            }
            if let Some((title, year)) = tmdb.movies.lock().unwrap().get(&id) {
                movie["title"] = json!(title);
                movie["original_title"] = json!(title);
                movie["release_date"] = json!(format!("{year}-06-01"));
                let words: Vec<String> = format!("{title} {year}")
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .filter(|word| !word.is_empty())
                    .map(str::to_ascii_lowercase)
                    .collect();
                movie["poster_path"] = json!(format!("/{}.jpg", words.join("-")));
            }
            if alternative_titles {
                movie["alternative_titles"] = json!({"titles": [
                    {"iso_3166_1": "DE", "title": "Matrix", "type": ""},
                    {"iso_3166_1": "FR", "title": "Matrix", "type": ""}
                ]});
            }
            movie
        })
    })
    .await
}

async fn show(
    State(tmdb): State<Arc<Tmdb>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    query: Params,
) -> Response {
    let alternative_titles = appends(&query, "alternative_titles");
    answer(&tmdb, &headers, &query, &format!("/3/tv/{id}"), || {
        (id != MISSING).then(|| {
            let mut show = fixture("tv_1396_external_ids.json");
            if id != 1396 {
                show["id"] = json!(id);
                show["name"] = json!(format!("Show {id}"));
            }
            if alternative_titles {
                show["alternative_titles"] =
                    json!({"id": id, "results": [{"iso_3166_1": "MX", "title": "Totalmente Bad", "type": ""}]});
            }
            show
        })
    })
    .await
}

/// Seasons 1 to 5 exist (season 1 as recorded; the others made from it); season 0 too.
async fn season(
    State(tmdb): State<Arc<Tmdb>>,
    Path((id, number)): Path<(i64, u32)>,
    headers: HeaderMap,
    query: Params,
) -> Response {
    answer(
        &tmdb,
        &headers,
        &query,
        &format!("/3/tv/{id}/season/{number}"),
        || {
            (id != MISSING && number <= 5).then(|| {
                let mut season = fixture("tv_1396_season_1.json");
                season["season_number"] = json!(number);
                season["name"] = json!(format!("Season {number}"));
                if let Some(episodes) = season["episodes"].as_array_mut() {
                    // Season n has 6 + n episodes: 7 in season 1 (as recorded), 8 in season 2, …
                    episodes.truncate(6);
                    let template = episodes[0].clone();
                    for n in 6..(6 + number as usize) {
                        let mut episode = template.clone();
                        episode["episode_number"] = json!(n + 1);
                        episodes.push(episode);
                    }
                    for (index, episode) in episodes.iter_mut().enumerate() {
                        episode["episode_number"] = json!(index + 1);
                        episode["season_number"] = json!(number);
                    }
                }
                season
            })
        },
    )
    .await
}

/// Checks the credential (401 as TMDb words it), plays any scripted fault, then answers.
async fn answer(
    tmdb: &Tmdb,
    headers: &HeaderMap,
    query: &Params,
    path: &str,
    body: impl FnOnce() -> Option<Value>,
) -> Response {
    let bearer = headers.get("authorization").and_then(|v| v.to_str().ok());
    let authorised = match (query.get("api_key"), bearer) {
        (Some(key), None) => key == V3_KEY,
        (None, Some(bearer)) => bearer == format!("Bearer {V4_TOKEN}"),
        _ => false,
    };
    if !authorised {
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(fixture("error_401_invalid_api_key.json")),
        )
            .into_response();
    }
    tmdb.calls
        .lock()
        .unwrap()
        .push((Instant::now(), path.to_owned()));
    let delay = *tmdb.delay.lock().unwrap();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let scripted = tmdb
        .faults
        .lock()
        .unwrap()
        .get_mut(path)
        .and_then(VecDeque::pop_front);
    let fault = scripted.or_else(|| tmdb.outages.lock().unwrap().get(path).cloned());
    match fault {
        Some(Fault::RateLimited { retry_after }) => {
            let body = json!({"success": false, "status_code": 25,
                "status_message": "Your request count (41) is over the allowed limit of (40)."});
            (
                StatusCode::TOO_MANY_REQUESTS,
                [("retry-after", retry_after.to_string())],
                axum::Json(body),
            )
                .into_response()
        }
        // Edge layers answer outages with their own page, not TMDb's JSON.
        Some(Fault::Unavailable) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "<html>503 Service Unavailable</html>",
        )
            .into_response(),
        None => match body() {
            Some(body) => axum::Json(body).into_response(),
            None => (
                StatusCode::NOT_FOUND,
                axum::Json(fixture("error_404_not_found.json")),
            )
                .into_response(),
        },
    }
}

/// The title of movie `id` (other than 603): its number in letters ("Movie Lkyg"), so that
/// release names made from it read as a real title's would (digits would read as a year).
pub fn movie_title(id: i64) -> String {
    let mut letters = Vec::new();
    let mut rest = id;
    while rest > 0 {
        letters.push(b'a' + (rest % 26) as u8);
        rest /= 26;
    }
    letters.reverse();
    if let Some(first) = letters.first_mut() {
        first.make_ascii_uppercase();
    }
    format!("Movie {}", String::from_utf8(letters).unwrap())
}

/// Whether `append_to_response` (comma-separated) asks for `part`.
fn appends(query: &Params, part: &str) -> bool {
    query
        .get("append_to_response")
        .is_some_and(|list| list.split(',').any(|asked| asked == part))
}

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(format!("{FIXTURES_ROOT}/tmdb/{name}")).unwrap();
    serde_json::from_str(&text).unwrap()
}
