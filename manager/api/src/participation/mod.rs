//! Citizen participation: accounts, local forums, communities and their
//! moderation. Forums and communities need the manager online; every call
//! is made with the kiosk's bearer token, and calls on behalf of a citizen
//! add the token from login in the [`CITIZEN_TOKEN_HEADER`] header.

pub mod accounts;
pub mod communities;
pub mod forums;
pub mod moderation;

/// Header carrying the citizen token next to the kiosk's bearer token.
pub const CITIZEN_TOKEN_HEADER: &str = "x-citizen-token";

/// Bounds every client can show before sending (counters, disabled buttons).
pub mod limits {
    /// Characters in an alias.
    pub const ALIAS_MIN: usize = 3;
    pub const ALIAS_MAX: usize = 24;
    /// Digits in a PIN.
    pub const PIN_MIN: usize = 4;
    pub const PIN_MAX: usize = 8;
    /// Characters in a thread title.
    pub const TITLE_MIN: usize = 5;
    pub const TITLE_MAX: usize = 120;
    /// Characters in a post, an announcement or an event description.
    pub const BODY_MAX: usize = 4000;
    /// Characters of the details given with a report.
    pub const REPORT_DETAILS_MAX: usize = 500;
    /// Characters of a moderator's reason.
    pub const REASON_MAX: usize = 500;
    /// Items per page when the client does not say.
    pub const PAGE_DEFAULT: u32 = 20;
    /// Most items one page may hold.
    pub const PAGE_MAX: u32 = 100;
}
