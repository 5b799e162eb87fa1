//! The last handlers PTT runs: subbed/dubbed, 3D, size, sites, networks, the file extension and
//! the release group. They come last because their words (`Multi`, `Sony`, a bracketed
//! prefix) are only trusted once everything more specific has been taken out.

use regex::{Captures, Regex};

use super::engine::{
    AGAIN as A, Ctx, Field as F, Handler, Hit, REMOVE as R, SKIP_FROM_TITLE as SFT,
    SKIP_IF_FIRST as SIF, checked, func, group, re, whole,
};
use super::transform::Transform as T;

// Per thread rather than static, so they go when the parser thread ends (see `worker`).
thread_local! {
    static SUB_AHEAD: Regex = Regex::new(r"(?i)^[ .-]*sub").expect("sub ahead");
    static SUB_WORD: Regex = Regex::new(r"(?i)\bsub(?:s|bed)?\b").expect("sub word");
    static EXT_ONLY: Regex = Regex::new(r"^\.\w{2,4}$").expect("extension only");
}

fn dual_not_sub(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = whole(c)?;
    (!SUB_AHEAD.with(|re| re.is_match(&title[e..]))).then_some((s, e))
}

fn no_sub_after(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = whole(c)?;
    (!SUB_WORD.with(|re| re.is_match_at(title, s))).then_some((s, e))
}

fn three_d(_: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    group(c, "m")
}

/// `[site.com]` before the extension or a space.
fn bracketed_site(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = whole(c)?;
    let rest = &title[e..];
    let ok = EXT_ONLY.with(|re| re.is_match(rest))
        || rest.chars().next().is_some_and(char::is_whitespace);
    ok.then_some((s, e))
}

/// A `[Group]` prefix is not the group when other fields were found inside or before it.
fn bracketed_group(ctx: &mut Ctx) -> Option<Hit> {
    let m = ctx.matched(F::Group)?;
    if !(m.raw.starts_with('[') && m.raw.ends_with(']')) {
        return None;
    }
    let end = m.index + m.raw.chars().count();
    let overlaps = ctx
        .matched
        .iter()
        .enumerate()
        .any(|(i, o)| i != F::Group as usize && o.as_ref().is_some_and(|o| o.index < end));
    if overlaps {
        ctx.release.group = None;
    }
    None
}

fn drop_empty_group(ctx: &mut Ctx) -> Option<Hit> {
    if matches!(ctx.release.group.as_deref(), Some("-" | "")) {
        ctx.release.group = None;
    }
    None
}

pub(super) fn add(v: &mut Vec<Handler>) {
    let subbed = r"(?i)\bmulti(?:ple)?[ .-]*(?:su?$|sub\w*|dub\w*)\b|msub";
    v.push(re(F::Subbed, subbed, T::Flag, R));
    v.push(re(
        F::Subbed,
        r"(?i)\b(?:Official.*?|Dual-?)?sub(s|bed)?\b",
        T::Flag,
        R,
    ));

    let multi = r"(?i)[\[(\s]?\bmulti(?:ple)?[ .-]*(?:lang(?:uages?)?|audio|VF2)\b\][\[(\s]?";
    v.push(re(F::Dubbed, multi, T::Flag, R | A));
    v.push(re(
        F::Dubbed,
        r"(?i)\btri(?:ple)?[ .-]*(?:audio|dub\w*)\b",
        T::Flag,
        A,
    ));
    v.push(re(
        F::Dubbed,
        r"(?i)\bdual[ .-]*(?:au?$|[aá]udio|line)\b",
        T::Flag,
        A,
    ));
    v.push(checked(
        F::Dubbed,
        r"(?i)\bdual\b",
        dual_not_sub,
        T::Flag,
        A,
    ));
    v.push(re(F::Dubbed, r"(?i)\b(fan\s?dub)\b", T::Flag, R | SFT));
    let dubbed = r"(?i)\b(Fan.*)?(?:DUBBED|dublado|dubbing|DUBS?)\b";
    v.push(re(F::Dubbed, dubbed, T::Flag, R));
    let dual_audio = r"(?i)\b([ _\-\[(.])?(dual|multi)([ _\-\[(.])?(audio)\b";
    v.push(checked(F::Dubbed, dual_audio, no_sub_after, T::Flag, R));
    let jp_en = r"(?i)\b(JAP?(anese)?|ZH)\+ENG?(lish)?|ENG?(lish)?\+(JAP?(anese)?|ZH)\b";
    v.push(re(F::Dubbed, jp_en, T::Flag, R));
    v.push(re(F::Dubbed, r"(?i)\bMULTi\b", T::Flag, R));

    v.push(func(F::Group, bracketed_group));

    let after_year = r"(?i)\b[12]\d{3}\b(?P<m>.*\b(?:3d|sbs|half[ .-]ou|half[ .-]sbs)\b)";
    v.push(checked(F::ThreeD, after_year, three_d, T::Flag, SIF));
    for p in [
        r"(?i)\b((Half.)?SBS|HSBS)\b",
        r"(?i)\bBluRay3D\b",
        r"(?i)\bBD3D\b",
        r"(?i)\b3D\b",
    ] {
        v.push(re(F::ThreeD, p, T::Flag, SIF));
    }

    v.push(re(
        F::Size,
        r"(?i)\b(?P<v>\d+(\.\d+)?\s?(MB|GB|TB))\b",
        T::Same,
        R,
    ));

    let site =
        r"(?i)\b(?:www?.?)?(?:\w+\-)?\w+[.\s](?:com|org|net|ms|tv|mx|co|\.party|vip|nu|pics)\b";
    v.push(re(F::Site, site, T::Same, R));
    v.push(re(
        F::Site,
        r"(?i)rarbg|torrentleech|(?:the)?piratebay",
        T::Same,
        R,
    ));
    let bracketed = r"(?i)\[(?P<v>[^\]]+\.[^\]]+)\]";
    v.push(checked(F::Site, bracketed, bracketed_site, T::Same, R));

    let networks = [
        (r"(?i)\bATVP?\b", "Apple TV"),
        (r"(?i)\bAMZN\b", "Amazon"),
        (r"(?i)\bNF|Netflix\b", "Netflix"),
        (r"(?i)\bNICK(elodeon)?\b", "Nickelodeon"),
        (r"(?i)\bDSNY?P?\b", "Disney"),
        (r"(?i)\bH(MAX|BO)\b", "HBO"),
        (r"(?i)\bHULU\b", "Hulu"),
        (r"(?i)\bCBS\b", "CBS"),
        (r"(?i)\bNBC\b", "NBC"),
        (r"(?i)\bAMC\b", "AMC"),
        (r"(?i)\bPBS\b", "PBS"),
        (r"(?i)\b(Crunchyroll|[. -]CR[. -])\b", "Crunchyroll"),
        (r"\bVICE\b", "VICE"),
        (r"(?i)\bSony\b", "Sony"),
        (r"(?i)\bHallmark\b", "Hallmark"),
        (r"(?i)\bAdult.?Swim\b", "Adult Swim"),
        (r"(?i)\bAnimal.?Planet|ANPL\b", "Animal Planet"),
        (
            r"(?i)\bCartoon.?Network(.TOONAMI.BROADCAST)?\b",
            "Cartoon Network",
        ),
    ];
    for (p, value) in networks {
        v.push(re(F::Network, p, T::Value(value), R));
    }

    v.push(re(
        F::Extension,
        r"(?i)\.(?P<v>3g2|3gp|avi|flv|mkv|mk3d|mov|mp2|mp4|m4v|mpe|mpeg|mpg|mpv|webm|wmv|ogm|divx|ts|m2ts|iso|vob|sub|idx|ttxt|txt|smi|srt|ssa|ass|vtt|nfo|html)$",
        T::Lower,
        R,
    ));
    v.push(re(F::Audio, r"(?i)\bMP3\b", T::Uniq("MP3"), R | A));

    v.push(re(
        F::Group,
        r"\((?P<v>[\w-]+)\)(?:$|\.\w{2,4}$)",
        T::Same,
        0,
    ));
    v.push(re(
        F::Group,
        r"\b(?P<v>INFLATE|DEFLATE)\b",
        T::Value("$1"),
        R,
    ));
    let erai = r"(?i)\b(?:Erai-raws|Erai-raws\.com)\b";
    v.push(re(F::Group, erai, T::Value("Erai-raws"), R));
    v.push(re(F::Group, r"^\[(?P<v>[^\[\]]+)\]", T::Same, 0));
    v.push(func(F::Group, drop_empty_group));

    v.push(re(F::Trash, r"(?i)acesse o original", T::Flag, R));
    v.push(re(F::Title, r"(?i)\bHigh.?Quality\b", T::Same, R | SFT));
}
