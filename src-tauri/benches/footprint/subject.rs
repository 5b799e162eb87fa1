//! The processes under test: each started with a home, a data folder and a port of its own,
//! and stopped with whatever it started.

use std::fs::File;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::display::Display;
use crate::measure::{seconds, wait_for};
use crate::procfs;

/// A process under test, with a home, a data folder and a port of its own.
pub(crate) struct Subject {
    pub(crate) child: Child,
    pub(crate) started: Instant,
    pub(crate) log: PathBuf,
}

impl Subject {
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    pub(crate) fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    pub(crate) fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGTERM, then SIGKILL if it lingers; then whatever of its tree is left.
    pub(crate) fn stop(mut self) -> Option<ExitStatus> {
        let tree = procfs::tree(self.pid());
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status();
        let mut status = None;
        wait_for(Duration::from_secs(10), || {
            status = self.child.try_wait().ok().flatten();
            status.is_some()
        });
        if status.is_none() {
            let _ = self.child.kill();
            status = self.child.wait().ok();
        }
        for (pid, stat) in tree {
            if procfs::stat(pid).is_some_and(|now| now.comm == stat.comm) {
                let _ = Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .status();
            }
        }
        status
    }

    /// Waits for its window titled `title` to be mapped, then for its page to have loaded
    /// (`loaded` holds), each for up to 30 s.
    pub(crate) fn wait_shown(
        &self,
        display: &Display,
        title: &str,
        loaded: impl Fn(&Subject) -> bool,
    ) -> Shown {
        let mapped = wait_for(Duration::from_secs(30), || display.mapped(title).is_some());
        let mapped_at = seconds(self.started.elapsed());
        let loaded = wait_for(Duration::from_secs(30), || loaded(self));
        let loaded_at = seconds(self.started.elapsed());
        Shown {
            mapped,
            mapped_at,
            loaded,
            loaded_at,
        }
    }
}

/// Whether a subject's window was mapped and its page loaded, and when (seconds from its
/// start).
pub(crate) struct Shown {
    pub(crate) mapped: bool,
    pub(crate) mapped_at: f64,
    pub(crate) loaded: bool,
    pub(crate) loaded_at: f64,
}

/// Where a subject lives: its own HOME (autostart writes there), runtime dir and data.
#[derive(Clone)]
pub(crate) struct Place {
    home: PathBuf,
    data: PathBuf,
    pub(crate) port: u16,
}

impl Place {
    pub(crate) fn new(root: &Path, name: &str) -> anyhow::Result<Place> {
        let home = root.join(name).join("home");
        let data = root.join(name).join("data");
        std::fs::create_dir_all(home.join("run"))?;
        std::fs::create_dir_all(&data)?;
        Command::new("chmod")
            .arg("700")
            .arg(home.join("run"))
            .status()?;
        Ok(Place {
            home,
            data,
            port: free_port()?,
        })
    }

    pub(crate) fn spawn(
        &self,
        binary: &Path,
        args: &[&str],
        env: &[(&str, String)],
        log: &Path,
    ) -> anyhow::Result<Subject> {
        let out = File::options().create(true).append(true).open(log)?;
        let mut command = Command::new(binary);
        command
            .args(args)
            .env("HOME", &self.home)
            .env("XDG_RUNTIME_DIR", self.home.join("run"))
            .env("LINKARR_DATA_DIR", &self.data)
            .env("LINKARR_PORT", self.port.to_string())
            .env("LINKARR_BIND", "127.0.0.1")
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out);
        for (key, _) in std::env::vars() {
            let xdg = key.starts_with("XDG_") && key != "XDG_RUNTIME_DIR";
            if key.starts_with("LINKARR_") || key == "RUST_LOG" || xdg {
                command.env_remove(&key);
            }
        }
        for (key, value) in env {
            command.env(key, value);
        }
        let started = Instant::now();
        let child = command
            .spawn()
            .with_context(|| format!("could not start {}", binary.display()))?;
        Ok(Subject {
            child,
            started,
            log: log.to_path_buf(),
        })
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

pub(crate) fn describe_exit(status: Option<ExitStatus>) -> String {
    match status {
        Some(status) if status.success() => "exit 0".to_owned(),
        Some(status) => format!("{status}"),
        None => "unknown".to_owned(),
    }
}
