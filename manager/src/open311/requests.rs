//! `GET requests.json`, `GET requests/{service_request_id}.json` and
//! `POST requests.json` (with an API key).

use std::str::FromStr;

use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use jiff::{SignedDuration, Timestamp};
use plaza_api::requests::{RequestChannel, RequestStatus};
use plaza_api::session::Language;
use utoipa::ToSchema;

use super::services::language;
use super::wire::{Open311ErrorEntry, Open311Receipt, Open311Request};
use super::{Open311Error, Open311Result, json_name, pairs, value};
use crate::auth::hash_secret;
use crate::requests::{Filing, file_request, normalise_ticket};
use crate::state::AppState;
use crate::storage::requests::{RequestFilter, RequestRecord};

/// At most this many requests per `requests.json`.
const LIST_MAX: u32 = 1000;
/// Without dates, `requests.json` covers this many past days.
const DEFAULT_DAYS: i64 = 90;

fn w3c(time: Timestamp) -> String {
    time.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn open311_status(status: RequestStatus) -> &'static str {
    if status.is_final() { "closed" } else { "open" }
}

fn present(record: RequestRecord, language: Language) -> Open311Request {
    let address: Vec<&str> = [&record.street, &record.reference, &record.neighbourhood]
        .into_iter()
        .filter_map(|part| part.as_deref())
        .collect();
    Open311Request {
        service_request_id: record.ticket,
        status: open311_status(record.status).to_owned(),
        status_notes: record.public_note,
        service_name: match language {
            Language::En => record.service_name_en,
            _ => record.service_name_es,
        },
        service_code: record.service_code,
        description: Some(record.description).filter(|text| !text.is_empty()),
        agency_responsible: None,
        service_notice: None,
        requested_datetime: w3c(record.created_at),
        updated_datetime: w3c(record.updated_at),
        expected_datetime: None,
        address: (!address.is_empty()).then(|| address.join(", ")),
        address_id: None,
        zipcode: None,
        lat: record.lat,
        long: record.lon,
        media_url: None,
    }
}

/// A date given empty is a mistake too, not "no date".
fn date(pairs: &[(String, String)], name: &str) -> Open311Result<Option<Timestamp>> {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, text)| text.trim())
        .map(|text| {
            Timestamp::from_str(text).map_err(|_| {
                Open311Error::bad_request(format!(
                    "{name} must be a w3c date and time with its zone, such as 2026-03-01T00:00:00Z"
                ))
            })
        })
        .transpose()
}

fn list_of(pairs: &[(String, String)], name: &str) -> Option<Vec<String>> {
    value(pairs, name).map(|text| {
        text.split(',')
            .map(|item| item.trim().to_owned())
            .filter(|item| !item.is_empty())
            .collect()
    })
}

/// Requests, as `requests.json`: by `service_request_id` (comma-separated;
/// the other filters are then ignored), or by `service_code`, `status`
/// (`open`, `closed`) and `start_date`/`end_date` (the past 90 days by
/// default); the newest 1000 at most, newest first.
#[utoipa::path(get, path = "/open311/v2/requests.json", tag = "open311",
    params(
        ("service_request_id" = Option<String>, Query, description = "Comma-separated ids"),
        ("service_code" = Option<String>, Query, description = "Comma-separated codes"),
        ("start_date" = Option<String>, Query, format = DateTime, description = "w3c date and time"),
        ("end_date" = Option<String>, Query, format = DateTime, description = "w3c date and time"),
        ("status" = Option<String>, Query, description = "`open`, `closed` or both, comma-separated"),
        ("jurisdiction_id" = Option<String>, Query, description = "Accepted and ignored"),
        ("locale" = Option<String>, Query, description = "`en` for English names"),
    ),
    responses(
        (status = 200, body = Vec<Open311Request>),
        (status = 400, body = Vec<Open311ErrorEntry>),
        (status = 503, body = Vec<Open311ErrorEntry>),
    ))]
pub(super) async fn list(
    State(state): State<AppState>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Open311Result<axum::Json<Vec<Open311Request>>> {
    let query = pairs(
        query
            .map(|Query(pairs)| pairs)
            .map_err(|error| error.body_text()),
    )?;
    let language = language(&query);
    let filter = if let Some(ids) = list_of(&query, "service_request_id") {
        RequestFilter {
            limit: LIST_MAX,
            tickets: Some(ids.iter().filter_map(|id| normalise_ticket(id)).collect()),
            ..RequestFilter::default()
        }
    } else {
        let statuses = match list_of(&query, "status") {
            None => None,
            Some(words) => {
                let mut statuses = Vec::new();
                for word in words {
                    match word.as_str() {
                        "open" => statuses.extend([RequestStatus::Open, RequestStatus::InProcess]),
                        "closed" => {
                            statuses.extend([RequestStatus::Closed, RequestStatus::Rejected]);
                        }
                        other => {
                            return Err(Open311Error::bad_request(format!(
                                "status `{other}`: use open, closed or both"
                            )));
                        }
                    }
                }
                Some(statuses)
            }
        };
        let end = date(&query, "end_date")?;
        let start = date(&query, "start_date")?;
        let start = match (start, end) {
            (Some(start), _) => start,
            (None, Some(end)) => end - SignedDuration::from_hours(24 * DEFAULT_DAYS),
            (None, None) => state.clock.now() - SignedDuration::from_hours(24 * DEFAULT_DAYS),
        };
        RequestFilter {
            limit: LIST_MAX,
            newest_first: true,
            service_codes: list_of(&query, "service_code"),
            statuses,
            since: Some(start),
            before: end,
            ..RequestFilter::default()
        }
    };
    let records = state.storage.request_list(filter).await?;
    Ok(axum::Json(
        records
            .into_iter()
            .map(|record| present(record, language))
            .collect(),
    ))
}

/// One request, as `requests/{service_request_id}.json` (an array of one).
#[utoipa::path(get, path = "/open311/v2/requests/{file}", tag = "open311",
    params(
        ("file" = String, Path, description = "`{service_request_id}.json`"),
        ("jurisdiction_id" = Option<String>, Query, description = "Accepted and ignored"),
        ("locale" = Option<String>, Query, description = "`en` for English names"),
    ),
    responses(
        (status = 200, body = Vec<Open311Request>),
        (status = 400, body = Vec<Open311ErrorEntry>),
        (status = 404, description = "No such request", body = Vec<Open311ErrorEntry>),
        (status = 503, body = Vec<Open311ErrorEntry>),
    ))]
pub(super) async fn one(
    State(state): State<AppState>,
    Path(file): Path<String>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Open311Result<axum::Json<Vec<Open311Request>>> {
    let query = pairs(
        query
            .map(|Query(pairs)| pairs)
            .map_err(|error| error.body_text()),
    )?;
    let id = json_name(&file)?;
    let not_found = || Open311Error::not_found(format!("service_request_id `{id}` was not found"));
    let ticket = normalise_ticket(id).ok_or_else(not_found)?;
    let record = state
        .storage
        .request_by_ticket(ticket)
        .await
        .map_err(|error| match error {
            crate::storage::StorageError::NotFound => not_found(),
            other => other.into(),
        })?;
    Ok(axum::Json(vec![present(record, language(&query))]))
}

/// The form of `POST requests.json` (`application/x-www-form-urlencoded`).
#[allow(dead_code, reason = "documents the form; the handler reads pairs")]
#[derive(ToSchema)]
pub(super) struct Open311NewRequest {
    /// A Plaza staff API token.
    api_key: String,
    service_code: String,
    jurisdiction_id: Option<String>,
    lat: Option<f64>,
    long: Option<f64>,
    /// Kept as the street (a neighbourhood, street and reference).
    address_string: Option<String>,
    address_id: Option<String>,
    /// Accepted, never stored.
    email: Option<String>,
    /// Accepted, never stored.
    device_id: Option<String>,
    /// Accepted, never stored.
    account_id: Option<String>,
    /// Accepted, never stored.
    first_name: Option<String>,
    /// Accepted, never stored.
    last_name: Option<String>,
    /// Accepted, never stored.
    phone: Option<String>,
    #[schema(max_length = 4000)]
    description: Option<String>,
    /// Accepted, never stored.
    media_url: Option<String>,
}

/// The answers to a service's attributes, `attribute[code]=value` (and
/// `attribute[code][]=value` for lists).
fn attributes(form: &[(String, String)]) -> serde_json::Map<String, serde_json::Value> {
    let mut answers = serde_json::Map::new();
    for (key, answer) in form {
        let Some(code) = key.strip_prefix("attribute[") else {
            continue;
        };
        if let Some(code) = code.strip_suffix("][]") {
            let entry = answers
                .entry(code.to_owned())
                .or_insert_with(|| serde_json::Value::Array(Vec::new()));
            if let serde_json::Value::Array(list) = entry {
                list.push(answer.clone().into());
            }
        } else if let Some(code) = code.strip_suffix(']') {
            answers.insert(code.to_owned(), answer.clone().into());
        }
    }
    answers
}

async fn check_api_key(state: &AppState, form: &[(String, String)]) -> Open311Result<String> {
    let refused = || Open311Error::new(StatusCode::FORBIDDEN, "api_key is missing or not valid");
    let key = value(form, "api_key").ok_or_else(refused)?;
    let token = state
        .storage
        .api_token_by_hash(hash_secret(key.trim()))
        .await?
        .filter(|token| token.revoked_at.is_none())
        .ok_or_else(refused)?;
    if let Some(user_id) = token.user_id
        && state
            .storage
            .user_by_id(user_id)
            .await?
            .disabled_at
            .is_some()
    {
        return Err(refused());
    }
    Ok(format!("open311 {}", token.name))
}

fn coordinate(form: &[(String, String)], name: &str) -> Open311Result<Option<f64>> {
    value(form, name)
        .map(|text| {
            text.trim()
                .parse()
                .map_err(|_| Open311Error::bad_request(format!("{name} must be a number")))
        })
        .transpose()
}

/// File a request. A location is required: `lat` and `long`, or
/// `address_string`, or `address_id`. Personal fields are accepted and
/// dropped.
#[utoipa::path(post, path = "/open311/v2/requests.json", tag = "open311",
    request_body(content = Open311NewRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Filed", body = Vec<Open311Receipt>),
        (status = 400, description = "A field missing or wrong, or an unknown service_code", body = Vec<Open311ErrorEntry>),
        (status = 403, description = "api_key missing or not valid", body = Vec<Open311ErrorEntry>),
        (status = 413, body = Vec<Open311ErrorEntry>),
        (status = 415, body = Vec<Open311ErrorEntry>),
        (status = 503, body = Vec<Open311ErrorEntry>),
    ))]
pub(super) async fn file(
    State(state): State<AppState>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Open311Result<axum::Json<Vec<Open311Receipt>>> {
    let form = match form {
        Ok(Form(form)) => form,
        Err(rejection) => {
            let status = match rejection.status() {
                StatusCode::PAYLOAD_TOO_LARGE | StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                    rejection.status()
                }
                _ => StatusCode::BAD_REQUEST,
            };
            return Err(Open311Error::new(status, rejection.body_text()));
        }
    };
    let actor = check_api_key(&state, &form).await?;
    let service_code = value(&form, "service_code")
        .ok_or_else(|| Open311Error::bad_request("service_code is required"))?
        .to_owned();
    let service = state
        .storage
        .service_type(service_code.clone())
        .await
        .map_err(|error| match error {
            crate::storage::StorageError::NotFound => {
                Open311Error::bad_request(format!("service_code `{service_code}` was not found"))
            }
            other => other.into(),
        })?;
    let lat = coordinate(&form, "lat")?;
    let lon = coordinate(&form, "long")?;
    let address = value(&form, "address_string").map(str::to_owned);
    let address_id = value(&form, "address_id").map(|id| format!("address_id {id}"));
    if (lat.is_none() || lon.is_none()) && address.is_none() && address_id.is_none() {
        return Err(Open311Error::bad_request(
            "a location is required: lat and long, address_string or address_id",
        ));
    }
    let answers = attributes(&form);
    for required in service
        .attributes
        .iter()
        .filter(|attribute| attribute["required"].as_bool() == Some(true))
        .filter_map(|attribute| attribute["code"].as_str())
    {
        if !answers.contains_key(required) {
            return Err(Open311Error::bad_request(format!(
                "attribute[{required}] is required"
            )));
        }
    }
    let filing = Filing {
        service_code,
        description: value(&form, "description").unwrap_or_default().to_owned(),
        neighbourhood: None,
        street: address,
        reference: address_id,
        lat,
        lon,
        attributes: answers,
        centre_id: None,
        citizen_id: None,
    };
    let record = file_request(&state, filing, RequestChannel::Open311, actor).await?;
    Ok(axum::Json(vec![Open311Receipt {
        service_request_id: record.ticket,
        service_notice: None,
        account_id: None,
    }]))
}
