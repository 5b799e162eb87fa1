//! Which state changes deserve a notification, and remembering what each request was last
//! notified of, so a request that settles into the same state again stays quiet.

use std::collections::HashMap;

/// What a notification is about; each kind has its own setting and its own bursts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The title streams (`notify_ready`).
    Ready,
    /// Failed, or stopped until the user changes a setting (`notify_failed`).
    Attention,
}

/// A state worth telling the user about. Two are the same news when state and reason match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notable {
    pub kind: Kind,
    state: String,
    /// Why it needs attention, in words; empty for ready (the release it streams from is
    /// detail, not news: a title ready again from another release is not worth a second one).
    reason: String,
}

/// Whether a request in `state` (its name, as stored) is notable. A waiting request with no
/// time for its next attempt waits on the user (a key, a source): waits that retry by
/// themselves (a slot, a rate limit, the network) always say when, and fix themselves.
pub fn notable(state: &str, reason: &str, next_attempt_at: Option<&str>) -> Option<Notable> {
    let attention = || Notable {
        kind: Kind::Attention,
        state: state.to_owned(),
        reason: reason.to_owned(),
    };
    match state {
        "ready" => Some(Notable {
            kind: Kind::Ready,
            state: state.to_owned(),
            reason: String::new(),
        }),
        "failed" => Some(attention()),
        "waiting" if next_attempt_at.is_none() => Some(attention()),
        _ => None,
    }
}

/// The last notable state of each request, notified or found at start.
#[derive(Debug, Default)]
pub struct Memory {
    last: HashMap<i64, Notable>,
}

impl Memory {
    /// Records a request's notable state without it being news (what is already so at start).
    pub fn remember(&mut self, request_id: i64, notable: Notable) {
        self.last.insert(request_id, notable);
    }

    /// Whether the request's new state is news: notable, and not what it was last notified
    /// of. The steps in between (fetching, searching) do not count, so a request blocked on
    /// the TMDb key that runs again and blocks again for the same reason is not news.
    pub fn news(
        &mut self,
        request_id: i64,
        state: &str,
        reason: &str,
        next_attempt_at: Option<&str>,
    ) -> Option<Kind> {
        if state == "cancelled" {
            // The user stopped it: whatever happens after a restart is a new story.
            self.last.remove(&request_id);
            return None;
        }
        let notable = notable(state, reason, next_attempt_at)?;
        if self.last.get(&request_id) == Some(&notable) {
            return None;
        }
        let kind = notable.kind;
        self.last.insert(request_id, notable);
        Some(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NO_KEY: &str = "Waiting for a TMDb key: add yours in Settings";

    #[test]
    fn ready_is_news() {
        let mut memory = Memory::default();
        let news = memory.news(1, "ready", "Ready to stream: The Matrix (1999)", None);
        assert_eq!(news, Some(Kind::Ready));
    }

    #[test]
    fn failing_and_waiting_on_a_setting_need_attention() {
        let mut memory = Memory::default();
        assert_eq!(
            memory.news(1, "failed", "TMDb has no movie", None),
            Some(Kind::Attention)
        );
        assert_eq!(
            memory.news(2, "waiting", NO_KEY, None),
            Some(Kind::Attention)
        );
    }

    #[test]
    fn waits_that_retry_by_themselves_are_not_news() {
        let mut memory = Memory::default();
        let retry = Some("2030-01-01T10:00:00.000Z");
        let slots = "Waiting for a free Real-Debrid torrent slot; trying again at 10:00:00";
        assert_eq!(memory.news(1, "waiting", slots, retry), None);
        let network = "could not reach TMDb: timeout; trying again at 10:00:00";
        assert_eq!(memory.news(1, "waiting", network, retry), None);
    }

    #[test]
    fn steps_on_the_way_are_not_news() {
        let mut memory = Memory::default();
        for state in ["received", "metadata", "searching", "adding", "downloading"] {
            assert_eq!(memory.news(1, state, "", None), None, "{state}");
        }
        let later = Some("2030-01-01T10:00:00.000Z");
        assert_eq!(memory.news(1, "not_found", "No release", later), None);
    }

    #[test]
    fn blocking_again_for_the_same_reason_is_not_news() {
        let mut memory = Memory::default();
        assert_eq!(
            memory.news(1, "waiting", NO_KEY, None),
            Some(Kind::Attention)
        );
        assert_eq!(memory.news(1, "metadata", "Fetching details", None), None);
        assert_eq!(memory.news(1, "waiting", NO_KEY, None), None);
    }

    #[test]
    fn a_new_reason_is_news() {
        let mut memory = Memory::default();
        assert_eq!(
            memory.news(1, "waiting", NO_KEY, None),
            Some(Kind::Attention)
        );
        let rejected = "TMDb key rejected: check it in Settings";
        assert_eq!(
            memory.news(1, "waiting", rejected, None),
            Some(Kind::Attention)
        );
    }

    #[test]
    fn a_new_state_is_news_even_for_the_same_reason() {
        let mut memory = Memory::default();
        let reason = "TMDb key rejected: check it in Settings";
        assert_eq!(
            memory.news(1, "waiting", reason, None),
            Some(Kind::Attention)
        );
        assert_eq!(
            memory.news(1, "failed", reason, None),
            Some(Kind::Attention)
        );
    }

    #[test]
    fn ready_after_needing_attention_is_news_and_ready_twice_is_not() {
        let mut memory = Memory::default();
        memory.news(1, "waiting", NO_KEY, None);
        assert_eq!(memory.news(1, "ready", "from A", None), Some(Kind::Ready));
        assert_eq!(memory.news(1, "ready", "from B", None), None);
    }

    #[test]
    fn what_was_so_at_start_is_not_news() {
        let mut memory = Memory::default();
        let seeded = notable("waiting", NO_KEY, None).expect("blocked is notable");
        memory.remember(1, seeded);
        assert_eq!(memory.news(1, "waiting", NO_KEY, None), None);
    }

    #[test]
    fn cancelling_starts_a_new_story() {
        let mut memory = Memory::default();
        memory.news(1, "failed", "TMDb has no movie", None);
        assert_eq!(memory.news(1, "cancelled", "Cancelled by you", None), None);
        assert_eq!(
            memory.news(1, "failed", "TMDb has no movie", None),
            Some(Kind::Attention)
        );
    }

    #[test]
    fn requests_are_remembered_apart() {
        let mut memory = Memory::default();
        assert_eq!(
            memory.news(1, "waiting", NO_KEY, None),
            Some(Kind::Attention)
        );
        assert_eq!(
            memory.news(2, "waiting", NO_KEY, None),
            Some(Kind::Attention)
        );
    }
}
