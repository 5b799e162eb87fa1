//! Edition and release flags (`PROPER`, `REPACK`, `IMAX`, …), region, and the source
//! quality (`BluRay REMUX`, `WEB-DL`, `CAM`, …), in PTT's order: the more specific source
//! names first, and the ones that can be words of a title (`CAM`, `HD`) last.

use regex::{Captures, Regex};

use super::engine::{
    Field as F, Handler, REMOVE as R, SKIP_FROM_TITLE as SFT, checked, is_word, re, whole,
};
use super::transform::Transform as T;

// Per thread rather than static, so they go when the parser thread ends (see `worker`).
thread_local! {
    static REMUX: Regex = Regex::new(r"(?i)remux").expect("remux");
    static RIP_AHEAD: Regex = Regex::new(r"(?i)^[ .-]*Rip").expect("rip lookahead");
    static WEB_NUMBER: Regex = Regex::new(r"^[ .\-(\],]+\d").expect("web number");
}
fn uncut(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = whole(c)?;
    let mut rest = title[e..].chars();
    let gems = rest.next().is_some_and(|c| c != '\n')
        && super::engine::starts_with_ci(rest.as_str(), "gems");
    (!gems).then_some((s, e))
}

fn bluray_before_remux(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = whole(c)?;
    REMUX.with(|re| re.is_match_at(title, e)).then_some((s, e))
}

fn bluray_after_remux(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = whole(c)?;
    REMUX
        .with(|re| re.find(title).is_some_and(|m| m.end() <= s))
        .then_some((s, e))
}

fn bluray_not_rip(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = whole(c)?;
    (!RIP_AHEAD.with(|re| re.is_match(&title[e..]))).then_some((s, e))
}

/// `WEB` unless a word sits two characters before it and a number follows it.
fn web(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = whole(c)?;
    let mut back = title[..s].chars().rev();
    let word_before = match (back.next(), back.next()) {
        (Some(c1), Some(c2)) => c1 != '\n' && is_word(c2),
        _ => false,
    };
    (!word_before || !WEB_NUMBER.with(|re| re.is_match(&title[e..]))).then_some((s, e))
}

/// Editions and the one-word release flags.
pub(super) fn flags(v: &mut Vec<Handler>) {
    let editions = [
        (
            r"(?i)\b\d{2,3}(th)?[.\s\-+_/(),]Anniversary[.\s\-+_/(),](Edition|Ed)?\b",
            "Anniversary Edition",
        ),
        (r"(?i)\bUltimate[.\s\-+_/(),]Edition\b", "Ultimate Edition"),
        (
            r"(?i)\bExtended[.\s\-+_/(),]Director(')?s\b",
            "Directors Cut",
        ),
        (r"(?i)\b(custom.?)?Extended\b", "Extended Edition"),
        (r"(?i)\bDirector(')?s.?Cut\b", "Directors Cut"),
        (r"(?i)\bCollector(')?s\b", "Collectors Edition"),
        (r"(?i)\bTheatrical\b", "Theatrical"),
    ];
    for (p, value) in editions {
        v.push(re(F::Edition, p, T::Value(value), R));
    }
    v.push(checked(
        F::Edition,
        r"(?i)\buncut\b",
        uncut,
        T::Value("Uncut"),
        R,
    ));
    v.push(re(F::Edition, r"(?i)\bIMAX\b", T::Value("IMAX"), R));
    v.push(re(
        F::Edition,
        r"(?i)\b\.Diamond\.\b",
        T::Value("Diamond Edition"),
        R,
    ));
    v.push(re(
        F::Edition,
        r"(?i)\bRemaster(?:ed)?\b",
        T::Value("Remastered"),
        R,
    ));

    v.push(re(
        F::Upscaled,
        r"(?i)\b(?:AI.?)?(Upscal(ed?|ing)|Enhanced?)\b",
        T::Flag,
        0,
    ));
    v.push(re(
        F::Upscaled,
        r"(?i)\b(?:iris2|regrade|ups(uhd|fhd|hd|4k))\b",
        T::Flag,
        0,
    ));
    v.push(re(F::Upscaled, r"(?i)\b\.AI\.\b", T::Flag, 0));
    v.push(re(F::Convert, r"\bCONVERT\b", T::Flag, R));
    v.push(re(F::Hardcoded, r"\b(HC|HARDCODED)\b", T::Flag, R));
    v.push(re(F::Proper, r"(?i)\b(?:REAL.)?PROPER\b", T::Flag, R));
    v.push(re(F::Repack, r"(?i)\bREPACK|RERIP\b", T::Flag, R));
    v.push(re(F::Retail, r"(?i)\bRetail\b", T::Flag, R));
    v.push(re(F::Remastered, r"(?i)\bRemaster(?:ed)?\b", T::Flag, R));
    v.push(re(
        F::Documentary,
        r"(?i)\bDOCU(?:menta?ry)?\b",
        T::Flag,
        SFT,
    ));
    v.push(re(F::Unrated, r"(?i)\bunrated\b", T::Flag, R));
    v.push(re(F::Uncensored, r"(?i)\buncensored\b", T::Flag, R));
    v.push(re(F::Commentary, r"(?i)\bcommentary\b", T::Flag, R));
    v.push(re(F::Region, r"R\dJ?\b", T::Upper, R));
    v.push(re(F::Region, r"(?i)\b(?P<v>PAL|NTSC|SECAM)\b", T::Upper, R));
}

/// The source, most specific names first.
pub(super) fn quality(v: &mut Vec<Handler>) {
    let q = |v: &mut Vec<Handler>, p: &str, value: &'static str| {
        v.push(re(F::Quality, p, T::Value(value), R));
    };
    q(
        v,
        r"(?i)\b(?:HD[ .-]*)?T(?:ELE)?S(?:YNC)?(?:Rip)?\b",
        "TeleSync",
    );
    q(
        v,
        r"\b(?:HD[ .-]*)?T(?:ELE)?C(?:INE)?(?:Rip)?\b",
        "TeleCine",
    );
    q(v, r"(?i)\b(?:DVD?|BD|BR|HD)?[ .-]*Scr(?:eener)?\b", "SCR");
    q(v, r"(?i)\bP(?:RE)?-?(HD|DVD)(?:Rip)?\b", "SCR");
    let bluray = r"(?i)\bBlu[ .-]*Ray\b";
    v.push(checked(
        F::Quality,
        bluray,
        bluray_before_remux,
        T::Value("BluRay REMUX"),
        R,
    ));
    q(v, r"(?i)(?:BD|BR|UHD)[- ]?remux", "BluRay REMUX");
    v.push(checked(
        F::Quality,
        bluray,
        bluray_after_remux,
        T::Value("BluRay REMUX"),
        R,
    ));
    q(v, r"(?i)\bremux\b", "REMUX");
    v.push(checked(
        F::Quality,
        bluray,
        bluray_not_rip,
        T::Value("BluRay"),
        R,
    ));
    q(v, r"(?i)\bUHD[ .-]*Rip\b", "UHDRip");
    q(v, r"(?i)\bHD[ .-]*Rip\b", "HDRip");
    q(v, r"(?i)\bMicro[ .-]*HD\b", "HDRip");
    q(v, r"(?i)\b(?:BR|Blu[ .-]*Ray)[ .-]*Rip\b", "BRRip");
    q(
        v,
        r"(?i)\bBD[ .-]*Rip\b|\bBDR\b|\bBD-RM\b|[\[(]BD[\]) .,-]",
        "BDRip",
    );
    q(v, r"(?i)\b(?:HD[ .-]*)?DVD[ .-]*Rip\b", "DVDRip");
    q(v, r"(?i)\bVHS[ .-]*Rip?\b", "VHSRip");
    q(v, r"(?i)\bDVD(?:R\d?|.*Mux)?\b", "DVD");
    q(v, r"(?i)\bVHS\b", "VHS");
    q(v, r"(?i)\bPPVRip\b", "PPVRip");
    q(v, r"(?i)\bHD.?TV.?Rip\b", "HDTVRip");
    q(v, r"(?i)\bDVB[ .-]*(?:Rip)?\b", "HDTV");
    q(v, r"(?i)\bSAT[ .-]*Rips?\b", "SATRip");
    q(v, r"(?i)\bTVRips?\b", "TVRip");
    q(v, r"(?i)\bR5\b", "R5");
    q(v, r"(?i)\b(?:DL|WEB|BD|BR)MUX\b", "WEBMux");
    q(v, r"(?i)\bWEB[ .-]*Rip\b", "WEBRip");
    q(v, r"(?i)\bWEB[ .-]?DL[ .-]?Rip\b", "WEB-DLRip");
    q(v, r"(?i)\bWEB[ .-]*(DL|.BDrip|.DLRIP)\b", "WEB-DL");
    v.push(checked(
        F::Quality,
        r"(?i)\bWEB\b",
        web,
        T::Value("WEB"),
        R | SFT,
    ));
    // CAM and S-print can be words of a title too, so they come last.
    let cam = r"(?i)\b(?:H[DQ][ .-]*)?CAM(?P<p>)(?:H[DQ])?(?:[ .-]*Rip|Rp)?\b";
    v.push(checked(
        F::Quality,
        cam,
        super::early::cam,
        T::Value("CAM"),
        R | SFT,
    ));
    v.push(re(
        F::Quality,
        r"(?i)\b(?:H[DQ][ .-]*)?S[ .\-]print",
        T::Value("CAM"),
        R | SFT,
    ));
    q(v, r"(?i)\bPDTV\b", "PDTV");
    q(v, r"(?i)\bHD(.?TV)?\b", "HDTV");
}
