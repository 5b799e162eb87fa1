//! Browser tests: the web UI in headless Chromium against a real listener on a free port whose
//! outside services are the simulators of `tests/api/sim`. Each test starts Linkarr in-process,
//! prepares the simulators, runs one Node script (`ui/tests/browser/<scenario>.mjs`, driving
//! Debian's Chromium with playwright-core), then checks what the simulators and the database
//! saw. The scripts save the README's screenshots to `docs/screenshots/` (1280×800), or to
//! `SCREENSHOT_DIR` when it is set: a run otherwise rewrites the committed pictures.
//!
//! Needs `node`, Chromium (`/usr/bin/chromium`, or `CHROMIUM=`) and `ui/node_modules` (npm ci):
//! `scripts/setup` installs all three. Without them the tests fail; they never skip.

// Test helpers panic on purpose: a failed setup step is a failed test.
#![allow(clippy::unwrap_used)]

#[path = "../api/helpers.rs"]
#[allow(dead_code)]
mod helpers;
#[path = "../api/sim/mod.rs"]
#[allow(dead_code)]
mod sim;

mod activity;
mod harness;
mod library;
mod login;
mod settings;
mod setup;
