//! The baseline: an empty Tauri window (examples/empty_window.rs), what the desktop app's
//! figures are read against.

use std::time::Duration;

use anyhow::bail;

use crate::measure::{IdleCpu, TreeMemory, wait_for};
use crate::report::Report;
use crate::subject::{Place, Subject};
use crate::{Bench, SETTLE};

/// The empty window's figures.
pub(crate) struct Baseline {
    /// When its window was mapped, and its page loaded (seconds from its start).
    pub(crate) mapped_at: f64,
    pub(crate) loaded_at: f64,
    pub(crate) memory: TreeMemory,
    /// The same window drawn as Linkarr's is (WebKit's compositing off).
    pub(crate) plain_memory: TreeMemory,
    pub(crate) cpu: IdleCpu,
}

/// After a warm-up launch: the empty window's start-up, memory and idle CPU, and its memory
/// with compositing off.
pub(super) fn measure(bench: &Bench, f: &mut Report) -> anyhow::Result<Baseline> {
    // A warm-up launch, not measured: the first GTK program on a display probes OpenGL
    // (loading Mesa, and LLVM for software rendering) and GDK caches the answer on the root
    // window for the programs after it; the first WebKit launch also reads its libraries
    // from disk. Neither the baseline nor Linkarr should pay for that alone.
    let warm = launch(bench, "warm-up", &[])?;
    wait_for(Duration::from_secs(30), || page_loaded(&warm));
    warm.stop();

    // ---- Baseline: the empty Tauri window.
    f.section("Baseline: an empty Tauri window (examples/empty_window.rs)");
    let empty = launch(bench, "empty", &[])?;
    let shown = empty.wait_shown(&bench.display, "Empty window", page_loaded);
    if !shown.mapped || !shown.loaded {
        bail!(
            "the empty window never showed (mapped {}, loaded {}); see {}",
            shown.mapped,
            shown.loaded,
            empty.log.display()
        );
    }
    f.line(format!(
        "start: window mapped {:.3} s, page loaded {:.3} s",
        shown.mapped_at, shown.loaded_at
    ));
    std::thread::sleep(SETTLE);
    let memory = TreeMemory::of(empty.pid());
    f.line(format!("memory: {}", memory.describe()));
    let cpu = IdleCpu::measure(empty.pid(), bench.idle);
    f.line(format!("idle CPU: {}", cpu.describe()));
    empty.stop();
    // The same window drawn as Linkarr's is (WebKit's compositing off, src/window.rs
    // says why), so the figure below can also be read like for like.
    let plain_env = [("WEBKIT_DISABLE_COMPOSITING_MODE", "1".to_owned())];
    let plain = launch(bench, "empty-plain", &plain_env)?;
    wait_for(Duration::from_secs(30), || page_loaded(&plain));
    std::thread::sleep(SETTLE);
    let plain_memory = TreeMemory::of(plain.pid());
    f.line(format!(
        "memory, compositing off: {}",
        plain_memory.describe()
    ));
    plain.stop();
    Ok(Baseline {
        mapped_at: shown.mapped_at,
        loaded_at: shown.loaded_at,
        memory,
        plain_memory,
        cpu,
    })
}

/// Starts the empty window in a place of its own, `name`, logging to `name.log`.
fn launch(bench: &Bench, name: &str, env: &[(&str, String)]) -> anyhow::Result<Subject> {
    let place = Place::new(&bench.root, name)?;
    let log = bench.root.join(format!("{name}.log"));
    place.spawn(&bench.binaries.empty, &[], env, &log)
}

/// What the empty window logs once its page has loaded.
fn page_loaded(empty: &Subject) -> bool {
    empty.log_text().contains("empty_window: page loaded")
}
