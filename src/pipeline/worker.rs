use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Local, SecondsFormat, Utc};
use tokio_util::sync::CancellationToken;

use super::retry::{LONGEST_DELAY, MAX_ATTEMPTS, StepError, backoff};
use super::{DEBRID, METADATA, Pipeline, SEARCH, debrid, metadata, search};
use crate::db::{
    self,
    jobs::{self, Claimed, Outcome},
};
use crate::domain::RequestState;

/// The longest an idle worker sleeps before looking at the queue again.
const IDLE: Duration = Duration::from_secs(3600);

/// How a step ended well: the state the request is in now, what to tell the user, and the
/// step that comes next, if any.
pub struct Completed {
    pub state: RequestState,
    pub message: String,
    pub next: Option<&'static str>,
}

/// One worker: claims a due job, runs it, records how it went; sleeps until the next job is
/// due or new work is queued.
pub async fn run(pipeline: Pipeline, shutdown: CancellationToken) {
    let inner = &pipeline.inner;
    loop {
        // Registered before looking, so work queued meanwhile is not missed.
        let queued = inner.work_queued.notified();
        tokio::pin!(queued);
        queued.as_mut().enable();
        let claimed = tokio::select! {
            claimed = jobs::claim(&inner.db) => claimed,
            () = shutdown.cancelled() => return,
        };
        let idle = match claimed {
            Ok(Some(job)) => {
                pipeline.run_job(job, &shutdown).await;
                continue;
            }
            Ok(None) => until_next_due(&pipeline).await,
            Err(error) => {
                tracing::error!("Could not read the job queue: {error}");
                Duration::from_secs(1)
            }
        };
        tokio::select! {
            () = &mut queued => {}
            () = tokio::time::sleep(idle) => {}
            () = shutdown.cancelled() => return,
        }
    }
}

async fn until_next_due(pipeline: &Pipeline) -> Duration {
    let next = jobs::next_due(&pipeline.inner.db).await.ok().flatten();
    let Some(at) = next.and_then(|at| DateTime::parse_from_rfc3339(&at).ok()) else {
        return IDLE;
    };
    (at.with_timezone(&Utc) - Utc::now())
        .to_std()
        .unwrap_or(Duration::ZERO)
        .min(IDLE)
}

impl Pipeline {
    async fn run_job(&self, job: Claimed, shutdown: &CancellationToken) {
        let cancel = shutdown.child_token();
        self.running()
            .insert(job.request_id, (job.id, cancel.clone()));
        // A step that fails because of the settings in force (a rejected key) must not block
        // if the user changed them meanwhile: compare with what it started with.
        let settings = self.inner.settings.current();
        let result = tokio::select! {
            result = self.execute(&job) => Some(result),
            // Cancelled by the user (already recorded), or shutting down: the job stays
            // 'running' and the next start resumes it.
            () = cancel.cancelled() => None,
        };
        self.forget_running(&job);
        let Some(mut result) = result else { return };
        if let Err(StepError::Blocked { .. }) = &result
            && !Arc::ptr_eq(&settings, &self.inner.settings.current())
        {
            result = Err(StepError::Transient {
                reason: "The settings changed while it ran".into(),
                retry_after: Some(Duration::ZERO),
            });
        }
        // A job left 'running' would wait for the next start: insist a little.
        for attempt in 1..=3 {
            match self.settle(&job, &result).await {
                Ok(()) => return,
                Err(error) if attempt < 3 => {
                    tracing::warn!("Could not record the end of a job ({error}); trying again");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Err(error) => tracing::error!("Could not record the end of a job: {error}"),
            }
        }
    }

    /// Only our own entry: a restarted request may already run again as a new job.
    fn forget_running(&self, job: &Claimed) {
        let mut running = self.running();
        if running
            .get(&job.request_id)
            .is_some_and(|(id, _)| *id == job.id)
        {
            running.remove(&job.request_id);
        }
    }

    async fn execute(&self, job: &Claimed) -> Result<Completed, StepError> {
        match job.step.as_str() {
            METADATA => metadata::fetch(self, job).await,
            SEARCH => search::run(self, job).await,
            DEBRID => debrid::run(self, job).await,
            other => Err(StepError::Permanent {
                reason: format!("Unknown step {other:?} (a newer Linkarr queued it)"),
            }),
        }
    }

    async fn settle(
        &self,
        job: &Claimed,
        result: &Result<Completed, StepError>,
    ) -> sqlx::Result<()> {
        let mut retry_at = None;
        let mut blocked_on = None;
        let mut next = None;
        // A step queued to run at a later time, and the time shown for it.
        let mut later: Option<(&str, String)> = None;
        let mut shown_at: Option<String> = None;
        let (state, message, error) = match result {
            Ok(done) => {
                next = done.next;
                (done.state, done.message.clone(), None)
            }
            Err(StepError::Cancelled) => return Ok(()),
            Err(StepError::Transient {
                reason,
                retry_after,
            }) if job.attempts < MAX_ATTEMPTS => {
                // Whatever a server asks for, no longer than our own longest wait.
                let delay = retry_after.unwrap_or_else(|| backoff(job.attempts));
                let at = Utc::now() + delay.min(LONGEST_DELAY);
                retry_at = Some(at.to_rfc3339_opts(SecondsFormat::Millis, true));
                let local = at.with_timezone(&Local).format("%H:%M:%S");
                let message = format!("{reason}; trying again at {local}");
                (RequestState::Waiting, message, Some(reason.clone()))
            }
            Err(StepError::Transient { reason, .. }) => {
                let message = format!("{reason}; gave up after {} attempts", job.attempts);
                (RequestState::Failed, message, Some(reason.clone()))
            }
            Err(StepError::Blocked { setting, reason }) => {
                blocked_on = Some(setting.name());
                (RequestState::Waiting, reason.clone(), Some(reason.clone()))
            }
            Err(StepError::Permanent { reason }) => {
                (RequestState::Failed, reason.clone(), Some(reason.clone()))
            }
            Err(StepError::NotFound { reason, then }) => {
                let at = Utc::now() + search::next_search_in(job.attempts);
                let at_text = at.to_rfc3339_opts(SecondsFormat::Millis, true);
                // Another step takes over later (a new search); this job is done.
                match then {
                    Some(step) => later = Some((step, at_text.clone())),
                    None => retry_at = Some(at_text.clone()),
                }
                shown_at = Some(at_text);
                let local = at.with_timezone(&Local).format("%H:%M");
                let message = format!("{reason}; searching again at {local}");
                (RequestState::NotFound, message, Some(reason.clone()))
            }
            Err(StepError::Downloading {
                message,
                retry_after,
            }) => {
                let at = Utc::now() + *retry_after;
                retry_at = Some(at.to_rfc3339_opts(SecondsFormat::Millis, true));
                (RequestState::Downloading, message.clone(), None)
            }
            // The database is this machine's own: if it is busy or full, try again later.
            Err(StepError::Database(error)) => {
                let at = Utc::now() + backoff(job.attempts);
                retry_at = Some(at.to_rfc3339_opts(SecondsFormat::Millis, true));
                let message = format!("Could not save progress ({error}); trying again soon");
                (RequestState::Waiting, message, Some(error.to_string()))
            }
        };
        let error = error.as_deref().unwrap_or_default();
        let outcome = match (&retry_at, blocked_on, state) {
            (Some(at), _, _) => Outcome::RetryAt { at, error },
            (None, Some(on), _) => Outcome::Blocked { on, error },
            (None, None, RequestState::Failed) => Outcome::Failed { error },
            (None, None, _) => Outcome::Done,
        };
        let mut tx = db::begin_write(&self.inner.db).await?;
        if !jobs::settle(&mut *tx, job.id, outcome).await? {
            return Ok(()); // cancelled while it ran
        }
        if let Some(step) = next {
            jobs::enqueue(&mut *tx, job.request_id, step).await?;
        }
        if let Some((step, at)) = &later {
            jobs::enqueue_at(&mut *tx, job.request_id, step, at).await?;
        }
        let event = self
            .record(
                &mut tx,
                job.request_id,
                state,
                &message,
                retry_at.as_deref().or(shown_at.as_deref()),
            )
            .await?;
        tx.commit().await?;
        self.inner.events.publish(event);
        if next.is_some() {
            self.inner.work_queued.notify_waiters();
        }
        Ok(())
    }
}
