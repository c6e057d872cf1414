//! Op Console: the app crate. See ARCHITECTURE.md for the map.

pub mod api;
pub mod app;
mod boot;
pub mod chart;
pub mod chat;
pub mod ctx;
pub mod config;
// Development builds only: see the module's comment.
#[cfg(debug_assertions)]
mod dev_hint;
pub mod embed;
pub mod export;
pub mod filters;
pub mod host;
pub mod i18n;
pub mod keys;
mod live;
pub mod model;
pub mod perf;
pub mod prefs;
pub mod search;
pub mod time;
pub mod ui;
pub mod views;

#[cfg(all(test, target_arch = "wasm32"))]
mod test_support;
#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

pub use boot::boot;
