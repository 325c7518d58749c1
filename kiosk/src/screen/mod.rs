//! One module per screen, each with its own `Message`, an `update` that
//! returns an `Action` for the parent (the app owns navigation), and a `view`.
//!
//! Adding a section (catalogue, participation): write `screen/<name>.rs`, add
//! a variant to `app::Screen` and to `app::Message`, route it in
//! `App::open_section`, and mark the section ready in `home::is_ready`.

pub mod attract;
pub mod catalogue;
pub mod coming_soon;
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
