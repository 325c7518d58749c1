//! A centre's web access on the centres page: the policy (open with a
//! deny-list, or allow-list only), the recommended sites and the purposes,
//! as one form of plain text lines, saved through the API's own call
//! (`web::set_centre_web`, audited).

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use plaza_api::web::{CentreWeb, Purpose, PurposeRule, RecommendedSite, WebMode, WebPolicyRequest};
use serde::Deserialize;

use crate::access::Duty;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::web::set_centre_web;

use super::layout;
use super::session::WebUser;

/// The form of one centre, for the centres page.
pub(super) fn form(centre_id: i64, web: &CentreWeb, csrf: &str) -> Markup {
    let policy = &web.policy;
    let sites = policy.sites.join("\n");
    let recommended = policy
        .recommended
        .iter()
        .map(|site| format!("{} | {}", site.title, site.url))
        .collect::<Vec<_>>()
        .join("\n");
    let purposes = policy
        .purposes
        .iter()
        .map(|rule| format!("{} {}", rule.suffix, rule.purpose))
        .collect::<Vec<_>>()
        .join("\n");
    let open = policy.mode == WebMode::Open;
    html! {
        form.web method="post" action={ "/dashboard/centres/" (centre_id) "/web" } {
            input type="hidden" name="csrf" value=(csrf);
            h3 { "Internet at the kiosks" @if web.default { " (the manager's default)" } }
            fieldset {
                legend { "What the browser may reach" }
                label { input type="radio" name="mode" value="open" checked[open]; " Everything except the sites below" }
                label { input type="radio" name="mode" value="allow_list" checked[!open]; " Only the sites below" }
            }
            label for={ "sites-" (centre_id) } { "Sites, one a line (example.org, *.gob.ar, https://example.org/path)" }
            textarea id={ "sites-" (centre_id) } name="sites" rows="4" cols="50" { (sites) }
            label for={ "recommended-" (centre_id) } { "Recommended sites, one a line: Title | https://…" }
            textarea id={ "recommended-" (centre_id) } name="recommended" rows="4" cols="50" { (recommended) }
            label for={ "purposes-" (centre_id) } {
                "Purposes, one a line: domain suffix and one of government, education, employment, health, communication, other"
            }
            textarea id={ "purposes-" (centre_id) } name="purposes" rows="6" cols="50" { (purposes) }
            button type="submit" { "Save internet access" }
        }
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct WebForm {
    /// Missing is refused like wrong (403), not as a malformed form.
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    sites: String,
    #[serde(default)]
    recommended: String,
    #[serde(default)]
    purposes: String,
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|line| !line.is_empty())
}

/// The form's text as the API's request.
fn request(form: &WebForm) -> ApiResult<WebPolicyRequest> {
    let mode = WebMode::parse(&form.mode)
        .ok_or_else(|| ApiError::invalid("choose everything-but or only-these sites"))?;
    let recommended = lines(&form.recommended)
        .map(|line| {
            line.rsplit_once('|')
                .map(|(title, url)| RecommendedSite {
                    title: title.trim().to_owned(),
                    url: url.trim().to_owned(),
                })
                .ok_or_else(|| ApiError::invalid(format!("`{line}` is not “Title | URL”")))
        })
        .collect::<ApiResult<_>>()?;
    let purposes = lines(&form.purposes)
        .map(|line| {
            line.rsplit_once(char::is_whitespace)
                .and_then(|(suffix, purpose)| {
                    Purpose::parse(purpose.trim()).map(|purpose| PurposeRule {
                        suffix: suffix.trim().to_owned(),
                        purpose,
                    })
                })
                .ok_or_else(|| ApiError::invalid(format!("`{line}` is not “suffix purpose”")))
        })
        .collect::<ApiResult<_>>()?;
    Ok(WebPolicyRequest {
        mode,
        sites: lines(&form.sites).map(str::to_owned).collect(),
        recommended,
        purposes: Some(purposes),
    })
}

pub(super) async fn set_web(
    State(state): State<AppState>,
    user: WebUser,
    Path(centre_id): Path<i64>,
    Form(form): Form<WebForm>,
) -> Response {
    if let Err(refusal) = user
        .require(Duty::WebAccess)
        .and_then(|()| user.check_csrf(&form.csrf))
    {
        return refusal.into_response();
    }
    let centre = match state.storage.centres().await {
        Ok(centres) => centres
            .into_iter()
            .find(|centre| centre.id == centre_id && user.staff.may_at(Duty::WebAccess, centre.id)),
        Err(error) => return layout::error_page(&error.to_string()),
    };
    let Some(centre) = centre else {
        return layout::not_found(&user, "No such centre in your care.");
    };
    let saved = match request(&form) {
        Ok(request) => set_centre_web(&state, &centre, &request, &user.staff.name).await,
        Err(error) => Err(error),
    };
    match saved {
        Ok(_) => Redirect::to("/dashboard/centres").into_response(),
        Err(error) if error.status != StatusCode::UNPROCESSABLE_ENTITY => {
            layout::error_page(&error.message)
        }
        Err(error) => {
            let body = html! {
                p.notice.error role="alert" { (error.message) }
                p { a href="/dashboard/centres" { "Back to the centres" } }
            };
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                layout::page(Some(&user), "Cannot set this internet access", body),
            )
                .into_response()
        }
    }
}
