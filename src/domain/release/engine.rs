//! PTT's parse loop: every handler, in order, against a title that shrinks as matches are
//! removed, with the end of the title pulled back to the earliest match. The quirks (first
//! match index kept per field, `skipIfFirst`, bracketed group prefixes) are reproduced on
//! purpose, because the expected results depend on them.
//!
//! The handler files (`early`, `quality`, `media`, `seasons`, `episodes`, `languages*`,
//! `tail`) only register handlers; everything they share comes through this module.

use std::sync::OnceLock;

use regex::{Captures, Regex, RegexSet};

use super::Release;
pub(super) use super::fields::{FIELD_COUNT, Field, present, value_into};
use super::gates::{self, GateCache};
pub(super) use super::text::{
    byte_offset, char_index, ends_with_ci, group, is_word, next_char, prev_char, starts_with_ci,
    whole,
};
use super::transform::{Transform, Value};

/// Cut the match out of the title.
pub(super) const REMOVE: u8 = 1;
/// The match does not end the title.
pub(super) const SKIP_FROM_TITLE: u8 = 2;
/// Ignore the match when it precedes every other match (it is then part of the title).
pub(super) const SKIP_IF_FIRST: u8 = 4;
/// Run even when the field already has a value (PTT's `skipIfAlreadyFound: False`).
pub(super) const AGAIN: u8 = 8;

/// Accepts or rejects a regex match by looking at the text around it (what PTT's lookarounds
/// did), and says which span is the raw match: `None` rejects it and the search goes on one
/// character further.
pub(super) type Check = fn(&str, &Captures<'_>) -> Option<(usize, usize)>;

/// A handler written as code; it reports the raw match it consumed, if any.
pub(super) type Func = fn(&mut Ctx) -> Option<Hit>;

pub(super) enum Finder {
    Re(LazyRegex),
    Checked(LazyRegex, Check),
    Func(Func),
}

/// A handler's regex, compiled on first use. The gate sets already cover every pattern and
/// most handlers never get past their gate, so compiling all ~330 up front would cost startup
/// time and memory for nothing.
pub(super) struct LazyRegex {
    pattern: Box<str>,
    /// The regex and its group `v` (PTT's group 1, the text the transform sees).
    compiled: OnceLock<(Regex, Option<usize>)>,
}

impl LazyRegex {
    fn new(pattern: &str) -> Self {
        LazyRegex {
            pattern: pattern.into(),
            compiled: OnceLock::new(),
        }
    }

    fn get(&self) -> (&Regex, Option<usize>) {
        let (re, v) = self.compiled.get_or_init(|| {
            let re = compile(&self.pattern);
            let v = re.capture_names().position(|n| n == Some("v"));
            (re, v)
        });
        (re, *v)
    }
}

pub(super) struct Handler {
    field: Field,
    finder: Finder,
    transform: Transform,
    opts: u8,
    /// This handler's (set, pattern) in [`Table::gates`].
    gate: Option<(usize, usize)>,
}

/// A match a handler made, as PTT's loop sees it.
pub(super) struct Hit {
    /// Byte offset in the current title.
    pub index: usize,
    pub len: usize,
    pub remove: bool,
    pub skip_from_title: bool,
}

/// The first match of a field: PTT keeps it for `skipIfFirst` and a few handlers.
pub(super) struct Matched {
    /// In characters, as PTT counts, in the title as it was then.
    pub index: usize,
    pub raw: String,
}

pub(super) struct Ctx {
    pub title: String,
    pub release: Release,
    pub matched: [Option<Matched>; FIELD_COUNT],
}

impl Ctx {
    pub(super) fn matched(&self, field: Field) -> Option<&Matched> {
        self.matched[field as usize].as_ref()
    }

    /// PTT's `name in result`.
    pub(super) fn has(&self, field: Field) -> bool {
        match field {
            Field::Title => self.matched(Field::Title).is_some(),
            _ => present(&self.release, field),
        }
    }
}

fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("release handler regex {pattern:?}: {e}"))
}

fn handler(field: Field, finder: Finder, transform: Transform, opts: u8) -> Handler {
    Handler {
        field,
        finder,
        transform,
        opts,
        gate: None,
    }
}

/// A plain regex handler.
pub(super) fn re(field: Field, pattern: &str, transform: Transform, opts: u8) -> Handler {
    handler(field, Finder::Re(LazyRegex::new(pattern)), transform, opts)
}

/// A regex handler whose matches `check` vets (see [`Check`]).
pub(super) fn checked(
    field: Field,
    pattern: &str,
    check: Check,
    transform: Transform,
    opts: u8,
) -> Handler {
    handler(
        field,
        Finder::Checked(LazyRegex::new(pattern), check),
        transform,
        opts,
    )
}

/// A handler written as code; like PTT's, it ignores the options and checks what it needs.
pub(super) fn func(field: Field, f: Func) -> Handler {
    handler(field, Finder::Func(f), Transform::Flag, 0)
}

/// The handlers in PTT's order, and the gate sets that tell, with one scan of the title per
/// set, which of their regexes can match at all (most cannot, and skipping them is most of
/// the speed). Owned rather than static, so the parser thread can drop it when idle
/// (see [`super::worker`]).
pub(super) struct Table {
    handlers: Vec<Handler>,
    gates: Vec<RegexSet>,
    /// Per set, the index of each of its handlers, then the index just past the last.
    members: Vec<Vec<usize>>,
    /// Per handler, the index of the next code handler at or after it.
    next_func: Vec<usize>,
    before_title: Regex,
}

impl Table {
    pub(super) fn new() -> Self {
        let mut handlers = Vec::with_capacity(450);
        super::early::add(&mut handlers);
        super::media::add(&mut handlers);
        super::seasons::add(&mut handlers);
        super::episodes::add(&mut handlers);
        super::languages::add(&mut handlers);
        super::languages_more::add(&mut handlers);
        super::tail::add(&mut handlers);

        let patterns: Vec<Option<&str>> = handlers
            .iter()
            .map(|h| match &h.finder {
                Finder::Re(re) | Finder::Checked(re, _) => Some(&*re.pattern),
                Finder::Func(_) => None,
            })
            .collect();
        let (gates, slots) = gates::build(&patterns);
        let mut members = vec![Vec::new(); gates.len()];
        for (i, (h, slot)) in handlers.iter_mut().zip(slots).enumerate() {
            h.gate = slot;
            if let Some((set, _)) = slot {
                members[set].push(i);
            }
        }
        for m in &mut members {
            let past = m.last().map_or(0, |&i| i + 1);
            m.push(past);
        }
        let mut next_func = vec![handlers.len(); handlers.len()];
        let mut next = handlers.len();
        for (i, h) in handlers.iter().enumerate().rev() {
            if let Finder::Func(_) = h.finder {
                next = i;
            }
            next_func[i] = next;
        }
        Table {
            handlers,
            gates,
            members,
            next_func,
            before_title: compile(r"^\[([^\[\]]+)\]"),
        }
    }
}

pub(super) fn run(table: &Table, name: &str) -> Release {
    let mut ctx = Ctx {
        title: super::clean::collapse_underscores(name),
        release: Release::default(),
        matched: std::array::from_fn(|_| None),
    };
    // In characters, like every index PTT compares; it can go negative, and then (Python
    // slicing) counts from the end.
    let mut end_of_title = ctx.title.chars().count() as isize;
    let mut cache = GateCache::new(table.gates.len());

    let mut i = 0;
    while let Some(h) = table.handlers.get(i) {
        if let Some((set, k)) = h.gate
            && let Some(bits) = cache.fresh(set)
        {
            // A handler whose regex cannot match is a no-op, so with a fresh verdict go
            // straight to this set's next handler that may match, or to the next code
            // handler, whichever comes first.
            let rest = bits >> k << k;
            let members = &table.members[set];
            let next = match rest {
                0 => members.len() - 1,
                _ => rest.trailing_zeros() as usize,
            };
            let target = members[next].min(table.next_func[i]);
            if target != i {
                i = target;
                continue;
            }
        }
        i += 1;
        let hit = match (&h.finder, h.gate) {
            (Finder::Func(f), _) => f(&mut ctx),
            (_, Some(gate)) => {
                if (h.opts & AGAIN == 0 && ctx.has(h.field))
                    || !cache.may_match(&table.gates, gate, &ctx.title)
                {
                    continue;
                }
                apply_regex(table, h, &mut ctx)
            }
            (_, None) => apply_regex(table, h, &mut ctx),
        };
        let Some(hit) = hit else { continue };
        let index = char_index(&ctx.title, hit.index) as isize;
        let end = (hit.index + hit.len).min(ctx.title.len());
        let raw_chars = char_index(&ctx.title[hit.index..], end - hit.index);
        if hit.remove {
            ctx.title.replace_range(hit.index..end, "");
            cache.title_edited();
        }
        if !hit.skip_from_title && 1 < index && index < end_of_title {
            end_of_title = index;
        }
        if hit.remove && hit.skip_from_title && index < end_of_title {
            end_of_title -= raw_chars as isize;
        }
    }

    let end = if end_of_title >= 0 {
        end_of_title as usize
    } else {
        ctx.title
            .chars()
            .count()
            .saturating_sub(end_of_title.unsigned_abs())
    };
    let end = byte_offset(&ctx.title, end);
    ctx.title.truncate(end);
    ctx.release.title = super::clean::clean_title(&ctx.title);
    // Not PTT's: see `Release::extended`.
    ctx.release.extended = ctx.release.edition.as_deref() == Some("Extended Edition");
    ctx.release
}

/// A match a regex handler accepts: (start, end, value span).
type Found = (usize, usize, Option<(usize, usize)>);

/// Finds the first match the handler accepts.
fn find(h: &Handler, title: &str) -> Option<Found> {
    let value_span = |caps: &Captures<'_>, v: Option<usize>| {
        v.and_then(|i| caps.get(i))
            .filter(|m| !m.is_empty())
            .map(|m| (m.start(), m.end()))
    };
    match &h.finder {
        Finder::Re(lazy) => {
            let (re, v) = lazy.get();
            let m = re.find(title)?;
            if v.is_none() {
                return Some((m.start(), m.end(), None));
            }
            // Captures only for a match: restarting at its start finds the same match.
            let caps = re.captures_at(title, m.start())?;
            Some((m.start(), m.end(), value_span(&caps, v)))
        }
        Finder::Checked(lazy, check) => {
            let (re, v) = lazy.get();
            let mut at = 0;
            while at <= title.len() {
                let m = re.find_at(title, at)?;
                let caps = re.captures_at(title, m.start())?;
                if let Some((s, e)) = check(title, &caps) {
                    return Some((s, e, value_span(&caps, v)));
                }
                at = m.start() + title[m.start()..].chars().next().map_or(1, char::len_utf8);
            }
            None
        }
        Finder::Func(_) => None,
    }
}

/// Compiles every handler regex (they are otherwise compiled on first use).
#[cfg(test)]
pub(super) fn compile_all(table: &Table) -> usize {
    table
        .handlers
        .iter()
        .filter_map(|h| match &h.finder {
            Finder::Re(re) | Finder::Checked(re, _) => Some(re.get()),
            Finder::Func(_) => None,
        })
        .count()
}

fn apply_regex(table: &Table, h: &Handler, ctx: &mut Ctx) -> Option<Hit> {
    if h.opts & AGAIN == 0 && ctx.has(h.field) {
        return None;
    }
    let (start, end, value_span) = find(h, &ctx.title)?;
    let raw = &ctx.title[start..end];
    let clean = value_span.map_or(raw, |(s, e)| &ctx.title[s..e]);
    let value = h.transform.apply(clean)?;

    let is_before_title = ctx.title.starts_with('[')
        && table
            .before_title
            .captures(&ctx.title)
            .and_then(|c| c.get(1))
            .is_some_and(|g| g.as_str().contains(raw));

    let field = h.field;
    let char_start = char_index(&ctx.title, start);
    let mut others = ctx
        .matched
        .iter()
        .enumerate()
        .filter(|(i, m)| *i != field as usize && m.is_some())
        .peekable();
    let is_skip_if_first = h.opts & SKIP_IF_FIRST != 0
        && others.peek().is_some()
        && others.all(|(_, m)| m.as_ref().is_some_and(|m| char_start < m.index));

    let raw_len = raw.len();
    if is_skip_if_first {
        // PTT's uniq_concat appends to an existing list before the skip is decided.
        if let Value::Uniq(v) = value
            && ctx.has(field)
        {
            value_into(&mut ctx.release, field, Value::Uniq(v));
        }
        return None;
    }
    if ctx.matched[field as usize].is_none() {
        ctx.matched[field as usize] = Some(Matched {
            index: char_start,
            raw: raw.to_owned(),
        });
    }
    value_into(&mut ctx.release, field, value);
    Some(Hit {
        index: start,
        len: raw_len,
        remove: h.opts & REMOVE != 0,
        skip_from_title: is_before_title || h.opts & SKIP_FROM_TITLE != 0,
    })
}
