//! How fast Linkarr reads release names: 10,000 distinct titles (PTT's 1,024 test titles plus
//! generated scene-style names) parsed on one thread, best of three runs after a warm-up,
//! next to parsett (PTT in Python) measured on the same VM. Three ways: `parse_all` in batches
//! of a search's size (as the pipeline does), `parse` one name at a time (a trip to the parser
//! thread each), and a `Parser` of one's own (as `linkarr release parse` does).
//!
//! Run: `cargo bench --bench release_parse`.

use std::collections::HashSet;
use std::hint::black_box;
use std::time::{Duration, Instant};

use linkarr::domain::release::{Parser, parse, parse_all};

// The same allocator as the `linkarr` binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const FIXTURE: &str = include_str!("../tests/fixtures/ptt/all_tests.json");

/// parsett 1.8.5 (`parse_title`) on this VM, from the reference note on scrapers.
const PARSETT_TITLES_PER_SEC: f64 = 1_855.0;

const TITLES: usize = 10_000;

/// Names per `parse_all` call: what one search brings.
const BATCH: usize = 300;

const WORDS: &[&str] = &[
    "The", "Last", "Night", "Dark", "Star", "City", "Blue", "House", "Dragon", "Office", "Lost",
    "Game", "River", "Black", "Mirror", "Wild", "Frontier", "Silent", "Empire", "Ghost", "Storm",
    "Crown", "Paper", "Moon", "Iron", "Winter", "Garden", "Signal", "Harbor", "Echo",
];
const RESOLUTIONS: &[&str] = &["2160p", "1080p", "720p", "480p", "4K", "UHD", ""];
const SOURCES: &[&str] = &[
    "BluRay",
    "BluRay.REMUX",
    "WEB-DL",
    "WEBRip",
    "WEB",
    "HDTV",
    "BDRip",
    "DVDRip",
    "HDCAM",
    "AMZN.WEB-DL",
    "NF.WEB-DL",
    "",
];
const CODECS: &[&str] = &[
    "x264",
    "x265",
    "H.264",
    "HEVC",
    "AV1",
    "XviD",
    "10bit.x265",
    "",
];
const AUDIO: &[&str] = &[
    "DTS-HD.MA.5.1",
    "TrueHD.7.1.Atmos",
    "DDP5.1",
    "AAC2.0",
    "AC3",
    "FLAC",
    "DTS",
    "EAC3",
    "",
];
const EXTRAS: &[&str] = &[
    "", "", "", "PROPER", "REPACK", "EXTENDED", "DV.HDR10", "HDR", "MULTi", "iTALiAN", "FRENCH",
];
const GROUPS: &[&str] = &[
    "FGT", "NTb", "RARBG", "SPARKS", "GECKOS", "NTG", "FLUX", "TGx", "YTS", "EVO", "CMRG",
];

/// A small deterministic generator, so every run parses the same names.
struct Lcg(u64);

impl Lcg {
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        from[((self.0 >> 33) as usize) % from.len()]
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn generated(rng: &mut Lcg) -> String {
    let mut parts: Vec<String> = (0..1 + rng.below(3))
        .map(|_| rng.pick(WORDS).to_owned())
        .collect();
    match rng.below(4) {
        0 => parts.push(format!(
            "S{:02}E{:02}",
            1 + rng.below(12),
            1 + rng.below(24)
        )),
        1 => parts.push(format!("S{:02}", 1 + rng.below(12))),
        2 => parts.push(format!("{}x{:02}", 1 + rng.below(9), 1 + rng.below(24))),
        _ => {}
    }
    if rng.below(3) > 0 {
        parts.push((1960 + rng.below(65)).to_string());
    }
    for list in [EXTRAS, RESOLUTIONS, SOURCES, AUDIO, CODECS] {
        parts.push(rng.pick(list).to_owned());
    }
    parts.retain(|p| !p.is_empty());
    let sep = if rng.below(4) == 0 { " " } else { "." };
    format!("{}-{}", parts.join(sep), rng.pick(GROUPS))
}

fn corpus() -> Vec<String> {
    let cases: Vec<serde_json::Value> = serde_json::from_str(FIXTURE).expect("fixture is JSON");
    let mut seen = HashSet::new();
    let mut titles = Vec::with_capacity(TITLES);
    let fixture = cases
        .iter()
        .filter_map(|c| c["title"].as_str())
        .map(str::to_owned);
    let mut rng = Lcg(0x5eed);
    for title in fixture.chain(std::iter::repeat_with(|| generated(&mut rng))) {
        if titles.len() == TITLES {
            break;
        }
        if seen.insert(title.clone()) {
            titles.push(title);
        }
    }
    titles
}

/// Best of three runs after a warm-up (which compiles the handler regexes and fills the regex
/// caches), in titles per second.
fn measure(titles: &[String], parse_them: impl Fn(&[String])) -> (Duration, f64) {
    let run = || {
        let start = Instant::now();
        parse_them(titles);
        start.elapsed()
    };
    run();
    let best = (0..3).map(|_| run()).min().expect("three runs");
    (best, titles.len() as f64 / best.as_secs_f64())
}

fn main() {
    let titles = corpus();
    assert_eq!(titles.len(), TITLES, "corpus is {TITLES} distinct titles");
    let (best, per_sec) = measure(&titles, |titles| {
        for batch in titles.chunks(BATCH) {
            black_box(parse_all(batch.iter().map(|t| black_box(t.as_str()))));
        }
    });
    println!(
        "release_parse: {} distinct titles, best of 3: {:.1} ms, {:.0} titles/s on one thread \
         (parse_all, {BATCH} a call)",
        titles.len(),
        best.as_secs_f64() * 1e3,
        per_sec
    );
    let (_, one_by_one) = measure(&titles, |titles| {
        for t in titles {
            black_box(parse(black_box(t)));
        }
    });
    let parser = Parser::new();
    let (_, own) = measure(&titles, |titles| {
        for t in titles {
            black_box(parser.parse(black_box(t)));
        }
    });
    println!("  parse, one a call: {one_by_one:.0} titles/s; own Parser: {own:.0} titles/s");
    println!(
        "parsett (Python PTT) on this VM: {PARSETT_TITLES_PER_SEC:.0} titles/s; ratio {:.1}x",
        per_sec / PARSETT_TITLES_PER_SEC
    );
}
