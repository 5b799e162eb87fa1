use std::time::Duration;

use rand::Rng;

use crate::config::SettingKey;

/// Why a step did not finish, and so what happens next.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    /// Worth trying again later: the network, a rate limit, a server error.
    #[error("{reason}")]
    Transient {
        reason: String,
        retry_after: Option<Duration>,
    },
    /// Nothing to do until the user changes a setting (a rejected key, say).
    #[error("{reason}")]
    Blocked { setting: SettingKey, reason: String },
    /// Waiting will not help.
    #[error("{reason}")]
    Permanent { reason: String },
    /// Nothing to take yet: not a failure, tried again on a slow schedule, from step `then`
    /// (or this one).
    #[error("{reason}")]
    NotFound {
        reason: String,
        then: Option<&'static str>,
    },
    /// Real-Debrid is downloading: looked at again after `retry_after`.
    #[error("{message}")]
    Downloading {
        message: String,
        retry_after: Duration,
    },
    /// Waiting for capacity (a free torrent slot, a service's cool-down): tried again after
    /// `retry_after`, however long that takes, without counting as a failure.
    #[error("{reason}")]
    Wait {
        reason: String,
        retry_after: Duration,
    },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The job was cancelled while the step ran; nothing more to record.
    #[error("cancelled")]
    Cancelled,
}

impl StepError {
    pub fn permanent(reason: &str) -> Self {
        Self::Permanent {
            reason: reason.into(),
        }
    }
}

/// Transient failures in a row before a request is marked failed: about four hours of
/// trying, so a laptop offline for an afternoon does not come back to a list of failures.
pub const MAX_ATTEMPTS: i64 = 16;
const FIRST_DELAY: Duration = Duration::from_secs(10);
pub const LONGEST_DELAY: Duration = Duration::from_secs(30 * 60);

/// 10 s, 20 s, 40 s … up to 30 min, each ±20 % so that many requests failing together do not
/// all come back at the same moment.
pub fn backoff(attempts: i64) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 16)).unwrap_or(16);
    let delay = FIRST_DELAY
        .saturating_mul(1 << doublings)
        .min(LONGEST_DELAY);
    delay.mul_f64(rand::rng().random_range(0.8..1.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_jitter_and_is_capped() {
        for (attempts, nominal) in [(1, 10.0), (2, 20.0), (3, 40.0), (9, 1800.0), (40, 1800.0)] {
            let delay = backoff(attempts).as_secs_f64();
            assert!(
                (nominal * 0.8..nominal * 1.2).contains(&delay),
                "{attempts}: {delay}"
            );
        }
    }
}
