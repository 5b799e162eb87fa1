//! What happened to a request, as it happens: stored as a `request_events` row, then announced
//! on an in-process broadcast channel that the UI (over SSE), desktop notifications and the
//! tray listen to.

use serde::Serialize;
use tokio::sync::{broadcast, watch};

use crate::domain::RequestState;

/// Events a slow listener may fall behind by before it misses some (it is told, and reloads).
const CAPACITY: usize = 1024;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    pub request_id: i64,
    pub state: RequestState,
    pub message: String,
    /// ISO-8601 UTC.
    pub at: String,
    /// When a waiting request is tried again (ISO-8601 UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Events {
    sender: broadcast::Sender<Event>,
    /// Bumped after each batch of webhooks is stored; listeners read the new rows themselves,
    /// so the webhook writer's hot path only bumps a counter.
    webhooks: watch::Sender<u64>,
}

impl Default for Events {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(CAPACITY).0,
            webhooks: watch::channel(0).0,
        }
    }
}

impl Events {
    /// Announces `event` (stored already). Nobody listening is fine.
    pub fn publish(&self, event: Event) {
        let _ = self.sender.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.sender.subscribe()
    }

    /// Webhooks were stored (see `webhooks`).
    pub fn webhooks_stored(&self) {
        self.webhooks.send_modify(|batches| *batches += 1);
    }

    pub fn watch_webhooks(&self) -> watch::Receiver<u64> {
        self.webhooks.subscribe()
    }
}
