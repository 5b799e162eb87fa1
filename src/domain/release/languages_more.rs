//! Languages, second half (Russian through Persian, then scripts), and PTT's guess of
//! Portuguese from `capitulo`/`dublado`.

use regex::{Captures, Regex};

use super::engine::{
    AGAIN as A, Ctx, Field as F, Handler, Hit, REMOVE as R, SKIP_FROM_TITLE as SFT,
    SKIP_IF_FIRST as SIF, ends_with_ci, func, group, is_word, starts_with_ci, whole,
};
use super::languages::{code_only, lang, lang_checked, not_in_domain};

// Per thread rather than static, so they go when the parser thread ends (see `worker`).
thread_local! {
    static AVIV_AHEAD: Regex = Regex::new(r"(?i)^\W*aviv").expect("tel aviv");
    static SUBS_LIST_BEFORE: Regex = Regex::new(r"(?i)subs?\([a-z,]+$").expect("subs list");
    static SUB_EXT_AT_END: Regex =
        Regex::new(r"(?i)\.(?:srt|vtt|ssa|ass|sub|idx)$").expect("subtitle extension");
    static PT_EPISODE_WORD: Regex = Regex::new(r"(?i)capitulo|ao").expect("capitulo");
    static DUBLADO: Regex = Regex::new(r"(?i)dublado").expect("dublado");
}

/// `tel` is Telugu, but not in a domain nor in `Tel Aviv`.
fn telugu(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    if let Some(p) = c.name("p")
        && AVIV_AHEAD.with(|re| re.is_match(&title[p.end()..]))
    {
        return None;
    }
    not_in_domain(title, c)
}

/// `BEN` is Bengali, but not in `Ben and …`, `Ben of …`, `Ben The …`.
fn bengali(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    if let Some(p) = c.name("p") {
        let rest = &title[p.end()..];
        let mut chars = rest.chars();
        let the = chars.next().is_some_and(|c| c != '\n' && !is_word(c))
            && starts_with_ci(chars.as_str(), "the");
        let of = starts_with_ci(rest, "of") && !rest[2..].chars().next().is_some_and(is_word);
        if the || starts_with_ci(rest, "and") || of {
            return None;
        }
    }
    not_in_domain(title, c)
}

fn not_yts(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = whole(c)?;
    (!title[..s].ends_with("YTS.")).then_some((s, e))
}

fn finnish(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    if let Some(p) = c.name("p")
        && ends_with_ci(&title[..p.start()], "sci-")
    {
        return None;
    }
    not_in_domain(title, c)
}

fn danish_subtitle(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    let (s, e) = whole(c)?;
    SUB_EXT_AT_END
        .with(|re| re.find_at(title, e))
        .map(|_| (s, e))
}

/// Group `n`, when it matched, is the raw match (the extension after it was a lookahead).
fn before_extension(_: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    group(c, "n").or_else(|| whole(c))
}

fn malay(title: &str, c: &Captures<'_>) -> Option<(usize, usize)> {
    if let Some(q) = c.name("q") {
        return SUBS_LIST_BEFORE
            .with(|re| re.is_match(&title[..q.start()]))
            .then_some((q.start(), q.end()));
    }
    before_extension(title, c)
}

fn infer_portuguese(ctx: &mut Ctx) -> Option<Hit> {
    let langs = &ctx.release.languages;
    if langs.iter().any(|l| l == "pt" || l == "es") {
        return None;
    }
    let from_episode = ctx
        .matched(F::Episodes)
        .is_some_and(|m| PT_EPISODE_WORD.with(|re| re.is_match(&m.raw)));
    if from_episode || DUBLADO.with(|re| re.is_match(&ctx.title)) {
        ctx.release.languages.push("pt".to_owned());
    }
    None
}

pub(super) fn add(v: &mut Vec<Handler>) {
    lang(v, r"(?i)\bRUS?\b", "ru", A);
    lang(v, r"(?i)\b(russian|russo)\b", "ru", SIF | A);
    lang(v, r"(?i)\bUKR\b", "uk", A);
    lang(v, r"(?i)\bukrainian\b", "uk", SIF | A);
    lang(v, r"(?i)\bhin(?:di)?\b", "hi", A);
    lang_checked(v, r"(?i)\b(?:(?P<p>tel)|telugu)\b", telugu, "te", R | A);
    lang(v, r"(?i)\bt[aâ]m(?:il)?\b", "ta", R | A);
    let ml = r"(?i)\b(?:(?P<p>MAL)(?:ay)?|malayalam)\b";
    lang_checked(v, ml, not_in_domain, "ml", R | SIF | A);
    let kn = r"(?i)\b(?:(?P<p>KAN)(?:nada)?|kannada)\b";
    lang_checked(v, kn, not_in_domain, "kn", R | A);
    let mr = r"(?i)\b(?:(?P<p>MAR)(?:a(?:thi)?)?|marathi)\b";
    lang_checked(v, mr, not_in_domain, "mr", A);
    let gu = r"(?i)\b(?:(?P<p>GUJ)(?:arati)?|gujarati)\b";
    lang_checked(v, gu, not_in_domain, "gu", A);
    let pa = r"(?i)\b(?:(?P<p>PUN)(?:jabi)?|punjabi)\b";
    lang_checked(v, pa, not_in_domain, "pa", A);
    let bn = r"(?i)\b(?:(?P<p>BEN)(?:gali)?|bengali)\b";
    lang_checked(v, bn, bengali, "bn", SIF | A);
    lang_checked(v, r"\bLT\b", not_yts, "lt", SFT | A);
    lang(v, r"(?i)\blithuanian\b", "lt", SIF | A);
    lang(v, r"(?i)\blatvian\b", "lv", SIF | A);
    lang(v, r"(?i)\bestonian\b", "et", SIF | A);
    lang_checked(v, r"(?i)\b(?:(?P<p>PL)|pol)\b", not_in_domain, "pl", A);
    lang(v, r"(?i)\b(polish|polon[eê]s|polaco)\b", "pl", SIF | A);
    lang(
        v,
        r"(?i)\b(PLDUB|PLSUB|DUBPL|DubbingPL|LekPL|LektorPL)\b",
        "pl",
        R | A,
    );
    lang(v, r"(?i)\bCZ[EH]?\b", "cs", SIF | A);
    lang(v, r"(?i)\bczech\b", "cs", SIF | A);
    lang(
        v,
        r"(?i)\bslo(?:vak|vakian|subs|[\])_]?\.\w{2,4}$)\b",
        "sk",
        SFT | A,
    );
    lang(v, r"\bHU\b", "hu", SFT | A);
    lang(v, r"(?i)\bHUN(?:garian)?\b", "hu", SFT | A);
    lang(v, r"(?i)\bROM(?:anian)?\b", "ro", SFT | A);
    let ro = r"(?i)\b(?P<m>RO)[ .,/-]*(?:[A-Z]{2}[ .,/-]+)*sub";
    lang_checked(v, ro, code_only, "ro", A);
    lang(v, r"(?i)\bbul(?:garian)?\b", "bg", SFT | A);
    lang(v, r"(?i)\b(?:srp|serbian)\b", "sr", A);
    lang(v, r"(?i)\b(?:HRV|croatian)\b", "hr", A);
    let hr = r"(?i)\b(?P<m>HR)[ .,/-]+(?:[A-Z]{2}[ .,/-]+)*sub";
    lang_checked(v, hr, code_only, "hr", A);
    lang(v, r"(?i)\bslovenian\b", "sl", SFT | A);
    let nl = r"(?i)\b(?:(?P<p>NL)|dut|holand[eê]s)\b";
    lang_checked(v, nl, not_in_domain, "nl", A);
    lang(v, r"(?i)\bdutch\b", "nl", SFT | A);
    lang(v, r"(?i)\bflemish\b", "nl", A);
    lang(v, r"(?i)\b(?:DK|danska|dansub|nordic)\b", "da", A);
    lang(v, r"(?i)\b(danish|dinamarqu[eê]s)\b", "da", SFT | A);
    lang_checked(v, r"(?i)\bdan\b", danish_subtitle, "da", SFT | A);
    let fi = r"(?i)\b(?:(?P<p>FI)|finsk|finsub|nordic)\b";
    lang_checked(v, fi, finnish, "fi", A);
    lang(v, r"(?i)\bfinnish\b", "fi", A);
    let sv = r"(?i)\b(?:(?P<p>SE)|swe|swesubs?|sv(?:ensk)?|nordic)\b";
    lang_checked(v, sv, not_in_domain, "sv", A);
    lang(v, r"(?i)\b(swedish|sueco)\b", "sv", SFT | A);
    lang(v, r"(?i)\b(?:NOR|norsk|norsub|nordic)\b", "no", A);
    let no = r"(?i)\b(?:norwegian|noruegu[eê]s|bokm[aå]l|nob|(?P<n>nor)[\])]?\.\w{2,4}$)\b";
    lang_checked(v, no, before_extension, "no", SFT | A);
    lang(v, r"(?i)\b(?:arabic|[aá]rabe|ara)\b", "ar", SIF | A);
    lang(
        v,
        r"(?i)\barab.*(?:audio|lang(?:uage)?|sub(?:s|titles?)?)\b",
        "ar",
        SFT | A,
    );
    let ar_sub = r"(?i)\b(?P<m>ar)\.(?:ass|ssa|srt|sub|idx)$";
    lang_checked(v, ar_sub, code_only, "ar", SFT | A);
    lang(v, r"(?i)\b(?:turkish|tur(?:co)?)\b", "tr", SFT | A);
    lang(
        v,
        r"(?i)\b(TİVİBU|tivibu|bitturk(.net)?|turktorrent)\b",
        "tr",
        SFT | A,
    );
    let vi = r"(?i)\bvietnamese\b|\b(?P<n>vie)[\]_)]?\.\w{2,4}$";
    lang_checked(v, vi, before_extension, "vi", SFT | A);
    lang(v, r"(?i)\bind(?:onesian)?\b", "id", SFT | A);
    lang(v, r"(?i)\b(thai|tailand[eê]s)\b", "th", SIF | A);
    lang(v, r"\b(THA|tha)\b", "th", SFT | A);
    let ms = r"(?i)\b(?:malay\b|(?P<n>may)[\])]?\.\w{2,4}$|(?P<q>may)\b)";
    lang_checked(v, ms, malay, "ms", SIF | A);
    lang(v, r"(?i)\bheb(?:rew|raico)?\b", "he", SFT | A);
    lang(v, r"(?i)\b(persian|persa)\b", "fa", SFT | A);

    let scripts = [
        (r"[\x{3040}-\x{30ff}]+", "ja"),
        (r"[\x{3400}-\x{4dbf}]+", "zh"),
        (r"[\x{4e00}-\x{9fff}]+", "zh"),
        (r"[\x{f900}-\x{faff}]+", "zh"),
        (r"[\x{ff66}-\x{ff9f}]+", "ja"),
        (r"[\x{0400}-\x{04ff}]+", "ru"),
        (r"[\x{0600}-\x{06ff}]+", "ar"),
        (r"[\x{0750}-\x{077f}]+", "ar"),
        (r"[\x{0c80}-\x{0cff}]+", "kn"),
        (r"[\x{0d00}-\x{0d7f}]+", "ml"),
        (r"[\x{0e00}-\x{0e7f}]+", "th"),
        (r"[\x{0900}-\x{097f}]+", "hi"),
        (r"[\x{0980}-\x{09ff}]+", "bn"),
        (r"[\x{0a00}-\x{0a7f}]+", "gu"),
    ];
    for (p, code) in scripts {
        lang(v, p, code, SFT | A);
    }
    v.push(func(F::Languages, infer_portuguese));
}
