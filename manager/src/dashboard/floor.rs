//! The floor: one tile per kiosk of the user's centres, live over SSE.

use std::collections::HashMap;
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::{Stream, StreamExt};
use maud::{Markup, html};
use plaza_api::kiosks::{KioskStatus, KioskSummary};
use serde::Serialize;
use uuid::Uuid;

use crate::access::{Duty, StaffAuth};
use crate::kiosks::status::visible_kiosks;
use crate::state::AppState;
use crate::storage::StorageResult;

use super::alerts::{alerts_for, recent_crashes};
use super::layout::{self, Refused};
use super::session::WebUser;

/// How often the live floor is recomputed for each open page.
const REFRESH: Duration = Duration::from_secs(1);

/// The kiosks `staff` may see, with their status at the state's "now",
/// and recent crashes (for alerts).
pub async fn floor_kiosks(
    state: &AppState,
    staff: &StaffAuth,
) -> StorageResult<(Vec<KioskSummary>, HashMap<Uuid, u32>)> {
    let kiosks = visible_kiosks(state, staff, None).await?;
    Ok((kiosks, recent_crashes(state).await?))
}

/// What a tile shows; sent as JSON to patch tiles in place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tile {
    pub id: Uuid,
    /// free, in_session, offline, locked, never_seen; plus "unhealthy" below.
    pub state: &'static str,
    pub label: String,
    pub unhealthy: bool,
    pub time_left: String,
    pub heartbeat_age: String,
    pub alerts: Vec<&'static str>,
}

pub fn tile(kiosk: &KioskSummary, crashes: &HashMap<Uuid, u32>) -> Tile {
    let alerts = alerts_for(kiosk, crashes);
    let state = kiosk.status.as_str();
    let label = match kiosk.status {
        KioskStatus::Free => "Free",
        KioskStatus::InSession => "In session",
        KioskStatus::Locked => "Locked",
        KioskStatus::Offline => "Offline",
        KioskStatus::NeverSeen => "Never seen",
    };
    let unhealthy = !alerts.is_empty() || kiosk.last_error.is_some();
    Tile {
        id: kiosk.id,
        state,
        label: if unhealthy {
            format!("{label} · unhealthy")
        } else {
            label.to_owned()
        },
        unhealthy,
        time_left: kiosk
            .session
            .as_ref()
            .map(|session| format!("{} left", layout::duration(session.time_left_s)))
            .unwrap_or_default(),
        heartbeat_age: kiosk.heartbeat_age_s.map_or_else(
            || "no heartbeat yet".to_owned(),
            |age| format!("heartbeat {} ago", layout::duration(age)),
        ),
        alerts: alerts.iter().map(|alert| alert.describe()).collect(),
    }
}

pub(super) async fn page(State(state): State<AppState>, user: WebUser) -> Response {
    if let Err(refusal) = user.require(Duty::Floor) {
        return refusal.into_response();
    }
    let (kiosks, crashes) = match floor_kiosks(&state, &user.staff).await {
        Ok(floor) => floor,
        Err(error) => return layout::error_page(&error.to_string()),
    };
    let mut centres: Vec<&str> = kiosks.iter().map(|kiosk| kiosk.centre.as_str()).collect();
    centres.dedup();
    centres.sort_unstable();
    centres.dedup();
    let body = html! {
        p.hint { "Tiles update by themselves every second; without JavaScript, reload the page." }
        @if kiosks.is_empty() {
            p.notice { "No kiosks are enrolled in your centres yet." }
        }
        @for centre in &centres {
            section.centre aria-label=(centre) {
                h2 { (centre) }
                ul.tiles {
                    @for kiosk in kiosks.iter().filter(|kiosk| kiosk.centre == *centre) {
                        li { (tile_markup(kiosk, &crashes)) }
                    }
                }
            }
        }
    };
    layout::page(Some(&user), "Floor", body).into_response()
}

fn tile_markup(kiosk: &KioskSummary, crashes: &HashMap<Uuid, u32>) -> Markup {
    let tile = tile(kiosk, crashes);
    let class = format!(
        "tile state-{}{}",
        tile.state,
        if tile.unhealthy { " unhealthy" } else { "" }
    );
    html! {
        a class=(class) href={ "/dashboard/kiosks/" (kiosk.id) } data-kiosk=(kiosk.id) {
            span.hostname { (kiosk.hostname) }
            span.state data-field="label" { (tile.label) }
            span.time-left data-field="time_left" { (tile.time_left) }
            span.age data-field="heartbeat_age" { (tile.heartbeat_age) }
            ul.alerts data-field="alerts" {
                @for alert in &tile.alerts { li { (alert) } }
            }
        }
    }
}

/// `text/event-stream` of `tiles` events: the whole floor as JSON, once a
/// second, until the session ends or the server shuts down.
pub(super) async fn events(
    State(state): State<AppState>,
    user: WebUser,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, Refused> {
    user.require(Duty::Floor)?;
    let Some(slot) = state.limits.floor_stream(user.session_hash) else {
        return Err(Response::from(
            (
                axum::http::StatusCode::TOO_MANY_REQUESTS,
                [(axum::http::header::RETRY_AFTER, "5")],
                "This session already has as many live floors open as allowed; close one.",
            )
                .into_response(),
        )
        .into());
    };
    let stopping = state.stopping.clone();
    // The slot lives as long as the stream and frees itself when dropped.
    let stream =
        futures_util::stream::unfold((state, user, true), |(state, user, first)| async move {
            if !first {
                tokio::time::sleep(REFRESH).await;
            }
            let still_signed_in = matches!(
                state
                    .storage
                    .web_session(user.session_hash, state.clock.now())
                    .await,
                Ok(Some(_))
            );
            if !still_signed_in {
                return None;
            }
            let (kiosks, crashes) = floor_kiosks(&state, &user.staff).await.ok()?;
            let tiles: Vec<Tile> = kiosks.iter().map(|kiosk| tile(kiosk, &crashes)).collect();
            let json = serde_json::to_string(&tiles).ok()?;
            let event = Event::default().event("tiles").data(json);
            Some((Ok(event), (state, user, false)))
        })
        .take_until(async move { stopping.wait().await })
        .map(move |event| {
            let _open = &slot;
            event
        });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}
