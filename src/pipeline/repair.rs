//! The library's check-up: every few hours, the torrents behind the library's streams are
//! looked up on Real-Debrid. A torrent gone from the account, or dead there, breaks its files;
//! their requests go back to the debrid step, which adds the same torrent again or takes the
//! next candidate. (A link that stops resolving is caught when it is played.)

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::{Pipeline, Restart};
use crate::clients::realdebrid::RdError;
use crate::db;

/// RD statuses after which a torrent will not serve again.
const LOST: [&str; 4] = ["dead", "error", "magnet_error", "virus"];

impl Pipeline {
    /// Runs the check every `repair_hours` until `shutdown`.
    pub async fn run_repairs(self, shutdown: CancellationToken) {
        loop {
            let hours = self.inner.settings.current().repair_hours;
            tokio::select! {
                () = tokio::time::sleep(Duration::from_secs(hours * 3600)) => {}
                () = shutdown.cancelled() => return,
            }
            match self.repair().await {
                Ok(0) => {}
                Ok(count) => tracing::info!("Repairing {count} requests whose streams broke"),
                Err(error) => tracing::warn!("Could not check the library on Real-Debrid: {error}"),
            }
        }
    }

    /// One check; returns how many requests were sent back to be repaired.
    pub async fn repair(&self) -> Result<usize, RepairError> {
        let files = db::files::all(&self.inner.db).await?;
        if files.is_empty() {
            return Ok(0);
        }
        let settings = self.inner.settings.current();
        let account: HashMap<String, String> = self
            .inner
            .rd
            .torrents(&settings)
            .await?
            .into_iter()
            .map(|torrent| (torrent.id, torrent.status))
            .collect();
        let mut lost: BTreeMap<&str, String> = BTreeMap::new();
        for file in files.iter().filter(|file| file.broken.is_none()) {
            let torrent = file.rd_torrent_id.as_str();
            if lost.contains_key(torrent) {
                continue;
            }
            let status = match account.get(torrent) {
                Some(status) => status.clone(),
                // Not listed: gone only if RD says so when asked about it alone.
                None => match self.inner.rd.info(&settings, torrent).await {
                    Err(RdError::NotFound) => {
                        lost.insert(torrent, "Real-Debrid no longer has its torrent".into());
                        continue;
                    }
                    Ok(info) => info.status,
                    Err(error) => return Err(error.into()),
                },
            };
            if LOST.contains(&status.as_str()) {
                let reason = format!("its torrent is {} on Real-Debrid", status.replace('_', " "));
                lost.insert(torrent, reason);
            }
        }
        let mut repairing = 0;
        for (torrent, reason) in &lost {
            repairing += self.repair_torrent(torrent, reason).await?;
        }
        Ok(repairing)
    }

    /// The files of RD torrent `rd_id` no longer play: they are marked broken, the torrent is
    /// removed from the account, and their requests go back to the debrid step, which adds the
    /// torrent again (or takes the next candidate if RD refuses it). Returns how many requests.
    pub async fn repair_torrent(&self, rd_id: &str, reason: &str) -> Result<usize, RepairError> {
        let requests = db::files::mark_torrent_broken(&self.inner.db, rd_id, reason).await?;
        let settings = self.inner.settings.current();
        if let Err(error) = self.inner.rd.delete(&settings, rd_id).await {
            tracing::warn!("Could not remove torrent {rd_id} from Real-Debrid: {error}");
        }
        db::debrid::forget(&self.inner.db, rd_id).await?;
        let why = format!("Repairing: {reason}");
        for request in &requests {
            if let Err(error) = self.restart(*request, Restart::Debrid, &why).await {
                tracing::warn!("Could not start the repair of request {request}: {error}");
            }
        }
        Ok(requests.len())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RepairError {
    #[error(transparent)]
    RealDebrid(#[from] RdError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}
