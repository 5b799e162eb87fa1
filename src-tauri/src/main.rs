//! Linkarr's desktop app: the same core as `linkarr serve`, plus a window and a tray icon.

// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod core;
mod tray;
mod window;

use tauri::{Manager, RunEvent, WindowEvent};

// The same allocator as `linkarr serve`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    if let Err(error) = run() {
        eprintln!("Linkarr could not start: {error:#}");
        std::process::exit(1);
    }
}

fn run() -> anyhow::Result<()> {
    let app = tauri::Builder::default()
        .setup(|app| {
            let running = core::start()?;
            window::open(app.handle(), &running.connection)?;
            window::follow_listener(app.handle(), &running.connection);
            tray::create(app.handle())?;
            app.manage(running);
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                linkarr::app::stop_signal().await;
                handle.exit(0);
            });
            Ok(())
        })
        .on_window_event(|window, event| {
            // Closing the window keeps Linkarr running in the tray; Quit is in the tray menu.
            if let WindowEvent::CloseRequested { api, .. } = event {
                api.prevent_close();
                if let Err(error) = window.hide() {
                    tracing::warn!("Could not hide the window: {error}");
                }
            }
        })
        .build(tauri::generate_context!())?;
    app.run(|handle, event| {
        if let RunEvent::Exit = event {
            handle.state::<core::Running>().stop();
        }
    });
    Ok(())
}
