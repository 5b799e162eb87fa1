use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

use subtle::ConstantTimeEq;

pub mod sources;
pub mod store;

pub use sources::{SourceConfig, SourceKind};
pub use store::SettingsStore;

use crate::domain::ranking::QualityProfile;

/// A secret value (API key, token). Its `Debug` never shows it, so it cannot leak into logs.
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// A new random secret: 192 bits, as 48 hex digits (safe in headers, cookies and URLs).
    pub fn generate() -> Self {
        let bytes: [u8; 24] = rand::Rng::random(&mut rand::rng());
        Self(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Compares in constant time (for equal lengths), so a caller cannot guess it byte by byte.
    pub fn matches(&self, candidate: &[u8]) -> bool {
        self.0.as_bytes().ct_eq(candidate).into()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// Every setting Linkarr knows. Each is stored in the `settings` table under [`Self::name`]
/// and can be overridden for one run by the environment variable [`Self::env_var`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SettingKey {
    Port,
    Bind,
    WebhookSecret,
    ApiToken,
    RemoteAccess,
    TmdbKey,
    TmdbUrl,
    OverseerrUrl,
    OverseerrKey,
    OverseerrSyncMinutes,
    Workers,
    Sources,
    QualityProfile,
    QualityProfile4k,
    RealdebridToken,
    RealdebridUrl,
    DebridMode,
    OverseerrMarkAvailable,
    RepairHours,
    RemotePassword,
    AllowedHosts,
    NotifyReady,
    NotifyFailed,
    StartAtLogin,
    Paused,
}

impl SettingKey {
    pub const ALL: [SettingKey; 25] = [
        Self::Port,
        Self::Bind,
        Self::WebhookSecret,
        Self::ApiToken,
        Self::RemoteAccess,
        Self::TmdbKey,
        Self::TmdbUrl,
        Self::OverseerrUrl,
        Self::OverseerrKey,
        Self::OverseerrSyncMinutes,
        Self::Workers,
        Self::Sources,
        Self::QualityProfile,
        Self::QualityProfile4k,
        Self::RealdebridToken,
        Self::RealdebridUrl,
        Self::DebridMode,
        Self::OverseerrMarkAvailable,
        Self::RepairHours,
        Self::RemotePassword,
        Self::AllowedHosts,
        Self::NotifyReady,
        Self::NotifyFailed,
        Self::StartAtLogin,
        Self::Paused,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Port => "port",
            Self::Bind => "bind",
            Self::WebhookSecret => "webhook_secret",
            Self::ApiToken => "api_token",
            Self::RemoteAccess => "remote_access",
            Self::TmdbKey => "tmdb_key",
            Self::TmdbUrl => "tmdb_url",
            Self::OverseerrUrl => "overseerr_url",
            Self::OverseerrKey => "overseerr_key",
            Self::OverseerrSyncMinutes => "overseerr_sync_minutes",
            Self::Workers => "workers",
            Self::Sources => "sources",
            Self::QualityProfile => "quality_profile",
            Self::QualityProfile4k => "quality_profile_4k",
            Self::RealdebridToken => "realdebrid_token",
            Self::RealdebridUrl => "realdebrid_url",
            Self::DebridMode => "debrid_mode",
            Self::OverseerrMarkAvailable => "overseerr_mark_available",
            Self::RepairHours => "repair_hours",
            Self::RemotePassword => "remote_password",
            Self::AllowedHosts => "allowed_hosts",
            Self::NotifyReady => "notify_ready",
            Self::NotifyFailed => "notify_failed",
            Self::StartAtLogin => "start_at_login",
            Self::Paused => "paused",
        }
    }

    /// Keys and tokens: never logged, and shown masked by the API.
    pub fn is_secret(self) -> bool {
        matches!(
            self,
            Self::WebhookSecret
                | Self::ApiToken
                | Self::TmdbKey
                | Self::OverseerrKey
                | Self::RealdebridToken
                | Self::RemotePassword
        )
    }

    /// Settings whose value is a JSON document (a list of sources, a profile).
    pub fn is_json(self) -> bool {
        matches!(
            self,
            Self::Sources | Self::QualityProfile | Self::QualityProfile4k
        )
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|key| key.name() == name)
    }

    pub fn env_var(self) -> String {
        format!("LINKARR_{}", self.name().to_ascii_uppercase())
    }
}

/// Raw setting values from one source (database, environment, command line).
pub type SettingValues = HashMap<SettingKey, String>;

pub const DEFAULT_PORT: u16 = 8000;
/// Remote access is the LAN's door to the API: no short passwords on it.
const MIN_PASSWORD_LENGTH: usize = 8;
pub const DEFAULT_TMDB_URL: &str = "https://api.themoviedb.org/3";
pub const DEFAULT_REALDEBRID_URL: &str = "https://api.real-debrid.com/rest/1.0";
pub const DATA_DIR_ENV: &str = "LINKARR_DATA_DIR";

/// The settings in force for this run.
#[derive(Clone, Debug)]
pub struct Settings {
    pub bind: IpAddr,
    pub port: u16,
    /// When set, webhooks must carry exactly this `Authorization` header.
    pub webhook_secret: Option<Secret>,
    /// The management API's token; generated at first start when none is configured.
    pub api_token: Option<Secret>,
    /// Whether the management API answers clients other than this machine.
    pub remote_access: bool,
    /// TMDb v3 API key or v4 read-access token.
    pub tmdb_key: Option<Secret>,
    pub tmdb_url: String,
    /// Overseerr (or Jellyseerr) for the catch-up sync; both must be set for it to run.
    pub overseerr_url: Option<String>,
    pub overseerr_key: Option<Secret>,
    pub overseerr_sync_minutes: u64,
    /// How many requests the pipeline works on at once.
    pub workers: usize,
    /// Where to look for torrents.
    pub sources: Vec<SourceConfig>,
    /// What to take for ordinary requests, and for 4K ones.
    pub quality_profile: QualityProfile,
    pub quality_profile_4k: QualityProfile,
    /// The private API token from real-debrid.com/apitoken.
    pub realdebrid_token: Option<Secret>,
    pub realdebrid_url: String,
    /// Whether Real-Debrid may download what it does not have yet.
    pub debrid_mode: DebridMode,
    /// Tell Overseerr a request is available once its streams are ready.
    pub overseerr_mark_available: bool,
    /// Hours between checks that the library's torrents and links still work.
    pub repair_hours: u64,
    /// Signs in to the UI from another machine (the API token works too).
    pub remote_password: Option<Secret>,
    /// Host names (besides IP addresses, `localhost` and this machine's name) the UI may be
    /// reached by; anything else is refused, so a rebinding DNS name cannot reach the API.
    pub allowed_hosts: Vec<String>,
    /// Desktop notifications when a title is ready, and when one fails or needs attention.
    pub notify_ready: bool,
    pub notify_failed: bool,
    /// Applied by the desktop app: start hidden in the tray when the user logs in.
    pub start_at_login: bool,
    /// The pipeline takes on no new work (webhooks are still taken and kept).
    pub paused: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DebridMode {
    /// Only releases Real-Debrid already has: ready in seconds.
    CachedOnly,
    /// Also releases it must download first (minutes to hours).
    AllowDownloads,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            bind: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            port: DEFAULT_PORT,
            webhook_secret: None,
            api_token: None,
            remote_access: false,
            tmdb_key: None,
            tmdb_url: DEFAULT_TMDB_URL.to_owned(),
            overseerr_url: None,
            overseerr_key: None,
            overseerr_sync_minutes: 15,
            workers: 2,
            sources: sources::default_sources(),
            quality_profile: QualityProfile::default(),
            quality_profile_4k: QualityProfile::uhd(),
            realdebrid_token: None,
            realdebrid_url: DEFAULT_REALDEBRID_URL.to_owned(),
            debrid_mode: DebridMode::CachedOnly,
            overseerr_mark_available: false,
            repair_hours: 6,
            remote_password: None,
            allowed_hosts: Vec::new(),
            notify_ready: true,
            notify_failed: true,
            start_at_login: false,
            paused: false,
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("invalid value {shown}for setting {key}: expected {expected}")]
pub struct InvalidSetting {
    key: &'static str,
    /// The value in quotes and a space; empty for documents, which can hold keys.
    shown: String,
    expected: String,
}

impl Settings {
    /// Applies each source in turn over the defaults; later sources win. Empty values count as
    /// unset, so `LINKARR_WEBHOOK_SECRET=` does not blank a saved secret by accident.
    pub fn resolve(sources: &[&SettingValues]) -> Result<Self, InvalidSetting> {
        let mut settings = Self::default();
        for source in sources {
            for (&key, value) in source.iter() {
                let value = value.trim();
                if !value.is_empty() {
                    settings.apply(key, value)?;
                }
            }
        }
        Ok(settings)
    }

    fn apply(&mut self, key: SettingKey, value: &str) -> Result<(), InvalidSetting> {
        let invalid = |expected: &str| InvalidSetting {
            key: key.name(),
            shown: match key.is_json() || key.is_secret() {
                true => String::new(),
                false => format!("{value:?} "),
            },
            expected: expected.to_owned(),
        };
        match key {
            SettingKey::Port => {
                self.port = value
                    .parse()
                    .map_err(|_| invalid("a port number (0-65535)"))?
            }
            SettingKey::Bind => {
                self.bind = value.parse().map_err(|_| invalid("an IP address"))?;
            }
            SettingKey::WebhookSecret => self.webhook_secret = Some(Secret::new(value)),
            SettingKey::ApiToken => self.api_token = Some(Secret::new(value)),
            SettingKey::RemoteAccess => {
                self.remote_access = parse_bool(value).ok_or_else(|| invalid("true or false"))?;
            }
            SettingKey::TmdbKey => self.tmdb_key = Some(Secret::new(value)),
            SettingKey::TmdbUrl => {
                self.tmdb_url = parse_url(value).ok_or_else(|| invalid("an http(s) URL"))?
            }
            SettingKey::OverseerrUrl => {
                self.overseerr_url =
                    Some(parse_url(value).ok_or_else(|| invalid("an http(s) URL"))?);
            }
            SettingKey::OverseerrKey => self.overseerr_key = Some(Secret::new(value)),
            SettingKey::OverseerrSyncMinutes => {
                self.overseerr_sync_minutes = value
                    .parse()
                    .ok()
                    .filter(|minutes| *minutes > 0)
                    .ok_or_else(|| invalid("a number of minutes above 0"))?;
            }
            SettingKey::Workers => {
                self.workers = value
                    .parse()
                    .ok()
                    .filter(|workers| (1..=16).contains(workers))
                    .ok_or_else(|| invalid("a number from 1 to 16"))?;
            }
            SettingKey::Sources => {
                self.sources = sources::parse_sources(value)
                    .map_err(|error| invalid(&format!("a list of sources ({error})")))?;
            }
            SettingKey::QualityProfile => {
                self.quality_profile = profile(value).map_err(|error| invalid(&error))?;
            }
            SettingKey::QualityProfile4k => {
                self.quality_profile_4k = profile(value).map_err(|error| invalid(&error))?;
            }
            SettingKey::RealdebridToken => self.realdebrid_token = Some(Secret::new(value)),
            SettingKey::RealdebridUrl => {
                self.realdebrid_url = parse_url(value).ok_or_else(|| invalid("an http(s) URL"))?
            }
            SettingKey::DebridMode => {
                self.debrid_mode = match value {
                    "cached_only" => DebridMode::CachedOnly,
                    "allow_downloads" => DebridMode::AllowDownloads,
                    _ => return Err(invalid("cached_only or allow_downloads")),
                }
            }
            SettingKey::OverseerrMarkAvailable => {
                self.overseerr_mark_available =
                    parse_bool(value).ok_or_else(|| invalid("true or false"))?;
            }
            SettingKey::RepairHours => {
                self.repair_hours = value
                    .parse()
                    .ok()
                    .filter(|hours| (1..=168).contains(hours))
                    .ok_or_else(|| invalid("a number of hours from 1 to 168"))?;
            }
            SettingKey::RemotePassword => {
                if value.chars().count() < MIN_PASSWORD_LENGTH {
                    return Err(invalid(&format!(
                        "a password of at least {MIN_PASSWORD_LENGTH} characters"
                    )));
                }
                self.remote_password = Some(Secret::new(value));
            }
            SettingKey::AllowedHosts => {
                self.allowed_hosts = value
                    .split([',', ' '])
                    .filter(|host| !host.is_empty())
                    .map(str::to_ascii_lowercase)
                    .collect();
            }
            SettingKey::NotifyReady => {
                self.notify_ready = parse_bool(value).ok_or_else(|| invalid("true or false"))?;
            }
            SettingKey::NotifyFailed => {
                self.notify_failed = parse_bool(value).ok_or_else(|| invalid("true or false"))?;
            }
            SettingKey::StartAtLogin => {
                self.start_at_login = parse_bool(value).ok_or_else(|| invalid("true or false"))?;
            }
            SettingKey::Paused => {
                self.paused = parse_bool(value).ok_or_else(|| invalid("true or false"))?;
            }
        }
        Ok(())
    }
}

fn profile(value: &str) -> Result<QualityProfile, String> {
    serde_json::from_str(value).map_err(|error| format!("a quality profile ({error})"))
}

/// A base URL without its trailing slash, so paths can be appended as "/movie/603".
fn parse_url(value: &str) -> Option<String> {
    let url = value.trim_end_matches('/');
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))?;
    (!rest.is_empty()).then(|| url.to_owned())
}

fn parse_bool(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// What the environment and command line say for this run, on top of the saved settings.
#[derive(Clone, Default)]
pub struct Overrides {
    pub data_dir: Option<PathBuf>,
    pub values: SettingValues,
}

// By hand: the values can hold keys in clear; only their names are shown.
impl fmt::Debug for Overrides {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Overrides")
            .field("data_dir", &self.data_dir)
            .field("set", &self.values.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Overrides {
    /// Reads `LINKARR_DATA_DIR` and `LINKARR_<SETTING>` for every known setting.
    pub fn from_env() -> Self {
        let values = SettingKey::ALL
            .into_iter()
            .filter_map(|key| std::env::var(key.env_var()).ok().map(|value| (key, value)))
            .collect();
        let data_dir = std::env::var_os(DATA_DIR_ENV)
            .filter(|dir| !dir.is_empty())
            .map(PathBuf::from);
        Self { data_dir, values }
    }

    /// The data folder: the override, else the OS's app-data folder (XDG on Linux).
    pub fn resolve_data_dir(&self) -> anyhow::Result<PathBuf> {
        if let Some(dir) = &self.data_dir {
            return Ok(dir.clone());
        }
        directories::ProjectDirs::from("", "", "linkarr")
            .map(|dirs| dirs.data_dir().to_path_buf())
            .ok_or_else(|| {
                anyhow::anyhow!("no home folder to keep data in: set {DATA_DIR_ENV} or --data-dir")
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(SettingKey, &str)]) -> SettingValues {
        pairs.iter().map(|&(k, v)| (k, v.to_owned())).collect()
    }

    #[test]
    fn later_sources_win_and_empty_values_are_unset() {
        let saved = values(&[
            (SettingKey::Port, "9000"),
            (SettingKey::WebhookSecret, "s3"),
        ]);
        let env = values(&[(SettingKey::Port, "9100"), (SettingKey::WebhookSecret, " ")]);
        let settings = Settings::resolve(&[&saved, &env]).unwrap();
        assert_eq!(settings.port, 9100);
        assert_eq!(settings.webhook_secret.unwrap().expose(), "s3");
        assert_eq!(settings.bind, IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    }

    #[test]
    fn invalid_values_name_the_setting() {
        let err = Settings::resolve(&[&values(&[(SettingKey::Port, "eighty")])]).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"invalid value "eighty" for setting port: expected a port number (0-65535)"#
        );
        let err = Settings::resolve(&[&values(&[(SettingKey::RemoteAccess, "maybe")])]);
        assert!(err.is_err());
    }

    #[test]
    fn urls_lose_their_trailing_slash_and_need_a_scheme() {
        let settings = Settings::resolve(&[&values(&[
            (SettingKey::TmdbUrl, "http://127.0.0.1:9000/3/"),
            (SettingKey::OverseerrUrl, "https://requests.example.net"),
        ])])
        .unwrap();
        assert_eq!(settings.tmdb_url, "http://127.0.0.1:9000/3");
        assert_eq!(
            settings.overseerr_url.as_deref(),
            Some("https://requests.example.net")
        );
        let bad = Settings::resolve(&[&values(&[(SettingKey::OverseerrUrl, "overseerr:5055")])]);
        assert!(bad.is_err());
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let secret = Secret::new("hunter2");
        assert!(!format!("{secret:?}").contains("hunter2"));
        assert!(secret.matches(b"hunter2"));
        assert!(!secret.matches(b"hunter3"));
        assert!(!secret.matches(b"hunter22"));
    }

    #[test]
    fn env_var_names_follow_the_contract() {
        assert_eq!(
            SettingKey::WebhookSecret.env_var(),
            "LINKARR_WEBHOOK_SECRET"
        );
        assert_eq!(
            SettingKey::from_name("api_token"),
            Some(SettingKey::ApiToken)
        );
        assert_eq!(SettingKey::from_name("nope"), None);
    }
}
