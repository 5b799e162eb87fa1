//! Linkarr's core: everything except the desktop window. The `linkarr` command and the
//! `linkarr-desktop` shell both start it through [`Application::build`].
//!
//! Reading order: `migrations/` (what is stored), [`app`] (how it starts), [`http`] (what
//! Overseerr and the UI talk to), [`domain`] (the rules), [`db`] (the queries).

/// Startup: data folder, database, settings, listener; returns handles to run and stop it.
pub mod app;
/// Clients of TMDb and Overseerr.
pub mod clients;
/// Settings: defaults, the database, `LINKARR_*` variables and flags, in that order.
pub mod config;
/// SQLite: the pool, migrations, and one module of queries per table.
pub mod db;
/// Pure types and rules: Overseerr notifications and the requests they carry.
pub mod domain;
/// Request state changes, stored and broadcast.
pub mod events;
/// The listener: webhook routes, the management API, and their errors.
pub mod http;
/// Durable intake of webhooks: one writer task, many webhooks per commit.
pub mod intake;
/// The library as `.strm` files and an M3U playlist.
pub mod library;
/// The listener's address, changeable while running.
pub mod listener;
/// The ingest pipeline: job queue, workers, steps, catch-up sync.
pub mod pipeline;
/// What handlers and workers share.
pub mod state;
/// Logs to the terminal and to rotating files beside the database.
pub mod telemetry;

pub use app::Application;
/// Re-exported so the desktop shell stops the core with the very type it hands out.
pub use tokio_util::sync::CancellationToken;
