//! The body Overseerr (and Jellyseerr, byte for byte the same) posts with its default template.
//!
//! Every placeholder is substituted as a string (`"tmdbId":"603"`), absent values are `""`,
//! blocks that do not apply are `null`. Hand-written templates and the setup guide show plain
//! numbers too, so every scalar is read loosely: string, number or null.

use serde::{Deserialize, Serialize};
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde_json::Value;
use utoipa::ToSchema;

use super::{MediaRequest, MediaType};

/// A notification as Overseerr's default webhook template writes it. Every field may be
/// missing or null, and each text may also be sent as a number.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct Notification {
    #[serde(deserialize_with = "loose_string")]
    pub notification_type: Option<String>,
    #[serde(deserialize_with = "loose_string")]
    pub event: Option<String>,
    #[serde(deserialize_with = "loose_string")]
    pub subject: Option<String>,
    pub media: Option<MediaBlock>,
    pub request: Option<RequestBlock>,
    #[serde(deserialize_with = "null_as_empty")]
    pub extra: Vec<ExtraField>,
}

// The blocks are Serialize only for the API's schema, which shows each field's default.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct MediaBlock {
    #[serde(deserialize_with = "loose_string")]
    pub media_type: Option<String>,
    #[serde(rename = "tmdbId", deserialize_with = "loose_string")]
    pub tmdb_id: Option<String>,
    #[serde(rename = "tvdbId", deserialize_with = "loose_string")]
    pub tvdb_id: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct RequestBlock {
    #[serde(deserialize_with = "loose_string")]
    pub request_id: Option<String>,
    #[serde(rename = "requestedBy_username", deserialize_with = "loose_string")]
    pub requested_by_username: Option<String>,
    #[serde(rename = "requestedBy_email", deserialize_with = "loose_string")]
    pub requested_by_email: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ExtraField {
    #[serde(deserialize_with = "loose_string")]
    pub name: Option<String>,
    pub value: Value,
}

/// What Linkarr does with a notification type.
#[derive(Debug, PartialEq, Eq)]
pub enum Disposition {
    /// The title should be fetched: create (or recognise) a request.
    Process,
    /// Stored for the record, nothing to do; the reason is shown to the user.
    Ignore(&'static str),
}

pub fn disposition(notification_type: &str) -> Disposition {
    match notification_type {
        "MEDIA_APPROVED" | "MEDIA_AUTO_APPROVED" | "MEDIA_AVAILABLE" => Disposition::Process,
        "TEST_NOTIFICATION" => {
            Disposition::Ignore("Test notification: Overseerr can reach Linkarr")
        }
        "MEDIA_PENDING" => {
            Disposition::Ignore("Waiting for approval in Overseerr; Linkarr acts once approved")
        }
        "MEDIA_DECLINED" => Disposition::Ignore("The request was declined in Overseerr"),
        "MEDIA_FAILED" => Disposition::Ignore(
            "Overseerr's own hand-off failed; Linkarr works from the approval, not from this",
        ),
        "MEDIA_AUTO_REQUESTED" => Disposition::Ignore("Awaiting approval of an automatic request"),
        "ISSUE_CREATED" | "ISSUE_COMMENT" | "ISSUE_RESOLVED" | "ISSUE_REOPENED" => {
            Disposition::Ignore("Issue reports are not handled by Linkarr")
        }
        _ => Disposition::Ignore("Unknown notification type"),
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    #[error("notification_type is missing")]
    MissingType,
    #[error("the media block is missing, so there is no title to request")]
    MissingMedia,
    #[error("media.tmdbId is missing")]
    MissingTmdbId,
    #[error("media.tmdbId {0:?} is not a TMDb id")]
    BadTmdbId(String),
    #[error("media.media_type is missing")]
    MissingMediaType,
    #[error("media.media_type {0:?} is neither \"movie\" nor \"tv\"")]
    BadMediaType(String),
    #[error("Requested Seasons {0} is not a list of season numbers")]
    BadSeasons(String),
}

impl Notification {
    pub fn notification_type(&self) -> Result<&str, PayloadError> {
        self.notification_type
            .as_deref()
            .ok_or(PayloadError::MissingType)
    }

    /// The request this notification is about. Only meaningful for [`Disposition::Process`].
    pub fn media_request(&self) -> Result<MediaRequest, PayloadError> {
        let media = self.media.as_ref().ok_or(PayloadError::MissingMedia)?;
        let tmdb_id = media
            .tmdb_id
            .as_deref()
            .ok_or(PayloadError::MissingTmdbId)?;
        let tmdb_id =
            parse_id(tmdb_id).ok_or_else(|| PayloadError::BadTmdbId(tmdb_id.to_owned()))?;
        let media_type = match media.media_type.as_deref() {
            Some("movie") => MediaType::Movie,
            Some("tv") => MediaType::Tv,
            Some(other) => return Err(PayloadError::BadMediaType(other.to_owned())),
            None => return Err(PayloadError::MissingMediaType),
        };
        let seasons = match media_type {
            MediaType::Tv => self.requested_seasons()?,
            MediaType::Movie => None,
        };
        let request = self.request.as_ref();
        let requested_by = request
            .and_then(|r| {
                r.requested_by_username
                    .clone()
                    .or(r.requested_by_email.clone())
            })
            .unwrap_or_default();
        Ok(MediaRequest {
            media_type,
            tmdb_id,
            tvdb_id: media.tvdb_id.as_deref().and_then(parse_id),
            // 4K shows only in the event text ("4K Movie Request Approved"): `status4k` can
            // have been set by another request for the same title, so it proves nothing.
            is_4k: self.event.as_deref().is_some_and(|e| e.contains("4K")),
            seasons,
            overseerr_request_id: request
                .and_then(|r| r.request_id.as_deref())
                .and_then(parse_id),
            subject: self.subject.clone().unwrap_or_default(),
            requested_by,
        })
    }

    /// "Requested Seasons" from `extra`: `"1, 2"` as Overseerr sends it, or numbers.
    fn requested_seasons(&self) -> Result<Option<Vec<u32>>, PayloadError> {
        let Some(field) = self.extra.iter().find(|field| {
            field
                .name
                .as_deref()
                .is_some_and(|name| name.eq_ignore_ascii_case("Requested Seasons"))
        }) else {
            return Ok(None);
        };
        let bad = || PayloadError::BadSeasons(field.value.to_string());
        let mut seasons = match &field.value {
            Value::Null => return Ok(None),
            Value::String(text) if text.trim().is_empty() => return Ok(None),
            Value::String(text) => text
                .split(',')
                .map(|part| part.trim().parse::<u32>().map_err(|_| bad()))
                .collect::<Result<Vec<_>, _>>()?,
            Value::Number(_) => vec![season_number(&field.value).ok_or_else(bad)?],
            Value::Array(items) => items
                .iter()
                .map(|item| season_number(item).ok_or_else(bad))
                .collect::<Result<Vec<_>, _>>()?,
            Value::Bool(_) | Value::Object(_) => return Err(bad()),
        };
        seasons.sort_unstable();
        seasons.dedup();
        Ok(Some(seasons))
    }
}

fn season_number(value: &Value) -> Option<u32> {
    match value {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn parse_id(text: &str) -> Option<i64> {
    text.parse::<i64>().ok().filter(|id| *id > 0)
}

fn loose_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    deserializer.deserialize_any(LooseString)
}

/// Reads a scalar as text, without building an intermediate `Value` (bodies arrive in bursts).
struct LooseString;

impl<'de> Visitor<'de> for LooseString {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or a number")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        let text = text.trim();
        Ok((!text.is_empty()).then(|| text.to_owned()))
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<Self::Value, E> {
        Ok(Some(number.to_string()))
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<Self::Value, E> {
        Ok(Some(number.to_string()))
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<Self::Value, E> {
        Ok(Some(number.to_string()))
    }

    fn visit_bool<E: de::Error>(self, flag: bool) -> Result<Self::Value, E> {
        Ok(Some(flag.to_string()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn parse(body: Value) -> Notification {
        serde_json::from_value(body).unwrap()
    }

    #[test]
    fn reads_overseerr_strings_and_the_guides_numbers_alike() {
        let as_strings = parse(json!({
            "notification_type": "MEDIA_APPROVED", "event": "Movie Request Approved",
            "media": {"media_type": "movie", "tmdbId": "603", "tvdbId": ""},
            "request": {"request_id": "3", "requestedBy_username": "friend"}, "extra": []
        }));
        let as_numbers = parse(json!({
            "notification_type": "MEDIA_APPROVED", "event": "Movie Request Approved",
            "media": {"media_type": "movie", "tmdbId": 603, "tvdbId": null},
            "request": {"request_id": 3, "requestedBy_username": "friend"}, "extra": null
        }));
        let expected = as_strings.media_request().unwrap();
        assert_eq!(expected.tmdb_id, 603);
        assert_eq!(expected.tvdb_id, None);
        assert_eq!(expected.overseerr_request_id, Some(3));
        assert_eq!(expected.requested_by, "friend");
        assert_eq!(as_numbers.media_request().unwrap(), expected);
    }

    #[test]
    fn requested_seasons_accept_text_numbers_and_lists() {
        let with_extra = |value: Value| {
            parse(json!({
                "notification_type": "MEDIA_APPROVED",
                "media": {"media_type": "tv", "tmdbId": "1396"},
                "extra": [{"name": "Requested Seasons", "value": value}]
            }))
            .media_request()
            .map(|request| request.seasons)
        };
        assert_eq!(with_extra(json!("1, 2")), Ok(Some(vec![1, 2])));
        assert_eq!(with_extra(json!("3,1,3")), Ok(Some(vec![1, 3])));
        assert_eq!(with_extra(json!(4)), Ok(Some(vec![4])));
        assert_eq!(with_extra(json!([2, "1"])), Ok(Some(vec![1, 2])));
        assert_eq!(with_extra(json!("")), Ok(None));
        assert_eq!(
            with_extra(json!("one, two")),
            Err(PayloadError::BadSeasons("\"one, two\"".into()))
        );
    }

    #[test]
    fn four_k_is_read_from_the_event_not_from_status4k() {
        let notification = |event: &str| {
            parse(json!({
                "notification_type": "MEDIA_APPROVED", "event": event,
                "media": {"media_type": "movie", "tmdbId": "603", "status4k": "PENDING"}
            }))
        };
        assert!(
            notification("4K Movie Request Approved")
                .media_request()
                .unwrap()
                .is_4k
        );
        assert!(
            !notification("Movie Request Approved")
                .media_request()
                .unwrap()
                .is_4k
        );
    }

    #[test]
    fn unusable_media_is_named_in_the_error() {
        let media = |media: Value| {
            parse(json!({"notification_type": "MEDIA_APPROVED", "media": media})).media_request()
        };
        assert_eq!(media(Value::Null), Err(PayloadError::MissingMedia));
        assert_eq!(
            media(json!({"media_type": "movie", "tmdbId": ""})),
            Err(PayloadError::MissingTmdbId)
        );
        assert_eq!(
            media(json!({"media_type": "movie", "tmdbId": "abc"})),
            Err(PayloadError::BadTmdbId("abc".into()))
        );
        assert_eq!(
            media(json!({"media_type": "movie", "tmdbId": "-4"})),
            Err(PayloadError::BadTmdbId("-4".into()))
        );
        assert_eq!(
            media(json!({"media_type": "music", "tmdbId": "603"})),
            Err(PayloadError::BadMediaType("music".into()))
        );
        assert_eq!(
            media(json!({"tmdbId": "603"})),
            Err(PayloadError::MissingMediaType)
        );
    }

    #[test]
    fn every_known_type_has_a_disposition() {
        for processed in ["MEDIA_APPROVED", "MEDIA_AUTO_APPROVED", "MEDIA_AVAILABLE"] {
            assert_eq!(disposition(processed), Disposition::Process);
        }
        for ignored in [
            "MEDIA_PENDING",
            "TEST_NOTIFICATION",
            "ISSUE_COMMENT",
            "SOMETHING_NEW",
        ] {
            assert!(
                matches!(disposition(ignored), Disposition::Ignore(_)),
                "{ignored}"
            );
        }
    }
}
