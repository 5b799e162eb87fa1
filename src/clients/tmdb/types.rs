//! The parts of TMDb's answers Linkarr uses. Every path, date and id may be null (or `""`),
//! and TMDb adds fields over time, so everything optional is `Option` and unknown fields are
//! ignored.

use serde::{Deserialize, Deserializer};

#[derive(Debug, Deserialize)]
pub struct Configuration {
    pub images: Images,
}

#[derive(Debug, Deserialize)]
pub struct Images {
    pub secure_base_url: String,
}

#[derive(Debug, Deserialize)]
pub struct Genre {
    pub name: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct ExternalIds {
    #[serde(default, deserialize_with = "empty_as_none")]
    pub imdb_id: Option<String>,
    #[serde(default)]
    pub tvdb_id: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct Movie {
    pub id: i64,
    pub title: String,
    #[serde(default)]
    pub original_title: String,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub release_date: Option<String>,
    #[serde(default)]
    pub overview: String,
    pub runtime: Option<i64>,
    #[serde(default)]
    pub genres: Vec<Genre>,
    pub vote_average: Option<f64>,
    pub poster_path: Option<String>,
    pub backdrop_path: Option<String>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub imdb_id: Option<String>,
    #[serde(default)]
    pub external_ids: ExternalIds,
    #[serde(default)]
    pub alternative_titles: AlternativeTitles,
}

/// Other names a title goes by. Movies list them under `titles`, shows under `results`.
#[derive(Debug, Default, Deserialize)]
pub struct AlternativeTitles {
    #[serde(default, alias = "results")]
    pub titles: Vec<AlternativeTitle>,
}

#[derive(Debug, Deserialize)]
pub struct AlternativeTitle {
    pub title: String,
}

impl AlternativeTitles {
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.titles.iter().map(|t| t.title.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        names
    }
}

#[derive(Debug, Deserialize)]
pub struct Show {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub original_name: String,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub first_air_date: Option<String>,
    #[serde(default)]
    pub overview: String,
    #[serde(default)]
    pub episode_run_time: Vec<i64>,
    #[serde(default)]
    pub genres: Vec<Genre>,
    pub vote_average: Option<f64>,
    pub poster_path: Option<String>,
    pub backdrop_path: Option<String>,
    /// Stubs, specials (season 0) included, in no promised order.
    #[serde(default)]
    pub seasons: Vec<SeasonStub>,
    #[serde(default)]
    pub external_ids: ExternalIds,
    #[serde(default)]
    pub alternative_titles: AlternativeTitles,
}

#[derive(Debug, Deserialize)]
pub struct SeasonStub {
    pub season_number: u32,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub air_date: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Season {
    pub season_number: u32,
    #[serde(default)]
    pub name: String,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub air_date: Option<String>,
    pub poster_path: Option<String>,
    #[serde(default)]
    pub episodes: Vec<Episode>,
}

#[derive(Debug, Deserialize)]
pub struct Episode {
    pub episode_number: i64,
    #[serde(default)]
    pub name: String,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub air_date: Option<String>,
    pub runtime: Option<i64>,
    pub still_path: Option<String>,
}

/// The year of a TMDb date ("1999-03-31").
pub fn year(date: Option<&str>) -> Option<i64> {
    date?.get(..4)?.parse().ok()
}

fn empty_as_none<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.filter(|text| !text.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tmdb");

    fn fixture<T: serde::de::DeserializeOwned>(name: &str) -> T {
        let body = std::fs::read(format!("{FIXTURES}/{name}")).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    #[test]
    fn the_matrix_reads_with_its_ids_and_year() {
        let movie: Movie = fixture("movie_603_external_ids_release_dates.json");
        assert_eq!((movie.id, movie.title.as_str()), (603, "The Matrix"));
        assert_eq!(year(movie.release_date.as_deref()), Some(1999));
        assert_eq!(movie.imdb_id.as_deref(), Some("tt0133093"));
        assert!(movie.genres.iter().any(|genre| genre.name == "Action"));
    }

    #[test]
    fn breaking_bad_lists_specials_and_its_tvdb_id() {
        let show: Show = fixture("tv_1396_external_ids.json");
        assert_eq!(show.external_ids.tvdb_id, Some(81189));
        assert_eq!(show.external_ids.imdb_id.as_deref(), Some("tt0903747"));
        let numbers: Vec<u32> = show.seasons.iter().map(|s| s.season_number).collect();
        assert_eq!(numbers, [0, 1, 2, 3, 4, 5]);
        let season: Season = fixture("tv_1396_season_1.json");
        assert_eq!(season.episodes.len(), 7);
    }
}
