//! The Op API layer: models, lenient decoding, errors, signing and the HTTP client.
//! It knows nothing of the view; screens call [`client::ApiClient`].

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;
pub mod client;
pub mod error;
pub mod lenient;
pub mod models;
pub mod request;
pub mod sign;

pub use client::{ApiClient, Latest};
pub use error::{ApiError, Endpoint};
pub use models::{ChatInfo, SearchPage, SearchRow};
pub use request::SearchQuery;
