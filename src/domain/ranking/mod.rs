//! Which of the torrents the sources found are worth trying, best first, and why each of the
//! others is not. Hard filters first (the first one failing is the reason), then an additive
//! score from the quality profile; order: season packs before single episodes (TV), then the
//! profile's resolution order, score, seeders, size.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use super::release::{self, Release};

pub mod profile;
mod rejection;
pub mod similarity;
#[cfg(test)]
mod tests;

pub use profile::QualityProfile;
pub use rejection::Rejection;

/// What the request asks for, from the library.
#[derive(Clone, Debug, Default)]
pub struct Wanted {
    /// TMDb's title, original title and alternative titles.
    pub titles: Vec<String>,
    pub year: Option<i64>,
    /// Shows: the year the last wanted season aired, so a pack of a later season dated by
    /// its own year is not taken for a different show.
    pub latest_year: Option<i64>,
    /// Shows: each wanted season with its aired episodes. Empty for a movie.
    pub seasons: BTreeMap<u32, Vec<u32>>,
    /// Minutes of one movie or one episode, for size sanity.
    pub runtime: Option<i64>,
}

impl Wanted {
    pub fn is_show(&self) -> bool {
        !self.seasons.is_empty()
    }
}

/// One torrent as the sources reported it, merged by infohash.
#[derive(Clone, Debug)]
pub struct Offer {
    /// 40 lower-case hex characters.
    pub info_hash: String,
    /// The torrent's name.
    pub title: String,
    /// The file a source pointed at inside a pack, when it named one.
    pub file_name: Option<String>,
    pub size: Option<u64>,
    /// `None` when the source does not know (Zilean, Knightcrawler), which is not 0.
    pub seeders: Option<u32>,
    pub sources: Vec<String>,
}

/// (season, episode) pairs.
pub type Episodes = BTreeSet<(u32, u32)>;

#[derive(Clone, Debug)]
pub enum Verdict {
    /// Worth trying; `covers` is what of the request it holds (TV).
    Kept {
        covers: Episodes,
        is_pack: bool,
    },
    Rejected(Rejection),
}

#[derive(Clone, Debug)]
pub struct Ranked {
    pub offer: Offer,
    pub release: Release,
    pub score: i64,
    pub verdict: Verdict,
    /// Position in the profile's resolution order (lower is better).
    bucket: usize,
}

impl Ranked {
    pub fn is_kept(&self) -> bool {
        matches!(self.verdict, Verdict::Kept { .. })
    }
}

/// Parses, filters and orders `offers`: the kept ones first, best first, then the rejected.
pub fn rank(wanted: &Wanted, profile: &QualityProfile, offers: Vec<Offer>) -> Vec<Ranked> {
    // Every name in one trip to the parser thread.
    let names = wanted.titles.iter().chain(offers.iter().map(|o| &o.title));
    let mut releases = release::parse_all(names.map(String::as_str));
    let offer_releases = releases.split_off(wanted.titles.len());
    // The parser flags names holding any of PTT's adult keywords, even inside a word
    // ("Analyze This"): a title that is flagged itself is not held against its releases.
    let adult_title = releases.iter().any(|release| release.adult);
    let mut ranked: Vec<Ranked> = offers
        .into_iter()
        .zip(offer_releases)
        .map(|(offer, release)| judge(wanted, profile, offer, release, adult_title))
        .collect();
    ranked.sort_by_key(|candidate| {
        let (kept, is_pack, covered) = match &candidate.verdict {
            Verdict::Kept { covers, is_pack } => (true, *is_pack, covers.len()),
            Verdict::Rejected(_) => (false, false, 0),
        };
        (
            Reverse(kept),
            Reverse(is_pack),
            candidate.bucket,
            Reverse(covered),
            Reverse(candidate.score),
            // Unknown seeders rank like one: below a healthy swarm, above a dead one.
            Reverse(candidate.offer.seeders.unwrap_or(1)),
            Reverse(candidate.offer.size.unwrap_or(0)),
        )
    });
    ranked
}

fn judge(
    wanted: &Wanted,
    profile: &QualityProfile,
    offer: Offer,
    release: Release,
    adult_title: bool,
) -> Ranked {
    let score = score(profile, &release, &offer.title);
    let bucket = profile.bucket(release.resolution.as_deref());
    let verdict = match check(
        wanted,
        profile,
        &offer,
        &release,
        bucket,
        score,
        adult_title,
    ) {
        Ok((covers, is_pack)) => Verdict::Kept { covers, is_pack },
        Err(rejection) => Verdict::Rejected(rejection),
    };
    Ranked {
        offer,
        release,
        score,
        verdict,
        bucket: bucket.unwrap_or(usize::MAX),
    }
}

/// The hard filters, in order; the first that fails is the reason.
fn check(
    wanted: &Wanted,
    profile: &QualityProfile,
    offer: &Offer,
    release: &Release,
    bucket: Option<usize>,
    score: i64,
    adult_title: bool,
) -> Result<(Episodes, bool), Rejection> {
    let name = offer.title.as_str();
    if let Some(quality) = &release.quality
        && profile.reject_qualities.contains(quality)
    {
        return Err(Rejection::Quality(quality.clone()));
    }
    if release.trash {
        return Err(Rejection::Trash);
    }
    if release.adult && !adult_title {
        return Err(Rejection::Adult);
    }
    if let Some(pattern) = profile.exclude.iter().find(|p| p.is_match(name)) {
        return Err(Rejection::Excluded(pattern.as_str().to_owned()));
    }
    if !profile.require.is_empty() && !profile.require.iter().any(|p| p.is_match(name)) {
        return Err(Rejection::NotRequired);
    }
    if release.three_d && profile.reject_3d {
        return Err(Rejection::ThreeD);
    }
    check_title(wanted, release)?;
    check_year(wanted, release)?;
    let (covers, is_pack) = coverage(wanted, release)?;
    if bucket.is_none() {
        return Err(match &release.resolution {
            Some(resolution) => Rejection::Resolution(resolution.clone()),
            None => Rejection::UnknownResolution,
        });
    }
    check_size(wanted, profile, offer, release, videos_in(release, &covers))?;
    if score < profile::LOWEST_SCORE {
        return Err(Rejection::LowScore(score));
    }
    Ok((covers, is_pack))
}

fn check_title(wanted: &Wanted, release: &Release) -> Result<(), Rejection> {
    let parsed = similarity::normalize(&release.title);
    let best = wanted
        .titles
        .iter()
        .map(|title| similarity::ratio(&similarity::normalize(title), &parsed))
        .fold(0.0, f64::max);
    if best >= similarity::SAME_TITLE {
        Ok(())
    } else {
        Err(Rejection::OtherTitle(release.title.clone()))
    }
}

/// Within a year of the release (or, for a show, of the years its wanted seasons aired).
fn check_year(wanted: &Wanted, release: &Release) -> Result<(), Rejection> {
    let (Some(year), Some(first)) = (release.year, wanted.year) else {
        return Ok(());
    };
    let last = wanted.latest_year.unwrap_or(first).max(first);
    if (first - 1..=last + 1).contains(&i64::from(year)) {
        Ok(())
    } else {
        Err(Rejection::WrongYear(year))
    }
}

/// Whether the release is the right kind, and for a show which wanted episodes it holds.
fn coverage(wanted: &Wanted, release: &Release) -> Result<(Episodes, bool), Rejection> {
    let is_tv = !release.seasons.is_empty() || !release.episodes.is_empty() || release.complete;
    if !wanted.is_show() {
        return match is_tv && !release.complete {
            true => Err(Rejection::TvRelease),
            false => Ok((Episodes::new(), false)),
        };
    }
    if !is_tv {
        return Err(Rejection::NotTv);
    }
    let seasons: Vec<u32> = match (release.seasons.as_slice(), wanted.seasons.len()) {
        // "Complete Series" without numbers, or episodes numbered within the only wanted season.
        ([], _) if release.episodes.is_empty() => wanted.seasons.keys().copied().collect(),
        ([], 1) => wanted.seasons.keys().copied().collect(),
        ([], _) => return Err(Rejection::NoSeason),
        (seasons, _) => seasons.to_vec(),
    };
    let is_pack = release.episodes.is_empty();
    let covers: Episodes = seasons
        .iter()
        .filter_map(|season| Some((*season, wanted.seasons.get(season)?)))
        .flat_map(|(season, aired)| aired.iter().map(move |episode| (season, *episode)))
        .filter(|(_, episode)| is_pack || release.episodes.contains(episode))
        .collect();
    if covers.is_empty() {
        return Err(
            match seasons.iter().any(|s| wanted.seasons.contains_key(s)) {
                true => Rejection::OtherEpisodes,
                false => Rejection::OtherSeason(seasons),
            },
        );
    }
    Ok((covers, is_pack))
}

/// Gigabytes per hour of video below which a release of that resolution is not what it
/// claims (a "2160p REMUX" of 700 MB).
fn least_rate(resolution: Option<&str>) -> f64 {
    match resolution {
        Some("2160p") => 1.0,
        Some("1440p") => 0.6,
        Some("1080p") => 0.3,
        Some("720p") => 0.15,
        _ => 0.05,
    }
}

const GB: f64 = 1e9;

/// About how many episodes the release holds: the wanted ones it covers, scaled up when it
/// also holds seasons that were not asked for (a complete series for one season).
fn videos_in(release: &Release, covers: &Episodes) -> usize {
    let seasons_covered = covers
        .iter()
        .map(|(season, _)| season)
        .collect::<BTreeSet<_>>();
    match (release.seasons.len(), seasons_covered.len()) {
        (all, covered) if covered > 0 && all > covered => covers.len() * all / covered,
        _ => covers.len(),
    }
}

fn check_size(
    wanted: &Wanted,
    profile: &QualityProfile,
    offer: &Offer,
    release: &Release,
    episodes: usize,
) -> Result<(), Rejection> {
    let Some(size) = offer.size else {
        return Ok(());
    };
    let gigabytes = size as f64 / GB;
    let (minutes, videos, most) = match wanted.is_show() {
        true => (45, episodes.max(1), profile.max_episode_gb),
        false => (110, 1, profile.max_movie_gb),
    };
    let hours = wanted.runtime.unwrap_or(minutes) as f64 / 60.0 * videos as f64;
    if gigabytes < least_rate(release.resolution.as_deref()) * hours {
        return Err(Rejection::TooSmall(size));
    }
    match most {
        Some(most) if gigabytes > most * videos as f64 => Err(Rejection::TooBig(size)),
        _ => Ok(()),
    }
}

/// The additive score (resolution is not in it: it orders by bucket first).
fn score(profile: &QualityProfile, release: &Release, name: &str) -> i64 {
    let values = release
        .quality
        .iter()
        .chain(&release.codec)
        .chain(&release.bit_depth)
        .chain(&release.hdr)
        .chain(&release.audio)
        .chain(&release.channels)
        .map(String::as_str);
    let flags = [
        ("proper", release.proper),
        ("repack", release.repack),
        ("edition", release.edition.is_some()),
        ("dubbed", release.dubbed),
        ("documentary", release.documentary),
        ("convert", release.convert),
        ("upscaled", release.upscaled),
        ("3d", release.three_d),
    ];
    let flags = flags
        .into_iter()
        .filter(|(_, set)| *set)
        .map(|(name, _)| name);
    let preferred = match profile.preferred.iter().any(|p| p.is_match(name)) {
        true => profile::PREFERRED_BONUS,
        false => 0,
    };
    values
        .chain(flags)
        .map(|value| profile.score_of(value))
        .sum::<i64>()
        + preferred
}

/// A line for the request's story: "38 found, 26 kept; rejected: 8 CAM, 4 wrong year".
pub fn summary(ranked: &[Ranked]) -> String {
    let kept = ranked.iter().filter(|c| c.is_kept()).count();
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for candidate in ranked {
        if let Verdict::Rejected(rejection) = &candidate.verdict {
            *reasons.entry(rejection.group()).or_default() += 1;
        }
    }
    let mut reasons: Vec<(String, usize)> = reasons.into_iter().collect();
    reasons.sort_by_key(|(reason, count)| (Reverse(*count), reason.clone()));
    let mut line = format!("{} found, {kept} kept", ranked.len());
    if !reasons.is_empty() {
        let list: Vec<String> = reasons
            .iter()
            .map(|(reason, count)| format!("{count} {reason}"))
            .collect();
        line.push_str(&format!("; rejected: {}", list.join(", ")));
    }
    line
}
