//! One server per data folder. `serve` holds an exclusive lock on
//! `DATA_DIR/manager.lock` for as long as it runs; `restore` and `migrate`
//! take the same lock, so neither replaces or reshapes a database under a
//! running server, and a second `serve` on the folder is refused.
//!
//! The lock is the kernel's (`flock`): it goes with the process, so a server
//! killed with `kill -9` never leaves a stale lock behind. The file is never
//! deleted (deleting it would let two processes lock two different files);
//! it only holds who locked it, for the refusal message.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::{StorageError, StorageResult};

pub const LOCK_FILE: &str = "manager.lock";

/// Held while alive; dropping it (or the process ending) releases the folder.
#[derive(Debug)]
pub struct DataFolderLock {
    _file: File,
    path: PathBuf,
}

impl DataFolderLock {
    /// Takes the lock of `data_dir` for `purpose` (`serve`, `restore`, …),
    /// or says which process holds it.
    pub fn acquire(data_dir: &Path, purpose: &str) -> StorageResult<Self> {
        std::fs::create_dir_all(data_dir).map_err(|error| {
            StorageError::Unavailable(format!("cannot create {}: {error}", data_dir.display()))
        })?;
        let path = data_dir.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|error| {
                StorageError::Unavailable(format!("cannot open {}: {error}", path.display()))
            })?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = match holder.trim() {
                    "" => "another plaza-manager".to_owned(),
                    holder => holder.to_owned(),
                };
                return Err(StorageError::Conflict(format!(
                    "the data folder {} is in use ({holder}); stop that process first \
                     (for the service: systemctl stop plaza-manager)",
                    data_dir.display()
                )));
            }
            Err(TryLockError::Error(error)) => {
                return Err(StorageError::Unavailable(format!(
                    "cannot lock {}: {error}",
                    path.display()
                )));
            }
        }
        let holder = format!(
            "plaza-manager {purpose}, pid {}, since {}",
            std::process::id(),
            jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ")
        );
        // Who holds the lock is a courtesy for the message above; failing to
        // write it does not make the lock any less held.
        let _ = file
            .set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| writeln!(file, "{holder}"));
        Ok(Self { _file: file, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_folder_is_refused_until_the_first_is_dropped() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let first = DataFolderLock::acquire(folder.path(), "serve").expect("first lock");
        let error = DataFolderLock::acquire(folder.path(), "restore").expect_err("second lock");
        let message = error.to_string();
        assert!(message.contains("in use"), "{message}");
        assert!(message.contains("plaza-manager serve, pid"), "{message}");
        drop(first);
        DataFolderLock::acquire(folder.path(), "restore").expect("lock after release");
    }
}
