//! Linkarr's desktop app, the part that stays resident: the same core as `linkarr serve`, a
//! tray icon, notifications and start at login. It links no webview; the window is a process
//! of its own (see the crate's docs), started from here and gone when closed.

// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod autostart;
mod core;
mod instance;
mod notify;
mod tray;
mod window;

use std::sync::Arc;

use anyhow::Context;
use linkarr::config::Overrides;
use tao::event::{Event, StartCause};
use tao::event_loop::{ControlFlow, EventLoopBuilder};
use tray_icon::TrayIconEvent;
use tray_icon::menu::MenuEvent;

use instance::Claim;
use tray::{Action, Look, Tray};
use window::Window;

// The same allocator as `linkarr serve`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// What reaches the main thread, where the tray lives.
enum Shell {
    Menu(MenuEvent),
    /// The tray icon itself was clicked (not on Linux, where it opens the menu).
    IconClicked,
    Look(Look),
    Quit,
}

fn main() {
    if let Err(error) = run() {
        eprintln!("Linkarr could not start: {error:#}");
        std::process::exit(1);
    }
}

fn run() -> anyhow::Result<()> {
    let overrides = Overrides::from_env();
    let data_dir = overrides.resolve_data_dir()?;
    std::fs::create_dir_all(&data_dir)
        .with_context(|| format!("could not create the data folder {}", data_dir.display()))?;
    // First: a second launch hands over to the running Linkarr (one listener, one database)
    // and exits before anything else starts.
    let instance = match instance::claim(&data_dir).context("could not lock the data folder")? {
        Claim::First(instance) => instance,
        Claim::Running { asked } => {
            match asked {
                true => println!("Linkarr is already running: its window is shown."),
                false => println!("Linkarr is already running."),
            }
            return Ok(());
        }
    };
    let mut core = core::start(overrides, &data_dir)?;
    let runtime = core.runtime.handle().clone();
    let window = Window::new(core.connection.clone());
    // Before serving: a webhook can arrive the moment the listener opens.
    notify::start(&core.state, &runtime, Arc::clone(&window));
    core.serve();
    instance.on_started_again({
        let window = Arc::clone(&window);
        move || window.show()
    });
    if !autostart::started_minimized() {
        window.show();
    }
    window::follow_listener(&window, &runtime);
    autostart::follow_setting(&core.state, &runtime);

    let event_loop = EventLoopBuilder::<Shell>::with_user_event().build();
    let shell = event_loop.create_proxy();
    let to_shell = move |event: Shell| {
        let _ = shell.send_event(event);
    };
    let send = to_shell.clone();
    MenuEvent::set_event_handler(Some(move |event| send(Shell::Menu(event))));
    let send = to_shell.clone();
    TrayIconEvent::set_event_handler(Some(move |event| {
        if let TrayIconEvent::Click { .. } = event {
            send(Shell::IconClicked);
        }
    }));
    let send = to_shell.clone();
    tray::follow_activity(core.state.clone(), &runtime, move |look| {
        send(Shell::Look(look))
    });
    runtime.spawn(async move {
        linkarr::app::stop_signal().await;
        to_shell(Shell::Quit);
    });

    let mut core = Some(core);
    let mut tray: Option<Tray> = None;
    event_loop.run(move |event, _, control_flow| {
        *control_flow = ControlFlow::Wait;
        match event {
            // The tray is made once GTK's loop runs.
            Event::NewEvents(StartCause::Init) => {
                let paused = core
                    .as_ref()
                    .is_some_and(|core| core.state.settings.current().paused);
                match Tray::create(paused) {
                    Ok(created) => tray = Some(created),
                    Err(error) => tracing::warn!("Linkarr has no tray icon here: {error:#}"),
                }
            }
            Event::UserEvent(Shell::Look(look)) => {
                if let Some(tray) = tray.as_mut() {
                    tray.show(&look);
                }
            }
            Event::UserEvent(Shell::IconClicked) => window.show(),
            Event::UserEvent(Shell::Menu(event)) => match Action::from_id(event.id().as_ref()) {
                Some(Action::Open) => window.show(),
                Some(Action::TogglePause) => {
                    if let Some(core) = &core {
                        core.runtime.spawn(tray::toggle_pause(core.state.clone()));
                    }
                }
                Some(Action::CopyWebhookUrl) => {
                    if let (Some(tray), Some(core)) = (tray.as_mut(), &core) {
                        tray.copy(&core.state.webhook_url());
                    }
                }
                Some(Action::Quit) => *control_flow = ControlFlow::Exit,
                None => {}
            },
            Event::UserEvent(Shell::Quit) => *control_flow = ControlFlow::Exit,
            // Quit: the window goes, then the core stops cleanly (jobs in flight stay
            // resumable, the database is closed) before the process ends.
            Event::LoopDestroyed => {
                window.close();
                tray.take();
                if let Some(core) = core.take() {
                    core.stop();
                }
            }
            _ => {}
        }
    });
}
