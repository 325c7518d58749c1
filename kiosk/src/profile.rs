//! The centre's profile (its name, neighbourhoods, session rules): fetched
//! from the manager at start and after enrolment, and kept in the data
//! folder so a kiosk that starts offline still knows its centre.

use std::path::Path;

use plaza_api::profile::KioskProfile;

use crate::session::SessionRules;

/// File name of the saved profile in the kiosk's data folder.
pub const PROFILE_FILE: &str = "profile.json";

/// The profile saved by the last successful fetch, if any.
pub fn cached(data_dir: &Path) -> Option<KioskProfile> {
    let bytes = std::fs::read(data_dir.join(PROFILE_FILE)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Keeps `profile` for the next start; a failure only costs that.
pub fn save(data_dir: &Path, profile: &KioskProfile) {
    match serde_json::to_vec(profile) {
        Ok(bytes) => {
            if let Err(error) = std::fs::write(data_dir.join(PROFILE_FILE), bytes) {
                tracing::warn!(%error, "cannot cache the profile");
            }
        }
        Err(error) => tracing::warn!(%error, "cannot encode the profile"),
    }
}

/// `base` with the centre's allotment and "more time" (none when the centre
/// allows none).
pub fn session_rules(base: SessionRules, profile: &KioskProfile) -> SessionRules {
    let extension_s = if profile.extensions_allowed {
        profile.session_extension_s
    } else {
        0
    };
    base.at_centre(profile.session_allotment_s, extension_s)
}
