//! Enrolling many kiosks straight through the manager's storage, many at a
//! time so the single writer can group-commit them.

use jiff::SignedDuration;
use plaza_api::enrol::EnrolRequest;
use plaza_manager::AppState;
use plaza_manager::kiosks::{enrol_with_code, issue_enrolment_code};
use plaza_manager::storage::centres::NewCentre;
use uuid::Uuid;

pub const CENTRE: &str = "Bench";
const AT_ONCE: usize = 256;

#[derive(Debug, Clone)]
pub struct Kiosk {
    pub id: Uuid,
    pub token: String,
}

/// Adds the bench centre and enrols `count` kiosks in it.
pub async fn enrol_fleet(state: &AppState, count: usize) -> anyhow::Result<Vec<Kiosk>> {
    let now = state.clock.now();
    state
        .storage
        .add_centre(
            NewCentre {
                name: CENTRE.to_owned(),
                ..NewCentre::default()
            },
            now,
            "bench",
        )
        .await?;
    let mut kiosks = Vec::with_capacity(count);
    let mut next = 0;
    while next < count {
        let mut wave = tokio::task::JoinSet::new();
        for index in next..count.min(next + AT_ONCE) {
            let state = state.clone();
            wave.spawn(async move {
                let (code, _, _) = issue_enrolment_code(
                    &state.storage,
                    CENTRE,
                    now,
                    SignedDuration::from_hours(1),
                )
                .await?;
                let request = EnrolRequest {
                    code,
                    hostname: format!("bench-{index:05}"),
                };
                let enrolled = enrol_with_code(&state.storage, request, now).await?;
                anyhow::Ok(Kiosk {
                    id: enrolled.kiosk_id,
                    token: enrolled.token,
                })
            });
        }
        while let Some(kiosk) = wave.join_next().await {
            kiosks.push(kiosk??);
        }
        next = count.min(next + AT_ONCE);
    }
    Ok(kiosks)
}
