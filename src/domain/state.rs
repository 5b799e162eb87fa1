use std::fmt;

use serde::Serialize;
use utoipa::ToSchema;

/// Where a request stands (architecture doc, "States of a request").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    Received,
    Metadata,
    Searching,
    Adding,
    Downloading,
    Ready,
    /// Held back, with a reason and when it is tried next.
    Waiting,
    NotFound,
    Failed,
    Cancelled,
}

impl RequestState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Metadata => "metadata",
            Self::Searching => "searching",
            Self::Adding => "adding",
            Self::Downloading => "downloading",
            Self::Ready => "ready",
            Self::Waiting => "waiting",
            Self::NotFound => "not_found",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }
}

impl fmt::Display for RequestState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
