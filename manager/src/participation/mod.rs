//! Citizen participation: accounts (alias + PIN), local forums, local
//! virtual communities and the moderation of what citizens write.

mod accounts;
pub mod auth;
mod communities;
mod erasure;
pub mod error;
mod forums;
mod moderation;
mod pin;
mod posting;
mod present;
pub mod seed;
pub mod text;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub use accounts::reset_pin_of;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(accounts::sign_up))
        .routes(routes!(accounts::login))
        .routes(routes!(accounts::logout))
        .routes(routes!(accounts::me))
        .routes(routes!(accounts::change_pin))
        .routes(routes!(accounts::reset_pin))
        .routes(routes!(erasure::erase_own))
        .routes(routes!(erasure::erase_on_request))
        .routes(routes!(forums::boards, forums::create_board))
        .routes(routes!(forums::threads, forums::create_thread))
        .routes(routes!(forums::thread))
        .routes(routes!(forums::reply))
        .routes(routes!(forums::edit, forums::delete))
        .routes(routes!(moderation::report))
        .routes(routes!(moderation::queue))
        .routes(routes!(moderation::decide))
        .routes(routes!(moderation::remove_announcement))
        .routes(routes!(moderation::remove_event))
        .routes(routes!(communities::directory, communities::create))
        .routes(routes!(communities::detail))
        .routes(routes!(communities::join, communities::leave))
        .routes(routes!(communities::requests))
        .routes(routes!(communities::accept, communities::reject))
        .routes(routes!(communities::announce))
        .routes(routes!(communities::add_event))
        .routes(routes!(
            communities::grant_coordinator,
            communities::revoke_coordinator
        ))
}
