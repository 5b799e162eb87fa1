use std::io::IsTerminal;
use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt;
use tracing_subscriber::prelude::*;

mod recent;

pub use recent::{LogLine, RecentLayer, recent};

/// Flushes the log file when dropped.
pub type LogGuard = WorkerGuard;

const DEFAULT_FILTER: &str = "linkarr=info,linkarr_desktop=info,tower_http=warn";
const KEPT_LOG_FILES: usize = 7;

/// Logs to the terminal and to a daily file in `log_dir` (a week of them is kept), filtered
/// by `RUST_LOG` when set. Keep the guard alive: dropping it flushes and stops file logging.
pub fn init(log_dir: &Path) -> anyhow::Result<LogGuard> {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    // The appender prunes old files before it creates the folder; give it one to read.
    std::fs::create_dir_all(log_dir)?;
    let file = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("linkarr")
        .filename_suffix("log")
        .max_log_files(KEPT_LOG_FILES)
        .build(log_dir)?;
    let (file_writer, guard) = tracing_appender::non_blocking(file);
    tracing_subscriber::registry()
        .with(filter)
        // Colours for a person at a terminal, plain text for journald and redirects.
        .with(fmt::layer().with_ansi(std::io::stdout().is_terminal()))
        .with(fmt::layer().with_ansi(false).with_writer(file_writer))
        .with(RecentLayer::default())
        .try_init()?;
    Ok(guard)
}
