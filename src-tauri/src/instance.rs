//! One Linkarr per data folder: one listener, one database. The first start holds a lock file
//! in the data folder for as long as it runs and listens on a socket beside it; a later start
//! finds the lock taken, asks the running app (over the socket) to show its window, and exits.
//!
//! The lock, not the socket, decides: the system drops a lock when its process dies, however it
//! dies, so a crash never leaves Linkarr unable to start.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

const LOCK_FILE: &str = "desktop.lock";
const SOCKET_FILE: &str = "desktop.sock";
/// What a later start says to the running one.
const SHOW: &str = "show";

pub enum Claim {
    /// This is the only Linkarr on this data folder.
    First(Instance),
    /// Another Linkarr runs on it, and was asked to show its window (when it could be).
    Running { asked: bool },
}

/// Held for the life of the app.
pub struct Instance {
    _lock: File,
    socket: PathBuf,
}

pub fn claim(data_dir: &Path) -> std::io::Result<Claim> {
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(data_dir.join(LOCK_FILE))?;
    let socket = data_dir.join(SOCKET_FILE);
    match lock.try_lock() {
        Ok(()) => Ok(Claim::First(Instance {
            _lock: lock,
            socket,
        })),
        Err(TryLockError::WouldBlock) => Ok(Claim::Running {
            asked: ask_to_show(&socket),
        }),
        Err(TryLockError::Error(error)) => Err(error),
    }
}

impl Instance {
    /// Calls `show` whenever Linkarr is started again, from a thread of its own.
    pub fn on_started_again(&self, show: impl Fn() + Send + 'static) {
        if let Err(error) = listen(&self.socket, show) {
            tracing::warn!("Starting Linkarr again will not show its window: {error}");
        }
    }
}

#[cfg(unix)]
fn ask_to_show(socket: &Path) -> bool {
    let sent = std::os::unix::net::UnixStream::connect(socket)
        .and_then(|mut stream| stream.write_all(format!("{SHOW}\n").as_bytes()));
    sent.is_ok()
}

#[cfg(unix)]
fn listen(socket: &Path, show: impl Fn() + Send + 'static) -> std::io::Result<()> {
    use std::os::unix::net::UnixListener;
    // Left by an app that did not exit cleanly; the lock says nobody else listens on it.
    match std::fs::remove_file(socket) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(error),
        _ => {}
    }
    let listener = UnixListener::bind(socket)?;
    std::thread::Builder::new()
        .name("instance".into())
        .spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut line = String::new();
                let _ = BufReader::new(stream).read_line(&mut line);
                if line.trim_end() == SHOW {
                    tracing::info!("Linkarr was started again: showing its window");
                    show();
                }
            }
        })?;
    Ok(())
}

// Elsewhere a second start still finds the lock and exits; it cannot reach the first one.
#[cfg(not(unix))]
fn ask_to_show(_socket: &Path) -> bool {
    false
}

#[cfg(not(unix))]
fn listen(_socket: &Path, _show: impl Fn() + Send + 'static) -> std::io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_second_start_asks_the_first_to_show_its_window() {
        let dir = tempfile::tempdir().unwrap();
        let Claim::First(first) = claim(dir.path()).unwrap() else {
            panic!("the first start must get the data folder");
        };
        let (shown, heard) = mpsc::channel();
        first.on_started_again(move || shown.send(()).unwrap());
        match claim(dir.path()).unwrap() {
            Claim::Running { asked } => assert!(asked, "the second start reached the first"),
            Claim::First(_) => panic!("two apps on one data folder"),
        }
        heard.recv_timeout(Duration::from_secs(5)).unwrap();
    }

    #[test]
    fn the_folder_is_free_again_once_the_first_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let Claim::First(first) = claim(dir.path()).unwrap() else {
            panic!("the first start must get the data folder");
        };
        first.on_started_again(|| {});
        drop(first);
        // Its socket file is still there, as after a crash: the next start takes over.
        assert!(dir.path().join(SOCKET_FILE).exists());
        let Claim::First(next) = claim(dir.path()).unwrap() else {
            panic!("a stale socket must not keep Linkarr from starting");
        };
        next.on_started_again(|| {});
    }

    #[test]
    fn other_data_folders_are_other_apps() {
        let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let first = claim(one.path()).unwrap();
        let second = claim(two.path()).unwrap();
        assert!(matches!(
            (first, second),
            (Claim::First(_), Claim::First(_))
        ));
    }
}
