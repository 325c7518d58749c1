//! The keyed hash of an ID document number: HMAC-SHA-256 under a secret in
//! the data folder (`resident.key`, 32 random bytes, created 0600 on first
//! use, never in the database), over the number's digits. Its only job is
//! refusing a second verified account for one document; without the key,
//! the database does not tell which number a hash is of (a document number
//! has few enough digits that a plain hash would be guessed).
//!
//! Backups of the database do not hold the key, and restoring one does not
//! need it: everything else works, and only the "same document" check of
//! verifications made before would not match new ones if the key were lost.
//! Keep a copy of `resident.key` apart from the backups.

use std::io::Write;
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::{ApiError, ApiResult};

/// The key's file name in the data folder.
pub const KEY_FILE: &str = "resident.key";
const KEY_BYTES: usize = 32;

/// Digits in a document number, after dropping everything else.
const DIGITS_MIN: usize = 6;
const DIGITS_MAX: usize = 12;

/// The digits of a typed document number (`12.345.678` → `12345678`);
/// refused (422) when too short or long. The number is not in the message.
pub fn normalise(typed: &str) -> ApiResult<String> {
    let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
    if (DIGITS_MIN..=DIGITS_MAX).contains(&digits.len()) {
        Ok(digits)
    } else {
        Err(ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_document_number",
            format!("a document number has {DIGITS_MIN} to {DIGITS_MAX} digits"),
        ))
    }
}

/// The HMAC of a typed number under the data folder's key (created on first
/// use).
pub async fn document_hmac(data_dir: &Path, typed: &str) -> ApiResult<[u8; 32]> {
    let digits = normalise(typed)?;
    let path = data_dir.join(KEY_FILE);
    let key = tokio::task::spawn_blocking(move || load_or_create(&path))
        .await
        .map_err(|error| ApiError::internal(error.to_string()))?
        .map_err(|error| ApiError::internal(format!("resident key: {error}")))?;
    keyed(&key, &digits)
}

fn keyed(key: &[u8], digits: &str) -> ApiResult<[u8; 32]> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key)
        .map_err(|error| ApiError::internal(error.to_string()))?;
    mac.update(digits.as_bytes());
    Ok(mac.finalize().into_bytes().into())
}

/// Reads the key, or creates it: written to a private temporary file, then
/// linked into place, which fails if another request made it first (then
/// that one's key is read), so a half-written key is never read.
fn load_or_create(path: &Path) -> std::io::Result<Vec<u8>> {
    match std::fs::read(path) {
        Ok(key) if key.len() == KEY_BYTES => return Ok(key),
        Ok(_) => {
            return Err(std::io::Error::other(format!(
                "{} is not {KEY_BYTES} bytes",
                path.display()
            )));
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => return Err(error),
    }
    let mut key = vec![0; KEY_BYTES];
    getrandom::fill(&mut key).map_err(|error| std::io::Error::other(error.to_string()))?;
    let temporary = temporary_path(path)?;
    {
        use std::os::unix::fs::OpenOptionsExt;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&temporary)?;
        file.write_all(&key)?;
        file.sync_all()?;
    }
    let linked = std::fs::hard_link(&temporary, path);
    std::fs::remove_file(&temporary)?;
    match linked {
        Ok(()) => Ok(key),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => std::fs::read(path),
        Err(error) => Err(error),
    }
}

fn temporary_path(path: &Path) -> std::io::Result<PathBuf> {
    let mut suffix = [0u8; 8];
    getrandom::fill(&mut suffix).map_err(|error| std::io::Error::other(error.to_string()))?;
    let suffix: String = suffix.iter().map(|byte| format!("{byte:02x}")).collect();
    Ok(path.with_extension(format!("key.{suffix}.partial")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_digits_count() {
        assert_eq!(normalise("12.345.678").ok().as_deref(), Some("12345678"));
        assert_eq!(normalise(" 12 345 678 ").ok().as_deref(), Some("12345678"));
        assert!(normalise("12.345").is_err());
        assert!(normalise("1234567890123").is_err());
    }

    #[test]
    fn the_key_is_made_once_private_and_kept() {
        use std::os::unix::fs::PermissionsExt;
        let folder = tempfile::tempdir().expect("folder");
        let path = folder.path().join(KEY_FILE);
        let first = load_or_create(&path).expect("created");
        let second = load_or_create(&path).expect("read");
        assert_eq!(first, second);
        let mode = std::fs::metadata(&path)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(
            keyed(&first, "12345678").ok(),
            keyed(&second, "12345678").ok()
        );
        assert_ne!(
            keyed(&first, "12345678").ok(),
            keyed(&[7; 32], "12345678").ok()
        );
        let names: Vec<_> = std::fs::read_dir(folder.path())
            .expect("list")
            .map(|entry| entry.expect("entry").file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file is left: {names:?}");
    }
}
