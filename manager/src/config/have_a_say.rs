//! `[have_a_say]`: consultations and proposals (issue #17).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HaveASaySettings {
    /// Supports after which the municipality must answer a proposal.
    pub proposal_support_threshold: u64,
}

impl Default for HaveASaySettings {
    fn default() -> Self {
        Self {
            proposal_support_threshold: 50,
        }
    }
}
