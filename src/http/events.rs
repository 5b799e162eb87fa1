//! `GET /api/v1/events`: what changes, as Server-Sent Events, for the UI to update without
//! reloading. `event: request` is a request's state change; `event: webhook` a webhook just
//! stored (as in the status's `recent`); `event: lagged` means this listener fell behind and
//! missed some (reload the list).

use std::convert::Infallible;

use axum::extract::State;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::{Stream, StreamExt, stream};
use serde::Serialize;
use sqlx::SqlitePool;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;

use super::ApiError;
use crate::db::webhooks;
use crate::state::AppState;

/// Webhooks sent per batch at most; a flood beyond it is summed up by the next status load.
const WEBHOOKS_PER_BATCH: i64 = 50;

pub async fn stream(
    State(state): State<AppState>,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let changes = BroadcastStream::new(state.events.subscribe()).map(|change| match change {
        Ok(event) => json_event("request", &event),
        Err(BroadcastStreamRecvError::Lagged(missed)) => {
            SseEvent::default().event("lagged").data(missed.to_string())
        }
    });
    let newest = webhooks::recent(&state.db, 1, 0).await?;
    let seen = newest.first().map_or(0, |webhook| webhook.id);
    let events = stream::select(changes, stored_webhooks(&state, seen))
        .map(Ok)
        // An open stream would otherwise hold a graceful shutdown forever.
        .take_until(state.shutdown.cancelled_owned());
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}

/// After each batch the webhook writer stores: the webhooks newer than the last one sent.
fn stored_webhooks(state: &AppState, seen: i64) -> impl Stream<Item = SseEvent> + use<> {
    let batches = state.events.watch_webhooks();
    let start = (batches, seen, state.db.clone());
    stream::unfold(start, |(mut batches, seen, db)| async move {
        batches.changed().await.ok()?;
        let stored = newer_webhooks(&db, seen).await;
        let seen = stored.last().map_or(seen, |webhook| webhook.id);
        let events: Vec<SseEvent> = stored
            .iter()
            .map(|webhook| json_event("webhook", webhook))
            .collect();
        Some((stream::iter(events), (batches, seen, db)))
    })
    .flatten()
}

async fn newer_webhooks(db: &SqlitePool, seen: i64) -> Vec<webhooks::Summary> {
    webhooks::after(db, seen, WEBHOOKS_PER_BATCH)
        .await
        .unwrap_or_else(|error| {
            tracing::warn!("Could not read the new webhooks for the UI: {error}");
            Vec::new()
        })
}

fn json_event(name: &'static str, data: &impl Serialize) -> SseEvent {
    SseEvent::default()
        .event(name)
        .json_data(data)
        .unwrap_or_else(|_| SseEvent::default().comment("unserialisable event"))
}
