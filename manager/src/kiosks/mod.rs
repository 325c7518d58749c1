//! Kiosks: enrolment, heartbeats, and what supervisors see and ask of them.

mod enrolment;
mod heartbeat;
mod profile;
pub mod status;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub use enrolment::{enrol_with_code, issue_enrolment_code};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(enrolment::enrol))
        .routes(routes!(heartbeat::heartbeat))
        .routes(routes!(profile::profile))
        .routes(routes!(status::list))
        .routes(routes!(status::detail))
        .routes(routes!(status::queue_command))
}
