//! One budget for every call to Real-Debrid (reference §3: 250 a minute, refused calls count
//! too, hammering gets an account blocked). A token bucket: bursts of up to [`BURST`] calls,
//! refilled at [`PER_MINUTE`] a minute, so no 60-second window ever sees more than
//! `BURST + PER_MINUTE` = 220. Callers queue in order: each takes the next slot, even if it
//! lies in the future. After [`TRIP_AFTER`] failures in a row the breaker opens and every call
//! fails at once for [`COOL_DOWN`], instead of digging the hole deeper.

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

pub const PER_MINUTE: f64 = 200.0;
pub const BURST: f64 = 20.0;
const TRIP_AFTER: u32 = 5;
pub const COOL_DOWN: Duration = Duration::from_secs(60);

#[derive(Debug)]
pub struct Limiter {
    state: Mutex<State>,
    per_second: f64,
    burst: f64,
}

#[derive(Debug)]
struct State {
    /// May go below zero: calls already promised a future slot.
    tokens: f64,
    refilled_at: Instant,
    failures_in_a_row: u32,
    open_until: Option<Instant>,
}

impl Default for Limiter {
    fn default() -> Self {
        Self::new(PER_MINUTE, BURST)
    }
}

impl Limiter {
    pub fn new(per_minute: f64, burst: f64) -> Self {
        Self {
            state: Mutex::new(State {
                tokens: burst,
                refilled_at: Instant::now(),
                failures_in_a_row: 0,
                open_until: None,
            }),
            per_second: per_minute / 60.0,
            burst,
        }
    }

    /// Waits for this call's turn; `Err(until)` while the breaker is open.
    pub async fn wait_turn(&self) -> Result<(), Instant> {
        let wait = {
            let mut state = self.state.lock().await;
            let now = Instant::now();
            if let Some(until) = state.open_until {
                if now < until {
                    return Err(until);
                }
                state.open_until = None;
            }
            let elapsed = now.duration_since(state.refilled_at).as_secs_f64();
            state.tokens = (state.tokens + elapsed * self.per_second).min(self.burst);
            state.refilled_at = now;
            state.tokens -= 1.0;
            match state.tokens {
                tokens if tokens >= 0.0 => Duration::ZERO,
                tokens => Duration::from_secs_f64(-tokens / self.per_second),
            }
        };
        tokio::time::sleep(wait).await;
        Ok(())
    }

    /// A rate limit, a server error or no answer.
    pub async fn failed(&self) {
        let mut state = self.state.lock().await;
        state.failures_in_a_row += 1;
        if state.failures_in_a_row >= TRIP_AFTER {
            state.failures_in_a_row = 0;
            state.open_until = Some(Instant::now() + COOL_DOWN);
        }
    }

    pub async fn succeeded(&self) {
        self.state.lock().await.failures_in_a_row = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn no_minute_ever_sees_more_than_the_burst_plus_the_rate() {
        let limiter = Limiter::default();
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..600 {
            limiter.wait_turn().await.unwrap();
            times.push(start.elapsed());
        }
        let busiest = (0..times.len())
            .map(|i| {
                times[i..]
                    .iter()
                    .take_while(|t| **t - times[i] < Duration::from_secs(60))
                    .count()
            })
            .max()
            .unwrap();
        assert!(busiest <= 220, "{busiest} calls in one minute");
        assert!(busiest >= 200, "the budget is used, not wasted: {busiest}");
        assert_eq!(times[19], Duration::ZERO, "a burst of 20 goes at once");
    }

    #[tokio::test(start_paused = true)]
    async fn repeated_failures_open_the_breaker_for_a_minute() {
        let limiter = Limiter::default();
        for _ in 0..TRIP_AFTER {
            limiter.wait_turn().await.unwrap();
            limiter.failed().await;
        }
        assert!(limiter.wait_turn().await.is_err());
        tokio::time::advance(COOL_DOWN).await;
        assert!(limiter.wait_turn().await.is_ok());
    }
}
