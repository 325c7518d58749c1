//! Service types (Open311 services), in Spanish and English.

use rusqlite::{OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

use crate::storage::columns::{Columns, FromRow, Json};
use crate::storage::{Storage, StorageError, StorageResult};

/// One service type as stored and as seeded (`requests::seed`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceTypeRecord {
    pub code: String,
    pub group_es: String,
    pub group_en: String,
    pub name_es: String,
    pub name_en: String,
    pub description_es: String,
    pub description_en: String,
    #[serde(default)]
    pub keywords: Vec<String>,
    pub pictogram: String,
    /// Open311 attributes (extra fields), as published.
    #[serde(default)]
    pub attributes: Vec<serde_json::Value>,
}

impl FromRow for ServiceTypeRecord {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        let keywords: String = row.get("keywords")?;
        Ok(Self {
            code: row.get("code")?,
            group_es: row.get("group_es")?,
            group_en: row.get("group_en")?,
            name_es: row.get("name_es")?,
            name_en: row.get("name_en")?,
            description_es: row.get("description_es")?,
            description_en: row.get("description_en")?,
            keywords: keywords
                .split(',')
                .map(str::trim)
                .filter(|word| !word.is_empty())
                .map(str::to_owned)
                .collect(),
            pictogram: row.get("pictogram")?,
            attributes: row.json("attributes")?,
        })
    }
}

const SERVICE_SELECT: &str = "SELECT code, group_es, group_en, name_es, name_en, description_es,
        description_en, keywords, pictogram, attributes FROM service_types";

impl Storage {
    /// Adds the service types whose code is new, in the given order; returns
    /// how many were added (seeding twice changes nothing).
    pub async fn seed_service_types(&self, types: Vec<ServiceTypeRecord>) -> StorageResult<usize> {
        self.write(move |connection| {
            let mut added = 0;
            let base: i64 = connection
                .prepare_cached("SELECT coalesce(max(position), 0) FROM service_types")?
                .query_row([], |row| row.get(0))?;
            for (position, service) in (base + 1..).zip(&types) {
                added += connection
                    .prepare_cached(
                        "INSERT INTO service_types (code, group_es, group_en, name_es, name_en,
                            description_es, description_en, keywords, pictogram, attributes, position)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                         ON CONFLICT (code) DO NOTHING",
                    )?
                    .execute(params![
                        service.code,
                        service.group_es,
                        service.group_en,
                        service.name_es,
                        service.name_en,
                        service.description_es,
                        service.description_en,
                        service.keywords.join(","),
                        service.pictogram,
                        Json(&service.attributes),
                        position
                    ])?;
            }
            Ok(added)
        })
        .await
    }

    /// Every service type, in their set order.
    pub async fn service_types(&self) -> StorageResult<Vec<ServiceTypeRecord>> {
        self.read_ignoring_heartbeats(|connection| {
            Ok(connection
                .prepare_cached(&format!("{SERVICE_SELECT} ORDER BY position, id"))?
                .query_map([], ServiceTypeRecord::from_row)?
                .collect::<Result<_, _>>()?)
        })
        .await
    }

    /// One service type, by code.
    pub async fn service_type(&self, code: String) -> StorageResult<ServiceTypeRecord> {
        self.read_ignoring_heartbeats(move |connection| {
            connection
                .prepare_cached(&format!("{SERVICE_SELECT} WHERE code = ?1"))?
                .query_row(params![code], ServiceTypeRecord::from_row)
                .optional()?
                .ok_or(StorageError::NotFound)
        })
        .await
    }
}
