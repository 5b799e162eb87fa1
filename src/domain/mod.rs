/// Overseerr/Jellyseerr webhook notifications: what they carry and what Linkarr does with each.
pub mod overseerr;
/// Which found torrents are worth trying, in what order, and why the others are not.
pub mod ranking;
/// Release (torrent) names read into their parts: title, year, resolution, seasons …
pub mod release;
/// A media request as Linkarr keeps it, whatever it arrived through.
pub mod request;

/// The states a request moves through.
pub mod state;

pub use request::{MediaRequest, MediaType};
pub use state::RequestState;
