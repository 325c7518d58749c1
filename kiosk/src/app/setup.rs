//! What the kiosk starts with, and the session rules it derives from its
//! config and the centre's profile.

use std::path::PathBuf;

use plaza_api::profile::KioskProfile;

use super::SetupError;
use crate::catalogue::LocalCatalogue;
use crate::config::KioskConfig;
use crate::credentials::Credentials;
use crate::outbox::Outbox;
use crate::session::SessionRules;

/// What the kiosk starts with (built by `main`, by the demo, or by a test).
#[derive(Debug, Clone)]
pub struct Setup {
    pub config: KioskConfig,
    /// Config, outbox or credential problems found at start, for diagnostics.
    pub problems: Vec<String>,
    pub outbox: Outbox,
    pub credentials: Option<Credentials>,
    /// Last profile received, cached in the data folder for offline starts.
    pub profile: Option<KioskProfile>,
    pub data_dir: PathBuf,
    /// Talk to the manager (heartbeats, delivery); off in UI tests.
    pub connect: bool,
    /// The offline copy of the catalogues.
    pub catalogue: LocalCatalogue,
}

impl Setup {
    /// A kiosk with no manager and an outbox in memory: for tests.
    pub fn offline(config: KioskConfig) -> Result<Self, SetupError> {
        Ok(Self {
            data_dir: std::env::temp_dir(),
            config,
            problems: Vec::new(),
            outbox: Outbox::in_memory()?,
            credentials: None,
            profile: None,
            connect: false,
            catalogue: LocalCatalogue::in_memory()?,
        })
    }
}

pub(super) fn rules_from(config: &KioskConfig, profile: Option<&KioskProfile>) -> SessionRules {
    let mut rules = config.fallback_rules();
    if let Some(profile) = profile {
        rules.allotment_s = profile.session_allotment_s;
        rules.extension_s = if profile.extensions_allowed {
            profile.session_extension_s
        } else {
            0
        };
    }
    rules
}
