//! `[retention]`: how long the raw rows that could re-identify a citizen
//! are kept before housekeeping removes them (PRIVACY.md).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RetentionSettings {
    /// Days after which per-session survey answers, events, sections and
    /// exact citizen logins are removed (rounded to whole weeks, Monday to
    /// Sunday UTC: a week goes once all of it is older than this).
    pub raw_days: u32,
    /// Days a live-help transcript is kept after its last message.
    pub chat_days: u32,
}

impl Default for RetentionSettings {
    fn default() -> Self {
        Self {
            raw_days: 90,
            chat_days: 30,
        }
    }
}
