//! Desktop notifications: a title is ready to stream, or a request needs the user. Listens to
//! the core's events, keeps what is news (`news`), folds bursts (`burst`), words them (`text`)
//! and shows them (`desktop`); the settings `notify_ready` and `notify_failed` switch them.

mod burst;
mod desktop;
mod news;
mod poster;
mod present;
mod text;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use linkarr::db;
use linkarr::events::Event;
use linkarr::state::AppState;
use tokio::runtime::Handle;
use tokio::sync::broadcast::error::RecvError;

use crate::window::Window;
use burst::Bursts;
use desktop::Desktop;
use news::{Kind, Memory};
use poster::Posters;
use present::Pending;

/// Inside the data folder: posters, and the icon as a file (servers take a path or a name,
/// and the icon's name exists only once the app is installed).
const CACHE_FOLDER: &str = "cache";
const ICON: &[u8] = include_bytes!("../../../icons/128x128.png");

/// Starts listening; notifications follow until the core stops, and a click shows `window`.
/// Call it before the core serves (`Running::serve`), so that nothing goes unheard. It reads
/// the database once before returning, so not from inside an async task.
pub fn start(state: &AppState, runtime: &Handle, window: Arc<Window>) {
    let state = state.clone();
    // Subscribed first, then what is already so read at once (not later in the task): a
    // change committed in between passes for old news, but only for the span of one query.
    let events = state.events.subscribe();
    let memory = runtime.block_on(seeded_memory(&state));
    tracing::debug!("Desktop notifications are listening");
    runtime.spawn(async move {
        let cache = state.data_dir.join(CACHE_FOLDER);
        let icon = write_icon(cache.join("linkarr.png")).await;
        let posters = Posters::new(cache.join("posters"));
        posters.prune().await;
        let notifier = Notifier {
            memory,
            bursts: Bursts::default(),
            posters,
            desktop: Desktop::new(window, icon),
            state,
        };
        notifier.run(events).await;
    });
}

struct Notifier {
    state: AppState,
    memory: Memory,
    bursts: Bursts<Pending>,
    posters: Posters,
    desktop: Desktop,
}

impl Notifier {
    async fn run(mut self, mut events: tokio::sync::broadcast::Receiver<Event>) {
        let shutdown = self.state.shutdown.clone();
        loop {
            let deadline = self.bursts.next_deadline();
            let window_closes = async {
                match deadline {
                    Some(at) => tokio::time::sleep_until(at.into()).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                received = events.recv() => match received {
                    Ok(event) => self.heard(event),
                    // Missed events cannot be told apart now; the next ones still count.
                    Err(RecvError::Lagged(missed)) => {
                        tracing::debug!("Notifications missed {missed} request events");
                    }
                    Err(RecvError::Closed) => return,
                },
                () = window_closes => self.flush().await,
                () = shutdown.cancelled() => return,
            }
        }
    }

    fn heard(&mut self, event: Event) {
        let kind = self.memory.news(
            event.request_id,
            event.state.as_str(),
            &event.message,
            event.next_attempt_at.as_deref(),
        );
        // Remembered even when switched off: switching on later does not replay old news.
        let Some(kind) = kind.filter(|kind| wanted(&self.state, *kind)) else {
            return;
        };
        let pending = Pending {
            request_id: event.request_id,
            message: event.message,
        };
        self.bursts.push(Instant::now(), kind, pending);
    }

    async fn flush(&mut self) {
        for show in self.bursts.due(Instant::now()) {
            // Switched off while the window was open.
            if !wanted(&self.state, show.kind()) {
                continue;
            }
            if let Some(note) = present::note(&self.state, &self.posters, show).await {
                self.desktop.show(note);
            }
        }
    }
}

fn wanted(state: &AppState, kind: Kind) -> bool {
    let settings = state.settings.current();
    match kind {
        Kind::Ready => settings.notify_ready,
        Kind::Attention => settings.notify_failed,
    }
}

/// What is already so when Linkarr starts is not news: requests blocked on a missing key block
/// again at every start, and must not notify again each time.
async fn seeded_memory(state: &AppState) -> Memory {
    let mut memory = Memory::default();
    match db::requests::list(&state.db, None, i64::MAX, 0).await {
        Ok((requests, _)) => {
            for request in requests {
                let notable = news::notable(
                    &request.state,
                    &request.reason,
                    request.next_attempt_at.as_deref(),
                );
                if let Some(notable) = notable {
                    memory.remember(request.id, notable);
                }
            }
        }
        Err(error) => tracing::warn!("Could not read the requests for notifications: {error}"),
    }
    memory
}

/// The icon as a file servers can read; None (the server's default icon) if it cannot be written.
async fn write_icon(path: PathBuf) -> Option<PathBuf> {
    let written = on_blocking_thread(move || {
        if std::fs::read(&path).is_ok_and(|bytes| bytes == ICON) {
            return Ok(path);
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, ICON).map(|()| path)
    })
    .await;
    written
        .inspect_err(|error| tracing::debug!("Notifications go without Linkarr's icon: {error}"))
        .ok()
}

/// File work, off the async runtime.
async fn on_blocking_thread<T: Send + 'static>(
    work: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> Result<T, String> {
    match tokio::task::spawn_blocking(work).await {
        Ok(done) => done.map_err(|error| error.to_string()),
        Err(error) => Err(error.to_string()),
    }
}
