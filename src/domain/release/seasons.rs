//! Complete-series markers and seasons (`S01-S09`, `Season 1 to 3`, `2ª Temporada`, `1x05`).
//! Spanish and French season words also count as a language hint, as in PTT.

use regex::{Captures, Regex};

use super::engine::{
    AGAIN as A, Field as F, Handler, REMOVE as R, SKIP_FROM_TITLE as SFT, checked, ends_with_ci,
    next_char, re, whole,
};
use super::transform::Transform as T;

// Per thread rather than static, so they go when the parser thread ends (see `worker`).
thread_local! {
    static EXT_AT_END: Regex = Regex::new(r"\.\w{2,4}$").expect("extension at end");
    static EPISODE_WORD: Regex = Regex::new(r"\bEp?(?:isode)? ?\d+\b").expect("episode word");
}

/// `Complete`, but not in `A Complete…` / `The Complete…` (a title).
fn complete(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = whole(c)?;
    let before = &title[..s];
    let mut shorter = before.chars();
    shorter.next_back();
    let after_article = |t: &str| ends_with_ci(t, "a") || ends_with_ci(t, "the");
    (!after_article(before) && !after_article(shorter.as_str())).then_some((s, e))
}

fn season_no_file(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = whole(c)?;
    (!EXT_AT_END.with(|re| re.is_match(&title[e..]))).then_some((s, e))
}

fn not_digit_after(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let v = c.name("v")?;
    (!next_char(title, v.end()).is_some_and(|c| c.is_ascii_digit())).then(|| whole(c))?
}

fn not_dash_digit_after(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = whole(c)?;
    let rest = &title.as_bytes()[e..];
    let dash_digit = rest.first() == Some(&b'-') && rest.get(1).is_some_and(u8::is_ascii_digit);
    (!dash_digit).then_some((s, e))
}

fn before_extension(_: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    Some((c.get(0)?.start(), c.name("x")?.start()))
}

fn no_episode_before(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = whole(c)?;
    let episode = EPISODE_WORD.with(|re| re.find_iter(title).any(|m| m.end() <= s));
    (!episode).then_some((s, e))
}

fn digits_span(_: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    super::engine::group(c, "m")
}

fn complete_markers(v: &mut Vec<Handler>) {
    v.push(re(
        F::Languages,
        r"(?i)\b(temporadas?|completa)\b",
        T::Uniq("es"),
        A,
    ));
    v.push(re(
        F::Languages,
        r"(?i)\b(?:INT[EÉ]GRALE?)\b",
        T::Uniq("fr"),
        A,
    ));
    v.push(re(F::Languages, r"(?i)\b(?:Saison)\b", T::Uniq("fr"), A));

    let c = |v: &mut Vec<Handler>, p: &str, opts: u8| v.push(re(F::Complete, p, T::Flag, opts));
    c(v, r"(?i)\b(?:INTEGRALE?|INTÉGRALE?)\b", R | A);
    c(v, r"(Movie|Complete).Collection", R | A);
    c(v, r"Complete(.\d{1,2})", R | A);
    c(
        v,
        r"(?i)(?:\bthe\W)?(?:\bcomplete|collection|dvd)?\b[ .]?\bbox[ .-]?set\b",
        R,
    );
    c(
        v,
        r"(?i)(?:\bthe\W)?(?:\bcomplete|collection|dvd)?\b[ .]?\bmini[ .-]?series\b",
        0,
    );
    c(
        v,
        r"(?i)(?:\bthe\W)?(?:\bcomplete\b|\bfull\b|\ball\b)\b.*\b(?:series|seasons|collection|episodes|set|pack|movies)\b",
        0,
    );
    c(
        v,
        r"(?i)(Top\W+)?\d+\W+(movies?|series|seasons?)\W+Collection",
        R,
    );
    c(v, r"(?i)(?:\bthe\W)?\bultimate\b[ .]\bcollection\b", A);
    c(v, r"(?i)\bcollection\b.*\b(?:set|pack|movies)\b", 0);
    c(v, r"(?i)\bcollection(?:(\s\[|\s\())", R);
    c(
        v,
        r"(?i)duology|trilogy|quadr[oi]logy|tetralogy|pentalogy|hexalogy|heptalogy|anthology",
        A,
    );
    c(v, r"(?i)\bcompleta\b", R);
    c(v, r"(?i)\bsaga\b", SFT);
    c(v, r"(?i)\b\[Complete\]\b", R);
    v.push(checked(
        F::Complete,
        r"(?i)\bComplete\b",
        complete,
        T::Flag,
        R,
    ));
    c(v, r"COMPLETE", R);
    c(v, r"\bkolekcja\b(?:\Wfilm(?:y|ów|ow)?)?", R);
}

pub(super) fn add(v: &mut Vec<Handler>) {
    complete_markers(v);

    let range = |v: &mut Vec<Handler>, p: &str| v.push(re(F::Seasons, p, T::Range, R));
    let one = |v: &mut Vec<Handler>, p: &str, opts: u8| {
        v.push(re(F::Seasons, p, T::IntList, opts));
    };
    range(
        v,
        r"(?i)(?:complete\W|seasons?\W|\W|^)(?P<v>(?:s\d{1,2}[., +/\\&-]+)+s\d{1,2}\b)",
    );
    range(
        v,
        r"(?i)(?:complete\W|seasons?\W|\W|^)[(\[]?(?P<v>s\d{2,}-\d{2,}\b)[)\]]?",
    );
    range(
        v,
        r"(?i)(?:complete\W|seasons?\W|\W|^)[(\[]?(?P<v>s[1-9]-[2-9])[)\]]?",
    );
    range(v, r"(?i)\d+ª(?:.+)?(?:a.?)?\d+ª(?:(?:.+)?(?:temporadas?))");
    range(
        v,
        r"(?i)(?:(?:\bthe\W)?\bcomplete\W)?(?:seasons?|[Сс]езони?|temporadas?)[. ]?[-:]?[. ]?[(\[]?(?P<v>(?:\d{1,2}[., /\\&]+)+\d{1,2}\b)[)\]]?",
    );
    range(
        v,
        r"(?i)(?:(?:\bthe\W)?\bcomplete\W)?(?:seasons?|[Сс]езони?|temporadas?)[. ]?[-:]?[. ]?[(\[]?(?P<v>(?:\d{1,2}[.-]+)+[1-9]\d?\b)[)\]]?",
    );
    v.push(checked(
        F::Seasons,
        r"(?i)(?:(?:\bthe\W)?\bcomplete\W)?season[. ]?[(\[]?(?P<v>(?:\d{1,2}[. -]+)+[1-9]\d?\b)[)\]]?",
        season_no_file,
        T::Range,
        R,
    ));
    range(
        v,
        r"(?i)(?:(?:\bthe\W)?\bcomplete\W)?\bseasons?\b[. -]?(?P<v>\d{1,2}[. -]?(?:to|thru|and|\+|:)[. -]?\d{1,2})\b",
    );
    one(
        v,
        r"(?i)(?:(?:\bthe\W)?\bcomplete\W)?(?:saison|seizoen|season|series|temp(?:orada)?):?[. ]?(?P<v>\d{1,2})\b",
        0,
    );
    one(
        v,
        r"(?i)(?P<v>\d{1,2})(?:-?й)?[. _]?(?:[Сс]езон|sez(?:on)?)(?:\W?\D|$)",
        R,
    );
    v.push(checked(
        F::Seasons,
        r"(?i)[Сс]езон:?[. _]?№?(?P<v>\d{1,2})",
        not_digit_after,
        T::IntList,
        R,
    ));
    one(v, r"(?i)(?:\D|^)(?P<v>\d{1,2})Â?[°ºªa]?[. ]*temporada", R);
    one(v, r"(?i)t(?P<v>\d{1,3})(?:[ex]+|$)", R);
    one(v, r"(?i)\bs(?P<v>\d{1,3})(?:[\Wex]|\d{2}\b|$)", A);
    one(
        v,
        r"(?i)(?:(?:\bthe\W)?\bcomplete\W)?(?:\W|^)(?P<v>\d{1,2})[. ]?(?:st|nd|rd|th)[. ]*season",
        0,
    );
    v.push(checked(
        F::Seasons,
        r"S(?P<m>\d{2})E\d",
        digits_span,
        T::IntList,
        R,
    ));
    one(v, r"(?:\D|^)(?P<v>\d{1,2})[xх]\d{1,3}(?:\D|$)", 0);
    one(v, r"\bSn(?P<v>[1-9])(?:\D|$)", 0);
    one(v, r"[\[(](?P<v>\d{1,2})\.\d{1,3}[)\]]", 0);
    one(v, r"-\s?(?P<v>\d{1,2})\.\d{2,3}\s?-", 0);
    v.push(checked(
        F::Seasons,
        r"(?:^|/)(?P<v>\d{1,2})-\d{2}\b",
        not_dash_digit_after,
        T::IntList,
        0,
    ));
    v.push(checked(
        F::Seasons,
        r"[^\w-](?P<v>\d{1,2})-\d{2}(?P<x>\.\w{2,4})$",
        before_extension,
        T::IntList,
        0,
    ));
    v.push(checked(
        F::Seasons,
        r"\b(?P<v>\d{2})[ ._]\d{2}(?:.F)?\.\w{2,4}$",
        no_episode_before,
        T::IntList,
        0,
    ));
    one(v, r"(?i)\bEp(?:isode)?\W+(?P<v>\d{1,2})\.\d{1,3}\b", 0);
    range(v, r"(?i)\bSeasons?\b.*\b(?P<v>\d{1,2}-\d{1,2})\b");
    one(v, r"(?i)(?:\W|^)(?P<v>\d{1,2})(?:e|ep)\d{1,3}(?:\W|$)", 0);
    one(v, r"(?i)\bs(?P<v>\d{1,4})", R);
    one(v, r"(?i)\bТВ-(?P<v>\d{1,2})\b", 0);
}
