//! Access centres and their neighbourhoods.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::columns::{Columns, FromRow, Millis};
use super::{Storage, StorageError, StorageResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Centre {
    pub id: i64,
    pub name: String,
    /// In the order the operator gave them; offered by the kiosk's survey.
    pub neighbourhoods: Vec<String>,
    pub session_allotment_s: Option<u32>,
    pub session_extension_s: Option<u32>,
    pub created_at: Timestamp,
}

impl FromRow for Centre {
    /// The centre; its neighbourhoods are read after.
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get("id")?,
            name: row.get("name")?,
            neighbourhoods: Vec::new(),
            session_allotment_s: row.get("session_allotment_s")?,
            session_extension_s: row.get("session_extension_s")?,
            created_at: row.time("created_at")?,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewCentre {
    pub name: String,
    pub neighbourhoods: Vec<String>,
    pub session_allotment_s: Option<u32>,
    pub session_extension_s: Option<u32>,
}

impl Storage {
    /// Adds a centre, audited as done by `actor`; a name already taken
    /// (ignoring case) is a conflict.
    pub async fn add_centre(
        &self,
        centre: NewCentre,
        now: Timestamp,
        actor: &str,
    ) -> StorageResult<Centre> {
        let actor = actor.to_owned();
        self.write(move |connection| {
            let exists = connection
                .prepare_cached("SELECT 1 FROM centres WHERE name = ?1")?
                .exists(params![centre.name])?;
            if exists {
                return Err(StorageError::Conflict(format!(
                    "a centre named `{}` already exists",
                    centre.name
                )));
            }
            connection
                .prepare_cached(
                    "INSERT INTO centres (name, session_allotment_s, session_extension_s, created_at)
                     VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![
                    centre.name,
                    centre.session_allotment_s,
                    centre.session_extension_s,
                    Millis(now)
                ])?;
            let id = connection.last_insert_rowid();
            let mut insert = connection.prepare_cached(
                "INSERT OR IGNORE INTO centre_neighbourhoods (centre_id, name, position) VALUES (?1, ?2, ?3)",
            )?;
            for (position, name) in centre.neighbourhoods.iter().enumerate() {
                insert.execute(params![id, name, position as i64])?;
            }
            super::audit::record(
                connection,
                &super::audit::AuditEntry {
                    at: now,
                    actor,
                    action: "centre.add".to_owned(),
                    target: Some(format!("centre:{}", centre.name)),
                    detail: Some(format!(
                        "neighbourhoods: {}",
                        centre.neighbourhoods.join(", ")
                    )),
                },
            )?;
            centre_by_id(connection, id)
        })
        .await
    }

    pub async fn centres(&self) -> StorageResult<Vec<Centre>> {
        self.read(|connection| {
            let ids = connection
                .prepare_cached("SELECT id FROM centres ORDER BY name")?
                .query_map([], |row| row.get::<_, i64>("id"))?
                .collect::<Result<Vec<_>, _>>()?;
            ids.into_iter()
                .map(|id| centre_by_id(connection, id))
                .collect()
        })
        .await
    }

    pub async fn centre_by_name(&self, name: String) -> StorageResult<Centre> {
        self.read(move |connection| {
            let id = centre_id_by_name(connection, &name)?;
            centre_by_id(connection, id)
        })
        .await
    }
}

pub(crate) fn centre_id_by_name(connection: &Connection, name: &str) -> StorageResult<i64> {
    connection
        .prepare_cached("SELECT id FROM centres WHERE name = ?1")?
        .query_row(params![name], |row| row.get("id"))
        .optional()?
        .ok_or(StorageError::NotFound)
}

pub(crate) fn centre_by_id(connection: &Connection, id: i64) -> StorageResult<Centre> {
    let neighbourhoods = connection
        .prepare_cached(
            "SELECT name FROM centre_neighbourhoods WHERE centre_id = ?1 ORDER BY position",
        )?
        .query_map(params![id], |row| row.get("name"))?
        .collect::<Result<Vec<String>, _>>()?;
    let centre = connection
        .prepare_cached(
            "SELECT id, name, session_allotment_s, session_extension_s, created_at
             FROM centres WHERE id = ?1",
        )?
        .query_row(params![id], Centre::from_row)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    Ok(Centre {
        neighbourhoods,
        ..centre
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::testing::temporary;

    #[tokio::test]
    async fn centre_names_are_unique_ignoring_case() {
        let (_folder, storage) = temporary();
        let now = Timestamp::now();
        let centre = storage
            .add_centre(
                NewCentre {
                    name: "Biblioteca Norte".to_owned(),
                    neighbourhoods: vec!["Centro".to_owned(), "La Loma".to_owned()],
                    ..NewCentre::default()
                },
                now,
                "test",
            )
            .await
            .expect("add centre");
        assert_eq!(centre.neighbourhoods, ["Centro", "La Loma"]);
        let duplicate = storage
            .add_centre(
                NewCentre {
                    name: "biblioteca norte".to_owned(),
                    ..NewCentre::default()
                },
                now,
                "test",
            )
            .await;
        assert!(
            matches!(duplicate, Err(StorageError::Conflict(_))),
            "{duplicate:?}"
        );
        let found = storage
            .centre_by_name("BIBLIOTECA NORTE".to_owned())
            .await
            .expect("found by name");
        assert_eq!(found.id, centre.id);
    }
}
