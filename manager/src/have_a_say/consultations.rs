//! Consultations: staff create, close and answer them; citizens vote once;
//! results after closing (or live when the consultation says so).

use axum::extract::State;
use axum::http::StatusCode;
use plaza_api::error::ErrorBody;
use plaza_api::have_a_say::{
    ChoiceKind, Consultation, ConsultationResults, ConsultationStatus, Localized, NewConsultation,
    OPTIONS_MAX, OptionResult, TEXT_MAX, TITLE_MAX, Turnout, Vote, VoteRecorded,
};

use super::present::{consultation, official, status};
use crate::access::Duty;
use crate::auth::StaffAuth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::participation::auth::{CitizenAuth, Viewer};
use crate::participation::text::{plain_text, single_line};
use crate::reports::suppress;
use crate::state::AppState;
use crate::storage::StorageError;
use crate::storage::have_a_say::ballots::{CastVote, VoteRefusal};
use crate::storage::have_a_say::consultations::NewConsultationRecord;

fn not_found(error: StorageError) -> ApiError {
    match error {
        StorageError::NotFound => ApiError::not_found("no such consultation"),
        other => other.into(),
    }
}

fn checked(text: Localized, what: &str, long: bool) -> ApiResult<Localized> {
    let check = |text: &str| {
        if long {
            plain_text(text, what, 1, TEXT_MAX)
        } else {
            single_line(text, what, 1, TITLE_MAX)
        }
        .map_err(|error| ApiError::invalid(error.to_string()))
    };
    Ok(Localized {
        es: check(&text.es)?,
        en: text.en.as_deref().map(check).transpose()?,
    })
}

fn validate(request: NewConsultation) -> ApiResult<NewConsultationRecord> {
    let options = request.options.len();
    if !(2..=OPTIONS_MAX).contains(&options) {
        return Err(ApiError::invalid(format!("2 to {OPTIONS_MAX} options")));
    }
    let max_ok = match request.kind {
        ChoiceKind::Single => request.max_choices == 1,
        ChoiceKind::Multiple => (1..=options).contains(&(request.max_choices as usize)),
    };
    if !max_ok {
        return Err(ApiError::invalid(
            "max_choices: 1 for a single choice, at most the number of options for a multiple one",
        ));
    }
    if request.closes_at <= request.opens_at {
        return Err(ApiError::invalid("closes_at must be after opens_at"));
    }
    Ok(NewConsultationRecord {
        question: checked(request.question, "question", false)?,
        description: checked(request.description, "description", true)?,
        kind: request.kind,
        max_choices: request.max_choices,
        options: request
            .options
            .into_iter()
            .map(|option| checked(option, "option", false))
            .collect::<ApiResult<_>>()?,
        opens_at: request.opens_at,
        closes_at: request.closes_at,
        neighbourhoods: request.neighbourhoods,
        eligibility: request.eligibility,
        live_results: request.live_results,
    })
}

/// Every consultation, the latest to open first; for a logged-in citizen,
/// whether they voted in each.
#[utoipa::path(get, path = "/api/v1/participation/consultations", tag = "have a say",
    security(("kiosk_token" = []), ("kiosk_token" = [], "citizen_token" = []), ("staff_token" = [])),
    responses(
        (status = 200, body = Vec<Consultation>),
        (status = 401, body = ErrorBody),
    ))]
pub(crate) async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
) -> ApiResult<Json<Vec<Consultation>>> {
    let voted = match viewer.citizen_id() {
        Some(citizen) => Some(state.storage.voted_in(citizen).await?),
        None => None,
    };
    let now = state.clock.now();
    let records = state.storage.consultations().await?;
    Ok(Json(
        records
            .into_iter()
            .map(|record| {
                let voted = voted.as_ref().map(|ids| ids.contains(&record.id));
                consultation(record, now, voted)
            })
            .collect(),
    ))
}

/// Create a consultation (admins: the municipality); audited.
#[utoipa::path(post, path = "/api/v1/participation/consultations", tag = "have a say",
    request_body = NewConsultation,
    security(("staff_token" = [])),
    responses(
        (status = 201, body = Consultation),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub(crate) async fn create(
    State(state): State<AppState>,
    staff: StaffAuth,
    Json(request): Json<NewConsultation>,
) -> ApiResult<(StatusCode, Json<Consultation>)> {
    staff.require(Duty::HaveASay)?;
    let new = validate(request)?;
    let now = state.clock.now();
    let record = state
        .storage
        .create_consultation(new, staff.name.clone(), now)
        .await?;
    Ok((StatusCode::CREATED, Json(consultation(record, now, None))))
}

/// One consultation.
#[utoipa::path(get, path = "/api/v1/participation/consultations/{id}", tag = "have a say",
    params(("id" = i64, Path)),
    security(("kiosk_token" = []), ("kiosk_token" = [], "citizen_token" = []), ("staff_token" = [])),
    responses(
        (status = 200, body = Consultation),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub(super) async fn detail(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> ApiResult<Json<Consultation>> {
    let record = state.storage.consultation(id).await.map_err(not_found)?;
    let voted = match viewer.citizen_id() {
        Some(citizen) => Some(state.storage.voted_in(citizen).await?.contains(&id)),
        None => None,
    };
    Ok(Json(consultation(record, state.clock.now(), voted)))
}

/// Close an open consultation now; audited.
#[utoipa::path(post, path = "/api/v1/participation/consultations/{id}/close", tag = "have a say",
    params(("id" = i64, Path)),
    security(("staff_token" = [])),
    responses(
        (status = 200, body = Consultation),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Not open", body = ErrorBody),
    ))]
pub(crate) async fn close(
    State(state): State<AppState>,
    staff: StaffAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<Consultation>> {
    staff.require(Duty::HaveASay)?;
    let now = state.clock.now();
    let record = state
        .storage
        .close_consultation(id, staff.name.clone(), now)
        .await
        .map_err(not_found)?;
    Ok(Json(consultation(record, now, None)))
}

/// Publish the official answer: what the municipality will do with the
/// result; audited.
#[utoipa::path(put, path = "/api/v1/participation/consultations/{id}/answer", tag = "have a say",
    params(("id" = i64, Path)),
    request_body = Localized,
    security(("staff_token" = [])),
    responses(
        (status = 200, body = Consultation),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub(crate) async fn answer(
    State(state): State<AppState>,
    staff: StaffAuth,
    Path(id): Path<i64>,
    Json(text): Json<Localized>,
) -> ApiResult<Json<Consultation>> {
    staff.require(Duty::HaveASay)?;
    let text = checked(text, "answer", true)?;
    let now = state.clock.now();
    let record = state
        .storage
        .answer_consultation(id, text, staff.name.clone(), now)
        .await
        .map_err(not_found)?;
    Ok(Json(consultation(record, now, None)))
}

fn refused(refusal: VoteRefusal) -> ApiError {
    let (status, code, message) = match refusal {
        VoteRefusal::NotYetOpen => (
            StatusCode::CONFLICT,
            "consultation_not_open",
            "this consultation is not open yet",
        ),
        VoteRefusal::Closed => (
            StatusCode::CONFLICT,
            "consultation_closed",
            "this consultation is closed",
        ),
        VoteRefusal::NotVerified => (
            StatusCode::FORBIDDEN,
            "not_verified_resident",
            "only verified residents may vote here; ask the centre's staff to verify you with your ID",
        ),
        VoteRefusal::OutOfScope => (
            StatusCode::FORBIDDEN,
            "out_of_scope",
            "this consultation is for residents of other neighbourhoods",
        ),
        VoteRefusal::AlreadyVoted => (
            StatusCode::CONFLICT,
            "already_voted",
            "you have already voted in this consultation",
        ),
        VoteRefusal::InvalidChoices => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_choices",
            "choose one option, or up to the number allowed, each once",
        ),
    };
    ApiError::new(status, code, message)
}

/// Vote, once per person. Who voted and what was chosen are stored apart,
/// with nothing linking them; the reply says only that it was recorded.
#[utoipa::path(post, path = "/api/v1/participation/consultations/{id}/votes", tag = "have a say",
    params(("id" = i64, Path)),
    request_body = Vote,
    security(("kiosk_token" = [], "citizen_token" = [])),
    responses(
        (status = 201, body = VoteRecorded),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not a verified resident, or of another neighbourhood", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Already voted, not open yet, or closed", body = ErrorBody),
        (status = 422, description = "Choices that do not fit the consultation", body = ErrorBody),
    ))]
pub(super) async fn vote(
    State(state): State<AppState>,
    citizen: CitizenAuth,
    Path(id): Path<i64>,
    Json(vote): Json<Vote>,
) -> ApiResult<(StatusCode, Json<VoteRecorded>)> {
    state
        .storage
        .cast_vote(CastVote {
            consultation_id: id,
            citizen_id: citizen.id(),
            choices: vote.choices,
            now: state.clock.now(),
        })
        .await
        .map_err(not_found)?
        .map_err(refused)?;
    Ok((
        StatusCode::CREATED,
        Json(VoteRecorded {
            consultation_id: id,
        }),
    ))
}

/// Results: after closing, or while open when the consultation shows them
/// live; turnout per neighbourhood suppressed below k.
#[utoipa::path(get, path = "/api/v1/participation/consultations/{id}/results", tag = "have a say",
    params(("id" = i64, Path)),
    security(("kiosk_token" = []), ("kiosk_token" = [], "citizen_token" = []), ("staff_token" = [])),
    responses(
        (status = 200, body = ConsultationResults),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Results are shown once it closes", body = ErrorBody),
    ))]
pub(crate) async fn results(
    State(state): State<AppState>,
    _viewer: Viewer,
    Path(id): Path<i64>,
) -> ApiResult<Json<ConsultationResults>> {
    let record = state.storage.consultation(id).await.map_err(not_found)?;
    let status = status(&record, state.clock.now());
    let shown = match status {
        ConsultationStatus::Closed => true,
        ConsultationStatus::Open => record.live_results,
        ConsultationStatus::Upcoming => false,
    };
    if !shown {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "results_not_yet",
            "the results are shown once the consultation closes",
        ));
    }
    let tally = state
        .storage
        .consultation_tally(id)
        .await
        .map_err(not_found)?;
    let counts: Vec<u64> = tally.turnout.iter().map(|(_, voters)| *voters).collect();
    let cells = suppress(&counts, state.settings.dashboard.k_anonymity);
    Ok(Json(ConsultationResults {
        consultation_id: id,
        eligibility: record.eligibility,
        status,
        ballots: tally.ballots,
        options: record
            .options
            .into_iter()
            .zip(tally.votes)
            .enumerate()
            .map(|(position, (label, votes))| OptionResult {
                position: u32::try_from(position).unwrap_or(u32::MAX),
                label,
                votes,
            })
            .collect(),
        turnout: tally
            .turnout
            .into_iter()
            .zip(cells)
            .map(|((neighbourhood, _), voters)| Turnout {
                neighbourhood,
                voters,
            })
            .collect(),
        answer: official(record.answer),
    }))
}
