//! Having a say (issue #17): verified residents, consultations with secret
//! ballots, proposals with supports and an official answer, and the
//! participation report; all under `/api/v1/participation/...`.

pub(crate) mod consultations;
pub mod document;
mod present;
pub(crate) mod proposals;
pub(crate) mod report;
pub(crate) mod residents;
pub mod seed;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub use residents::verify_as;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(residents::verify, residents::list))
        .routes(routes!(residents::revoke))
        .routes(routes!(consultations::list, consultations::create))
        .routes(routes!(consultations::detail))
        .routes(routes!(consultations::close))
        .routes(routes!(consultations::answer))
        .routes(routes!(consultations::vote))
        .routes(routes!(consultations::results))
        .routes(routes!(proposals::list, proposals::create))
        .routes(routes!(proposals::detail))
        .routes(routes!(proposals::support))
        .routes(routes!(proposals::answer))
        .routes(routes!(proposals::held))
        .routes(routes!(proposals::moderate))
        .routes(routes!(report::participation))
}
