//! How values are kept in columns, and how rows are read back.
//!
//! - a time is milliseconds since the Unix epoch: [`Millis`];
//! - a word of the shared vocabulary (a `plaza_api` wire enum, or a
//!   storage enum such as a post's status) is its name: [`Term`];
//! - a structured value (a command, a rollup's counts, a list of centre ids
//!   for `json_each`) is JSON: [`Json`].
//!
//! Every row is read one way: a record implements [`FromRow`], building
//! itself from its columns by name, with [`Columns`] for the values above;
//! a statement hands `Record::from_row` to `query_row` or `query_map`. A
//! value that cannot be read back (a corrupt row) is a conversion error,
//! which `StorageError` reports as internal.

use jiff::Timestamp;
use rusqlite::Row;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A record read from one row of a query, its columns by name.
pub(crate) trait FromRow: Sized {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self>;
}

/// A time as stored: milliseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Millis(pub Timestamp);

impl ToSql for Millis {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0.as_millisecond()))
    }
}

impl FromSql for Millis {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let millis = i64::column_result(value)?;
        Timestamp::from_millisecond(millis)
            .map(Millis)
            .map_err(|_| FromSqlError::OutOfRange(millis))
    }
}

/// A closed set of words stored by name.
pub(crate) trait Vocabulary: Copy + 'static {
    /// What the words are, for errors: "kiosk state".
    const WHAT: &'static str;
    fn name(self) -> &'static str;
    fn from_name(name: &str) -> Option<Self>;
}

/// The shared vocabulary: `plaza_api`'s wire enums, stored by their wire
/// names.
macro_rules! wire_vocabulary {
    ($($kind:ty => $what:literal),+ $(,)?) => {
        $(impl Vocabulary for $kind {
            const WHAT: &'static str = $what;
            fn name(self) -> &'static str {
                self.as_str()
            }
            fn from_name(name: &str) -> Option<Self> {
                Self::parse(name)
            }
        })+
    };
}

wire_vocabulary! {
    plaza_api::have_a_say::ChoiceKind => "choice kind",
    plaza_api::have_a_say::Eligibility => "eligibility",
    plaza_api::have_a_say::ProposalModeration => "proposal moderation",
    plaza_api::have_a_say::ProposalStatus => "proposal status",
    plaza_api::heartbeat::KioskState => "kiosk state",
    plaza_api::participation::communities::CommunityCategory => "community category",
    plaza_api::participation::communities::MembershipStatus => "membership status",
    plaza_api::participation::forums::BoardKind => "board kind",
    plaza_api::participation::forums::ReportReason => "report reason",
    plaza_api::requests::RequestChannel => "request channel",
    plaza_api::requests::RequestStatus => "request status",
    plaza_api::session::AgeBand => "age band",
    plaza_api::session::EndReason => "end reason",
    plaza_api::session::Gender => "gender",
    plaza_api::session::Language => "language",
    plaza_api::session::Section => "section",
    plaza_api::staff::Role => "role",
}

/// A word of a [`Vocabulary`] as stored: its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Term<E>(pub E);

impl<E: Vocabulary> ToSql for Term<E> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0.name()))
    }
}

impl<E: Vocabulary> FromSql for Term<E> {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let name = value.as_str()?;
        E::from_name(name)
            .map(Term)
            .ok_or_else(|| FromSqlError::Other(format!("stored {} `{name}`", E::WHAT).into()))
    }
}

/// A value stored as JSON text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Json<T>(pub T);

impl<T: Serialize> ToSql for Json<T> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        serde_json::to_string(&self.0)
            .map(ToSqlOutput::from)
            .map_err(|error| rusqlite::Error::ToSqlConversionFailure(Box::new(error)))
    }
}

impl<T: DeserializeOwned> FromSql for Json<T> {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        serde_json::from_str(value.as_str()?)
            .map(Json)
            .map_err(|error| FromSqlError::Other(Box::new(error)))
    }
}

/// A row's columns, by name, as the values above.
pub(crate) trait Columns {
    fn time(&self, column: &str) -> rusqlite::Result<Timestamp>;
    fn time_opt(&self, column: &str) -> rusqlite::Result<Option<Timestamp>>;
    fn term<E: Vocabulary>(&self, column: &str) -> rusqlite::Result<E>;
    fn term_opt<E: Vocabulary>(&self, column: &str) -> rusqlite::Result<Option<E>>;
    fn json<T: DeserializeOwned>(&self, column: &str) -> rusqlite::Result<T>;
}

impl Columns for Row<'_> {
    fn time(&self, column: &str) -> rusqlite::Result<Timestamp> {
        Ok(self.get::<_, Millis>(column)?.0)
    }

    fn time_opt(&self, column: &str) -> rusqlite::Result<Option<Timestamp>> {
        Ok(self
            .get::<_, Option<Millis>>(column)?
            .map(|millis| millis.0))
    }

    fn term<E: Vocabulary>(&self, column: &str) -> rusqlite::Result<E> {
        Ok(self.get::<_, Term<E>>(column)?.0)
    }

    fn term_opt<E: Vocabulary>(&self, column: &str) -> rusqlite::Result<Option<E>> {
        Ok(self.get::<_, Option<Term<E>>>(column)?.map(|term| term.0))
    }

    fn json<T: DeserializeOwned>(&self, column: &str) -> rusqlite::Result<T> {
        Ok(self.get::<_, Json<T>>(column)?.0)
    }
}

#[cfg(test)]
mod tests {
    use plaza_api::heartbeat::KioskState;
    use rusqlite::{Connection, params};

    use super::*;

    #[test]
    fn times_words_and_json_come_back_as_they_went_in() {
        let connection = Connection::open_in_memory().expect("database");
        let at = Timestamp::from_millisecond(1_767_225_600_123).expect("time");
        let row = connection
            .query_row(
                "SELECT ?1 AS at, ?2 AS state, ?3 AS ids",
                params![Millis(at), Term(KioskState::InSession), Json(vec![3, 1])],
                |row| {
                    Ok((
                        row.time("at")?,
                        row.term::<KioskState>("state")?,
                        row.json::<Vec<i64>>("ids")?,
                    ))
                },
            )
            .expect("read back");
        assert_eq!(row, (at, KioskState::InSession, vec![3, 1]));
    }

    #[test]
    fn an_unknown_word_is_an_error_that_names_it() {
        let connection = Connection::open_in_memory().expect("database");
        let error = connection
            .query_row("SELECT 'dancing' AS state", [], |row| {
                row.term::<KioskState>("state")
            })
            .expect_err("not a kiosk state");
        assert!(
            error.to_string().contains("kiosk state `dancing`"),
            "{error}"
        );
    }
}
