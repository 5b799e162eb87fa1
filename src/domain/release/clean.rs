//! PTT's `clean_title`: the text before the first field, minus bracket junk, decorations,
//! alternative non-Latin titles and stray separators.

use std::borrow::Cow;
use std::thread::LocalKey;

use regex::Regex;

/// The scripts PTT treats as "non-English" when stripping alternative titles.
const NON_LATIN: &str = r"\x{3040}-\x{30ff}\x{3400}-\x{4dbf}\x{4e00}-\x{9fff}\x{f900}-\x{faff}\x{ff66}-\x{ff9f}\x{0400}-\x{04ff}\x{0600}-\x{06ff}\x{0750}-\x{077f}\x{0c80}-\x{0cff}\x{0d00}-\x{0d7f}\x{0e00}-\x{0e7f}";

fn is_non_latin(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}'
        | '\u{ff66}'..='\u{ff9f}'
        | '\u{0400}'..='\u{04ff}'
        | '\u{0600}'..='\u{06ff}'
        | '\u{0750}'..='\u{077f}'
        | '\u{0c80}'..='\u{0cff}'
        | '\u{0d00}'..='\u{0d7f}'
        | '\u{0e00}'..='\u{0e7f}')
}

fn compile(p: &str) -> Regex {
    Regex::new(p).unwrap_or_else(|e| panic!("clean_title regex {p:?}: {e}"))
}

// Per thread rather than static, so they go when the parser thread ends (see `worker`).
thread_local! {
    static MOVIE: Regex = compile(r"(?i)[\[(]movie[)\]]");
    static EDGE_SYMBOLS: Regex =
        compile(&format!(r"^[^\w{NON_LATIN}#\[【★]+|[ \-:/\\\[|{{(#$&^]+$"));
    static RUSSIAN_CAST: Regex = compile(r"\([^)]*[\x{0400}-\x{04ff}][^)]*\)$");
    static PAREN_TO_END: Regex = compile(r"\(.*\)$");
    static STAR_PREFIX: Regex = compile(r"^[\[【★].*[\]】★][ .]?(.+)");
    static STAR_SUFFIX: Regex = compile(r"(.+)[ .]?[\[【★].*[\]】★]$");
    static ALT_TITLES: Regex = compile(&format!(
        r"[^/|(]*[{NON_LATIN}][^/|]*[/|]|[/|][^/|(]*[{NON_LATIN}][^/|]*"
    ));
    static REMAINING_EDGE: Regex = compile(&format!(r"^[^\w{NON_LATIN}#]+|\]$"));
    static EMPTY_BRACKETS: Regex = compile(r"\(\s*\)|\[\s*\]|\{\s*\}");
    static MP3: Regex = compile(r"\bmp3$");
    static NO_CONTENT_BRACKETS: Regex = compile(r"\(\W*\)|\[\W*\]|\{\W*\}");
    static SPECIAL_SPACING: Regex = compile(r"[\-+_{}\[\]]\W{2,}");
    static TRAILING: Regex = compile(r"[ \-:./\\]+$");
    static SPACES: Regex = compile(r"\s+");
}

fn strip(re: &'static LocalKey<Regex>, s: String) -> String {
    re.with(|re| match re.replace_all(&s, "") {
        Cow::Borrowed(_) => s,
        Cow::Owned(o) => o,
    })
}

/// PTT's first step: every run of underscores becomes one space.
pub(super) fn collapse_underscores(name: &str) -> String {
    if !name.contains('_') {
        return name.to_owned();
    }
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c != '_' {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.replace('_', " ")
}

pub(super) fn clean_title(raw: &str) -> String {
    // Most passes only apply when a character they need is there; checking it first skips
    // most of the regex scans on a typical title.
    let has = |t: &str, chars: &[char]| t.contains(chars);
    let mut t = raw.replace('_', " ");
    if has(&t, &['(', '[']) {
        t = strip(&MOVIE, t);
    }
    t = strip(&EDGE_SYMBOLS, t);
    if t.contains('(') {
        t = russian_cast(t);
    }
    if has(&t, &['[', ']', '【', '】', '★']) {
        if let Some(c) = STAR_PREFIX.with(|re| re.captures(&t)) {
            t = c.get(1).map_or("", |m| m.as_str()).to_owned();
        }
        if let Some(c) = STAR_SUFFIX.with(|re| re.captures(&t)) {
            t = c.get(1).map_or("", |m| m.as_str()).to_owned();
        }
    }
    if t.chars().any(is_non_latin) {
        t = strip(&ALT_TITLES, t);
        t = not_only_non_latin(&t);
    }
    t = strip(&REMAINING_EDGE, t);
    let brackets = ['(', ')', '[', ']', '{', '}'];
    if has(&t, &brackets) {
        t = strip(&EMPTY_BRACKETS, t);
    }
    if t.len() >= 3 && t.as_bytes()[t.len() - 3..].eq_ignore_ascii_case(b"mp3") {
        t = strip(&MP3, t);
    }
    if has(&t, &brackets) {
        t = strip(&NO_CONTENT_BRACKETS, t);
    }
    if has(&t, &['-', '+', '_', '{', '}', '[', ']']) {
        t = strip(&SPECIAL_SPACING, t);
    }
    for (open, close) in [('{', '}'), ('[', ']'), ('(', ')')] {
        if t.matches(open).count() != t.matches(close).count() {
            t.retain(|c| c != open && c != close);
        }
    }
    if !t.contains(' ') && t.contains('.') {
        t = t.replace('.', " ");
    }
    if t.ends_with([' ', '-', ':', '.', '/', '\\']) {
        t = strip(&TRAILING, t);
    }
    if t.contains("  ") || t.contains(|c: char| c.is_whitespace() && c != ' ') {
        t = SPACES.with(|re| re.replace_all(&t, " ")).into_owned();
    }
    t.trim().to_owned()
}

/// A trailing parenthesised cast list in Cyrillic, or any trailing parentheses after a `/`.
fn russian_cast(t: String) -> String {
    let first = RUSSIAN_CAST.with(|re| re.find(&t)).map(|m| m.start());
    let after_slash = t
        .find('/')
        .and_then(|i| PAREN_TO_END.with(|re| re.find_at(&t, i + 1)))
        .map(|m| m.start());
    match (first, after_slash) {
        (Some(a), Some(b)) => t[..a.min(b)].to_owned(),
        (Some(a), None) | (None, Some(a)) => t[..a].to_owned(),
        (None, None) => t,
    }
}

/// Drops a non-Latin run that sits next to a Latin title (`Title 标题` → `Title`), as PTT's
/// `NOT_ONLY_NON_ENGLISH_REGEX` does.
fn not_only_non_latin(t: &str) -> String {
    let chars: Vec<char> = t.chars().collect();
    let n = chars.len();
    let latin = |c: char| c.is_ascii_alphabetic();
    let mut out = String::with_capacity(t.len());
    let mut i = 0;
    while i < n {
        let end = if is_non_latin(chars[i]) {
            match_at(&chars, i, latin)
        } else {
            None
        };
        match end {
            Some(e) => i = e,
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

/// Where a match starting at non-Latin char `i` ends, if it matches either alternative.
fn match_at(chars: &[char], i: usize, latin: impl Fn(char) -> bool) -> Option<usize> {
    let line_end = chars[i..]
        .iter()
        .position(|&c| c == '\n')
        .map_or(chars.len(), |p| i + p);
    // Alternative 1: a Latin letter, then at least one other char, then this run.
    let run_start = chars[..i]
        .iter()
        .rposition(|&c| is_non_latin(c))
        .map_or(0, |p| p + 1);
    let behind = (run_start..i.saturating_sub(1)).any(|q| latin(chars[q]));
    let last_non_latin = (i + 1..line_end).rev().find(|&r| is_non_latin(chars[r]));
    if behind && let Some(r) = last_non_latin {
        return Some(r + 1);
    }
    // Alternative 2: up to the last non-Latin char followed by Latin text.
    (i + 1..line_end)
        .rev()
        .filter(|&r| is_non_latin(chars[r]))
        .find_map(|r| {
            let after = r + 1;
            let run_end = (after..chars.len())
                .find(|&k| is_non_latin(chars[k]))
                .unwrap_or(chars.len());
            let ok = after < run_end && (after + 1..run_end).any(|k| latin(chars[k]));
            ok.then_some(after)
        })
}
