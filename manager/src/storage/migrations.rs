//! Versioned schema migrations, embedded in the binary and applied at start.
//!
//! Append new files; never edit one that has shipped. The schema version is
//! SQLite's `user_version`.

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

use super::{StorageError, StorageResult};

pub const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("migrations/0001_foundation.sql")),
    M::up(include_str!("migrations/0002_catalogue.sql")),
    M::up(include_str!("migrations/0003_participation.sql")),
    M::up(include_str!("migrations/0004_dashboard.sql")),
    M::up(include_str!("migrations/0005_catalogue_search_rowid.sql")),
    M::up(include_str!("migrations/0006_reports.sql")),
    M::up(include_str!("migrations/0007_heartbeat_answers.sql")),
    M::up(include_str!("migrations/0008_centre_scope.sql")),
    M::up(include_str!("migrations/0009_erasure.sql")),
    M::up(include_str!("migrations/0010_requests.sql")),
    M::up(include_str!("migrations/0011_have_a_say.sql")),
    M::up(include_str!("migrations/0012_live_help.sql")),
    M::up(include_str!("migrations/0013_web_access.sql")),
    M::up(include_str!("migrations/0014_consultation_counts.sql")),
];

pub fn migrate(connection: &mut Connection) -> StorageResult<()> {
    Migrations::from_slice(MIGRATIONS)
        .to_latest(connection)
        .map_err(|error| StorageError::Migration(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid_and_apply_to_an_empty_database() {
        let migrations = Migrations::from_slice(MIGRATIONS);
        migrations.validate().expect("migrations validate");
        let mut connection = Connection::open_in_memory().expect("in-memory database");
        migrate(&mut connection).expect("apply migrations");
        let version: usize = connection
            .pragma_query_value(None, "user_version", |row| row.get("user_version"))
            .expect("user_version");
        assert_eq!(version, MIGRATIONS.len());
        // Applying again is a no-op.
        migrate(&mut connection).expect("re-apply migrations");
    }
}
