//! The supervisor PIN's lockout, kept in the data folder so that restarting
//! the kiosk (pulling the plug) does not give another five guesses.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

const FILE_NAME: &str = "pin_lockout.json";

/// Wrong supervisor PINs in a row, and until when the PIN screen refuses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinLockout {
    pub wrong_pins: u32,
    pub locked_until: Option<Timestamp>,
}

pub fn path_in(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE_NAME)
}

impl PinLockout {
    /// The saved lockout; none saved, or one that cannot be read, is none
    /// (a damaged file is logged: the PIN still has to be right).
    pub fn load(data_dir: &Path) -> Self {
        let path = path_in(data_dir);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|error| {
                tracing::warn!(%error, path = %path.display(), "PIN lockout file unreadable");
                Self::default()
            }),
            Err(_) => Self::default(),
        }
    }

    /// Saves it (temporary file, then rename); a failure is logged, not fatal.
    pub fn save(&self, data_dir: &Path) {
        let path = path_in(data_dir);
        let temporary = data_dir.join(format!("{FILE_NAME}.tmp"));
        let written = std::fs::create_dir_all(data_dir)
            .and_then(|()| {
                serde_json::to_vec(self).map_err(|error| std::io::Error::other(error.to_string()))
            })
            .and_then(|body| std::fs::write(&temporary, body))
            .and_then(|()| std::fs::rename(&temporary, &path));
        if let Err(error) = written {
            tracing::error!(%error, path = %path.display(), "cannot save the PIN lockout");
        }
    }

    pub fn is_locked(&self) -> bool {
        self.locked_until.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lockout_survives_being_saved_and_loaded() {
        let folder = tempfile::tempdir().expect("folder");
        assert_eq!(PinLockout::load(folder.path()), PinLockout::default());
        let lockout = PinLockout {
            wrong_pins: 5,
            locked_until: Some(Timestamp::from_second(1_780_000_300).expect("time")),
        };
        lockout.save(folder.path());
        assert_eq!(PinLockout::load(folder.path()), lockout);
    }
}
