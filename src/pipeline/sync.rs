//! The catch-up sync: Overseerr sends each webhook once and never retries, and a desktop app
//! is often off when a request is approved. On start and every few minutes, Linkarr reads
//! Overseerr's approved, not yet available requests and takes on the ones it has not seen,
//! through the same intake as webhooks (a known request is recognised as a repeat).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::clients::overseerr::OverseerrClient;
use crate::config::SettingsStore;
use crate::db::webhooks::Outcome;
use crate::intake::{Action, Delivery, Intake};

pub struct Sync {
    pub client: OverseerrClient,
    pub intake: Intake,
    pub settings: Arc<SettingsStore>,
    /// Rung when Overseerr's URL or key changes: sync at once.
    pub settings_changed: Arc<Notify>,
}

impl Sync {
    pub async fn run(self, shutdown: CancellationToken) {
        loop {
            let minutes = self.settings.current().overseerr_sync_minutes;
            self.sync_once().await;
            tokio::select! {
                () = tokio::time::sleep(Duration::from_secs(minutes * 60)) => {}
                () = self.settings_changed.notified() => {}
                () = shutdown.cancelled() => return,
            }
        }
    }

    /// One pass; returns how many new requests it found (None when not configured or failed).
    pub async fn sync_once(&self) -> Option<usize> {
        let settings = self.settings.current();
        let (Some(url), Some(key)) = (&settings.overseerr_url, &settings.overseerr_key) else {
            return None;
        };
        let requests = match self.client.approved_not_available(url, key).await {
            Ok(requests) => requests,
            Err(error) => {
                tracing::warn!("Catch-up sync with Overseerr failed: {error}");
                return None;
            }
        };
        let mut found = 0;
        for request in requests {
            let delivery = Delivery {
                webhook: None,
                action: Action::Request(request),
            };
            match self.intake.record(delivery).await {
                Ok(receipt) if receipt.outcome == Outcome::Accepted => found += 1,
                Ok(_) => {}
                Err(error) => {
                    tracing::error!("Catch-up sync could not store a request: {error}");
                    return None;
                }
            }
        }
        if found > 0 {
            tracing::info!(
                "Catch-up sync with Overseerr found {found} requests whose webhooks never arrived"
            );
        }
        Some(found)
    }
}
