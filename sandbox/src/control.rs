//! The test control API under `/__sandbox/` (formats in the crate documentation).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::faults::QueuedFault;
use crate::Sandbox;

pub fn routes() -> Router<Arc<Sandbox>> {
    Router::new()
        .route("/__sandbox/faults", get(list_faults).post(add_fault).delete(clear_faults))
        .route("/__sandbox/requests", get(list_requests).delete(clear_requests))
}

async fn list_faults(State(sandbox): State<Arc<Sandbox>>) -> Response {
    Json(json!({ "queued": sandbox.faults.queued() })).into_response()
}

async fn add_fault(State(sandbox): State<Arc<Sandbox>>, body: Bytes) -> Response {
    let queued = serde_json::from_slice::<QueuedFault>(&body)
        .map_err(|error| format!("invalid fault: {error}"))
        .and_then(|fault| sandbox.faults.enqueue(fault));
    match queued {
        Ok(queue) => Json(json!({ "queued": queue })).into_response(),
        Err(error) => (StatusCode::BAD_REQUEST, Json(json!({ "error": error }))).into_response(),
    }
}

async fn clear_faults(State(sandbox): State<Arc<Sandbox>>) -> Response {
    Json(json!({ "cleared": sandbox.faults.clear() })).into_response()
}

async fn list_requests(State(sandbox): State<Arc<Sandbox>>) -> Response {
    Json(json!({ "requests": sandbox.requests.entries() })).into_response()
}

async fn clear_requests(State(sandbox): State<Arc<Sandbox>>) -> Response {
    Json(json!({ "cleared": sandbox.requests.clear() })).into_response()
}
