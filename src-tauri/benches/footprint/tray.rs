//! The desktop app started in the tray (`--minimized`, as at login), then its window opened by
//! a second launch and closed again, a few rounds.

use std::time::Duration;

use anyhow::bail;

use crate::baseline::Baseline;
use crate::desktop::{self, close_window, describe_gone, judge_tray, status_calls, wait_listener};
use crate::measure::{IdleCpu, TreeMemory, median, seconds, wait_for};
use crate::report::Report;
use crate::subject::{Place, Subject, describe_exit};
use crate::{Bench, REOPEN_S, REOPENS, SETTLE, TRAY_MIB};

/// Returns its idle CPU in the tray, for the side by side at the end.
pub(super) fn measure(bench: &Bench, empty: &Baseline, f: &mut Report) -> anyhow::Result<IdleCpu> {
    let display = &bench.display;
    // ---- The desktop app started in the tray (`--minimized`, as at login), and reopened.
    f.section("Desktop app started with --minimized (tray only), then opened by a second launch");
    let place = Place::new(&bench.root, "tray")?;
    let log = bench.root.join("tray.log");
    let app = desktop::spawn(bench, &place, &["--minimized"], &log)?;
    let (listening, listener_at) = wait_listener(&app, &place);
    if !listening {
        bail!(
            "desktop --minimized: the listener never answered; see {}",
            log.display()
        );
    }
    f.line(format!("start: listener answers {listener_at:.3} s"));
    std::thread::sleep(SETTLE);
    let window = display.mapped("Linkarr");
    let tray = TreeMemory::of(app.pid());
    f.line(format!(
        "memory, tray only: {}{}",
        tray.describe(),
        if window.is_some() {
            " (BUT A WINDOW IS SHOWN)"
        } else {
            ""
        }
    ));
    f.judge(
        "desktop started --minimized",
        tray.pss() < TRAY_MIB && tray.window_processes() == 0 && window.is_none(),
        format!(
            "{:.1} MiB PSS, {}, {} (target < {TRAY_MIB}, no window process, no window)",
            tray.pss(),
            tray.window_left(),
            if window.is_some() {
                "A WINDOW"
            } else {
                "no window"
            }
        ),
    );
    let tray_cpu = IdleCpu::measure(app.pid(), bench.idle);
    f.line(format!("idle CPU, tray only: {}", tray_cpu.describe()));

    let mut reopens = Vec::new();
    let mut last_tray = None;
    for round in 1..=REOPENS {
        let SecondLaunch {
            mapped,
            loaded,
            loaded_at,
            exit,
        } = second_launch(bench, &place, &app, round)?;
        if !loaded {
            f.line(format!(
                "reopen {round}: window mapped {mapped}, page NOT loaded in 15 s; second launch {exit}"
            ));
            reopens.push(f64::INFINITY);
            break;
        }
        f.line(format!(
            "reopen {round}: second launch → window mapped {mapped}, page loaded {loaded_at:.3} s; second launch {exit}"
        ));
        reopens.push(loaded_at);
        if round == 1 {
            std::thread::sleep(SETTLE);
            let reopened = TreeMemory::of(app.pid());
            f.line(format!(
                "memory, window reopened: {}   (over the empty window {:+.1})",
                reopened.describe(),
                reopened.pss() - empty.memory.pss()
            ));
        }
        let closed = close_window(display, &app, "Linkarr")?;
        std::thread::sleep(Duration::from_secs(2));
        let tray = TreeMemory::of(app.pid());
        f.line(format!(
            "memory after closing it again: {:.1} MiB PSS, window processes gone {}",
            tray.pss(),
            describe_gone(closed)
        ));
        last_tray = Some(tray);
    }
    let (reopen, list) = median(&reopens);
    f.judge(
        "reopen (second launch → page loaded, median)",
        reopen < REOPEN_S,
        format!("{reopen:.3} s [{}] (target < {REOPEN_S} s)", list),
    );
    if let Some(tray) = last_tray {
        judge_tray(
            f,
            &format!("desktop in the tray after {REOPENS} reopen → close rounds"),
            &tray,
        );
    }
    let stopped = app.stop();
    f.line(format!("SIGTERM: {}", describe_exit(stopped)));
    Ok(tray_cpu)
}

/// How a second launch went: it hands the window to the app in the tray, and exits.
struct SecondLaunch {
    /// When the window was mapped ("never", or seconds from the second launch's start).
    mapped: String,
    /// Whether the app's page loaded (a new GET /api/v1/status in its log) within 15 s, and
    /// when.
    loaded: bool,
    loaded_at: f64,
    /// "exited n after s", or "STILL RUNNING" (it is then stopped).
    exit: String,
}

/// Launches the app a second time in `place`, beside `app` in the tray, and watches both.
fn second_launch(
    bench: &Bench,
    place: &Place,
    app: &Subject,
    round: usize,
) -> anyhow::Result<SecondLaunch> {
    let display = &bench.display;
    let before = status_calls(&app.log_text());
    let second_log = bench.root.join(format!("second-launch-{round}.log"));
    let mut second = desktop::spawn(bench, place, &[], &second_log)?;
    let mut second_exit = None;
    let mut mapped_at = None;
    let loaded = wait_for(Duration::from_secs(15), || {
        if second_exit.is_none()
            && let Ok(Some(status)) = second.child.try_wait()
        {
            second_exit = Some((status, seconds(second.started.elapsed())));
        }
        if mapped_at.is_none() && display.mapped("Linkarr").is_some() {
            mapped_at = Some(seconds(second.started.elapsed()));
        }
        status_calls(&app.log_text()) > before
    });
    let loaded_at = seconds(second.started.elapsed());
    wait_for(Duration::from_secs(5), || {
        if let Ok(Some(status)) = second.child.try_wait() {
            second_exit.get_or_insert((status, seconds(second.started.elapsed())));
        }
        second_exit.is_some()
    });
    let exit = match second_exit {
        Some((status, at)) => {
            format!("exited {} after {at:.3} s", status.code().unwrap_or(-1))
        }
        None => "STILL RUNNING".to_owned(),
    };
    if second_exit.is_none() {
        second.stop();
    }
    let mapped = mapped_at.map_or("never".to_owned(), |at| format!("{at:.3} s"));
    Ok(SecondLaunch {
        mapped,
        loaded,
        loaded_at,
        exit,
    })
}
