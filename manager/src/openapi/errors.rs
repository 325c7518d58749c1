//! The error answers of the API, each declared once as a reusable response
//! (`#/components/responses/...`, body `ErrorBody`), and given to every
//! operation from what it is built of. The extractors behind credentials,
//! path, query string and JSON body refuse requests in known ways, so an
//! operation that declares a security scheme, a parameter or a body gets
//! those statuses without its handler listing them; what a handler refuses
//! for reasons of its own (403, 404, 409, 422, 429) stays in its
//! `#[utoipa::path]`, and is turned into a reference to the same response.

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, ParameterIn, PathItem};
use utoipa::openapi::{ContentBuilder, Object, OpenApi, Ref, RefOr, Response, Type};

/// One status an `ApiError` is sent with.
#[derive(Debug, Clone, Copy)]
struct ErrorResponse {
    status: &'static str,
    name: &'static str,
    description: &'static str,
}

const BAD_REQUEST: ErrorResponse = ErrorResponse {
    status: "400",
    name: "BadRequest",
    description: "Malformed request: a body that is not JSON (`malformed_json`), or a path \
                  or query value that does not parse, or an unknown query parameter \
                  (`bad_request`)",
};
const UNAUTHENTICATED: ErrorResponse = ErrorResponse {
    status: "401",
    name: "Unauthenticated",
    description: "Missing, unknown, expired or revoked credentials",
};
const FORBIDDEN: ErrorResponse = ErrorResponse {
    status: "403",
    name: "Forbidden",
    description: "These credentials may not do this",
};
const NOT_FOUND: ErrorResponse = ErrorResponse {
    status: "404",
    name: "NotFound",
    description: "No such resource",
};
const CONFLICT: ErrorResponse = ErrorResponse {
    status: "409",
    name: "Conflict",
    description: "The request conflicts with what is stored",
};
const PAYLOAD_TOO_LARGE: ErrorResponse = ErrorResponse {
    status: "413",
    name: "PayloadTooLarge",
    description: "The body is larger than this server accepts (`http.body_limit_bytes`)",
};
const UNSUPPORTED_MEDIA_TYPE: ErrorResponse = ErrorResponse {
    status: "415",
    name: "UnsupportedMediaType",
    description: "The body was not sent with `Content-Type: application/json`",
};
const INVALID: ErrorResponse = ErrorResponse {
    status: "422",
    name: "Invalid",
    description: "Well-formed, but not allowed: a missing or unknown field, a value of the \
                  wrong type, out of bounds or against a rule of the operation",
};
const RATE_LIMITED: ErrorResponse = ErrorResponse {
    status: "429",
    name: "RateLimited",
    description: "Too many attempts; try again after `Retry-After` seconds",
};
const UNAVAILABLE: ErrorResponse = ErrorResponse {
    status: "503",
    name: "Unavailable",
    description: "The database cannot take writes right now, or the request took too long; \
                  try again later",
};

const ALL: [ErrorResponse; 10] = [
    BAD_REQUEST,
    UNAUTHENTICATED,
    FORBIDDEN,
    NOT_FOUND,
    CONFLICT,
    PAYLOAD_TOO_LARGE,
    UNSUPPORTED_MEDIA_TYPE,
    INVALID,
    RATE_LIMITED,
    UNAVAILABLE,
];

impl ErrorResponse {
    fn response(self) -> Response {
        let content = ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("ErrorBody")))
            .build();
        let mut response = Response::new(self.description);
        response
            .content
            .insert("application/json".to_owned(), RefOr::T(content));
        if self.status == RATE_LIMITED.status {
            let seconds = HeaderBuilder::new()
                .schema(Some(Object::with_type(Type::Integer)))
                .description(Some("Seconds to wait before trying again"))
                .build();
            response
                .headers
                .insert("Retry-After".to_owned(), RefOr::T(seconds));
        }
        response
    }

    /// A reference to this response, with an operation's own description.
    fn reference(self, description: Option<String>) -> RefOr<Response> {
        let mut reference = Ref::from_response_name(self.name);
        if let Some(description) = description.filter(|text| text != self.description) {
            reference.description = description;
        }
        RefOr::Ref(reference)
    }
}

/// Declares the error responses and gives each operation the ones its
/// extractors and its handler can answer with.
pub(super) fn declare(openapi: &mut OpenApi) {
    let components = openapi.components.get_or_insert_with(Default::default);
    for error in ALL {
        components
            .responses
            .insert(error.name.to_owned(), RefOr::T(error.response()));
    }
    for (path, item) in &mut openapi.paths.paths {
        // Open311 answers errors in its own shape, declared by its handlers.
        if path.starts_with(crate::open311::PREFIX) {
            continue;
        }
        let path_has_parameters = item
            .parameters
            .as_ref()
            .is_some_and(|list| !list.is_empty());
        for operation in operations(item) {
            refer_to_declared(operation);
            for error in from_extractors(operation, path_has_parameters) {
                operation
                    .responses
                    .responses
                    .entry(error.status.to_owned())
                    .or_insert_with(|| error.reference(None));
            }
        }
    }
}

pub(super) fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        item.get.as_mut(),
        item.put.as_mut(),
        item.post.as_mut(),
        item.delete.as_mut(),
        item.patch.as_mut(),
    ]
    .into_iter()
    .flatten()
}

/// The handler's own error statuses, as references keeping their description.
fn refer_to_declared(operation: &mut Operation) {
    for (status, response) in &mut operation.responses.responses {
        let Some(error) = ALL.iter().find(|error| error.status == status) else {
            continue;
        };
        let description = match response {
            RefOr::T(inline) => Some(inline.description.clone()),
            RefOr::Ref(_) => None,
        };
        *response = error.reference(description.filter(|text| !text.is_empty()));
    }
}

/// What the extractors an operation is built of can answer.
fn from_extractors(operation: &Operation, path_has_parameters: bool) -> Vec<ErrorResponse> {
    let mut errors = vec![UNAVAILABLE];
    let requirements = operation.security.as_deref().unwrap_or_default();
    if !requirements.is_empty() {
        errors.push(UNAUTHENTICATED);
    }
    // A citizen's login holds only at the kiosk that made it.
    let takes_citizens = requirements.iter().any(|requirement| {
        serde_json::to_value(requirement)
            .is_ok_and(|schemes| schemes.get(super::CITIZEN_TOKEN).is_some())
    });
    if takes_citizens {
        errors.push(FORBIDDEN);
    }
    let has_parameters = path_has_parameters
        || operation.parameters.iter().flatten().any(|parameter| {
            matches!(parameter, RefOr::T(parameter)
                if matches!(parameter.parameter_in, ParameterIn::Path | ParameterIn::Query))
        });
    if has_parameters || operation.request_body.is_some() {
        errors.push(BAD_REQUEST);
    }
    if operation.request_body.is_some() {
        errors.extend([PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, INVALID]);
    }
    errors
}
