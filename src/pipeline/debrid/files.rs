//! Which files of a torrent to ask Real-Debrid for, and which movie or episode each one is.

use std::collections::BTreeSet;

use crate::clients::realdebrid::types::TorrentFile;
use crate::domain::release;

const VIDEO: [&str; 11] = [
    "mkv", "mp4", "avi", "m4v", "mov", "ts", "m2ts", "wmv", "webm", "mpg", "mpeg",
];
/// Folders of what is not the feature.
const EXTRA_FOLDERS: [&str; 10] = [
    "sample",
    "samples",
    "extras",
    "featurettes",
    "trailers",
    "bonus",
    "behind the scenes",
    "deleted scenes",
    "interviews",
    "other",
];
/// Words that mark a file itself as a sample or trailer, at the end of its name
/// ("movie-sample.mkv"; "sample-movie.mkv" too).
const EXTRA_WORDS: [&str; 2] = ["sample", "trailer"];
/// Smaller than this is not a movie or an episode.
const SMALLEST_VIDEO: u64 = 30_000_000;

/// A file to select, and the episode(s) it holds (none for a movie).
#[derive(Clone, Debug, PartialEq)]
pub struct Wanted {
    pub file_id: u64,
    pub episodes: Vec<(u32, u32)>,
}

fn is_video(file: &TorrentFile) -> bool {
    let path = file.path.to_lowercase();
    let mut parts: Vec<&str> = path.split('/').filter(|part| !part.is_empty()).collect();
    let Some(name) = parts.pop() else {
        return false;
    };
    let (stem, extension) = name.rsplit_once('.').unwrap_or((name, ""));
    // Whole folder names and whole words only: "Trailer Park Boys" is a show, not a trailer.
    let in_extras = parts.iter().any(|folder| EXTRA_FOLDERS.contains(folder));
    let words: Vec<&str> = stem.split(|c: char| !c.is_alphanumeric()).collect();
    let marked = words.last().is_some_and(|word| EXTRA_WORDS.contains(word))
        || words.first() == Some(&"sample");
    VIDEO.contains(&extension) && !in_extras && !marked && file.bytes >= SMALLEST_VIDEO
}

/// A movie: its largest video file.
pub fn for_movie(files: &[TorrentFile]) -> Option<Wanted> {
    files
        .iter()
        .filter(|file| is_video(file))
        .max_by_key(|file| file.bytes)
        .map(|file| Wanted {
            file_id: file.id,
            episodes: Vec::new(),
        })
}

/// A show: the video files of the episodes still missing, read from their names. A file
/// without a season number belongs to the torrent's only season, when it has one.
pub fn for_episodes(
    files: &[TorrentFile],
    missing: &BTreeSet<(u32, u32)>,
    torrent_seasons: &[u32],
) -> Vec<Wanted> {
    let videos: Vec<&TorrentFile> = files.iter().filter(|file| is_video(file)).collect();
    let names = videos
        .iter()
        .map(|file| file.path.rsplit('/').next().unwrap_or(&file.path));
    // Every name in one trip to the parser thread.
    let releases = release::parse_all(names);
    videos
        .into_iter()
        .zip(releases)
        .filter_map(|(file, parsed)| {
            let season = match (parsed.seasons.as_slice(), torrent_seasons) {
                ([season, ..], _) | ([], [season]) => *season,
                _ => return None,
            };
            let episodes: Vec<(u32, u32)> = parsed
                .episodes
                .iter()
                .map(|episode| (season, *episode))
                .filter(|key| missing.contains(key))
                .collect();
            (!episodes.is_empty()).then_some(Wanted {
                file_id: file.id,
                episodes,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(id: u64, path: &str, megabytes: u64) -> TorrentFile {
        TorrentFile {
            id,
            path: path.into(),
            bytes: megabytes * 1_000_000,
            selected: 0,
        }
    }

    #[test]
    fn a_movie_is_its_largest_video_file_never_a_sample() {
        let files = [
            file(1, "/The.Matrix.1999/Sample/the.matrix.sample.mkv", 3000),
            file(2, "/The.Matrix.1999/The.Matrix.1999.1080p.mkv", 2000),
            file(3, "/The.Matrix.1999/The.Matrix.1999.nfo", 9000),
            file(4, "/The.Matrix.1999/Featurettes/Making.Of.mkv", 2500),
        ];
        assert_eq!(for_movie(&files).unwrap().file_id, 2);
        assert!(for_movie(&files[2..3]).is_none());
    }

    #[test]
    fn titles_that_contain_extra_words_are_not_extras() {
        let files = [
            file(
                1,
                "/Trailer.Park.Boys.S01/Trailer.Park.Boys.S01E01.mkv",
                900,
            ),
            file(2, "/Extras.S01/Extras.S01E01.720p.mkv", 900),
            file(3, "/Extras.S01/Sample/Extras.S01E01.sample.mkv", 900),
            file(4, "/Free.Samples.2012/Free.Samples.2012.1080p.mkv", 2000),
        ];
        let missing: BTreeSet<(u32, u32)> = [(1, 1)].into();
        let ids: Vec<u64> = for_episodes(&files[..3], &missing, &[1])
            .iter()
            .map(|w| w.file_id)
            .collect();
        assert_eq!(ids, [1, 2]);
        assert_eq!(for_movie(&files[3..]).unwrap().file_id, 4);
    }

    #[test]
    fn a_pack_gives_the_missing_episodes_only() {
        let files = [
            file(1, "/Breaking.Bad.S01/Breaking.Bad.S01E01.720p.mkv", 900),
            file(2, "/Breaking.Bad.S01/Breaking.Bad.S01E02.720p.mkv", 900),
            file(3, "/Breaking.Bad.S01/Breaking.Bad.S01E03.720p.mkv", 900),
            file(4, "/Breaking.Bad.S01/Breaking.Bad.S01E02.sample.mkv", 90),
        ];
        let missing: BTreeSet<(u32, u32)> = [(1, 2), (1, 3), (1, 4)].into();
        let wanted = for_episodes(&files, &missing, &[1]);
        let ids: Vec<u64> = wanted.iter().map(|w| w.file_id).collect();
        assert_eq!(ids, [2, 3]);
        assert_eq!(wanted[0].episodes, [(1, 2)]);
    }
}
