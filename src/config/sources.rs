//! The search sources a user has set up, kept as one JSON list in the settings:
//! `[{"name": "Torrentio", "kind": "stremio", "url": "https://torrentio.strem.fun"}, …]`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Secret, parse_url};

pub const TORRENTIO_URL: &str = "https://torrentio.strem.fun";
const DEFAULT_TIMEOUT_SECS: u64 = 15;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A Stremio stream addon that answers with infohashes: Torrentio, Knightcrawler, Comet…
    Stremio,
    /// A Torznab endpoint: Prowlarr (one per indexer), Jackett, or any indexer speaking it.
    Torznab,
    /// Zilean's search of Debrid Media Manager's hash lists.
    Zilean,
}

/// A place to search for releases.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    pub name: String,
    pub kind: SourceKind,
    /// Stremio: the addon's address (with or without `/manifest.json`); Torznab: the API
    /// endpoint (`…/api`); Zilean: its base address.
    pub url: String,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub api_key: Option<Secret>,
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
    #[serde(default = "enabled")]
    pub enabled: bool,
}

fn default_timeout() -> u64 {
    DEFAULT_TIMEOUT_SECS
}

fn enabled() -> bool {
    true
}

/// Torrentio, public and keyless: what works before anything is set up.
pub fn default_sources() -> Vec<SourceConfig> {
    vec![SourceConfig {
        name: "Torrentio".into(),
        kind: SourceKind::Stremio,
        url: TORRENTIO_URL.into(),
        api_key: None,
        timeout_secs: DEFAULT_TIMEOUT_SECS,
        enabled: true,
    }]
}

/// Reads and checks the JSON list; the error says which entry is wrong and how.
pub fn parse_sources(json: &str) -> Result<Vec<SourceConfig>, String> {
    let mut sources: Vec<SourceConfig> =
        serde_json::from_str(json).map_err(|error| error.to_string())?;
    for (index, source) in sources.iter_mut().enumerate() {
        let which = format!("source {} ({:?})", index + 1, source.name);
        if source.name.trim().is_empty() {
            return Err(format!("source {} has no name", index + 1));
        }
        let url = match source.kind {
            SourceKind::Stremio => source.url.trim().trim_end_matches("/manifest.json"),
            _ => source.url.trim(),
        };
        source.url = parse_url(url).ok_or_else(|| format!("{which}: the url is not http(s)"))?;
        if !(1..=120).contains(&source.timeout_secs) {
            return Err(format!("{which}: timeout_secs must be 1 to 120"));
        }
        source.api_key = source.api_key.take().filter(|key| !key.expose().is_empty());
    }
    let mut names: Vec<&str> = sources.iter().map(|s| s.name.as_str()).collect();
    names.sort_unstable();
    if let Some(pair) = names.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(format!("two sources are named {:?}", pair[0]));
    }
    Ok(sources)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_read_with_defaults_and_checked() {
        let sources = parse_sources(
            r#"[{"name": "Torrentio", "kind": "stremio", "url": "https://torrentio.strem.fun/manifest.json"},
                {"name": "Prowlarr 1", "kind": "torznab", "url": "http://nas:9696/1/api/", "api_key": "k", "timeout_secs": 30}]"#,
        )
        .unwrap();
        assert_eq!(sources[0].url, "https://torrentio.strem.fun");
        assert_eq!(sources[0].timeout_secs, 15);
        assert!(sources[0].enabled && sources[0].api_key.is_none());
        assert_eq!(sources[1].url, "http://nas:9696/1/api");
        assert_eq!(sources[1].api_key.as_ref().unwrap().expose(), "k");

        for (bad, expected) in [
            (
                r#"[{"name": "A", "kind": "stremio", "url": "ftp://x"}]"#,
                "not http(s)",
            ),
            (
                r#"[{"name": "A", "kind": "newznab", "url": "http://x"}]"#,
                "unknown variant",
            ),
            (
                r#"[{"name": "", "kind": "zilean", "url": "http://x"}]"#,
                "has no name",
            ),
            (
                r#"[{"name": "A", "kind": "zilean", "url": "http://x", "timeout_secs": 0}]"#,
                "1 to 120",
            ),
            (
                r#"[{"name": "A", "kind": "zilean", "url": "http://x"}, {"name": "A", "kind": "zilean", "url": "http://y"}]"#,
                "two sources",
            ),
        ] {
            let error = parse_sources(bad).unwrap_err();
            assert!(error.contains(expected), "{bad}: {error}");
        }
    }
}
