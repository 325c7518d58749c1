//! `GET services.json` and `GET services/{service_code}.json`.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use plaza_api::session::Language;

use super::wire::{
    Open311Attribute, Open311AttributeValue, Open311ErrorEntry, Open311Service,
    Open311ServiceDefinition,
};
use super::{Open311Error, Open311Result, json_name, pairs, value};
use crate::state::AppState;
use crate::storage::StorageError;
use crate::storage::requests::ServiceTypeRecord;

/// `locale` (an extension many servers accept): `en…` for English names;
/// Spanish otherwise.
pub(super) fn language(pairs: &[(String, String)]) -> Language {
    match value(pairs, "locale") {
        Some(locale) if locale.to_ascii_lowercase().starts_with("en") => Language::En,
        _ => Language::Es,
    }
}

fn service(record: ServiceTypeRecord, language: Language) -> Open311Service {
    let english = language == Language::En;
    Open311Service {
        metadata: !record.attributes.is_empty(),
        kind: "realtime".to_owned(),
        keywords: record.keywords.join(", "),
        service_code: record.code,
        service_name: if english {
            record.name_en
        } else {
            record.name_es
        },
        description: if english {
            record.description_en
        } else {
            record.description_es
        },
        group: if english {
            record.group_en
        } else {
            record.group_es
        },
    }
}

/// The service types, as `services.json`.
#[utoipa::path(get, path = "/open311/v2/services.json", tag = "open311",
    params(
        ("jurisdiction_id" = Option<String>, Query, description = "Accepted and ignored: this server serves one jurisdiction"),
        ("locale" = Option<String>, Query, description = "`en` for English names; Spanish otherwise"),
    ),
    responses(
        (status = 200, body = Vec<Open311Service>),
        (status = 400, body = Vec<Open311ErrorEntry>),
        (status = 503, body = Vec<Open311ErrorEntry>),
    ))]
pub(super) async fn list(
    State(state): State<AppState>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Open311Result<axum::Json<Vec<Open311Service>>> {
    let query = pairs(
        query
            .map(|Query(pairs)| pairs)
            .map_err(|error| error.body_text()),
    )?;
    let language = language(&query);
    Ok(axum::Json(
        state
            .storage
            .service_types()
            .await?
            .into_iter()
            .map(|record| service(record, language))
            .collect(),
    ))
}

fn attribute(value: &serde_json::Value) -> Open311Attribute {
    let text = |name: &str| value[name].as_str().unwrap_or_default().to_owned();
    Open311Attribute {
        variable: value["variable"].as_bool().unwrap_or(true),
        code: text("code"),
        datatype: text("datatype"),
        required: value["required"].as_bool().unwrap_or(false),
        datatype_description: value["datatype_description"].as_str().map(str::to_owned),
        order: value["order"].as_i64().unwrap_or(0),
        description: text("description"),
        values: value["values"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|option| Open311AttributeValue {
                key: match &option["key"] {
                    serde_json::Value::String(key) => key.clone(),
                    other => other.to_string(),
                },
                name: option["name"].as_str().unwrap_or_default().to_owned(),
            })
            .collect(),
    }
}

/// A service's attributes (extra fields), as `services/{service_code}.json`.
#[utoipa::path(get, path = "/open311/v2/services/{file}", tag = "open311",
    params(
        ("file" = String, Path, description = "`{service_code}.json`"),
        ("jurisdiction_id" = Option<String>, Query, description = "Accepted and ignored"),
    ),
    responses(
        (status = 200, body = Open311ServiceDefinition),
        (status = 400, body = Vec<Open311ErrorEntry>),
        (status = 404, description = "No such service code", body = Vec<Open311ErrorEntry>),
        (status = 503, body = Vec<Open311ErrorEntry>),
    ))]
pub(super) async fn definition(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Open311Result<axum::Json<Open311ServiceDefinition>> {
    let code = json_name(&file)?;
    let record =
        state
            .storage
            .service_type(code.to_owned())
            .await
            .map_err(|error| match error {
                StorageError::NotFound => {
                    Open311Error::not_found(format!("service_code `{code}` was not found"))
                }
                other => other.into(),
            })?;
    Ok(axum::Json(Open311ServiceDefinition {
        attributes: record.attributes.iter().map(attribute).collect(),
        service_code: record.code,
    }))
}
