//! Who is asking: a kiosk (with a logged-in citizen or not) or staff.
//!
//! A citizen token travels in `X-Citizen-Token` next to the kiosk's bearer
//! token. It holds only on the kiosk that logged in, while that kiosk
//! session lasts, and for one hour at most.

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use plaza_api::participation::CITIZEN_TOKEN_HEADER;
use uuid::Uuid;

use crate::access::Duty;
use crate::auth::{KIOSK_TOKEN_PREFIX, KioskAuth, StaffAuth, hash_secret};
use crate::error::ApiError;
use crate::state::AppState;
use crate::storage::citizens::Citizen;

/// Prefix of citizen tokens.
pub const CITIZEN_TOKEN_PREFIX: &str = "pzc_";

/// A logged-in citizen at the kiosk that logged them in.
#[derive(Debug, Clone)]
pub struct CitizenAuth {
    pub citizen: Citizen,
    pub kiosk: KioskAuth,
    pub session_id: Uuid,
    pub token_hash: [u8; 32],
}

impl CitizenAuth {
    pub fn id(&self) -> i64 {
        self.citizen.id
    }
}

fn citizen_token(parts: &Parts) -> Result<Option<&str>, ApiError> {
    parts
        .headers
        .get(CITIZEN_TOKEN_HEADER)
        .map(|value| {
            value
                .to_str()
                .ok()
                .map(str::trim)
                .filter(|token| !token.is_empty())
                .ok_or_else(|| ApiError::unauthenticated("the X-Citizen-Token header is malformed"))
        })
        .transpose()
}

fn login_required() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "citizen_login_required",
        "log in with your alias and PIN to do this",
    )
}

async fn check_citizen(
    kiosk: KioskAuth,
    token: &str,
    state: &AppState,
) -> Result<CitizenAuth, ApiError> {
    let token_hash = hash_secret(token);
    let record = state
        .storage
        .citizen_token(token_hash)
        .await?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "citizen_login_expired",
                "you are logged out; log in again with your alias and PIN",
            )
        })?;
    if record.kiosk_id != kiosk.kiosk_id() {
        return Err(ApiError::forbidden(
            "this login belongs to another kiosk; log in again here",
        ));
    }
    if record.session_over || record.expires_at <= state.clock.now() {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "citizen_login_expired",
            "your login ended with the session or after an hour; log in again",
        ));
    }
    Ok(CitizenAuth {
        citizen: record.citizen,
        kiosk,
        session_id: record.session_id,
        token_hash,
    })
}

impl FromRequestParts<AppState> for CitizenAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let kiosk = KioskAuth::from_request_parts(parts, state).await?;
        let token = citizen_token(parts)?.ok_or_else(login_required)?;
        check_citizen(kiosk, token, state).await
    }
}

/// Whoever reads or writes participation content.
#[derive(Debug, Clone)]
pub enum Viewer {
    /// A kiosk, and the citizen logged in there if any.
    Kiosk {
        kiosk: KioskAuth,
        citizen: Option<CitizenAuth>,
    },
    Staff(StaffAuth),
}

impl Viewer {
    /// The logged-in citizen's id, if any.
    pub fn citizen_id(&self) -> Option<i64> {
        self.citizen().map(CitizenAuth::id)
    }

    pub fn citizen(&self) -> Option<&CitizenAuth> {
        match self {
            Self::Kiosk { citizen, .. } => citizen.as_ref(),
            Self::Staff(_) => None,
        }
    }

    /// Who writes: a logged-in citizen, or staff who may post officially.
    pub fn writer(&self) -> Result<Writer, ApiError> {
        match self {
            Self::Kiosk {
                citizen: Some(citizen),
                ..
            } => Ok(Writer::Citizen(citizen.citizen.clone())),
            Self::Kiosk { citizen: None, .. } => Err(login_required()),
            Self::Staff(staff) => {
                staff.require(Duty::Participation)?;
                Ok(Writer::Staff(staff.name.clone()))
            }
        }
    }
}

/// The author of something about to be written.
#[derive(Debug, Clone)]
pub enum Writer {
    Citizen(Citizen),
    /// Municipal staff: shown as official.
    Staff(String),
}

impl Writer {
    pub fn citizen_id(&self) -> Option<i64> {
        match self {
            Self::Citizen(citizen) => Some(citizen.id),
            Self::Staff(_) => None,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Self::Citizen(citizen) => &citizen.alias,
            Self::Staff(name) => name,
        }
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let is_kiosk = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .is_some_and(|token| token.trim().starts_with(KIOSK_TOKEN_PREFIX));
        if !is_kiosk {
            return Ok(Self::Staff(
                StaffAuth::from_request_parts(parts, state).await?,
            ));
        }
        let kiosk = KioskAuth::from_request_parts(parts, state).await?;
        let citizen = match citizen_token(parts)? {
            Some(token) => Some(check_citizen(kiosk, token, state).await?),
            None => None,
        };
        Ok(Self::Kiosk { kiosk, citizen })
    }
}
