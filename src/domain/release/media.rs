//! The rest of the media description: bit depth, HDR, codec, audio channels and formats,
//! then the trailing release group and volumes.

use regex::{Captures, Regex};

use super::engine::{
    AGAIN as A, Ctx, Field as F, Handler, Hit, Matched, REMOVE as R, SKIP_FROM_TITLE as SFT,
    byte_offset, char_index, checked, func, re, whole,
};
use super::transform::Transform as T;

// Per thread rather than static, so they go when the parser thread ends (see `worker`).
thread_local! {
    static DTS_LOSSLESS_AHEAD: Regex = Regex::new(r"(?i)^(?:.?HD.?Ma|.X)").expect("dts lookahead");
    static RES_AHEAD: Regex = Regex::new(r"[ ._-]\d{3,4}p").expect("resolution ahead");
    static GROUP_NOT: Regex =
        Regex::new(r"(?i)^(?:\d+$|S\d+|\d+x|ep?\d+|[^\[]+\]$)").expect("group lookahead");
    static VOLUME: Regex = Regex::new(r"(?i)\bvol(?:ume)?[. -]*(\d{1,2})").expect("volume");
}

/// `10bit`: the digits only; PTT matched `bit` in a lookahead.
fn bits(_: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    super::engine::group(c, "m")
}

fn dts_lossless(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = whole(c)?;
    let first = title[s..].chars().next().map_or(1, char::len_utf8);
    let rest = title[s + first..].split('\n').next().unwrap_or("");
    let hr = rest
        .as_bytes()
        .windows(2)
        .any(|w| w.eq_ignore_ascii_case(b"hr"));
    (!hr).then_some((s, e))
}

fn dts_lossy(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let p = c.name("p")?.start();
    (!DTS_LOSSLESS_AHEAD.with(|re| re.is_match(&title[p..]))).then(|| whole(c))?
}

fn opus(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = whole(c)?;
    (!RES_AHEAD.with(|re| re.is_match(&title[e..]))).then_some((s, e))
}

/// A trailing `-GROUP` (before the extension), unless it reads like an episode or season.
fn group(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let v = c.name("v")?;
    if GROUP_NOT.with(|re| re.is_match(&title[v.start()..])) {
        return None;
    }
    let (s, e) = whole(c)?;
    Some((s, c.name("e").map_or(e, |x| x.start())))
}

/// PTT's `handle_bit_depth`: `10-bit` and `10 bit` read as `10bit`.
fn bit_depth_tidy(ctx: &mut Ctx) -> Option<Hit> {
    if let Some(b) = &mut ctx.release.bit_depth {
        b.retain(|c| c != ' ' && c != '-');
    }
    None
}

/// PTT's `handle_volumes`: `Vol 3` after the year, indexed (as PTT does) partly relative to it.
fn volume(ctx: &mut Ctx) -> Option<Hit> {
    let year = ctx.matched(F::Year).map_or(0, |m| m.index);
    let start = byte_offset(&ctx.title, year);
    let tail = &ctx.title[start..];
    let caps = VOLUME.with(|re| re.captures(tail))?;
    let m = caps.get(0)?;
    let n = caps.get(1)?.as_str().parse().ok()?;
    let raw = m.as_str().to_owned();
    let (index, len) = (m.start(), m.len());
    let matched = Matched {
        index: char_index(tail, index),
        raw,
    };
    ctx.matched[F::Volumes as usize] = Some(matched);
    ctx.release.volumes = vec![n];
    Some(Hit {
        index: index + start,
        len,
        remove: true,
        skip_from_title: false,
    })
}

fn video(v: &mut Vec<Handler>) {
    v.push(re(F::BitDepth, r"(?i)\bhevc\s?10\b", T::Value("10bit"), 0));
    let bit = r"(?i)(?P<m>(?:8|10|12)[-.]?)bit\b";
    v.push(checked(F::BitDepth, bit, bits, T::Value("$1bit"), R));
    v.push(re(F::BitDepth, r"(?i)\bhdr10\b", T::Value("10bit"), 0));
    v.push(re(F::BitDepth, r"(?i)\bhi10\b", T::Value("10bit"), 0));
    v.push(func(F::BitDepth, bit_depth_tidy));

    let hdr = [
        (r"(?i)\bDV\b|dolby.?vision|\bDoVi\b", "DV"),
        (r"(?i)HDR10(?:\+|[-.\s]?plus)", "HDR10+"),
        (r"(?i)\bHDR(?:10)?\b", "HDR"),
        (r"(?i)\bSDR\b", "SDR"),
    ];
    for (p, value) in hdr {
        v.push(re(F::Hdr, p, T::Uniq(value), R | A));
    }

    v.push(re(F::Codec, r"(?i)\b[hx][. \-]?264\b", T::Value("avc"), R));
    v.push(re(F::Codec, r"(?i)\b[hx][. \-]?265\b", T::Value("hevc"), R));
    v.push(re(F::Codec, r"\b\W264\W\b", T::Value("avc"), R | SFT));
    v.push(re(F::Codec, r"\b\W265\W\b", T::Value("hevc"), R | SFT));
    v.push(re(
        F::Codec,
        r"(?i)\bHEVC10(bit)?\b|\b[xh][. \-]?265\b",
        T::Value("hevc"),
        R,
    ));
    v.push(re(
        F::Codec,
        r"(?i)\bhevc(?:\s?10)?\b",
        T::Value("hevc"),
        R | A,
    ));
    v.push(re(F::Codec, r"(?i)\bdivx|xvid\b", T::Value("xvid"), R | A));
    v.push(re(F::Codec, r"(?i)\bavc\b", T::Value("avc"), R | A));
    v.push(re(F::Codec, r"(?i)\bav1\b", T::Value("av1"), R | A));
    v.push(re(
        F::Codec,
        r"(?i)\b(?:mpe?g\d*)\b",
        T::Value("mpeg"),
        R | A,
    ));
}

fn sound(v: &mut Vec<Handler>) {
    let channels = [
        (r"(?i)5[.\s]1(?:ch|-S\d+)?\b", "5.1", R | A),
        (r"(?i)\b(?:x[2-4]|5\W1(?:x[2-4])?)\b", "5.1", R | A),
        (r"(?i)\b7[.\- ]1(.?ch(annel)?)?\b", "7.1", R | A),
        (r"(?i)\+?2[.\s]0(?:x[2-4])?\b", "2.0", R | A),
        (r"(?i)\b2\.0\b", "2.0", R | A),
        (r"(?i)\b(?:24-bit\s)?stereo\b", "stereo", A),
        (r"(?i)\bmono\b", "mono", A),
    ];
    for (p, value, opts) in channels {
        v.push(re(F::Channels, p, T::Uniq(value), opts));
    }

    let lossless = r"(?i)\b(?:DTS.?HD.?Ma(?:ster)?|DTS.?X)\b";
    v.push(checked(
        F::Audio,
        lossless,
        dts_lossless,
        T::Uniq("DTS Lossless"),
        R | A,
    ));
    let lossy = r"(?i)\bDTS(?P<p>).?(?:HD.?HR|HD)?\b";
    v.push(checked(
        F::Audio,
        lossy,
        dts_lossy,
        T::Uniq("DTS Lossy"),
        R | A,
    ));
    v.push(re(
        F::Audio,
        r"(?i)\b(Dolby.?)?Atmos\b",
        T::Uniq("Atmos"),
        R | A,
    ));
    let truehd = r"(?i)\b(True[ .-]?HD|\.True\.)\b";
    v.push(re(F::Audio, truehd, T::Uniq("TrueHD"), R | A | SFT));
    v.push(re(F::Audio, r"\bTRUE\b", T::Uniq("TrueHD"), R | A | SFT));
    let flac = r"(?i)\bFLAC(?:\d\.\d)?(?:x\d+)?\b";
    v.push(re(F::Audio, flac, T::Uniq("FLAC"), R | A));
    let ddp = r"DD2?[+p]|DD Plus|Dolby Digital Plus|DDP(5[ ._]1)?|E-?AC-?3(?:-S\d+)?";
    v.push(re(F::Audio, ddp, T::Uniq("Dolby Digital Plus"), R | A));
    v.push(re(
        F::Audio,
        r"(?i)\bddp(5.1)?",
        T::Uniq("Dolby Digital Plus"),
        R,
    ));
    let dd = r"(?i)\b(DD|Dolby.?Digital|DolbyD|AC-?3(x2)?(?:-S\d+)?)\b";
    v.push(re(F::Audio, dd, T::Uniq("Dolby Digital"), R | A));
    v.push(re(
        F::Audio,
        r"(?i)\bQ?Q?AAC(x?2)?\b",
        T::Uniq("AAC"),
        R | A,
    ));
    v.push(re(F::Audio, r"(?i)\bL?PCM\b", T::Uniq("PCM"), R | A));
    v.push(checked(
        F::Audio,
        r"\bOPUS(\b|\d)",
        opus,
        T::Uniq("OPUS"),
        R | A,
    ));
    let clean = r"(?i)\b(H[DQ])?.?(Clean.?Aud(io)?)\b";
    v.push(re(F::Audio, clean, T::Uniq("HQ Clean Audio"), R | A));
}

pub(super) fn add(v: &mut Vec<Handler>) {
    super::quality::flags(v);
    super::quality::quality(v);
    video(v);
    sound(v);
    v.push(checked(
        F::Group,
        r"(?i)- ?(?P<v>[^\-. \[]+[^\-. \[)\]\d][^\-. \[)\]]*)(?:\[[\w.-]+\])?(?P<e>\.\w{2,4})?$",
        group,
        T::Same,
        0,
    ));
    v.push(re(
        F::Volumes,
        r"(?i)\bvol(?:s|umes?)?[. -]*(?:\d{1,2}[., +/\\&-]+)+\d{1,2}\b",
        T::Range,
        R,
    ));
    v.push(func(F::Volumes, volume));
}
