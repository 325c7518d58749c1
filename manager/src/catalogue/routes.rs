//! List/search, get, create, update and delete for each catalogue.

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

macro_rules! catalogue_routes {
    (
        $module:ident, $record:ty, $tag:literal,
        collection = $collection:literal, item = $item:literal,
        facets = $facets:expr
    ) => {
        pub(super) mod $module {
            use axum::extract::State;
            use axum::http::StatusCode;
            use plaza_api::catalogue::{CatalogueResults, CatalogueWritten};
            use plaza_api::error::ErrorBody;
            use plaza_catalogue::Record;

            use super::super::{Facets, ListQuery, list as list_records, record_from_body};
            use crate::access::Duty;
            use crate::auth::StaffAuth;
            use crate::error::{ApiError, ApiResult};
            use crate::extract::{Json, Path, Query};
            use crate::state::AppState;
            use crate::storage::catalogue::WriteMode;

            const FACETS: Facets = $facets;

            /// Search or list; public.
            #[utoipa::path(get, path = $collection, tag = $tag,
                params(ListQuery),
                responses(
                    (status = 200, body = CatalogueResults),
                    (status = 422, description = "Unknown filter value, a search too long, or `limit` out of range", body = ErrorBody),
                ))]
            pub(crate) async fn list(
                State(state): State<AppState>,
                Query(query): Query<ListQuery>,
            ) -> ApiResult<Json<CatalogueResults>> {
                Ok(Json(list_records::<$record>(&state, query, &FACETS).await?))
            }

            /// One record with every language; public.
            #[utoipa::path(get, path = $item, tag = $tag,
                params(("id" = String, Path, description = "The record's id")),
                responses((status = 200, body = $record), (status = 404, body = ErrorBody)))]
            pub(crate) async fn get(
                State(state): State<AppState>,
                Path(id): Path<String>,
            ) -> ApiResult<Json<$record>> {
                Ok(Json(state.storage.catalogue_record::<$record>(id).await?))
            }

            /// Add a record (admin).
            #[utoipa::path(post, path = $collection, tag = $tag,
                request_body = $record,
                security(("staff_token" = [])),
                responses(
                    (status = 201, body = CatalogueWritten),
                    (status = 401, body = ErrorBody),
                    (status = 403, body = ErrorBody),
                    (status = 409, description = "The id or slug is taken", body = ErrorBody),
                    (status = 422, body = ErrorBody),
                ))]
            pub(crate) async fn create(
                State(state): State<AppState>,
                staff: StaffAuth,
                Json(body): Json<serde_json::Value>,
            ) -> ApiResult<(StatusCode, Json<CatalogueWritten>)> {
                staff.require(Duty::Catalogue)?;
                let record: $record = record_from_body(&body)?;
                let id = record.id().to_owned();
                let content_version = state
                    .storage
                    .save_catalogue_record(record, WriteMode::Create, staff.name, state.clock.now())
                    .await?;
                Ok((StatusCode::CREATED, Json(CatalogueWritten { id, content_version })))
            }

            /// Replace a record (admin).
            #[utoipa::path(put, path = $item, tag = $tag,
                params(("id" = String, Path, description = "The record's id")),
                request_body = $record,
                security(("staff_token" = [])),
                responses(
                    (status = 200, body = CatalogueWritten),
                    (status = 401, body = ErrorBody),
                    (status = 403, body = ErrorBody),
                    (status = 404, body = ErrorBody),
                    (status = 409, description = "The slug is taken", body = ErrorBody),
                    (status = 422, body = ErrorBody),
                ))]
            pub(crate) async fn update(
                State(state): State<AppState>,
                staff: StaffAuth,
                Path(id): Path<String>,
                Json(body): Json<serde_json::Value>,
            ) -> ApiResult<Json<CatalogueWritten>> {
                staff.require(Duty::Catalogue)?;
                let record: $record = record_from_body(&body)?;
                if record.id() != id {
                    return Err(ApiError::invalid(format!(
                        "the body's id `{}` is not the address's `{id}`",
                        record.id()
                    )));
                }
                let content_version = state
                    .storage
                    .save_catalogue_record(record, WriteMode::Update, staff.name, state.clock.now())
                    .await?;
                Ok(Json(CatalogueWritten { id, content_version }))
            }

            /// Remove a record (admin); kiosks drop it at their next sync.
            #[utoipa::path(delete, path = $item, tag = $tag,
                params(("id" = String, Path, description = "The record's id")),
                security(("staff_token" = [])),
                responses(
                    (status = 200, body = CatalogueWritten),
                    (status = 401, body = ErrorBody),
                    (status = 403, body = ErrorBody),
                    (status = 404, body = ErrorBody),
                ))]
            pub(crate) async fn delete(
                State(state): State<AppState>,
                staff: StaffAuth,
                Path(id): Path<String>,
            ) -> ApiResult<Json<CatalogueWritten>> {
                staff.require(Duty::Catalogue)?;
                let content_version = state
                    .storage
                    .delete_catalogue_record(
                        <$record as Record>::KIND,
                        id.clone(),
                        staff.name,
                        state.clock.now(),
                    )
                    .await?;
                Ok(Json(CatalogueWritten { id, content_version }))
            }
        }
    };
}

macro_rules! names {
    ($vocabulary:ty) => {{
        const NAMES: &[&str] = &{
            let all = <$vocabulary>::ALL;
            let mut names = [""; <$vocabulary>::ALL.len()];
            let mut index = 0;
            while index < all.len() {
                names[index] = all[index].as_str();
                index += 1;
            }
            names
        };
        NAMES
    }};
}

catalogue_routes!(
    procedures,
    plaza_api::catalogue::Procedure,
    "procedures",
    collection = "/api/v1/procedures",
    item = "/api/v1/procedures/{id}",
    facets = Facets {
        category: Some(names!(plaza_api::catalogue::ProcedureCategory)),
        status: None,
        theme: None,
    }
);

catalogue_routes!(
    tenders,
    plaza_api::catalogue::Tender,
    "tenders",
    collection = "/api/v1/tenders",
    item = "/api/v1/tenders/{id}",
    facets = Facets {
        category: Some(names!(plaza_api::catalogue::TenderCategory)),
        status: Some(names!(plaza_api::catalogue::TenderStatus)),
        theme: None,
    }
);

catalogue_routes!(
    networks,
    plaza_api::catalogue::Network,
    "networks",
    collection = "/api/v1/networks",
    item = "/api/v1/networks/{id}",
    facets = Facets {
        category: None,
        status: None,
        theme: Some(names!(plaza_api::catalogue::NetworkTheme)),
    }
);

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(procedures::list, procedures::create))
        .routes(routes!(
            procedures::get,
            procedures::update,
            procedures::delete
        ))
        .routes(routes!(tenders::list, tenders::create))
        .routes(routes!(tenders::get, tenders::update, tenders::delete))
        .routes(routes!(networks::list, networks::create))
        .routes(routes!(networks::get, networks::update, networks::delete))
}
