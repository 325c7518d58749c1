//! Sign up, log in and out, change or reset a PIN.

use axum::extract::State;
use axum::http::StatusCode;
use jiff::SignedDuration;
use plaza_api::error::ErrorBody;
use plaza_api::participation::accounts::{
    CitizenLogin, CitizenProfile, Credentials, PinChange, PinReset,
};

use super::auth::{CITIZEN_TOKEN_PREFIX, CitizenAuth};
use super::error::{ParticipationResult, Refusal};
use super::pin;
use super::text::{WordFilter, alias_key, check_alias, check_pin};
use crate::access::{Duty, Subject};
use crate::auth::{KioskAuth, StaffAuth, hash_secret, new_secret};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::state::AppState;
use crate::storage::citizens::{Citizen, LoginRefusal, NewLogin, WrongPin};

/// Create an account at a kiosk and log it in for the current session.
#[utoipa::path(post, path = "/api/v1/citizens", tag = "participation",
    request_body = Credentials,
    security(("kiosk_token" = [])),
    responses(
        (status = 201, body = CitizenLogin),
        (status = 401, body = ErrorBody),
        (status = 409, description = "Alias taken, or the kiosk session is over", body = ErrorBody),
        (status = 422, description = "Alias or PIN not allowed", body = ErrorBody),
    ))]
pub(super) async fn sign_up(
    State(state): State<AppState>,
    kiosk: KioskAuth,
    Json(credentials): Json<Credentials>,
) -> ParticipationResult<(StatusCode, Json<CitizenLogin>)> {
    let settings = &state.settings.participation;
    let key = check_alias(
        &credentials.alias,
        &WordFilter::new(&settings.word_filter),
        &WordFilter::new(&settings.reserved_aliases),
    )
    .map_err(refused)?;
    check_pin(&credentials.pin).map_err(refused)?;
    let pin_hash = pin::hash(credentials.pin).await?;
    let citizen = state
        .storage
        .create_citizen(credentials.alias, key, pin_hash, state.clock.now())
        .await?;
    tracing::info!(citizen_id = citizen.id, "citizen account created");
    let login = log_in(&state, kiosk, citizen, credentials.session_id).await?;
    Ok((StatusCode::CREATED, Json(login)))
}

/// Log in with alias and PIN for the current kiosk session.
#[utoipa::path(post, path = "/api/v1/citizens/login", tag = "participation",
    request_body = Credentials,
    security(("kiosk_token" = [])),
    responses(
        (status = 200, body = CitizenLogin),
        (status = 401, description = "Wrong alias or PIN", body = ErrorBody),
        (status = 409, description = "The kiosk session is over", body = ErrorBody),
        (status = 429, description = "Locked after too many wrong PINs, or too many PIN attempts at this kiosk; see Retry-After", body = ErrorBody),
    ))]
pub(super) async fn login(
    State(state): State<AppState>,
    kiosk: KioskAuth,
    Json(credentials): Json<Credentials>,
) -> ParticipationResult<Json<CitizenLogin>> {
    let settings = &state.settings.participation;
    let wrong = || {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "wrong_credentials",
            "that alias and PIN do not match an account",
        )
    };
    state.limits.pin_attempt(kiosk.kiosk_id())?;
    let stored = state
        .storage
        .citizen_credentials(alias_key(&credentials.alias))
        .await?;
    let Some(stored) = stored else {
        // An unknown alias costs the same argon2 check and gets the same
        // answer as a wrong PIN, so answers and timing tell no alias apart.
        pin::verify(credentials.pin, pin::DUMMY_HASH.to_owned()).await?;
        return Err(wrong().into());
    };
    let now = state.clock.now();
    if let Some(until) = stored.locked_until.filter(|until| *until > now) {
        return Err(locked(now, until));
    }
    if !pin::verify(credentials.pin, stored.pin_hash).await? {
        let lock_until = now + SignedDuration::from_secs(i64::from(settings.lockout_s));
        return match state
            .storage
            .record_wrong_pin(stored.citizen.id, settings.pin_attempts, lock_until)
            .await?
        {
            // No count of tries left: an unknown alias has none to tell.
            WrongPin::TriesLeft(_) => Err(wrong().into()),
            WrongPin::LockedUntil(until) => {
                tracing::info!(citizen_id = stored.citizen.id, "citizen account locked");
                Err(locked(now, until))
            }
        };
    }
    Ok(Json(
        log_in(&state, kiosk, stored.citizen, credentials.session_id).await?,
    ))
}

fn locked(now: jiff::Timestamp, until: jiff::Timestamp) -> Refusal {
    Refusal::retry_at(
        "account_locked",
        "This account is locked after too many wrong PINs.",
        now,
        until,
    )
}

async fn log_in(
    state: &AppState,
    kiosk: KioskAuth,
    citizen: Citizen,
    session_id: uuid::Uuid,
) -> ParticipationResult<CitizenLogin> {
    let now = state.clock.now();
    let expires_at =
        now + SignedDuration::from_secs(i64::from(state.settings.participation.login_ttl_s));
    let token =
        new_secret(CITIZEN_TOKEN_PREFIX).map_err(|error| ApiError::internal(error.to_string()))?;
    let recorded = state
        .storage
        .record_login(NewLogin {
            citizen_id: citizen.id,
            kiosk_id: kiosk.kiosk_id(),
            centre_id: kiosk.0.centre_id,
            session_id,
            token_hash: hash_secret(&token),
            now,
            expires_at,
        })
        .await?;
    let citizen = match recorded {
        Ok(citizen) => citizen,
        Err(LoginRefusal::Locked(until)) => return Err(locked(now, until)),
        Err(LoginRefusal::SessionOver) => {
            return Err(ApiError::conflict(
                "this kiosk session is over; start a new session to log in",
            )
            .into());
        }
    };
    let coordinates = state.storage.coordinated_communities(citizen.id).await?;
    Ok(CitizenLogin {
        token,
        expires_at,
        citizen: CitizenProfile {
            alias: citizen.alias,
            created_at: citizen.created_at,
            coordinates,
        },
    })
}

/// End the citizen's login (the kiosk's session wipe does the same).
#[utoipa::path(post, path = "/api/v1/citizens/logout", tag = "participation",
    security(("kiosk_token" = [], "citizen_token" = [])),
    responses((status = 204, description = "Logged out"), (status = 401, body = ErrorBody)))]
pub(super) async fn logout(
    State(state): State<AppState>,
    citizen: CitizenAuth,
) -> ApiResult<StatusCode> {
    state.storage.end_citizen_token(citizen.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The logged-in citizen's account.
#[utoipa::path(get, path = "/api/v1/citizens/me", tag = "participation",
    security(("kiosk_token" = [], "citizen_token" = [])),
    responses((status = 200, body = CitizenProfile), (status = 401, body = ErrorBody)))]
pub(super) async fn me(
    State(state): State<AppState>,
    citizen: CitizenAuth,
) -> ApiResult<Json<CitizenProfile>> {
    let coordinates = state.storage.coordinated_communities(citizen.id()).await?;
    Ok(Json(CitizenProfile {
        alias: citizen.citizen.alias,
        created_at: citizen.citizen.created_at,
        coordinates,
    }))
}

/// Change one's own PIN (after a supervisor's reset, for instance).
#[utoipa::path(put, path = "/api/v1/citizens/me/pin", tag = "participation",
    request_body = PinChange,
    security(("kiosk_token" = [], "citizen_token" = [])),
    responses(
        (status = 204, description = "Changed; other logins of the account end"),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Current PIN is wrong", body = ErrorBody),
        (status = 404, description = "The account is gone", body = ErrorBody),
        (status = 422, body = ErrorBody),
        (status = 429, description = "Locked after too many wrong PINs, or too many PIN attempts at this kiosk; see Retry-After", body = ErrorBody),
    ))]
pub(super) async fn change_pin(
    State(state): State<AppState>,
    citizen: CitizenAuth,
    Json(change): Json<PinChange>,
) -> ParticipationResult<StatusCode> {
    check_pin(&change.new_pin).map_err(refused)?;
    check_own_pin(&state, &citizen, change.current_pin).await?;
    let pin_hash = pin::hash(change.new_pin).await?;
    state
        .storage
        .change_citizen_pin(citizen.id(), pin_hash, citizen.token_hash)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The logged-in citizen confirms an action with their PIN: a wrong one
/// counts toward the kiosk's and the account's limits, as at log-in.
pub(super) async fn check_own_pin(
    state: &AppState,
    citizen: &CitizenAuth,
    pin: String,
) -> ParticipationResult<()> {
    state.limits.pin_attempt(citizen.kiosk.kiosk_id())?;
    let stored = state
        .storage
        .citizen_credentials(alias_key(&citizen.citizen.alias))
        .await?
        .ok_or_else(|| ApiError::not_found("no such account"))?;
    let now = state.clock.now();
    if let Some(until) = stored.locked_until.filter(|until| *until > now) {
        return Err(locked(now, until));
    }
    if pin::verify(pin, stored.pin_hash).await? {
        return Ok(());
    }
    let settings = &state.settings.participation;
    let lock_until = now + SignedDuration::from_secs(i64::from(settings.lockout_s));
    match state
        .storage
        .record_wrong_pin(stored.citizen.id, settings.pin_attempts, lock_until)
        .await?
    {
        WrongPin::TriesLeft(_) => Err(ApiError::forbidden("the current PIN is wrong").into()),
        WrongPin::LockedUntil(until) => Err(locked(now, until)),
    }
}

/// A supervisor resets a citizen's PIN; the reply holds a temporary one.
/// A supervisor's account may reset only citizens who have logged in at one
/// of their centres.
#[utoipa::path(post, path = "/api/v1/citizens/{alias}/pin-reset", tag = "participation",
    params(("alias" = String, Path, description = "The account's alias, any case")),
    security(("staff_token" = [])),
    responses(
        (status = 200, body = PinReset),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not a supervisor, or the citizen never logged in at a centre you supervise", body = ErrorBody),
        (status = 404, description = "No account with that alias", body = ErrorBody),
    ))]
pub(super) async fn reset_pin(
    State(state): State<AppState>,
    staff: StaffAuth,
    Path(alias): Path<String>,
) -> ApiResult<Json<PinReset>> {
    staff
        .require_on(
            &state.storage,
            Duty::Participation,
            Subject::Citizen(&alias_key(&alias)),
        )
        .await?;
    let reset = reset_pin_of(&state.storage, &alias, &staff.name, state.clock.now()).await?;
    Ok(Json(reset))
}

/// Shared by the API and the CLI.
pub async fn reset_pin_of(
    storage: &crate::storage::Storage,
    alias: &str,
    actor: &str,
    now: jiff::Timestamp,
) -> ApiResult<PinReset> {
    let temporary = pin::temporary()?;
    let pin_hash = pin::hash(temporary.clone()).await?;
    let citizen = storage
        .reset_citizen_pin(alias_key(alias), pin_hash, actor.to_owned(), now)
        .await
        .map_err(|error| match error {
            crate::storage::StorageError::NotFound => {
                ApiError::not_found(format!("no account with the alias `{alias}`"))
            }
            other => other.into(),
        })?;
    Ok(PinReset {
        alias: citizen.alias,
        temporary_pin: temporary,
    })
}

/// An alias or PIN the rules refuse: 422 with the rule's own code.
fn refused(error: super::text::TextError) -> ApiError {
    ApiError::new(
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        error.code(),
        error.to_string(),
    )
}
