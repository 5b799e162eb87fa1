//! The first handlers PTT runs: clean-ups, container, adult, scene, extras, site prefixes,
//! resolution, episode codes, trash sources, dates and years. They come first because later
//! handlers would otherwise misread their text (a `1920x1080` as an episode, a date as a year).

use regex::{Captures, Regex};

use super::dates::DateFormat as D;
use super::engine::{
    AGAIN as A, Field as F, Handler, REMOVE as R, SKIP_FROM_TITLE as SFT, checked, func, is_word,
    next_char, prev_char, re, whole,
};
use super::transform::Transform as T;

// Per thread rather than static, so they go when the parser thread ends (see `worker`).
thread_local! {
    static YEAR_WORD: Regex = Regex::new(r"\b(?:19\d{2}|20\d{2})\b").expect("year word");
    static YEAR_OR_PARK: Regex =
        Regex::new(r"(?i)\b(?:19\d{2}|20\d{2}|.(?:Park|And))\b").expect("trailer guard");
    static SCENE_WEB: Regex =
        Regex::new(r"\b\d{3,4}p\b.*[_. ]WEB[_. ](?:[\w&&[^D]]|D(?:[^L]|$))").expect("scene web");
    static CAM_AHEAD: Regex = Regex::new(r"(?i)^.?[SE(]\d").expect("cam lookahead");
    static RES_WORD: Regex =
        Regex::new(r"(?i)\b(?:4k|2160p|1080p|720p|480p)\b").expect("resolution word");
    static YEAR_AHEAD: Regex = Regex::new(r"^\D*\d{4}\b").expect("year lookahead");
}

/// `Featurette` and `Sample` are extras unless a year follows them and none precedes them
/// (then they are part of the title, as in `Sample.2019`).
fn extra_word(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = whole(c)?;
    let before = YEAR_WORD
        .with(|re| re.find(title))
        .is_some_and(|m| m.end() <= s);
    (before || YEAR_WORD.with(|re| re.find_at(title, e)).is_none()).then_some((s, e))
}

fn trailer_word(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = whole(c)?;
    let before = YEAR_WORD
        .with(|re| re.find(title))
        .is_some_and(|m| m.end() <= s);
    (before || YEAR_OR_PARK.with(|re| re.find_at(title, e)).is_none()).then_some((s, e))
}

/// `CAM` not followed by an episode-ish number (`CAMS01`, `Cam(2`).
pub(super) fn cam(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let p = c.name("p")?.start();
    (!CAM_AHEAD.with(|re| re.is_match(&title[p..]))).then(|| whole(c))?
}

fn scene(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    if c.name("a").is_some() {
        return SCENE_WEB.with(|re| re.is_match(title)).then_some((0, 0));
    }
    whole(c)
}

/// The last resolution word of the title.
fn last_resolution(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = whole(c)?;
    (!RES_WORD.with(|re| re.is_match_at(title, e))).then_some((s, e))
}

/// A date that must be followed by a non-word character, which it does not consume.
fn date_end(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = whole(c)?;
    match next_char(title, e) {
        Some(n) if is_word(n) => title[s..e].ends_with([')', ']']).then_some((s, e - 1)),
        _ => Some((s, e)),
    }
}

fn not_digit_or_kbps(title: &str, at: usize) -> bool {
    !next_char(title, at).is_some_and(|c| c.is_ascii_digit())
        && !super::engine::starts_with_ci(&title[at..], "kbps")
}

fn year_free(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let v = c.name("v")?;
    (!YEAR_AHEAD.with(|re| re.is_match(&title[v.end()..]))).then(|| whole(c))?
}

fn year_inside(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let v = c.name("v")?;
    let before = &title[..v.start()];
    let cap = ["cap", "cap.", "cap "]
        .iter()
        .any(|s| super::engine::ends_with_ci(before, s));
    let ok = !prev_char(title, v.start()).is_some_and(|c| c.is_ascii_digit())
        && !cap
        && not_digit_or_kbps(title, v.end());
    ok.then(|| whole(c))?
}

fn year_first(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let v = c.name("v")?;
    let four_word = title.chars().take(4).filter(|&c| is_word(c)).count() == 4;
    (!four_word && not_digit_or_kbps(title, v.end())).then(|| whole(c))?
}

/// PTT's `\2` back-reference to the date separator, spelled out once per separator.
fn each_sep(core: &str) -> String {
    let alts: Vec<String> = [r"\.", " ", r"\-", "/", r"\\"]
        .iter()
        .map(|s| core.replace("{s}", s))
        .collect();
    format!("(?:{})", alts.join("|"))
}

const MONTHS: &str = "(?:feb(?:ruary)?|jan(?:uary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|\
                      aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

fn dates(v: &mut Vec<Handler>) {
    let numeric = [
        (
            r"(?:\W|^)(?P<v>[\[(]?",
            r"(?:19[6-9]|20[012])[0-9]{s}(?:0[1-9]|1[012]){s}(?:0[1-9]|[12][0-9]|3[01])",
            &[D::Ymd][..],
        ),
        (
            r"(?:\W|^)(?P<v>\[?\]?",
            r"(?:0[1-9]|[12][0-9]|3[01]){s}(?:0[1-9]|1[012]){s}(?:19[6-9]|20[01])[0-9]",
            &[D::Dmy][..],
        ),
        (
            r"\W(?P<v>\[?\]?",
            r"(?:0[1-9]|1[012]){s}(?:0[1-9]|[12][0-9]|3[01]){s}(?:[0][1-9]|[0126789][0-9])",
            &[D::ShortMdy][..],
        ),
        (
            r"\W(?P<v>\[?\]?",
            r"(?:[0][1-9]|[12][0-9]|3[0-9]){s}(?:0[1-9]|1[012]){s}(?:0[1-9]|[12][0-9])",
            &[D::ShortYmd][..],
        ),
        (
            r"\W(?P<v>\[?\]?",
            r"(?:0[1-9]|[12][0-9]|3[01]){s}(?:0[1-9]|1[012]){s}(?:[0][1-9]|[0126789][0-9])",
            &[D::ShortDmy][..],
        ),
    ];
    for (head, core, formats) in numeric {
        let pattern = format!(r"{head}{}[\])]?)(?:\W|$)", each_sep(core));
        v.push(re(F::Date, &pattern, T::Date(formats), R));
    }
    let day = r"(?:0?[1-9]|[12][0-9]|3[01])[. ]?(?:st|nd|rd|th)?";
    let long = each_sep(&format!("{day}{{s}}{MONTHS}{{s}}(?:19[7-9]|20[012])[0-9]"));
    v.push(checked(
        F::Date,
        &format!(r"(?i)(?:\W|^)(?P<v>[(\[]?{long}[)\]]?)"),
        date_end,
        T::Date(&[D::DayMonYear, D::OrdMonYear, D::OrdMonthYear]),
        R,
    ));
    let short = each_sep(&format!("{day}{{s}}{MONTHS}{{s}}(?:0[1-9]|[0126789][0-9])"));
    v.push(re(
        F::Date,
        &format!(r"(?i)(?:\W|^)(?P<v>\[?\]?{short}[\])]?)(?:\W|$)"),
        T::Date(&[D::DayMonShortYear]),
        R,
    ));
    v.push(re(
        F::Date,
        r"(?:\W|^)(?P<v>\[?\]?20[012][0-9](?:0[1-9]|1[012])(?:0[1-9]|[12][0-9]|3[01])[\])]?)(?:\W|$)",
        T::Date(&[D::Compact]),
        R,
    ));
}

pub(super) fn add(v: &mut Vec<Handler>) {
    v.push(re(
        F::Year,
        r"\b19\d{2}\s?-\s?20\d{2}\b",
        T::FirstInteger,
        0,
    ));

    // Episode titles and bonus material PTT cuts before anything else reads them.
    for p in [
        r"(?i)360.Degrees.of.Vision.The.Byakugan'?s.Blind.Spot",
        r"(?i)\b100[ .-]*years?[ .-]*quest\b",
        r"(?i)\[?(\+.)?Extras\]?",
        r"(?i)(\+Movies)?\+Specials",
    ] {
        v.push(re(F::Title, p, T::Same, R));
    }
    v.push(re(F::Group, r"-?EDGE2020", T::Value("EDGE2020"), R));
    v.push(re(F::Title, r"(?i)TV Money", T::Same, R));

    v.push(re(
        F::Container,
        r"(?i)\.?[\[(]?\b(?P<v>MKV|AVI|MP4|WMV|MPG|MPEG)\b[\])]?",
        T::Lower,
        0,
    ));
    v.push(re(F::Torrent, r"\.torrent$", T::Flag, R));
    v.push(re(F::Adult, r"\b(XXX|xxx|Xxx)\b", T::Flag, R));
    v.push(func(F::Adult, super::adult::check));
    v.push(checked(
        F::Scene,
        r"^(?P<a>)|\b-(?:CAKES|GGEZ|GGWP|GLHF|GOSSIP|NAISU|KOGI|PECULATE|SLOT|EDITH|ETHEL|ELEANOR|B2B|SPAMnEGGS|FTP|DiRT|SYNCOPY|BAE|SuccessfulCrab|NHTFS|SURCODE|B0MBARDIERS)",
        scene,
        T::Flag,
        0,
    ));

    v.push(re(F::Extras, r"\bNCED\b", T::Uniq("NCED"), R));
    v.push(re(F::Extras, r"\bNCOP\b", T::Uniq("NCOP"), R));
    v.push(re(F::Extras, r"\bNC\b", T::Uniq("NC"), R));
    v.push(re(F::Extras, r"(?i)\bOVA\b", T::Uniq("OVA"), R));
    v.push(re(F::Extras, r"(?i)\bED(\d?v?\d?)\b", T::Uniq("ED"), R));
    v.push(re(F::Extras, r"\bOPv?(\d+)?\b", T::Uniq("OP"), R));
    v.push(re(
        F::Extras,
        r"(?i)\bDeleted.*Scenes?\b",
        T::Uniq("Deleted Scene"),
        0,
    ));
    v.push(checked(
        F::Extras,
        r"(?i)\bFeaturettes?\b",
        extra_word,
        T::Uniq("Featurette"),
        SFT,
    ));
    v.push(checked(
        F::Extras,
        r"(?i)\bSample\b",
        extra_word,
        T::Uniq("Sample"),
        SFT,
    ));
    v.push(checked(
        F::Extras,
        r"(?i)\bTrailers?\b",
        trailer_word,
        T::Uniq("Trailer"),
        SFT,
    ));

    v.push(re(F::Ppv, r"(?i)\bPPV\b", T::Flag, SFT | R));
    v.push(re(F::Ppv, r"(?i)\b\W?Fight.?Nights?\W?\b", T::Flag, SFT));

    // A leading `www.site.org - ` before the language handlers read its country code.
    v.push(re(
        F::Site,
        r"(?i)^(?P<v>www?[., ][\w-]+[. ][\w-]+(?:[. ][\w-]+)?)\s+-\s*",
        T::Same,
        SFT | R | A,
    ));
    v.push(re(F::Site, r"(?i)\bwww.+rodeo\b", T::Lower, R));

    resolutions(v);

    v.push(re(
        F::EpisodeCode,
        r"[\[()](?P<v>[A-Fa-f0-9]{8})[\])]",
        T::Upper,
        R,
    ));
    v.push(re(
        F::EpisodeCode,
        r"[\[()](?P<v>[0-9]{8})[\])]",
        T::Upper,
        R,
    ));

    // Trash: what RTN drops outright. Only flagged here; the quality handlers read it later.
    let cam_re = r"(?i)\b(?:H[DQ][ .-]*)?CAM(?P<p>)(?:H[DQ])?(?:[ .-]*Rip|Rp)?\b";
    v.push(checked(F::Trash, cam_re, cam, T::Flag, 0));
    for p in [
        r"(?i)\b(?:H[DQ][ .-]*)?S[ .\-]print\b",
        r"(?i)\b(?:HD[ .-]*)?T(?:ELE)?(C|S)(?:INE|YNC)?(?:Rip)?\b",
        r"(?i)\bPre.?DVD(?:Rip)?\b",
        r"(?i)\b(?:DVD?|BD|BR|HD)?[ .-]*Scr(?:eener)?\b",
        r"(?i)\bDVB[ .-]*(?:Rip)?\b",
        r"(?i)\bSAT[ .-]*Rips?\b",
    ] {
        v.push(re(F::Trash, p, T::Flag, 0));
    }
    v.push(re(F::Trash, r"(?i)\bLeaked\b", T::Flag, R));
    v.push(re(F::Trash, r"(?i)threesixtyp", T::Flag, 0));
    v.push(re(F::Trash, r"(?i)\bR5|R6\b", T::Flag, 0));
    v.push(re(F::Trash, r"(?i)\bDeleted.*Scenes?\b", T::Flag, R));
    v.push(re(
        F::Trash,
        r"(?i)\bHQ.?(Clean)?.?(Aud(io)?)?\b",
        T::Flag,
        R,
    ));

    dates(v);

    // Year ranges mean a complete run.
    v.push(re(
        F::Complete,
        r"\b(?P<v>(?:19\d|20[012])\d[ .]?-[ .]?(?:19\d|20[012])\d)\b",
        T::Flag,
        R,
    ));
    v.push(re(
        F::Complete,
        r"[(\[][ .]?(?P<v>(?:19\d|20[012])\d[ .]?-[ .]?\d{2})[ .]?[)\]]",
        T::Flag,
        R,
    ));
    v.push(re(F::Bitrate, r"(?i)\b\d+[kmg]bps\b", T::Lower, R));

    v.push(checked(
        F::Year,
        r"\b(?P<v>20[0-9]{2}|2100)",
        year_free,
        T::Integer,
        R,
    ));
    v.push(checked(
        F::Year,
        r"(?i)[^SE][(\[]?(?P<v>(?:19\d|20[012])\d)[)\]]?",
        year_inside,
        T::Integer,
        R,
    ));
    v.push(checked(
        F::Year,
        r"(?i)^[(\[]?(?P<v>(?:19\d|20[012])\d)[)\]]?",
        year_first,
        T::Integer,
        R,
    ));
}

fn resolutions(v: &mut Vec<Handler>) {
    let fixed = [
        (r"(?i)\[?\]?3840x\d{4}[\])?]?", "2160p"),
        (r"(?i)\[?\]?1920x\d{3,4}[\])?]?", "1080p"),
        (r"(?i)\[?\]?1280x\d{3}[\])?]?", "720p"),
        (r"(?i)\[?\]?(?P<v>\d{3,4}x\d{3,4})[\])?]?p?", "$1p"),
        (r"(?i)(?P<v>480|720|1080)0[pi]", "$1p"),
        (r"(?i)(?:QHD|QuadHD|WQHD|2560(\d+)?x(\d+)?1440p?)", "1440p"),
        (r"(?i)(?:Full HD|FHD|1920(\d+)?x(\d+)?1080p?)", "1080p"),
        (r"(?i)(?:BD|HD|M)(2160p?|4k)", "2160p"),
        (r"(?i)(?:BD|HD|M)1080p?", "1080p"),
        (r"(?i)(?:BD|HD|M)720p?", "720p"),
        (r"(?i)(?:BD|HD|M)480p?", "480p"),
    ];
    for (p, value) in fixed {
        v.push(re(F::Resolution, p, T::Value(value), R));
    }
    v.push(checked(
        F::Resolution,
        r"(?i)\b(?:4k|2160p|1080p|720p|480p)",
        last_resolution,
        T::Resolution,
        R,
    ));
    v.push(re(
        F::Resolution,
        r"(?i)\b4k|21600?[pi]\b",
        T::Value("2160p"),
        R,
    ));
    v.push(re(F::Resolution, r"(?i)(?P<v>\d{3,4}[pi])", T::Lower, R));
    v.push(re(
        F::Resolution,
        r"(?i)(?P<v>240|360|480|576|720|1080|2160|3840)[pi]",
        T::Lower,
        R,
    ));
}
