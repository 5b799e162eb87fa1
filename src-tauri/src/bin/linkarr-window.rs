//! Linkarr's window: the web UI, as the tray app's listener serves it, in a Tauri webview.
//! The tray app starts this process when the window is opened and gives it its orders on
//! standard input (see the crate's docs); closing the window ends the process, and WebKit's
//! processes with it. It also ends when its input does: the tray app has quit.

// No console window behind the window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::io::BufRead;
use std::sync::{Mutex, PoisonError};

use linkarr_desktop::Order;
use serde_json::json;
use tauri::{AppHandle, Manager, Url, WebviewUrl, WebviewWindow, WebviewWindowBuilder};

const MAIN: &str = "main";

/// Where the UI is. Replaced when the listener moves.
#[derive(Clone)]
struct Ui {
    base_url: String,
    api_token: String,
}

impl Ui {
    fn page(&self, route: &str) -> String {
        format!("{}/{route}", self.base_url)
    }

    /// Whether `url` is one of Linkarr's pages: the window's token must not leave them.
    fn serves(&self, url: &Url) -> bool {
        url.as_str().starts_with(&self.page(""))
    }

    /// Run before each page loads; the page reads `window.__LINKARR__`.
    fn init_script(&self) -> String {
        let value = json!({ "apiToken": self.api_token, "desktop": true });
        format!("window.__LINKARR__ = Object.freeze({value});")
    }
}

struct Current(Mutex<Ui>);

impl Current {
    fn get(&self) -> Ui {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn set(&self, ui: Ui) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = ui;
    }
}

fn main() {
    let ui = match first_connect() {
        Ok(ui) => ui,
        Err(error) => {
            eprintln!("The window was not told where Linkarr is: {error}");
            std::process::exit(2);
        }
    };
    let app = tauri::Builder::default()
        .manage(Current(Mutex::new(ui)))
        .setup(|app| {
            follow_orders(app.handle().clone());
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(error) = app {
        eprintln!("The window could not open: {error}");
        std::process::exit(1);
    }
}

/// The first order says where the UI is.
fn first_connect() -> Result<Ui, String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|error| error.to_string())?;
    match Order::from_line(&line) {
        Ok(Order::Connect {
            base_url,
            api_token,
        }) => Ok(Ui {
            base_url,
            api_token,
        }),
        Ok(other) => Err(format!("expected where to connect, got {other:?}")),
        Err(error) => Err(format!("unreadable order ({error})")),
    }
}

/// Reads the orders that follow, on a thread of its own; windows are handled on the main one.
fn follow_orders(app: AppHandle) {
    let spawned = std::thread::Builder::new()
        .name("orders".into())
        .spawn(move || {
            for line in std::io::stdin().lock().lines() {
                let Ok(line) = line else { break };
                match Order::from_line(&line) {
                    Ok(order) => {
                        let handle = app.clone();
                        let _ = app.run_on_main_thread(move || obey(&handle, order));
                    }
                    Err(error) => eprintln!("The window ignored an unreadable order: {error}"),
                }
            }
            // The tray app has quit (or closed the window): so does the window.
            app.exit(0);
        });
    if let Err(error) = spawned {
        eprintln!("The window cannot hear the tray app: {error}");
    }
}

fn obey(app: &AppHandle, order: Order) {
    let current = app.state::<Current>();
    let done = match order {
        Order::Show { route } => match app.get_webview_window(MAIN) {
            Some(window) => bring_forward(&window, &current.get(), &route),
            None => build(app, &current.get().page(&route)),
        },
        Order::Connect {
            base_url,
            api_token,
        } => {
            current.set(Ui {
                base_url,
                api_token,
            });
            follow_move(app, &current.get())
        }
    };
    if let Err(error) = done {
        eprintln!("The window could not do as told: {error}");
    }
}

fn bring_forward(window: &WebviewWindow, ui: &Ui, route: &str) -> tauri::Result<()> {
    if !route.is_empty() {
        window.navigate(parse(&ui.page(route))?)?;
    }
    window.unminimize()?;
    window.show()?;
    window.set_focus()
}

/// The listener moved: the page goes where Linkarr is now, on the same view.
fn follow_move(app: &AppHandle, ui: &Ui) -> tauri::Result<()> {
    let Some(window) = app.get_webview_window(MAIN) else {
        return Ok(());
    };
    let url = window.url()?;
    if ui.serves(&url) {
        return Ok(());
    }
    let route = url.fragment().map(|route| format!("#{route}"));
    window.navigate(parse(&ui.page(route.as_deref().unwrap_or("")))?)
}

/// Opens the UI as the listener serves it, so the window and a browser show the same pages
/// under the same Content-Security-Policy; the window alone is handed the API token.
fn build(app: &AppHandle, url: &str) -> tauri::Result<()> {
    let ui = app.state::<Current>().get();
    let guard = app.clone();
    WebviewWindowBuilder::new(app, MAIN, WebviewUrl::External(parse(url)?))
        .title("Linkarr")
        .inner_size(1100.0, 720.0)
        .min_inner_size(480.0, 400.0)
        .initialization_script(ui.init_script())
        // The token is injected into every page the window loads: it loads only Linkarr's.
        .on_navigation(move |url| {
            let ours = guard.state::<Current>().get().serves(url);
            if !ours {
                let origin = url.origin().ascii_serialization();
                eprintln!("The window stays on Linkarr's pages (blocked {origin})");
            }
            ours
        })
        .build()?;
    Ok(())
}

fn parse(url: &str) -> tauri::Result<Url> {
    url.parse()
        .map_err(|error| tauri::Error::Anyhow(anyhow::anyhow!("bad listener URL {url}: {error}")))
}
