//! The kiosk's identity after enrolment, kept in the data folder (mode 0600).

use std::io::Write;
use std::path::{Path, PathBuf};

use plaza_client::KioskToken;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

const FILE_NAME: &str = "credentials.json";

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    pub manager_url: String,
    pub kiosk_id: Uuid,
    pub token: String,
    pub centre: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Credentials")
            .field("manager_url", &self.manager_url)
            .field("kiosk_id", &self.kiosk_id)
            .field("token", &"<redacted>")
            .field("centre", &self.centre)
            .finish()
    }
}

/// What the client presents to the manager.
impl From<&Credentials> for KioskToken {
    fn from(credentials: &Credentials) -> Self {
        Self {
            kiosk_id: credentials.kiosk_id,
            token: credentials.token.clone(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    #[error("cannot read or write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is damaged: {source}; enrol again with --enroll CODE")]
    Damaged {
        path: PathBuf,
        source: serde_json::Error,
    },
}

pub fn path_in(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE_NAME)
}

impl Credentials {
    /// The saved credentials, or `None` when the kiosk was never enrolled.
    /// A file others can read (group or world bits set, say after a copy or
    /// a restore) is repaired to 0600 and the repair logged; the token may
    /// already have been read, so re-enrol a kiosk whose machine is shared.
    pub fn load(data_dir: &Path) -> Result<Option<Self>, CredentialsError> {
        let path = path_in(data_dir);
        #[cfg(unix)]
        repair_mode(&path)?;
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|source| CredentialsError::Damaged { path, source }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(CredentialsError::Io { path, source }),
        }
    }

    /// Saves atomically (temporary file, then rename), readable by the owner only.
    pub fn save(&self, data_dir: &Path) -> Result<(), CredentialsError> {
        let path = path_in(data_dir);
        let temporary = data_dir.join(format!("{FILE_NAME}.tmp"));
        let io = |source| CredentialsError::Io {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(data_dir).map_err(io)?;
        let body = serde_json::to_vec_pretty(self).map_err(|source| CredentialsError::Damaged {
            path: path.clone(),
            source,
        })?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&temporary).map_err(io)?;
        file.write_all(&body).map_err(io)?;
        file.sync_all().map_err(io)?;
        std::fs::rename(&temporary, &path).map_err(io)?;
        Ok(())
    }
}

/// Takes the group and world bits off `path`, if it exists.
#[cfg(unix)]
fn repair_mode(path: &Path) -> Result<(), CredentialsError> {
    use std::os::unix::fs::PermissionsExt;
    let io = |source| CredentialsError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mode = match std::fs::metadata(path) {
        Ok(metadata) => metadata.permissions().mode() & 0o777,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(io(error)),
    };
    if mode & 0o077 != 0 {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
        tracing::warn!(
            path = %path.display(),
            was = format!("{mode:o}"),
            "credentials were readable by others; mode set to 0600"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_credentials_round_trip_and_only_the_owner_can_read_them() {
        let folder = tempfile::tempdir().expect("folder");
        assert_eq!(Credentials::load(folder.path()).expect("load"), None);
        let credentials = Credentials {
            manager_url: "http://127.0.0.1:8080".to_owned(),
            kiosk_id: Uuid::now_v7(),
            token: "pzk_secret".to_owned(),
            centre: "Centro".to_owned(),
        };
        credentials.save(folder.path()).expect("save");
        assert_eq!(
            Credentials::load(folder.path()).expect("load"),
            Some(credentials.clone())
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path_in(folder.path()))
                .expect("metadata")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(!format!("{credentials:?}").contains("pzk_secret"));
    }

    #[cfg(unix)]
    #[test]
    fn a_file_others_can_read_is_set_back_to_owner_only_on_load() {
        use std::os::unix::fs::PermissionsExt;
        let folder = tempfile::tempdir().expect("folder");
        let credentials = Credentials {
            manager_url: "http://127.0.0.1:8080".to_owned(),
            kiosk_id: Uuid::now_v7(),
            token: "pzk_secret".to_owned(),
            centre: "Centro".to_owned(),
        };
        credentials.save(folder.path()).expect("save");
        let path = path_in(folder.path());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        assert_eq!(
            Credentials::load(folder.path()).expect("load"),
            Some(credentials)
        );
        let mode = std::fs::metadata(&path)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
