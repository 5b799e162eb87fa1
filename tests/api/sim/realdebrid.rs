//! Real-Debrid's REST API (`/rest/1.0`) as `reference/realdebrid.md` describes it: Bearer (or
//! `?auth_token=`) auth, errors as `{"error", "error_code"}` with the statuses of §4, the torrent
//! endpoints of §5 with the status values of §6, `links[]` as §7 lays them out (one per selected
//! file in `files` order; ONE for several files when RD packed them into a RAR), the
//! ten-slot active limit (509/21), 250 requests per rolling minute with refused calls counted
//! (429/34), and `unrestrict/link` handing out `download` URLs this simulator serves itself
//! under `/d/{id}/{filename}` (no auth, outside `/rest/1.0`, as RD's download hosts are).
//!
//! Time is counted in `info` polls, not seconds, so tests are deterministic and fast: only
//! `GET /torrents/info/{id}` moves a torrent on (the list, `activeCount` and `torrents()` show
//! where it is without moving it). What each `Kind` does poll by poll is on `Kind`.

// Not every knob is used by every test binary.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

pub const TOKEN: &str = "RDSIMTOKEN0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/// The documented budget: 250 requests per minute, refused ones included.
pub const RATE_LIMIT: usize = 250;
/// Active torrents allowed at once (`activeCount.limit`) unless a test says otherwise.
pub const ACTIVE_LIMIT: usize = 10;
/// `info` polls a magnet spends in `magnet_conversion` unless a test says otherwise.
pub const CONVERSION_POLLS: u32 = 2;
/// `info` polls a `Dead` torrent spends `downloading` after selectFiles before it is `dead`.
pub const DEAD_AFTER_POLLS: u32 = 2;

const API: &str = "/rest/1.0";
/// The statuses that hold an active slot (§6: everything still in progress).
const ACTIVE: [&str; 6] = [
    "magnet_conversion",
    "waiting_files_selection",
    "queued",
    "downloading",
    "compressing",
    "uploading",
];

/// How a release behaves once added. A known hash answers its first `CONVERSION_POLLS` `info`
/// polls (knob: `set_conversion_polls`) with `magnet_conversion` and no files; after that:
#[derive(Clone, Debug)]
pub enum Kind {
    /// `waiting_files_selection`; right after selectFiles `downloaded`, one link per selected file.
    Cached,
    /// `waiting_files_selection`; after selectFiles the next `polls_to_finish` polls are
    /// unfinished (the first `queued`, then `downloading` with progress, speed and seeders
    /// rising), the one after is `downloaded`. 0 behaves as `Cached`.
    Uncached { polls_to_finish: u32 },
    /// `waiting_files_selection`; after selectFiles `downloading` (stuck at 1 %, seeders
    /// dwindling) for `DEAD_AFTER_POLLS` polls, then `dead`.
    Dead,
    /// `magnet_error` instead of `waiting_files_selection`.
    MagnetError,
    /// `waiting_files_selection`; `virus` right after selectFiles.
    Virus,
    /// As `Cached`, but several selected files come back as ONE link to `{name}.rar` (§7).
    Packed,
    /// Stays in `magnet_conversion` for ever; unknown hashes behave like this.
    NeverResolves,
}

/// A torrent RD can resolve: `files` are (path, bytes), in the torrent's order; paths get a
/// leading "/" if they lack one.
#[derive(Clone, Debug)]
pub struct Release {
    pub name: String,
    pub files: Vec<(String, u64)>,
    pub kind: Kind,
}

impl Release {
    pub fn new(name: &str, kind: Kind, files: &[(&str, u64)]) -> Self {
        let files = files
            .iter()
            .map(|(path, bytes)| ((*path).to_owned(), *bytes))
            .collect();
        Release {
            name: name.to_owned(),
            files,
            kind,
        }
    }
}

/// A scripted answer: the next calls under a path get this instead of the real thing.
#[derive(Clone, Debug)]
pub enum Fault {
    /// 429 `too_many_requests`/34.
    RateLimited,
    /// 503 `service_unavailable`/25.
    Unavailable,
    /// The call is answered normally, this much later.
    Slow(Duration),
    /// 509 `too_many_active_downloads`/21.
    SlotsFull,
}

/// What `GET /user` says and what the account may do.
#[derive(Clone, Debug)]
pub enum Account {
    Premium {
        days_left: u64,
    },
    /// Premium ran out: `/user` answers (`type: "free"`, `premium: 0`, expiration in the past),
    /// everything else is 403 `permission_denied`/9.
    Expired,
    /// Every call, `/user` included, is 403 `account_locked`/14.
    Locked,
}

impl Default for Account {
    fn default() -> Self {
        Account::Premium { days_left: 30 }
    }
}

/// A torrent in the account, as `torrents()` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Torrent {
    pub id: String,
    pub hash: String,
    pub status: &'static str,
}

/// One `links[]` entry and the file (or RAR) behind it.
#[derive(Clone, Debug)]
struct Link {
    id: String,
    url: String,
    filename: String,
    bytes: u64,
}

#[derive(Debug)]
struct Entry {
    id: String,
    hash: String,
    /// The magnet's `dn`, else the hash: the name shown until the metadata is known.
    label: String,
    release: Option<Release>,
    added: SystemTime,
    ended: Option<SystemTime>,
    /// `info` polls before selectFiles, and since.
    polls: u32,
    polls_after: u32,
    /// Indexes into the release's files.
    selected: Option<Vec<usize>>,
    status: &'static str,
    links: Vec<Link>,
}

struct Download {
    filename: String,
    expired: bool,
}

#[derive(Default)]
pub struct RealDebrid {
    releases: Mutex<HashMap<String, Release>>,
    filtered: Mutex<HashSet<String>>,
    torrents: Mutex<Vec<Entry>>,
    downloads: Mutex<HashMap<String, Download>>,
    /// Link ids that unrestrict as `unavailable_file`.
    dead_links: Mutex<HashSet<String>>,
    faults: Mutex<Vec<(String, Fault)>>,
    account: Mutex<Account>,
    active_limit: Mutex<usize>,
    conversion_polls: Mutex<u32>,
    long_link_ids: Mutex<bool>,
    /// (limit, window) and the time of every call inside the window.
    rate: Mutex<(usize, Duration)>,
    hits: Mutex<VecDeque<Instant>>,
    next_id: Mutex<u64>,
    origin: Mutex<String>,
    /// (when, method, path below `/rest/1.0`) of every API call, refused ones included.
    pub calls: Mutex<Vec<(Instant, String, String)>>,
    /// The hash of every addMagnet that got past the rate limit, auth and faults.
    pub adds: Mutex<Vec<String>>,
    /// The path of every `/d/…` fetch.
    pub fetched: Mutex<Vec<String>>,
}

// ---------------------------------------------------------------------------------------------
// Knobs
// ---------------------------------------------------------------------------------------------

impl RealDebrid {
    /// RD knows this torrent (hash: 40 hex digits, any case).
    pub fn add_release(&self, hash: &str, release: Release) {
        let mut release = release;
        for (path, _) in &mut release.files {
            if !path.starts_with('/') {
                path.insert(0, '/');
            }
        }
        let mut releases = self.releases.lock().unwrap();
        releases.insert(hash.to_ascii_lowercase(), release);
    }

    /// addMagnet with this hash is 451 `infringing_file`/35, and so is unrestricting the
    /// links of torrents already added with it.
    pub fn filter(&self, hash: &str) {
        self.filtered
            .lock()
            .unwrap()
            .insert(hash.to_ascii_lowercase());
    }

    /// The next `count` calls whose path (below `/rest/1.0`, e.g. "/torrents/addMagnet")
    /// starts with `path_prefix` get `fault`.
    pub fn fail_next(&self, path_prefix: &str, fault: Fault, count: usize) {
        let mut faults = self.faults.lock().unwrap();
        faults.extend(std::iter::repeat_n((path_prefix.to_owned(), fault), count));
    }

    pub fn set_account(&self, account: Account) {
        *self.account.lock().unwrap() = account;
    }

    /// `activeCount.limit`: addMagnet is 509/21 while this many torrents are active.
    pub fn set_active_limit(&self, limit: usize) {
        *self.active_limit.lock().unwrap() = limit;
    }

    /// At most `limit` calls per rolling `window` (refused ones counted), then 429/34.
    pub fn set_rate_limit(&self, limit: usize, window: Duration) {
        *self.rate.lock().unwrap() = (limit, window);
    }

    /// `info` polls a known magnet spends in `magnet_conversion` (0: resolved on arrival, so
    /// selectFiles works straight after addMagnet).
    pub fn set_conversion_polls(&self, polls: u32) {
        *self.conversion_polls.lock().unwrap() = polls;
    }

    /// Links made from now on carry a 16-character id (§7: clients truncate to 13; unrestrict
    /// accepts both).
    pub fn set_long_link_ids(&self, long: bool) {
        *self.long_link_ids.lock().unwrap() = long;
    }

    /// Unrestricting this link (full URL or id) is 503 `unavailable_file`/24 from now on.
    pub fn kill_link(&self, link: &str) {
        let id = link_id(link).unwrap_or(link).to_owned();
        self.dead_links.lock().unwrap().insert(id);
    }

    /// Every link of every torrent in the account with this hash, as `kill_link`.
    pub fn kill_links_of(&self, hash: &str) {
        for link in self.links_of(hash) {
            self.kill_link(&link);
        }
    }

    /// Every `download` URL handed out so far is 404 from now on; new unrestricts work.
    pub fn expire_downloads(&self) {
        for download in self.downloads.lock().unwrap().values_mut() {
            download.expired = true;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Inspection
// ---------------------------------------------------------------------------------------------

impl RealDebrid {
    pub fn calls(&self) -> Vec<(Instant, String, String)> {
        self.calls.lock().unwrap().clone()
    }

    /// API calls with this method whose path (below `/rest/1.0`) starts with `path_prefix`.
    pub fn calls_to(&self, method: &str, path_prefix: &str) -> usize {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, m, p)| m == method && p.starts_with(path_prefix))
            .count()
    }

    /// The most API calls seen within any 60 seconds.
    pub fn busiest_minute(&self) -> usize {
        let calls = self.calls.lock().unwrap();
        let times: Vec<Instant> = calls.iter().map(|(at, _, _)| *at).collect();
        (0..times.len())
            .map(|i| {
                times[i..]
                    .iter()
                    .take_while(|t| **t - times[i] < Duration::from_secs(60))
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    /// What is in the account now, oldest first.
    pub fn torrents(&self) -> Vec<Torrent> {
        let torrents = self.torrents.lock().unwrap();
        torrents
            .iter()
            .map(|t| Torrent {
                id: t.id.clone(),
                hash: t.hash.clone(),
                status: t.status,
            })
            .collect()
    }

    /// addMagnet calls naming this hash that RD looked at (created, 451, 509 alike).
    pub fn adds_of(&self, hash: &str) -> usize {
        let hash = hash.to_ascii_lowercase();
        self.adds
            .lock()
            .unwrap()
            .iter()
            .filter(|h| **h == hash)
            .count()
    }

    /// The `links[]` of the torrents in the account with this hash.
    pub fn links_of(&self, hash: &str) -> Vec<String> {
        let hash = hash.to_ascii_lowercase();
        let torrents = self.torrents.lock().unwrap();
        torrents
            .iter()
            .filter(|t| t.hash == hash)
            .flat_map(|t| t.links.iter().map(|l| l.url.clone()))
            .collect()
    }

    pub fn fetched(&self) -> Vec<String> {
        self.fetched.lock().unwrap().clone()
    }
}

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------

/// The API's base URL (ending in `/rest/1.0`) and the knobs.
pub async fn start() -> (String, Arc<RealDebrid>) {
    let rd = Arc::new(RealDebrid {
        active_limit: Mutex::new(ACTIVE_LIMIT),
        conversion_polls: Mutex::new(CONVERSION_POLLS),
        rate: Mutex::new((RATE_LIMIT, Duration::from_secs(60))),
        ..RealDebrid::default()
    });
    let router = Router::new()
        .route("/rest/1.0/time", get(time))
        .route("/rest/1.0/time/iso", get(time_iso))
        .route("/rest/1.0/user", get(user))
        .route("/rest/1.0/torrents", get(list))
        .route("/rest/1.0/torrents/activeCount", get(active_count))
        .route("/rest/1.0/torrents/addMagnet", post(add_magnet))
        .route("/rest/1.0/torrents/info/{id}", get(info))
        .route("/rest/1.0/torrents/selectFiles/{id}", post(select_files))
        .route("/rest/1.0/torrents/delete/{id}", delete(remove))
        .route(
            "/rest/1.0/torrents/instantAvailability/{*hashes}",
            get(|| async { error(StatusCode::FORBIDDEN, "disabled_endpoint", 37) }),
        )
        .route("/rest/1.0/unrestrict/link", post(unrestrict))
        .route("/d/{id}/{filename}", get(fetch))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "unknown_method", 3) })
        .method_not_allowed_fallback(|| async {
            error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", 4)
        })
        .layer(middleware::from_fn_with_state(rd.clone(), gate))
        .with_state(rd.clone());
    let addr = super::serve(router).await;
    *rd.origin.lock().unwrap() = format!("http://{addr}");
    (format!("http://{addr}{API}"), rd)
}

fn error(status: StatusCode, error: &str, code: i32) -> Response {
    (status, Json(json!({"error": error, "error_code": code}))).into_response()
}

/// Every API call: recorded, counted against the rate limit (refused ones too), then auth,
/// the account's standing and any scripted fault, before the handler sees it.
async fn gate(State(rd): State<Arc<RealDebrid>>, request: Request, next: Next) -> Response {
    let Some(path) = request.uri().path().strip_prefix(API).map(str::to_owned) else {
        return next.run(request).await; // the download host
    };
    let now = Instant::now();
    let method = request.method().to_string();
    rd.calls.lock().unwrap().push((now, method, path.clone()));
    let over = {
        let (limit, window) = *rd.rate.lock().unwrap();
        let mut hits = rd.hits.lock().unwrap();
        while hits.front().is_some_and(|at| now - *at >= window) {
            hits.pop_front();
        }
        hits.push_back(now);
        hits.len() > limit
    };
    if over {
        return error(StatusCode::TOO_MANY_REQUESTS, "too_many_requests", 34);
    }
    if path.starts_with("/time") {
        return next.run(request).await;
    }
    if !authorised(request.headers(), request.uri().query()) {
        return error(StatusCode::UNAUTHORIZED, "bad_token", 8);
    }
    match *rd.account.lock().unwrap() {
        Account::Premium { .. } => {}
        Account::Expired if path == "/user" => {}
        Account::Expired => return error(StatusCode::FORBIDDEN, "permission_denied", 9),
        Account::Locked => return error(StatusCode::FORBIDDEN, "account_locked", 14),
    }
    let fault = {
        let mut faults = rd.faults.lock().unwrap();
        let at = faults
            .iter()
            .position(|(prefix, _)| path.starts_with(prefix));
        at.map(|at| faults.remove(at).1)
    };
    match fault {
        None => {}
        Some(Fault::RateLimited) => {
            return error(StatusCode::TOO_MANY_REQUESTS, "too_many_requests", 34);
        }
        Some(Fault::Unavailable) => {
            return error(StatusCode::SERVICE_UNAVAILABLE, "service_unavailable", 25);
        }
        Some(Fault::SlotsFull) => return slots_full(),
        Some(Fault::Slow(delay)) => tokio::time::sleep(delay).await,
    }
    next.run(request).await
}

fn authorised(headers: &HeaderMap, query: Option<&str>) -> bool {
    let bearer = headers.get("authorization").and_then(|v| v.to_str().ok());
    let param = query
        .unwrap_or_default()
        .split('&')
        .find_map(|pair| pair.strip_prefix("auth_token="));
    bearer == Some(&format!("Bearer {TOKEN}")) || param == Some(TOKEN)
}

fn slots_full() -> Response {
    error(
        StatusCode::from_u16(509).unwrap(),
        "too_many_active_downloads",
        21,
    )
}

// ---------------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------------

type Params = Query<HashMap<String, String>>;
type Fields = Result<Form<HashMap<String, String>>, FormRejection>;

fn field(fields: Fields, name: &str) -> Option<String> {
    fields.ok().and_then(|Form(mut f)| f.remove(name))
}

async fn time() -> String {
    json_date(SystemTime::now())[..19].replace('T', " ")
}

async fn time_iso() -> String {
    format!("{}+0000", &json_date(SystemTime::now())[..19])
}

async fn user(State(rd): State<Arc<RealDebrid>>) -> Response {
    let now = SystemTime::now();
    let (kind, premium, expiration) = match *rd.account.lock().unwrap() {
        Account::Premium { days_left } => ("premium", days_left * 86_400, now + days(days_left)),
        _ => ("free", 0, now - days(2)),
    };
    Json(json!({
        "id": 4242, "username": "linkarr-sim", "email": "lin*****@example.com",
        "points": 1000, "locale": "en",
        "avatar": "https://fcdn.real-debrid.com/images/forum/empty.png",
        "type": kind, "premium": premium, "expiration": json_date(expiration),
    }))
    .into_response()
}

/// Newest first; `page` wins over `offset`; 204 for an empty page.
async fn list(State(rd): State<Arc<RealDebrid>>, Query(query): Params) -> Response {
    let number = |key: &str| query.get(key).and_then(|v| v.parse::<usize>().ok());
    let limit = number("limit").unwrap_or(100).min(5000);
    let offset = match number("page") {
        Some(page) => page.saturating_sub(1) * limit,
        None => number("offset").unwrap_or(0),
    };
    let active_only = query.get("filter").is_some_and(|f| f == "active");
    let torrents = rd.torrents.lock().unwrap();
    let matching: Vec<&Entry> = torrents
        .iter()
        .rev()
        .filter(|t| !active_only || ACTIVE.contains(&t.status))
        .collect();
    let total = [("x-total-count", matching.len().to_string())];
    let page: Vec<Value> = matching
        .iter()
        .skip(offset)
        .take(limit)
        .map(|t| t.json(false))
        .collect();
    if page.is_empty() {
        return (StatusCode::NO_CONTENT, total).into_response();
    }
    (total, Json(page)).into_response()
}

async fn active_count(State(rd): State<Arc<RealDebrid>>) -> Response {
    let nb = rd.active();
    let limit = *rd.active_limit.lock().unwrap();
    Json(json!({"nb": nb, "limit": limit})).into_response()
}

async fn add_magnet(State(rd): State<Arc<RealDebrid>>, fields: Fields) -> Response {
    let Some(magnet) = field(fields, "magnet") else {
        return error(StatusCode::BAD_REQUEST, "parameter_missing", 1);
    };
    let Some((hash, label)) = parse_magnet(&magnet) else {
        return error(StatusCode::BAD_REQUEST, "parameter_invalid", 2);
    };
    rd.adds.lock().unwrap().push(hash.clone());
    if rd.filtered.lock().unwrap().contains(&hash) {
        return infringing();
    }
    let limit = *rd.active_limit.lock().unwrap();
    let mut torrents = rd.torrents.lock().unwrap();
    if torrents
        .iter()
        .filter(|t| ACTIVE.contains(&t.status))
        .count()
        >= limit
    {
        return slots_full();
    }
    let id = rd.mint();
    let release = rd.releases.lock().unwrap().get(&hash).cloned();
    torrents.push(Entry {
        id: id.clone(),
        label: label.unwrap_or_else(|| hash.clone()),
        hash,
        release,
        added: SystemTime::now(),
        ended: None,
        polls: 0,
        polls_after: 0,
        selected: None,
        status: "magnet_conversion",
        links: Vec::new(),
    });
    let uri = format!("{}{API}/torrents/info/{id}", rd.origin.lock().unwrap());
    (StatusCode::CREATED, Json(json!({"id": id, "uri": uri}))).into_response()
}

/// Each call is one poll: the torrent moves on, then is shown.
async fn info(State(rd): State<Arc<RealDebrid>>, Path(id): Path<String>) -> Response {
    let conversion = *rd.conversion_polls.lock().unwrap();
    let mut torrents = rd.torrents.lock().unwrap();
    let Some(torrent) = torrents.iter_mut().find(|t| t.id == id) else {
        return unknown();
    };
    if torrent.selected.is_some() {
        torrent.polls_after += 1;
    } else {
        torrent.polls += 1;
    }
    rd.settle(torrent, conversion);
    Json(torrent.json(true)).into_response()
}

/// 204 while `waiting_files_selection`, 202 once files were selected, 404 before the files
/// are known or for file ids the torrent does not have.
async fn select_files(
    State(rd): State<Arc<RealDebrid>>,
    Path(id): Path<String>,
    fields: Fields,
) -> Response {
    let Some(wanted) = field(fields, "files") else {
        return error(StatusCode::BAD_REQUEST, "parameter_missing", 1);
    };
    let conversion = *rd.conversion_polls.lock().unwrap();
    let mut torrents = rd.torrents.lock().unwrap();
    let Some(torrent) = torrents.iter_mut().find(|t| t.id == id) else {
        return unknown();
    };
    if torrent.selected.is_some() {
        return StatusCode::ACCEPTED.into_response();
    }
    let (Some(release), "waiting_files_selection") = (&torrent.release, torrent.status) else {
        return unknown();
    };
    let count = release.files.len();
    let chosen: Vec<usize> = if wanted.trim() == "all" {
        (0..count).collect()
    } else {
        let ids: Result<Vec<usize>, _> = wanted.split(',').map(|s| s.trim().parse()).collect();
        match ids {
            Ok(ids) if !ids.is_empty() => ids,
            _ => return error(StatusCode::BAD_REQUEST, "parameter_invalid", 2),
        }
        .into_iter()
        .map(|id| id.wrapping_sub(1))
        .collect()
    };
    if chosen.iter().any(|&index| index >= count) {
        return unknown();
    }
    torrent.selected = Some(chosen);
    rd.settle(torrent, conversion);
    StatusCode::NO_CONTENT.into_response()
}

async fn remove(State(rd): State<Arc<RealDebrid>>, Path(id): Path<String>) -> Response {
    let mut torrents = rd.torrents.lock().unwrap();
    let before = torrents.len();
    torrents.retain(|t| t.id != id);
    if torrents.len() == before {
        return unknown();
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn unrestrict(State(rd): State<Arc<RealDebrid>>, fields: Fields) -> Response {
    let Some(link) = field(fields, "link") else {
        return error(StatusCode::BAD_REQUEST, "parameter_missing", 1);
    };
    let Some(id) = link_id(&link) else {
        return error(StatusCode::SERVICE_UNAVAILABLE, "hoster_unsupported", 16);
    };
    let found = {
        let torrents = rd.torrents.lock().unwrap();
        torrents.iter().find_map(|t| {
            let target = t.links.iter().find(|l| l.id == id)?;
            Some((t.hash.clone(), target.clone()))
        })
    };
    let Some((hash, target)) = found else {
        return unavailable_file(); // never made, or its torrent was deleted
    };
    if rd.filtered.lock().unwrap().contains(&hash) {
        return infringing();
    }
    if rd.dead_links.lock().unwrap().contains(id) {
        return unavailable_file();
    }
    let download_id = rd.mint();
    let download = format!(
        "{}/d/{download_id}/{}",
        rd.origin.lock().unwrap(),
        escape(&target.filename)
    );
    let mime = mime_type(&target.filename);
    rd.downloads.lock().unwrap().insert(
        download_id.clone(),
        Download {
            filename: target.filename.clone(),
            expired: false,
        },
    );
    Json(json!({
        "id": download_id, "filename": target.filename, "mimeType": mime,
        "filesize": target.bytes, "link": link, "host": "real-debrid.com",
        "chunks": 32, "crc": 1, "download": download,
        "streamable": i32::from(mime.starts_with("video/")),
    }))
    .into_response()
}

/// The download host: a few bytes of "video" for a live download id, 404 once expired.
async fn fetch(
    State(rd): State<Arc<RealDebrid>>,
    Path((id, filename)): Path<(String, String)>,
) -> Response {
    rd.fetched
        .lock()
        .unwrap()
        .push(format!("/d/{id}/{filename}"));
    let downloads = rd.downloads.lock().unwrap();
    match downloads.get(&id) {
        Some(download) if !download.expired => {
            let mime = mime_type(&download.filename);
            (
                [("content-type", mime)],
                b"\x1aE\xdf\xa3 linkarr sim".to_vec(),
            )
                .into_response()
        }
        _ => (StatusCode::NOT_FOUND, "Not Found").into_response(),
    }
}

fn infringing() -> Response {
    error(StatusCode::from_u16(451).unwrap(), "infringing_file", 35)
}

fn unknown() -> Response {
    error(StatusCode::NOT_FOUND, "unknown_ressource", 7)
}

fn unavailable_file() -> Response {
    error(StatusCode::SERVICE_UNAVAILABLE, "unavailable_file", 24)
}

// ---------------------------------------------------------------------------------------------
// Torrent life
// ---------------------------------------------------------------------------------------------

impl RealDebrid {
    fn active(&self) -> usize {
        let torrents = self.torrents.lock().unwrap();
        torrents
            .iter()
            .filter(|t| ACTIVE.contains(&t.status))
            .count()
    }

    /// A fresh 13-character id in RD's alphabet (upper-case base32).
    fn mint(&self) -> String {
        let mut next = self.next_id.lock().unwrap();
        *next += 1;
        let mut x = next.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5EED_F11A_CA44;
        let mut id = String::with_capacity(13);
        for _ in 0..13 {
            id.push(char::from(
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[(x & 31) as usize],
            ));
            x >>= 5;
        }
        id
    }

    /// Sets the status the poll counts call for; mints the links on reaching `downloaded`.
    fn settle(&self, torrent: &mut Entry, conversion_polls: u32) {
        let kind = torrent
            .release
            .as_ref()
            .map_or(Kind::NeverResolves, |r| r.kind.clone());
        torrent.status = match (&torrent.selected, kind) {
            (None, Kind::NeverResolves) => "magnet_conversion",
            (None, _) if torrent.polls <= conversion_polls => "magnet_conversion",
            (None, Kind::MagnetError) => "magnet_error",
            (None, _) => "waiting_files_selection",
            (Some(_), Kind::Uncached { polls_to_finish: n }) if torrent.polls_after <= n => {
                if torrent.polls_after <= 1 {
                    "queued"
                } else {
                    "downloading"
                }
            }
            (Some(_), Kind::Dead) if torrent.polls_after <= DEAD_AFTER_POLLS => "downloading",
            (Some(_), Kind::Dead) => "dead",
            (Some(_), Kind::Virus) => "virus",
            (Some(_), _) => "downloaded",
        };
        if torrent.status != "downloaded" || !torrent.links.is_empty() {
            return;
        }
        torrent.ended = Some(SystemTime::now());
        let (Some(release), Some(selected)) = (&torrent.release, &torrent.selected) else {
            return;
        };
        let files: Vec<(String, u64)> = release
            .files
            .iter()
            .enumerate()
            .filter(|(index, _)| selected.contains(index))
            .map(|(_, (path, bytes))| (basename(path).to_owned(), *bytes))
            .collect();
        let packed = matches!(release.kind, Kind::Packed) && files.len() > 1;
        let targets = if packed {
            let bytes = files.iter().map(|(_, b)| b).sum();
            vec![(format!("{}.rar", release.name), bytes)]
        } else {
            files
        };
        let long = *self.long_link_ids.lock().unwrap();
        for (filename, bytes) in targets {
            let id = self.mint();
            let suffix = if long { "Q2X" } else { "" };
            let url = format!("https://real-debrid.com/d/{id}{suffix}");
            torrent.links.push(Link {
                id,
                url,
                filename,
                bytes,
            });
        }
    }
}

impl Entry {
    /// The `info` shape (`files` included) or the list item shape (without).
    fn json(&self, with_files: bool) -> Value {
        let known = self.selected.is_some() || self.status == "waiting_files_selection";
        let release = self.release.as_ref().filter(|_| known);
        let selected = |index: usize| self.selected.as_ref().is_some_and(|s| s.contains(&index));
        let name = release.map_or(self.label.clone(), |r| r.name.clone());
        let files = release.map_or(&[][..], |r| &r.files[..]);
        let original_bytes: u64 = files.iter().map(|(_, b)| b).sum();
        let bytes: u64 = files
            .iter()
            .enumerate()
            .filter(|(index, _)| selected(*index))
            .map(|(_, (_, b))| b)
            .sum();
        let after = u64::from(self.polls_after);
        let (progress, speed, seeders) = match (self.status, &self.release) {
            ("downloaded", _) => (100, None, None),
            ("magnet_conversion", _) => (0, None, Some(0)),
            ("downloading", Some(r)) if matches!(r.kind, Kind::Dead) => (
                1,
                Some(1024),
                Some(DEAD_AFTER_POLLS.saturating_sub(self.polls_after)),
            ),
            (
                "downloading",
                Some(Release {
                    kind: Kind::Uncached { polls_to_finish },
                    ..
                }),
            ) => {
                let done = (after - 1) * 100 / u64::from(*polls_to_finish);
                (done, Some(after * 2_000_000), Some(10 + self.polls_after))
            }
            _ => (0, None, None),
        };
        let mut body = json!({
            "id": self.id, "filename": name, "hash": self.hash, "bytes": bytes,
            "host": "real-debrid.com", "split": 2000, "progress": progress,
            "status": self.status, "added": json_date(self.added),
            "links": self.links.iter().map(|l| l.url.clone()).collect::<Vec<_>>(),
        });
        if with_files {
            body["original_filename"] = json!(name);
            body["original_bytes"] = json!(original_bytes);
            body["files"] = files
                .iter()
                .enumerate()
                .map(|(index, (path, bytes))| {
                    json!({"id": index + 1, "path": path, "bytes": bytes,
                        "selected": i32::from(selected(index))})
                })
                .collect();
        }
        if let Some(ended) = self.ended {
            body["ended"] = json!(json_date(ended));
        }
        if let Some(speed) = speed {
            body["speed"] = json!(speed);
        }
        if let Some(seeders) = seeders {
            body["seeders"] = json!(seeders);
        }
        body
    }
}

// ---------------------------------------------------------------------------------------------
// Small parsers and formatters
// ---------------------------------------------------------------------------------------------

/// The lower-case info hash (40 hex digits) and the `dn`, from a magnet URI.
fn parse_magnet(magnet: &str) -> Option<(String, Option<String>)> {
    let query = magnet.strip_prefix("magnet:?")?;
    let mut hash = None;
    let mut label = None;
    for pair in query.split('&') {
        if let Some(value) = pair.strip_prefix("xt=urn:btih:") {
            let valid = value.len() == 40 && value.bytes().all(|b| b.is_ascii_hexdigit());
            hash = valid.then(|| value.to_ascii_lowercase());
        } else if let Some(value) = pair.strip_prefix("dn=") {
            label = Some(value.replace('+', " "));
        }
    }
    Some((hash?, label))
}

/// The link id after `/d/`, truncated to the 13 characters RD's ids have (§7).
fn link_id(link: &str) -> Option<&str> {
    let (_, rest) = link.split_once("/d/")?;
    let id = rest.split('/').next().unwrap_or_default();
    Some(id.get(..13).unwrap_or(id))
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Percent-encodes everything but unreserved characters, as RD's download URLs do.
fn escape(filename: &str) -> String {
    filename
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn mime_type(filename: &str) -> &'static str {
    let extension = filename.rsplit('.').next().unwrap_or_default();
    match extension.to_ascii_lowercase().as_str() {
        "mkv" => "video/x-matroska",
        "mp4" | "m4v" => "video/mp4",
        "avi" => "video/x-msvideo",
        "ts" | "m2ts" => "video/mp2t",
        "webm" => "video/webm",
        "rar" => "application/x-rar-compressed",
        "srt" => "application/x-subrip",
        _ => "application/octet-stream",
    }
}

fn days(count: u64) -> Duration {
    Duration::from_secs(count * 86_400)
}

/// `date.toJSON()`: "2026-05-01T12:34:56.000Z".
fn json_date(at: SystemTime) -> String {
    let secs = at.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
    let millis = at
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .subsec_millis();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's civil_from_days.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}
