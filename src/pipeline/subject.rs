//! What the steps after the metadata work from: the request, the title in the library, and
//! what of it is wanted (titles to match, years, aired episodes of the wanted seasons).

use super::{Pipeline, StepError};
use crate::db;
use crate::db::library::SearchSubject;
use crate::db::requests::Work;
use crate::domain::ranking::Wanted;

/// A request and the title it is for, as the steps after the metadata need them.
pub struct Subject {
    pub work: Work,
    pub item: i64,
    pub title: SearchSubject,
}

pub async fn subject(pipeline: &Pipeline, request_id: i64) -> Result<Subject, StepError> {
    let db = &pipeline.inner.db;
    let work = db::requests::work(db, request_id)
        .await?
        .ok_or_else(|| StepError::permanent("The request was deleted"))?;
    let item = work
        .media_item_id
        .ok_or_else(|| StepError::permanent("The request has no details from TMDb; retry it"))?;
    let title = db::library::search_subject(db, item)
        .await?
        .ok_or_else(|| StepError::permanent("The title left the library; retry the request"))?;
    Ok(Subject { work, item, title })
}

/// What the request asks for, from the library: titles to match, years, and for a show the
/// aired episodes of each wanted season.
pub async fn wanted(
    pool: &sqlx::SqlitePool,
    subject: &SearchSubject,
    work: &Work,
    item: i64,
) -> Result<Wanted, StepError> {
    let mut titles = vec![subject.title.clone(), subject.original_title.clone()];
    titles.extend(
        serde_json::from_str::<Vec<String>>(&subject.alternative_titles).unwrap_or_default(),
    );
    titles.retain(|title| !title.trim().is_empty());
    titles.sort_unstable();
    titles.dedup();
    let mut wanted = Wanted {
        titles,
        year: subject.year,
        runtime: subject.runtime,
        ..Wanted::default()
    };
    if subject.media_type != "tv" {
        return Ok(wanted);
    }
    let requested: Option<Vec<u32>> = work
        .requested_seasons
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok());
    for (season, episode, air_date) in db::library::aired_episodes(pool, item).await? {
        let asked = match &requested {
            Some(list) => list.contains(&season),
            None => season > 0,
        };
        if asked {
            wanted.seasons.entry(season).or_default().push(episode);
            let year = air_date.get(..4).and_then(|y| y.parse().ok());
            wanted.latest_year = wanted.latest_year.max(year);
        }
    }
    if wanted.seasons.is_empty() {
        return Err(StepError::NotFound {
            reason: "None of the requested seasons has aired yet".into(),
            then: None,
        });
    }
    Ok(wanted)
}
