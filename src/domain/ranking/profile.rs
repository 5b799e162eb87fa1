//! Quality profiles: what a user accepts and prefers, as stored in the settings (JSON). The
//! score table follows rank-torrent-name's defaults, so rankings compare with RTN's.

use std::collections::BTreeMap;

use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::ToSchema;

/// Release qualities nobody wants by default: recorded in a cinema or from a screener.
pub const TRASH: [&str; 6] = ["CAM", "TeleSync", "TeleCine", "SCR", "R5", "PDTV"];

/// What a user accepts and prefers; patterns are regular expressions, matched ignoring case.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct QualityProfile {
    pub name: String,
    /// Allowed resolutions, best first; candidates are tried bucket by bucket in this order.
    pub resolutions: Vec<String>,
    /// Whether releases that do not say their resolution are kept (tried last).
    pub allow_unknown_resolution: bool,
    /// PTT quality names refused outright.
    pub reject_qualities: Vec<String>,
    pub reject_3d: bool,
    /// When set, only releases matching one of these are kept.
    #[schema(value_type = Vec<String>)]
    pub require: Vec<Pattern>,
    #[schema(value_type = Vec<String>)]
    pub exclude: Vec<Pattern>,
    /// A match adds [`PREFERRED_BONUS`].
    #[schema(value_type = Vec<String>)]
    pub preferred: Vec<Pattern>,
    pub max_movie_gb: Option<f64>,
    pub max_episode_gb: Option<f64>,
    /// Overrides of the score table, by PTT value ("WEB-DL": 300, "hevc": 0 …).
    pub scores: BTreeMap<String, i64>,
}

pub const PREFERRED_BONUS: i64 = 10_000;
/// Scores below this are rejected (RTN's `remove_ranks_under`).
pub const LOWEST_SCORE: i64 = -10_000;

impl Default for QualityProfile {
    /// Best up to 1080p, no trash, no 3D.
    fn default() -> Self {
        Self {
            name: "Up to 1080p".into(),
            resolutions: ["1080p", "720p", "576p", "480p"].map(Into::into).to_vec(),
            allow_unknown_resolution: true,
            reject_qualities: TRASH.map(Into::into).to_vec(),
            reject_3d: true,
            require: Vec::new(),
            exclude: Vec::new(),
            preferred: Vec::new(),
            max_movie_gb: None,
            max_episode_gb: None,
            scores: BTreeMap::new(),
        }
    }
}

impl QualityProfile {
    /// The default for requests made in 4K.
    pub fn uhd() -> Self {
        Self {
            name: "4K".into(),
            resolutions: ["2160p", "1440p", "1080p"].map(Into::into).to_vec(),
            allow_unknown_resolution: false,
            ..Self::default()
        }
    }

    /// The score of one attribute value: the user's override, else the default table.
    pub fn score_of(&self, value: &str) -> i64 {
        self.scores
            .get(value)
            .copied()
            .unwrap_or_else(|| default_score(value))
    }

    /// Where a resolution stands in the profile's order; `None` when it is not allowed.
    pub fn bucket(&self, resolution: Option<&str>) -> Option<usize> {
        match resolution {
            Some(resolution) => self.resolutions.iter().position(|r| r == resolution),
            None => self
                .allow_unknown_resolution
                .then_some(self.resolutions.len()),
        }
    }
}

/// rank-torrent-name's `DefaultRanking`, keyed by the parser's vocabulary.
fn default_score(value: &str) -> i64 {
    match value {
        "REMUX" | "BluRay REMUX" => 10_000,
        "WEB-DL" => 200,
        "BluRay" | "WEB" => 100,
        "WEBRip" => -1_000,
        "HDTV" | "HDTVRip" | "DVD" | "BDRip" | "DVDRip" | "UHDRip" => -5_000,
        "BRRip" | "HDRip" | "WEB-DLRip" | "VHS" | "VHSRip" | "WEBMux" | "PPVRip" | "TVRip"
        | "SATRip" => -10_000,
        "CAM" | "TeleSync" | "TeleCine" | "SCR" | "R5" | "PDTV" => -10_000,
        "avc" | "hevc" | "av1" => 500,
        "mpeg" => -1_000,
        "xvid" => -10_000,
        "DV" => 3_000,
        "HDR10+" => 2_100,
        "HDR" => 2_000,
        "10bit" => 100,
        "TrueHD" | "DTS Lossless" => 2_000,
        "Atmos" => 1_000,
        "Dolby Digital Plus" => 150,
        "DTS Lossy" | "AAC" => 100,
        "Dolby Digital" => 50,
        "MP3" => -1_000,
        "HQ Clean Audio" => -10_000,
        "proper" | "repack" => 20,
        "edition" => 100,
        "dubbed" | "convert" => -1_000,
        "documentary" => -250,
        "upscaled" | "3d" => -10_000,
        _ => 0,
    }
}

/// A user's regular expression, matched case-insensitively against the release name. Checked
/// when the settings are saved, so a typo is an error there, not a silent miss later.
#[derive(Clone, Debug)]
pub struct Pattern(Regex);

impl Pattern {
    pub fn new(source: &str) -> Result<Self, regex::Error> {
        RegexBuilder::new(source)
            .case_insensitive(true)
            // Users type these; keep a pathological one from eating memory.
            .size_limit(1 << 20)
            .build()
            .map(Self)
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.0.is_match(text)
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl Serialize for Pattern {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let source = String::deserialize(deserializer)?;
        Self::new(&source)
            .map_err(|error| serde::de::Error::custom(format!("bad pattern {source:?}: {error}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_read_partial_json_over_the_defaults_and_refuse_bad_patterns() {
        let profile: QualityProfile =
            serde_json::from_str(r#"{"exclude": ["\\bHC\\b"], "scores": {"hevc": 900}}"#).unwrap();
        assert_eq!(profile.resolutions, ["1080p", "720p", "576p", "480p"]);
        assert!(profile.exclude[0].is_match("Movie.2020.hc.1080p"));
        assert_eq!(profile.score_of("hevc"), 900);
        assert_eq!(profile.score_of("avc"), 500);

        let error = serde_json::from_str::<QualityProfile>(r#"{"exclude": ["(unclosed"]}"#)
            .unwrap_err()
            .to_string();
        assert!(error.contains("bad pattern"), "{error}");
        let error = serde_json::from_str::<QualityProfile>(r#"{"resolution": []}"#)
            .unwrap_err()
            .to_string();
        assert!(error.contains("unknown field"), "{error}");
    }

    #[test]
    fn buckets_follow_the_profiles_order() {
        let profile = QualityProfile::default();
        assert_eq!(profile.bucket(Some("1080p")), Some(0));
        assert_eq!(profile.bucket(Some("2160p")), None);
        assert_eq!(profile.bucket(None), Some(4));
        assert_eq!(QualityProfile::uhd().bucket(None), None);
    }
}
