use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use sqlx::SqlitePool;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::clients::realdebrid::RdClient;
use crate::clients::tmdb::TmdbClient;
use crate::config::SettingsStore;
use crate::events::Events;
use crate::http::play::PlayLinks;
use crate::intake::Intake;
use crate::pipeline::Pipeline;

/// Inside the data folder.
pub const LOG_FOLDER: &str = "logs";

/// What every handler (and, later, every worker) can reach. Cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: SqlitePool,
    pub settings: Arc<SettingsStore>,
    /// Where webhooks are recorded (one writer, group commit).
    pub intake: Intake,
    pub pipeline: Pipeline,
    pub events: Events,
    /// For poster URLs (TMDb's image base).
    pub tmdb: TmdbClient,
    /// For playing: restricted links become URLs at play time.
    pub rd: RdClient,
    pub play_links: PlayLinks,
    /// Rung to run the catch-up sync now (Overseerr's settings changed).
    pub sync_now: Arc<Notify>,
    /// Cancelled when Linkarr stops; long-lived responses (SSE) end with it.
    pub shutdown: CancellationToken,
    /// Where the database and the logs live.
    pub data_dir: PathBuf,
    /// The address the listener really bound (the port is known even when 0 was asked for).
    pub listen_addr: SocketAddr,
}

impl AppState {
    /// The listener's address as seen from this machine (the desktop window uses it).
    pub fn local_url(&self) -> String {
        let ip = match self.listen_addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}", SocketAddr::new(ip, self.listen_addr.port()))
    }

    /// The URL to paste into Overseerr. When listening on every interface, that is this
    /// machine's LAN address: Overseerr usually runs on another box (or in a container), where
    /// `localhost` would point at itself.
    pub fn webhook_url(&self) -> String {
        format!("{}/api/webhooks/overseerr", self.lan_url())
    }

    /// The listener's address as other machines on the network reach it (play links, too,
    /// are handed to players on other devices).
    pub fn lan_url(&self) -> String {
        let ip = match self.listen_addr.ip() {
            ip if ip.is_unspecified() => {
                local_ip_address::local_ip().unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
            }
            ip => ip,
        };
        format!("http://{}", SocketAddr::new(ip, self.listen_addr.port()))
    }

    /// The rotating log files' folder.
    pub fn log_dir(&self) -> PathBuf {
        self.data_dir.join(LOG_FOLDER)
    }

    /// Where a library file plays.
    pub fn play_url(&self, token: &str) -> String {
        format!("{}/play/{token}", self.lan_url())
    }
}
