//! Release-name (torrent title) parsing: `Dune.Part.Two.2024.2160p.UHD.BluRay.REMUX…` into a
//! [`Release`] the ranking code can score.
//!
//! Indexers only give us a name, and the de-facto standard for reading one is PTT (the Python
//! `parsett` package that Riven, Comet and RTN use); matching it field for field keeps our
//! rankings comparable with theirs. Field names and vocabulary follow PTT / parsett (MIT).
//!
//! PTT is an ordered list of regex handlers run against a title that shrinks as matches are
//! removed; the title is whatever precedes the earliest match. The order *is* the behaviour,
//! so [`engine`] reproduces that loop exactly and the handler files keep PTT's order. PTT's
//! regexes lean on lookarounds, which the `regex` crate lacks: each one is expressed as a plain
//! regex plus a small check on the neighbouring text (see [`engine::Check`]). Speed comes from
//! [`gates`]: a few `RegexSet` scans per title rule out most handlers before they run. All of
//! that is a [`Parser`]'s; [`parse`] and [`parse_all`] share one on a thread ([`worker`]) that
//! lets go of it when no names have come for a while.

mod adult;
mod clean;
mod dates;
mod early;
mod engine;
mod episodes;
mod fields;
mod gates;
mod languages;
mod languages_more;
mod media;
mod quality;
mod seasons;
mod tail;
mod text;
mod transform;
mod worker;

#[cfg(test)]
mod tests;

use serde::Serialize;
use utoipa::ToSchema;

/// What a release name says about its content. Only `title`, `seasons`, `episodes` and
/// `languages` are always serialised; every other field only when found, as PTT does.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Release {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    /// `YYYY-MM-DD`, for daily shows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codec: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bit_depth: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hdr: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub audio: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<String>,
    pub languages: Vec<String>,
    pub seasons: Vec<u32>,
    pub episodes: Vec<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<u32>,
    #[serde(skip_serializing_if = "is_false")]
    pub complete: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub trash: bool,
    #[serde(rename = "3d", skip_serializing_if = "is_false")]
    pub three_d: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub proper: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub repack: bool,
    /// PTT has no such field; it is `edition == "Extended Edition"`, kept for the ranking code
    /// and left out of the serialised form so that matches PTT's.
    #[serde(skip_serializing)]
    pub extended: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub remastered: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub unrated: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub uncensored: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub retail: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub adult: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub dubbed: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub subbed: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub upscaled: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub convert: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub hardcoded: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub documentary: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub commentary: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub ppv: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub scene: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub torrent: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extras: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    /// As written, e.g. `3.2GB`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bitrate: Option<String>,
    /// The CRC32 anime releases carry, e.g. `[5E46AC39]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub episode_code: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Release {
    /// A TV release (has a season or an episode), as opposed to a movie.
    pub fn is_show(&self) -> bool {
        !self.seasons.is_empty() || !self.episodes.is_empty()
    }

    /// Whole seasons rather than single episodes: seasons named and no episode, or flagged
    /// complete.
    pub fn is_season_pack(&self) -> bool {
        (!self.seasons.is_empty() && self.episodes.is_empty()) || (self.complete && self.is_show())
    }

    /// Several episodes in one release (`S01E01-E03`).
    pub fn is_episode_pack(&self) -> bool {
        self.episodes.len() > 1
    }
}

/// Parse a release name the way PTT does. Each call is a trip to the shared parser thread
/// (~50 µs, against ~15 µs for the parsing); for several names, [`parse_all`].
pub fn parse(name: &str) -> Release {
    parse_all([name]).pop().expect("one release per name")
}

/// Parse release names the way PTT does, in one trip to the shared parser thread, which lets
/// go of its memory when no names have come for a while. The releases come in the names' order.
pub fn parse_all<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<Release> {
    worker::SHARED.parse_all(names.into_iter().map(str::to_owned).collect())
}

/// A parser of one's own: its memory lives as long as it does, and each call skips the trip to
/// the shared thread. For a process that parses a stream and ends (`linkarr release parse`).
pub struct Parser {
    table: engine::Table,
}

impl Default for Parser {
    fn default() -> Self {
        Self::new()
    }
}

impl Parser {
    pub fn new() -> Self {
        Parser {
            table: engine::Table::new(),
        }
    }

    /// Parse a release name the way PTT does.
    pub fn parse(&self, name: &str) -> Release {
        engine::run(&self.table, name)
    }
}

/// PTT's `translate_languages=True`: ISO 639-1 codes to English names (`la` is Latino),
/// dropping codes it has no name for.
pub fn language_names(codes: &[String]) -> Vec<String> {
    codes
        .iter()
        .filter_map(|c| language_name(c))
        .map(str::to_owned)
        .collect()
}

/// The English name PTT gives an ISO 639-1 code.
pub fn language_name(code: &str) -> Option<&'static str> {
    Some(match code {
        "en" => "English",
        "ja" => "Japanese",
        "zh" => "Chinese",
        "ru" => "Russian",
        "ar" => "Arabic",
        "pt" => "Portuguese",
        "es" => "Spanish",
        "fr" => "French",
        "de" => "German",
        "it" => "Italian",
        "ko" => "Korean",
        "hi" => "Hindi",
        "bn" => "Bengali",
        "pa" => "Punjabi",
        "mr" => "Marathi",
        "gu" => "Gujarati",
        "ta" => "Tamil",
        "te" => "Telugu",
        "kn" => "Kannada",
        "ml" => "Malayalam",
        "th" => "Thai",
        "vi" => "Vietnamese",
        "id" => "Indonesian",
        "tr" => "Turkish",
        "he" => "Hebrew",
        "fa" => "Persian",
        "uk" => "Ukrainian",
        "el" => "Greek",
        "lt" => "Lithuanian",
        "lv" => "Latvian",
        "et" => "Estonian",
        "pl" => "Polish",
        "cs" => "Czech",
        "sk" => "Slovak",
        "hu" => "Hungarian",
        "ro" => "Romanian",
        "bg" => "Bulgarian",
        "sr" => "Serbian",
        "hr" => "Croatian",
        "sl" => "Slovenian",
        "nl" => "Dutch",
        "da" => "Danish",
        "fi" => "Finnish",
        "sv" => "Swedish",
        "no" => "Norwegian",
        "ms" => "Malay",
        "la" => "Latino",
        _ => return None,
    })
}
