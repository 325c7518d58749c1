//! Internet at the kiosk: a centre's web policy, its recommended sites and
//! the domain-suffix list that turns a visit into a *purpose* (the only
//! thing the kiosk records about browsing: never a URL or a title).

use serde::{Deserialize, Serialize};

use crate::wire_enum;

/// Most entries of each list in a policy.
pub const LIST_MAX: usize = 500;
/// Longest site pattern, URL or suffix.
pub const ENTRY_MAX: usize = 300;
/// Longest title of a recommended site.
pub const TITLE_MAX: usize = 120;

wire_enum! {
    /// What the browser may reach.
    pub enum WebMode {
        /// Everything except `sites` (a deny-list).
        Open = "open",
        /// Only `sites` (an allow-list), e.g. `*.gob.ar`.
        AllowList = "allow_list",
    }
}

wire_enum! {
    /// Why a citizen visits a site: the Global Impact Study's use areas.
    pub enum Purpose {
        Government = "government",
        Education = "education",
        Employment = "employment",
        Health = "health",
        Communication = "communication",
        Other = "other",
    }
}

/// A site the start page offers, by its title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecommendedSite {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 120))]
    pub title: String,
    /// `http` or `https`.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    pub url: String,
}

/// One line of the purpose list: a host ending in `suffix` (`gob.ar`
/// matches `gob.ar` and `www.anses.gob.ar`) is visited for `purpose`; the
/// longest matching suffix wins, no match is `other`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PurposeRule {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    pub suffix: String,
    pub purpose: Purpose,
}

/// A centre's web access, as the kiosk receives it in its profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebPolicy {
    pub mode: WebMode,
    /// Site patterns: a host (`example.org`, which includes its
    /// subdomains), `*.gob.ar`, or a URL prefix (`https://example.org/path`).
    /// Denied when `mode` is `open`, the only ones allowed when
    /// `allow_list`.
    #[cfg_attr(feature = "openapi", schema(max_items = 500))]
    pub sites: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(max_items = 500))]
    pub recommended: Vec<RecommendedSite>,
    #[cfg_attr(feature = "openapi", schema(max_items = 500))]
    pub purposes: Vec<PurposeRule>,
}

impl Default for WebPolicy {
    /// Open, nothing denied, nothing recommended, no purposes (all `other`).
    fn default() -> Self {
        Self {
            mode: WebMode::Open,
            sites: Vec::new(),
            recommended: Vec::new(),
            purposes: Vec::new(),
        }
    }
}

/// `PUT /api/v1/centres/{name}/web` body: the whole policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WebPolicyRequest {
    pub mode: WebMode,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 500))]
    pub sites: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 500))]
    pub recommended: Vec<RecommendedSite>,
    /// The manager's default list when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purposes: Option<Vec<PurposeRule>>,
}

/// `GET`/`PUT /api/v1/centres/{name}/web`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CentreWeb {
    pub centre: String,
    pub policy: WebPolicy,
    /// Never set for this centre: the manager's default.
    pub default: bool,
}

/// The purpose of a visit to `host` under `rules` (longest suffix wins).
pub fn purpose_of(host: &str, rules: &[PurposeRule]) -> Purpose {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    rules
        .iter()
        .filter(|rule| {
            let suffix = rule.suffix.as_str();
            host == suffix
                || host
                    .strip_suffix(suffix)
                    .is_some_and(|rest| rest.ends_with('.'))
        })
        .max_by_key(|rule| rule.suffix.len())
        .map_or(Purpose::Other, |rule| rule.purpose)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(suffix: &str, purpose: Purpose) -> PurposeRule {
        PurposeRule {
            suffix: suffix.to_owned(),
            purpose,
        }
    }

    #[test]
    fn the_longest_suffix_on_a_label_boundary_wins() {
        let rules = [
            rule("gob.ar", Purpose::Government),
            rule("trabajo.gob.ar", Purpose::Employment),
        ];
        assert_eq!(purpose_of("www.anses.gob.ar", &rules), Purpose::Government);
        assert_eq!(
            purpose_of("portal.trabajo.gob.ar", &rules),
            Purpose::Employment
        );
        assert_eq!(purpose_of("GOB.AR.", &rules), Purpose::Government);
        assert_eq!(purpose_of("notgob.ar", &rules), Purpose::Other);
        assert_eq!(purpose_of("example.org", &rules), Purpose::Other);
    }
}
