//! The tray icon: its menu, and what Linkarr is doing, as a tooltip where the platform shows
//! one and as the menu's first line everywhere (Linux trays have no tooltips).
//!
//! Tray objects live on the main thread; the core's tasks send it a [`Look`] instead.

use std::io::Cursor;
use std::time::Duration;

use anyhow::Context;
use linkarr::db::requests::Activity;
use linkarr::state::AppState;
use tray_icon::menu::{Menu, MenuItem, PredefinedMenuItem};
use tray_icon::{Icon, TrayIcon, TrayIconBuilder};

const TRAY_ICON: &[u8] = include_bytes!("../../icons/tray.png");
/// The same with a red dot: something needs the user.
const TRAY_ICON_ATTENTION: &[u8] = include_bytes!("../../icons/tray-attention.png");
/// Changes come in bursts (a catch-up, a search): count once they settle.
const SETTLE: Duration = Duration::from_millis(300);

/// What the tray menu can ask for.
#[derive(Debug, PartialEq, Eq)]
pub enum Action {
    Open,
    TogglePause,
    CopyWebhookUrl,
    Quit,
}

impl Action {
    const ALL: [Action; 4] = [
        Action::Open,
        Action::TogglePause,
        Action::CopyWebhookUrl,
        Action::Quit,
    ];

    fn id(&self) -> &'static str {
        match self {
            Action::Open => "open",
            Action::TogglePause => "pause",
            Action::CopyWebhookUrl => "copy-webhook-url",
            Action::Quit => "quit",
        }
    }

    pub fn from_id(id: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|action| action.id() == id)
    }
}

fn pause_label(paused: bool) -> &'static str {
    match paused {
        true => "Resume processing",
        false => "Pause processing",
    }
}

/// "2 in progress, 1 needs attention".
pub fn status(activity: Activity, paused: bool) -> String {
    let mut parts = Vec::new();
    if paused {
        parts.push("paused".to_owned());
    }
    if activity.in_progress > 0 {
        let doing = if paused { "waiting" } else { "in progress" };
        parts.push(format!("{} {doing}", activity.in_progress));
    }
    match activity.needs_attention {
        0 => {}
        1 => parts.push("1 needs attention".to_owned()),
        n => parts.push(format!("{n} need attention")),
    }
    if parts.is_empty() {
        parts.push("all done".to_owned());
    }
    parts.join(", ")
}

/// What the tray shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Look {
    pub status: String,
    pub attention: bool,
    pub paused: bool,
}

impl Look {
    fn tooltip(&self) -> String {
        format!("Linkarr: {}", self.status)
    }

    /// The menu's first line: "2 in progress, 1 needs attention".
    fn headline(&self) -> String {
        let mut chars = self.status.chars();
        chars.next().map_or_else(String::new, |first| {
            first.to_uppercase().chain(chars).collect()
        })
    }
}

pub struct Tray {
    icon: TrayIcon,
    headline: MenuItem,
    pause: MenuItem,
    attention_shown: bool,
    /// Kept: on X11 the copied text is served by whoever copied it, for as long as they live.
    clipboard: Option<arboard::Clipboard>,
}

impl Tray {
    /// Call on the main thread, once its event loop runs (GTK's, on Linux).
    pub fn create(paused: bool) -> anyhow::Result<Tray> {
        let item = |action: Action, label: &str| MenuItem::with_id(action.id(), label, true, None);
        let headline = MenuItem::new("Linkarr", false, None);
        let pause = item(Action::TogglePause, pause_label(paused));
        let menu = Menu::with_items(&[
            &headline,
            &PredefinedMenuItem::separator(),
            &item(Action::Open, "Open Linkarr"),
            &PredefinedMenuItem::separator(),
            &pause,
            &item(Action::CopyWebhookUrl, "Copy webhook URL"),
            &PredefinedMenuItem::separator(),
            &item(Action::Quit, "Quit"),
        ])?;
        let icon = TrayIconBuilder::new()
            .with_id("main")
            .with_icon(icon(TRAY_ICON)?)
            .with_tooltip("Linkarr")
            .with_title("")
            .with_menu(Box::new(menu))
            .with_menu_on_left_click(false)
            .build()
            .context("no tray icon")?;
        Ok(Tray {
            icon,
            headline,
            pause,
            attention_shown: false,
            clipboard: None,
        })
    }

    pub fn show(&mut self, look: &Look) {
        let _ = self.icon.set_tooltip(Some(look.tooltip()));
        self.headline.set_text(look.headline());
        self.pause.set_text(pause_label(look.paused));
        if look.attention != self.attention_shown {
            let png = match look.attention {
                true => TRAY_ICON_ATTENTION,
                false => TRAY_ICON,
            };
            if let Ok(image) = icon(png) {
                let _ = self.icon.set_icon(Some(image));
                self.attention_shown = look.attention;
            }
        }
    }

    pub fn copy(&mut self, text: &str) {
        let copied = match self.clipboard.as_mut() {
            Some(clipboard) => clipboard.set_text(text),
            None => arboard::Clipboard::new().and_then(|mut clipboard| {
                clipboard.set_text(text)?;
                self.clipboard = Some(clipboard);
                Ok(())
            }),
        };
        match copied {
            Ok(()) => tracing::info!("Copied the webhook URL: {text}"),
            Err(error) => tracing::warn!("Could not copy the webhook URL: {error}"),
        }
    }
}

fn icon(png_bytes: &[u8]) -> anyhow::Result<Icon> {
    let mut reader = png::Decoder::new(Cursor::new(png_bytes)).read_info()?;
    let mut rgba = vec![0; reader.output_buffer_size().context("icon too large")?];
    let frame = reader.next_frame(&mut rgba)?;
    anyhow::ensure!(
        (frame.color_type, frame.bit_depth) == (png::ColorType::Rgba, png::BitDepth::Eight),
        "tray icons are 8-bit RGBA"
    );
    rgba.truncate(frame.buffer_size());
    Ok(Icon::from_rgba(rgba, frame.width, frame.height)?)
}

/// Sends a new [`Look`] after every request change and settings save.
pub fn follow_activity(
    state: AppState,
    runtime: &tokio::runtime::Handle,
    show: impl Fn(Look) + Send + 'static,
) {
    let mut changes = state.events.subscribe();
    let mut settings = state.settings.watch();
    runtime.spawn(async move {
        loop {
            let paused = state.settings.current().paused;
            match linkarr::db::requests::activity(&state.db).await {
                Ok(activity) => show(Look {
                    status: status(activity, paused),
                    attention: activity.needs_attention > 0,
                    paused,
                }),
                Err(error) => tracing::debug!("Could not count the requests: {error}"),
            }
            tokio::select! {
                changed = changes.recv() => {
                    if matches!(changed, Err(tokio::sync::broadcast::error::RecvError::Closed)) {
                        return;
                    }
                }
                changed = settings.changed() => if changed.is_err() { return },
            }
            tokio::time::sleep(SETTLE).await;
            // What came meanwhile is counted by the next look.
            while changes.try_recv().is_ok() {}
        }
    });
}

/// Pause or resume processing: the `paused` setting, which the workers obey.
pub async fn toggle_pause(state: AppState) {
    let paused = !state.settings.current().paused;
    let change = [(linkarr::config::SettingKey::Paused, paused.to_string())];
    if let Err(error) = state.settings.save(&state.db, &change).await {
        tracing::warn!("Could not pause or resume: {error}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menu_ids_round_trip() {
        for action in Action::ALL {
            assert_eq!(Action::from_id(action.id()), Some(action));
        }
        assert_eq!(Action::from_id("unknown"), None);
    }

    fn look(in_progress: i64, needs_attention: i64, paused: bool) -> Look {
        let activity = Activity {
            in_progress,
            needs_attention,
        };
        Look {
            status: status(activity, paused),
            attention: needs_attention > 0,
            paused,
        }
    }

    #[test]
    fn the_tooltip_says_what_is_going_on() {
        let tooltip = |i, n, p| look(i, n, p).tooltip();
        assert_eq!(
            tooltip(2, 1, false),
            "Linkarr: 2 in progress, 1 needs attention"
        );
        assert_eq!(tooltip(0, 3, false), "Linkarr: 3 need attention");
        assert_eq!(tooltip(0, 0, false), "Linkarr: all done");
        assert_eq!(tooltip(4, 0, true), "Linkarr: paused, 4 waiting");
        assert_eq!(tooltip(0, 0, true), "Linkarr: paused");
    }

    #[test]
    fn the_menu_headline_is_a_sentence() {
        assert_eq!(
            look(2, 1, false).headline(),
            "2 in progress, 1 needs attention"
        );
        assert_eq!(look(0, 0, false).headline(), "All done");
        assert_eq!(look(4, 0, true).headline(), "Paused, 4 waiting");
    }

    #[test]
    fn both_tray_icons_decode() {
        for png in [TRAY_ICON, TRAY_ICON_ATTENTION] {
            icon(png).unwrap();
        }
        assert!(icon(b"not a png").is_err());
    }
}
