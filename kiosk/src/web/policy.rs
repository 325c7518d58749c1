//! The centre's web policy as Chromium managed policies.
//!
//! On Linux, Chromium reads managed policies only from
//! `/etc/chromium/policies/managed/`. The kiosk package's postinst creates
//! `/etc/chromium/policies/managed/plaza.json` owned by the kiosk user
//! (mode 0644, in the root-owned folder, which the kiosk cannot write),
//! and the unit makes that one file writable (`ReadWritePaths=`): the kiosk
//! may rewrite it and nothing else there. It is rewritten in place just
//! before a session's browser starts, when no browser runs (one browser per
//! session), so no browser reads half a policy. See ARCHITECTURE.md, "Web
//! access".

use std::io::Write;
use std::path::Path;

use plaza_api::web::{WebMode, WebPolicy};
use serde_json::{Value, json};

use super::WebError;

/// Where the kiosk package puts the policy file.
pub const POLICY_FILE: &str = "/etc/chromium/policies/managed/plaza.json";

/// Pages of the machine and the browser itself: never reachable.
pub const ALWAYS_BLOCKED: &[&str] = &[
    "file://*",
    "chrome://*",
    "chrome-untrusted://*",
    "chrome-extension://*",
    "devtools://*",
    "view-source:*",
    "javascript://*",
    "data:*",
];

/// A stored site pattern in Chromium's URL filter format: `*.gob.ar` is
/// `gob.ar` (a host there includes its subdomains).
fn chromium_pattern(site: &str) -> String {
    site.strip_prefix("*.").unwrap_or(site).to_owned()
}

/// The managed policies for `policy`.
pub fn managed_policies(policy: &WebPolicy) -> Value {
    let sites: Vec<String> = policy
        .sites
        .iter()
        .map(|site| chromium_pattern(site))
        .collect();
    let mut blocked: Vec<String> = ALWAYS_BLOCKED.iter().map(|&page| page.to_owned()).collect();
    let allowed = match policy.mode {
        WebMode::Open => {
            blocked.extend(sites);
            Vec::new()
        }
        WebMode::AllowList => {
            blocked.push("*".to_owned());
            sites
        }
    };
    json!({
        "URLBlocklist": blocked,
        "URLAllowlist": allowed,
        // Dangerous files (by Safe Browsing's verdict) are not downloaded.
        "DownloadRestrictions": 1,
        "PromptForDownloadLocation": false,
        "AllowFileSelectionDialogs": false,
        "DeveloperToolsAvailability": 2,
        "BrowserSignin": 0,
        "SyncDisabled": true,
        "PasswordManagerEnabled": false,
        "AutofillAddressEnabled": false,
        "AutofillCreditCardEnabled": false,
        "IncognitoModeAvailability": 1,
        "BrowserGuestModeEnabled": false,
        "BrowserAddPersonEnabled": false,
        "DefaultBrowserSettingEnabled": false,
        "MetricsReportingEnabled": false,
        "BackgroundModeEnabled": false,
        "ExtensionInstallBlocklist": ["*"],
        "ImportSavedPasswords": false,
        "SavingBrowserHistoryDisabled": true,
        "TranslateEnabled": false,
        "PromotionalTabsEnabled": false,
        "HideWebStoreIcon": true,
    })
}

/// Writes the policies for `policy` to `file` (in place: the kiosk may
/// write the file, not its folder); unchanged, it is not touched. Call it
/// only while no browser runs.
pub fn write_policy(file: &Path, policy: &WebPolicy) -> Result<(), WebError> {
    let text = serde_json::to_string_pretty(&managed_policies(policy))
        .map_err(|error| WebError::Policy(error.to_string()))?;
    if std::fs::read_to_string(file).is_ok_and(|current| current == text) {
        return Ok(());
    }
    std::fs::File::create(file)
        .and_then(|mut out| {
            out.write_all(text.as_bytes())?;
            out.sync_all()
        })
        .map_err(|error| WebError::Policy(format!("cannot write {}: {error}", file.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_allow_list_blocks_everything_else_and_the_machine_always() {
        let policy = WebPolicy {
            mode: WebMode::AllowList,
            sites: vec!["*.gob.ar".to_owned(), "127.0.0.1:8080".to_owned()],
            ..WebPolicy::default()
        };
        let managed = managed_policies(&policy);
        assert_eq!(managed["URLAllowlist"], json!(["gob.ar", "127.0.0.1:8080"]));
        let blocked = managed["URLBlocklist"].as_array().expect("list");
        for page in ["*", "file://*", "chrome://*", "view-source:*"] {
            assert!(blocked.contains(&json!(page)), "{page}");
        }
        assert_eq!(managed["DeveloperToolsAvailability"], 2);
        assert_eq!(managed["PasswordManagerEnabled"], false);
    }

    #[test]
    fn an_open_policy_blocks_its_deny_list() {
        let policy = WebPolicy {
            sites: vec!["casino.example".to_owned()],
            ..WebPolicy::default()
        };
        let managed = managed_policies(&policy);
        assert_eq!(managed["URLAllowlist"], json!([]));
        let blocked = managed["URLBlocklist"].as_array().expect("list");
        assert!(blocked.contains(&json!("casino.example")));
        assert!(!blocked.contains(&json!("*")));
    }

    #[test]
    fn the_file_is_replaced_whole() {
        let folder = tempfile::tempdir().expect("temp");
        let file = folder.path().join("plaza.json");
        std::fs::write(&file, "old").expect("write");
        write_policy(&file, &WebPolicy::default()).expect("policy");
        let written: Value =
            serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("JSON");
        assert_eq!(written["SyncDisabled"], true);
        assert_eq!(std::fs::read_dir(folder.path()).expect("list").count(), 1);
    }
}
