//! The dashboard through a real manager: accounts, login and lockout,
//! cookie sessions and CSRF, security headers, the floor and its live
//! stream, remote actions, and roles and centre scoping in the JSON API.

mod access;
mod availability;
mod bench;
mod common;
mod differencing;
mod floor;
mod floor_bench;
mod help_chat;
mod help_chat_bench;
mod hostile_forms;
mod internet_report;
mod login;
mod matrix;
mod moderation;
mod open311;
mod open311_client;
mod reports;
mod requests;
mod requests_bench;
mod retention;
mod say_bench;
mod say_page;
mod web_access;
