//! The OpenAPI document, generated from the handlers themselves: every route
//! is registered through `utoipa_axum::routes!`, which adds it to the router
//! and to this document in one step. The error responses are declared once,
//! in [`errors`], and given to each operation from what it is built of.

mod errors;

use std::sync::LazyLock;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::{
    catalogue, centres, events, have_a_say, help_chat, kiosks, open311, participation, probes,
    reports, requests, web,
};

pub const KIOSK_TOKEN: &str = "kiosk_token";
pub const STAFF_TOKEN: &str = "staff_token";
pub const CITIZEN_TOKEN: &str = "citizen_token";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Plaza manager API",
        description = "Enrolment, heartbeats and usage events of Plaza kiosks; kiosk status and remote commands for supervisors. Errors are always `{\"error\": {\"code\", \"message\"}}`."
    ),
    components(schemas(plaza_api::error::ErrorBody, plaza_api::events::RawEvent)),
    modifiers(&BearerSchemes)
)]
struct ApiDoc;

struct BearerSchemes;

impl Modify for BearerSchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, description) in [
            (KIOSK_TOKEN, "Token a kiosk received at enrolment"),
            (
                STAFF_TOKEN,
                "Staff API token from `plaza-manager token create`",
            ),
        ] {
            components.add_security_scheme(
                name,
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .description(Some(description))
                        .build(),
                ),
            );
        }
        components.add_security_scheme(
            CITIZEN_TOKEN,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                plaza_api::participation::CITIZEN_TOKEN_HEADER,
                "Token of a citizen's login, sent with the token of the kiosk that logged in",
            ))),
        );
    }
}

/// Every route of the API, documented.
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(probes::routes())
        .merge(centres::routes())
        .merge(kiosks::routes())
        .merge(events::routes())
        .merge(participation::routes())
        .merge(catalogue::routes())
        .merge(reports::api::routes())
        .merge(requests::routes())
        .merge(open311::routes())
        .merge(have_a_say::routes())
        .merge(help_chat::routes())
        .merge(web::routes())
        .routes(routes!(openapi_json))
}

pub fn document() -> utoipa::openapi::OpenApi {
    let mut document = api_router().into_openapi();
    errors::declare(&mut document);
    describe_every_response(&mut document);
    drop_reader_only_commands(&mut document);
    document
}

/// OpenAPI requires a description on every response; a handler that gave
/// none gets its status's reason phrase.
fn describe_every_response(document: &mut utoipa::openapi::OpenApi) {
    for item in document.paths.paths.values_mut() {
        for operation in errors::operations(item) {
            for (status, response) in &mut operation.responses.responses {
                if let RefOr::T(response) = response
                    && response.description.is_empty()
                {
                    response.description = status
                        .parse()
                        .ok()
                        .and_then(|code| StatusCode::from_u16(code).ok())
                        .and_then(|code| code.canonical_reason())
                        .unwrap_or("Response")
                        .to_owned();
                }
            }
        }
    }
}

/// `CommandAction::Unsupported` is what a kiosk reads a command kind of a
/// newer manager as; nobody may send it, and this manager never does.
fn drop_reader_only_commands(document: &mut utoipa::openapi::OpenApi) {
    let commands = document
        .components
        .as_mut()
        .and_then(|components| components.schemas.get_mut("CommandAction"));
    if let Some(RefOr::T(Schema::OneOf(variants))) = commands {
        variants.items.retain(|variant| {
            serde_json::to_value(variant).map_or(true, |variant| {
                variant["properties"]["kind"]["enum"] != serde_json::json!(["unsupported"])
            })
        });
    }
}

static DOCUMENT_JSON: LazyLock<Result<String, String>> = LazyLock::new(|| {
    document()
        .to_pretty_json()
        .map_err(|error| error.to_string())
});

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "operations",
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json")))]
async fn openapi_json() -> Response {
    match &*DOCUMENT_JSON {
        Ok(json) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            json.clone(),
        )
            .into_response(),
        Err(error) => {
            crate::error::ApiError::internal(format!("openapi document: {error}")).into_response()
        }
    }
}
