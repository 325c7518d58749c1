//! GeoReport v2's JSON shapes (https://wiki.open311.org/GeoReport_v2),
//! field for field.

use serde::Serialize;
use utoipa::ToSchema;

/// One entry of `services.json`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Open311Service {
    pub service_code: String,
    pub service_name: String,
    pub description: String,
    /// Whether the service has attributes (`services/{code}.json`).
    pub metadata: bool,
    /// `realtime`: a POST answers with the request's id at once.
    #[serde(rename = "type")]
    #[schema(rename = "type")]
    pub kind: String,
    /// Comma-separated.
    pub keywords: String,
    pub group: String,
}

/// `services/{service_code}.json`: the service's attributes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Open311ServiceDefinition {
    pub service_code: String,
    /// As the spec describes them: `variable`, `code`, `datatype`,
    /// `required`, `datatype_description`, `order`, `description`,
    /// `values` (`key`, `name`).
    pub attributes: Vec<Open311Attribute>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Open311Attribute {
    pub variable: bool,
    pub code: String,
    pub datatype: String,
    pub required: bool,
    pub datatype_description: Option<String>,
    pub order: i64,
    pub description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<Open311AttributeValue>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Open311AttributeValue {
    pub key: String,
    pub name: String,
}

/// One entry of `requests.json` and `requests/{id}.json`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Open311Request {
    pub service_request_id: String,
    /// `open` or `closed`.
    pub status: String,
    pub status_notes: Option<String>,
    pub service_name: String,
    pub service_code: String,
    pub description: Option<String>,
    pub agency_responsible: Option<String>,
    pub service_notice: Option<String>,
    #[schema(format = DateTime)]
    pub requested_datetime: String,
    #[schema(format = DateTime)]
    pub updated_datetime: String,
    #[schema(format = DateTime)]
    pub expected_datetime: Option<String>,
    pub address: Option<String>,
    pub address_id: Option<String>,
    pub zipcode: Option<String>,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub media_url: Option<String>,
}

/// The answer to a POST: the new request's id.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Open311Receipt {
    pub service_request_id: String,
    pub service_notice: Option<String>,
    /// Plaza keeps no account for Open311 clients: always null.
    pub account_id: Option<String>,
}

/// One error of GeoReport v2's error array.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Open311ErrorEntry {
    /// The HTTP status.
    pub code: u16,
    pub description: String,
}
