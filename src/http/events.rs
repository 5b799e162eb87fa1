//! `GET /api/v1/events`: request state changes as Server-Sent Events, for the UI to update
//! without reloading. Each event is `event: request` with the change as JSON; `event: lagged`
//! means this listener fell behind and missed some (reload the list).

use std::convert::Infallible;

use axum::extract::State;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::{Stream, StreamExt};
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;

use crate::state::AppState;

pub async fn stream(
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let changes = BroadcastStream::new(state.events.subscribe())
        .map(|change| {
            Ok(match change {
                Ok(event) => SseEvent::default()
                    .event("request")
                    .json_data(&event)
                    .unwrap_or_else(|_| SseEvent::default().comment("unserialisable event")),
                Err(BroadcastStreamRecvError::Lagged(missed)) => {
                    SseEvent::default().event("lagged").data(missed.to_string())
                }
            })
        })
        // An open stream would otherwise hold a graceful shutdown forever.
        .take_until(state.shutdown.cancelled_owned());
    Sse::new(changes).keep_alive(KeepAlive::default())
}
