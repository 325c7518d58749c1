//! The OpenAPI document, generated from the handlers themselves: every route
//! is registered through `utoipa_axum::routes!`, which adds it to the router
//! and to this document in one step.

use std::sync::LazyLock;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::{catalogue, centres, events, kiosks, participation, probes, reports};

pub const KIOSK_TOKEN: &str = "kiosk_token";
pub const STAFF_TOKEN: &str = "staff_token";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Plaza manager API",
        description = "Enrolment, heartbeats and usage events of Plaza kiosks; kiosk status and remote commands for supervisors. Errors are always `{\"error\": {\"code\", \"message\"}}`."
    ),
    components(schemas(plaza_api::error::ErrorBody)),
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
        .routes(routes!(openapi_json))
}

pub fn document() -> utoipa::openapi::OpenApi {
    api_router().into_openapi()
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
