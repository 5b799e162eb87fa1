//! Trying one candidate on Real-Debrid: reuse the torrent if the account already has it, else
//! add it; wait out `magnet_conversion`; select the wanted files; see whether RD has them
//! (`downloaded` within a few polls). Whatever Linkarr gives up on is deleted from the account.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use tokio::time::Instant;

use super::files::{self, Wanted};
use crate::clients::realdebrid::{RdError, TorrentInfo};
use crate::config::{DebridMode, Settings};
use crate::db;
use crate::db::candidates::Kept;
use crate::domain::RequestState;
use crate::pipeline::Pipeline;

/// How long RD may take to read a magnet before the torrent counts as dead.
const CONVERSION_LIMIT: Duration = Duration::from_secs(60);
/// Polls after selecting files before "not downloaded yet" means "not cached".
const CACHE_POLLS: u32 = 3;
const GONE: &str = "gone from Real-Debrid";
/// How long one run follows a download before leaving it to the next run.
const FOLLOW_DOWNLOAD: Duration = Duration::from_secs(20);

/// What trying one candidate came to.
pub enum Tried {
    /// RD has it: the files to store, with their restricted links.
    Ready(TorrentInfo, Vec<(Wanted, String)>),
    /// RD is downloading it (downloads are allowed): come back later.
    Downloading(TorrentInfo),
    /// Not this one; the reason, counted in the summary ("not cached").
    Skipped(String),
}

pub struct Probe<'a> {
    pub pipeline: &'a Pipeline,
    pub settings: &'a Settings,
    pub request_id: i64,
    /// Shows: the episodes still missing. Empty for a movie.
    pub missing: BTreeSet<(u32, u32)>,
    /// The account's torrents by infohash, read once per run when first needed.
    pub account: Option<HashMap<String, String>>,
}

impl Probe<'_> {
    pub async fn try_candidate(&mut self, candidate: &Kept) -> Result<Tried, ProbeError> {
        let hash = candidate.info_hash.as_str();
        if let Some(id) = self.existing(hash).await? {
            match self.follow(candidate, &id).await? {
                // Deleted on RD's side since (a repair): add it again below.
                Tried::Skipped(reason) if reason == GONE => {}
                tried => return Ok(tried),
            }
        }
        let id = match self.pipeline.inner.rd.add_magnet(self.settings, hash).await {
            Ok(id) => id,
            Err(RdError::Infringing) => return self.refuse(hash, "filtered by Real-Debrid").await,
            Err(RdError::Refused(words)) => return self.refuse(hash, &words).await,
            Err(error) => return Err(error.into()),
        };
        // At once: a restart between here and the end must find it again.
        db::debrid::record(&self.pipeline.inner.db, self.request_id, hash, &id).await?;
        self.follow(candidate, &id).await
    }

    /// The torrent this request already added, or one the account has with the same hash.
    async fn existing(&mut self, hash: &str) -> Result<Option<String>, ProbeError> {
        if let Some(id) =
            db::debrid::torrent_for(&self.pipeline.inner.db, self.request_id, hash).await?
        {
            return Ok(Some(id));
        }
        if self.account.is_none() {
            let torrents = self.pipeline.inner.rd.torrents(self.settings).await?;
            self.account = Some(
                torrents
                    .into_iter()
                    .map(|t| (t.hash.to_ascii_lowercase(), t.id))
                    .collect(),
            );
        }
        let found = self
            .account
            .as_ref()
            .and_then(|account| account.get(hash).cloned());
        if let Some(id) = &found {
            db::debrid::record(&self.pipeline.inner.db, self.request_id, hash, id).await?;
        }
        Ok(found)
    }

    async fn follow(&mut self, candidate: &Kept, id: &str) -> Result<Tried, ProbeError> {
        let started = Instant::now();
        let mut polls = 0u32;
        let mut waiting_polls = 0u32;
        let mut downloading_since = None;
        let mut reported = None;
        loop {
            let info = match self.pipeline.inner.rd.info(self.settings, id).await {
                Ok(info) => info,
                Err(RdError::NotFound) => {
                    db::debrid::forget(&self.pipeline.inner.db, id).await?;
                    if let Some(account) = &mut self.account {
                        account.remove(&candidate.info_hash);
                    }
                    return Ok(Tried::Skipped(GONE.into()));
                }
                Err(error) => return Err(error.into()),
            };
            db::debrid::update(
                &self.pipeline.inner.db,
                id,
                &info.status,
                info.progress,
                info.speed,
            )
            .await?;
            match info.status.as_str() {
                "downloaded" => return self.links(candidate, info).await,
                "magnet_conversion" if started.elapsed() > CONVERSION_LIMIT => {
                    return self
                        .give_up(candidate, id, Some("Real-Debrid could not read it"))
                        .await;
                }
                "waiting_files_selection" => {
                    let wanted = self.wanted_files(candidate, &info);
                    if wanted.is_empty() {
                        return self
                            .give_up(candidate, id, Some("no wanted video file"))
                            .await;
                    }
                    let ids: Vec<u64> = wanted.iter().map(|w| w.file_id).collect();
                    self.pipeline
                        .inner
                        .rd
                        .select_files(self.settings, id, &ids)
                        .await?;
                    // What RD has is `downloaded` at once: look without waiting.
                    continue;
                }
                "magnet_error" | "error" | "virus" | "dead" => {
                    let reason = info.status.replace('_', " ");
                    return self.give_up(candidate, id, Some(&reason)).await;
                }
                "queued" | "downloading" | "compressing" | "uploading" => {
                    if self.settings.debrid_mode == DebridMode::AllowDownloads {
                        let since = *downloading_since.get_or_insert_with(Instant::now);
                        if since.elapsed() > FOLLOW_DOWNLOAD {
                            return Ok(Tried::Downloading(info));
                        }
                        self.report_progress(&info, &mut reported).await?;
                        polls += 1;
                        tokio::time::sleep(poll_pause(polls)).await;
                        continue;
                    }
                    waiting_polls += 1;
                    if waiting_polls >= CACHE_POLLS {
                        // Not blocked: it may be cached another day.
                        return self.give_up(candidate, id, None).await;
                    }
                }
                _ => {}
            }
            polls += 1;
            tokio::time::sleep(poll_pause(polls)).await;
        }
    }

    /// Shows the download's progress on the request, when it moved by a percent or more.
    async fn report_progress(
        &self,
        info: &TorrentInfo,
        reported: &mut Option<f64>,
    ) -> Result<(), ProbeError> {
        if reported.is_some_and(|last| info.progress - last < 1.0) {
            return Ok(());
        }
        *reported = Some(info.progress);
        let pipeline = self.pipeline;
        db::requests::set_progress(&pipeline.inner.db, self.request_id, info.progress).await?;
        pipeline
            .transition(
                self.request_id,
                RequestState::Downloading,
                &progress(info),
                None,
            )
            .await?;
        Ok(())
    }

    /// RD has the files: pair each selected file with its link, in order.
    async fn links(&mut self, candidate: &Kept, info: TorrentInfo) -> Result<Tried, ProbeError> {
        let selected: Vec<u64> = info
            .files
            .iter()
            .filter(|f| f.selected == 1)
            .map(|f| f.id)
            .collect();
        if info.links.len() == 1 && selected.len() > 1 {
            return self
                .give_up(candidate, &info.id, Some("packed into one archive"))
                .await;
        }
        if info.links.len() != selected.len() {
            return self
                .give_up(candidate, &info.id, Some("links do not match its files"))
                .await;
        }
        let wanted = self.wanted_files(candidate, &info);
        let pairs: Vec<(Wanted, String)> = wanted
            .into_iter()
            .filter_map(|w| {
                let index = selected.iter().position(|id| *id == w.file_id)?;
                Some((w, info.links[index].clone()))
            })
            .collect();
        if pairs.is_empty() {
            return self
                .give_up(candidate, &info.id, Some("no wanted video file"))
                .await;
        }
        Ok(Tried::Ready(info, pairs))
    }

    fn wanted_files(&self, candidate: &Kept, info: &TorrentInfo) -> Vec<Wanted> {
        if self.missing.is_empty() {
            return files::for_movie(&info.files).into_iter().collect();
        }
        let covers: Vec<[u32; 2]> = serde_json::from_str(&candidate.covers).unwrap_or_default();
        let mut seasons: Vec<u32> = covers.iter().map(|[season, _]| *season).collect();
        seasons.dedup();
        files::for_episodes(&info.files, &self.missing, &seasons)
    }

    /// Deletes the torrent from the account; `block` keeps the hash from being tried again.
    async fn give_up(
        &mut self,
        candidate: &Kept,
        id: &str,
        block: Option<&str>,
    ) -> Result<Tried, ProbeError> {
        self.pipeline.inner.rd.delete(self.settings, id).await?;
        db::debrid::forget(&self.pipeline.inner.db, id).await?;
        if let Some(account) = &mut self.account {
            account.remove(&candidate.info_hash);
        }
        match block {
            Some(reason) => self.refuse(&candidate.info_hash, reason).await,
            None => Ok(Tried::Skipped("not cached".into())),
        }
    }

    async fn refuse(&self, hash: &str, reason: &str) -> Result<Tried, ProbeError> {
        db::debrid::block(&self.pipeline.inner.db, hash, reason).await?;
        Ok(Tried::Skipped(reason.to_owned()))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    #[error(transparent)]
    Rd(#[from] RdError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// "Downloading on Real-Debrid: 45% at 3.2 MB/s, about 4 min left".
pub fn progress(info: &TorrentInfo) -> String {
    let mut message = format!("Downloading on Real-Debrid: {:.0}%", info.progress);
    if let Some(speed) = info.speed.filter(|speed| *speed > 0) {
        let left = info.bytes as f64 * (100.0 - info.progress) / 100.0 / speed as f64;
        message.push_str(&format!(
            " at {:.1} MB/s, about {} min left",
            speed as f64 / 1e6,
            (left / 60.0).ceil()
        ));
    }
    message
}

/// 250 ms, 500 ms, 1 s, then every 2 s: a cached torrent answers at once, a slow one is not
/// polled hard.
fn poll_pause(polls: u32) -> Duration {
    Duration::from_millis(250 << polls.saturating_sub(1).min(3)).min(Duration::from_secs(2))
}
