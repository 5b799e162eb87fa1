use std::fmt;

/// Why a torrent is not tried, in words for the UI ("rejected: CAM").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// A quality the profile refuses (CAM, TeleSync …).
    Quality(String),
    /// Flagged as trash by the parser for another reason (clean audio, a screener tag).
    Trash,
    Adult,
    Excluded(String),
    NotRequired,
    ThreeD,
    /// The parsed title matches none of TMDb's titles.
    OtherTitle(String),
    WrongYear(u16),
    /// Seasons or episodes in the name, but a movie was asked for.
    TvRelease,
    /// A show was asked for, but the name has no season or episode.
    NotTv,
    /// Episodes without a season, and more than one season wanted.
    NoSeason,
    OtherSeason(Vec<u32>),
    OtherEpisodes,
    Resolution(String),
    UnknownResolution,
    TooSmall(u64),
    TooBig(u64),
    LowScore(i64),
}

impl Rejection {
    /// The reason without its particulars, to count alike ones: "wrong year", "CAM".
    pub fn group(&self) -> String {
        match self {
            Self::Quality(quality) => quality.clone(),
            Self::Resolution(resolution) => resolution.clone(),
            Self::Excluded(_) => "excluded".into(),
            Self::OtherTitle(_) => "other title".into(),
            Self::WrongYear(_) => "wrong year".into(),
            Self::OtherSeason(_) => "other season".into(),
            Self::TooSmall(_) => "too small".into(),
            Self::TooBig(_) => "too big".into(),
            Self::LowScore(_) => "low score".into(),
            other => other.to_string(),
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Quality(quality) => f.write_str(quality),
            Self::Trash => f.write_str("trash"),
            Self::Adult => f.write_str("adult"),
            Self::Excluded(pattern) => write!(f, "excluded by /{pattern}/"),
            Self::NotRequired => f.write_str("no required word"),
            Self::ThreeD => f.write_str("3D"),
            Self::OtherTitle(title) => write!(f, "other title ({title:?})"),
            Self::WrongYear(year) => write!(f, "wrong year ({year})"),
            Self::TvRelease => f.write_str("a TV release"),
            Self::NotTv => f.write_str("not a TV release"),
            Self::NoSeason => f.write_str("no season number"),
            Self::OtherSeason(seasons) => {
                let list: Vec<String> = seasons.iter().map(|s| format!("S{s:02}")).collect();
                write!(f, "other season ({})", list.join(", "))
            }
            Self::OtherEpisodes => f.write_str("other episodes"),
            Self::Resolution(resolution) => write!(f, "{resolution} not in the profile"),
            Self::UnknownResolution => f.write_str("no resolution"),
            Self::TooSmall(size) => write!(f, "too small ({})", human_size(*size)),
            Self::TooBig(size) => write!(f, "too big ({})", human_size(*size)),
            Self::LowScore(score) => write!(f, "score too low ({score})"),
        }
    }
}

/// "700 MB", "18.7 GB".
pub fn human_size(bytes: u64) -> String {
    let bytes = bytes as f64;
    if bytes >= 1e9 {
        format!("{:.1} GB", bytes / 1e9)
    } else {
        format!("{:.0} MB", bytes / 1e6)
    }
}
