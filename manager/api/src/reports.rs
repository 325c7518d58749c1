//! Digital-divide reach reports (`GET /api/v1/reports/reach`).

use serde::{Deserialize, Serialize};

/// A count, or `"< k"` when the group is too small to publish
/// (k-anonymity), or when showing it would let a suppressed count be
/// recomputed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Cell {
    Count(u64),
    Suppressed(String),
}

/// One row of a breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Group {
    /// The group's value (e.g. `18_29`, a centre name, `not_answered`).
    pub key: String,
    pub sessions: Cell,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReachTotals {
    pub sessions: Cell,
    /// Hours of use, one decimal; `null` when the sessions are suppressed.
    pub hours: Option<f64>,
    /// Average session length in minutes, one decimal.
    pub average_minutes: Option<f64>,
    /// Sessions whose citizen said it was their first time on the internet.
    pub first_time_users: Cell,
    /// Different citizen accounts that logged in at the chosen centres
    /// during the range.
    pub citizen_accounts: Cell,
}

/// Sessions by weekday (0 = Monday) and hour of day (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeatmapCell {
    pub weekday: u8,
    pub hour: u8,
    pub sessions: Cell,
}

/// A share in percent (one decimal), or why there is none: `"closed"` (no
/// opening hours in the range), `"never online"`, or `"< k sessions"`
/// (too few sessions to publish how long they lasted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Share {
    Percent(f64),
    Withheld(String),
}

/// One kiosk over the range, within its centre's opening hours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KioskUse {
    pub centre: String,
    /// The kiosk's host name.
    pub kiosk: String,
    /// Opening hours in the range, one decimal.
    pub open_hours: f64,
    /// Share of the opening hours the kiosk was online.
    pub availability: Share,
    /// Share of that online time a session was in progress.
    pub occupancy: Share,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReachReport {
    /// First day included (UTC), `YYYY-MM-DD`.
    pub from: String,
    /// Last day included (UTC), `YYYY-MM-DD`.
    pub to: String,
    /// The first day asked for: reports cover whole weeks (Monday to
    /// Sunday), so `from` is the Monday on or before it.
    #[serde(default)]
    pub requested_from: String,
    /// The last day asked for; `to` is the Sunday on or after it.
    #[serde(default)]
    pub requested_to: String,
    pub centres: Vec<String>,
    /// Groups smaller than this are suppressed.
    pub k_anonymity: u32,
    pub totals: ReachTotals,
    pub by_age_band: Vec<Group>,
    pub by_gender: Vec<Group>,
    pub by_neighbourhood: Vec<Group>,
    pub by_centre: Vec<Group>,
    /// Sessions that opened each section.
    pub sections: Vec<Group>,
    /// Sessions that viewed each procedure, most viewed first.
    pub top_procedures: Vec<Group>,
    /// Sessions that used the internet for each purpose (government,
    /// education, ...), suppressed like every breakdown.
    #[serde(default)]
    pub internet_by_purpose: Vec<Group>,
    pub heatmap: Vec<HeatmapCell>,
    /// Availability and occupancy of each kiosk of the chosen centres.
    pub kiosks: Vec<KioskUse>,
    /// Figures this manager cannot give yet, and why.
    pub notes: Vec<String>,
}
