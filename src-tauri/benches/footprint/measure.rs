//! What is measured: a process tree's memory and idle CPU, and the helpers for waiting and
//! for figures.

use std::time::{Duration, Instant};

use crate::procfs;

/// Memory of a process tree.
pub(crate) struct TreeMemory {
    rss_kb: u64,
    pss_kb: u64,
    /// The heap, stacks and such; the rest of RSS is mapped files (code, libraries).
    anon_kb: u64,
    /// (command, PSS kB), one a process.
    processes: Vec<(String, u64)>,
    /// With FOOTPRINT_SMAPS=1, each process's largest mappings, as printed.
    mappings: String,
}

impl TreeMemory {
    pub(crate) fn of(root: u32) -> TreeMemory {
        let mut memory = TreeMemory {
            rss_kb: 0,
            pss_kb: 0,
            anon_kb: 0,
            processes: Vec::new(),
            mappings: String::new(),
        };
        let detail = std::env::var_os("FOOTPRINT_SMAPS").is_some();
        for (pid, stat) in procfs::tree(root) {
            if let Some((rss, pss, anon)) = procfs::memory(pid) {
                memory.rss_kb += rss;
                memory.pss_kb += pss;
                memory.anon_kb += anon;
                if detail {
                    let top: Vec<String> = procfs::largest_mappings(pid, 8)
                        .iter()
                        .map(|(kb, name)| format!("{name} {:.1}", mib(*kb)))
                        .collect();
                    memory.mappings.push_str(&format!(
                        "\n      {} RSS by mapping: {}",
                        stat.comm,
                        top.join(", ")
                    ));
                }
                memory.processes.push((stat.comm, pss));
            }
        }
        memory
    }

    pub(crate) fn pss(&self) -> f64 {
        mib(self.pss_kb)
    }

    pub(crate) fn rss(&self) -> f64 {
        mib(self.rss_kb)
    }

    pub(crate) fn anon(&self) -> f64 {
        mib(self.anon_kb)
    }

    pub(crate) fn window_processes(&self) -> usize {
        self.processes
            .iter()
            .filter(|(comm, _)| procfs::is_window(comm))
            .count()
    }

    /// "no window process", or the window's processes still there.
    pub(crate) fn window_left(&self) -> String {
        let names: Vec<&str> = self
            .processes
            .iter()
            .filter(|(comm, _)| procfs::is_window(comm))
            .map(|(comm, _)| comm.as_str())
            .collect();
        match names.is_empty() {
            true => "no window process".to_owned(),
            false => format!("window processes left: {}", names.join(", ")),
        }
    }

    pub(crate) fn describe(&self) -> String {
        let parts: Vec<String> = self
            .processes
            .iter()
            .map(|(comm, pss)| format!("{comm} {:.1}", mib(*pss)))
            .collect();
        format!(
            "{:6.1} MiB PSS (RSS sum {:.1}, anonymous {:.1}) = {}{}",
            self.pss(),
            self.rss(),
            self.anon(),
            parts.join(" + "),
            self.mappings
        )
    }
}

fn mib(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

/// CPU used by a process tree while it sits idle for `secs`.
pub(crate) struct IdleCpu {
    seconds: f64,
    window: f64,
}

impl IdleCpu {
    pub(crate) fn measure(root: u32, window: Duration) -> IdleCpu {
        let before = procfs::tree(root);
        std::thread::sleep(window);
        let after = procfs::tree(root);
        let ticks: u64 = after
            .iter()
            .map(|(pid, stat)| {
                let earlier = before.get(pid).map_or(0, |s| s.ticks);
                stat.ticks.saturating_sub(earlier)
            })
            .sum();
        IdleCpu {
            seconds: ticks as f64 / procfs::clock_ticks(),
            window: window.as_secs_f64(),
        }
    }

    pub(crate) fn describe(&self) -> String {
        format!(
            "{:5.2} CPU-s in {:.0} s ({:.2} % of one core)",
            self.seconds,
            self.window,
            100.0 * self.seconds / self.window
        )
    }
}

/// Polls `done` every few milliseconds until it holds or `limit` passes.
pub(crate) fn wait_for(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        if done() {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The median of timings in seconds, and all of them as printed: "0.011, 0.007, 0.008".
pub(crate) fn median(values: &[f64]) -> (f64, String) {
    let listed: Vec<String> = values.iter().map(|s| format!("{s:.3}")).collect();
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN);
    (median, listed.join(", "))
}

pub(crate) fn seconds(d: Duration) -> f64 {
    d.as_secs_f64()
}
