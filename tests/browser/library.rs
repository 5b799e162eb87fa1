//! Library: search, filter and sort over a few titles, and a title's detail with its stream.

use crate::harness::World;
use crate::helpers::{ReadyTitle, seed_ready};
use crate::sim::realdebrid::Kind;

/// (type, TMDb id, title, year, rating, genres).
type Seed = (
    &'static str,
    i64,
    &'static str,
    i64,
    f64,
    &'static [&'static str],
);

/// The titles seeded straight into the library (as the metadata step stores them).
pub const TITLES: [Seed; 13] = [
    (
        "movie",
        19,
        "Metropolis",
        1927,
        8.1,
        &["Drama", "Science Fiction"],
    ),
    ("movie", 653, "Nosferatu", 1922, 7.7, &["Horror", "Fantasy"]),
    (
        "movie",
        961,
        "The General",
        1926,
        7.9,
        &["Action", "Comedy"],
    ),
    (
        "movie",
        10331,
        "Night of the Living Dead",
        1968,
        7.5,
        &["Horror"],
    ),
    (
        "movie",
        3085,
        "His Girl Friday",
        1940,
        7.6,
        &["Comedy", "Romance"],
    ),
    ("movie", 4808, "Charade", 1963, 7.6, &["Comedy", "Mystery"]),
    ("movie", 20367, "Detour", 1945, 7.1, &["Crime", "Drama"]),
    ("movie", 10098, "The Kid", 1921, 8.1, &["Comedy", "Drama"]),
    (
        "movie",
        10513,
        "Plan 9 from Outer Space",
        1957,
        4.2,
        &["Horror", "Science Fiction"],
    ),
    (
        "movie",
        28090,
        "Carnival of Souls",
        1962,
        6.8,
        &["Horror", "Mystery"],
    ),
    ("tv", 3670, "Bonanza", 1959, 7.4, &["Western"]),
    ("tv", 3698, "The Cisco Kid", 1950, 6.9, &["Western"]),
    (
        "tv",
        21722,
        "Sherlock Holmes",
        1954,
        6.5,
        &["Crime", "Mystery"],
    ),
];

/// Stores the titles the way the metadata step does, each with a stream.
pub async fn seed(world: &World) {
    let titles = TITLES.map(|(media_type, tmdb_id, title, year, rating, genres)| {
        // The browser draws posters locally, with the words of their path as the title.
        let poster = format!("/{}.jpg", crate::harness::slug(&format!("{title} {year}")));
        ReadyTitle {
            media_type,
            tmdb_id,
            title: title.into(),
            year,
            overview: format!(
                "{title} ({year}), one of the titles the browser tests put in the library."
            ),
            runtime: (media_type == "movie").then_some(95),
            genres: genres.to_vec(),
            rating,
            poster_path: Some(poster),
        }
    });
    seed_ready(&mut world.app.db.acquire().await.unwrap(), titles).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_filter_and_sort_the_library_and_open_a_title() {
    let world = World::start(&[]).await;
    world.rd.set_conversion_polls(0);
    seed(&world).await;
    // The Matrix comes through the pipeline, so it has a stream to play.
    world.release(
        603,
        "The.Matrix.1999.1080p.BluRay.x264-SPARKS",
        900,
        Kind::Cached,
    );
    let id = world.app.post_fixture("movie_media_approved.json").await;
    let request = world
        .app
        .wait_for_request(id, |r| r["state"] == "ready" || r["state"] == "failed")
        .await;
    assert_eq!(request["state"], "ready", "{request:#}");
    let matrix = request["media_item_id"].as_i64().unwrap();
    let total = TITLES.len() + 1;
    let shows = TITLES.iter().filter(|t| t.0 == "tv").count();

    world
        .run(
            "library",
            &[
                ("LIBRARY_TOTAL", &total.to_string()),
                ("LIBRARY_SHOWS", &shows.to_string()),
                ("MATRIX_ITEM_ID", &matrix.to_string()),
            ],
        )
        .await;
}
