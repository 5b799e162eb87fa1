//! The one window. It exists only while shown: closing it destroys the webview, and with it
//! WebKit's processes, so Linkarr in the tray costs little; opening builds it again.

use tauri::{AppHandle, Manager, Url, WebviewUrl, WebviewWindowBuilder};

use crate::core::{Connection, Running};

pub const MAIN: &str = "main";

/// Shows the window, building it if it was closed.
pub fn show(app: &AppHandle) {
    show_route(app, "");
}

/// Shows the window at a page of the UI (`#/requests/7`), building it if it was closed.
pub fn show_route(app: &AppHandle, route: &str) {
    let connection = &app.state::<Running>().connection;
    let url = format!("{}{route}", connection.page_url());
    let shown = match app.get_webview_window(MAIN) {
        Some(window) => {
            let moved = match route.is_empty() {
                true => Ok(()),
                false => parse(&url).and_then(|url| window.navigate(url)),
            };
            moved
                .and_then(|()| window.unminimize())
                .and_then(|()| window.show())
                .and_then(|()| window.set_focus())
        }
        None => build(app, connection, &url),
    };
    if let Err(error) = shown {
        tracing::warn!("Could not show the window: {error}");
    }
}

/// Opens the UI as the listener serves it, so the window and a browser show the same pages
/// under the same Content-Security-Policy; the window alone is handed the API token.
fn build(app: &AppHandle, connection: &Connection, url: &str) -> tauri::Result<()> {
    let listen = connection.listen.clone();
    WebviewWindowBuilder::new(app, MAIN, WebviewUrl::External(parse(url)?))
        .title("Linkarr")
        .inner_size(1100.0, 720.0)
        .min_inner_size(480.0, 400.0)
        .initialization_script(connection.init_script())
        // The token is injected into every page the window loads: it loads only Linkarr's.
        .on_navigation(move |url| {
            let ours = Connection::is_listener_url(&listen, url.as_str());
            if !ours {
                let origin = url.origin().ascii_serialization();
                tracing::warn!("The window stays on Linkarr's pages (blocked {origin})");
            }
            ours
        })
        .build()?;
    Ok(())
}

/// Closing the window releases it (see the module's note).
pub fn close(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(MAIN)
        && let Err(error) = window.destroy()
    {
        tracing::warn!("Could not close the window: {error}");
    }
}

fn parse(url: &str) -> tauri::Result<Url> {
    url.parse()
        .map_err(|error| tauri::Error::Anyhow(anyhow::anyhow!("bad listener URL {url}: {error}")))
}

/// Follows the listener when the user moves it (a new port in Settings).
pub fn follow_listener(app: &AppHandle) {
    let mut moved = app.state::<Running>().connection.listen.watch();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        while moved.changed().await.is_ok() {
            if app.get_webview_window(MAIN).is_some() {
                show(&app);
            }
        }
    });
}
