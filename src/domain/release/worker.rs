//! The shared parser thread. A [`Parser`]'s compiled tables (~35 MB) and the regex caches of
//! the thread that uses them (~45 MB) are worth keeping while names arrive and dead weight
//! once they stop, and statics would keep them for good. So one thread owns a parser, parses
//! every name, and ends after [`IDLE`] without work; the next name starts a new one, which
//! builds the tables again: ~0.1 s, ~0.3 s until a search's names have compiled the regexes
//! they need (the same as the first search after start), against ~10 ms warm.
//!
//! Dropping the parser is not enough to give its memory back (measured: 99 MB stayed 89 MB):
//! mimalloc keeps the last free page of each size for the thread that freed it until that
//! thread allocates again or ends, and returns freed memory to the OS only when some thread
//! frees a page or ends at least its purge delay (1 s) later, which an idle server may not do
//! for hours. Hence two threads: the parser's ends, and the
//! one that started it ends [`PURGE_WAIT`] after.

use std::sync::mpsc::{self, Receiver, SendError, Sender};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::Duration;

use super::{Parser, Release};

/// How long the parser outlives its last job. A search's names come in a burst (the ranking,
/// then the torrent's files) and a queue of searches keeps them coming; past 30 s the next
/// name is likely minutes away, and a rebuild (~0.3 s of one core) is then cheap. It also
/// frees the memory well within a minute of the last name.
const IDLE: Duration = Duration::from_secs(30);

/// mimalloc's purge delay (1 s) and a margin.
const PURGE_WAIT: Duration = Duration::from_secs(2);

/// The process's parser thread.
pub(super) static SHARED: Shared = Shared::new(IDLE);

struct Job {
    names: Vec<String>,
    reply: Sender<Vec<Release>>,
}

pub(super) struct Shared {
    idle: Duration,
    /// The running thread's inbox, `None` when no thread runs. Jobs are sent with this lock
    /// held, and the thread decides to end holding it, so none goes to a thread that is ending.
    inbox: Mutex<Option<Sender<Job>>>,
}

impl Shared {
    pub(super) const fn new(idle: Duration) -> Self {
        Shared {
            idle,
            inbox: Mutex::new(None),
        }
    }

    /// Parses the names on the parser thread, starting it if none runs, and waits for them.
    pub(super) fn parse_all(&'static self, names: Vec<String>) -> Vec<Release> {
        if names.is_empty() {
            return Vec::new();
        }
        let (reply, answer) = mpsc::channel();
        self.send(Job { names, reply });
        answer
            .recv()
            .expect("the release parser answers (it panicked otherwise)")
    }

    fn send(&'static self, job: Job) {
        let mut inbox = self.inbox();
        let job = match inbox.as_ref() {
            None => job,
            Some(jobs) => match jobs.send(job) {
                Ok(()) => return,
                // The thread died (it panicked on an earlier name): the job goes to a new one.
                Err(SendError(job)) => job,
            },
        };
        let (jobs, received) = mpsc::channel();
        // Cannot fail: the receiving end is right here.
        let _ = jobs.send(job);
        spawn(move || self.run(received));
        *inbox = Some(jobs);
    }

    /// Runs the parser on a thread of its own, then outlives it by [`PURGE_WAIT`], so that
    /// this thread's end returns the parser's memory to the OS.
    fn run(&'static self, jobs: Receiver<Job>) {
        // A panic needs no handling here: the callers waiting see their answers never come.
        let _ = spawn(move || self.serve(&jobs)).join();
        let (_never, wait) = mpsc::channel::<()>();
        let _ = wait.recv_timeout(PURGE_WAIT);
    }

    fn serve(&self, jobs: &Receiver<Job>) {
        let parser = Parser::new();
        let mut inbox = loop {
            let job = match jobs.recv_timeout(self.idle) {
                Ok(job) => job,
                // Idle: end, unless a job came between the timeout and the lock.
                Err(_) => {
                    let inbox = self.inbox();
                    match jobs.try_recv() {
                        Ok(job) => job,
                        Err(_) => break inbox,
                    }
                }
            };
            let releases = job.names.iter().map(|name| parser.parse(name)).collect();
            // The caller may have given up waiting (it panicked): nothing to do.
            let _ = job.reply.send(releases);
        };
        // Lock held: while no thread runs, no parser is left either (a few ms).
        drop(parser);
        *inbox = None;
        tracing::debug!(idle = ?self.idle, "release parser idle: its tables are dropped");
    }

    fn inbox(&self) -> MutexGuard<'_, Option<Sender<Job>>> {
        // Nothing panics with the lock held; a poisoned lock holds a sound value anyway.
        self.inbox.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether a parser thread runs, and so holds a parser.
    #[cfg(test)]
    pub(super) fn is_running(&self) -> bool {
        self.inbox().is_some()
    }
}

fn spawn<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> thread::JoinHandle<T> {
    thread::Builder::new()
        .name("release-parser".into())
        .spawn(f)
        .expect("the release parser thread starts")
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    const NAMES: [&str; 4] = [
        "Dune.Part.Two.2024.2160p.UHD.BluRay.REMUX.DV.HDR10.HEVC.TrueHD.7.1.Atmos-FGT",
        "The.Office.US.S05E14.720p.WEB-DL.DD5.1.H.264-NTb",
        "[SubsPlease] Frieren - 12 (1080p) [5E46AC39].mkv",
        "Amelie.2001.FRENCH.1080p.BluRay.x264-LOST",
    ];

    fn shared(idle: Duration) -> &'static Shared {
        Box::leak(Box::new(Shared::new(idle)))
    }

    fn names(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("Name{i} {}", NAMES[i % NAMES.len()]))
            .collect()
    }

    /// Waits up to 5 s for `done`, looking every few ms.
    fn eventually(done: impl Fn() -> bool) -> bool {
        let (_never, tick) = mpsc::channel::<()>();
        let deadline = Instant::now() + Duration::from_secs(5);
        while !done() {
            if Instant::now() > deadline {
                return false;
            }
            let _ = tick.recv_timeout(Duration::from_millis(5));
        }
        true
    }

    #[test]
    fn answers_in_order_as_an_own_parser_would() {
        let shared = shared(Duration::from_secs(5));
        let names = names(50);
        let own = Parser::new();
        let expected: Vec<Release> = names.iter().map(|name| own.parse(name)).collect();
        assert_eq!(shared.parse_all(names), expected);
    }

    #[test]
    fn no_names_start_no_thread() {
        let shared = shared(Duration::from_secs(5));
        assert!(shared.parse_all(Vec::new()).is_empty());
        assert!(!shared.is_running());
    }

    #[test]
    fn drops_the_parser_when_idle_and_rebuilds_it_on_the_next_name() {
        let shared = shared(Duration::from_millis(50));
        let first = shared.parse_all(names(4));
        assert!(shared.is_running());
        assert!(eventually(|| !shared.is_running()), "still running");
        assert_eq!(shared.parse_all(names(4)), first);
        assert!(shared.is_running());
    }

    #[test]
    fn stays_while_names_keep_coming() {
        let shared = shared(Duration::from_secs(2));
        let (_never, tick) = mpsc::channel::<()>();
        shared.parse_all(names(1));
        for _ in 0..5 {
            let _ = tick.recv_timeout(Duration::from_millis(50));
            assert!(shared.is_running(), "ended before its idle time");
            shared.parse_all(names(1));
        }
    }

    #[test]
    fn concurrent_callers_all_get_their_own_answers() {
        // No idle time: the thread ends whenever its inbox is empty, so callers keep racing
        // with a thread that is ending.
        let shared = shared(Duration::ZERO);
        let own = Parser::new();
        let callers: Vec<_> = (0..8)
            .map(|caller| {
                thread::spawn(move || {
                    (0..25)
                        .map(|round| {
                            let names: Vec<String> = (0..1 + (caller + round) % 5)
                                .map(|i| {
                                    format!("Caller{caller}Round{round}Item{i} {}", NAMES[i % 4])
                                })
                                .collect();
                            let releases = shared.parse_all(names.clone());
                            (names, releases)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for caller in callers {
            for (names, releases) in caller.join().expect("caller finishes") {
                let expected: Vec<Release> = names.iter().map(|name| own.parse(name)).collect();
                assert_eq!(releases, expected);
                for (name, release) in names.iter().zip(&releases) {
                    let token = name.split(' ').next().unwrap_or_default();
                    assert!(
                        release.title.starts_with(token),
                        "{name} read as {release:?}"
                    );
                }
            }
        }
    }
}
