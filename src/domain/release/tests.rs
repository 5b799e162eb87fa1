//! PTT's own test suite (1,024 cases, as JSON) plus the cases the ranking code leans on.

use serde_json::Value;

use super::{Release, language_names, parse};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/ptt/all_tests.json"
);

/// The cases passing today; raise it when a fix lands, never lower it.
const MUST_PASS: usize = 1024;

/// A field PTT leaves out reads as false / empty / absent.
fn absent_like(expected: &Value) -> Value {
    match expected {
        Value::Bool(_) => Value::Bool(false),
        Value::Array(_) => Value::Array(Vec::new()),
        _ => Value::Null,
    }
}

#[test]
fn ptt_suite() {
    let text = std::fs::read_to_string(FIXTURE).expect("PTT fixture readable");
    let cases: Vec<Value> = serde_json::from_str(&text).expect("PTT fixture is JSON");
    let mut passed = 0;
    let mut failures = Vec::new();
    for case in &cases {
        let title = case["title"].as_str().expect("case has a title");
        let release = parse(title);
        let mut got = serde_json::to_value(&release).expect("Release serialises");
        if case["options"]["translate_languages"] == Value::Bool(true) {
            got["languages"] = serde_json::json!(language_names(&release.languages));
        }
        let expected = case["expected"].as_object().expect("expected is an object");
        let mut ok = true;
        for (field, want) in expected {
            let have = got.get(field).cloned().unwrap_or_else(|| absent_like(want));
            if &have != want {
                ok = false;
                failures.push(format!("{title:?}: {field}: expected {want}, got {have}"));
            }
        }
        passed += usize::from(ok);
    }
    let total = cases.len();
    println!(
        "PTT suite: {passed}/{total} passed ({:.1}%)",
        passed as f64 * 100.0 / total as f64
    );
    for f in &failures {
        println!("  {f}");
    }
    assert_eq!(total, 1024, "fixture size changed");
    assert!(passed >= MUST_PASS, "{passed} < {MUST_PASS} PTT cases pass");
}

#[test]
fn every_handler_regex_compiles() {
    assert!(super::engine::compile_all(&super::engine::Table::new()) > 300);
}

#[test]
fn remux_with_everything() {
    let r = parse("Dune.Part.Two.2024.2160p.UHD.BluRay.REMUX.DV.HDR10.HEVC.TrueHD.7.1.Atmos-FGT");
    assert_eq!(r.title, "Dune Part Two");
    assert_eq!(r.year, Some(2024));
    assert_eq!(r.resolution.as_deref(), Some("2160p"));
    assert_eq!(r.quality.as_deref(), Some("BluRay REMUX"));
    assert_eq!(r.hdr, ["DV", "HDR"]);
    assert_eq!(r.bit_depth.as_deref(), Some("10bit"));
    assert_eq!(r.codec.as_deref(), Some("hevc"));
    assert_eq!(r.audio, ["Atmos", "TrueHD"]);
    assert_eq!(r.channels, ["7.1"]);
    assert_eq!(r.group.as_deref(), Some("FGT"));
    assert!(!r.trash && !r.is_show());
}

#[test]
fn complete_series_range() {
    let r = parse("The.Office.US.S01-S09.COMPLETE.720p.WEB-DL");
    assert_eq!(r.title, "The Office");
    assert_eq!(r.seasons, (1..=9).collect::<Vec<_>>());
    assert!(r.episodes.is_empty());
    assert!(r.complete && r.is_season_pack());
    assert_eq!(r.country.as_deref(), Some("US"));
    assert_eq!(r.resolution.as_deref(), Some("720p"));
    assert_eq!(r.quality.as_deref(), Some("WEB-DL"));
}

#[test]
fn cam_is_trash() {
    let r = parse("Oppenheimer.2023.HDCAM.x264-NoGroup");
    assert_eq!(r.title, "Oppenheimer");
    assert!(r.trash);
    assert_eq!(r.quality.as_deref(), Some("CAM"));
    assert_eq!(r.codec.as_deref(), Some("avc"));
}

#[test]
fn single_episode_with_episode_title() {
    let r = parse("Breaking.Bad.S05E16.Felina.1080p.BluRay.x264.mkv");
    assert_eq!(r.title, "Breaking Bad");
    assert_eq!(
        (r.seasons.as_slice(), r.episodes.as_slice()),
        (&[5][..], &[16][..])
    );
    assert_eq!(r.extension.as_deref(), Some("mkv"));
    assert_eq!(r.quality.as_deref(), Some("BluRay"));
    assert!(!r.is_season_pack() && !r.is_episode_pack());
}

#[test]
fn season_pack() {
    let r = parse("Breaking Bad S05 1080p BluRay x264");
    assert_eq!(r.title, "Breaking Bad");
    assert_eq!(r.seasons, [5]);
    assert!(r.episodes.is_empty());
    assert!(r.is_season_pack());
}

#[test]
fn cross_notation() {
    let r = parse("Show.1x05.720p.HDTV");
    assert_eq!(r.title, "Show");
    assert_eq!(
        (r.seasons.as_slice(), r.episodes.as_slice()),
        (&[1][..], &[5][..])
    );
    assert_eq!(r.quality.as_deref(), Some("HDTV"));
}

#[test]
fn three_d() {
    let r = parse("Movie.2010.3D.HSBS.1080p.BluRay");
    assert_eq!(r.title, "Movie");
    assert!(r.three_d);
    assert_eq!(r.year, Some(2010));
    let json = serde_json::to_value(&r).expect("serialises");
    assert_eq!(json["3d"], Value::Bool(true));
}

#[test]
fn episode_range() {
    let r = parse("Show.Name.S01E01-E03.1080p.WEB.h264-GRP");
    assert_eq!(r.title, "Show Name");
    assert_eq!(r.seasons, [1]);
    assert_eq!(r.episodes, [1, 2, 3]);
    assert!(r.is_episode_pack());
}

#[test]
fn serialises_like_ptt() {
    let json = serde_json::to_value(parse("Some.Movie.2020.1080p")).expect("serialises");
    let keys: Vec<&str> = json
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    let mut keys = keys;
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "episodes",
            "languages",
            "resolution",
            "seasons",
            "title",
            "year"
        ]
    );
    assert_eq!(parse(""), Release::default());
}
