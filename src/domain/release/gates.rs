//! Gate sets: one `RegexSet` scan of the title tells which of up to [`GATE_SIZE`] handler
//! regexes can match at all. Most cannot, and skipping them is most of the parser's speed; the
//! verdicts are rescanned after every edit of the title, so they are always exact.

use regex::{RegexSet, RegexSetBuilder};

/// Regex handlers per gate set: fewer sets mean fewer scans, but a set too large has a lazy
/// DFA with too many states to stay cached (measured: 32–96 is the plateau).
const GATE_SIZE: usize = 64;

/// Lazy DFA cache per set.
const DFA_CACHE: usize = 8 << 20;

/// The pattern minus its `\b`s: it matches whatever the original matches (and more), and
/// without Unicode word boundaries the set's lazy DFA also runs on non-ASCII titles instead
/// of falling back to the much slower PikeVM.
fn without_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('b') if !in_class => {}
                Some(n) => {
                    out.push(c);
                    out.push(n);
                }
                None => out.push(c),
            },
            '[' => {
                in_class = true;
                out.push(c);
            }
            ']' => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Builds the gate sets over consecutive handler patterns (`None` for code handlers), and
/// says for each handler which (set, pattern) answers for it.
pub(super) fn build(patterns: &[Option<&str>]) -> (Vec<RegexSet>, Vec<Option<(usize, usize)>>) {
    let mut gates = Vec::new();
    let mut slots = Vec::with_capacity(patterns.len());
    let mut pending: Vec<String> = Vec::new();
    for p in patterns {
        let Some(p) = p else {
            slots.push(None);
            continue;
        };
        slots.push(Some((gates.len(), pending.len())));
        pending.push(without_word_boundaries(p));
        if pending.len() == GATE_SIZE {
            gates.push(compile(&pending));
            pending.clear();
        }
    }
    if !pending.is_empty() {
        gates.push(compile(&pending));
    }
    (gates, slots)
}

fn compile(patterns: &[String]) -> RegexSet {
    // Above the default 2 MiB the sets' lazy DFAs stop thrashing on a varied corpus.
    RegexSetBuilder::new(patterns)
        .dfa_size_limit(DFA_CACHE)
        .build()
        .expect("gate set compiles")
}

/// The gate sets' verdicts, one bit per pattern, on the title as it was at `epoch` (bumped on
/// every edit). Epoch 0 means "not scanned yet".
pub(super) struct GateCache {
    epoch: u32,
    verdicts: Vec<(u32, u64)>,
}

const _: () = assert!(GATE_SIZE <= 64, "a gate's verdicts are one u64");

impl GateCache {
    pub(super) fn new(sets: usize) -> Self {
        GateCache {
            epoch: 1,
            verdicts: vec![(0, 0); sets],
        }
    }

    pub(super) fn title_edited(&mut self) {
        self.epoch += 1;
    }

    /// The set's verdicts, when it was already scanned since the last edit.
    pub(super) fn fresh(&self, set: usize) -> Option<u64> {
        let (epoch, bits) = self.verdicts[set];
        (epoch == self.epoch).then_some(bits)
    }

    /// Whether the handler's regex can match the current title, scanning its set if needed.
    pub(super) fn may_match(
        &mut self,
        gates: &[RegexSet],
        gate: (usize, usize),
        title: &str,
    ) -> bool {
        if let Some(bits) = self.fresh(gate.0) {
            return bits & (1 << gate.1) != 0;
        }
        let bits = gates[gate.0]
            .matches(title)
            .iter()
            .fold(0u64, |acc, i| acc | 1 << i);
        self.verdicts[gate.0] = (self.epoch, bits);
        bits & (1 << gate.1) != 0
    }
}
