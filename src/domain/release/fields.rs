//! The fields handlers fill, and how a handler's value lands in [`Release`] (PTT's
//! `result[name] = …`, including its list-append semantics).

use super::Release;
use super::transform::Value;

/// The fields a handler can fill, one per PTT result key.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Field {
    Title,
    Year,
    Date,
    Resolution,
    Quality,
    Codec,
    BitDepth,
    Hdr,
    Audio,
    Channels,
    Languages,
    Seasons,
    Episodes,
    Volumes,
    Complete,
    Trash,
    ThreeD,
    Group,
    Edition,
    Proper,
    Repack,
    Remastered,
    Unrated,
    Uncensored,
    Retail,
    Adult,
    Dubbed,
    Subbed,
    Upscaled,
    Convert,
    Hardcoded,
    Documentary,
    Commentary,
    Ppv,
    Scene,
    Torrent,
    Extras,
    Site,
    Network,
    Country,
    Region,
    Container,
    Extension,
    Size,
    Bitrate,
    EpisodeCode,
}

pub(super) const FIELD_COUNT: usize = Field::EpisodeCode as usize + 1;

/// Whether the field has a value (PTT's `name in result`; the title is tracked apart).
pub(super) fn present(r: &Release, field: Field) -> bool {
    match field {
        Field::Year => r.year.is_some(),
        Field::Date => r.date.is_some(),
        Field::Resolution => r.resolution.is_some(),
        Field::Quality => r.quality.is_some(),
        Field::Codec => r.codec.is_some(),
        Field::BitDepth => r.bit_depth.is_some(),
        Field::Hdr => !r.hdr.is_empty(),
        Field::Audio => !r.audio.is_empty(),
        Field::Channels => !r.channels.is_empty(),
        Field::Languages => !r.languages.is_empty(),
        Field::Seasons => !r.seasons.is_empty(),
        Field::Episodes => !r.episodes.is_empty(),
        Field::Volumes => !r.volumes.is_empty(),
        Field::Extras => !r.extras.is_empty(),
        Field::Group => r.group.is_some(),
        Field::Edition => r.edition.is_some(),
        Field::Site => r.site.is_some(),
        Field::Network => r.network.is_some(),
        Field::Country => r.country.is_some(),
        Field::Region => r.region.is_some(),
        Field::Container => r.container.is_some(),
        Field::Extension => r.extension.is_some(),
        Field::Size => r.size.is_some(),
        Field::Bitrate => r.bitrate.is_some(),
        Field::EpisodeCode => r.episode_code.is_some(),
        Field::Title => false,
        other => *flag_of(r, other),
    }
}

fn flag_of(r: &Release, field: Field) -> &bool {
    match field {
        Field::Complete => &r.complete,
        Field::Trash => &r.trash,
        Field::ThreeD => &r.three_d,
        Field::Proper => &r.proper,
        Field::Repack => &r.repack,
        Field::Remastered => &r.remastered,
        Field::Unrated => &r.unrated,
        Field::Uncensored => &r.uncensored,
        Field::Retail => &r.retail,
        Field::Adult => &r.adult,
        Field::Dubbed => &r.dubbed,
        Field::Subbed => &r.subbed,
        Field::Upscaled => &r.upscaled,
        Field::Convert => &r.convert,
        Field::Hardcoded => &r.hardcoded,
        Field::Documentary => &r.documentary,
        Field::Commentary => &r.commentary,
        Field::Ppv => &r.ppv,
        Field::Scene => &r.scene,
        _ => &r.torrent,
    }
}

/// Stores a handler's value the way PTT's `result[name] = …` does.
pub(super) fn value_into(r: &mut Release, field: Field, value: Value) {
    match value {
        Value::Flag => set_flag(r, field),
        Value::Uniq(s) => {
            let list = match field {
                Field::Hdr => &mut r.hdr,
                Field::Audio => &mut r.audio,
                Field::Channels => &mut r.channels,
                Field::Extras => &mut r.extras,
                _ => &mut r.languages,
            };
            if !list.iter().any(|x| x == s) {
                list.push(s.to_owned());
            }
        }
        Value::Int(n) => r.year = u16::try_from(n).ok(),
        Value::Ints(n) => match field {
            Field::Seasons => r.seasons = n,
            Field::Episodes => r.episodes = n,
            _ => r.volumes = n,
        },
        Value::Str(s) => {
            let slot = match field {
                Field::Date => &mut r.date,
                Field::Resolution => &mut r.resolution,
                Field::Quality => &mut r.quality,
                Field::Codec => &mut r.codec,
                Field::BitDepth => &mut r.bit_depth,
                Field::Group => &mut r.group,
                Field::Edition => &mut r.edition,
                Field::Site => &mut r.site,
                Field::Network => &mut r.network,
                Field::Country => &mut r.country,
                Field::Region => &mut r.region,
                Field::Container => &mut r.container,
                Field::Extension => &mut r.extension,
                Field::Size => &mut r.size,
                Field::Bitrate => &mut r.bitrate,
                Field::EpisodeCode => &mut r.episode_code,
                // The title handlers only mark the title as found; it is rebuilt at the end.
                _ => return,
            };
            *slot = Some(s);
        }
    }
}

fn set_flag(r: &mut Release, field: Field) {
    let flag = match field {
        Field::Complete => &mut r.complete,
        Field::Trash => &mut r.trash,
        Field::ThreeD => &mut r.three_d,
        Field::Proper => &mut r.proper,
        Field::Repack => &mut r.repack,
        Field::Remastered => &mut r.remastered,
        Field::Unrated => &mut r.unrated,
        Field::Uncensored => &mut r.uncensored,
        Field::Retail => &mut r.retail,
        Field::Adult => &mut r.adult,
        Field::Dubbed => &mut r.dubbed,
        Field::Subbed => &mut r.subbed,
        Field::Upscaled => &mut r.upscaled,
        Field::Convert => &mut r.convert,
        Field::Hardcoded => &mut r.hardcoded,
        Field::Documentary => &mut r.documentary,
        Field::Commentary => &mut r.commentary,
        Field::Ppv => &mut r.ppv,
        Field::Scene => &mut r.scene,
        Field::Torrent => &mut r.torrent,
        _ => return,
    };
    *flag = true;
}
