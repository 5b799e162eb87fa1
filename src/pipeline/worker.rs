use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::retry::StepError;
use super::settlement::{self, JobEnd};
use super::{DEBRID, METADATA, Pipeline, SEARCH, debrid, metadata, search};
use crate::config::Settings;
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
    let mut settings = inner.settings.watch();
    loop {
        // Paused: the job in hand was finished; take no other until resumed.
        if settings.borrow_and_update().paused {
            tokio::select! {
                changed = settings.changed() => if changed.is_err() { return },
                () = shutdown.cancelled() => return,
            }
            continue;
        }
        // Registered before looking, so work queued meanwhile is not missed.
        let queued = inner.work_queued.notified();
        tokio::pin!(queued);
        queued.as_mut().enable();
        let claimed = tokio::select! {
            claimed = jobs::claim(&inner.db) => claimed,
            () = shutdown.cancelled() => return,
        };
        let idle = match claimed {
            // Paused while the claim waited for the database: not this one either.
            Ok(Some(job)) if inner.settings.current().paused => {
                if let Err(error) = jobs::unclaim(&inner.db, job.id).await {
                    tracing::warn!("Could not put a job back for after the pause: {error}");
                }
                continue;
            }
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

/// Logs each pause and resume once, whoever asked (Settings, the tray, the API).
pub async fn announce_pauses(
    mut settings: watch::Receiver<Arc<Settings>>,
    shutdown: CancellationToken,
) {
    let mut paused = settings.borrow_and_update().paused;
    if paused {
        tracing::info!("Processing is paused: requests are still taken, and wait");
    }
    loop {
        tokio::select! {
            changed = settings.changed() => if changed.is_err() { return },
            () = shutdown.cancelled() => return,
        }
        let now = settings.borrow_and_update().paused;
        match (paused, now) {
            (false, true) => {
                tracing::info!("Processing paused: requests are still taken, and wait")
            }
            (true, false) => tracing::info!("Processing resumed"),
            _ => {}
        }
        paused = now;
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
                Ok(()) => break,
                Err(error) if attempt < 3 => {
                    tracing::warn!("Could not record the end of a job ({error}); trying again");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Err(error) => tracing::error!("Could not record the end of a job: {error}"),
            }
        }
        // Saved between the check above and the job's record: it would wait for the next
        // change. Unblock it now.
        if let Err(StepError::Blocked { setting, .. }) = &result
            && !Arc::ptr_eq(&settings, &self.inner.settings.current())
            && let Err(error) = self.setting_changed(setting.name()).await
        {
            tracing::warn!("Could not resume requests waiting for a setting: {error}");
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
        let empty_searches = match result {
            Err(StepError::NotFound { .. }) => {
                db::events::count(&self.inner.db, job.request_id, RequestState::NotFound).await?
            }
            _ => 0,
        };
        let Some(plan) = settlement::settle(job, result, empty_searches) else {
            return Ok(());
        };
        let error = plan.error.as_deref().unwrap_or_default();
        let outcome = match &plan.job {
            JobEnd::Done => Outcome::Done,
            JobEnd::RetryAt(at) => Outcome::RetryAt { at, error },
            JobEnd::Later(at) => Outcome::Later { at, error },
            JobEnd::Blocked(on) => Outcome::Blocked { on, error },
            JobEnd::Failed => Outcome::Failed { error },
        };
        let mut tx = db::begin_write(&self.inner.db).await?;
        if !jobs::settle(&mut *tx, job.id, outcome).await? {
            return Ok(()); // cancelled while it ran
        }
        match &plan.next {
            Some((step, None)) => jobs::enqueue(&mut *tx, job.request_id, step).await?,
            Some((step, Some(at))) => jobs::enqueue_at(&mut *tx, job.request_id, step, at).await?,
            None => {}
        }
        let event = self
            .record(
                &mut tx,
                job.request_id,
                plan.state,
                &plan.message,
                plan.next_attempt_at.as_deref(),
            )
            .await?;
        tx.commit().await?;
        self.inner.events.publish(event);
        if matches!(plan.next, Some((_, None))) {
            self.inner.work_queued.notify_waiters();
        }
        Ok(())
    }
}
