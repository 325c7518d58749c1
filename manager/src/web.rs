//! `/api/v1/centres/{name}/web`: a centre's web access at its kiosks (the
//! policy, the recommended sites, the purpose list), set by admins and the
//! centre's supervisors, audited, and delivered in the kiosk profile.

use axum::extract::State;
use plaza_api::error::ErrorBody;
use plaza_api::web::{
    CentreWeb, ENTRY_MAX, LIST_MAX, Purpose, PurposeRule, RecommendedSite, TITLE_MAX, WebMode,
    WebPolicy, WebPolicyRequest,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::access::{Duty, StaffAuth, Subject};
use crate::centres::centre_named;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::state::AppState;
use crate::storage::centres::Centre;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_web, set_web))
}

/// The purposes a centre starts with: common Argentine and international
/// domains by the Global Impact Study's use areas.
pub fn default_purposes() -> Vec<PurposeRule> {
    use Purpose::{Communication, Education, Employment, Government, Health};
    [
        ("gob.ar", Government),
        ("gov.ar", Government),
        ("gov", Government),
        ("gob", Government),
        ("edu.ar", Education),
        ("edu", Education),
        ("educ.ar", Education),
        ("wikipedia.org", Education),
        ("trabajo.gob.ar", Employment),
        ("portalempleo.gob.ar", Employment),
        ("computrabajo.com.ar", Employment),
        ("zonajobs.com.ar", Employment),
        ("bumeran.com.ar", Employment),
        ("linkedin.com", Employment),
        ("salud.gob.ar", Health),
        ("msal.gov.ar", Health),
        ("who.int", Health),
        ("gmail.com", Communication),
        ("outlook.com", Communication),
        ("hotmail.com", Communication),
        ("yahoo.com", Communication),
        ("whatsapp.com", Communication),
        ("facebook.com", Communication),
        ("messenger.com", Communication),
        ("telegram.org", Communication),
    ]
    .into_iter()
    .map(|(suffix, purpose)| PurposeRule {
        suffix: suffix.to_owned(),
        purpose,
    })
    .collect()
}

/// The manager's policy for a centre that never set one.
pub fn default_policy() -> WebPolicy {
    WebPolicy {
        purposes: default_purposes(),
        ..WebPolicy::default()
    }
}

/// A centre's web access: its own, or the default.
pub async fn centre_web(state: &AppState, centre: &Centre) -> ApiResult<CentreWeb> {
    let own = state.storage.web_policy(centre.id).await?;
    Ok(CentreWeb {
        centre: centre.name.clone(),
        default: own.is_none(),
        policy: own.unwrap_or_else(default_policy),
    })
}

fn printable(text: &str) -> bool {
    !text.is_empty()
        && text.chars().count() <= ENTRY_MAX
        && !text.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// A site pattern as stored: trimmed, the host part lowercased.
fn site(pattern: &str) -> Option<String> {
    let pattern = pattern.trim();
    if !printable(pattern) {
        return None;
    }
    let (scheme, rest) = pattern
        .split_once("://")
        .map_or(("", pattern), |(scheme, rest)| (scheme, rest));
    if !matches!(scheme, "" | "http" | "https") {
        return None;
    }
    let (host, path) = rest.find('/').map_or((rest, ""), |at| rest.split_at(at));
    let host = host.to_ascii_lowercase();
    let bare = host.strip_prefix("*.").unwrap_or(&host);
    let valid_host = host == "*"
        || (!bare.is_empty()
            && !bare.contains("..")
            && bare
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':')));
    valid_host.then(|| {
        let scheme = if scheme.is_empty() {
            String::new()
        } else {
            format!("{scheme}://")
        };
        format!("{scheme}{host}{path}")
    })
}

fn suffix(text: &str) -> Option<String> {
    let text = text.trim().to_ascii_lowercase();
    let text = text.trim_start_matches("*.").trim_start_matches('.');
    (printable(text)
        && !text.contains("..")
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-')))
    .then(|| text.to_owned())
}

fn recommended(site: &RecommendedSite) -> Option<RecommendedSite> {
    let title = site.title.trim();
    let url = site.url.trim();
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?
        .split(['/', '?', '#'])
        .next()?;
    (!title.is_empty()
        && title.chars().count() <= TITLE_MAX
        && !title.chars().any(char::is_control)
        && printable(url)
        && !host.is_empty())
    .then(|| RecommendedSite {
        title: title.to_owned(),
        url: url.to_owned(),
    })
}

/// Checks and normalises a request into the policy to store.
pub fn validate(request: &WebPolicyRequest) -> ApiResult<WebPolicy> {
    let purposes = request.purposes.clone().unwrap_or_else(default_purposes);
    if request.sites.len() > LIST_MAX
        || request.recommended.len() > LIST_MAX
        || purposes.len() > LIST_MAX
    {
        return Err(ApiError::invalid(format!(
            "at most {LIST_MAX} sites, recommended sites and purposes"
        )));
    }
    let sites = request
        .sites
        .iter()
        .map(|pattern| {
            site(pattern).ok_or_else(|| {
                ApiError::invalid(format!(
                    "`{pattern}` is not a site: a host (example.org), *.gob.ar or an http(s) URL"
                ))
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    if request.mode == WebMode::AllowList && sites.is_empty() {
        return Err(ApiError::invalid("an allow-list needs at least one site"));
    }
    let recommended = request
        .recommended
        .iter()
        .map(|entry| {
            recommended(entry).ok_or_else(|| {
                ApiError::invalid(format!(
                    "a recommended site has a title of 1 to {TITLE_MAX} characters and an http(s) URL (`{}`)",
                    entry.url
                ))
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let purposes = purposes
        .iter()
        .map(|rule| {
            suffix(&rule.suffix)
                .map(|suffix| PurposeRule {
                    suffix,
                    purpose: rule.purpose,
                })
                .ok_or_else(|| {
                    ApiError::invalid(format!("`{}` is not a domain suffix", rule.suffix))
                })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(WebPolicy {
        mode: request.mode,
        sites,
        recommended,
        purposes,
    })
}

/// Sets a centre's web access, audited as `actor`.
pub async fn set_centre_web(
    state: &AppState,
    centre: &Centre,
    request: &WebPolicyRequest,
    actor: &str,
) -> ApiResult<CentreWeb> {
    let policy = validate(request)?;
    let described = format!(
        "{} with {} sites, {} recommended, {} purposes",
        policy.mode,
        policy.sites.len(),
        policy.recommended.len(),
        policy.purposes.len()
    );
    state
        .storage
        .set_web_policy(
            centre.id,
            policy,
            described.clone(),
            actor.to_owned(),
            state.clock.now(),
        )
        .await?;
    tracing::info!(centre = %centre.name, policy = %described, by = %actor, "web access set");
    centre_web(state, centre).await
}

/// A centre's web access at its kiosks.
#[utoipa::path(get, path = "/api/v1/centres/{name}/web", tag = "centres",
    params(("name" = String, Path, description = "The centre's name")),
    security(("staff_token" = [])),
    responses(
        (status = 200, body = CentreWeb),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such centre", body = ErrorBody),
    ))]
async fn get_web(
    State(state): State<AppState>,
    staff: StaffAuth,
    Path(name): Path<String>,
) -> ApiResult<Json<CentreWeb>> {
    staff.require(Duty::WebAccess)?;
    let centre = centre_named(&state, name).await?;
    staff
        .require_on(&state.storage, Duty::WebAccess, Subject::Centre(centre.id))
        .await?;
    Ok(Json(centre_web(&state, &centre).await?))
}

/// Set a centre's web access (admin, or a supervisor of the centre).
#[utoipa::path(put, path = "/api/v1/centres/{name}/web", tag = "centres",
    params(("name" = String, Path, description = "The centre's name")),
    request_body = WebPolicyRequest,
    security(("staff_token" = [])),
    responses(
        (status = 200, body = CentreWeb),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such centre", body = ErrorBody),
        (status = 422, description = "Not a valid policy", body = ErrorBody),
    ))]
async fn set_web(
    State(state): State<AppState>,
    staff: StaffAuth,
    Path(name): Path<String>,
    Json(request): Json<WebPolicyRequest>,
) -> ApiResult<Json<CentreWeb>> {
    staff.require(Duty::WebAccess)?;
    let centre = centre_named(&state, name).await?;
    staff
        .require_on(&state.storage, Duty::WebAccess, Subject::Centre(centre.id))
        .await?;
    Ok(Json(
        set_centre_web(&state, &centre, &request, &format!("token:{}", staff.name)).await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites_are_hosts_wildcards_or_urls() {
        assert_eq!(site(" *.GOB.ar ").as_deref(), Some("*.gob.ar"));
        assert_eq!(
            site("https://Example.org/Path").as_deref(),
            Some("https://example.org/Path")
        );
        assert_eq!(site("*").as_deref(), Some("*"));
        assert_eq!(site("file:///etc/passwd"), None);
        assert_eq!(site("bad host"), None);
        assert_eq!(site(""), None);
        assert_eq!(suffix("*.Gob.Ar").as_deref(), Some("gob.ar"));
        assert_eq!(suffix("a..b"), None);
    }
}
