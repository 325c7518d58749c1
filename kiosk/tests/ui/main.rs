//! Headless UI tests through iced_test's simulator: click by label, type,
//! check what is shown. Time moves only by sending tick messages.

mod catalogue;
mod harness;
mod have_a_say;
mod help_chat;
mod internet;
mod participation;
mod requests;
mod session;
mod trust;
