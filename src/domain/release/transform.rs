//! PTT's transformers: what a handler makes of the text it matched.

use super::dates::{self, DateFormat};

#[derive(Clone, Copy)]
pub(super) enum Transform {
    /// PTT's `boolean`.
    Flag,
    /// A fixed value; `$1` stands for the matched text.
    Value(&'static str),
    /// Add to a list once (`uniq_concat(value(…))`).
    Uniq(&'static str),
    /// The matched text itself (PTT's `none`).
    Same,
    Lower,
    Upper,
    /// The digits of the match as one number.
    Integer,
    /// The first run of digits.
    FirstInteger,
    /// A one-element list of the digits.
    IntList,
    /// `1-5` → 1..=5; consecutive lists kept; anything else rejected.
    Range,
    /// `16 of 26` → 1..=16.
    RangeXOfY,
    Date(&'static [DateFormat]),
    Resolution,
}

pub(super) enum Value {
    Flag,
    Uniq(&'static str),
    Int(u32),
    Ints(Vec<u32>),
    Str(String),
}

impl Transform {
    /// `None` is PTT's transformer returning `None`: the handler then did not match.
    pub(super) fn apply(self, text: &str) -> Option<Value> {
        Some(match self {
            Transform::Flag => Value::Flag,
            Transform::Value(v) => {
                if v.contains("$1") {
                    Value::Str(v.replace("$1", text).trim().to_owned())
                } else {
                    Value::Str(v.to_owned())
                }
            }
            Transform::Uniq(v) => Value::Uniq(v),
            Transform::Same => Value::Str(text.trim().to_owned()),
            Transform::Lower => Value::Str(text.trim().to_lowercase()),
            Transform::Upper => Value::Str(text.trim().to_uppercase()),
            Transform::Integer => Value::Int(integer(text)?),
            Transform::FirstInteger => Value::Int(*numbers(text).first()?),
            Transform::IntList => Value::Ints(vec![integer(text)?]),
            Transform::Range => Value::Ints(range(text)?),
            Transform::RangeXOfY => {
                let n = numbers(text);
                if n.len() != 1 {
                    return None;
                }
                Value::Ints((1..=n[0]).collect())
            }
            Transform::Date(formats) => Value::Str(dates::parse(text, formats)?),
            Transform::Resolution => Value::Str(resolution(text)),
        })
    }
}

/// All digits of `text` read as one number.
pub(super) fn integer(text: &str) -> Option<u32> {
    let mut n: u32 = 0;
    let mut any = false;
    for d in text.bytes().filter(u8::is_ascii_digit) {
        n = n.checked_mul(10)?.checked_add(u32::from(d - b'0'))?;
        any = true;
    }
    any.then_some(n)
}

/// Every run of digits in `text`.
pub(super) fn numbers(text: &str) -> Vec<u32> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect()
}

fn range(text: &str) -> Option<Vec<u32>> {
    let n = numbers(text);
    match n.len() {
        1 => Some(n),
        2 if n[0] < n[1] => Some((n[0]..=n[1]).collect()),
        len if len > 2 && n.windows(2).all(|w| w[0] + 1 == w[1]) => Some(n),
        _ => None,
    }
}

fn resolution(text: &str) -> String {
    let t = text.trim().to_lowercase();
    let v = if t.contains("2160") || t.contains("4k") {
        "2160p"
    } else if t.contains("1440") || t.contains("2k") {
        "1440p"
    } else if t.contains("1080") {
        "1080p"
    } else if t.contains("720") {
        "720p"
    } else if t.contains("480") {
        "480p"
    } else if t.contains("360") {
        "360p"
    } else if t.contains("240") {
        "240p"
    } else {
        return t;
    };
    v.to_owned()
}
