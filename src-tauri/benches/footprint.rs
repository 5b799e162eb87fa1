//! What Linkarr costs a machine: start-up time, memory and idle CPU of the headless server
//! (`linkarr serve`) and of the desktop app (window open, and resident in the tray), each
//! printed next to its baseline from the same run (an empty Tauri window,
//! `examples/empty_window.rs`) and judged against its target.
//!
//! Run: `cargo bench -p linkarr-desktop --bench footprint`, after
//! `cargo build --release -p linkarr -p linkarr-desktop --bins --examples` (`--bins` matters:
//! `--examples` alone builds only the examples). The benchmark builds nothing itself and says
//! so when a binary is missing or older than the sources; cargo does rebuild
//! `target/release/linkarr-desktop` before any bench of its package, so that one is always
//! current. It starts its own `xvfb-run -a` and `dbus-run-session`, gives every process a
//! HOME, XDG_RUNTIME_DIR and LINKARR_DATA_DIR of its own in a temporary folder and a free
//! loopback port, and takes about six minutes. Not part of CI. Knobs: FOOTPRINT_IDLE_SECS=n
//! shortens the four idle-CPU windows from 60 s; FOOTPRINT_KEEP=1 keeps the folder with every
//! process's log; FOOTPRINT_ONLY=headless stops after the headless server, and
//! FOOTPRINT_HEADLESS_BIN=path measures another build of it (to try a change);
//! FOOTPRINT_SMAPS=1 adds each process's largest mappings to every memory figure.
//!
//! Memory is PSS summed over the process tree (the app and every descendant: the window's
//! process and WebKit's included; shared libraries counted once between them), with the plain RSS sum
//! beside it. The headless server's target is judged on its RSS, the stricter figure.
//! The "real work" for the headless server is webhooks for movies whose metadata and streams
//! come from a stub TMDb and a stub Stremio addon run by this benchmark on loopback: each
//! search hands the release-name parser a few hundred real names (the PTT test corpus).

// A plain program with no async runtime: its sleeps (polling a process, waiting out an idle
// window) block nothing but itself.
#![allow(clippy::disallowed_methods)]

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, bail};
use serde_json::{Value, json};
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{
    AtomEnum, ClientMessageEvent, ConnectionExt, EventMask, MapState, Window,
};
use x11rb::rust_connection::RustConnection;

const INNER: &str = "FOOTPRINT_INNER";
const BUILD: &str = "cargo build --release -p linkarr -p linkarr-desktop --bins --examples";
const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

// Targets.
const HEADLESS_RSS_MIB: f64 = 30.0;
const HEADLESS_START_S: f64 = 0.5;
const DESKTOP_OVER_EMPTY_MIB: f64 = 60.0;
const TRAY_MIB: f64 = 60.0;
const REOPEN_S: f64 = 1.0;

/// Webhooks posted to the headless server for its "after work" figure, and the release names
/// each search hands the parser.
const WEBHOOKS: usize = 30;
const NAMES_PER_SEARCH: usize = 300;
const REOPENS: usize = 3;
/// When the "after work" figure is taken: the release parser gives its memory back once it
/// has had no names for 30 s (src/domain/release/worker.rs).
const AFTER_WORK: Duration = Duration::from_secs(40);

fn main() -> anyhow::Result<()> {
    match std::env::var_os(INNER) {
        Some(_) => inner::run(),
        None => outer(),
    }
}

struct Binaries {
    headless: PathBuf,
    desktop: PathBuf,
    window: PathBuf,
    empty: PathBuf,
}

impl Binaries {
    /// The release binaries beside this benchmark (target/release/deps/footprint-…).
    fn find() -> anyhow::Result<Binaries> {
        let exe = std::env::current_exe().context("where is this benchmark?")?;
        let release = exe
            .parent()
            .and_then(Path::parent)
            .context("the benchmark is not under target/release/deps")?
            .to_path_buf();
        // Another headless build to compare (an experiment's binary).
        let headless = std::env::var_os("FOOTPRINT_HEADLESS_BIN")
            .map_or_else(|| release.join("linkarr"), PathBuf::from);
        Ok(Binaries {
            headless,
            desktop: release.join("linkarr-desktop"),
            window: release.join("linkarr-window"),
            empty: release.join("examples").join("empty_window"),
        })
    }

    fn all(&self) -> [&Path; 4] {
        [&self.headless, &self.desktop, &self.window, &self.empty]
    }
}

/// Checks the binaries and tools, then runs this same program again inside a virtual display
/// and a D-Bus session.
fn outer() -> anyhow::Result<()> {
    let binaries = Binaries::find()?;
    let missing: Vec<String> = binaries
        .all()
        .iter()
        .filter(|path| !path.is_file())
        .map(|path| path.display().to_string())
        .collect();
    if !missing.is_empty() {
        eprintln!(
            "footprint: missing {}\nBuild the release binaries first:\n    {BUILD}",
            missing.join(", ")
        );
        std::process::exit(2);
    }
    let workspace = Path::new(MANIFEST_DIR).join("..");
    let sources = newest_mtime(&[
        workspace.join("src"),
        workspace.join("src-tauri/src"),
        workspace.join("src-tauri/examples"),
        workspace.join("ui/dist"),
        workspace.join("Cargo.lock"),
        workspace.join("src-tauri/tauri.conf.json"),
    ]);
    for binary in binaries.all() {
        let built = std::fs::metadata(binary).and_then(|m| m.modified()).ok();
        if let (Some(built), Some(sources)) = (built, sources)
            && built < sources
        {
            eprintln!(
                "footprint: warning: {} is older than the sources; to measure them, run first:\n    {BUILD}",
                binary.display()
            );
        }
    }
    for tool in ["xvfb-run", "dbus-run-session", "xauth"] {
        if !on_path(tool) {
            eprintln!(
                "footprint: needs {tool} (apt-get install xvfb xauth dbus-x11, or scripts/setup)"
            );
            std::process::exit(2);
        }
    }
    let exe = std::env::current_exe()?;
    let mut child = Command::new("xvfb-run")
        .args([
            "-a",
            "-s",
            "-screen 0 1280x800x24",
            "dbus-run-session",
            "--",
        ])
        .arg(exe)
        .env(INNER, "1")
        .stderr(Stdio::piped())
        .spawn()
        .context("could not start xvfb-run")?;
    // The display and the bus say a few harmless things; keep the rest.
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let noise = [
                "dbus-daemon",
                "Failed to set fd limit",
                "Authorization required",
            ];
            if !noise.iter().any(|n| line.contains(n)) {
                eprintln!("{line}");
            }
        }
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("the measurements failed ({status})");
    }
    Ok(())
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()))
}

fn newest_mtime(paths: &[PathBuf]) -> Option<SystemTime> {
    fn walk(path: &Path, newest: &mut Option<SystemTime>) {
        let Ok(meta) = std::fs::metadata(path) else {
            return;
        };
        if meta.is_dir() {
            for entry in std::fs::read_dir(path).into_iter().flatten().flatten() {
                walk(&entry.path(), newest);
            }
        } else if let Ok(modified) = meta.modified() {
            *newest = Some(newest.map_or(modified, |n| n.max(modified)));
        }
    }
    let mut newest = None;
    for path in paths {
        walk(path, &mut newest);
    }
    newest
}

/// Processes, from /proc.
mod procfs {
    use super::*;

    #[derive(Clone, Debug)]
    pub struct Stat {
        pub comm: String,
        pub ppid: u32,
        /// utime + stime, in clock ticks.
        pub ticks: u64,
    }

    pub fn stat(pid: u32) -> Option<Stat> {
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
    pub fn tree(root: u32) -> BTreeMap<u32, Stat> {
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
    pub fn memory(pid: u32) -> Option<(u64, u64, u64)> {
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
    pub fn largest_mappings(pid: u32, count: usize) -> Vec<(u64, String)> {
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

    pub fn clock_ticks() -> f64 {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|out| String::from_utf8(out.stdout).ok())
            .and_then(|text| text.trim().parse().ok())
            .unwrap_or(100.0)
    }

    /// The window's process (`linkarr-window`) or one of WebKit's.
    pub fn is_window(comm: &str) -> bool {
        comm.starts_with("WebKit") || comm == "linkarr-window"
    }
}

/// Memory of a process tree.
struct TreeMemory {
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
    fn of(root: u32) -> TreeMemory {
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

    fn pss(&self) -> f64 {
        mib(self.pss_kb)
    }

    fn rss(&self) -> f64 {
        mib(self.rss_kb)
    }

    fn anon(&self) -> f64 {
        mib(self.anon_kb)
    }

    fn window_processes(&self) -> usize {
        self.processes
            .iter()
            .filter(|(comm, _)| procfs::is_window(comm))
            .count()
    }

    /// "no window process", or the window's processes still there.
    fn window_left(&self) -> String {
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

    fn describe(&self) -> String {
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
struct IdleCpu {
    seconds: f64,
    window: f64,
}

impl IdleCpu {
    fn measure(root: u32, window: Duration) -> IdleCpu {
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

    fn describe(&self) -> String {
        format!(
            "{:5.2} CPU-s in {:.0} s ({:.2} % of one core)",
            self.seconds,
            self.window,
            100.0 * self.seconds / self.window
        )
    }
}

/// The windows on the virtual display (there is no window manager: toplevels are the root's
/// children).
struct Display {
    conn: RustConnection,
    root: Window,
    net_wm_name: u32,
    utf8_string: u32,
    wm_protocols: u32,
    wm_delete_window: u32,
}

impl Display {
    fn connect() -> anyhow::Result<Display> {
        let (conn, screen) = x11rb::connect(None).context("no X display")?;
        let root = conn.setup().roots[screen].root;
        let atom = |name: &str| -> anyhow::Result<u32> {
            Ok(conn.intern_atom(false, name.as_bytes())?.reply()?.atom)
        };
        let (net_wm_name, utf8_string) = (atom("_NET_WM_NAME")?, atom("UTF8_STRING")?);
        let (wm_protocols, wm_delete_window) = (atom("WM_PROTOCOLS")?, atom("WM_DELETE_WINDOW")?);
        Ok(Display {
            conn,
            root,
            net_wm_name,
            utf8_string,
            wm_protocols,
            wm_delete_window,
        })
    }

    fn title(&self, window: Window) -> Option<String> {
        for (property, kind) in [
            (self.net_wm_name, self.utf8_string),
            (AtomEnum::WM_NAME.into(), AtomEnum::STRING.into()),
        ] {
            let reply = self
                .conn
                .get_property(false, window, property, kind, 0, 256)
                .ok()?
                .reply()
                .ok()?;
            if !reply.value.is_empty() {
                return Some(String::from_utf8_lossy(&reply.value).into_owned());
            }
        }
        None
    }

    /// A viewable toplevel whose title is `title`.
    fn mapped(&self, title: &str) -> Option<Window> {
        let tree = self.conn.query_tree(self.root).ok()?.reply().ok()?;
        tree.children.into_iter().find(|&window| {
            let viewable = self
                .conn
                .get_window_attributes(window)
                .ok()
                .and_then(|cookie| cookie.reply().ok())
                .is_some_and(|attributes| attributes.map_state == MapState::VIEWABLE);
            viewable && self.title(window).as_deref() == Some(title)
        })
    }

    /// What a window manager's close button sends.
    fn close(&self, window: Window) -> anyhow::Result<()> {
        let event = ClientMessageEvent::new(
            32,
            window,
            self.wm_protocols,
            [self.wm_delete_window, x11rb::CURRENT_TIME, 0, 0, 0],
        );
        self.conn
            .send_event(false, window, EventMask::NO_EVENT, event)?;
        self.conn.flush()?;
        Ok(())
    }
}

/// A loopback stand-in for TMDb and a Stremio addon (Torrentio's answer format), so that the
/// headless server's pipeline does real work: metadata, then a search whose answer the
/// release-name parser reads. Anything else is 404.
struct Stub {
    port: u16,
    searches: Arc<AtomicUsize>,
}

impl Stub {
    fn start() -> anyhow::Result<Stub> {
        let fixtures = Path::new(MANIFEST_DIR).join("../tests/fixtures");
        let movie: Value = serde_json::from_str(&std::fs::read_to_string(
            fixtures.join("tmdb/movie_603_external_ids_release_dates.json"),
        )?)?;
        let configuration = std::fs::read_to_string(fixtures.join("tmdb/configuration.json"))?;
        let corpus: Value = serde_json::from_str(&std::fs::read_to_string(
            fixtures.join("ptt/all_tests.json"),
        )?)?;
        let names: Vec<String> = corpus
            .as_array()
            .context("the PTT corpus is a list")?
            .iter()
            .filter_map(|case| Some(case.get("title")?.as_str()?.to_owned()))
            .collect();
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let searches = Arc::new(AtomicUsize::new(0));
        let shared = Arc::new((movie, configuration, names, searches.clone()));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = shared.clone();
                std::thread::spawn(move || {
                    let (movie, configuration, names, searches) = &*shared;
                    let _ = Stub::answer(stream, movie, configuration, names, searches);
                });
            }
        });
        Ok(Stub { port, searches })
    }

    fn answer(
        mut stream: TcpStream,
        movie: &Value,
        configuration: &str,
        names: &[String],
        searches: &AtomicUsize,
    ) -> std::io::Result<()> {
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        let head = read_head(&mut stream)?;
        let target = head
            .split_whitespace()
            .nth(1)
            .unwrap_or("/")
            .split('?')
            .next()
            .unwrap_or("/")
            .to_owned();
        let body: Option<String> = if target == "/3/configuration" {
            Some(configuration.to_owned())
        } else if let Some(id) = target.strip_prefix("/3/movie/") {
            id.parse::<i64>().ok().map(|id| {
                let mut movie = movie.clone();
                movie["id"] = json!(id);
                movie["title"] = json!(format!("Footprint Movie {id}"));
                movie["original_title"] = json!(format!("Footprint Movie {id}"));
                movie["imdb_id"] = json!(format!("tt{id:07}"));
                movie.to_string()
            })
        } else if target.ends_with("/manifest.json") {
            Some(
                json!({"id": "footprint.stub", "version": "0.0.1", "name": "Stub",
                    "resources": ["stream"], "types": ["movie", "series"], "catalogs": []})
                .to_string(),
            )
        } else if target.contains("/stream/movie/") {
            let n = searches.fetch_add(1, Ordering::SeqCst);
            let streams: Vec<Value> = (0..NAMES_PER_SEARCH)
                .map(|i| {
                    let at = (n * NAMES_PER_SEARCH + i) % names.len().max(1);
                    let name = names.get(at).map_or("Nothing.2020.1080p", String::as_str);
                    let hash = format!("{:040x}", n * 100_000 + i);
                    json!({
                        "name": "Torrentio\n1080p",
                        "title": format!("{name}\n👤 {} 💾 {}.{} GB ⚙️ TorrentGalaxy", 10 + i, 1 + i % 30, i % 10),
                        "infoHash": hash,
                        "sources": [format!("dht:{hash}")],
                    })
                })
                .collect();
            Some(json!({"streams": streams, "cacheMaxAge": 3600}).to_string())
        } else {
            None
        };
        let (status, body) = match body {
            Some(body) => ("200 OK", body),
            None => (
                "404 Not Found",
                r#"{"status_code":34,"success":false}"#.to_owned(),
            ),
        };
        write!(
            stream,
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )?;
        stream.flush()
    }
}

fn read_head(stream: &mut TcpStream) -> std::io::Result<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65_536 {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}

/// One HTTP/1.1 request to the app on loopback: its status, and its body.
fn http(port: u16, method: &str, path: &str, body: Option<&str>) -> Option<(u16, String)> {
    let address = ([127, 0, 0, 1], port).into();
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_millis(500)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let body = body.unwrap_or("");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    let status = answer.split_whitespace().nth(1)?.parse().ok()?;
    let body = answer
        .split_once("\r\n\r\n")
        .map_or("", |(_, body)| body)
        .to_owned();
    Some((status, body))
}

fn answers(port: u16) -> bool {
    http(port, "GET", "/api/webhooks/test", None).is_some_and(|(status, _)| status == 200)
}

fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Polls `done` every few milliseconds until it holds or `limit` passes.
fn wait_for(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
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

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn verdict(pass: bool) -> &'static str {
    if pass { "PASS" } else { "FAIL" }
}

mod inner {
    use super::*;

    /// A process under test, with a home, a data folder and a port of its own.
    struct Subject {
        child: Child,
        started: Instant,
        log: PathBuf,
    }

    impl Subject {
        fn pid(&self) -> u32 {
            self.child.id()
        }

        fn alive(&mut self) -> bool {
            matches!(self.child.try_wait(), Ok(None))
        }

        fn log_text(&self) -> String {
            std::fs::read_to_string(&self.log).unwrap_or_default()
        }

        /// SIGTERM, then SIGKILL if it lingers; then whatever of its tree is left.
        fn stop(mut self) -> Option<ExitStatus> {
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
    }

    /// Where a subject lives: its own HOME (autostart writes there), runtime dir and data.
    #[derive(Clone)]
    struct Place {
        home: PathBuf,
        data: PathBuf,
        port: u16,
    }

    impl Place {
        fn new(root: &Path, name: &str) -> anyhow::Result<Place> {
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

        fn spawn(
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

    /// Lines the page's GET /api/v1/status left in the log (the core logs every request).
    fn status_calls(log: &str) -> usize {
        log.lines()
            .filter(|line| {
                line.contains("path=/api/v1/status")
                    && line.contains("finished processing request")
                    && line.contains("status=200")
            })
            .count()
    }

    struct Figures {
        lines: Vec<String>,
        verdicts: Vec<(String, bool)>,
    }

    impl Figures {
        fn section(&mut self, title: &str) {
            self.lines.push(String::new());
            self.lines.push(title.to_owned());
        }

        fn line(&mut self, text: impl std::fmt::Display) {
            let line = format!("  {text}");
            eprintln!("{line}");
            self.lines.push(line);
        }

        fn judge(&mut self, what: &str, pass: bool, detail: impl std::fmt::Display) {
            let text = format!("{what}: {detail}");
            self.line(format_args!("{text}  {}", verdict(pass)));
            self.verdicts.push((text, pass));
        }
    }

    fn seconds(d: Duration) -> f64 {
        d.as_secs_f64()
    }

    pub fn run() -> anyhow::Result<()> {
        let binaries = Binaries::find()?;
        let idle = Duration::from_secs(
            std::env::var("FOOTPRINT_IDLE_SECS")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(60),
        );
        let root = std::env::temp_dir().join(format!("linkarr-footprint-{}", std::process::id()));
        std::fs::create_dir_all(&root)?;
        let display = Display::connect()?;
        let stub = Stub::start()?;
        let mut f = Figures {
            lines: Vec::new(),
            verdicts: Vec::new(),
        };
        let started = Instant::now();
        eprintln!("footprint: logs in {}", root.display());

        let result = measure(&binaries, &root, &display, &stub, idle, &mut f);

        println!("\n== Linkarr footprint (release builds; memory in MiB)");
        for line in &f.lines {
            println!("{line}");
        }
        println!("\n== Against the targets");
        for (what, pass) in &f.verdicts {
            println!("  {}  {what}", verdict(*pass));
        }
        let failed = f.verdicts.iter().filter(|(_, pass)| !pass).count();
        println!(
            "\nfootprint: {} passed, {failed} failed ({:.0} s)",
            f.verdicts.len() - failed,
            started.elapsed().as_secs_f64()
        );
        if std::env::var_os("FOOTPRINT_KEEP").is_some() || result.is_err() {
            println!("logs kept in {}", root.display());
        } else {
            let _ = std::fs::remove_dir_all(&root);
        }
        result
    }

    fn measure(
        binaries: &Binaries,
        root: &Path,
        display: &Display,
        stub: &Stub,
        idle: Duration,
        f: &mut Figures,
    ) -> anyhow::Result<()> {
        let settle = Duration::from_secs(5);
        // The core logs each request at this level: the page's GET /api/v1/status is the
        // signal that the window's page loaded and reached the core.
        let desktop_env = [("RUST_LOG", "linkarr=info,tower_http=debug".to_owned())];

        // ---- Headless: `linkarr serve`.
        f.section("Headless `linkarr serve`");
        let place = Place::new(root, "headless")?;
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
        let log = root.join("headless.log");
        let mut starts = Vec::new();
        let mut server = None;
        for run in 0..4 {
            let mut subject = place.spawn(&binaries.headless, &["serve"], &env, &log)?;
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
        let list: Vec<String> = starts.iter().map(|s| format!("{s:.3}")).collect();
        let start = median(starts);
        f.judge(
            "headless start (restart, median of 3)",
            start < HEADLESS_START_S,
            format!(
                "{start:.3} s to the listener [{}] (target < {HEADLESS_START_S} s)",
                list.join(", ")
            ),
        );
        std::thread::sleep(settle);
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
        let cpu = IdleCpu::measure(server.pid(), idle);
        f.line(format!("headless idle CPU: {}", cpu.describe()));
        let after_idle = TreeMemory::of(server.pid());
        f.line(format!(
            "headless RSS after {:.0} s idle: {:.1} MiB",
            idle.as_secs_f64(),
            after_idle.rss()
        ));

        // Real work: webhooks → metadata (stub TMDb) → search (stub addon) → the parser.
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
            if let Some((200..=299, _)) =
                http(place.port, "POST", "/api/webhooks/overseerr", Some(&body))
            {
                accepted += 1;
            }
        }
        let searched = wait_for(Duration::from_secs(60), || {
            stub.searches.load(Ordering::SeqCst) >= WEBHOOKS
        });
        let searches = stub.searches.load(Ordering::SeqCst);
        let work_took = work_started.elapsed();
        let work_ended = Instant::now();
        std::thread::sleep(settle);
        let busy = TreeMemory::of(server.pid());
        f.line(format!(
            "headless RSS {} s after work (the parser still loaded): {:.1} MiB",
            settle.as_secs(),
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
        let stopped = server.stop();
        f.line(format!("headless SIGTERM: {}", describe_exit(stopped)));
        if std::env::var("FOOTPRINT_ONLY").as_deref() == Ok("headless") {
            return Ok(());
        }

        // A warm-up launch, not measured: the first GTK program on a display probes OpenGL
        // (loading Mesa, and LLVM for software rendering) and GDK caches the answer on the root
        // window for the programs after it; the first WebKit launch also reads its libraries
        // from disk. Neither the baseline nor Linkarr should pay for that alone.
        let place = Place::new(root, "warm-up")?;
        let warm = place.spawn(&binaries.empty, &[], &[], &root.join("warm-up.log"))?;
        wait_for(Duration::from_secs(30), || {
            warm.log_text().contains("empty_window: page loaded")
        });
        warm.stop();

        // ---- Baseline: the empty Tauri window.
        f.section("Baseline: an empty Tauri window (examples/empty_window.rs)");
        let place = Place::new(root, "empty")?;
        let log = root.join("empty.log");
        let empty = place.spawn(&binaries.empty, &[], &[], &log)?;
        let mapped = wait_for(Duration::from_secs(30), || {
            display.mapped("Empty window").is_some()
        });
        let empty_mapped = seconds(empty.started.elapsed());
        let loaded = wait_for(Duration::from_secs(30), || {
            empty.log_text().contains("empty_window: page loaded")
        });
        let empty_loaded = seconds(empty.started.elapsed());
        if !mapped || !loaded {
            bail!(
                "the empty window never showed (mapped {mapped}, loaded {loaded}); see {}",
                log.display()
            );
        }
        f.line(format!(
            "start: window mapped {empty_mapped:.3} s, page loaded {empty_loaded:.3} s"
        ));
        std::thread::sleep(settle);
        let empty_memory = TreeMemory::of(empty.pid());
        f.line(format!("memory: {}", empty_memory.describe()));
        let empty_cpu = IdleCpu::measure(empty.pid(), idle);
        f.line(format!("idle CPU: {}", empty_cpu.describe()));
        empty.stop();
        // The same window drawn as Linkarr's is (WebKit's compositing off, src/window.rs
        // says why), so the figure below can also be read like for like.
        let place = Place::new(root, "empty-plain")?;
        let log = root.join("empty-plain.log");
        let plain_env = [("WEBKIT_DISABLE_COMPOSITING_MODE", "1".to_owned())];
        let plain = place.spawn(&binaries.empty, &[], &plain_env, &log)?;
        wait_for(Duration::from_secs(30), || {
            plain.log_text().contains("empty_window: page loaded")
        });
        std::thread::sleep(settle);
        let plain_memory = TreeMemory::of(plain.pid());
        f.line(format!(
            "memory, compositing off: {}",
            plain_memory.describe()
        ));
        plain.stop();

        // ---- The desktop app, launched with its window.
        f.section("Desktop app `linkarr-desktop`, launched with its window");
        let place = Place::new(root, "desktop")?;
        let log = root.join("desktop.log");
        let app = place.spawn(&binaries.desktop, &[], &desktop_env, &log)?;
        let listening = wait_for(Duration::from_secs(30), || answers(place.port));
        let listener_at = seconds(app.started.elapsed());
        let mapped = wait_for(Duration::from_secs(30), || {
            display.mapped("Linkarr").is_some()
        });
        let mapped_at = seconds(app.started.elapsed());
        let loaded = wait_for(Duration::from_secs(30), || {
            status_calls(&app.log_text()) > 0
        });
        let loaded_at = seconds(app.started.elapsed());
        if !listening || !mapped || !loaded {
            bail!(
                "desktop: listener {listening}, window {mapped}, page {loaded}; see {}",
                log.display()
            );
        }
        f.line(format!("start: listener answers {listener_at:.3} s"));
        f.line(format!(
            "start: window mapped {mapped_at:.3} s   (empty window {empty_mapped:.3} s, {:+.3})",
            mapped_at - empty_mapped
        ));
        f.line(format!(
            "start: page loaded (its GET /api/v1/status answered) {loaded_at:.3} s   (empty window's page {empty_loaded:.3} s, {:+.3})",
            loaded_at - empty_loaded
        ));
        std::thread::sleep(settle);
        let open = TreeMemory::of(app.pid());
        f.line(format!("memory, window open: {}", open.describe()));
        f.line(format!(
            "               empty window: {}",
            empty_memory.describe()
        ));
        let over = open.pss() - empty_memory.pss();
        f.judge(
            "desktop, window open, over the empty window",
            over <= DESKTOP_OVER_EMPTY_MIB,
            format!(
                "{over:+.1} MiB PSS ({:.1} vs {:.1}; RSS sums {:.1} vs {:.1}) (target within {DESKTOP_OVER_EMPTY_MIB})",
                open.pss(),
                empty_memory.pss(),
                open.rss(),
                empty_memory.rss()
            ),
        );
        f.line(format!(
            "like for like, both without compositing: {:+.1} MiB PSS ({:.1} vs {:.1})",
            open.pss() - plain_memory.pss(),
            open.pss(),
            plain_memory.pss()
        ));
        let open_cpu = IdleCpu::measure(app.pid(), idle);
        f.line(format!(
            "idle CPU, window open: {}   (empty window {})",
            open_cpu.describe(),
            empty_cpu.describe()
        ));
        // The close button: the webview goes, the app stays in the tray.
        let closed = close_window(display, &app, "Linkarr")?;
        std::thread::sleep(settle);
        let tray = TreeMemory::of(app.pid());
        f.line(format!(
            "memory, in the tray after open → close: {} (window processes gone {})",
            tray.describe(),
            describe_gone(closed)
        ));
        f.judge(
            "desktop in the tray after open → close",
            tray.pss() < TRAY_MIB && tray.window_processes() == 0,
            format!(
                "{:.1} MiB PSS, {} (target < {TRAY_MIB}, no window process)",
                tray.pss(),
                tray.window_left()
            ),
        );
        let stopped = app.stop();
        f.line(format!("SIGTERM: {}", describe_exit(stopped)));

        // ---- The desktop app started in the tray (`--minimized`, as at login), and reopened.
        f.section(
            "Desktop app started with --minimized (tray only), then opened by a second launch",
        );
        let place = Place::new(root, "tray")?;
        let log = root.join("tray.log");
        let app = place.spawn(&binaries.desktop, &["--minimized"], &desktop_env, &log)?;
        let listening = wait_for(Duration::from_secs(30), || answers(place.port));
        let listener_at = seconds(app.started.elapsed());
        if !listening {
            bail!(
                "desktop --minimized: the listener never answered; see {}",
                log.display()
            );
        }
        f.line(format!("start: listener answers {listener_at:.3} s"));
        std::thread::sleep(settle);
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
        let tray_cpu = IdleCpu::measure(app.pid(), idle);
        f.line(format!("idle CPU, tray only: {}", tray_cpu.describe()));

        let mut reopens = Vec::new();
        let mut last_tray = None;
        for round in 1..=REOPENS {
            let before = status_calls(&app.log_text());
            let second_log = root.join(format!("second-launch-{round}.log"));
            let mut second = place.spawn(&binaries.desktop, &[], &desktop_env, &second_log)?;
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
                std::thread::sleep(settle);
                let reopened = TreeMemory::of(app.pid());
                f.line(format!(
                    "memory, window reopened: {}   (over the empty window {:+.1})",
                    reopened.describe(),
                    reopened.pss() - empty_memory.pss()
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
        let list: Vec<String> = reopens.iter().map(|s| format!("{s:.3}")).collect();
        let reopen = median(reopens);
        f.judge(
            "reopen (second launch → page loaded, median)",
            reopen < REOPEN_S,
            format!(
                "{reopen:.3} s [{}] (target < {REOPEN_S} s)",
                list.join(", ")
            ),
        );
        if let Some(tray) = last_tray {
            f.judge(
                &format!("desktop in the tray after {REOPENS} reopen → close rounds"),
                tray.pss() < TRAY_MIB && tray.window_processes() == 0,
                format!(
                    "{:.1} MiB PSS, {} (target < {TRAY_MIB}, no window process)",
                    tray.pss(),
                    tray.window_left()
                ),
            );
        }
        let stopped = app.stop();
        f.line(format!("SIGTERM: {}", describe_exit(stopped)));

        f.section("Idle CPU side by side");
        f.line(format!("headless:            {}", cpu.describe()));
        f.line(format!("empty window:        {}", empty_cpu.describe()));
        f.line(format!("desktop, window:     {}", open_cpu.describe()));
        f.line(format!("desktop, tray only:  {}", tray_cpu.describe()));
        Ok(())
    }

    /// Closes the window as its close button would; waits for its processes to end.
    /// Returns how long they took to go, or None if some were still there after 10 s.
    fn close_window(display: &Display, app: &Subject, title: &str) -> anyhow::Result<Option<f64>> {
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

    fn describe_gone(gone: Option<f64>) -> String {
        match gone {
            Some(at) => format!("after {at:.2} s"),
            None => "NOT within 10 s".to_owned(),
        }
    }

    fn describe_exit(status: Option<ExitStatus>) -> String {
        match status {
            Some(status) if status.success() => "exit 0".to_owned(),
            Some(status) => format!("{status}"),
            None => "unknown".to_owned(),
        }
    }
}
