//! Settings: the server's validation words are shown and the input kept; secrets come masked.

use crate::harness::World;
use crate::sim::realdebrid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_value_shows_the_servers_words_and_secrets_stay_masked() {
    let world = World::start(&[]).await;
    // Saved (not only overridden for this run), as a user would have it.
    let saved = world
        .app
        .put_settings(serde_json::json!({"tmdb_key": crate::sim::tmdb::V3_KEY}))
        .await;
    assert!(saved.status().is_success());
    let port_before = world.app.state.settings.current().port;
    let masked = format!("••••{}", &realdebrid::TOKEN[realdebrid::TOKEN.len() - 4..]);
    world.run("settings", &[("RD_TOKEN_MASKED", &masked)]).await;
    assert_eq!(
        world.app.state.settings.current().port,
        port_before,
        "the rejected port was not saved"
    );
}
