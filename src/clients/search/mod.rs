//! The torrent search sources (reference: scrapers.md). Every source is asked at once, each
//! within its own timeout; one failing never fails the search, it is reported beside the
//! results. What they find is merged by infohash.

use std::collections::HashMap;
use std::time::Duration;

use futures_util::future::join_all;
use reqwest::StatusCode;
use tokio::sync::Semaphore;

use super::{read_limited, retry_after};
use crate::config::{SourceConfig, SourceKind};
use crate::domain::ranking::Offer;

mod infohash;
mod stremio;
mod torznab;
mod zilean;

/// Calls in flight at once, across sources.
const CONCURRENT_CALLS: usize = 6;
/// Search answers larger than this are not what a source should send.
const MAX_BODY_BYTES: usize = 8 << 20;

/// What is searched for.
#[derive(Clone, Debug)]
pub struct Target {
    pub imdb_id: Option<String>,
    pub title: String,
    pub year: Option<i64>,
}

/// One question to the sources.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Movie,
    /// A whole season: packs and its episodes.
    Season(u32),
    Episode(u32, u32),
}

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("timed out after {0} s")]
    Timeout(u64),
    #[error("could not connect: {0}")]
    Network(String),
    #[error("rejected the API key")]
    KeyRejected,
    #[error("is rate limiting{}", .0.map(|d| format!(" (retry in {} s)", d.as_secs())).unwrap_or_default())]
    RateLimited(Option<Duration>),
    #[error("is unavailable (HTTP {0})")]
    Unavailable(StatusCode),
    #[error("answered HTTP {0}")]
    Status(StatusCode),
    #[error("sent something unreadable: {0}")]
    Unreadable(String),
    #[error("said: {0}")]
    Refused(String),
    #[error("needs an IMDb id, and TMDb has none for this title")]
    NeedsImdbId,
}

/// How one source did.
#[derive(Clone, Debug)]
pub struct SourceReport {
    pub source: String,
    pub found: usize,
    /// The first thing that went wrong, if anything did.
    pub error: Option<String>,
}

#[derive(Debug, Default)]
pub struct Found {
    pub offers: Vec<Offer>,
    pub reports: Vec<SourceReport>,
}

impl Found {
    /// Adds what another search found: offers merged by infohash, reports by source.
    pub fn absorb(&mut self, other: Found) {
        let mut merged: HashMap<String, Offer> = self
            .offers
            .drain(..)
            .map(|offer| (offer.info_hash.clone(), offer))
            .collect();
        for offer in other.offers {
            merge(&mut merged, offer);
        }
        self.offers = merged.into_values().collect();
        self.offers.sort_by(|a, b| a.info_hash.cmp(&b.info_hash));
        for report in other.reports {
            match self.reports.iter_mut().find(|r| r.source == report.source) {
                Some(known) => {
                    known.found += report.found;
                    known.error = known.error.take().or(report.error);
                }
                None => self.reports.push(report),
            }
        }
    }

    /// Whether the only sources were ones that search by IMDb id, for a title without one.
    pub fn needed_an_imdb_id(&self) -> bool {
        let needed = SourceError::NeedsImdbId.to_string();
        self.all_failed()
            && self
                .reports
                .iter()
                .all(|r| r.error.as_deref() == Some(&needed))
    }

    /// Whether every source asked failed (nothing can be concluded from an empty result).
    pub fn all_failed(&self) -> bool {
        !self.reports.is_empty()
            && self
                .reports
                .iter()
                .all(|r| r.error.is_some() && r.found == 0)
    }
}

#[derive(Clone, Debug)]
pub struct SearchClient {
    http: reqwest::Client,
    torznab: torznab::CapsCache,
}

impl Default for SearchClient {
    fn default() -> Self {
        Self {
            http: super::http_client(),
            torznab: torznab::CapsCache::default(),
        }
    }
}

impl SearchClient {
    /// Asks every enabled source in `sources` about every scope, all at once.
    pub async fn search(
        &self,
        sources: &[SourceConfig],
        target: &Target,
        scopes: &[Scope],
    ) -> Found {
        // A few at a time: a season asked episode by episode is dozens of calls, and public
        // addons rate limit bursts. A call's timeout runs once it is under way.
        let in_flight = Semaphore::new(CONCURRENT_CALLS);
        let in_flight = &in_flight;
        let calls = sources
            .iter()
            .filter(|source| source.enabled)
            .flat_map(|source| scopes.iter().map(move |scope| (source, *scope)))
            .map(|(source, scope)| async move {
                let _turn = in_flight.acquire().await;
                let limit = Duration::from_secs(source.timeout_secs);
                let result = tokio::time::timeout(limit, self.ask(source, target, scope))
                    .await
                    .unwrap_or(Err(SourceError::Timeout(source.timeout_secs)));
                (source, result)
            });
        let (mut offers, mut reports) = (Vec::new(), Vec::new());
        for (source, result) in join_all(calls).await {
            let (found, error) = match result {
                Ok(found) => (found, None),
                Err(error) => {
                    tracing::warn!("Search source {} {error}", source.name);
                    (Vec::new(), Some(error.to_string()))
                }
            };
            let report = SourceReport {
                source: source.name.clone(),
                found: found.len(),
                error,
            };
            offers.extend(found);
            reports.push(report);
        }
        // Merged once: each source's calls into one report, each torrent into one offer.
        let mut found = Found::default();
        found.absorb(Found { offers, reports });
        found
    }

    async fn ask(
        &self,
        source: &SourceConfig,
        target: &Target,
        scope: Scope,
    ) -> Result<Vec<Offer>, SourceError> {
        let mut offers = match source.kind {
            SourceKind::Stremio => stremio::search(&self.http, source, target, scope).await?,
            SourceKind::Torznab => {
                torznab::search(&self.http, &self.torznab, source, target, scope).await?
            }
            SourceKind::Zilean => zilean::search(&self.http, source, target, scope).await?,
        };
        for offer in &mut offers {
            offer.sources = vec![source.name.clone()];
        }
        Ok(offers)
    }
}

/// The same torrent from two sources (or two queries) is one offer: the best-known numbers.
fn merge(merged: &mut HashMap<String, Offer>, offer: Offer) {
    match merged.get_mut(&offer.info_hash) {
        None => {
            merged.insert(offer.info_hash.clone(), offer);
        }
        Some(known) => {
            known.seeders = known.seeders.max(offer.seeders);
            known.size = known.size.or(offer.size);
            known.file_name = known.file_name.take().or(offer.file_name);
            for source in offer.sources {
                if !known.sources.contains(&source) {
                    known.sources.push(source);
                }
            }
        }
    }
}

/// Sends `request` and reads the body (capped), mapping the ways a source fails.
async fn fetch(request: reqwest::RequestBuilder) -> Result<Vec<u8>, SourceError> {
    let response = request
        .send()
        .await
        // Without the URL: a Torznab URL carries the API key.
        .map_err(|error| SourceError::Network(error.without_url().to_string()))?;
    match response.status() {
        status if status.is_success() => read_limited(response, MAX_BODY_BYTES)
            .await
            .map_err(SourceError::Unreadable),
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Err(SourceError::KeyRejected),
        StatusCode::TOO_MANY_REQUESTS => Err(SourceError::RateLimited(retry_after(&response))),
        status if status.is_server_error() => Err(SourceError::Unavailable(status)),
        status => Err(SourceError::Status(status)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer(hash: &str, seeders: Option<u32>, size: Option<u64>, source: &str) -> Offer {
        Offer {
            info_hash: hash.into(),
            title: "The.Matrix.1999.1080p.BluRay.x264".into(),
            file_name: None,
            size,
            seeders,
            sources: vec![source.into()],
        }
    }

    #[test]
    fn offers_merge_by_infohash_keeping_what_each_source_knows() {
        let mut merged = HashMap::new();
        merge(&mut merged, offer("aa", None, Some(10), "Zilean"));
        merge(&mut merged, offer("aa", Some(7), None, "Torrentio"));
        merge(&mut merged, offer("aa", Some(3), Some(11), "Torrentio"));
        merge(&mut merged, offer("bb", Some(1), None, "Prowlarr"));
        assert_eq!(merged.len(), 2);
        let aa = &merged["aa"];
        assert_eq!((aa.seeders, aa.size), (Some(7), Some(10)));
        assert_eq!(aa.sources, ["Zilean", "Torrentio"]);
    }
}
