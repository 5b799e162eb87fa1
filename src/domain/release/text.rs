//! Small text helpers the handlers' lookaround checks share. PTT's indices are Python string
//! (character) indices; the helpers here convert where that matters.

use regex::Captures;

/// Byte offset `i` of `s` in characters (PTT's indices are Python string indices).
pub(super) fn char_index(s: &str, i: usize) -> usize {
    let prefix = s.get(..i).unwrap_or(s);
    if prefix.is_ascii() {
        prefix.len()
    } else {
        prefix.chars().count()
    }
}

/// Character index `n` of `s` as a byte offset (the end when past it).
pub(super) fn byte_offset(s: &str, n: usize) -> usize {
    if s.is_ascii() {
        return n.min(s.len());
    }
    s.char_indices().nth(n).map_or(s.len(), |(b, _)| b)
}

/// Python's `\w` for one character.
pub(super) fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

pub(super) fn prev_char(title: &str, i: usize) -> Option<char> {
    title.get(..i)?.chars().next_back()
}

pub(super) fn next_char(title: &str, i: usize) -> Option<char> {
    title.get(i..)?.chars().next()
}

/// The whole match as the raw match.
pub(super) fn whole(c: &Captures<'_>) -> Option<(usize, usize)> {
    c.get(0).map(|m| (m.start(), m.end()))
}

/// The named group as the raw match (for a lookbehind or lookahead PTT did not consume).
pub(super) fn group(c: &Captures<'_>, name: &str) -> Option<(usize, usize)> {
    c.name(name).map(|m| (m.start(), m.end()))
}

/// Whether `s` ends with `suffix`, ignoring ASCII case.
pub(super) fn ends_with_ci(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len()
        && s.is_char_boundary(s.len() - suffix.len())
        && s[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

/// Whether `s` starts with `prefix`, ignoring ASCII case.
pub(super) fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}
