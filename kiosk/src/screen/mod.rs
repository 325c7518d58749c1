//! One module per screen, each with its own `Message`, an `update` that
//! returns an `Action` for the parent (the app owns navigation), and a `view`.
//!
//! Adding a section: write `screen/<name>.rs`, add a variant to `app::Screen`
//! and to `app::Message`, and route it in `App::open_section`.

pub mod attract;
pub mod catalogue;
pub mod help;
pub mod home;
pub mod maintenance;
pub mod network;
pub mod networks;
pub mod participation;
pub mod pin;
pub mod privacy;
pub mod procedure;
pub mod procedures;
pub mod survey;
pub mod tender;
pub mod tenders;
pub mod welcome;
