//! `[backup]`: where `plaza-manager backup` without a FILE (the nightly
//! timer of the Debian package) puts its dated copies, and how many it keeps.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::Settings;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BackupSettings {
    /// Folder of the dated copies; relative to `data_dir` unless absolute.
    pub dir: PathBuf,
    /// Dated copies kept there: after each new one, older ones are deleted.
    pub keep: u32,
}

impl Default for BackupSettings {
    fn default() -> Self {
        Self {
            dir: PathBuf::from("backups"),
            keep: 7,
        }
    }
}

impl Settings {
    /// The folder of the dated copies.
    pub fn backup_dir(&self) -> PathBuf {
        self.data_dir.join(&self.backup.dir)
    }
}
