//! What the kiosk starts with, and the session rules it derives from its
//! config and the centre's profile.

use std::path::PathBuf;

use plaza_api::profile::KioskProfile;

use crate::catalogue::LocalCatalogue;
use crate::config::KioskConfig;
use crate::credentials::Credentials;
use crate::outbox::{Outbox, OutboxError};
use crate::profile;
use crate::session::SessionRules;

/// Why a kiosk could not be set up for tests or an offline start.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(transparent)]
    Outbox(#[from] OutboxError),
    #[error("catalogue copy: {0}")]
    Catalogue(#[from] plaza_catalogue::CatalogueError),
}

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
    /// Where the browser and its session folders are; `None`: Debian's
    /// Chromium and `<data_dir>/web`.
    pub web: Option<crate::web::WebSetup>,
}

impl Setup {
    /// A kiosk with no manager and an outbox in memory: for tests.
    pub fn offline(config: KioskConfig) -> Result<Self, SetupError> {
        Ok(Self {
            // Its own folder: what a test kiosk saves (the PIN lockout) never
            // reaches another.
            data_dir: std::env::temp_dir().join(format!("plaza-kiosk-{}", uuid::Uuid::now_v7())),
            config,
            problems: Vec::new(),
            outbox: Outbox::in_memory()?,
            credentials: None,
            profile: None,
            connect: false,
            catalogue: LocalCatalogue::in_memory()?,
            web: None,
        })
    }
}

/// The session rules: the config's until the centre's profile is known.
pub(super) fn rules(config: &KioskConfig, profile: Option<&KioskProfile>) -> SessionRules {
    let fallback = config.fallback_rules();
    profile.map_or(fallback, |profile| {
        profile::session_rules(fallback, profile)
    })
}
