//! Posters for notifications: downloaded once into the data folder's cache and reused, since
//! notification servers want a file, not a URL. Offline there is simply no image.

use std::path::{Path, PathBuf};
use std::time::Duration;

use linkarr::clients::tmdb::{POSTER_SIZE, image_url};

/// A notification waits for its poster at most this long: late news is worse than no image.
const PATIENCE: Duration = Duration::from_secs(5);
/// TMDb's w342 posters are tens of KB; anything much larger is not a poster.
const LARGEST: usize = 2 << 20;
/// A title is notified about around the days it is asked for; older posters only take space.
const KEPT_FOR: Duration = Duration::from_secs(30 * 24 * 3600);

pub struct Posters {
    dir: PathBuf,
    http: reqwest::Client,
}

impl Posters {
    pub fn new(dir: PathBuf) -> Self {
        Self {
            dir,
            http: linkarr::clients::http_client(),
        }
    }

    /// The poster's file, downloaded from `base` (TMDb's image base) unless cached. None when
    /// it cannot be had; why is only worth a debug line.
    pub async fn get(&self, base: &str, poster_path: &str) -> Option<PathBuf> {
        let path = self.dir.join(file_name(poster_path)?);
        // One stat: not worth a trip to a blocking thread.
        if path.is_file() {
            return Some(path);
        }
        let url = image_url(base, POSTER_SIZE, Some(poster_path))?;
        let bytes = match tokio::time::timeout(PATIENCE, self.download(&url)).await {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(error)) => {
                tracing::debug!("No poster for the notification ({url}): {error}");
                return None;
            }
            Err(_) => {
                tracing::debug!("No poster for the notification ({url}): too slow");
                return None;
            }
        };
        let written = path.clone();
        match super::on_blocking_thread(move || save(&written, &bytes)).await {
            Ok(()) => Some(path),
            Err(error) => {
                tracing::debug!("Could not keep the poster {}: {error}", path.display());
                None
            }
        }
    }

    /// Forgets posters older than `KEPT_FOR`.
    pub async fn prune(&self) {
        let dir = self.dir.clone();
        let pruned = super::on_blocking_thread(move || {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                return Ok(()); // Nothing cached yet.
            };
            for entry in entries.flatten() {
                let age = entry
                    .metadata()
                    .and_then(|metadata| metadata.modified())
                    .ok()
                    .and_then(|modified| modified.elapsed().ok());
                if age.is_some_and(|age| age > KEPT_FOR) {
                    std::fs::remove_file(entry.path())?;
                }
            }
            Ok(())
        })
        .await;
        if let Err(error) = pruned {
            tracing::debug!("Could not prune the notification posters: {error}");
        }
    }

    async fn download(&self, url: &str) -> Result<Vec<u8>, String> {
        let mut response = self
            .http
            .get(url)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|error| error.to_string())?;
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|error| error.to_string())? {
            if body.len() + chunk.len() > LARGEST {
                return Err("larger than a poster".to_owned());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

/// Written beside, then renamed: a poster half written when Linkarr stops is never shown.
fn save(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let partial = path.with_extension("partial");
    std::fs::write(&partial, bytes)?;
    std::fs::rename(&partial, path)
}

/// The cache's name for TMDb's `/abc.jpg`: `w342-abc.jpg`. None for anything that is not a
/// plain file name, so a path from the database can never point outside the cache.
fn file_name(poster_path: &str) -> Option<String> {
    let name = poster_path.strip_prefix('/').unwrap_or(poster_path);
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    plain.then(|| format!("{POSTER_SIZE}-{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tmdb_poster_path_becomes_a_file_name_with_its_size() {
        assert_eq!(
            file_name("/f89U3ADr1oiB1s9GkdPOEpXUk5H.jpg").as_deref(),
            Some("w342-f89U3ADr1oiB1s9GkdPOEpXUk5H.jpg")
        );
    }

    #[test]
    fn anything_but_a_plain_file_name_is_refused() {
        for path in [
            "",
            "/",
            "/../../etc/passwd",
            "/a/b.jpg",
            "/.hidden",
            "/a b.jpg",
        ] {
            assert_eq!(file_name(path), None, "{path:?}");
        }
    }
}
