//! Showing a notification with notify-rust, and opening the window when it is clicked.
//!
//! `show()` talks D-Bus synchronously, and waiting for a click blocks until the server says
//! the notification is gone, so both run on a thread of their own, never on the async runtime.
//! Clicks are heard on Linux and the BSDs only (`wait_for_action` is the XDG server's);
//! Windows and macOS show the notification plainly.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use notify_rust::Notification;

use super::news::Kind;
use super::text::Text;
use crate::window::Window;

const APP_NAME: &str = "Linkarr";
/// A missing session bus fails every notification alike: said once, then quietly.
static FAILED_BEFORE: AtomicBool = AtomicBool::new(false);

/// Everything a notification needs, owned, so it can move to its thread.
pub struct Note {
    pub kind: Kind,
    pub text: Text,
    pub image: Option<PathBuf>,
}

pub struct Desktop {
    window: Arc<Window>,
    icon: Option<PathBuf>,
}

impl Desktop {
    pub fn new(window: Arc<Window>, icon: Option<PathBuf>) -> Self {
        Self { window, icon }
    }

    pub fn show(&self, note: Note) {
        let window = Arc::clone(&self.window);
        let icon = self.icon.clone();
        let spawned = std::thread::Builder::new()
            .name("notification".into())
            .spawn(move || show_and_wait(&window, icon.as_deref(), &note));
        if let Err(error) = spawned {
            tracing::warn!("Could not show a notification: {error}");
        }
    }
}

fn show_and_wait(window: &Arc<Window>, icon: Option<&Path>, note: &Note) {
    let mut notification = Notification::new();
    notification
        .appname(APP_NAME)
        .summary(&note.text.summary)
        .body(&platform_body(&note.text.body));
    if let Some(icon) = icon.and_then(|icon| icon.to_str()) {
        notification.icon(icon);
    }
    if let Some(image) = note.image.as_deref().and_then(|image| image.to_str()) {
        notification.image_path(image);
    }
    decorate(&mut notification, note.kind);
    #[cfg(all(unix, not(target_os = "macos")))]
    xdg::show(window, notification, &note.text.route);
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    {
        // Clicks are not heard here: nothing to open, nowhere to go.
        let _ = (window, &note.text.route);
        if let Err(error) = notification.show() {
            failed(&error);
        }
    }
}

/// XDG servers may read the body as markup; the others show it as it is.
fn platform_body(body: &str) -> String {
    match cfg!(all(unix, not(target_os = "macos"))) {
        true => super::text::escape_markup(body),
        false => body.to_owned(),
    }
}

/// Hints for the server: what the news is about (servers group and style by category), and
/// how urgent: normal for both kinds, never critical, which would pin it on screen.
#[cfg(all(unix, not(target_os = "macos")))]
fn decorate(notification: &mut Notification, kind: Kind) {
    use notify_rust::{Hint, Urgency};
    let category = match kind {
        Kind::Ready => "transfer.complete",
        Kind::Attention => "transfer.error",
    };
    notification
        .hint(Hint::Category(category.to_owned()))
        // The installed app's launcher (Linkarr.desktop), so the server can name and group it.
        .hint(Hint::DesktopEntry(APP_NAME.to_owned()))
        .urgency(Urgency::Normal);
}

// Windows: no app id, on purpose. A toast under an id no installer registered (every dev
// build) is silently dropped; notify-rust's default id always shows.
#[cfg(not(all(unix, not(target_os = "macos"))))]
fn decorate(_notification: &mut Notification, _kind: Kind) {}

fn failed(error: &notify_rust::error::Error) {
    match FAILED_BEFORE.swap(true, Ordering::Relaxed) {
        false => tracing::warn!("Could not show a desktop notification: {error}"),
        true => tracing::debug!("Could not show a desktop notification: {error}"),
    }
}

#[cfg(all(unix, not(target_os = "macos")))]
mod xdg {
    use std::sync::atomic::AtomicUsize;

    use super::*;

    /// The server's name for a click on the notification itself.
    const DEFAULT_ACTION: &str = "default";
    /// Waiting for a click holds a thread and a D-Bus connection until the server closes the
    /// notification, and some servers keep them for good (a notification centre): only this
    /// many wait at once; beyond it notifications still show, without a click target.
    const MOST_WAITING: usize = 4;

    static WAITING: AtomicUsize = AtomicUsize::new(0);

    pub(super) fn show(window: &Arc<Window>, mut notification: Notification, route: &str) {
        let slot = Slot::take();
        if slot.is_some() {
            // Only offered when someone listens: a click that does nothing is worse than none.
            notification.action(DEFAULT_ACTION, "Open");
        }
        let handle = match notification.show() {
            Ok(handle) => handle,
            Err(error) => return failed(&error),
        };
        if slot.is_none() {
            return;
        }
        handle.wait_for_action(|action| {
            if action == DEFAULT_ACTION {
                window.show_route(route);
            }
        });
    }

    /// One of the `MOST_WAITING` places to wait for a click, given back when dropped (even if
    /// the wait panics inside notify-rust).
    struct Slot;

    impl Slot {
        fn take() -> Option<Slot> {
            WAITING
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |waiting| {
                    (waiting < MOST_WAITING).then_some(waiting + 1)
                })
                .ok()
                .map(|_| Slot)
        }
    }

    impl Drop for Slot {
        fn drop(&mut self) {
            WAITING.fetch_sub(1, Ordering::AcqRel);
        }
    }
}
