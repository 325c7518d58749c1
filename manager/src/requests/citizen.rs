//! The kiosk's side: the service types, filing a request (anonymously or
//! logged in), following one by its ticket code, and "my requests".

use axum::extract::State;
use axum::http::StatusCode;
use plaza_api::error::ErrorBody;
use plaza_api::requests::{
    MyRequests, NewRequest, PublicRequest, RequestChannel, ServiceType, ServiceTypes,
};
use plaza_api::session::Language;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{Filing, file_request, normalise_ticket, public_view};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::participation::auth::{CitizenAuth, Viewer};
use crate::state::AppState;
use crate::storage::StorageError;
use crate::storage::requests::ServiceTypeRecord;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct LanguageQuery {
    /// The language of names (default Spanish).
    lang: Option<Language>,
}

impl LanguageQuery {
    fn language(&self) -> Language {
        self.lang.unwrap_or_default()
    }
}

pub(crate) fn service_in(record: ServiceTypeRecord, language: Language) -> ServiceType {
    let english = language == Language::En;
    let pick = |es: String, en: String| if english { en } else { es };
    ServiceType {
        code: record.code,
        name: pick(record.name_es, record.name_en),
        group: pick(record.group_es, record.group_en),
        description: pick(record.description_es, record.description_en),
        keywords: record.keywords,
        pictogram: record.pictogram,
    }
}

/// The types of request the municipality takes, in their set order.
#[utoipa::path(get, path = "/api/v1/requests/services", tag = "requests",
    params(LanguageQuery),
    responses((status = 200, body = ServiceTypes), (status = 400, body = ErrorBody)))]
pub(super) async fn services(
    State(state): State<AppState>,
    Query(query): Query<LanguageQuery>,
) -> ApiResult<Json<ServiceTypes>> {
    let language = query.language();
    let services = state
        .storage
        .service_types()
        .await?
        .into_iter()
        .map(|record| service_in(record, language))
        .collect();
    Ok(Json(ServiceTypes { services }))
}

/// File a request from a kiosk. Anonymous: the reply's ticket code is the
/// only way to follow it. Logged in (with the citizen token): it is also
/// listed under the account's requests at any kiosk. No name, phone,
/// email or document is asked for.
#[utoipa::path(post, path = "/api/v1/requests", tag = "requests",
    params(LanguageQuery),
    request_body = NewRequest,
    security(("kiosk_token" = [], "citizen_token" = []), ("kiosk_token" = [])),
    responses(
        (status = 201, description = "Filed; keep the ticket code", body = PublicRequest),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not a kiosk", body = ErrorBody),
        (status = 413, body = ErrorBody),
        (status = 415, body = ErrorBody),
        (status = 422, description = "Unknown service code, or text too long", body = ErrorBody),
    ))]
pub(super) async fn file(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<LanguageQuery>,
    Json(request): Json<NewRequest>,
) -> ApiResult<(StatusCode, Json<PublicRequest>)> {
    let Viewer::Kiosk { kiosk, citizen } = viewer else {
        return Err(ApiError::forbidden(
            "requests are filed at a kiosk or through Open311",
        ));
    };
    if request.neighbourhood.trim().is_empty() {
        return Err(ApiError::invalid("say which neighbourhood it is in"));
    }
    let filing = Filing {
        service_code: request.service_code,
        description: request.description,
        neighbourhood: Some(request.neighbourhood),
        street: request.street,
        reference: request.reference,
        lat: request.lat,
        lon: request.lon,
        attributes: serde_json::Map::new(),
        centre_id: Some(kiosk.0.centre_id),
        citizen_id: citizen.as_ref().map(CitizenAuth::id),
    };
    let actor = format!("kiosk {}", kiosk.kiosk_id());
    let record = file_request(&state, filing, RequestChannel::Kiosk, actor).await?;
    Ok((
        StatusCode::CREATED,
        Json(public_view(&record, query.language())),
    ))
}

/// Follow a request by its ticket code (any case, with or without the
/// dash), from any kiosk.
#[utoipa::path(get, path = "/api/v1/requests/tickets/{ticket}", tag = "requests",
    params(("ticket" = String, Path, description = "Ticket code"), LanguageQuery),
    security(("kiosk_token" = [])),
    responses(
        (status = 200, body = PublicRequest),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub(super) async fn by_ticket(
    State(state): State<AppState>,
    _kiosk: crate::auth::KioskAuth,
    Path(ticket): Path<String>,
    Query(query): Query<LanguageQuery>,
) -> ApiResult<Json<PublicRequest>> {
    let no_ticket = || ApiError::not_found("no request has that ticket code");
    let ticket = normalise_ticket(&ticket).ok_or_else(no_ticket)?;
    let record = state
        .storage
        .request_by_ticket(ticket)
        .await
        .map_err(|error| match error {
            StorageError::NotFound => no_ticket(),
            other => other.into(),
        })?;
    Ok(Json(public_view(&record, query.language())))
}

/// The logged-in citizen's requests, newest first, with staff's public
/// notes.
#[utoipa::path(get, path = "/api/v1/requests/mine", tag = "requests",
    params(LanguageQuery),
    security(("kiosk_token" = [], "citizen_token" = [])),
    responses(
        (status = 200, body = MyRequests),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
    ))]
pub(super) async fn mine(
    State(state): State<AppState>,
    citizen: CitizenAuth,
    Query(query): Query<LanguageQuery>,
) -> ApiResult<Json<MyRequests>> {
    let language = query.language();
    let requests = state
        .storage
        .citizen_requests(citizen.id(), 100)
        .await?
        .iter()
        .map(|record| public_view(record, language))
        .collect();
    Ok(Json(MyRequests { requests }))
}
