//! The desktop app, `linkarr-desktop`, launched with its window: start-up, memory and idle CPU
//! against the empty window, then the tray after its window is closed. Also what the tray
//! scenario shares with it: starting the app, closing its window, judging the tray.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::baseline::Baseline;
use crate::display::Display;
use crate::measure::{IdleCpu, TreeMemory, seconds, wait_for};
use crate::procfs;
use crate::report::Report;
use crate::stub::answers;
use crate::subject::{Place, Shown, Subject, describe_exit};
use crate::{Bench, DESKTOP_OVER_EMPTY_MIB, SETTLE, TRAY_MIB};

/// Returns its idle CPU with the window open, for the side by side at the end.
pub(super) fn measure(bench: &Bench, empty: &Baseline, f: &mut Report) -> anyhow::Result<IdleCpu> {
    let display = &bench.display;
    // ---- The desktop app, launched with its window.
    f.section("Desktop app `linkarr-desktop`, launched with its window");
    let place = Place::new(&bench.root, "desktop")?;
    let log = bench.root.join("desktop.log");
    let app = spawn(bench, &place, &[], &log)?;
    let (listening, listener_at) = wait_listener(&app, &place);
    let Shown {
        mapped,
        mapped_at,
        loaded,
        loaded_at,
    } = app.wait_shown(display, "Linkarr", |app| status_calls(&app.log_text()) > 0);
    if !listening || !mapped || !loaded {
        bail!(
            "desktop: listener {listening}, window {mapped}, page {loaded}; see {}",
            log.display()
        );
    }
    let (empty_mapped, empty_loaded) = (empty.mapped_at, empty.loaded_at);
    f.line(format!("start: listener answers {listener_at:.3} s"));
    f.line(format!(
        "start: window mapped {mapped_at:.3} s   (empty window {empty_mapped:.3} s, {:+.3})",
        mapped_at - empty_mapped
    ));
    f.line(format!(
        "start: page loaded (its GET /api/v1/status answered) {loaded_at:.3} s   (empty window's page {empty_loaded:.3} s, {:+.3})",
        loaded_at - empty_loaded
    ));
    std::thread::sleep(SETTLE);
    let open = TreeMemory::of(app.pid());
    f.line(format!("memory, window open: {}", open.describe()));
    f.line(format!(
        "               empty window: {}",
        empty.memory.describe()
    ));
    let over = open.pss() - empty.memory.pss();
    f.judge(
        "desktop, window open, over the empty window",
        over <= DESKTOP_OVER_EMPTY_MIB,
        format!(
            "{over:+.1} MiB PSS ({:.1} vs {:.1}; RSS sums {:.1} vs {:.1}) (target within {DESKTOP_OVER_EMPTY_MIB})",
            open.pss(),
            empty.memory.pss(),
            open.rss(),
            empty.memory.rss()
        ),
    );
    f.line(format!(
        "like for like, both without compositing: {:+.1} MiB PSS ({:.1} vs {:.1})",
        open.pss() - empty.plain_memory.pss(),
        open.pss(),
        empty.plain_memory.pss()
    ));
    let open_cpu = IdleCpu::measure(app.pid(), bench.idle);
    f.line(format!(
        "idle CPU, window open: {}   (empty window {})",
        open_cpu.describe(),
        empty.cpu.describe()
    ));
    // The close button: the webview goes, the app stays in the tray.
    let closed = close_window(display, &app, "Linkarr")?;
    std::thread::sleep(SETTLE);
    let tray = TreeMemory::of(app.pid());
    f.line(format!(
        "memory, in the tray after open → close: {} (window processes gone {})",
        tray.describe(),
        describe_gone(closed)
    ));
    judge_tray(f, "desktop in the tray after open → close", &tray);
    let stopped = app.stop();
    f.line(format!("SIGTERM: {}", describe_exit(stopped)));
    Ok(open_cpu)
}

/// Starts `linkarr-desktop` in `place`, logging to `log`.
pub(crate) fn spawn(
    bench: &Bench,
    place: &Place,
    args: &[&str],
    log: &Path,
) -> anyhow::Result<Subject> {
    // The core logs each request at this level: the page's GET /api/v1/status is the
    // signal that the window's page loaded and reached the core.
    let env = [("RUST_LOG", "linkarr=info,tower_http=debug".to_owned())];
    place.spawn(&bench.binaries.desktop, args, &env, log)
}

/// Waits up to 30 s for the app's listener to answer: whether it did, and when (seconds from
/// its start).
pub(crate) fn wait_listener(app: &Subject, place: &Place) -> (bool, f64) {
    let listening = wait_for(Duration::from_secs(30), || answers(place.port));
    (listening, seconds(app.started.elapsed()))
}

/// Lines the page's GET /api/v1/status left in the log (the core logs every request).
pub(crate) fn status_calls(log: &str) -> usize {
    log.lines()
        .filter(|line| {
            line.contains("path=/api/v1/status")
                && line.contains("finished processing request")
                && line.contains("status=200")
        })
        .count()
}

/// Closes the window as its close button would; waits for its processes to end.
/// Returns how long they took to go, or None if some were still there after 10 s.
pub(crate) fn close_window(
    display: &Display,
    app: &Subject,
    title: &str,
) -> anyhow::Result<Option<f64>> {
    let window = display.mapped(title).context("no window to close")?;
    let asked = Instant::now();
    display.close(window)?;
    let gone = wait_for(Duration::from_secs(10), || {
        display.mapped(title).is_none()
            && !procfs::tree(app.pid())
                .values()
                .any(|stat| procfs::is_window(&stat.comm))
    });
    Ok(gone.then(|| seconds(asked.elapsed())))
}

pub(crate) fn describe_gone(gone: Option<f64>) -> String {
    match gone {
        Some(at) => format!("after {at:.2} s"),
        None => "NOT within 10 s".to_owned(),
    }
}

/// The app in the tray: under its target, and with no window process left.
pub(crate) fn judge_tray(f: &mut Report, what: &str, tray: &TreeMemory) {
    f.judge(
        what,
        tray.pss() < TRAY_MIB && tray.window_processes() == 0,
        format!(
            "{:.1} MiB PSS, {} (target < {TRAY_MIB}, no window process)",
            tray.pss(),
            tray.window_left()
        ),
    );
}
