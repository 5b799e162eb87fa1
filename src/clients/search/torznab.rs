//! Torznab (Prowlarr, Jackett, and indexers that speak it): `t=caps` says what an endpoint can
//! search by; then `t=movie` / `t=tvsearch` by IMDb id where it can, by title where it cannot.
//! Answers are RSS with `torznab:attr` elements; the infohash comes from the `infohash` attr or
//! a magnet.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use roxmltree::{Document, Node};

use super::{Scope, SourceError, Target, fetch, infohash};
use crate::config::SourceConfig;
use crate::domain::ranking::Offer;

/// An indexer's abilities change when its admin reconfigures it: rarely.
const CAPS_TTL: Duration = Duration::from_secs(6 * 3600);
const MOVIES: &str = "2000";
const TV: &str = "5000";

#[derive(Clone, Debug, Default)]
struct Caps {
    movie_by_imdb: bool,
    tv_by_imdb: bool,
    tv_by_season: bool,
}

/// What each endpoint said it can do, by URL.
#[derive(Clone, Debug, Default)]
pub struct CapsCache(Arc<Mutex<HashMap<String, (Instant, Caps)>>>);

pub async fn search(
    http: &reqwest::Client,
    cache: &CapsCache,
    source: &SourceConfig,
    target: &Target,
    scope: Scope,
) -> Result<Vec<Offer>, SourceError> {
    let caps = caps(http, cache, source).await?;
    let mut query: Vec<(&str, String)> = Vec::new();
    let imdb = target.imdb_id.clone();
    let text = match target.year {
        Some(year) if scope == Scope::Movie => format!("{} {year}", target.title),
        _ => target.title.clone(),
    };
    match (scope, imdb) {
        (Scope::Movie, Some(imdb)) if caps.movie_by_imdb => {
            query.extend([("t", "movie".into()), ("imdbid", imdb)]);
        }
        (Scope::Movie, _) => query.extend([("t", "movie".into()), ("q", text)]),
        (Scope::Season(season) | Scope::Episode(season, _), imdb) => {
            match imdb.filter(|_| caps.tv_by_imdb) {
                Some(imdb) => query.extend([("t", "tvsearch".into()), ("imdbid", imdb)]),
                None => query.extend([("t", "tvsearch".into()), ("q", text)]),
            }
            if caps.tv_by_season {
                query.push(("season", season.to_string()));
                if let Scope::Episode(_, episode) = scope {
                    query.push(("ep", episode.to_string()));
                }
            }
        }
    }
    let category = if scope == Scope::Movie { MOVIES } else { TV };
    query.push(("cat", category.into()));
    let body = fetch(request(http, source, &query)).await?;
    parse_results(&body)
}

fn request(
    http: &reqwest::Client,
    source: &SourceConfig,
    query: &[(&str, String)],
) -> reqwest::RequestBuilder {
    let mut request = http.get(&source.url).query(query);
    if let Some(key) = &source.api_key {
        request = request.query(&[("apikey", key.expose())]);
    }
    request
}

async fn caps(
    http: &reqwest::Client,
    cache: &CapsCache,
    source: &SourceConfig,
) -> Result<Caps, SourceError> {
    if let Some((at, caps)) = cache
        .0
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&source.url)
        && at.elapsed() < CAPS_TTL
    {
        return Ok(caps.clone());
    }
    let body = fetch(request(http, source, &[("t", "caps".into())])).await?;
    let caps = parse_caps(&body)?;
    cache
        .0
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(source.url.clone(), (Instant::now(), caps.clone()));
    Ok(caps)
}

fn document(body: &[u8]) -> Result<Document<'_>, SourceError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| SourceError::Unreadable("the answer is not UTF-8".into()))?;
    let document = Document::parse(text)
        .map_err(|error| SourceError::Unreadable(format!("not XML ({error})")))?;
    // Errors come as `<error code="100" description="Incorrect user credentials"/>`, with
    // HTTP 200 as often as not.
    let root = document.root_element();
    if root.has_tag_name("error") {
        let code = root.attribute("code").unwrap_or_default();
        let description = root.attribute("description").unwrap_or("no description");
        return Err(match code {
            "100" | "101" | "102" => SourceError::KeyRejected,
            _ => SourceError::Refused(format!("{description} (code {code})")),
        });
    }
    Ok(document)
}

fn parse_caps(body: &[u8]) -> Result<Caps, SourceError> {
    let document = document(body)?;
    let supports = |tag: &str, param: &str| {
        document
            .descendants()
            .find(|node| node.has_tag_name(tag))
            .filter(|node| node.attribute("available") != Some("no"))
            .and_then(|node| node.attribute("supportedParams"))
            .is_some_and(|params| params.split(',').any(|p| p.trim() == param))
    };
    Ok(Caps {
        movie_by_imdb: supports("movie-search", "imdbid"),
        tv_by_imdb: supports("tv-search", "imdbid"),
        tv_by_season: supports("tv-search", "season"),
    })
}

fn parse_results(body: &[u8]) -> Result<Vec<Offer>, SourceError> {
    let document = document(body)?;
    if !document.root_element().has_tag_name("rss") {
        return Err(SourceError::Unreadable("not an RSS feed".into()));
    }
    Ok(document
        .descendants()
        .filter(|node| node.has_tag_name("item"))
        .filter_map(|item| offer(&item))
        .collect())
}

fn offer(item: &Node) -> Option<Offer> {
    let child = |tag: &str| {
        item.children()
            .find(|node| node.has_tag_name(tag))
            .and_then(|node| node.text())
            .map(str::trim)
    };
    let attr = |name: &str| {
        item.children()
            .find(|node| node.tag_name().name() == "attr" && node.attribute("name") == Some(name))
            .and_then(|node| node.attribute("value"))
    };
    let enclosure = item
        .children()
        .find(|node| node.has_tag_name("enclosure"))
        .and_then(|node| node.attribute("url"));
    // Riven's order: the attr, then any magnet the item carries.
    let info_hash = attr("infohash")
        .and_then(infohash::normalize)
        .or_else(|| attr("magneturl").and_then(infohash::from_magnet))
        .or_else(|| child("guid").and_then(infohash::from_magnet))
        .or_else(|| child("link").and_then(infohash::from_magnet))
        .or_else(|| enclosure.and_then(infohash::from_magnet))?;
    let size = child("size")
        .or_else(|| attr("size"))
        .and_then(|size| size.parse().ok());
    Some(Offer {
        info_hash,
        title: child("title")?.to_owned(),
        file_name: None,
        size,
        seeders: attr("seeders").and_then(|seeders| seeders.parse().ok()),
        sources: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:torznab="http://torznab.com/schemas/2015/feed">
 <channel>
  <item>
   <title>The.Matrix.1999.1080p.BluRay.x264-CiNEFiLE</title>
   <guid>https://tracker.example/t/123</guid>
   <size>10737418240</size>
   <link>http://jackett.local:9117/dl/x/?jackett_apikey=k&amp;path=p</link>
   <torznab:attr name="seeders" value="87"/>
   <torznab:attr name="infohash" value="DD8255ECDC7CA55FB0BBF81323D87062DB1F6D1C"/>
  </item>
  <item>
   <title>The.Matrix.1999.720p.BluRay.x264</title>
   <guid>magnet:?xt=urn:btih:3WBFL3G4PSSV7MF37AJSHWDQMLNR63I5&amp;dn=x</guid>
   <torznab:attr name="size" value="4000000000"/>
  </item>
  <item>
   <title>The.Matrix.1999.2160p.WEB-DL</title>
   <torznab:attr name="magneturl" value="magnet:?xt=urn:btih:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&amp;dn=x"/>
  </item>
  <item>
   <title>Only.A.Torrent.File.1999.1080p</title>
   <link>http://jackett.local:9117/dl/x/?path=q</link>
  </item>
 </channel>
</rss>"#;

    #[test]
    fn items_give_their_hash_from_the_attr_or_a_magnet() {
        let offers = parse_results(FEED.as_bytes()).unwrap();
        let hashes: Vec<&str> = offers.iter().map(|o| o.info_hash.as_str()).collect();
        assert_eq!(
            hashes,
            [
                "dd8255ecdc7ca55fb0bbf81323d87062db1f6d1c",
                "dd8255ecdc7ca55fb0bbf81323d87062db1f6d1d",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            ],
            "the item with only a .torrent link is skipped"
        );
        assert_eq!(offers[0].seeders, Some(87));
        assert_eq!(offers[0].size, Some(10_737_418_240));
        assert_eq!(offers[1].size, Some(4_000_000_000));
        assert_eq!(offers[2].seeders, None);
    }

    #[test]
    fn caps_say_what_can_be_searched_by() {
        let caps = parse_caps(
            br#"<caps><searching>
                 <search available="yes" supportedParams="q"/>
                 <tv-search available="yes" supportedParams="q,season,ep,imdbid"/>
                 <movie-search available="no" supportedParams="q,imdbid"/>
               </searching></caps>"#,
        )
        .unwrap();
        assert!(caps.tv_by_imdb && caps.tv_by_season && !caps.movie_by_imdb);
    }

    #[test]
    fn torznab_errors_and_garbage_are_errors() {
        let key = parse_results(br#"<error code="100" description="Invalid API Key"/>"#);
        assert!(matches!(key, Err(SourceError::KeyRejected)));
        let other = parse_results(br#"<error code="201" description="Incorrect parameter"/>"#)
            .unwrap_err()
            .to_string();
        assert_eq!(other, "said: Incorrect parameter (code 201)");
        assert!(parse_results(b"{\"json\": true}").is_err());
        assert!(parse_results(b"<html><body>login</body></html>").is_err());
    }
}
