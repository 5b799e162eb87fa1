//! Trying one candidate on Real-Debrid: reuse the torrent if the account already has it, else
//! add it; wait out `magnet_conversion`; select the wanted files; see whether RD has them
//! (`downloaded` within a few polls). Linkarr deletes what it gives up on, but only torrents
//! it added itself that no library file uses: the user's own, and the library's, stay.

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
/// However a torrent behaves, one candidate gets no longer than this in one run.
const FOLLOW_LIMIT: Duration = Duration::from_secs(180);
/// Polls after selecting files (immediately, then 1 s and 2 s later, as peers do) before
/// "not downloaded yet" means "not cached".
const CACHE_POLLS: u32 = 3;
/// Times the files are selected before RD is taken not to accept the selection.
const SELECTIONS: u32 = 3;
/// A download that has not finished by then (a swarm without seeders) is let go.
const DOWNLOAD_LIMIT: Duration = Duration::from_secs(3 * 24 * 3600);
/// How long one run follows a download before leaving it to the next run.
const FOLLOW_DOWNLOAD: Duration = Duration::from_secs(20);
const GONE: &str = "gone from Real-Debrid";
const NOTHING_WANTED: &str = "no wanted video file";

/// What trying one candidate came to.
pub enum Tried {
    /// RD has it: the files to store, with their restricted links.
    Ready(TorrentInfo, Vec<(Wanted, String)>),
    /// RD is downloading it (downloads are allowed): come back later.
    Downloading(TorrentInfo),
    /// Not this one; the reason, counted in the summary ("not cached").
    Skipped(String),
}

/// Why a candidate is left: the torrent's own fault (never tried again) or not.
enum Verdict<'a> {
    Bad(&'a str),
    Skip(&'a str),
}

/// A torrent on the account, and whether Linkarr added it for this request.
struct Torrent {
    id: String,
    ours: bool,
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
        if let Some(torrent) = self.existing(hash).await? {
            match self.follow(candidate, &torrent).await? {
                // Deleted on RD's side since (a repair), or holding other files than this
                // request wants (another request's pack): add a copy of its own.
                Tried::Skipped(reason) if reason == GONE || reason == NOTHING_WANTED => {}
                tried => return Ok(tried),
            }
        }
        let rd = &self.pipeline.inner.rd;
        let id = match rd.add_magnet(self.settings, hash).await {
            Ok(id) => id,
            Err(RdError::Infringing) => return self.refuse(hash, "filtered by Real-Debrid").await,
            Err(error @ RdError::BadTorrent(_)) => {
                return self.refuse(hash, &error.to_string()).await;
            }
            Err(RdError::AlreadyActive) => {
                // Added since the account was read: find it there.
                self.account = None;
                return match self.existing(hash).await? {
                    Some(torrent) => self.follow(candidate, &torrent).await,
                    None => Ok(Tried::Skipped(
                        "already on the account, yet not listed".into(),
                    )),
                };
            }
            Err(RdError::Refused(words)) => return Ok(Tried::Skipped(words)),
            Err(error) => return Err(error.into()),
        };
        // At once: a restart between here and the end must find it again.
        db::debrid::record(&self.pipeline.inner.db, self.request_id, hash, &id, true).await?;
        self.follow(candidate, &Torrent { id, ours: true }).await
    }

    /// The torrent this request already added, or one the account has with the same hash.
    async fn existing(&mut self, hash: &str) -> Result<Option<Torrent>, ProbeError> {
        let db = &self.pipeline.inner.db;
        if let Some((id, ours)) = db::debrid::torrent_for(db, self.request_id, hash).await? {
            return Ok(Some(Torrent { id, ours }));
        }
        if self.account.is_none() {
            let torrents = self.pipeline.inner.rd.torrents(self.settings).await?;
            let by_hash = torrents
                .into_iter()
                .map(|t| (t.hash.to_ascii_lowercase(), t.id));
            self.account = Some(by_hash.collect());
        }
        let Some(id) = self.account.as_ref().and_then(|a| a.get(hash).cloned()) else {
            return Ok(None);
        };
        db::debrid::record(db, self.request_id, hash, &id, false).await?;
        Ok(Some(Torrent { id, ours: false }))
    }

    async fn follow(&mut self, candidate: &Kept, torrent: &Torrent) -> Result<Tried, ProbeError> {
        let id = torrent.id.as_str();
        let started = Instant::now();
        let (mut polls, mut waiting_polls, mut selections) = (0u32, 0u32, 0u32);
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
            let db = &self.pipeline.inner.db;
            db::debrid::update(db, id, &info.status, info.progress, info.speed).await?;
            if started.elapsed() > FOLLOW_LIMIT {
                return self
                    .give_up(
                        candidate,
                        torrent,
                        Verdict::Skip("Real-Debrid took too long"),
                    )
                    .await;
            }
            let mut pause = poll_pause(polls);
            match info.status.as_str() {
                "downloaded" => return self.links(candidate, torrent, info).await,
                "magnet_conversion" if started.elapsed() > CONVERSION_LIMIT => {
                    let verdict = Verdict::Skip("Real-Debrid could not read it");
                    return self.give_up(candidate, torrent, verdict).await;
                }
                "waiting_files_selection" if selections == SELECTIONS => {
                    let verdict = Verdict::Skip("Real-Debrid ignored the file selection");
                    return self.give_up(candidate, torrent, verdict).await;
                }
                "waiting_files_selection" => {
                    let wanted = self.wanted_files(candidate, &info);
                    if wanted.is_empty() {
                        return self
                            .give_up(candidate, torrent, Verdict::Skip(NOTHING_WANTED))
                            .await;
                    }
                    let ids: Vec<u64> = wanted.iter().map(|w| w.file_id).collect();
                    self.pipeline
                        .inner
                        .rd
                        .select_files(self.settings, id, &ids)
                        .await?;
                    selections += 1;
                    // What RD has is `downloaded` at once: look again without waiting.
                    if selections == 1 {
                        pause = Duration::ZERO;
                    }
                }
                "magnet_error" | "error" | "virus" | "dead" => {
                    let reason = info.status.replace('_', " ");
                    return self
                        .give_up(candidate, torrent, Verdict::Bad(&reason))
                        .await;
                }
                "queued" | "downloading" | "compressing" | "uploading" => {
                    if self.settings.debrid_mode == DebridMode::AllowDownloads {
                        if db::debrid::age(db, id).await? > DOWNLOAD_LIMIT {
                            let verdict = Verdict::Skip("not downloaded within three days");
                            return self.give_up(candidate, torrent, verdict).await;
                        }
                        let since = *downloading_since.get_or_insert_with(Instant::now);
                        if since.elapsed() > FOLLOW_DOWNLOAD {
                            return Ok(Tried::Downloading(info));
                        }
                        self.report_progress(&info, &mut reported).await?;
                    } else {
                        waiting_polls += 1;
                        if waiting_polls >= CACHE_POLLS {
                            // Not blocked: it may be cached another day.
                            return self
                                .give_up(candidate, torrent, Verdict::Skip("not cached"))
                                .await;
                        }
                        pause = Duration::from_secs(u64::from(waiting_polls));
                    }
                }
                _ => {}
            }
            polls += 1;
            tokio::time::sleep(pause).await;
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
        let message = progress(info);
        pipeline
            .transition(self.request_id, RequestState::Downloading, &message, None)
            .await?;
        Ok(())
    }

    /// RD has the files: pair each selected file with its link, in order.
    async fn links(
        &mut self,
        candidate: &Kept,
        torrent: &Torrent,
        info: TorrentInfo,
    ) -> Result<Tried, ProbeError> {
        let selected: Vec<u64> = info
            .files
            .iter()
            .filter(|f| f.selected == 1)
            .map(|f| f.id)
            .collect();
        if info.links.len() == 1 && selected.len() > 1 {
            return self
                .give_up(candidate, torrent, Verdict::Bad("packed into one archive"))
                .await;
        }
        if info.links.len() != selected.len() {
            let verdict = Verdict::Skip("links do not match its files");
            return self.give_up(candidate, torrent, verdict).await;
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
                .give_up(candidate, torrent, Verdict::Skip(NOTHING_WANTED))
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

    /// Leaves the candidate: deletes the torrent if Linkarr added it and nothing plays from
    /// it; a bad torrent's hash is never tried again.
    async fn give_up(
        &mut self,
        candidate: &Kept,
        torrent: &Torrent,
        verdict: Verdict<'_>,
    ) -> Result<Tried, ProbeError> {
        let db = &self.pipeline.inner.db;
        if torrent.ours && !db::files::uses_torrent(db, &torrent.id).await? {
            self.pipeline
                .inner
                .rd
                .delete(self.settings, &torrent.id)
                .await?;
            db::debrid::forget(db, &torrent.id).await?;
            if let Some(account) = &mut self.account {
                account.remove(&candidate.info_hash);
            }
        }
        match verdict {
            Verdict::Bad(reason) => self.refuse(&candidate.info_hash, reason).await,
            Verdict::Skip(reason) => Ok(Tried::Skipped(reason.to_owned())),
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

/// 250 ms, 500 ms, 1 s, then every 2 s: a magnet RD knows is read at once, a slow one is not
/// polled hard.
fn poll_pause(polls: u32) -> Duration {
    Duration::from_millis(250 << polls.min(3)).min(Duration::from_secs(2))
}
