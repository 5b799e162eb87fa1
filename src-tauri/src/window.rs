use tauri::webview::PageLoadEvent;
use tauri::{AppHandle, Manager, Runtime, Url, WebviewUrl, WebviewWindowBuilder};

use crate::core::Connection;

pub const MAIN: &str = "main";

/// Opens the UI as the listener serves it, so the window and a browser show the same pages
/// under the same Content-Security-Policy; the window alone is handed the API token.
pub fn open(app: &AppHandle, connection: &Connection) -> tauri::Result<()> {
    let url: Url = connection
        .page_url()
        .parse()
        .map_err(|error| tauri::Error::Anyhow(anyhow::anyhow!("bad listener URL: {error}")))?;
    let listen = connection.listen.clone();
    WebviewWindowBuilder::new(app, MAIN, WebviewUrl::External(url))
        .title("Linkarr")
        .inner_size(1100.0, 720.0)
        .min_inner_size(480.0, 400.0)
        .initialization_script(connection.init_script())
        // The token is injected into every page the window loads: it loads only Linkarr's.
        .on_navigation(move |url| {
            let ours = Connection::is_listener_url(&listen, url.as_str());
            if !ours {
                tracing::warn!(
                    "The window stays on Linkarr's pages (blocked {})",
                    url.origin().ascii_serialization()
                );
            }
            ours
        })
        .on_page_load(|_, payload| {
            if let PageLoadEvent::Finished = payload.event() {
                tracing::debug!("The window loaded {}", payload.url().path());
            }
        })
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

/// Follows the listener when the user moves it (a new port in Settings).
pub fn follow_listener(app: &AppHandle, connection: &Connection) {
    let mut moved = connection.listen.watch();
    let connection = connection.clone();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        while moved.changed().await.is_ok() {
            let Some(window) = app.get_webview_window(MAIN) else {
                continue;
            };
            match connection.page_url().parse() {
                Ok(url) => {
                    if let Err(error) = window.navigate(url) {
                        tracing::warn!("Could not move the window to the new address: {error}");
                    }
                }
                Err(error) => tracing::warn!("Bad listener URL: {error}"),
            }
        }
    });
}
