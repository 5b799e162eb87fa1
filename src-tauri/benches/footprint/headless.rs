//! The headless server, `linkarr serve`: how fast it starts, what it holds idle, and what it
//! holds once real work is over.

use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::json;

use crate::measure::{IdleCpu, TreeMemory, median, seconds, wait_for};
use crate::report::Report;
use crate::stub::{Stub, answers, http};
use crate::subject::{Place, Subject, describe_exit};
use crate::{
    AFTER_WORK, Bench, HEADLESS_RSS_MIB, HEADLESS_START_S, MANIFEST_DIR, NAMES_PER_SEARCH, SETTLE,
    WEBHOOKS,
};

/// Start-up, memory and CPU idle, memory after work; returns the idle CPU, for the side by
/// side at the end.
pub(super) fn measure(bench: &Bench, stub: &Stub, f: &mut Report) -> anyhow::Result<IdleCpu> {
    f.section("Headless `linkarr serve`");
    let place = Place::new(&bench.root, "headless")?;
    let stub_url = format!("http://127.0.0.1:{}", stub.port);
    let env = [
        ("LINKARR_TMDB_URL", format!("{stub_url}/3")),
        (
            "LINKARR_TMDB_KEY",
            "0123456789abcdef0123456789abcdef".to_owned(),
        ),
        (
            "LINKARR_SOURCES",
            json!([{"name": "Stub", "kind": "stremio", "url": format!("{stub_url}/stremio")}])
                .to_string(),
        ),
    ];
    let server = start(bench, &place, &env, f)?;
    std::thread::sleep(SETTLE);
    let after_start = TreeMemory::of(server.pid());
    f.judge(
        "headless idle RSS after start",
        after_start.rss() < HEADLESS_RSS_MIB,
        format!(
            "{:.1} MiB RSS ({:.1} anonymous), {:.1} PSS (target < {HEADLESS_RSS_MIB})",
            after_start.rss(),
            after_start.anon(),
            after_start.pss()
        ),
    );
    let cpu = IdleCpu::measure(server.pid(), bench.idle);
    f.line(format!("headless idle CPU: {}", cpu.describe()));
    let after_idle = TreeMemory::of(server.pid());
    f.line(format!(
        "headless RSS after {:.0} s idle: {:.1} MiB",
        bench.idle.as_secs_f64(),
        after_idle.rss()
    ));

    // Real work: webhooks → metadata (stub TMDb) → search (stub addon) → the parser.
    work(&server, place.port, stub, f)?;
    let stopped = server.stop();
    f.line(format!("headless SIGTERM: {}", describe_exit(stopped)));
    Ok(cpu)
}

/// A first run (a new data folder: migrations, token), then three restarts judged on their
/// median; the last one is left running, and returned.
fn start(
    bench: &Bench,
    place: &Place,
    env: &[(&str, String)],
    f: &mut Report,
) -> anyhow::Result<Subject> {
    let log = bench.root.join("headless.log");
    let mut starts = Vec::new();
    let mut server = None;
    for run in 0..4 {
        let mut subject = place.spawn(&bench.binaries.headless, &["serve"], env, &log)?;
        if !wait_for(Duration::from_secs(20), || answers(place.port)) {
            let alive = subject.alive();
            bail!(
                "headless: the listener never answered (alive: {alive}); see {}",
                log.display()
            );
        }
        let took = seconds(subject.started.elapsed());
        if run == 0 {
            f.line(format!(
                "start, first run (new data folder: migrations, token): {took:.3} s to the listener"
            ));
            subject.stop();
        } else {
            starts.push(took);
            if run < 3 {
                subject.stop();
            } else {
                server = Some(subject);
            }
        }
    }
    let server = server.context("no headless server")?;
    let (start, list) = median(&starts);
    f.judge(
        "headless start (restart, median of 3)",
        start < HEADLESS_START_S,
        format!(
            "{start:.3} s to the listener [{}] (target < {HEADLESS_START_S} s)",
            list
        ),
    );
    Ok(server)
}

/// Posts the webhooks (each a movie of its own), waits for their searches, and reads the
/// server's memory right after and once the parser has let go.
fn work(server: &Subject, port: u16, stub: &Stub, f: &mut Report) -> anyhow::Result<()> {
    let template = std::fs::read_to_string(
        Path::new(MANIFEST_DIR).join("../tests/fixtures/overseerr/movie_media_approved.json"),
    )?;
    let work_started = Instant::now();
    let mut accepted = 0;
    for n in 0..WEBHOOKS {
        let body = template
            .replace(
                r#""request_id":"3""#,
                &format!(r#""request_id":"{}""#, 9_000 + n),
            )
            .replace(
                r#""tmdbId":"603""#,
                &format!(r#""tmdbId":"{}""#, 300_000 + n),
            );
        if let Some((200..=299, _)) = http(port, "POST", "/api/webhooks/overseerr", Some(&body)) {
            accepted += 1;
        }
    }
    let searched = wait_for(Duration::from_secs(60), || {
        stub.searches.load(Ordering::SeqCst) >= WEBHOOKS
    });
    let searches = stub.searches.load(Ordering::SeqCst);
    let work_took = work_started.elapsed();
    let work_ended = Instant::now();
    std::thread::sleep(SETTLE);
    let busy = TreeMemory::of(server.pid());
    f.line(format!(
        "headless RSS {} s after work (the parser still loaded): {:.1} MiB",
        SETTLE.as_secs(),
        busy.rss()
    ));
    std::thread::sleep(AFTER_WORK.saturating_sub(work_ended.elapsed()));
    let after_work = TreeMemory::of(server.pid());
    f.judge(
        "headless idle RSS after work",
        after_work.rss() < HEADLESS_RSS_MIB,
        format!(
            "{:.1} MiB RSS ({:.1} anonymous), {:.1} PSS, {} s after {accepted} webhooks accepted, \
             {searches} searches ({} names parsed) in {:.1} s{} (target < {HEADLESS_RSS_MIB})",
            after_work.rss(),
            after_work.anon(),
            after_work.pss(),
            AFTER_WORK.as_secs(),
            searches * NAMES_PER_SEARCH,
            seconds(work_took),
            if searched { "" } else { ", NOT all searched" },
        ),
    );
    Ok(())
}
