//! PTT's adult check: any of its studio/site keywords anywhere in the lowercased name. It is a
//! plain substring test, as in PTT (so `jav` also fires inside a longer word); the list is
//! PTT's `combined-keywords.txt` (MIT).

use regex::Regex;

use super::engine::{Ctx, Hit};

// Per thread rather than static, so they go when the parser thread ends (see `worker`).
thread_local! {
    static KEYWORDS: Regex = {
        let alternatives: Vec<String> = include_str!("adult_keywords.txt")
            .lines()
            .map(|l| l.trim().to_lowercase())
            .filter(|l| !l.is_empty())
            .map(|l| regex::escape(&l))
            .collect();
        Regex::new(&alternatives.join("|")).expect("adult keyword alternation compiles")
    };
}

pub(super) fn check(ctx: &mut Ctx) -> Option<Hit> {
    if !ctx.release.adult && KEYWORDS.with(|re| re.is_match(&ctx.title.to_lowercase())) {
        ctx.release.adult = true;
    }
    None
}
