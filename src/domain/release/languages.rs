//! Languages, first half (English through German), as ISO 639-1 codes in PTT's order. Short
//! codes (`ES`, `DE`, `IT`) only count inside a list of two-letter codes or before a subtitle
//! extension, where they cannot be a word of the title.

use regex::{Captures, Regex};

use super::engine::{
    AGAIN as A, Field as F, Handler, REMOVE as R, SKIP_FROM_TITLE as SFT, SKIP_IF_FIRST as SIF,
    checked, ends_with_ci, re, whole,
};
use super::transform::Transform as T;

// Per thread rather than static, so they go when the parser thread ends (see `worker`).
thread_local! {
    static AFTER_WWW: Regex = Regex::new(r"(?i)w{3}\.\w+\.$").expect("www prefix");
}

pub(super) fn lang(v: &mut Vec<Handler>, pattern: &str, code: &'static str, opts: u8) {
    v.push(re(F::Languages, pattern, T::Uniq(code), opts));
}

pub(super) fn lang_checked(
    v: &mut Vec<Handler>,
    pattern: &str,
    check: super::engine::Check,
    code: &'static str,
    opts: u8,
) {
    v.push(checked(F::Languages, pattern, check, T::Uniq(code), opts));
}

/// The raw match is group `m`: PTT matched the rest in a lookaround.
pub(super) fn code_only(_: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    super::engine::group(c, "m")
}

/// Group `p`, when it matched, must not follow `www.site.` (a domain's country code).
pub(super) fn not_in_domain(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    match c.name("p") {
        Some(p) if AFTER_WWW.with(|re| re.is_match(&title[..p.start()])) => None,
        _ => whole(c),
    }
}

fn not_shanghai(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = whole(c)?;
    let before = &title[..s];
    (!ends_with_ci(before, "shang") && !ends_with_ci(before, "shang-")).then_some((s, e))
}

fn italian_list(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = super::engine::group(c, "m")?;
    (!AFTER_WWW.with(|re| re.is_match(&title[..s]))).then_some((s, e))
}

/// The four ways PTT accepts a bare two-letter code (`es`, `de`): before a list of codes,
/// after one, between two, or before a subtitle extension.
pub(super) fn short_code(v: &mut Vec<Handler>, code: &'static str) {
    let list = r"[ .,/-]+(?:[A-Z]{2}[ .,/-]+){2,}";
    lang_checked(
        v,
        &format!(r"(?i)\b(?P<m>{code}){list}"),
        code_only,
        code,
        SFT | A,
    );
    lang_checked(
        v,
        &format!(r"(?i){list}?(?P<m>{code})\b"),
        code_only,
        code,
        SFT | A,
    );
    lang_checked(
        v,
        &format!(r"(?i)[ .,/-][A-Z]{{2}}[ .,/-]+(?P<m>{code})[ .,/-]+[A-Z]{{2}}[ .,/-]"),
        code_only,
        code,
        SFT | A,
    );
    lang_checked(
        v,
        &format!(r"(?i)\b(?P<m>{code})\.(?:ass|ssa|srt|sub|idx)$"),
        code_only,
        code,
        SFT | A,
    );
}

pub(super) fn add(v: &mut Vec<Handler>) {
    v.push(re(
        F::Country,
        r"\b(?P<v>US|UK|AU|NZ|CA)\b",
        T::Value("$1"),
        0,
    ));

    lang(v, r"(?i)\bengl?(?:sub[A-Z]*)?\b", "en", R | A);
    lang(v, r"(?i)\beng?sub[A-Z]*\b", "en", A);
    lang(v, r"(?i)\bing(?:l[eéê]s)?\b", "en", A);
    lang(v, r"(?i)\besub\b", "en", R | A);
    lang(v, r"(?i)\benglish\W+(?:subs?|sdh|hi)\b", "en", A);
    lang(v, r"(?i)\beng?\b", "en", SFT | A);
    lang(v, r"(?i)\benglish?\b", "en", SIF | A);
    lang(v, r"(?i)\b(?:JP|JAP|JPN)\b", "ja", A);
    lang(v, r"(?i)\b(japanese|japon[eê]s)\b", "ja", SIF | A);
    lang(v, r"(?i)\b(?:KOR|kor[ .-]?sub)\b", "ko", A);
    lang(v, r"(?i)\b(korean|coreano)\b", "ko", SIF | A);
    lang(
        v,
        r"(?i)\b(?:traditional\W*chinese|chinese\W*traditional)(?:\Wchi)?\b",
        "zh",
        A | R,
    );
    lang(v, r"(?i)\bzh-hant\b", "zh", A);
    lang(v, r"(?i)\b(?:mand[ae]rin|ch[sn])\b", "zh", A);
    lang_checked(v, r"(?i)\bCH(?:I|T)\b", not_shanghai, "zh", SFT | A);
    lang(v, r"(?i)\b(chinese|chin[eê]s)\b", "zh", SIF | A);
    lang(v, r"(?i)\bzh-hans\b", "zh", A);
    lang(v, r"(?i)\bFR(?:a|e|anc[eê]s|VF[FQIB2]?)\b", "fr", SFT | A);
    lang(v, r"\b\[?(VF[FQRIB2]?\]?\b|(VOST)?FR2?)\b", "fr", R | A);
    lang(
        v,
        r"\b(TRUE|SUB).?FRENCH\b|\bFRENCH\b|\bFre?\b",
        "fr",
        R | A,
    );
    lang(v, r"(?i)\b(VOST(?:FR?|A)?)\b", "fr", A);
    lang(
        v,
        r"(?i)\b(VF[FQIB2]?|(TRUE|SUB).?FRENCH|(VOST)?FR2?)\b",
        "fr",
        R,
    );
    lang(
        v,
        r"(?i)\bspanish\W?latin|american\W*(?:spa|esp?)",
        "la",
        SFT | A | R,
    );
    lang(v, r"(?i)\b(?:\bla\b.+(?:cia\b))", "es", SFT | A);
    lang(v, r"(?i)\b(?:audio.)?lat(?:in?|ino)?\b", "la", A);
    lang(
        v,
        r"(?i)\b(?:audio.)?(?:ESP?|spa|(en[ .]+)?espa[nñ]ola?|castellano)\b",
        "es",
        A,
    );
    short_code(v, "es");
    lang(v, r"(?i)\bspanish\W+subs?\b", "es", A);
    lang(v, r"(?i)\b(spanish|espanhol)\b", "es", SIF | A);
    lang(v, r"(?i)\b[.\s\[]?Sp[.\s\]]?\b", "es", R | A);
    lang(v, r"(?i)\b(?:p[rt]|en|port)[. (\\/-]*BR\b", "pt", A | R);
    lang(v, r"(?i)\bbr(?:a|azil|azilian)\W+(?:pt|por)\b", "pt", A | R);
    lang(
        v,
        r"(?i)\b(?:leg(?:endado|endas?)?|dub(?:lado)?|portugu[eèê]se?)[. -]*BR\b",
        "pt",
        A,
    );
    lang(v, r"(?i)\bleg(?:endado|endas?)\b", "pt", A);
    lang(v, r"(?i)\bportugu[eèê]s[ea]?\b", "pt", A);
    lang(v, r"(?i)\bPT[. -]*(?:PT|ENG?|sub(?:s|titles?))\b", "pt", A);
    let pt_sub = r"(?i)\b(?P<m>pt)\.(?:ass|ssa|srt|sub|idx)$";
    lang_checked(v, pt_sub, code_only, "pt", SFT | A);
    lang(v, r"(?i)\bPT\b", "pt", R | A);
    lang(v, r"(?i)\bpor\b", "pt", SFT | A);
    lang(v, r"(?i)\b-?ITA\b", "it", R | A);
    let it_list = r"\b(?P<m>IT)[ .,/-]+(?:[a-zA-Z]{2}[ .,/-]+){2,}";
    lang_checked(v, it_list, italian_list, "it", SFT | A);
    let it_sub = r"(?i)\b(?P<m>it)\.(?:ass|ssa|srt|sub|idx)$";
    lang_checked(v, it_sub, code_only, "it", SFT | A);
    lang(v, r"(?i)\bitaliano?\b", "it", SIF | A);
    lang(
        v,
        r"(?i)\bgreek[ .-]*(?:audio|lang(?:uage)?|subs?(?:titles?)?)?\b",
        "el",
        SIF | A,
    );
    lang(v, r"(?i)\b(?:GER|DEU)\b", "de", SFT | A);
    short_code(v, "de");
    lang(v, r"(?i)\b(german|alem[aã]o)\b", "de", SIF | A);
}
