use tauri::{AppHandle, Manager, Runtime, WebviewUrl, WebviewWindowBuilder};

use crate::core::Connection;

pub const MAIN: &str = "main";

pub fn open(app: &AppHandle, connection: &Connection) -> tauri::Result<()> {
    // The page shipped in the app (the built `ui/`); it calls the core over HTTP.
    WebviewWindowBuilder::new(app, MAIN, WebviewUrl::App("index.html".into()))
        .title("Linkarr")
        .inner_size(900.0, 640.0)
        .min_inner_size(480.0, 400.0)
        .initialization_script(connection.init_script())
        .build()?;
    Ok(())
}

/// Brings the window back from the tray (or from behind other windows).
pub fn show<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let shown = window
            .unminimize()
            .and_then(|()| window.show())
            .and_then(|()| window.set_focus());
        if let Err(error) = shown {
            tracing::warn!("Could not show the window: {error}");
        }
    }
}
