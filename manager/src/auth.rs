//! Secrets (kiosk tokens, API tokens, enrolment codes) and the extractors that
//! authenticate requests with them; what staff may then do is decided in
//! `access`. Only SHA-256 hashes of secrets are stored: they carry at least
//! 128 random bits, so a slow hash buys nothing and would cost every
//! heartbeat.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub use crate::access::{CentreScope, StaffAuth};
use crate::error::ApiError;
use crate::state::AppState;
use crate::storage::kiosks::KioskIdentity;

/// Prefix of kiosk tokens; makes a leaked one easy to recognise.
pub const KIOSK_TOKEN_PREFIX: &str = "pzk_";
/// Prefix of staff API tokens.
pub const API_TOKEN_PREFIX: &str = "pza_";

/// No 0/O, 1/I/L or U: easy to read aloud and to type from paper.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_LENGTH: usize = 12;

#[derive(Debug, thiserror::Error)]
#[error("the operating system's random number generator failed: {0}")]
pub struct RandomnessError(String);

/// A new secret: `prefix` + 256 random bits, base64url.
pub fn new_secret(prefix: &str) -> Result<String, RandomnessError> {
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes).map_err(|error| RandomnessError(error.to_string()))?;
    Ok(format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes)))
}

pub fn hash_secret(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// A one-time enrolment code such as `K7QM-2XWD-9HRT` (about 59 bits).
pub fn new_enrolment_code() -> Result<String, RandomnessError> {
    let mut code = String::with_capacity(CODE_LENGTH + 2);
    let mut filled = 0;
    while filled < CODE_LENGTH {
        let mut byte = [0_u8; 1];
        getrandom::fill(&mut byte).map_err(|error| RandomnessError(error.to_string()))?;
        // Rejection sampling keeps every symbol equally likely.
        let limit = 256 - 256 % CODE_ALPHABET.len();
        if usize::from(byte[0]) >= limit {
            continue;
        }
        if filled > 0 && filled % 4 == 0 {
            code.push('-');
        }
        code.push(char::from(
            CODE_ALPHABET[usize::from(byte[0]) % CODE_ALPHABET.len()],
        ));
        filled += 1;
    }
    Ok(code)
}

/// The canonical form of a typed code (any case, with or without dashes or
/// spaces), or `None` if it cannot be a code.
pub fn normalise_enrolment_code(typed: &str) -> Option<String> {
    let canonical: String = typed
        .chars()
        .filter(|character| !matches!(character, '-' | ' '))
        .map(|character| character.to_ascii_uppercase())
        .collect();
    let valid = canonical.len() == CODE_LENGTH
        && canonical.bytes().all(|byte| CODE_ALPHABET.contains(&byte));
    valid.then_some(canonical)
}

fn bearer_token(parts: &Parts) -> Result<&str, ApiError> {
    let header = parts
        .headers
        .get(AUTHORIZATION)
        .ok_or_else(|| ApiError::unauthenticated("missing `Authorization: Bearer` header"))?;
    header
        .to_str()
        .ok()
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .ok_or_else(|| {
            ApiError::unauthenticated("the Authorization header must be `Bearer <token>`")
        })
}

/// A request made with a valid, unrevoked kiosk token.
#[derive(Debug, Clone, Copy)]
pub struct KioskAuth(pub KioskIdentity);

impl KioskAuth {
    pub fn kiosk_id(&self) -> Uuid {
        self.0.kiosk_id
    }
}

impl FromRequestParts<AppState> for KioskAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer_token(parts)?;
        let identity = state
            .storage
            .kiosk_by_token(hash_secret(token))
            .await?
            .ok_or_else(|| ApiError::unauthenticated("unknown kiosk token"))?;
        if identity.revoked {
            return Err(ApiError::unauthenticated(
                "this kiosk's enrolment was revoked; enrol it again",
            ));
        }
        Ok(KioskAuth(identity))
    }
}

impl FromRequestParts<AppState> for StaffAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer_token(parts)?;
        let stored = state
            .storage
            .api_token_by_hash(hash_secret(token))
            .await?
            .ok_or_else(|| ApiError::unauthenticated("unknown API token"))?;
        if stored.revoked_at.is_some() {
            return Err(ApiError::unauthenticated("this API token was revoked"));
        }
        if let Some(user_id) = stored.user_id {
            let user = state.storage.user_by_id(user_id).await?;
            if user.disabled_at.is_some() {
                return Err(ApiError::unauthenticated("this account is disabled"));
            }
            return Ok(StaffAuth::of_user(&user));
        }
        Ok(StaffAuth {
            name: stored.name,
            role: stored.role,
            scope: CentreScope::All,
        })
    }
}

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct PasswordError(String);

/// Shortest password accepted for a staff account.
pub const PASSWORD_MIN_CHARS: usize = 10;

/// An argon2id PHC string for `password`.
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let mut salt = [0_u8; 16];
    getrandom::fill(&mut salt).map_err(|error| PasswordError(error.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|error| PasswordError(error.to_string()))?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| PasswordError(error.to_string()))
}

/// Whether `password` matches the stored PHC string (false if it is unreadable).
pub fn verify_password(password: &str, stored: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(stored).is_ok_and(|hash| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enrolment_codes_are_readable_and_normalise() {
        let code = new_enrolment_code().expect("code");
        assert_eq!(code.len(), 14, "{code}");
        assert_eq!(code.matches('-').count(), 2, "{code}");
        let typed = code.to_lowercase().replace('-', " ");
        assert_eq!(
            normalise_enrolment_code(&typed),
            Some(code.replace('-', ""))
        );
        assert_eq!(normalise_enrolment_code("short"), None);
        assert_eq!(
            normalise_enrolment_code("OOOO-OOOO-OOOO"),
            None,
            "O is not in the alphabet"
        );
    }

    #[test]
    fn secrets_are_long_prefixed_and_distinct() {
        let first = new_secret(KIOSK_TOKEN_PREFIX).expect("secret");
        let second = new_secret(KIOSK_TOKEN_PREFIX).expect("secret");
        assert!(first.starts_with(KIOSK_TOKEN_PREFIX));
        assert!(first.len() >= KIOSK_TOKEN_PREFIX.len() + 43);
        assert_ne!(first, second);
        assert_ne!(hash_secret(&first), hash_secret(&second));
    }

    #[test]
    fn passwords_verify_only_themselves() {
        let stored = hash_password("correct horse battery").expect("hash");
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(verify_password("correct horse battery", &stored));
        assert!(!verify_password("correct horse batterY", &stored));
        assert!(!verify_password("anything", "not a hash"));
    }
}
