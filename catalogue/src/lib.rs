//! Plaza's catalogues — procedures, tenders, networks — as both the manager
//! and the kiosk's offline copy need them: the rules a record must meet,
//! reading catalogue files with line-precise errors, the SQLite tables, and
//! search (accent- and case-insensitive, prefix while typing, title first,
//! typo-tolerant), and opening hours. Keeping all of it here is what makes a
//! search at an offline kiosk return exactly what the manager would, and an
//! office the rules accept open at the kiosk when the reports count it open.

pub mod file;
pub mod hours;
pub mod labels;
pub mod offline;
pub mod query;
pub mod record;
pub mod search;
pub mod store;
pub mod validate;
pub mod vocabulary;

pub use hours::{ClockTime, HoursError, OpeningHours, Span};
pub use record::Record;
pub use search::{Found, Search, search};
pub use store::{CatalogueError, CatalogueResult, Change, Filter, SCHEMA};
