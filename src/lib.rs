//! Op Console: the app crate. See ARCHITECTURE.md for the map.

pub mod api;
pub mod app;
mod boot;
pub mod chat;
pub mod config;
pub mod host;
pub mod i18n;
pub mod keys;
pub mod perf;
pub mod prefs;
pub mod search;
pub mod time;
pub mod ui;

pub use boot::boot;
