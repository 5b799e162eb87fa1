use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use sqlx::SqlitePool;
use tokio::sync::watch;

use super::{InvalidSetting, SettingKey, SettingValues, Settings};
use crate::db;

/// The settings in force, changeable while Linkarr runs. Saved values live in the database;
/// the environment and command line override them for this run only.
pub struct SettingsStore {
    saved: Mutex<SettingValues>,
    overrides: SettingValues,
    /// The settings in force; watchers hear of each save.
    current: watch::Sender<Arc<Settings>>,
    /// One save at a time, so two at once cannot undo each other in memory.
    saving: tokio::sync::Mutex<()>,
}

// By hand: the values hold keys in clear.
impl fmt::Debug for SettingsStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SettingsStore")
            .field("current", &self.current())
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error(transparent)]
    Invalid(#[from] InvalidSetting),
    #[error("could not save the settings: {0}")]
    Database(#[from] sqlx::Error),
}

impl SettingsStore {
    pub fn new(saved: SettingValues, overrides: SettingValues) -> Result<Self, InvalidSetting> {
        let current = Settings::resolve(&[&saved, &overrides])?;
        Ok(Self {
            saved: Mutex::new(saved),
            overrides,
            current: watch::Sender::new(Arc::new(current)),
            saving: tokio::sync::Mutex::default(),
        })
    }

    /// A snapshot: what a caller reads stays consistent even if the user saves meanwhile.
    pub fn current(&self) -> Arc<Settings> {
        self.current.borrow().clone()
    }

    /// Changes with every save (the pipeline pausing, the desktop app's start-at-login).
    pub fn watch(&self) -> watch::Receiver<Arc<Settings>> {
        self.current.subscribe()
    }

    /// Whether the environment or a flag sets `key` for this run (saving it changes nothing
    /// until the override goes).
    pub fn is_overridden(&self, key: SettingKey) -> bool {
        self.overrides
            .get(&key)
            .is_some_and(|value| !value.trim().is_empty())
    }

    /// What is saved for `key`, override or not.
    pub fn saved(&self, key: SettingKey) -> Option<String> {
        self.saved
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
            .cloned()
    }

    /// What the settings would be with `changes`, without saving them.
    pub fn preview(&self, changes: &[(SettingKey, String)]) -> Result<Settings, InvalidSetting> {
        let mut saved = self
            .saved
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        saved.extend(changes.iter().cloned());
        Settings::resolve(&[&saved, &self.overrides])
    }

    /// Validates `changes` together, stores them, and puts them in force. An empty value
    /// clears a setting back to its default.
    pub async fn save(
        &self,
        pool: &SqlitePool,
        changes: &[(SettingKey, String)],
    ) -> Result<Arc<Settings>, SaveError> {
        let _one_at_a_time = self.saving.lock().await;
        let mut saved = self
            .saved
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        saved.extend(changes.iter().cloned());
        let resolved = Arc::new(Settings::resolve(&[&saved, &self.overrides])?);
        let mut tx = db::begin_write(pool).await?;
        for (key, value) in changes {
            db::settings::save(&mut *tx, *key, value).await?;
        }
        tx.commit().await?;
        *self.saved.lock().unwrap_or_else(PoisonError::into_inner) = saved;
        self.current.send_replace(resolved.clone());
        Ok(resolved)
    }
}
