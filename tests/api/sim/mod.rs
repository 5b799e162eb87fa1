//! Local stand-ins for the outside services, built from the reference notes and the recorded
//! fixtures: the same paths, auth rules, status codes and error bodies as the real thing, with
//! knobs for the bad days (rate limits, outages, slowness).

pub mod overseerr;
pub mod realdebrid;
pub mod stremio;
pub mod tmdb;
pub mod torznab;
pub mod zilean;

use std::net::SocketAddr;

use axum::Router;

/// The recorded bodies the simulators answer with.
pub const FIXTURES_ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// Serves `router` on a free loopback port for as long as the test runs.
pub async fn serve(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    addr
}
