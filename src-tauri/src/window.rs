//! The window, seen from the tray app: a process of its own (`linkarr-window`), started when
//! the window is opened, told where the UI is and what to show, and let go when it closes.
//! While it is closed, the tray app holds no webview at all.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError};

use linkarr_desktop::{Order, WINDOW_PROGRAM};

use crate::core::Connection;

/// WebKitGTK's switch for its accelerated compositing mode.
const NO_COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

pub struct Window {
    connection: Connection,
    open: Mutex<Option<Open>>,
}

/// A running window process: its input, and which one it is.
struct Open {
    orders: ChildStdin,
    pid: u32,
}

impl Window {
    pub fn new(connection: Connection) -> Arc<Window> {
        Arc::new(Window {
            connection,
            open: Mutex::new(None),
        })
    }

    /// Shows the window, starting it if it is closed.
    pub fn show(self: &Arc<Self>) {
        self.show_route("");
    }

    /// Shows the window at a page of the UI (`#/requests/7`), starting it if it is closed.
    pub fn show_route(self: &Arc<Self>, route: &str) {
        let show = Order::Show {
            route: route.to_owned(),
        };
        let mut open = self.lock();
        // Written to a window that has just closed, the order fails: start a new one.
        if let Some(window) = open.as_mut()
            && window.orders.write_all(show.to_line().as_bytes()).is_ok()
        {
            return;
        }
        *open = match self.start(&show) {
            Ok(window) => Some(window),
            Err(error) => {
                tracing::warn!("Could not open the window: {error}");
                None
            }
        };
    }

    /// The listener moved: an open window follows it.
    pub fn reconnect(&self) {
        if let Some(window) = self.lock().as_mut() {
            let _ = window.orders.write_all(self.connect().to_line().as_bytes());
        }
    }

    /// Closes the window (its input ends, and it exits): the app is quitting.
    pub fn close(&self) {
        self.lock().take();
    }

    fn start(self: &Arc<Self>, show: &Order) -> std::io::Result<Open> {
        let program = program()?;
        let mut command = Command::new(&program);
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        // WebKitGTK composites every page with OpenGL, which without a GPU (a VM, a NAS's
        // desktop, Xvfb) means Mesa's LLVM in the page's process: about 100 MB for Linkarr's
        // pages, against 18 MB drawn plainly. Lists and a poster grid need no compositor; a user
        // who wants it back sets the variable (to 0) themselves.
        if std::env::var_os(NO_COMPOSITING).is_none() {
            command.env(NO_COMPOSITING, "1");
        }
        let mut child = command.spawn().map_err(|error| {
            std::io::Error::new(error.kind(), format!("{}: {error}", program.display()))
        })?;
        let pid = child.id();
        let mut orders = child.stdin.take().ok_or_else(no_pipe)?;
        let first = format!("{}{}", self.connect().to_line(), show.to_line());
        orders.write_all(first.as_bytes())?;
        let window = Arc::clone(self);
        std::thread::Builder::new()
            .name("window".into())
            .spawn(move || window.watch(child, pid))?;
        Ok(Open { orders, pid })
    }

    /// Passes on what the window says, then forgets it once it has exited.
    fn watch(&self, mut child: Child, pid: u32) {
        if let Some(said) = child.stderr.take() {
            for line in BufReader::new(said).lines().map_while(Result::ok) {
                tracing::info!("Window: {line}");
            }
        }
        match child.wait() {
            Ok(status) if status.success() => tracing::debug!("The window was closed"),
            Ok(status) => tracing::warn!("The window ended unexpectedly ({status})"),
            Err(error) => tracing::warn!("Lost track of the window: {error}"),
        }
        let mut open = self.lock();
        if open.as_ref().is_some_and(|open| open.pid == pid) {
            *open = None;
        }
    }

    fn connect(&self) -> Order {
        Order::Connect {
            base_url: self.connection.listen.local_url(),
            api_token: self.connection.api_token.clone(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Open>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Installed beside the tray app (and built beside it).
fn program() -> std::io::Result<PathBuf> {
    let name = format!("{WINDOW_PROGRAM}{}", std::env::consts::EXE_SUFFIX);
    Ok(std::env::current_exe()?.with_file_name(name))
}

fn no_pipe() -> std::io::Error {
    std::io::Error::other("the window's input could not be opened")
}

/// Follows the listener when the user moves it (a new port in Settings).
pub fn follow_listener(window: &Arc<Window>, runtime: &tokio::runtime::Handle) {
    let mut moved = window.connection.listen.watch();
    let window = Arc::clone(window);
    runtime.spawn(async move {
        while moved.changed().await.is_ok() {
            window.reconnect();
        }
    });
}
