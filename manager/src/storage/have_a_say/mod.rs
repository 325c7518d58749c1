//! Having a say: verified residents (`residents`), consultations and their
//! secret ballots (`consultations`, `ballots`), proposals and supports
//! (`proposals`), and the participation counts (`report`).

pub mod ballots;
pub mod consultations;
pub mod proposals;
pub mod report;
pub mod residents;
pub mod seed;

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// The UTC day of `at`: the finest time kept on a ballot or a voter.
pub(crate) fn day_of(at: Timestamp) -> String {
    at.to_zoned(TimeZone::UTC).date().to_string()
}
