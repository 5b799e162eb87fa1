//! Stremio stream addons (Torrentio, Knightcrawler, Comet, MediaFusion …): one JSON call per
//! movie or episode, by IMDb id. Torrent details live in the free-text `title` (or
//! `description`) lines: the torrent name, maybe the file, then `👤 seeders 💾 size ⚙️ site`.

use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::{Scope, SourceError, Target, fetch, infohash};
use crate::config::SourceConfig;
use crate::domain::ranking::Offer;

/// Torrentio sits behind Cloudflare, which turns away clients that do not look like browsers.
const USER_AGENT: &str = concat!(
    "Mozilla/5.0 (X11; Linux x86_64) Linkarr/",
    env!("CARGO_PKG_VERSION")
);

#[derive(Deserialize)]
struct Answer {
    streams: Vec<Stream>,
}

#[derive(Deserialize)]
struct Stream {
    name: Option<String>,
    title: Option<String>,
    description: Option<String>,
    #[serde(rename = "infoHash")]
    info_hash: Option<String>,
    #[serde(rename = "behaviorHints", default)]
    hints: Hints,
}

#[derive(Default, Deserialize)]
struct Hints {
    filename: Option<String>,
    #[serde(rename = "videoSize")]
    video_size: Option<u64>,
}

pub async fn search(
    http: &reqwest::Client,
    source: &SourceConfig,
    target: &Target,
    scope: Scope,
) -> Result<Vec<Offer>, SourceError> {
    let imdb = target.imdb_id.as_deref().ok_or(SourceError::NeedsImdbId)?;
    // There is no season query: episode 1 of a season brings its packs along.
    let path = match scope {
        Scope::Movie => format!("movie/{imdb}"),
        Scope::Season(season) => format!("series/{imdb}:{season}:1"),
        Scope::Episode(season, episode) => format!("series/{imdb}:{season}:{episode}"),
    };
    let request = http
        .get(format!("{}/stream/{path}.json", source.url))
        .header(reqwest::header::USER_AGENT, USER_AGENT);
    let body = fetch(request).await?;
    parse(&body)
}

fn parse(body: &[u8]) -> Result<Vec<Offer>, SourceError> {
    let answer: Answer = serde_json::from_slice(body)
        .map_err(|error| SourceError::Unreadable(format!("not a stream list ({error})")))?;
    let offers: Vec<Offer> = answer.streams.iter().filter_map(offer).collect();
    // Streams, but none with a torrent: an addon set up for a debrid service, or a notice
    // ("Invalid RealDebrid ApiKey", "filtered by your settings") in place of results.
    if offers.is_empty()
        && let Some(first) = answer.streams.first()
    {
        let notice = first
            .title
            .as_deref()
            .or(first.description.as_deref())
            .or(first.name.as_deref())
            .unwrap_or_default();
        let notice = notice.lines().next().unwrap_or_default();
        return Err(SourceError::Refused(format!(
            "no torrents, only links ({notice:.80})"
        )));
    }
    Ok(offers)
}

static SIZE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)💾\s*([\d.,]+)\s*(TB|GB|MB|KB|B)\b").expect("valid size pattern")
});
static SEEDERS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"👤\s*(\d+)").expect("valid seeders pattern"));

fn offer(stream: &Stream) -> Option<Offer> {
    let info_hash = infohash::normalize(stream.info_hash.as_deref()?)?;
    let text = stream
        .title
        .as_deref()
        .or(stream.description.as_deref())
        .unwrap_or_default();
    let is_details = |line: &str| line.contains('💾') || line.contains('👤');
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let details = lines
        .iter()
        .find(|line| is_details(line))
        .copied()
        .unwrap_or_default();
    // The lines before the details: the torrent's name, then the file's when it differs.
    let mut names = lines
        .iter()
        .take_while(|line| !is_details(line))
        .map(|line| {
            line.trim_start_matches(['📂', '📄', '🎬', ' '])
                .trim()
                .to_owned()
        });
    let first = names.next();
    let (title, file_name) = match first.as_deref().and_then(|l| l.split_once(" ┈➤ ")) {
        // MediaFusion: "{torrent} ┈➤ {file}".
        Some((torrent, file)) => (torrent.trim().to_owned(), Some(file.trim().to_owned())),
        None => (
            first.or_else(|| stream.hints.filename.clone())?,
            names.next().or_else(|| stream.hints.filename.clone()),
        ),
    };
    let size = SIZE
        .captures(details)
        .and_then(|c| bytes(&c[1], &c[2]))
        .or(stream.hints.video_size);
    let seeders = SEEDERS.captures(details).and_then(|c| c[1].parse().ok());
    Some(Offer {
        info_hash,
        file_name: file_name.filter(|file| *file != title),
        title,
        size,
        seeders,
        sources: Vec::new(),
    })
}

/// Torrentio prints sizes in base 1024 ("1.37 GB", "700 MB", "4 GB").
fn bytes(number: &str, unit: &str) -> Option<u64> {
    let number: f64 = number.replace(',', ".").parse().ok()?;
    let scale = match unit.to_ascii_uppercase().as_str() {
        "TB" => 1u64 << 40,
        "GB" => 1 << 30,
        "MB" => 1 << 20,
        "KB" => 1 << 10,
        _ => 1,
    };
    Some((number * scale as f64) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn torrentio_lines_give_name_file_size_and_seeders() {
        let body = r#"{"streams": [
          {"name": "Torrentio\n4k DV | HDR",
           "title": "Dune.Part.Two.2024.2160p.MA.WEB-DL.DDP5.1.Atmos.DV.HDR.H.265-FLUX\n👤 412 💾 18.7 GB ⚙️ TorrentGalaxy",
           "infoHash": "0F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C", "fileIdx": 0,
           "behaviorHints": {"filename": "Dune.Part.Two.2024.2160p.MA.WEB-DL.DDP5.1.Atmos.DV.HDR.H.265-FLUX.mkv"}},
          {"name": "Torrentio\n1080p",
           "title": "Breaking Bad S05 1080p BluRay x264\nBreaking.Bad.S05E16.Felina.1080p.BluRay.x264.mkv\n👤 0 💾 4 GB ⚙️ 1337x\nMulti Audio",
           "infoHash": "1111111111111111111111111111111111111111", "fileIdx": 15},
          {"name": "knightcrawler\n720p",
           "title": "Some.Show.S01E01.720p.HDTV\n💾 700 MB",
           "infoHash": "2222222222222222222222222222222222222222"}
        ], "cacheMaxAge": 3600}"#;
        let offers = parse(body.as_bytes()).unwrap();
        assert_eq!(offers.len(), 3);
        let dune = &offers[0];
        assert_eq!(dune.info_hash, "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c");
        assert_eq!(
            dune.title,
            "Dune.Part.Two.2024.2160p.MA.WEB-DL.DDP5.1.Atmos.DV.HDR.H.265-FLUX"
        );
        assert_eq!(dune.seeders, Some(412));
        assert_eq!(dune.size, Some((18.7 * (1u64 << 30) as f64) as u64));
        assert!(dune.file_name.as_deref().unwrap().ends_with(".mkv"));

        let pack = &offers[1];
        assert_eq!(pack.title, "Breaking Bad S05 1080p BluRay x264");
        assert_eq!(
            pack.file_name.as_deref(),
            Some("Breaking.Bad.S05E16.Felina.1080p.BluRay.x264.mkv")
        );
        assert_eq!((pack.seeders, pack.size), (Some(0), Some(4 << 30)));

        // Knightcrawler does not know seeders: unknown, not zero.
        assert_eq!((offers[2].seeders, offers[2].size), (None, Some(700 << 20)));
    }

    #[test]
    fn comet_and_mediafusion_shapes_are_read_too() {
        let body = r#"{"streams": [
          {"name": "[TORRENT] Comet 1080p", "description": "📄 The.Matrix.1999.1080p.BluRay.x264\n👤 87 💾 10 GB 🔎 ThePirateBay",
           "infoHash": "3333333333333333333333333333333333333333",
           "behaviorHints": {"filename": "The.Matrix.1999.1080p.BluRay.x264", "videoSize": 10737418240}},
          {"name": "MediaFusion", "description": "📂 Breaking.Bad.S01.1080p ┈➤ Breaking.Bad.S01E01.mkv\n💾 2.5 GB 👤 12",
           "infoHash": "4444444444444444444444444444444444444444"}
        ]}"#;
        let offers = parse(body.as_bytes()).unwrap();
        assert_eq!(offers[0].title, "The.Matrix.1999.1080p.BluRay.x264");
        assert_eq!(offers[0].file_name, None);
        assert_eq!(offers[0].seeders, Some(87));
        assert_eq!(offers[1].title, "Breaking.Bad.S01.1080p");
        assert_eq!(
            offers[1].file_name.as_deref(),
            Some("Breaking.Bad.S01E01.mkv")
        );
        assert_eq!(offers[1].seeders, Some(12));
    }

    #[test]
    fn notices_and_garbage_are_errors_and_an_empty_list_is_not() {
        let notice = r#"{"streams": [{"name": "[RD error] Torrentio", "title": "Invalid RealDebrid ApiKey/Token!", "url": "https://x"}]}"#;
        let error = parse(notice.as_bytes()).unwrap_err().to_string();
        assert!(error.contains("Invalid RealDebrid ApiKey"), "{error}");
        assert!(parse(b"<html>Just a moment...</html>").is_err());
        assert!(parse(br#"{"streams": "nope"}"#).is_err());
        assert!(parse(br#"{"streams": []}"#).unwrap().is_empty());
        // A malformed hash is skipped, not trusted.
        let bad = r#"{"streams": [{"title": "X 1080p\n💾 1 GB", "infoHash": "xyz"}]}"#;
        assert!(parse(bad.as_bytes()).is_err());
    }
}
