//! Proposals: a verified resident writes one (held for a moderator when the
//! forum's word filter finds something), citizens support it once each,
//! and past the threshold the municipality must answer with a status.

use axum::extract::State;
use axum::http::StatusCode;
use plaza_api::error::ErrorBody;
use plaza_api::have_a_say::{
    NewProposal, Proposal, ProposalAnswer, ProposalModeration, ProposalModerationDecision,
    TEXT_MAX, TITLE_MAX,
};

use super::present::proposal;
use crate::access::{Duty, Subject};
use crate::auth::StaffAuth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::participation::auth::{CitizenAuth, Viewer};
use crate::participation::text::{WordFilter, plain_text, single_line};
use crate::state::AppState;
use crate::storage::StorageError;
use crate::storage::have_a_say::proposals::NewProposalRecord;

fn not_found(error: StorageError) -> ApiError {
    match error {
        StorageError::NotFound => ApiError::not_found("no such proposal"),
        other => other.into(),
    }
}

fn threshold(state: &AppState) -> u64 {
    state.settings.have_a_say.proposal_support_threshold
}

/// Published proposals, newest first; for a logged-in citizen, whether they
/// support each.
#[utoipa::path(get, path = "/api/v1/participation/proposals", tag = "have a say",
    security(("kiosk_token" = []), ("kiosk_token" = [], "citizen_token" = []), ("staff_token" = [])),
    responses(
        (status = 200, body = Vec<Proposal>),
        (status = 401, body = ErrorBody),
    ))]
pub(crate) async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
) -> ApiResult<Json<Vec<Proposal>>> {
    let supported = match viewer.citizen_id() {
        Some(citizen) => Some(state.storage.supported_by(citizen).await?),
        None => None,
    };
    let records = state
        .storage
        .proposals(ProposalModeration::Published, None)
        .await?;
    Ok(Json(
        records
            .into_iter()
            .map(|record| {
                let supported = supported.as_ref().map(|ids| ids.contains(&record.id));
                proposal(record, threshold(&state), supported)
            })
            .collect(),
    ))
}

/// Write a proposal (verified residents only). One with a word of the
/// forums' filter waits for a moderator (`moderation: held`).
#[utoipa::path(post, path = "/api/v1/participation/proposals", tag = "have a say",
    request_body = NewProposal,
    security(("kiosk_token" = [], "citizen_token" = [])),
    responses(
        (status = 201, body = Proposal),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not a verified resident", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub(super) async fn create(
    State(state): State<AppState>,
    citizen: CitizenAuth,
    Json(request): Json<NewProposal>,
) -> ApiResult<(StatusCode, Json<Proposal>)> {
    let invalid =
        |error: crate::participation::text::TextError| ApiError::invalid(error.to_string());
    let title = single_line(&request.title, "the title", 5, TITLE_MAX).map_err(invalid)?;
    let body = plain_text(&request.body, "the proposal", 10, TEXT_MAX).map_err(invalid)?;
    if !matches!(request.language.as_str(), "es" | "en") {
        return Err(ApiError::invalid("language: es or en"));
    }
    let filter = WordFilter::new(&state.settings.participation.word_filter);
    let held = !filter.words_in_text(&title).is_empty() || !filter.words_in_text(&body).is_empty();
    let record = state
        .storage
        .create_proposal(NewProposalRecord {
            author_id: citizen.id(),
            title,
            body,
            language: request.language,
            held,
            now: state.clock.now(),
        })
        .await?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::FORBIDDEN,
                "not_verified_resident",
                "only verified residents may write proposals; ask the centre's staff to verify you with your ID",
            )
        })?;
    Ok((
        StatusCode::CREATED,
        Json(proposal(record, threshold(&state), Some(false))),
    ))
}

/// One proposal (a held or removed one only for staff).
#[utoipa::path(get, path = "/api/v1/participation/proposals/{id}", tag = "have a say",
    params(("id" = i64, Path)),
    security(("kiosk_token" = []), ("kiosk_token" = [], "citizen_token" = []), ("staff_token" = [])),
    responses(
        (status = 200, body = Proposal),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub(super) async fn detail(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> ApiResult<Json<Proposal>> {
    let record = state.storage.proposal(id).await.map_err(not_found)?;
    if record.moderation != ProposalModeration::Published && !matches!(viewer, Viewer::Staff(_)) {
        return Err(ApiError::not_found("no such proposal"));
    }
    let supported = match viewer.citizen_id() {
        Some(citizen) => Some(state.storage.supported_by(citizen).await?.contains(&id)),
        None => None,
    };
    Ok(Json(proposal(record, threshold(&state), supported)))
}

/// Support a published proposal, once per account.
#[utoipa::path(post, path = "/api/v1/participation/proposals/{id}/supports", tag = "have a say",
    params(("id" = i64, Path)),
    security(("kiosk_token" = [], "citizen_token" = [])),
    responses(
        (status = 200, body = Proposal),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Already supported by this account", body = ErrorBody),
    ))]
pub(super) async fn support(
    State(state): State<AppState>,
    citizen: CitizenAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<Proposal>> {
    let (added, record) = state
        .storage
        .support_proposal(id, citizen.id(), state.clock.now())
        .await
        .map_err(not_found)?;
    if !added {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "already_supported",
            "you already support this proposal",
        ));
    }
    Ok(Json(proposal(record, threshold(&state), Some(true))))
}

/// The municipality's answer and the proposal's new status; audited.
#[utoipa::path(put, path = "/api/v1/participation/proposals/{id}/answer", tag = "have a say",
    params(("id" = i64, Path)),
    request_body = ProposalAnswer,
    security(("staff_token" = [])),
    responses(
        (status = 200, body = Proposal),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub(crate) async fn answer(
    State(state): State<AppState>,
    staff: StaffAuth,
    Path(id): Path<i64>,
    Json(request): Json<ProposalAnswer>,
) -> ApiResult<Json<Proposal>> {
    staff.require(Duty::HaveASay)?;
    let invalid =
        |error: crate::participation::text::TextError| ApiError::invalid(error.to_string());
    let text = plaza_api::have_a_say::Localized {
        es: plain_text(&request.answer.es, "the answer", 1, TEXT_MAX).map_err(invalid)?,
        en: request
            .answer
            .en
            .as_deref()
            .map(|text| plain_text(text, "the answer", 1, TEXT_MAX))
            .transpose()
            .map_err(invalid)?,
    };
    let record = state
        .storage
        .answer_proposal(
            id,
            request.status,
            text,
            staff.name.clone(),
            state.clock.now(),
        )
        .await
        .map_err(not_found)?;
    Ok(Json(proposal(record, threshold(&state), None)))
}

/// Proposals held by the word filter, for moderators of their centres.
#[utoipa::path(get, path = "/api/v1/participation/moderation/proposals", tag = "have a say",
    security(("staff_token" = [])),
    responses(
        (status = 200, body = Vec<Proposal>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
    ))]
pub(crate) async fn held(
    State(state): State<AppState>,
    staff: StaffAuth,
) -> ApiResult<Json<Vec<Proposal>>> {
    staff.require(Duty::Moderation)?;
    let records = state
        .storage
        .proposals(ProposalModeration::Held, staff.centres())
        .await?;
    Ok(Json(
        records
            .into_iter()
            .map(|record| proposal(record, threshold(&state), None))
            .collect(),
    ))
}

/// Publish a held proposal, or remove one (moderators of the author's
/// verification centre); audited.
#[utoipa::path(post, path = "/api/v1/participation/proposals/{id}/moderation", tag = "have a say",
    params(("id" = i64, Path)),
    request_body = ProposalModerationDecision,
    security(("staff_token" = [])),
    responses(
        (status = 200, body = Proposal),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub(crate) async fn moderate(
    State(state): State<AppState>,
    staff: StaffAuth,
    Path(id): Path<i64>,
    Json(request): Json<ProposalModerationDecision>,
) -> ApiResult<Json<Proposal>> {
    staff.require(Duty::Moderation)?;
    let current = state.storage.proposal(id).await.map_err(not_found)?;
    staff
        .require_on(
            &state.storage,
            Duty::Moderation,
            Subject::Centre(current.centre_id),
        )
        .await?;
    let record = state
        .storage
        .moderate_proposal(id, request.action, staff.name.clone(), state.clock.now())
        .await
        .map_err(not_found)?;
    Ok(Json(proposal(record, threshold(&state), None)))
}
