//! Linkarr's desktop app: the same core as `linkarr serve`, plus a window and a tray icon.

// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod autostart;
mod core;
mod notify;
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
        // First: a second launch hands over to the running Linkarr (one listener, one
        // database) and exits before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, _, _| {
            tracing::info!("Linkarr was started again: showing its window");
            window::show(app);
        }))
        .plugin(autostart::plugin())
        .plugin(tauri_plugin_clipboard_manager::init())
        .setup(|app| {
            app.manage(core::start()?);
            // At once: a webhook can arrive the moment the listener opens.
            notify::start(app.handle());
            if !autostart::started_minimized() {
                window::show(app.handle());
            }
            window::follow_listener(app.handle());
            tray::create(app.handle())?;
            autostart::follow_setting(app.handle());
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
                window::close(window.app_handle());
            }
        })
        .build(tauri::generate_context!())?;
    app.run(|handle, event| match event {
        // The last window closed (destroyed, to free its webview): stay in the tray.
        RunEvent::ExitRequested {
            code: None, api, ..
        } => api.prevent_exit(),
        RunEvent::Exit => handle.state::<core::Running>().stop(),
        _ => {}
    });
    Ok(())
}
