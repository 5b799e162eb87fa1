//! The last lines logged, kept in memory for the UI's Logs view (a desktop user has no
//! terminal), and announced as they come for its live tail. Secrets never reach the log in the
//! first place (`config::Secret` cannot be printed), so nothing here needs redacting.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::{LazyLock, Mutex, PoisonError};

use chrono::{SecondsFormat, Utc};
use serde::Serialize;
use tokio::sync::broadcast;
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::Context;

/// Lines kept: a busy day's worth at info level.
const KEPT_LINES: usize = 2000;
/// Lines a slow live tail may fall behind by before it misses some.
const TAIL_CAPACITY: usize = 256;

#[derive(Clone, Debug, Serialize)]
pub struct LogLine {
    /// Increases by one per line: the UI's key, and how it sees lines it missed.
    pub seq: u64,
    /// ISO-8601 UTC.
    pub at: String,
    /// `ERROR`, `WARN`, `INFO`, `DEBUG` or `TRACE`.
    pub level: &'static str,
    /// The module that logged it.
    pub target: String,
    pub message: String,
}

pub struct RecentLogs {
    lines: Mutex<(u64, VecDeque<LogLine>)>,
    tail: broadcast::Sender<LogLine>,
}

static RECENT: LazyLock<RecentLogs> = LazyLock::new(RecentLogs::new);

/// The process's recent lines (logging is process-wide, like the log file).
pub fn recent() -> &'static RecentLogs {
    &RECENT
}

impl RecentLogs {
    fn new() -> Self {
        Self {
            lines: Mutex::new((0, VecDeque::with_capacity(KEPT_LINES))),
            tail: broadcast::channel(TAIL_CAPACITY).0,
        }
    }

    /// The last `limit` lines, oldest first.
    pub fn last(&self, limit: usize) -> Vec<LogLine> {
        let lines = self.lines.lock().unwrap_or_else(PoisonError::into_inner);
        let skip = lines.1.len().saturating_sub(limit);
        lines.1.iter().skip(skip).cloned().collect()
    }

    pub fn subscribe(&self) -> broadcast::Receiver<LogLine> {
        self.tail.subscribe()
    }

    fn push(&self, level: &'static str, target: &str, message: String) {
        let line = {
            let mut lines = self.lines.lock().unwrap_or_else(PoisonError::into_inner);
            lines.0 += 1;
            let line = LogLine {
                seq: lines.0,
                at: Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
                level,
                target: target.to_owned(),
                message,
            };
            if lines.1.len() == KEPT_LINES {
                lines.1.pop_front();
            }
            lines.1.push_back(line.clone());
            line
        };
        let _ = self.tail.send(line);
    }
}

/// Feeds [`recent`] from `tracing`, after the same filter as the terminal and the file.
pub struct RecentLayer(&'static RecentLogs);

impl Default for RecentLayer {
    fn default() -> Self {
        Self(recent())
    }
}

impl<S: Subscriber> Layer<S> for RecentLayer {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut message = Message::default();
        event.record(&mut message);
        let metadata = event.metadata();
        self.0
            .push(metadata.level().as_str(), metadata.target(), message.line());
    }
}

/// The event's message, then its other fields as `name=value`, as the terminal shows them.
#[derive(Default)]
struct Message {
    text: String,
    fields: String,
}

impl Message {
    fn line(self) -> String {
        match (self.text.is_empty(), self.fields.is_empty()) {
            (_, true) => self.text,
            (true, false) => self.fields,
            (false, false) => format!("{} {}", self.text, self.fields),
        }
    }

    fn field(&mut self, name: &str, value: &dyn std::fmt::Debug) {
        let separator = if self.fields.is_empty() { "" } else { " " };
        let _ = write!(self.fields, "{separator}{name}={value:?}");
    }
}

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        match field.name() {
            "message" => self.text = format!("{value:?}"),
            name => self.field(name, value),
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "message" => self.text = value.to_owned(),
            name => self.field(name, &value),
        }
    }
}

#[cfg(test)]
mod tests {
    use tracing_subscriber::prelude::*;

    use super::*;

    /// Its own buffer: tests run in parallel, and the process-wide one is shared.
    fn capture(log: impl FnOnce()) -> &'static RecentLogs {
        let logs: &'static RecentLogs = Box::leak(Box::new(RecentLogs::new()));
        let subscriber = tracing_subscriber::registry().with(RecentLayer(logs));
        tracing::subscriber::with_default(subscriber, log);
        logs
    }

    #[test]
    fn the_newest_lines_are_kept_in_order() {
        let logs = capture(|| {
            tracing::info!("Received webhook notification: MEDIA_APPROVED");
            for n in 0..KEPT_LINES {
                tracing::debug!("filler {n}");
            }
            tracing::warn!("last");
        });
        let lines = logs.last(KEPT_LINES + 10);
        assert_eq!(lines.len(), KEPT_LINES);
        let last = lines.last().unwrap();
        assert_eq!((last.level, last.message.as_str()), ("WARN", "last"));
        assert!(lines.windows(2).all(|pair| pair[1].seq == pair[0].seq + 1));
        assert!(
            !lines
                .iter()
                .any(|line| line.message.contains("MEDIA_APPROVED")),
            "pushed out by the newer lines"
        );
        assert_eq!(logs.last(3).len(), 3);
    }

    #[test]
    fn the_message_comes_first_then_the_fields() {
        let logs = capture(|| {
            tracing::info!(request = 7, title = "Heat", "Received webhook notification");
        });
        let line = logs.last(1).remove(0);
        assert_eq!(
            line.message,
            r#"Received webhook notification request=7 title="Heat""#
        );
        assert_eq!(line.target, module_path!());
    }
}
