//! The library as files other programs read: `.strm` files in the folder layout Jellyfin,
//! Emby and Kodi expect, and an M3U playlist. Each entry is a play URL (`/play/{token}`), which
//! resolves at play time, so neither goes stale.

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

/// Writes one `.strm` file per library file under `folder`; returns how many.
pub fn export_strm(
    folder: &Path,
    files: &[File],
    play_url: impl Fn(&File) -> String,
) -> std::io::Result<usize> {
    for file in files {
        let path = folder.join(strm_path(file));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, format!("{}\n", play_url(file)))?;
    }
    Ok(files.len())
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
