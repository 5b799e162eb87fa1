/// Overseerr/Jellyseerr webhook notifications: what they carry and what Linkarr does with each.
pub mod overseerr;
/// Release (torrent) names read into their parts: title, year, resolution, seasons …
pub mod release;
/// A media request as Linkarr keeps it, whatever it arrived through.
pub mod request;

/// The states a request moves through.
pub mod state;

pub use request::{MediaRequest, MediaType};
pub use state::RequestState;
