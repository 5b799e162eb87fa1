//! Processes, from /proc.

use std::collections::{BTreeMap, HashMap};
use std::process::Command;

#[derive(Clone, Debug)]
pub(crate) struct Stat {
    pub(crate) comm: String,
    ppid: u32,
    /// utime + stime, in clock ticks.
    pub(crate) ticks: u64,
}

pub(crate) fn stat(pid: u32) -> Option<Stat> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let comm = text[open + 1..close].to_owned();
    let fields: Vec<&str> = text[close + 1..].split_whitespace().collect();
    // After the command: state, ppid (field 4) … utime (14), stime (15).
    let ppid = fields.get(1)?.parse().ok()?;
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(Stat {
        comm,
        ppid,
        ticks: utime + stime,
    })
}

fn all() -> HashMap<u32, Stat> {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| Some((pid, stat(pid)?)))
        .collect()
}

/// `root` and all its descendants that are alive.
pub(crate) fn tree(root: u32) -> BTreeMap<u32, Stat> {
    let all = all();
    let mut tree = BTreeMap::new();
    let mut todo = vec![root];
    while let Some(pid) = todo.pop() {
        if let Some(stat) = all.get(&pid) {
            tree.insert(pid, stat.clone());
            todo.extend(
                all.iter()
                    .filter(|(_, s)| s.ppid == pid)
                    .map(|(&child, _)| child),
            );
        }
    }
    tree
}

/// (RSS, PSS, anonymous) in kB.
pub(crate) fn memory(pid: u32) -> Option<(u64, u64, u64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    let field = |name: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kb| kb.parse::<u64>().ok())
    };
    Some((field("Rss:")?, field("Pss:")?, field("Anonymous:")?))
}

/// The mappings holding the most RSS: (kB, file or "[anon]"), largest first.
pub(crate) fn largest_mappings(pid: u32, count: usize) -> Vec<(u64, String)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps")).unwrap_or_default();
    let mut by_name: HashMap<String, u64> = HashMap::new();
    let mut name = String::new();
    for line in text.lines() {
        let mut fields = line.split_whitespace();
        match fields.next() {
            Some("Rss:") => {
                let kb: u64 = fields.next().and_then(|kb| kb.parse().ok()).unwrap_or(0);
                *by_name.entry(name.clone()).or_default() += kb;
            }
            Some(first) if first.contains('-') && !first.ends_with(':') => {
                let file = fields.nth(4).unwrap_or("");
                let file = file.rsplit('/').next().unwrap_or(file);
                name = if file.is_empty() {
                    "[anon]".to_owned()
                } else {
                    file.to_owned()
                };
            }
            _ => {}
        }
    }
    let mut largest: Vec<(u64, String)> = by_name.into_iter().map(|(n, kb)| (kb, n)).collect();
    largest.sort_by(|a, b| b.cmp(a));
    largest.truncate(count);
    largest
}

pub(crate) fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(100.0)
}

/// The window's process (`linkarr-window`) or one of WebKit's.
pub(crate) fn is_window(comm: &str) -> bool {
    comm.starts_with("WebKit") || comm == "linkarr-window"
}
