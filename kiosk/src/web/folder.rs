//! The session's own folder: the browser's profile and its downloads, in
//! one place the end of the session deletes.
//!
//! Every session folder lives under one root (`<data_dir>/web`), so a
//! kiosk that starts after a crash finds and deletes whatever a session
//! left ([`delete_all`], after `web::clear_leftovers` ended its browser).

use std::path::{Path, PathBuf};

use uuid::Uuid;

use super::WebError;

/// Folder under the kiosk's data folder that holds session folders.
pub const WEB_ROOT: &str = "web";

/// One session's folder: `<root>/session-<id>/{profile,downloads}`.
#[derive(Debug)]
pub struct SessionFolder {
    path: PathBuf,
}

impl SessionFolder {
    /// Creates the folder of session `id` under `root` (mode 0700).
    pub fn create(root: &Path, id: Uuid) -> Result<Self, WebError> {
        let path = root.join(format!("session-{}", id.simple()));
        let io = |error: std::io::Error| WebError::Folder(format!("{}: {error}", path.display()));
        std::fs::create_dir_all(root).map_err(io)?;
        std::fs::DirBuilder::new()
            .mode(0o700)
            .recursive(true)
            .create(path.join("profile"))
            .map_err(io)?;
        std::fs::create_dir_all(path.join("downloads")).map_err(io)?;
        Ok(Self { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The browser's user data folder.
    pub fn profile(&self) -> PathBuf {
        self.path.join("profile")
    }

    pub fn downloads(&self) -> PathBuf {
        self.path.join("downloads")
    }

    /// Deletes the folder and everything in it.
    pub fn delete(self) -> Result<(), WebError> {
        remove(&self.path)
    }
}

use std::os::unix::fs::DirBuilderExt;

fn remove(path: &Path) -> Result<(), WebError> {
    match std::fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(WebError::Folder(format!(
            "cannot delete {}: {error}",
            path.display()
        ))),
    }
}

/// Deletes every session folder under `root` (at start, once the browser a
/// crash left is ended: `web::clear_leftovers`). Returns how many.
pub fn delete_all(root: &Path) -> Result<usize, WebError> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Ok(0);
    };
    let mut deleted = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            remove(&path)?;
            deleted += 1;
        }
    }
    Ok(deleted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leftover_folder_is_deleted_at_start() {
        let root = tempfile::tempdir().expect("temp");
        let folder = SessionFolder::create(root.path(), Uuid::now_v7()).expect("create");
        std::fs::write(folder.downloads().join("recibo.pdf"), "x").expect("write");
        let path = folder.path().to_owned();
        drop(folder);
        assert_eq!(delete_all(root.path()).expect("clear"), 1);
        assert!(!path.exists());
    }
}
