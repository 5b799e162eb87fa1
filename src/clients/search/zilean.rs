//! Zilean: a search over Debrid Media Manager's public hash lists. Every hit is a torrent
//! someone already had on a debrid account, so it is likely cached. No seeders (it is not a
//! tracker); sizes come as strings.

use serde::Deserialize;

use super::{Scope, SourceError, Target, fetch, infohash};
use crate::config::SourceConfig;
use crate::domain::ranking::Offer;

#[derive(Deserialize)]
struct Record {
    raw_title: String,
    info_hash: String,
    #[serde(default)]
    size: Option<serde_json::Value>,
}

pub async fn search(
    http: &reqwest::Client,
    source: &SourceConfig,
    target: &Target,
    scope: Scope,
) -> Result<Vec<Offer>, SourceError> {
    let mut query: Vec<(&str, String)> = vec![("Query", target.title.clone())];
    match scope {
        Scope::Movie => {
            if let Some(year) = target.year {
                query.push(("Year", year.to_string()));
            }
        }
        Scope::Season(season) => query.push(("Season", season.to_string())),
        Scope::Episode(season, episode) => {
            query.push(("Season", season.to_string()));
            query.push(("Episode", episode.to_string()));
        }
    }
    let request = http
        .get(format!("{}/dmm/filtered", source.url))
        .query(&query);
    parse(&fetch(request).await?)
}

fn parse(body: &[u8]) -> Result<Vec<Offer>, SourceError> {
    let records: Vec<Record> = serde_json::from_slice(body)
        .map_err(|error| SourceError::Unreadable(format!("not a list of torrents ({error})")))?;
    Ok(records
        .into_iter()
        .filter_map(|record| {
            let size = match record.size {
                Some(serde_json::Value::String(text)) => text.parse().ok(),
                Some(serde_json::Value::Number(number)) => number.as_u64(),
                _ => None,
            };
            Some(Offer {
                info_hash: infohash::normalize(&record.info_hash)?,
                title: record.raw_title,
                file_name: None,
                size,
                seeders: None,
                sources: Vec::new(),
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_give_title_hash_and_size_from_a_string() {
        let body = br#"[
          {"raw_title": "The.Matrix.1999.1080p.BluRay.x264", "info_hash": "DD8255ECDC7CA55FB0BBF81323D87062DB1F6D1C",
           "size": "10737418240", "parsed_title": "The Matrix", "year": 1999, "resolution": "1080p"},
          {"raw_title": "Broken", "info_hash": "nope", "size": "1"}
        ]"#;
        let offers = parse(body).unwrap();
        assert_eq!(offers.len(), 1);
        assert_eq!(offers[0].size, Some(10_737_418_240));
        assert_eq!(offers[0].seeders, None);
        assert!(parse(b"{\"error\": 1}").is_err());
    }
}
