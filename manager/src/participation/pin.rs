//! PINs are hashed with argon2id (a PIN has few digits, so only a slow,
//! memory-hard hash makes a stolen database expensive to search). Hashing
//! runs on a blocking thread, never on the async workers or the writer.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::error::ApiError;

pub async fn hash(pin: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || {
        let mut salt = [0_u8; 16];
        getrandom::fill(&mut salt).map_err(|error| ApiError::internal(error.to_string()))?;
        let salt =
            SaltString::encode_b64(&salt).map_err(|error| ApiError::internal(error.to_string()))?;
        Argon2::default()
            .hash_password(pin.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|error| ApiError::internal(format!("hashing a PIN: {error}")))
    })
    .await
    .map_err(|error| ApiError::internal(format!("PIN hashing task: {error}")))?
}

pub async fn verify(pin: String, stored: String) -> Result<bool, ApiError> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&stored)
            .map_err(|error| ApiError::internal(format!("stored PIN hash: {error}")))?;
        Ok(Argon2::default()
            .verify_password(pin.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(|error| ApiError::internal(format!("PIN check task: {error}")))?
}

/// A valid argon2id hash (default parameters, as [`hash`] makes) of a PIN
/// nobody knows, checked against when an alias is unknown.
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Xw0TTb6DjG2tXXnJ3TD0i/n3kA/yS6Cl9D2Mz0xL7dE";

/// A random 6-digit PIN a supervisor hands over after a reset.
pub fn temporary() -> Result<String, ApiError> {
    let mut digits = String::with_capacity(6);
    while digits.len() < 6 {
        let mut byte = [0_u8; 1];
        getrandom::fill(&mut byte).map_err(|error| ApiError::internal(error.to_string()))?;
        // Rejection sampling: 250 is the largest multiple of 10 below 256.
        if byte[0] < 250 {
            digits.push(char::from(b'0' + byte[0] % 10));
        }
    }
    Ok(digits)
}
