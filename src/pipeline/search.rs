//! The search step: ask every source about the title, rank what they found with the request's
//! quality profile, and keep the verdicts. TV asks season by season; for a season no pack
//! covers, the Stremio addons are asked episode by episode. Nothing fitting is `not_found`,
//! searched again later: new releases appear.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use rand::Rng;

use super::subject::{Subject, subject, wanted};
use super::{Completed, Pipeline, StepError};
use crate::clients::search::{Found, Scope, Target};
use crate::config::{SettingKey, SourceConfig, SourceKind};
use crate::db;
use crate::db::jobs::Claimed;
use crate::domain::RequestState;
use crate::domain::ranking::{self, Episodes, Offer, QualityProfile, Ranked, Verdict, Wanted};

/// Episode-by-episode questions in one search, at most: a long season without packs should
/// not hammer a public addon.
const MOST_EPISODE_QUERIES: usize = 40;

pub async fn run(pipeline: &Pipeline, job: &Claimed) -> Result<Completed, StepError> {
    let inner = &pipeline.inner;
    let Subject {
        work,
        item,
        title: subject,
    } = subject(pipeline, job.request_id).await?;
    let settings = inner.settings.current();
    let sources: Vec<SourceConfig> = settings
        .sources
        .iter()
        .filter(|source| source.enabled)
        .cloned()
        .collect();
    if sources.is_empty() {
        return Err(StepError::Blocked {
            setting: SettingKey::Sources,
            reason: "No search source is switched on: add one in Settings".into(),
        });
    }
    let names: Vec<&str> = sources.iter().map(|s| s.name.as_str()).collect();
    let asking = format!("Searching {} for releases", names.join(", "));
    pipeline
        .transition(job.request_id, RequestState::Searching, &asking, None)
        .await?;

    let wanted = wanted(&inner.db, &subject, &work, item).await?;
    let profile = match work.is_4k {
        true => &settings.quality_profile_4k,
        false => &settings.quality_profile,
    };
    let target = Target {
        imdb_id: subject.imdb_id.clone(),
        title: subject.title.clone(),
        year: subject.year,
    };
    let scopes: Vec<Scope> = match wanted.is_show() {
        true => wanted.seasons.keys().map(|&s| Scope::Season(s)).collect(),
        false => vec![Scope::Movie],
    };
    let mut found = inner.search.search(&sources, &target, &scopes).await;
    let mut ranked = rank(&wanted, profile, found.offers.clone()).await;

    let episodes = episodes_to_ask(&wanted, &ranked);
    let addons: Vec<SourceConfig> = sources
        .iter()
        .filter(|source| source.kind == SourceKind::Stremio)
        .cloned()
        .collect();
    if !episodes.is_empty() && !addons.is_empty() {
        let more = inner.search.search(&addons, &target, &episodes).await;
        found.absorb(more);
        ranked = rank(&wanted, profile, found.offers.clone()).await;
    }
    if found.needed_an_imdb_id() {
        return Err(StepError::NotFound {
            reason: format!(
                "TMDb has no IMDb id for {}, and the sources set up search by one: add a \
                 Torznab or Zilean source, which search by title",
                subject.title
            ),
            then: None,
        });
    }
    if found.all_failed() {
        return Err(StepError::Transient {
            reason: format!("No source answered ({})", failures(&found)),
            retry_after: None,
        });
    }

    let mut tx = db::begin_write(&inner.db).await?;
    db::candidates::replace(&mut tx, job.request_id, &ranked).await?;
    tx.commit().await?;

    let mut summary = ranking::summary(&ranked);
    if found.reports.iter().any(|r| r.error.is_some()) {
        summary.push_str(&format!(" ({})", failures(&found)));
    }
    let Some(best) = ranked.first().filter(|c| c.is_kept()) else {
        return Err(StepError::NotFound {
            reason: format!("Nothing fits yet: {summary}"),
            then: None,
        });
    };
    let mut message = format!("{summary}; best: {}", best.offer.title);
    if wanted.is_show() {
        message.push_str(&coverage(&wanted, &ranked));
    }
    Ok(Completed {
        state: RequestState::Adding,
        message,
        next: Some(super::DEBRID),
    })
}

/// Ranks on a blocking thread: ranking waits for the release parser, which first rebuilds its
/// tables (~0.3 s) when it has been idle, too long to hold up one of the runtime's workers.
async fn rank(wanted: &Wanted, profile: &QualityProfile, offers: Vec<Offer>) -> Vec<Ranked> {
    let (wanted, profile) = (wanted.clone(), profile.clone());
    let ranking = tokio::task::spawn_blocking(move || ranking::rank(&wanted, &profile, offers));
    match ranking.await {
        Ok(ranked) => ranked,
        Err(error) => std::panic::resume_unwind(error.into_panic()),
    }
}

/// How long to wait before searching again after the `searches`th search found nothing:
/// an hour, six, a day, then daily (±5 %, so many such requests spread out).
pub fn next_search_in(searches: i64) -> Duration {
    let hours = match searches {
        ..=1 => 1,
        2 => 6,
        _ => 24,
    };
    Duration::from_secs(hours * 3600).mul_f64(rand::rng().random_range(0.95..1.05))
}

/// Episodes of seasons that no kept pack covers (episode 1 was asked with the season).
fn episodes_to_ask(wanted: &Wanted, ranked: &[Ranked]) -> Vec<Scope> {
    let packed: BTreeSet<u32> = ranked
        .iter()
        .filter_map(|candidate| match &candidate.verdict {
            Verdict::Kept {
                covers,
                is_pack: true,
            } => Some(covers),
            _ => None,
        })
        .flat_map(|covers| covers.iter().map(|(season, _)| *season))
        .collect();
    wanted
        .seasons
        .iter()
        .filter(|(season, _)| !packed.contains(season))
        .flat_map(|(&season, episodes)| {
            episodes
                .iter()
                .filter(|&&episode| episode != 1)
                .map(move |&episode| Scope::Episode(season, episode))
        })
        .take(MOST_EPISODE_QUERIES)
        .collect()
}

/// "; covers 12 of 15 episodes (missing S02E05, S02E06, S02E07)".
fn coverage(wanted: &Wanted, ranked: &[Ranked]) -> String {
    let covered: Episodes = ranked
        .iter()
        .filter_map(|candidate| match &candidate.verdict {
            Verdict::Kept { covers, .. } => Some(covers),
            Verdict::Rejected(_) => None,
        })
        .flatten()
        .copied()
        .collect();
    let all: BTreeMap<(u32, u32), ()> = wanted
        .seasons
        .iter()
        .flat_map(|(&s, episodes)| episodes.iter().map(move |&e| ((s, e), ())))
        .collect();
    let missing: Vec<String> = all
        .keys()
        .filter(|key| !covered.contains(key))
        .map(|(s, e)| format!("S{s:02}E{e:02}"))
        .collect();
    match missing.len() {
        0 => format!("; covers all {} episodes", all.len()),
        n => format!(
            "; covers {} of {} episodes (missing {})",
            all.len() - n,
            all.len(),
            missing
                .iter()
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
                + if n > 5 { ", …" } else { "" }
        ),
    }
}

fn failures(found: &Found) -> String {
    found
        .reports
        .iter()
        .filter_map(|report| Some(format!("{} {}", report.source, report.error.as_ref()?)))
        .collect::<Vec<_>>()
        .join("; ")
}
