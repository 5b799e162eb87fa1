//! What a step's result means for its job and its request: the request's new state and
//! message, how the job ends (done, again at a time, blocked on a setting, failed), and the
//! step that comes next.

use chrono::{DateTime, Local, SecondsFormat, Utc};

use super::retry::{LONGEST_DELAY, MAX_ATTEMPTS, StepError, backoff};
use super::{Completed, search};
use crate::db::jobs::Claimed;
use crate::domain::RequestState;

pub struct Settlement {
    pub state: RequestState,
    pub message: String,
    /// For the job's record.
    pub error: Option<String>,
    pub job: JobEnd,
    /// A step to queue, now or at a time.
    pub next: Option<(&'static str, Option<String>)>,
    /// When the request is looked at again, as the user is told.
    pub next_attempt_at: Option<String>,
}

pub enum JobEnd {
    Done,
    /// Again at this time, as one more attempt.
    RetryAt(String),
    /// Again at this time, not counted as a failure (progress, or waiting for capacity).
    Later(String),
    Blocked(&'static str),
    Failed,
}

/// The settlement of `job`'s `result`; `empty_searches` is how many searches of the request
/// found nothing before this one. None when the job was cancelled while it ran.
pub fn settle(
    job: &Claimed,
    result: &Result<Completed, StepError>,
    empty_searches: i64,
) -> Option<Settlement> {
    let plain = |state, message: String, job_end| Settlement {
        state,
        error: None,
        job: job_end,
        next: None,
        next_attempt_at: None,
        message,
    };
    let settlement = match result {
        Ok(done) => Settlement {
            next: done.next.map(|step| (step, None)),
            ..plain(done.state, done.message.clone(), JobEnd::Done)
        },
        Err(StepError::Cancelled) => return None,
        Err(StepError::Transient {
            reason,
            retry_after,
        }) if job.attempts < MAX_ATTEMPTS => {
            // Whatever a server asks for, no longer than our own longest wait.
            let delay = retry_after.unwrap_or_else(|| backoff(job.attempts));
            let at = Utc::now() + delay.min(LONGEST_DELAY);
            failure(
                RequestState::Waiting,
                reason,
                &at,
                JobEnd::RetryAt(text(&at)),
            )
        }
        Err(StepError::Transient { reason, .. }) => {
            let message = format!("{reason}; gave up after {} attempts", job.attempts);
            Settlement {
                error: Some(reason.clone()),
                ..plain(RequestState::Failed, message, JobEnd::Failed)
            }
        }
        Err(StepError::Blocked { setting, reason }) => Settlement {
            error: Some(reason.clone()),
            ..plain(
                RequestState::Waiting,
                reason.clone(),
                JobEnd::Blocked(setting.name()),
            )
        },
        Err(StepError::Permanent { reason }) => Settlement {
            error: Some(reason.clone()),
            ..plain(RequestState::Failed, reason.clone(), JobEnd::Failed)
        },
        Err(StepError::Wait {
            reason,
            retry_after,
        }) => {
            let at = Utc::now() + *retry_after;
            failure(RequestState::Waiting, reason, &at, JobEnd::Later(text(&at)))
        }
        Err(StepError::Downloading {
            message,
            retry_after,
        }) => {
            let at = Utc::now() + *retry_after;
            Settlement {
                next_attempt_at: Some(text(&at)),
                ..plain(
                    RequestState::Downloading,
                    message.clone(),
                    JobEnd::Later(text(&at)),
                )
            }
        }
        Err(StepError::NotFound { reason, then }) => {
            let at = Utc::now() + search::next_search_in(empty_searches + 1);
            let local = at.with_timezone(&Local).format("%H:%M");
            let message = format!("{reason}; searching again at {local}");
            // Another step takes over later (a new search); this job is done.
            let (job_end, next) = match then {
                Some(step) => (JobEnd::Done, Some((*step, Some(text(&at))))),
                None => (JobEnd::Later(text(&at)), None),
            };
            Settlement {
                error: Some(reason.clone()),
                next,
                next_attempt_at: Some(text(&at)),
                ..plain(RequestState::NotFound, message, job_end)
            }
        }
        // The database is this machine's own: if it is busy or full, try again later.
        Err(StepError::Database(error)) => {
            let at = Utc::now() + backoff(job.attempts);
            let reason = format!("Could not save progress ({error})");
            failure(
                RequestState::Waiting,
                &reason,
                &at,
                JobEnd::RetryAt(text(&at)),
            )
        }
    };
    Some(settlement)
}

/// Held back until `at`, and saying so: "TMDb is rate limiting; trying again at 14:05:10".
fn failure(state: RequestState, reason: &str, at: &DateTime<Utc>, job: JobEnd) -> Settlement {
    let local = at.with_timezone(&Local).format("%H:%M:%S");
    Settlement {
        state,
        message: format!("{reason}; trying again at {local}"),
        error: Some(reason.to_owned()),
        job,
        next: None,
        next_attempt_at: Some(text(at)),
    }
}

fn text(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn job(attempts: i64) -> Claimed {
        Claimed {
            id: 1,
            request_id: 1,
            step: "search".into(),
            attempts,
        }
    }

    fn hours_until(settlement: &Settlement) -> f64 {
        let at: DateTime<Utc> = settlement
            .next_attempt_at
            .as_deref()
            .unwrap()
            .parse()
            .unwrap();
        (at - Utc::now()).num_seconds() as f64 / 3600.0
    }

    #[test]
    fn empty_searches_come_back_after_an_hour_six_hours_then_daily() {
        let nothing = Err(StepError::NotFound {
            reason: "Nothing fits yet".into(),
            then: None,
        });
        for (before, hours) in [(0, 1.0), (1, 6.0), (2, 24.0), (9, 24.0)] {
            // However many attempts the job itself has made.
            let settled = settle(&job(1), &nothing, before).unwrap();
            let waited = hours_until(&settled);
            assert!(
                (hours * 0.94..hours * 1.06).contains(&waited),
                "{before}: {waited} h"
            );
            assert!(matches!(settled.job, JobEnd::Later(_)));
            assert!(
                settled
                    .message
                    .starts_with("Nothing fits yet; searching again at ")
            );
        }
    }

    #[test]
    fn waiting_for_capacity_never_uses_up_attempts_but_failures_do() {
        let slots = Err(StepError::Wait {
            reason: "Waiting for a free Real-Debrid torrent slot".into(),
            retry_after: Duration::from_secs(120),
        });
        let settled = settle(&job(MAX_ATTEMPTS + 5), &slots, 0).unwrap();
        assert!(matches!(settled.job, JobEnd::Later(_)));
        assert_eq!(settled.state, RequestState::Waiting);

        let outage = Err(StepError::Transient {
            reason: "Real-Debrid is unavailable (HTTP 503)".into(),
            retry_after: None,
        });
        let settled = settle(&job(MAX_ATTEMPTS), &outage, 0).unwrap();
        assert!(matches!(settled.job, JobEnd::Failed));
        assert_eq!(
            settled.message,
            format!("Real-Debrid is unavailable (HTTP 503); gave up after {MAX_ATTEMPTS} attempts")
        );
    }
}
