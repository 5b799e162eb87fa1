/// Overseerr/Jellyseerr webhook notifications: what they carry and what Linkarr does with each.
pub mod overseerr;
/// A media request as Linkarr keeps it, whatever it arrived through.
pub mod request;

pub use request::{MediaRequest, MediaType};
