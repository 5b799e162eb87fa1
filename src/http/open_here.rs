//! "Open the log folder", "Open in the default player": done by the machine running Linkarr,
//! which is the user's own when they use the window or a browser on it. A remote browser
//! cannot be served this way (it would open on the server's screen), so it is refused.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;

use super::ApiError;

/// Opens `target` (a folder, a URL) with the desktop's default application.
pub fn open_for(client: ConnectInfo<SocketAddr>, target: &str) -> Result<(), ApiError> {
    if !client.0.ip().to_canonical().is_loopback() {
        return Err(ApiError::Forbidden(
            "Only a window or browser on the machine running Linkarr can open things on it",
        ));
    }
    open::that_detached(target).map_err(|error| {
        ApiError::Unavailable(format!(
            "This machine could not open it ({error}); is there a desktop session?"
        ))
    })
}
