//! The ranking rules, as a user would state them.

use super::*;

fn offer(title: &str, gigabytes: f64, seeders: u32) -> Offer {
    Offer {
        info_hash: format!("{:040x}", title.len() as u64 * 7919 + seeders as u64),
        title: title.to_owned(),
        file_name: None,
        size: Some((gigabytes * 1e9) as u64),
        seeders: Some(seeders),
        sources: vec!["Torrentio".into()],
    }
}

fn matrix() -> Wanted {
    Wanted {
        titles: vec!["The Matrix".into()],
        year: Some(1999),
        runtime: Some(136),
        ..Wanted::default()
    }
}

fn breaking_bad(seasons: &[u32]) -> Wanted {
    Wanted {
        titles: vec!["Breaking Bad".into()],
        year: Some(2008),
        latest_year: Some(2013),
        seasons: seasons.iter().map(|&s| (s, (1..=8).collect())).collect(),
        runtime: Some(47),
    }
}

fn kept_titles(ranked: &[Ranked]) -> Vec<&str> {
    ranked
        .iter()
        .filter(|c| c.is_kept())
        .map(|c| c.offer.title.as_str())
        .collect()
}

fn rejection_of<'a>(ranked: &'a [Ranked], title: &str) -> &'a Rejection {
    let candidate = ranked.iter().find(|c| c.offer.title == title).unwrap();
    match &candidate.verdict {
        Verdict::Rejected(rejection) => rejection,
        Verdict::Kept { .. } => panic!("{title} was kept"),
    }
}

#[test]
fn a_cam_is_never_chosen_however_well_seeded() {
    let cam = "The.Matrix.1999.HDCAM.x264-NoGroup";
    let offers = vec![
        offer(cam, 1.4, 5000),
        offer("The.Matrix.1999.720p.WEBRip.x264-GalaxyRG", 1.0, 12),
    ];
    let ranked = rank(&matrix(), &QualityProfile::default(), offers);
    assert_eq!(
        kept_titles(&ranked),
        ["The.Matrix.1999.720p.WEBRip.x264-GalaxyRG"]
    );
    assert_eq!(rejection_of(&ranked, cam).to_string(), "CAM");
}

#[test]
fn a_2160p_remux_is_never_chosen_for_a_1080p_profile() {
    let remux = "The.Matrix.1999.2160p.UHD.BluRay.REMUX.DV.HDR10.HEVC.TrueHD.7.1.Atmos-FGT";
    let offers = vec![
        offer(remux, 60.0, 300),
        offer("The.Matrix.1999.1080p.BluRay.x264-CiNEFiLE", 10.0, 80),
    ];
    let ranked = rank(&matrix(), &QualityProfile::default(), offers.clone());
    assert_eq!(
        kept_titles(&ranked),
        ["The.Matrix.1999.1080p.BluRay.x264-CiNEFiLE"]
    );
    assert_eq!(
        rejection_of(&ranked, remux).to_string(),
        "2160p not in the profile"
    );

    // A 4K request, with the 4K profile, takes it first.
    let ranked = rank(&matrix(), &QualityProfile::uhd(), offers);
    assert_eq!(ranked[0].offer.title, remux);
}

#[test]
fn the_same_title_from_another_year_is_rejected() {
    let remake = "The.Matrix.2031.1080p.WEB-DL.DDP5.1.H.264-NTb";
    let offers = vec![
        offer(remake, 6.0, 900),
        offer("The.Matrix.1999.1080p.BluRay.x264-CiNEFiLE", 10.0, 80),
    ];
    let ranked = rank(&matrix(), &QualityProfile::default(), offers);
    assert_eq!(
        rejection_of(&ranked, remake).to_string(),
        "wrong year (2031)"
    );
    assert_eq!(kept_titles(&ranked).len(), 1);
}

#[test]
fn a_year_off_by_one_is_the_same_release() {
    let late = "The.Matrix.2000.1080p.BluRay.x264-CiNEFiLE";
    let ranked = rank(
        &matrix(),
        &QualityProfile::default(),
        vec![offer(late, 10.0, 8)],
    );
    assert_eq!(kept_titles(&ranked), [late]);
}

#[test]
fn other_titles_are_rejected_but_alternative_titles_match() {
    let sequel = "The.Matrix.Reloaded.2003.1080p.BluRay.x264";
    let german = "Matrix.1999.German.1080p.BluRay.x264";
    let mut wanted = matrix();
    let ranked = rank(
        &wanted,
        &QualityProfile::default(),
        vec![offer(sequel, 9.0, 50), offer(german, 9.0, 50)],
    );
    assert!(matches!(
        rejection_of(&ranked, sequel),
        Rejection::OtherTitle(_)
    ));
    assert!(matches!(
        rejection_of(&ranked, german),
        Rejection::OtherTitle(_)
    ));

    wanted.titles.push("Matrix".into());
    let ranked = rank(
        &wanted,
        &QualityProfile::default(),
        vec![offer(german, 9.0, 50)],
    );
    assert_eq!(kept_titles(&ranked), [german]);
}

#[test]
fn within_a_resolution_the_better_source_wins_then_the_better_seeded() {
    let offers = vec![
        offer("The.Matrix.1999.1080p.WEBRip.x264-RARBG", 2.0, 4000),
        offer("The.Matrix.1999.1080p.BluRay.x264-AMIABLE", 9.0, 30),
        offer("The.Matrix.1999.1080p.BluRay.x264-SPARKS", 9.0, 300),
        offer("The.Matrix.1999.720p.BluRay.x264-SPARKS", 5.0, 9000),
    ];
    let ranked = rank(&matrix(), &QualityProfile::default(), offers);
    assert_eq!(
        kept_titles(&ranked),
        [
            "The.Matrix.1999.1080p.BluRay.x264-SPARKS",
            "The.Matrix.1999.1080p.BluRay.x264-AMIABLE",
            "The.Matrix.1999.1080p.WEBRip.x264-RARBG",
            "The.Matrix.1999.720p.BluRay.x264-SPARKS",
        ]
    );
}

#[test]
fn a_release_too_small_for_its_resolution_is_rejected() {
    let fake = "The.Matrix.1999.1080p.BluRay.x264-FAKE";
    let ranked = rank(
        &matrix(),
        &QualityProfile::default(),
        vec![offer(fake, 0.2, 900)],
    );
    assert_eq!(
        rejection_of(&ranked, fake).to_string(),
        "too small (200 MB)"
    );
}

#[test]
fn a_movie_request_rejects_tv_releases_and_a_show_request_rejects_movies() {
    let episode = "The.Matrix.S01E01.1080p.WEB-DL";
    let ranked = rank(
        &matrix(),
        &QualityProfile::default(),
        vec![offer(episode, 2.0, 9)],
    );
    assert_eq!(rejection_of(&ranked, episode), &Rejection::TvRelease);

    let movie = "Breaking.Bad.2008.1080p.BluRay.x264";
    let ranked = rank(
        &breaking_bad(&[1]),
        &QualityProfile::default(),
        vec![offer(movie, 2.0, 9)],
    );
    assert_eq!(rejection_of(&ranked, movie), &Rejection::NotTv);
}

#[test]
fn a_season_pack_is_preferred_over_single_episodes() {
    let pack = "Breaking.Bad.S02.720p.BluRay.x264-DEMAND";
    let offers = vec![
        offer("Breaking.Bad.S02E01.1080p.BluRay.x264-ROVERS", 2.0, 400),
        offer("Breaking.Bad.S02E02.1080p.BluRay.x264-ROVERS", 2.0, 400),
        offer(pack, 12.0, 40),
        offer("Breaking.Bad.S03.1080p.BluRay.x264-ROVERS", 20.0, 400),
    ];
    let ranked = rank(&breaking_bad(&[2]), &QualityProfile::default(), offers);
    assert_eq!(ranked[0].offer.title, pack);
    let Verdict::Kept { covers, is_pack } = &ranked[0].verdict else {
        panic!()
    };
    assert!(is_pack);
    assert_eq!(covers.len(), 8, "every aired episode of season 2");
    assert_eq!(kept_titles(&ranked).len(), 3);
    assert_eq!(
        rejection_of(&ranked, "Breaking.Bad.S03.1080p.BluRay.x264-ROVERS").to_string(),
        "other season (S03)"
    );
}

#[test]
fn a_pack_covering_every_wanted_season_ranks_before_a_pack_of_one() {
    let complete = "Breaking.Bad.S01-S05.COMPLETE.1080p.BluRay.x264-ROVERS";
    let offers = vec![
        offer("Breaking.Bad.S01.1080p.BluRay.x264-ROVERS", 15.0, 900),
        offer(complete, 90.0, 60),
    ];
    let ranked = rank(&breaking_bad(&[1, 2]), &QualityProfile::default(), offers);
    assert_eq!(ranked[0].offer.title, complete);
}

#[test]
fn user_excludes_and_requires_apply_to_the_whole_name() {
    let mut profile: QualityProfile =
        serde_json::from_str(r#"{"exclude": ["\\bYIFY\\b"], "require": ["x26[45]"]}"#).unwrap();
    let yify = "The.Matrix.1999.1080p.BluRay.x264-YIFY";
    let av1 = "The.Matrix.1999.1080p.BluRay.AV1-Foo";
    let good = "The.Matrix.1999.1080p.BluRay.x265-Bar";
    let offers = vec![
        offer(yify, 2.0, 10),
        offer(av1, 2.0, 10),
        offer(good, 5.0, 10),
    ];
    let ranked = rank(&matrix(), &profile, offers.clone());
    assert_eq!(kept_titles(&ranked), [good]);
    assert_eq!(
        rejection_of(&ranked, yify).to_string(),
        r"excluded by /\bYIFY\b/"
    );
    assert_eq!(rejection_of(&ranked, av1), &Rejection::NotRequired);

    profile.require.clear();
    profile.exclude.clear();
    profile.preferred = vec![profile::Pattern::new("yify").unwrap()];
    let ranked = rank(&matrix(), &profile, offers);
    assert_eq!(
        ranked[0].offer.title, yify,
        "preferred beats everything else"
    );
}

#[test]
fn the_summary_counts_each_kind_of_rejection() {
    let offers = vec![
        offer("The.Matrix.1999.HDCAM.x264", 1.0, 5),
        offer("The.Matrix.1999.CAM.XviD", 1.0, 5),
        offer("The.Matrix.2031.1080p.WEB-DL.H.264", 6.0, 5),
        offer("The.Matrix.1999.1080p.BluRay.x264", 9.0, 5),
    ];
    let ranked = rank(&matrix(), &QualityProfile::default(), offers);
    assert_eq!(
        summary(&ranked),
        "4 found, 1 kept; rejected: 2 CAM, 1 wrong year"
    );
}

#[test]
fn a_title_that_reads_as_adult_keeps_its_releases() {
    let wanted = Wanted {
        titles: vec!["Analyze This".into()],
        year: Some(1999),
        runtime: Some(103),
        ..Wanted::default()
    };
    let name = "Analyze.This.1999.1080p.BluRay.x264-HANDJOB";
    assert!(release::parse(name).adult, "PTT's keyword list flags it");
    let ranked = rank(
        &wanted,
        &QualityProfile::default(),
        vec![offer(name, 8.0, 20)],
    );
    assert_eq!(kept_titles(&ranked), [name]);
}

#[test]
fn a_complete_series_is_not_too_big_for_one_of_its_seasons() {
    let profile: QualityProfile = serde_json::from_str(r#"{"max_episode_gb": 3.0}"#).unwrap();
    let complete = "Breaking.Bad.S01-S05.COMPLETE.1080p.BluRay.x264-ROVERS";
    let bloated = "Breaking.Bad.S01.1080p.BluRay.REMUX-BIG";
    // Five seasons of 8 episodes at 2 GB; one season of 8 at 8 GB each.
    let offers = vec![offer(complete, 80.0, 60), offer(bloated, 64.0, 60)];
    let ranked = rank(&breaking_bad(&[1]), &profile, offers);
    assert_eq!(kept_titles(&ranked), [complete]);
    assert_eq!(
        rejection_of(&ranked, bloated).to_string(),
        "too big (64.0 GB)"
    );
}
