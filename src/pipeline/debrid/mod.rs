//! The debrid step: try the ranked candidates on Real-Debrid in order until the request is
//! covered (the movie, or every wanted episode: season packs first, then single episodes),
//! and store each stream as references to play later. Nothing cached: `not_found`, searched
//! again later.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use rand::Rng;

use super::subject::{self, Subject};
use super::{Completed, Pipeline, SEARCH, StepError};
use crate::clients::realdebrid::{RdError, TorrentInfo};
use crate::config::{SettingKey, Settings};
use crate::db;
use crate::db::candidates::Kept;
use crate::db::files::NewFile;
use crate::db::jobs::Claimed;
use crate::domain::RequestState;

mod files;
mod probe;

use files::Wanted;
use probe::{Probe, ProbeError, Tried};

/// Candidates that may fail in one run: each costs Real-Debrid calls.
const MOST_FAILURES: usize = 8;
/// How often a download on Real-Debrid is looked at.
const DOWNLOAD_POLL: Duration = Duration::from_secs(30);

pub async fn run(pipeline: &Pipeline, job: &Claimed) -> Result<Completed, StepError> {
    let inner = &pipeline.inner;
    let settings = inner.settings.current();
    let Subject {
        work,
        item,
        title: subject,
    } = subject::subject(pipeline, job.request_id).await?;
    let user = inner
        .rd
        .account(&settings)
        .await
        .map_err(|error| rd_error(&error))?;
    if !user.is_premium() {
        return Err(StepError::Blocked {
            setting: SettingKey::RealdebridToken,
            reason: format!(
                "Real-Debrid premium has run out for {}: new torrents wait until it is renewed",
                user.username
            ),
        });
    }
    let wanted = subject::wanted(&inner.db, &subject, &work, item).await?;
    let have: BTreeSet<(Option<i64>, Option<i64>)> = db::files::of_item(&inner.db, item)
        .await?
        .into_iter()
        .filter(|file| file.broken.is_none())
        .map(|file| (file.season_number, file.episode_number))
        .collect();
    let missing: BTreeSet<(u32, u32)> = wanted
        .seasons
        .iter()
        .flat_map(|(&s, episodes)| episodes.iter().map(move |&e| (s, e)))
        .filter(|&(s, e)| !have.contains(&(Some(i64::from(s)), Some(i64::from(e)))))
        .collect();
    let show = wanted.is_show();
    let mut done = if show {
        missing.is_empty()
    } else {
        have.contains(&(None, None))
    };
    // Following a download, every look would say "Adding" again: the progress says enough.
    if !done && work.state != RequestState::Downloading.as_str() {
        pipeline
            .transition(
                job.request_id,
                RequestState::Adding,
                "Adding to Real-Debrid",
                None,
            )
            .await?;
    }

    let blocked = db::debrid::blocked(&inner.db).await?;
    let candidates: Vec<Kept> = db::candidates::kept(&inner.db, job.request_id)
        .await?
        .into_iter()
        .filter(|candidate| !blocked.contains(&candidate.info_hash))
        .collect();
    let mut probe = Probe {
        pipeline,
        settings: &settings,
        request_id: job.request_id,
        missing,
        account: None,
    };
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    let mut stored: Vec<String> = Vec::new();
    let mut tried = 0;
    let mut failed = 0;
    for candidate in &candidates {
        if done || failed == MOST_FAILURES {
            break;
        }
        if show && !covers_missing(candidate, &probe.missing) {
            continue;
        }
        tried += 1;
        match probe.try_candidate(candidate).await {
            Ok(Tried::Ready(info, pairs)) => {
                let episodes =
                    store(pipeline, job.request_id, item, candidate, &info, &pairs).await?;
                probe.missing.retain(|key| !episodes.contains(key));
                done = !show || probe.missing.is_empty();
                stored.push(candidate.title.clone());
            }
            Ok(Tried::Downloading(info)) => {
                return Err(downloading(pipeline, job.request_id, &info).await?);
            }
            Ok(Tried::Skipped(reason)) => {
                failed += 1;
                *skipped.entry(reason).or_default() += 1;
            }
            Err(ProbeError::Database(error)) => return Err(error.into()),
            Err(ProbeError::Rd(RdError::SlotsFull)) => {
                return Err(slots_full(pipeline, &settings).await);
            }
            Err(ProbeError::Rd(error)) => return Err(rd_error(&error)),
        }
    }

    // Nothing Linkarr added for this request and gave up on stays on the account.
    pipeline.remove_torrents_of(job.request_id).await;
    if done {
        let title = match subject.year {
            Some(year) => format!("{} ({year})", subject.title),
            None => subject.title.clone(),
        };
        let mut message = format!("Ready to stream: {title}");
        if let Some(best) = stored.first() {
            message.push_str(&format!(", from {best}"));
        }
        if let Some(note) =
            super::available::tell_overseerr(pipeline, &settings, &work, &wanted).await
        {
            message.push_str(&format!(" ({note})"));
        }
        return Ok(Completed {
            state: RequestState::Ready,
            message,
            next: None,
        });
    }
    let mut reason = match (show, stored.is_empty()) {
        (true, false) => format!("{} episodes still missing", probe.missing.len()),
        _ => "Nothing on Real-Debrid yet".to_owned(),
    };
    let summary: Vec<String> = skipped
        .iter()
        .map(|(why, n)| format!("{n} {why}"))
        .collect();
    match summary.is_empty() {
        true => reason.push_str(": no candidate left to try"),
        false => reason.push_str(&format!(": {tried} tried, {}", summary.join(", "))),
    }
    Err(StepError::NotFound {
        reason,
        then: Some(SEARCH),
    })
}

fn covers_missing(candidate: &Kept, missing: &BTreeSet<(u32, u32)>) -> bool {
    let covers: Vec<(u32, u32)> = serde_json::from_str::<Vec<[u32; 2]>>(&candidate.covers)
        .unwrap_or_default()
        .into_iter()
        .map(|[s, e]| (s, e))
        .collect();
    covers.iter().any(|key| missing.contains(key))
}

/// Stores the files RD has; returns the episodes they hold.
async fn store(
    pipeline: &Pipeline,
    request_id: i64,
    item: i64,
    candidate: &Kept,
    info: &TorrentInfo,
    pairs: &[(Wanted, String)],
) -> Result<Vec<(u32, u32)>, StepError> {
    let mut tx = db::begin_write(&pipeline.inner.db).await?;
    let mut episodes = Vec::new();
    for (wanted, link) in pairs {
        let Some(file) = info.files.iter().find(|f| f.id == wanted.file_id) else {
            continue;
        };
        let videos: Vec<(Option<u32>, Option<u32>)> = match wanted.episodes.as_slice() {
            [] => vec![(None, None)],
            list => list.iter().map(|&(s, e)| (Some(s), Some(e))).collect(),
        };
        for (season, episode) in videos {
            let token = play_token();
            db::files::upsert(
                &mut tx,
                &NewFile {
                    media_item_id: item,
                    request_id,
                    season_number: season,
                    episode_number: episode,
                    info_hash: &candidate.info_hash,
                    rd_torrent_id: &info.id,
                    rd_file_id: file.id,
                    path: &file.path,
                    size_bytes: file.bytes,
                    restricted_link: link,
                    resolution: candidate.resolution.as_deref(),
                    quality: candidate.quality.as_deref(),
                    play_token: &token,
                },
            )
            .await?;
        }
        episodes.extend(wanted.episodes.iter().copied());
    }
    db::library::set_available(&mut tx, item).await?;
    tx.commit().await?;
    Ok(episodes)
}

/// 32 hex characters from the OS's generator: unguessable.
fn play_token() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

async fn downloading(
    pipeline: &Pipeline,
    request_id: i64,
    info: &TorrentInfo,
) -> Result<StepError, sqlx::Error> {
    let message = probe::progress(info);
    db::requests::set_progress(&pipeline.inner.db, request_id, info.progress).await?;
    Ok(StepError::Downloading {
        message,
        retry_after: DOWNLOAD_POLL,
    })
}

async fn slots_full(pipeline: &Pipeline, settings: &Settings) -> StepError {
    let reason = match pipeline.inner.rd.active_count(settings).await {
        Ok(count) => format!(
            "Waiting for a free Real-Debrid torrent slot ({} of {} in use)",
            count.nb, count.limit
        ),
        Err(_) => "Waiting for a free Real-Debrid torrent slot".to_owned(),
    };
    StepError::Wait {
        reason,
        retry_after: Duration::from_secs(120),
    }
}

/// What each Real-Debrid failure means for the request.
fn rd_error(error: &RdError) -> StepError {
    let blocked = |reason: String| StepError::Blocked {
        setting: SettingKey::RealdebridToken,
        reason,
    };
    // Waiting out a service's limits says nothing about the request: not a failed attempt.
    let wait = |retry_after: Duration| StepError::Wait {
        reason: error.to_string(),
        retry_after,
    };
    match error {
        RdError::MissingToken => {
            blocked("Waiting for a Real-Debrid token: add yours in Settings".into())
        }
        RdError::BadToken | RdError::Account(_) => blocked(format!(
            "{error}: check the token in Settings; the request resumes once it is saved"
        )),
        RdError::RateLimited(after) => wait(after.unwrap_or(Duration::from_secs(60))),
        RdError::CoolingDown(left) => wait(*left),
        RdError::TrafficExhausted | RdError::HosterUnavailable(_) => {
            wait(Duration::from_secs(3600))
        }
        _ => StepError::Transient {
            reason: error.to_string(),
            retry_after: None,
        },
    }
}
