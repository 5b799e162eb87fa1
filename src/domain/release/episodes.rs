//! Episodes: `S01E01-E03`, `1x05`, `Ep 12`, `Cap.103`, anime's bare ` - 05 `, and PTT's last
//! resort of a lone number between the year/season and the first media tag.

use regex::{Captures, Regex};

use super::engine::{
    Ctx, Field as F, Handler, Hit, REMOVE as R, byte_offset, checked, func, is_word, next_char,
    prev_char, re, whole,
};
use super::transform::{Transform as T, numbers};

// Per thread rather than static, so they go when the parser thread ends (see `worker`).
thread_local! {
    static AFTER_SEASON_WORD: Regex =
        Regex::new(r"(?i)(?:seasons?|[Сс]езони?)\W*$").expect("season word");
    static AFTER_MOVIE_WORD: Regex = Regex::new(r"(?i)(?:movie|film)\W*$").expect("movie word");
    static MOVIE_AHEAD: Regex = Regex::new(r"(?i)^(?:movie|film|\d)").expect("movie ahead");
    static MOVIE_AHEAD_NO_DIGIT: Regex =
        Regex::new(r"(?i)^(?:movie|film|\[(?:480|720|1080)\])").expect("movie");
    static LOOSE_BEGINNING: Regex =
        Regex::new(r"(?i)(?:[ .]+-[ .]+|[(\[][ .]*)(\d{1,4})(?:a|b|v\d|\.\d)?(?:\W|$)")
            .expect("loose episode");
    static LOOSE_MIDDLE: Regex =
        Regex::new(r"(?i)^(?:[(\[-][ .]?)?(\d{1,4})(?:a|b|v\d)?(?:\W|$)").expect("middle episode");
    static ANIME: Regex = Regex::new(r"One.*?Piece|Bleach|Naruto").expect("anime titles");
    static BARE_NUMBER: Regex = Regex::new(r"\b\d{1,4}\b").expect("bare number");
}

fn no_dash_digit(title: &str, at: usize) -> bool {
    let rest = title.as_bytes().get(at..).unwrap_or(&[]);
    !(rest.first() == Some(&b'-') && rest.get(1).is_some_and(u8::is_ascii_digit))
}

fn value_not_dash_digit(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    no_dash_digit(title, c.name("v")?.end()).then(|| whole(c))?
}

fn not_dash_digit(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = whole(c)?;
    no_dash_digit(title, e).then_some((s, e))
}

/// `05-12.mkv` (not `1-05-12.mkv`), without the extension.
fn dashed_file(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = super::engine::group(c, "m")?;
    let b = title.as_bytes();
    let digit_dash = s >= 2 && b[s - 1] == b'-' && b[s - 2].is_ascii_digit();
    (!digit_dash).then_some((s, e))
}

/// `[Group] Show - 05 …`: only after a leading bracketed group, and followed by a non-word.
fn anime_dash(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, mut e) = whole(c)?;
    // PTT's `(?<=^\[.+].+)`: a `]` from the third character on, and something after it.
    let bracket_group = title.starts_with('[')
        && title
            .as_bytes()
            .get(2..s.saturating_sub(1))
            .is_some_and(|b| b.contains(&b']'));
    if !bracket_group {
        return None;
    }
    if next_char(title, e).is_none_or(is_word) {
        // PTT's trailing `[. ]+` gives a separator back to satisfy its `(?=\W)`.
        if c.name("t")?.len() < 2 {
            return None;
        }
        e -= 1;
    }
    Some((s, e))
}

fn not_after_season(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = whole(c)?;
    (!AFTER_SEASON_WORD.with(|re| re.is_match(&title[..s]))).then_some((s, e))
}

fn digits_span(_: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    super::engine::group(c, "m")
}

fn of_total(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = whole(c)?;
    let digit = |ch: Option<char>| ch.is_some_and(|c| c.is_ascii_digit());
    (!digit(prev_char(title, s)) && !digit(next_char(title, e))).then_some((s, e))
}

fn bracketed_number(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = whole(c)?;
    let rest = &title[e..];
    let at_end = rest.is_empty()
        || (rest.starts_with('.')
            && (3..=5).contains(&rest.chars().count())
            && rest[1..].chars().all(is_word));
    (s != 0 && !at_end).then_some((s, e))
}

fn before_crc(_: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    super::engine::group(c, "v")
}

fn dash_number(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = super::engine::group(c, "m")?;
    let before = &title[..c.get(0)?.start()];
    let movie = before
        .strip_suffix("Movie")
        .is_some_and(|b| !b.chars().next_back().is_some_and(is_word));
    (!movie).then_some((s, e))
}

fn loose_beginning(slice: &str) -> Option<(usize, usize, usize, usize)> {
    let mut at = 0;
    while let Some(c) = LOOSE_BEGINNING.with(|re| re.captures_at(slice, at)) {
        let m = c.get(0)?;
        let (s, e) = (m.start(), m.end());
        let ok = s != 0
            && !AFTER_MOVIE_WORD.with(|re| re.is_match(&slice[..s]))
            && !MOVIE_AHEAD.with(|re| re.is_match(&slice[e..]))
            && ![b"[480]".as_slice(), b"[720]", b"[1080]"]
                .iter()
                .any(|x| slice.as_bytes()[..e].ends_with(x));
        if ok {
            let g = c.get(1)?;
            return Some((s, e, g.start(), g.end()));
        }
        at = s + slice[s..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// PTT's `handle_episodes`: a lone number that is most likely the episode.
fn loose(ctx: &mut Ctx) -> Option<Hit> {
    if !ctx.release.episodes.is_empty() {
        return None;
    }
    let index = |f: F| ctx.matched(f).map(|m| m.index).filter(|&i| i != 0);
    let start = [index(F::Year), index(F::Seasons)]
        .into_iter()
        .flatten()
        .min();
    let end = [F::Resolution, F::Quality, F::Codec, F::Audio]
        .into_iter()
        .filter_map(index)
        .min()
        .unwrap_or(usize::MAX);
    let title = ctx.title.as_str();
    let end = byte_offset(title, end);
    let start = byte_offset(title, start.unwrap_or(0));
    let beginning = &title[..end];
    let found =
        loose_beginning(beginning).map(|(s, e, gs, ge)| (&beginning[s..e], &beginning[gs..ge]));
    let found = found.or_else(|| {
        let middle = title.get(start..end)?;
        let c = LOOSE_MIDDLE.with(|re| re.captures(middle))?;
        let (m, g) = (c.get(0)?, c.get(1)?);
        (!MOVIE_AHEAD_NO_DIGIT.with(|re| re.is_match(&middle[m.end()..])))
            .then(|| (&middle[m.start()..m.end()], &middle[g.start()..g.end()]))
    });
    let (whole_match, digits) = found?;
    let episodes = numbers(digits);
    let index = title.find(whole_match)?;
    ctx.release.episodes = episodes;
    Some(Hit {
        index,
        len: 0,
        remove: false,
        skip_from_title: false,
    })
}

/// One Piece, Bleach and Naruto are released as bare episode numbers.
fn anime(ctx: &mut Ctx) -> Option<Hit> {
    if !ctx.release.episodes.is_empty() || !ANIME.with(|re| re.is_match(&ctx.title)) {
        return None;
    }
    let m = BARE_NUMBER.with(|re| re.find(&ctx.title))?;
    let n = m.as_str().parse().ok()?;
    let index = ctx.title.find(m.as_str())?;
    ctx.release.episodes = vec![n];
    Some(Hit {
        index,
        len: 0,
        remove: false,
        skip_from_title: false,
    })
}

pub(super) fn add(v: &mut Vec<Handler>) {
    let range = |v: &mut Vec<Handler>, p: &str, opts: u8| {
        v.push(re(F::Episodes, p, T::Range, opts));
    };
    let one = |v: &mut Vec<Handler>, p: &str, opts: u8| {
        v.push(re(F::Episodes, p, T::IntList, opts));
    };
    range(
        v,
        r"(?i)(?:[\W\d]|^)e[ .]?[(\[]?(?P<v>\d{1,3}(?:[ .-]*(?:[&+]|e){1,2}[ .]?\d{1,3})+)(?:\W|$)",
        0,
    );
    range(
        v,
        r"(?i)(?:[\W\d]|^)ep[ .]?[(\[]?(?P<v>\d{1,3}(?:[ .-]*(?:[&+]|ep){1,2}[ .]?\d{1,3})+)(?:\W|$)",
        0,
    );
    range(
        v,
        r"(?i)(?:[\W\d]|^)\d+[xх][ .]?[(\[]?(?P<v>\d{1,3}(?:[ .]?[xх][ .]?\d{1,3})+)(?:\W|$)",
        0,
    );
    v.push(re(
        F::Episodes,
        r"(?i)Серии:\s+(?P<v>\d+)\s+(?:of|из|iz)\s+\d+\b",
        T::RangeXOfY,
        0,
    ));
    range(
        v,
        r"(?i)(?:[\W\d]|^)(?:episodes?|[Сс]ерии:?)[ .]?[(\[]?(?P<v>\d{1,3}(?:[ .+]*[&+][ .]?\d{1,3})+)(?:\W|$)",
        0,
    );
    range(
        v,
        r"(?i)[(\[]?(?:\D|^)(?P<v>\d{1,3}[ .]?ao[ .]?\d{1,3})[)\]]?(?:\W|$)",
        0,
    );
    range(
        v,
        r"(?i)(?:[\W\d]|^)(?:e|eps?|episodes?|[Сс]ерии:?|\d+[xх])[ .]*[(\[]?(?P<v>\d{1,3}(?:-\d{1,3})+)(?:\W|$)",
        0,
    );
    range(
        v,
        r"(?i)(?:\W|^)(?P<v>\d{1,3}(?:[ .]*~[ .]*\d{1,3})+)(?:\W|$)",
        0,
    );
    range(v, r"(?i)\bE\d{1,4}\s*à\s*E\d{1,4}\b", R);
    one(
        v,
        r"(?i)[st]\d{1,2}[. ]?[xх-]?[. ]?(?:e|x|х|ep|-|\.)[. ]?(?P<v>\d{1,4})(?:[abc]|v0?[1-4]|\D|$)",
        R,
    );
    one(v, r"(?i)\b[st]\d{2}(?P<v>\d{2})\b", 0);
    v.push(checked(
        F::Episodes,
        r"(?i)-\s(?P<v>\d{1,3}[ .]*-[ .]*\d{1,3})(?:\W|$)",
        value_not_dash_digit,
        T::Range,
        0,
    ));
    range(v, r"(?i)s\d{1,2}\s?\((?P<v>\d{1,3}[ .]*-[ .]*\d{1,3})\)", 0);
    v.push(checked(
        F::Episodes,
        r"(?:^|/)\d{1,2}-(?P<v>\d{2})\b",
        not_dash_digit,
        T::IntList,
        0,
    ));
    v.push(checked(
        F::Episodes,
        r"(?P<m>\b\d{1,2}-(?P<v>\d{2}))\.\w{2,4}$",
        dashed_file,
        T::IntList,
        0,
    ));
    v.push(checked(
        F::Episodes,
        r"(?i)[. ]+-[. ]+(?P<v>\d{1,4})(?P<t>[. ]+)",
        anime_dash,
        T::IntList,
        R,
    ));
    v.push(checked(
        F::Episodes,
        r"(?i)(?:[ .(\[-]|^)(?P<v>\d{1,3}(?:[ .]?[,&+~][ .]?\d{1,3})+)(?:[ .)\]-]|$)",
        not_after_season,
        T::Range,
        0,
    ));
    v.push(checked(
        F::Episodes,
        r"(?i)(?:[ .(\[-]|^)(?P<v>\d{1,3}(?:-\d{1,3})+)(?:[ .)(\]]|-\D|$)",
        not_after_season,
        T::Range,
        0,
    ));
    one(v, r"(?i)\bEp(?:isode)?\W+\d{1,2}\.(?P<v>\d{1,3})\b", 0);
    range(v, r"(?i)Ep.\d+.-.\d+", R);
    one(
        v,
        r"(?i)(?:\b[ée]p?(?:isode)?|[Ээ]пизод|[Сс]ер(?:ии|ия|\.)?|cap(?:itulo)?|epis[oó]dio)[. ]?[-:#№]?[. ]?(?P<v>\d{1,4})(?:[abc]|v0?[1-4]|\W|$)",
        0,
    );
    one(
        v,
        r"(?i)\b(?P<v>\d{1,3})(?:-?я)?[ ._-]*(?:ser(?:i?[iyj]a|\b)|[Сс]ер(?:ии|ия|\.)?)",
        0,
    );
    one(
        v,
        r"(?:\D|^)\d{1,2}[. ]?[xх][. ]?(?P<v>\d{1,3})(?:[abc]|v0?[1-4]|\D|$)",
        0,
    );
    v.push(checked(
        F::Episodes,
        r"(?i)S\d{2}E(?P<m>\d+)",
        digits_span,
        T::IntList,
        0,
    ));
    one(v, r"[\[(]\d{1,2}\.(?P<v>\d{1,3})[)\]]", 0);
    one(v, r"\b[Ss]\d{1,2}[ .](?P<v>\d{1,2})\b", 0);
    one(v, r"-\s?\d{1,2}\.(?P<v>\d{2,3})\s?-", 0);
    v.push(re(
        F::Episodes,
        r"(?i)[\[(](?P<v>\d+)\s(?:of|из|iz)\s\d+[\])]",
        T::RangeXOfY,
        0,
    ));
    v.push(checked(
        F::Episodes,
        r"(?i)(?P<v>\d{1,3})[. ]?(?:of|из|iz)[. ]?\d{1,3}",
        of_total,
        T::IntList,
        0,
    ));
    one(v, r"\b\d{2}[ ._-](?P<v>\d{2})(?:.F)?\.\w{2,4}$", 0);
    v.push(checked(
        F::Episodes,
        r"\[(?P<v>[.\-\s\W]\d{2,3}[.\-\s\W])\]",
        bracketed_number,
        T::IntList,
        0,
    ));
    v.push(checked(
        F::Episodes,
        r"(?i)(?P<v>\d+).?\[[A-Z0-9]{8}\]",
        before_crc,
        T::IntList,
        0,
    ));
    one(v, r"(?i)\b264\b|\b265\b", R);
    v.push(checked(
        F::Episodes,
        r"\s-\s(?P<m>\d+)\s[-(\s]",
        dash_number,
        T::IntList,
        R,
    ));
    one(v, r"(?i)(?:\W|^)(?:\d+)?(?:e|ep)(?P<v>\d{1,3})(?:\W|$)", R);
    range(v, r"(?i)\d+.-.\d+TV", R);
    one(v, r"(?i)E(?P<v>\d+)\b", 0);
    range(v, r"(?i)\b\d{1,4}-\d{1,4}\b", 0);
    v.push(func(F::Episodes, loose));
    v.push(func(F::Episodes, anime));
}
