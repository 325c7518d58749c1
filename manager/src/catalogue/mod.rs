//! The catalogues over HTTP: public reading and search of procedures, tenders
//! and networks, the kiosks' sync, and admin writes (each bumps the content
//! version and is audited).
//!
//! The three catalogues have the same five routes; `catalogue_routes!`
//! writes them once per kind so each stays a plain, documented handler.

pub mod import;
mod routes;
mod sync;

use axum::http::StatusCode;
use plaza_api::catalogue::{CatalogueHit, CatalogueResults};
use plaza_api::session::Language;
use plaza_catalogue::{Filter, Record, Search};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;

use crate::error::{ApiError, ApiResult};
use crate::extract::bounded;
use crate::state::AppState;

const LIMIT_DEFAULT: u32 = 50;
const LIMIT_MAX: u32 = 200;
const QUERY_MAX: usize = 200;

pub fn routes() -> OpenApiRouter<AppState> {
    routes::routes().merge(sync::routes())
}

/// `?q=&category=&status=&theme=&lang=&limit=`
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    /// Words to search for (accents and case do not matter; the last word
    /// may be half typed). Empty: the whole catalogue by title.
    #[param(max_length = 200)]
    q: Option<String>,
    /// Procedures and tenders: their category.
    category: Option<String>,
    /// Tenders: `open`, `closed`, `awarded` or `cancelled`.
    status: Option<String>,
    /// Networks: their theme.
    theme: Option<String>,
    /// `es` (default) or `en`; texts missing in a language come in Spanish.
    lang: Option<Language>,
    /// At most this many results (default 50).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u32>,
}

/// Which facets a kind accepts, and their vocabularies.
pub(crate) struct Facets {
    pub category: Option<&'static [&'static str]>,
    pub status: Option<&'static [&'static str]>,
    pub theme: Option<&'static [&'static str]>,
}

fn facet(
    name: &str,
    value: Option<String>,
    allowed: Option<&'static [&'static str]>,
) -> ApiResult<Option<String>> {
    let Some(value) = value.filter(|value| !value.is_empty()) else {
        return Ok(None);
    };
    let Some(allowed) = allowed else {
        return Err(ApiError::invalid(format!(
            "this catalogue has no `{name}` filter"
        )));
    };
    if allowed.contains(&value.as_str()) {
        Ok(Some(value))
    } else {
        Err(ApiError::invalid(format!(
            "unknown {name} `{value}`; one of: {}",
            allowed.join(", ")
        )))
    }
}

pub(crate) async fn list<R: Record>(
    state: &AppState,
    query: ListQuery,
    facets: &Facets,
) -> ApiResult<CatalogueResults> {
    let text = query.q.unwrap_or_default();
    if text.chars().count() > QUERY_MAX {
        return Err(ApiError::invalid(format!(
            "a search is at most {QUERY_MAX} characters"
        )));
    }
    let category = match facet("theme", query.theme, facets.theme)? {
        Some(theme) => Some(theme),
        None => facet("category", query.category, facets.category)?,
    };
    let filter = Filter {
        category,
        status: facet("status", query.status, facets.status)?,
    };
    let language = query.lang.unwrap_or_default();
    let limit = bounded("limit", query.limit, LIMIT_DEFAULT, 1..=LIMIT_MAX)?;
    let found = state
        .storage
        .search_catalogue::<R>(Search {
            text,
            language,
            filter,
            limit,
        })
        .await?;
    let results: Vec<CatalogueHit> = found
        .records
        .iter()
        .map(|record| record.hit(language))
        .collect();
    tracing::debug!(kind = %R::KIND, results = results.len(), corrected = found.corrected.is_some(), "catalogue search");
    Ok(CatalogueResults {
        language,
        corrected: found.corrected.is_some(),
        corrected_query: found.corrected,
        results,
    })
}

pub(crate) fn record_from_body<R: Record>(body: &serde_json::Value) -> ApiResult<R> {
    plaza_catalogue::validate::record_from_json(body).map_err(|problems| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            problems.join("; "),
        )
    })
}
