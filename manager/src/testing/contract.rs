//! The OpenAPI document as a test oracle: every response a test manager
//! sends for a documented operation is checked against the response the
//! document declares for its status (JSON Schema 2020-12, through the
//! `jsonschema` crate), so the suites that exercise the API also prove the
//! document true. A response for an undocumented status, with an
//! undocumented content type or with a body the schema refuses is a
//! violation; [`super::TestManager`] fails the test that caused it.
//!
//! Routes the document does not describe (the dashboard, unknown paths,
//! methods a path does not have) are left alone: they are not part of the
//! contract.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock, Mutex};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::Value;

/// What a documented response allows, per media type; `None` for a media
/// type documented without a schema (the OpenAPI document itself, CSV).
struct Documented {
    content: BTreeMap<String, Option<Arc<jsonschema::Validator>>>,
}

/// The documented operations, found by path the way axum routes them.
pub struct Contract {
    paths: matchit::Router<usize>,
    /// Per path template: method → status → response.
    operations: Vec<BTreeMap<String, BTreeMap<u16, Documented>>>,
}

static CONTRACT: LazyLock<Result<Contract, String>> =
    LazyLock::new(|| Contract::from_document(&crate::openapi::document()));

impl Contract {
    /// The manager's own document.
    pub fn get() -> Result<&'static Contract, String> {
        CONTRACT.as_ref().map_err(Clone::clone)
    }

    pub fn from_document(document: &utoipa::openapi::OpenApi) -> Result<Self, String> {
        let document = serde_json::to_value(document).map_err(|error| error.to_string())?;
        // Schemas refer to `#/components/schemas/X`; each response schema is
        // validated as its own root, with the components as its `$defs`.
        let definitions = document["components"]["schemas"].clone();
        let mut compiled: HashMap<String, Arc<jsonschema::Validator>> = HashMap::new();
        let mut compile = |schema: &Value| -> Result<Arc<jsonschema::Validator>, String> {
            let text = schema
                .to_string()
                .replace("#/components/schemas/", "#/$defs/");
            if let Some(validator) = compiled.get(&text) {
                return Ok(validator.clone());
            }
            let mut root: Value = serde_json::from_str(&text).map_err(|error| error.to_string())?;
            if let Value::Object(root) = &mut root {
                let definitions = definitions
                    .to_string()
                    .replace("#/components/schemas/", "#/$defs/");
                root.insert(
                    "$defs".to_owned(),
                    serde_json::from_str(&definitions).map_err(|error| error.to_string())?,
                );
            }
            let validator = jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .should_validate_formats(true)
                .build(&root)
                .map_err(|error| format!("schema {text}: {error}"))?;
            let validator = Arc::new(validator);
            compiled.insert(text, validator.clone());
            Ok(validator)
        };
        let mut paths = matchit::Router::new();
        let mut operations = Vec::new();
        let no_paths = serde_json::Map::new();
        for (template, item) in document["paths"].as_object().unwrap_or(&no_paths) {
            let mut methods = BTreeMap::new();
            for (method, operation) in item.as_object().into_iter().flatten() {
                let mut statuses = BTreeMap::new();
                for (status, response) in operation["responses"].as_object().into_iter().flatten() {
                    let status: u16 = status
                        .parse()
                        .map_err(|_| format!("{method} {template}: status `{status}`"))?;
                    let response = resolve(&document, response)?;
                    let mut content = BTreeMap::new();
                    for (media_type, media) in response["content"].as_object().into_iter().flatten()
                    {
                        let validator = match media.get("schema") {
                            Some(schema) if media_type.ends_with("json") => Some(compile(schema)?),
                            _ => None,
                        };
                        content.insert(media_type.to_ascii_lowercase(), validator);
                    }
                    statuses.insert(status, Documented { content });
                }
                methods.insert(method.to_ascii_uppercase(), statuses);
            }
            paths
                .insert(template.clone(), operations.len())
                .map_err(|error| format!("path {template}: {error}"))?;
            operations.push(methods);
        }
        Ok(Self { paths, operations })
    }

    /// The responses of `method` at `path`, if the document describes them.
    fn operation(&self, method: &Method, path: &str) -> Option<&BTreeMap<u16, Documented>> {
        let index = *self.paths.at(path).ok()?.value;
        self.operations[index].get(method.as_str())
    }

    pub fn describes(&self, method: &Method, path: &str) -> bool {
        self.operation(method, path).is_some()
    }

    /// Whether a response keeps the document; `Err` says how it does not.
    /// Operations the document does not describe pass.
    pub fn check(
        &self,
        method: &Method,
        path: &str,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<(), String> {
        let Some(responses) = self.operation(method, path) else {
            return Ok(());
        };
        let Some(documented) = responses.get(&status) else {
            return Err(format!(
                "status {status} is not documented (documented: {:?})",
                responses.keys().collect::<Vec<_>>()
            ));
        };
        if documented.content.is_empty() {
            return if body.is_empty() {
                Ok(())
            } else {
                Err(format!(
                    "documented without a body, sent {} bytes",
                    body.len()
                ))
            };
        }
        let media_type = content_type
            .and_then(|value| value.split(';').next())
            .map(|value| value.trim().to_ascii_lowercase())
            .unwrap_or_default();
        let Some(validator) = documented.content.get(&media_type) else {
            return Err(format!(
                "content type `{media_type}` is not documented (documented: {:?})",
                documented.content.keys().collect::<Vec<_>>()
            ));
        };
        let Some(validator) = validator else {
            return Ok(());
        };
        let instance: Value = serde_json::from_slice(body)
            .map_err(|error| format!("the body is not JSON ({error})"))?;
        let problems: Vec<String> = validator
            .iter_errors(&instance)
            .map(|error| format!("at `{}`: {error}", error.instance_path()))
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "the body breaks its schema: {}; body: {}",
                problems.join("; "),
                String::from_utf8_lossy(&body[..body.len().min(2000)])
            ))
        }
    }
}

/// A response, or the component response it refers to.
fn resolve<'a>(document: &'a Value, response: &'a Value) -> Result<&'a Value, String> {
    match response.get("$ref").and_then(Value::as_str) {
        None => Ok(response),
        Some(reference) => reference
            .strip_prefix("#/")
            .map(|pointer| document.pointer(&format!("/{pointer}")))
            .and_then(|found| found)
            .ok_or_else(|| format!("unresolved reference `{reference}`")),
    }
}

/// What a test manager's responses broke, in order.
#[derive(Debug, Clone, Default)]
pub struct Violations(Arc<Mutex<Vec<String>>>);

impl Violations {
    pub fn take(&self) -> Vec<String> {
        self.0
            .lock()
            .map(|mut found| std::mem::take(&mut *found))
            .unwrap_or_default()
    }

    fn record(&self, violation: String) {
        if let Ok(mut found) = self.0.lock() {
            found.push(violation);
        }
    }
}

/// Middleware around the whole router: checks each documented response and
/// passes it on unchanged.
pub async fn check_responses(
    State(violations): State<Violations>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let contract = match Contract::get() {
        Ok(contract) => contract,
        Err(error) => {
            violations.record(format!("the document cannot serve as a contract: {error}"));
            return response;
        }
    };
    // HEAD answers carry no body; only what the document describes is
    // buffered (the dashboard's event stream never ends).
    if method == Method::HEAD || !contract.describes(&method, &path) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(error) => {
            violations.record(format!(
                "{method} {path}: the body could not be read: {error}"
            ));
            return Response::from_parts(parts, Body::empty());
        }
    };
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok());
    if let Err(problem) =
        contract.check(&method, &path, parts.status.as_u16(), content_type, &bytes)
    {
        violations.record(format!(
            "{method} {path} answered {}: {problem}",
            parts.status.as_u16()
        ));
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract() -> &'static Contract {
        Contract::get().expect("the manager's document compiles as a contract")
    }

    #[test]
    fn a_response_that_keeps_the_document_passes() {
        let body = br#"{"status":"ok"}"#;
        assert_eq!(
            contract().check(
                &Method::GET,
                "/healthz",
                200,
                Some("application/json"),
                body
            ),
            Ok(())
        );
    }

    #[test]
    fn schema_violations_undocumented_statuses_and_media_types_are_caught() {
        let contract = contract();
        let wrong_type = contract.check(
            &Method::GET,
            "/healthz",
            200,
            Some("application/json"),
            br#"{"status":42}"#,
        );
        assert!(wrong_type.is_err_and(|problem| problem.contains("/status")));
        let missing = contract.check(
            &Method::GET,
            "/healthz",
            200,
            Some("application/json"),
            b"{}",
        );
        assert!(missing.is_err());
        let undocumented = contract.check(
            &Method::GET,
            "/healthz",
            418,
            Some("application/json"),
            b"{}",
        );
        assert!(undocumented.is_err_and(|problem| problem.contains("418")));
        let csv = contract.check(&Method::GET, "/healthz", 200, Some("text/csv"), b"a,b");
        assert!(csv.is_err_and(|problem| problem.contains("text/csv")));
    }

    #[test]
    fn error_bodies_are_checked_through_their_component_response() {
        let contract = contract();
        let path = "/api/v1/kiosks/not-a-uuid/heartbeat";
        let error = br#"{"error":{"code":"bad_request","message":"bad path"}}"#;
        assert_eq!(
            contract.check(&Method::POST, path, 400, Some("application/json"), error),
            Ok(())
        );
        let bare = contract.check(&Method::POST, path, 400, Some("text/plain"), b"bad path");
        assert!(bare.is_err());
    }

    #[test]
    fn routes_outside_the_document_are_not_checked() {
        let contract = contract();
        assert!(!contract.describes(&Method::GET, "/dashboard/floor"));
        assert!(!contract.describes(&Method::DELETE, "/healthz"));
        assert_eq!(
            contract.check(&Method::GET, "/api/v1/nothing", 404, None, b""),
            Ok(())
        );
    }
}
