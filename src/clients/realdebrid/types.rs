//! The parts of Real-Debrid's answers Linkarr uses (reference: realdebrid.md §5). Fields RD
//! sends only in some states (`speed`, `seeders`, `ended`) are optional.

use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
pub struct User {
    pub username: String,
    /// "premium" or "free".
    #[serde(rename = "type")]
    pub kind: String,
    /// Seconds of premium left.
    #[serde(default)]
    pub premium: i64,
    #[serde(default)]
    pub expiration: Option<String>,
}

impl User {
    pub fn premium_days_left(&self) -> i64 {
        self.premium / 86_400
    }

    pub fn is_premium(&self) -> bool {
        self.kind == "premium" && self.premium > 0
    }
}

/// An entry of `GET /torrents` (no files).
#[derive(Clone, Debug, Deserialize)]
pub struct TorrentSummary {
    pub id: String,
    pub hash: String,
    pub status: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct TorrentInfo {
    pub id: String,
    #[serde(default)]
    pub filename: String,
    pub status: String,
    #[serde(default)]
    pub progress: f64,
    /// Bytes a second, while downloading.
    pub speed: Option<u64>,
    pub seeders: Option<u64>,
    /// Of the selected files.
    #[serde(default)]
    pub bytes: u64,
    /// Empty while RD reads the magnet.
    #[serde(default)]
    pub files: Vec<TorrentFile>,
    /// One restricted link per selected file, in the files' order (one for all: RD packed them).
    #[serde(default)]
    pub links: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct TorrentFile {
    pub id: u64,
    /// Starts with "/".
    pub path: String,
    pub bytes: u64,
    pub selected: u8,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Added {
    pub id: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct ActiveCount {
    pub nb: u64,
    pub limit: u64,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Unrestricted {
    /// The direct URL players stream; temporary.
    #[serde(default)]
    pub download: String,
    #[serde(default)]
    pub filename: String,
}

/// RD's error body: `{"error": "infringing_file", "error_code": 35}`.
#[derive(Debug, Default, Deserialize)]
pub struct ErrorBody {
    #[serde(default)]
    pub error: String,
    pub error_code: Option<i64>,
}
