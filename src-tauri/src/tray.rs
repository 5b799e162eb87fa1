use tauri::image::Image;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Runtime};

use crate::window;

const TRAY_ICON: &[u8] = include_bytes!("../../icons/tray.png");

/// What the tray menu can ask for.
#[derive(Debug, PartialEq, Eq)]
pub enum Action {
    Open,
    Quit,
}

impl Action {
    const ALL: [Action; 2] = [Action::Open, Action::Quit];

    fn id(&self) -> &'static str {
        match self {
            Action::Open => "open",
            Action::Quit => "quit",
        }
    }

    fn label(&self) -> &'static str {
        match self {
            Action::Open => "Open Linkarr",
            Action::Quit => "Quit",
        }
    }

    fn from_id(id: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|action| action.id() == id)
    }
}

pub fn create(app: &AppHandle) -> tauri::Result<()> {
    let open = MenuItem::with_id(
        app,
        Action::Open.id(),
        Action::Open.label(),
        true,
        None::<&str>,
    )?;
    let quit = MenuItem::with_id(
        app,
        Action::Quit.id(),
        Action::Quit.label(),
        true,
        None::<&str>,
    )?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&open, &separator, &quit])?;
    TrayIconBuilder::with_id("main")
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
    Ok(())
}

fn perform<R: Runtime>(app: &AppHandle<R>, action: &Action) {
    match action {
        Action::Open => window::show(app),
        // `exit` runs RunEvent::Exit, where the core is stopped cleanly.
        Action::Quit => app.exit(0),
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
}
