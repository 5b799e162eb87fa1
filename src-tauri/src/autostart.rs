//! Start at login, hidden in the tray: the `start_at_login` setting (Settings, or
//! `LINKARR_START_AT_LOGIN`) is the truth, and the login entry follows it. The entry is the one
//! tauri-plugin-autostart writes (`~/.config/autostart/Linkarr.desktop` on Linux), through the
//! same crate.

use auto_launch::{AutoLaunch, AutoLaunchBuilder};
use linkarr::state::AppState;

/// The entry's name, the app's product name.
const APP_NAME: &str = "Linkarr";
/// Given to the login entry: start in the tray, without opening the window.
pub const MINIMIZED: &str = "--minimized";

/// Whether this start came from the login entry.
pub fn started_minimized() -> bool {
    std::env::args().any(|arg| arg == MINIMIZED)
}

/// Writes or removes the login entry now and after every settings save that changes it.
pub fn follow_setting(state: &AppState, runtime: &tokio::runtime::Handle) {
    let launcher = match launcher() {
        Ok(launcher) => launcher,
        Err(error) => return tracing::warn!("Starting at login is not available: {error}"),
    };
    let mut settings = state.settings.watch();
    runtime.spawn(async move {
        loop {
            let wanted = settings.borrow_and_update().start_at_login;
            apply(&launcher, wanted);
            if settings.changed().await.is_err() {
                return;
            }
        }
    });
}

fn launcher() -> anyhow::Result<AutoLaunch> {
    let program = std::env::current_exe()?;
    // Started from an AppImage, the entry must start the image, not its mounted copy.
    let program = std::env::var_os("APPIMAGE").map_or(program, Into::into);
    let program = program.to_string_lossy();
    let mut builder = AutoLaunchBuilder::new();
    builder
        .set_app_name(APP_NAME)
        .set_app_path(&program)
        .set_args(&[MINIMIZED]);
    // A launch agent, as the plugin was set up (the other way scripts System Events).
    #[cfg(target_os = "macos")]
    builder.set_macos_launch_mode(auto_launch::MacOSLaunchMode::LaunchAgent);
    Ok(builder.build()?)
}

fn apply(launcher: &AutoLaunch, wanted: bool) {
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
