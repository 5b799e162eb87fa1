//! The login page: a wrong secret is refused in words, the API token lets you in.

use crate::harness::World;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_secret_is_refused_in_words_and_the_api_token_signs_in() {
    let world = World::start(&[]).await;
    world.run("login", &[]).await;
}
