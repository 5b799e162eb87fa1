use std::fmt;

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MediaType {
    Movie,
    Tv,
}

impl MediaType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Movie => "movie",
            Self::Tv => "tv",
        }
    }
}

impl fmt::Display for MediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What somebody asked for, as far as the request itself says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaRequest {
    pub media_type: MediaType,
    pub tmdb_id: i64,
    pub tvdb_id: Option<i64>,
    pub is_4k: bool,
    /// Season numbers asked for; `None` means every aired season.
    pub seasons: Option<Vec<u32>>,
    /// Overseerr's own id for the request, when it sent one.
    pub overseerr_request_id: Option<i64>,
    /// "Title (Year)" as Overseerr wrote it; shown until TMDb metadata arrives.
    pub subject: String,
    pub requested_by: String,
}

impl MediaRequest {
    /// How a repeat of this request is recognised. Overseerr's request id is the truth when
    /// present (it re-sends MEDIA_APPROVED on every edit, and MEDIA_AVAILABLE later); without
    /// one, the same title, quality and seasons count as the same request.
    pub fn dedupe_key(&self) -> String {
        match self.overseerr_request_id {
            Some(id) => format!("overseerr:{id}"),
            None => {
                let quality = if self.is_4k { "4k" } else { "hd" };
                let seasons = match &self.seasons {
                    Some(list) => list
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(","),
                    None => "all".to_owned(),
                };
                format!("{}:{}:{quality}:{seasons}", self.media_type, self.tmdb_id)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(overseerr_request_id: Option<i64>) -> MediaRequest {
        MediaRequest {
            media_type: MediaType::Tv,
            tmdb_id: 1396,
            tvdb_id: Some(81189),
            is_4k: false,
            seasons: Some(vec![1, 2]),
            overseerr_request_id,
            subject: "Breaking Bad (2008)".into(),
            requested_by: "friend".into(),
        }
    }

    #[test]
    fn overseerr_request_id_is_the_identity_when_present() {
        assert_eq!(request(Some(11)).dedupe_key(), "overseerr:11");
    }

    #[test]
    fn without_a_request_id_title_quality_and_seasons_identify_it() {
        let hd = request(None);
        let uhd = MediaRequest {
            is_4k: true,
            ..hd.clone()
        };
        let all = MediaRequest {
            seasons: None,
            ..hd.clone()
        };
        assert_eq!(hd.dedupe_key(), "tv:1396:hd:1,2");
        assert_eq!(uhd.dedupe_key(), "tv:1396:4k:1,2");
        assert_eq!(all.dedupe_key(), "tv:1396:hd:all");
    }
}
