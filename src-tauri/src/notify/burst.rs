//! Coalescing: a catch-up that makes twenty titles ready is one notification, not twenty.
//!
//! The rules, per kind (ready and attention apart, so a failure is never folded into a list
//! of good news):
//! 1. News opens a window. Holding one title, it closes `WINDOW` later: a lone title shows
//!    almost at once.
//! 2. A second title makes it a burst, which stays open until the kind has been quiet for
//!    `SETTLE`, but never longer than `LONGEST`: the pipeline finishes a catch-up a title or
//!    two every few seconds, not all in the same instant.
//! 3. News within `SETTLE` of the kind's last news opens a burst straight away: it continues
//!    the one just shown.
//! 4. When a window closes, up to `MOST_SHOWN_ONE_BY_ONE` titles show one by one; more become
//!    one summary.

use std::time::{Duration, Instant};

use super::news::Kind;

pub const WINDOW: Duration = Duration::from_millis(2500);
/// Longer than the gaps between titles of one catch-up through the pipeline's workers.
pub const SETTLE: Duration = Duration::from_secs(10);
/// A catch-up of hundreds still says something every minute.
pub const LONGEST: Duration = Duration::from_secs(60);
pub const MOST_SHOWN_ONE_BY_ONE: usize = 3;

/// What to show once a window closes.
#[derive(Debug, PartialEq, Eq)]
pub enum Show<T> {
    One(Kind, T),
    Summary(Kind, Vec<T>),
}

impl<T> Show<T> {
    pub fn kind(&self) -> Kind {
        match self {
            Show::One(kind, _) | Show::Summary(kind, _) => *kind,
        }
    }
}

#[derive(Debug)]
struct Window<T> {
    opened: Instant,
    latest: Instant,
    burst: bool,
    items: Vec<T>,
}

impl<T> Window<T> {
    fn closes_at(&self) -> Instant {
        match self.burst {
            true => (self.latest + SETTLE).min(self.opened + LONGEST),
            false => self.opened + WINDOW,
        }
    }
}

#[derive(Debug)]
struct Lane<T> {
    window: Option<Window<T>>,
    latest_news: Option<Instant>,
}

impl<T> Default for Lane<T> {
    fn default() -> Self {
        Self {
            window: None,
            latest_news: None,
        }
    }
}

/// The open windows, one per kind at most.
#[derive(Debug)]
pub struct Bursts<T> {
    ready: Lane<T>,
    attention: Lane<T>,
}

impl<T> Default for Bursts<T> {
    fn default() -> Self {
        Self {
            ready: Lane::default(),
            attention: Lane::default(),
        }
    }
}

impl<T> Bursts<T> {
    /// News of `kind` arrived at `now`.
    pub fn push(&mut self, now: Instant, kind: Kind, item: T) {
        let lane = self.lane(kind);
        let continues = lane
            .latest_news
            .is_some_and(|latest| now.saturating_duration_since(latest) < SETTLE);
        lane.latest_news = Some(now);
        match &mut lane.window {
            Some(window) => {
                window.items.push(item);
                window.latest = now;
                window.burst = true;
            }
            None => {
                lane.window = Some(Window {
                    opened: now,
                    latest: now,
                    burst: continues,
                    items: vec![item],
                })
            }
        }
    }

    /// When the next window closes, if one is open.
    pub fn next_deadline(&self) -> Option<Instant> {
        [&self.ready, &self.attention]
            .into_iter()
            .filter_map(|lane| lane.window.as_ref())
            .map(Window::closes_at)
            .min()
    }

    /// What the windows closed by `now` show, ready first.
    pub fn due(&mut self, now: Instant) -> Vec<Show<T>> {
        let mut shown = Vec::new();
        for kind in [Kind::Ready, Kind::Attention] {
            let window = &mut self.lane(kind).window;
            if window.as_ref().is_some_and(|open| open.closes_at() <= now)
                && let Some(closed) = window.take()
            {
                shown.extend(show(kind, closed.items));
            }
        }
        shown
    }

    fn lane(&mut self, kind: Kind) -> &mut Lane<T> {
        match kind {
            Kind::Ready => &mut self.ready,
            Kind::Attention => &mut self.attention,
        }
    }
}

fn show<T>(kind: Kind, items: Vec<T>) -> Vec<Show<T>> {
    match items.len() {
        0 => Vec::new(),
        n if n <= MOST_SHOWN_ONE_BY_ONE => items
            .into_iter()
            .map(|item| Show::One(kind, item))
            .collect(),
        _ => vec![Show::Summary(kind, items)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(millis: u64) -> Duration {
        Duration::from_millis(millis)
    }

    fn secs(seconds: u64) -> Duration {
        Duration::from_secs(seconds)
    }

    #[test]
    fn a_lone_title_shows_alone_once_its_short_window_closes() {
        let start = Instant::now();
        let mut bursts = Bursts::default();
        bursts.push(start, Kind::Ready, "The Matrix");
        assert_eq!(bursts.next_deadline(), Some(start + WINDOW));
        assert_eq!(bursts.due(start + WINDOW - ms(1)), vec![]);
        assert_eq!(
            bursts.due(start + WINDOW),
            vec![Show::One(Kind::Ready, "The Matrix")]
        );
        assert_eq!(bursts.next_deadline(), None, "the window is closed");
        assert_eq!(bursts.due(start + secs(100)), vec![], "shown once");
    }

    #[test]
    fn a_second_title_makes_a_burst_that_waits_for_quiet() {
        let start = Instant::now();
        let mut bursts = Bursts::default();
        bursts.push(start, Kind::Ready, "A");
        bursts.push(start + secs(2), Kind::Ready, "B");
        assert_eq!(bursts.due(start + WINDOW), vec![], "still settling");
        assert_eq!(bursts.next_deadline(), Some(start + secs(2) + SETTLE));
        assert_eq!(
            bursts.due(start + secs(2) + SETTLE),
            vec![Show::One(Kind::Ready, "A"), Show::One(Kind::Ready, "B")]
        );
    }

    #[test]
    fn up_to_three_show_one_by_one_in_order() {
        let start = Instant::now();
        let mut bursts = Bursts::default();
        for title in ["A", "B", "C"] {
            bursts.push(start, Kind::Ready, title);
        }
        assert_eq!(
            bursts.due(start + SETTLE),
            vec![
                Show::One(Kind::Ready, "A"),
                Show::One(Kind::Ready, "B"),
                Show::One(Kind::Ready, "C"),
            ]
        );
    }

    #[test]
    fn four_are_already_a_summary() {
        let start = Instant::now();
        let mut bursts = Bursts::default();
        for n in 0..4 {
            bursts.push(start, Kind::Attention, n);
        }
        assert_eq!(
            bursts.due(start + SETTLE),
            vec![Show::Summary(Kind::Attention, vec![0, 1, 2, 3])]
        );
    }

    #[test]
    fn twenty_at_once_become_one_summary() {
        let start = Instant::now();
        let mut bursts = Bursts::default();
        for n in 0..20 {
            bursts.push(start + ms(n * 20), Kind::Ready, n);
        }
        assert_eq!(
            bursts.due(start + secs(30)),
            vec![Show::Summary(Kind::Ready, (0..20).collect())]
        );
    }

    #[test]
    fn a_catch_up_trickling_in_two_at_a_time_is_one_summary() {
        // As the pipeline's two workers finish it: a pair every 3 seconds.
        let start = Instant::now();
        let mut bursts = Bursts::default();
        let mut shown = Vec::new();
        for n in 0..20 {
            let at = start + secs(3 * (n / 2)) + ms(10 * (n % 2));
            shown.extend(bursts.due(at));
            bursts.push(at, Kind::Ready, n);
        }
        shown.extend(bursts.due(start + secs(3 * 9) + ms(10) + SETTLE));
        assert_eq!(shown, vec![Show::Summary(Kind::Ready, (0..20).collect())]);
    }

    #[test]
    fn a_burst_never_stays_open_longer_than_a_minute() {
        let start = Instant::now();
        let mut bursts = Bursts::default();
        for n in 0..10 {
            bursts.push(start + secs(n * 5), Kind::Ready, n);
        }
        bursts.push(start + LONGEST - ms(1), Kind::Ready, 99);
        assert_eq!(bursts.next_deadline(), Some(start + LONGEST));
        let mut items: Vec<u64> = (0..10).collect();
        items.push(99);
        assert_eq!(
            bursts.due(start + LONGEST),
            vec![Show::Summary(Kind::Ready, items)]
        );
    }

    #[test]
    fn news_soon_after_a_shown_title_continues_the_burst() {
        let start = Instant::now();
        let mut bursts = Bursts::default();
        bursts.push(start, Kind::Ready, "A");
        assert_eq!(bursts.due(start + WINDOW).len(), 1);
        bursts.push(start + secs(5), Kind::Ready, "B");
        assert_eq!(
            bursts.next_deadline(),
            Some(start + secs(5) + SETTLE),
            "not the short window: more is likely on its way"
        );
    }

    #[test]
    fn news_long_after_starts_afresh_with_a_short_window() {
        let start = Instant::now();
        let mut bursts = Bursts::default();
        bursts.push(start, Kind::Ready, "A");
        assert_eq!(bursts.due(start + WINDOW).len(), 1);
        let later = start + SETTLE + secs(1);
        bursts.push(later, Kind::Ready, "B");
        assert_eq!(bursts.next_deadline(), Some(later + WINDOW));
    }

    #[test]
    fn ready_and_attention_are_coalesced_apart() {
        let start = Instant::now();
        let mut bursts = Bursts::default();
        for n in 0..20 {
            bursts.push(start, Kind::Ready, n);
        }
        bursts.push(start + ms(100), Kind::Attention, 99);
        assert_eq!(
            bursts.due(start + ms(100) + WINDOW),
            vec![Show::One(Kind::Attention, 99)],
            "a lone failure is not held back by the ready burst"
        );
        assert_eq!(
            bursts.due(start + SETTLE),
            vec![Show::Summary(Kind::Ready, (0..20).collect())]
        );
    }
}
