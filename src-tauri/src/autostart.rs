//! Start at login, hidden in the tray: the `start_at_login` setting (Settings, or
//! `LINKARR_START_AT_LOGIN`) is the truth, and the login entry follows it.

use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Manager, Wry};
use tauri_plugin_autostart::{MacosLauncher, ManagerExt};

use crate::core::Running;

/// Given to the login entry: start in the tray, without opening the window.
pub const MINIMIZED: &str = "--minimized";

pub fn plugin() -> TauriPlugin<Wry> {
    tauri_plugin_autostart::init(MacosLauncher::LaunchAgent, Some(vec![MINIMIZED]))
}

/// Whether this start came from the login entry.
pub fn started_minimized() -> bool {
    std::env::args().any(|arg| arg == MINIMIZED)
}

/// Writes or removes the login entry now and after every settings save that changes it.
pub fn follow_setting(app: &AppHandle) {
    let mut settings = app.state::<Running>().state.settings.watch();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            let wanted = settings.borrow_and_update().start_at_login;
            apply(&app, wanted);
            if settings.changed().await.is_err() {
                return;
            }
        }
    });
}

fn apply(app: &AppHandle, wanted: bool) {
    let launcher = app.autolaunch();
    if launcher.is_enabled().ok() == Some(wanted) {
        return;
    }
    let done = match wanted {
        true => launcher.enable(),
        false => launcher.disable(),
    };
    match (done, wanted) {
        (Ok(()), true) => tracing::info!("Linkarr will start at login, in the tray"),
        (Ok(()), false) => tracing::info!("Linkarr will no longer start at login"),
        (Err(error), _) => tracing::warn!("Could not change starting at login: {error}"),
    }
}
