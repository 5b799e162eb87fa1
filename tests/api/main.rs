//! Integration tests of the core through its real HTTP surface: a real listener on a free
//! port, a real SQLite file in a temporary folder, and (in `serve`) the real `linkarr` binary.

// Test helpers panic on purpose: a failed setup step is a failed test.
#![allow(clippy::unwrap_used)]

mod activity;
mod debrid;
mod helpers;
mod management;
mod pipeline;
mod search;
mod security;
mod serve;
mod setup;
mod sim;
mod store;
mod webhooks;
