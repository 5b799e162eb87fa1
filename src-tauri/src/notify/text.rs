//! What the notifications say, and which page a click opens.

use super::news::Kind;

/// In a summary, this many titles are named; the rest are counted.
pub const NAMED_IN_SUMMARY: usize = 3;

/// A notification's words and its click target (a route of the UI).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub summary: String,
    pub body: String,
    pub route: String,
}

/// "The Matrix (1999)". A request TMDb has not described yet carries Overseerr's subject,
/// which has the year in it already, and no year of its own.
pub fn name(title: &str, year: Option<i64>) -> String {
    match year {
        Some(year) => format!("{title} ({year})"),
        None => title.to_owned(),
    }
}

/// One title is ready: the click opens it in the library, or its request until it has one.
pub fn ready(name: &str, detail: &str, request_id: i64, media_item_id: Option<i64>) -> Text {
    Text {
        summary: format!("{name} is ready to stream"),
        body: detail.to_owned(),
        route: match media_item_id {
            Some(item) => format!("#/library/{item}"),
            None => format!("#/requests/{request_id}"),
        },
    }
}

/// One title needs the user: the reason, and its request a click away.
pub fn attention(name: &str, reason: &str, request_id: i64) -> Text {
    Text {
        summary: format!("{name} needs attention"),
        body: reason.to_owned(),
        route: format!("#/requests/{request_id}"),
    }
}

/// Many at once: how many, the first few by name, and the reason when they all share one
/// (twenty requests stopped by a missing key say so once).
pub fn summary(kind: Kind, total: usize, first: &[String], shared_reason: Option<&str>) -> Text {
    let names = listing(total, first);
    let (summary, route) = match (kind, total) {
        (Kind::Ready, 1) => ("1 title is ready to stream".to_owned(), "#/library"),
        (Kind::Ready, n) => (format!("{n} titles are ready to stream"), "#/library"),
        (Kind::Attention, 1) => ("1 title needs attention".to_owned(), "#/"),
        (Kind::Attention, n) => (format!("{n} titles need attention"), "#/"),
    };
    let body = match shared_reason {
        Some(reason) if !reason.is_empty() => format!("{reason}\n{names}"),
        _ => names,
    };
    Text {
        summary,
        body,
        route: route.to_owned(),
    }
}

/// "A, B, C and 17 more"; "A, B and C" when all are named.
fn listing(total: usize, first: &[String]) -> String {
    let named = &first[..first.len().min(NAMED_IN_SUMMARY)];
    let more = total.saturating_sub(named.len());
    match (named, more) {
        ([], _) => String::new(),
        (names, 0) => match names.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => String::new(),
        },
        (names, more) => format!("{} and {more} more", names.join(", ")),
    }
}

/// The release a ready request streams from, as its message names it:
/// "Ready to stream: The Matrix (1999), from The.Matrix.1999.1080p.BluRay.x264 (…)".
pub fn release_in(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("Ready to stream: ")?;
    let (_, release) = rest.split_once(", from ")?;
    Some(release)
}

/// A release as the search found it.
#[derive(Debug)]
pub struct Offer<'a> {
    pub title: &'a str,
    pub resolution: Option<&'a str>,
    pub quality: Option<&'a str>,
    /// The search sources that offered it (Torrentio, …).
    pub sources: Vec<String>,
}

/// The ready body: "1080p BluRay, from Torrentio" when the release is one the search found
/// and its name says that much, else the release's name (a name is still better than nothing).
pub fn release_detail(release: &str, offers: &[Offer<'_>]) -> String {
    // The message may carry a note after the name ("(marked available in Overseerr)").
    let offer = offers
        .iter()
        .filter(|offer| !offer.title.is_empty() && release.starts_with(offer.title))
        .max_by_key(|offer| offer.title.len());
    let Some(offer) = offer else {
        return release.to_owned();
    };
    match (
        grade(offer.resolution, offer.quality),
        offer.sources.is_empty(),
    ) {
        (None, _) => release.to_owned(),
        (Some(grade), true) => grade,
        (Some(grade), false) => format!("{grade}, from {}", offer.sources.join(", ")),
    }
}

/// "1080p BluRay", from what a release's name says; None when it says neither.
pub fn grade(resolution: Option<&str>, quality: Option<&str>) -> Option<String> {
    let parts: Vec<&str> = [resolution, quality]
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// Notification servers may read the body as markup (the spec's `body-markup`), where a
/// stray `&` or `<` in a title would garble or blank it.
pub fn escape_markup(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn a_ready_title_says_so_and_opens_its_library_page() {
        let text = ready(
            "The Matrix (1999)",
            "1080p BluRay, from Torrentio",
            7,
            Some(3),
        );
        assert_eq!(text.summary, "The Matrix (1999) is ready to stream");
        assert_eq!(text.body, "1080p BluRay, from Torrentio");
        assert_eq!(text.route, "#/library/3");
    }

    #[test]
    fn a_ready_title_without_a_library_item_opens_its_request() {
        assert_eq!(ready("Heat (1995)", "", 7, None).route, "#/requests/7");
    }

    #[test]
    fn attention_names_the_title_and_the_reason_and_opens_the_request() {
        let reason = "Waiting for a TMDb key: add yours in Settings";
        let text = attention("The Matrix (1999)", reason, 7);
        assert_eq!(text.summary, "The Matrix (1999) needs attention");
        assert_eq!(text.body, reason);
        assert_eq!(text.route, "#/requests/7");
    }

    #[test]
    fn a_name_has_the_year_once() {
        assert_eq!(name("The Matrix", Some(1999)), "The Matrix (1999)");
        assert_eq!(name("The Matrix (1999)", None), "The Matrix (1999)");
    }

    #[test]
    fn a_ready_summary_counts_names_the_first_three_and_opens_the_library() {
        let first = names(&["The Matrix (1999)", "Alien (1979)", "Heat (1995)"]);
        let text = summary(Kind::Ready, 20, &first, None);
        assert_eq!(text.summary, "20 titles are ready to stream");
        assert_eq!(
            text.body,
            "The Matrix (1999), Alien (1979), Heat (1995) and 17 more"
        );
        assert_eq!(text.route, "#/library");
    }

    #[test]
    fn an_attention_summary_gives_a_shared_reason_once_and_opens_the_activity() {
        let first = names(&["A", "B", "C"]);
        let reason = "Waiting for a TMDb key: add yours in Settings";
        let text = summary(Kind::Attention, 20, &first, Some(reason));
        assert_eq!(text.summary, "20 titles need attention");
        assert_eq!(text.body, format!("{reason}\nA, B, C and 17 more"));
        assert_eq!(text.route, "#/");
    }

    #[test]
    fn a_summary_names_at_most_three() {
        let first = names(&["A", "B", "C", "D", "E"]);
        assert_eq!(
            summary(Kind::Ready, 5, &first, None).body,
            "A, B, C and 2 more"
        );
    }

    #[test]
    fn a_summary_with_every_title_named_ends_with_and() {
        assert_eq!(
            summary(Kind::Ready, 2, &names(&["A", "B"]), None).body,
            "A and B"
        );
        assert_eq!(summary(Kind::Ready, 1, &names(&["A"]), None).body, "A");
    }

    #[test]
    fn the_release_is_read_from_the_ready_message() {
        let message = "Ready to stream: The Matrix (1999), from The.Matrix.1999.1080p.BluRay";
        assert_eq!(release_in(message), Some("The.Matrix.1999.1080p.BluRay"));
        assert_eq!(release_in("Ready to stream: The Matrix (1999)"), None);
        assert_eq!(release_in("Searching Torrentio for releases"), None);
    }

    fn offer<'a>(title: &'a str, sources: &[&str]) -> Offer<'a> {
        Offer {
            title,
            resolution: Some("1080p"),
            quality: Some("BluRay"),
            sources: names(sources),
        }
    }

    #[test]
    fn a_found_release_is_described_by_its_grade_and_source() {
        let offers = [
            offer("Other.Release", &["Zilean"]),
            offer("The.Matrix.1080p", &["Torrentio"]),
        ];
        assert_eq!(
            release_detail("The.Matrix.1080p (marked available in Overseerr)", &offers),
            "1080p BluRay, from Torrentio"
        );
    }

    #[test]
    fn an_unknown_or_ungraded_release_is_given_by_name() {
        assert_eq!(release_detail("The.Matrix.1080p", &[]), "The.Matrix.1080p");
        let ungraded = Offer {
            resolution: None,
            quality: None,
            ..offer("The.Matrix", &["Torrentio"])
        };
        assert_eq!(release_detail("The.Matrix", &[ungraded]), "The.Matrix");
    }

    #[test]
    fn a_grade_is_what_the_name_says() {
        assert_eq!(
            grade(Some("2160p"), Some("WEB-DL")).as_deref(),
            Some("2160p WEB-DL")
        );
        assert_eq!(grade(None, Some("BluRay")).as_deref(), Some("BluRay"));
        assert_eq!(grade(None, None), None);
    }

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            escape_markup("Tom & Jerry <3>"),
            "Tom &amp; Jerry &lt;3&gt;"
        );
    }
}
