//! Settings: the server's validation words are shown and the input kept; secrets come masked.

use linkarr::config::SettingKey;

use crate::harness::World;
use crate::sim::{realdebrid, tmdb};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_value_shows_the_servers_words_and_secrets_stay_masked() {
    // Keys saved in Settings, as a user would have them (not locked by the environment).
    let world = World::start_with(
        &[],
        &[
            (SettingKey::RealdebridToken, realdebrid::TOKEN),
            (SettingKey::TmdbKey, tmdb::V3_KEY),
        ],
    )
    .await;
    let workers_before = world.app.state.settings.current().workers;
    let masked = format!("••••{}", &realdebrid::TOKEN[realdebrid::TOKEN.len() - 4..]);
    world.run("settings", &[("RD_TOKEN_MASKED", &masked)]).await;
    assert_eq!(
        world.app.state.settings.current().workers,
        workers_before,
        "the rejected value was not saved"
    );
}
