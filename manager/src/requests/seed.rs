//! The demo municipality's service types (`assets/content/service_types.json`):
//! lighting, potholes, waste, trees, noise, water, stray animals, signage…,
//! in Spanish and English. Loading is idempotent: a type already known by
//! its code is left as it is.

use crate::storage::requests::ServiceTypeRecord;
use crate::storage::{Storage, StorageError};

/// The built-in list, for the demo and the tests.
pub const DEMO_SERVICE_TYPES: &str = include_str!("../../../assets/content/service_types.json");

/// Adds the service types of `json` that are new; returns how many.
pub async fn load(storage: &Storage, json: &str) -> Result<usize, StorageError> {
    let types: Vec<ServiceTypeRecord> = serde_json::from_str(json)
        .map_err(|error| StorageError::Invalid(format!("service types: {error}")))?;
    if let Some(bad) = types.iter().find(|service| {
        service.code.is_empty()
            || !service
                .code
                .bytes()
                .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'_')
    }) {
        return Err(StorageError::Invalid(format!(
            "service code `{}`: use lowercase letters, digits and _",
            bad.code
        )));
    }
    storage.seed_service_types(types).await
}
