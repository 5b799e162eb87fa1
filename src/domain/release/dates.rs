//! Air dates (`2019.10.25`, `9th Dec 2019`, `20200116`) to `YYYY-MM-DD`. PTT hands the matched
//! text to `arrow` with a fixed format; this reads the same formats, as strictly (two-digit
//! fields, real calendar dates), so a text arrow rejects is rejected here too.

#[derive(Clone, Copy)]
pub(super) enum DateFormat {
    /// `YYYY MM DD`
    Ymd,
    /// `DD MM YYYY`
    Dmy,
    /// `MM DD YY`
    ShortMdy,
    /// `YY MM DD`
    ShortYmd,
    /// `DD MM YY`
    ShortDmy,
    /// `DD MMM YYYY`
    DayMonYear,
    /// `Do MMM YYYY`
    OrdMonYear,
    /// `Do MMMM YYYY`
    OrdMonthYear,
    /// `DD MMM YY`
    DayMonShortYear,
    /// `YYYYMMDD`
    Compact,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

pub(super) fn parse(text: &str, formats: &[DateFormat]) -> Option<String> {
    let tokens: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
        .collect();
    formats.iter().find_map(|&f| read(&tokens, f))
}

fn read(t: &[&str], format: DateFormat) -> Option<String> {
    use DateFormat::*;
    let (y, m, d) = match (format, t) {
        (Compact, [s]) if s.len() == 8 => (num(&s[..4], 4)?, num(&s[4..6], 2)?, num(&s[6..], 2)?),
        (Ymd, [y, m, d]) => (num(y, 4)?, num(m, 2)?, num(d, 2)?),
        (Dmy, [d, m, y]) => (num(d, 2)?, num(m, 2)?, num(y, 4)?),
        (ShortMdy, [m, d, y]) => (short_year(y)?, num(m, 2)?, num(d, 2)?),
        (ShortYmd, [y, m, d]) => (short_year(y)?, num(m, 2)?, num(d, 2)?),
        (ShortDmy, [d, m, y]) => (short_year(y)?, num(m, 2)?, num(d, 2)?),
        (DayMonYear, [d, m, y]) => (num(y, 4)?, abbreviated(m)?, num(d, 2)?),
        (DayMonShortYear, [d, m, y]) => (short_year(y)?, abbreviated(m)?, num(d, 2)?),
        (OrdMonYear, [d, m, y]) => (num(y, 4)?, abbreviated(m)?, ordinal(d)?),
        (OrdMonthYear, [d, m, y]) => (num(y, 4)?, full_month(m)?, ordinal(d)?),
        _ => return None,
    };
    let (y, m, d) = match format {
        Dmy => (d, m, y),
        _ => (y, m, d),
    };
    valid(y, m, d).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

fn num(s: &str, digits: usize) -> Option<u32> {
    (s.len() == digits && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// arrow's pivot: 69–99 are 19xx, 00–68 are 20xx.
fn short_year(s: &str) -> Option<u32> {
    let v = num(s, 2)?;
    Some(if v > 68 { 1900 + v } else { 2000 + v })
}

/// `Jan`…`Dec`; PTT shortens `June`, `July` and `Sept` before arrow sees them.
fn abbreviated(s: &str) -> Option<u32> {
    let l = s.to_ascii_lowercase();
    let l = match l.as_str() {
        "june" | "july" | "sept" | "janu" | "febr" | "marc" | "apri" | "augu" | "octo" | "nove"
        | "dece" => &l[..3],
        other => other,
    };
    if l.len() != 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(l))
        .map(|i| i as u32 + 1)
}

fn full_month(s: &str) -> Option<u32> {
    let l = s.to_ascii_lowercase();
    MONTHS.iter().position(|m| *m == l).map(|i| i as u32 + 1)
}

/// `1st`, `22nd`, `30th`.
fn ordinal(s: &str) -> Option<u32> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let suffix = s[digits..].to_ascii_lowercase();
    if !(1..=2).contains(&digits) || !matches!(suffix.as_str(), "st" | "nd" | "rd" | "th") {
        return None;
    }
    s[..digits].parse().ok()
}

fn valid(y: u32, m: u32, d: u32) -> bool {
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}
