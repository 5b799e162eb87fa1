//! The tray icon: its menu, and a tooltip that says what Linkarr is doing.

use std::time::Duration;

use linkarr::config::SettingKey;
use linkarr::db::requests::Activity;
use tauri::image::Image;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager};
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::core::Running;
use crate::window;

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

    fn from_id(id: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|action| action.id() == id)
    }
}

fn pause_label(paused: bool) -> &'static str {
    match paused {
        true => "Resume processing",
        false => "Pause processing",
    }
}

/// "Linkarr: 2 in progress, 1 needs attention".
pub fn tooltip(activity: Activity, paused: bool) -> String {
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
    format!("Linkarr: {}", parts.join(", "))
}

pub fn create(app: &AppHandle) -> tauri::Result<()> {
    let paused = app.state::<Running>().state.settings.current().paused;
    let item = |action: Action, label: &str| {
        MenuItem::with_id(app, action.id(), label, true, None::<&str>)
    };
    let open = item(Action::Open, "Open Linkarr")?;
    let pause = item(Action::TogglePause, pause_label(paused))?;
    let copy = item(Action::CopyWebhookUrl, "Copy webhook URL")?;
    let quit = item(Action::Quit, "Quit")?;
    let separator = || PredefinedMenuItem::separator(app);
    let menu = Menu::with_items(
        app,
        &[&open, &separator()?, &pause, &copy, &separator()?, &quit],
    )?;
    let tray = TrayIconBuilder::with_id("main")
        .icon(Image::from_bytes(TRAY_ICON)?)
        .tooltip("Linkarr")
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| {
            if let Some(action) = Action::from_id(event.id().as_ref()) {
                perform(app, &action);
            }
        })
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                window::show(tray.app_handle());
            }
        })
        .build(app)?;
    follow_activity(app, tray, pause);
    Ok(())
}

fn perform(app: &AppHandle, action: &Action) {
    match action {
        Action::Open => window::show(app),
        Action::TogglePause => {
            let state = app.state::<Running>().state.clone();
            tauri::async_runtime::spawn(async move {
                let paused = !state.settings.current().paused;
                let change = [(SettingKey::Paused, paused.to_string())];
                if let Err(error) = state.settings.save(&state.db, &change).await {
                    tracing::warn!("Could not pause or resume: {error}");
                }
            });
        }
        Action::CopyWebhookUrl => {
            let url = app.state::<Running>().state.webhook_url();
            match app.clipboard().write_text(url.clone()) {
                Ok(()) => tracing::info!("Copied the webhook URL: {url}"),
                Err(error) => tracing::warn!("Could not copy the webhook URL: {error}"),
            }
        }
        // `exit` runs RunEvent::Exit, where the core is stopped cleanly.
        Action::Quit => app.exit(0),
    }
}

/// Keeps the tooltip and the pause item current: after every request change and settings save.
fn follow_activity(app: &AppHandle, tray: TrayIcon, pause: MenuItem<tauri::Wry>) {
    let state = app.state::<Running>().state.clone();
    let mut changes = state.events.subscribe();
    let mut settings = state.settings.watch();
    tauri::async_runtime::spawn(async move {
        let mut attention_shown = false;
        loop {
            let paused = state.settings.current().paused;
            match linkarr::db::requests::activity(&state.db).await {
                Ok(activity) => {
                    let _ = tray.set_tooltip(Some(tooltip(activity, paused)));
                    let attention = activity.needs_attention > 0;
                    if attention != attention_shown {
                        let icon = if attention {
                            TRAY_ICON_ATTENTION
                        } else {
                            TRAY_ICON
                        };
                        if let Ok(icon) = Image::from_bytes(icon) {
                            let _ = tray.set_icon(Some(icon));
                        }
                        attention_shown = attention;
                    }
                }
                Err(error) => tracing::debug!("Could not count the requests: {error}"),
            }
            let _ = pause.set_text(pause_label(paused));
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

    fn activity(in_progress: i64, needs_attention: i64) -> Activity {
        Activity {
            in_progress,
            needs_attention,
        }
    }

    #[test]
    fn the_tooltip_says_what_is_going_on() {
        assert_eq!(
            tooltip(activity(2, 1), false),
            "Linkarr: 2 in progress, 1 needs attention"
        );
        assert_eq!(tooltip(activity(0, 3), false), "Linkarr: 3 need attention");
        assert_eq!(tooltip(activity(0, 0), false), "Linkarr: all done");
        assert_eq!(tooltip(activity(4, 0), true), "Linkarr: paused, 4 waiting");
        assert_eq!(tooltip(activity(0, 0), true), "Linkarr: paused");
    }
}
