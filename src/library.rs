//! The library as files other programs read: `.strm` files in the folder layout Jellyfin,
//! Emby and Kodi expect, and an M3U playlist. Each entry is a play URL (`/play/{token}`), which
//! resolves at play time, so neither goes stale.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::db::files::File;

/// "The Matrix (1999)".
fn named(file: &File) -> String {
    let title = clean(&file.title);
    match file.year {
        Some(year) => format!("{title} ({year})"),
        None => title,
    }
}

/// Characters no file system likes, and leading dots, out of a name.
fn clean(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let words = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    // No leading dots (hidden files, "..") whatever mix of dots and spaces a title starts with.
    let name = words.trim_start_matches(['.', ' ']);
    match name.is_empty() {
        true => "Untitled".to_owned(),
        false => name.to_owned(),
    }
}

/// `Movies/The Matrix (1999)/The Matrix (1999).strm`,
/// `Shows/Breaking Bad (2008)/Season 01/Breaking Bad S01E01.strm`.
pub fn strm_path(file: &File) -> PathBuf {
    match (file.season_number, file.episode_number) {
        (Some(season), Some(episode)) => PathBuf::from("Shows")
            .join(named(file))
            .join(format!("Season {season:02}"))
            .join(format!(
                "{} S{season:02}E{episode:02}.strm",
                clean(&file.title)
            )),
        _ => PathBuf::from("Movies")
            .join(named(file))
            .join(format!("{}.strm", named(file))),
    }
}

/// What an export did.
#[derive(Debug)]
pub struct Exported {
    pub written: usize,
    /// `.strm` files of streams the library no longer has.
    pub removed: usize,
}

/// Writes one `.strm` file per library file under `folder`, and removes the `.strm` files
/// under its `Movies` and `Shows` that are not the library's any more (nothing else).
pub fn export_strm(
    folder: &Path,
    files: &[File],
    play_url: impl Fn(&File) -> String,
) -> std::io::Result<Exported> {
    let mut written = HashSet::new();
    for file in files {
        let path = folder.join(strm_path(file));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, format!("{}\n", play_url(file)))?;
        written.insert(path);
    }
    let mut removed = 0;
    for tree in ["Movies", "Shows"] {
        for path in strm_files(&folder.join(tree))? {
            if !written.contains(&path) {
                std::fs::remove_file(&path)?;
                removed += 1;
            }
        }
    }
    Ok(Exported {
        written: written.len(),
        removed,
    })
}

/// Every `.strm` file below `dir` (none if it does not exist).
fn strm_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(found),
        Err(error) => return Err(error),
    };
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            found.extend(strm_files(&path)?);
        } else if path.extension().is_some_and(|ext| ext == "strm") {
            found.push(path);
        }
    }
    Ok(found)
}

/// An extended M3U playlist of every file.
pub fn m3u(files: &[File], play_url: impl Fn(&File) -> String) -> String {
    let mut playlist = String::from("#EXTM3U\n");
    for file in files {
        let name = match (file.season_number, file.episode_number) {
            (Some(s), Some(e)) => format!("{} S{s:02}E{e:02}", named(file)),
            _ => named(file),
        };
        let group = if file.media_type == "tv" {
            "Shows"
        } else {
            "Movies"
        };
        let _ = write!(
            playlist,
            "#EXTINF:-1 group-title=\"{group}\",{}\n{}\n",
            name.replace(['\n', '\r', ','], " "),
            play_url(file)
        );
    }
    playlist
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(title: &str, year: Option<i64>, episode: Option<(i64, i64)>) -> File {
        File {
            id: 1,
            media_item_id: 1,
            request_id: None,
            season_number: episode.map(|(s, _)| s),
            episode_number: episode.map(|(_, e)| e),
            info_hash: String::new(),
            rd_torrent_id: String::new(),
            path: String::new(),
            size_bytes: 0,
            restricted_link: String::new(),
            resolution: None,
            quality: None,
            play_token: "t".into(),
            broken: None,
            added_at: String::new(),
            title: title.into(),
            year,
            media_type: if episode.is_some() { "tv" } else { "movie" }.into(),
        }
    }

    #[test]
    fn strm_files_follow_the_media_servers_layout() {
        assert_eq!(
            strm_path(&file("The Matrix", Some(1999), None)),
            Path::new("Movies/The Matrix (1999)/The Matrix (1999).strm")
        );
        assert_eq!(
            strm_path(&file("Breaking Bad", Some(2008), Some((1, 1)))),
            Path::new("Shows/Breaking Bad (2008)/Season 01/Breaking Bad S01E01.strm")
        );
        assert_eq!(
            strm_path(&file("../Face/Off: <2>", None, None)),
            Path::new("Movies/Face Off 2/Face Off 2.strm"),
            "no way out of the folder, nothing a file system refuses"
        );
        assert_eq!(clean(". .. ."), "Untitled");
        assert_eq!(clean(". ..Hidden"), "Hidden");
    }

    #[test]
    fn an_export_mirrors_the_library_and_leaves_other_files_alone() {
        let folder = tempfile::TempDir::new().unwrap();
        let url = |f: &File| format!("http://nas:8000/play/{}", f.play_token);
        let both = [
            file("The Matrix", Some(1999), None),
            file("Heat", Some(1995), None),
        ];
        let first = export_strm(folder.path(), &both, url).unwrap();
        assert_eq!((first.written, first.removed), (2, 0));
        let notes = folder.path().join("Movies/Heat (1995)/notes.txt");
        std::fs::write(&notes, "mine").unwrap();

        let again = export_strm(folder.path(), &both[..1], url).unwrap();
        assert_eq!((again.written, again.removed), (1, 1));
        assert!(
            !folder
                .path()
                .join("Movies/Heat (1995)/Heat (1995).strm")
                .exists()
        );
        assert!(notes.exists(), "only .strm files are removed");
        let matrix = folder
            .path()
            .join("Movies/The Matrix (1999)/The Matrix (1999).strm");
        assert_eq!(
            std::fs::read_to_string(matrix).unwrap(),
            "http://nas:8000/play/t\n"
        );
    }

    #[test]
    fn the_playlist_lists_every_file_with_its_play_url() {
        let files = [
            file("The Matrix", Some(1999), None),
            file("Breaking Bad", Some(2008), Some((1, 2))),
        ];
        let playlist = m3u(&files, |f| format!("http://nas:8000/play/{}", f.play_token));
        assert_eq!(
            playlist,
            "#EXTM3U\n#EXTINF:-1 group-title=\"Movies\",The Matrix (1999)\nhttp://nas:8000/play/t\n\
             #EXTINF:-1 group-title=\"Shows\",Breaking Bad (2008) S01E02\nhttp://nas:8000/play/t\n"
        );
    }
}
