//! The test control API under `/__sandbox/` (formats in the crate documentation).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use crate::faults::QueuedFault;
use crate::filters::{self, SearchQuery};
use crate::Sandbox;

pub fn routes() -> Router<Arc<Sandbox>> {
    Router::new()
        .route("/__sandbox/faults", get(list_faults).post(add_fault).delete(clear_faults))
        .route("/__sandbox/requests", get(list_requests).delete(clear_requests))
        .route("/__sandbox/search", post(true_rows))
        .route("/__sandbox/hint", get(hint))
        .route("/__sandbox/chats", post(add_chats))
        .route("/__sandbox/now", get(now))
}

/// The most conversations one call adds.
const MAX_ARRIVALS: usize = 100;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Arrivals {
    #[serde(default = "one")]
    count: usize,
}

fn one() -> usize {
    1
}

/// Conversations created now, for live updates to find.
async fn add_chats(State(sandbox): State<Arc<Sandbox>>, body: Bytes) -> Response {
    let body = if body.is_empty() { Bytes::from_static(b"{}") } else { body };
    let arrivals = serde_json::from_slice::<Arrivals>(&body)
        .map_err(|error| format!("invalid body: {error}"))
        .and_then(|a| if (1..=MAX_ARRIVALS).contains(&a.count) { Ok(a) } else { Err(format!("count must be 1 to {MAX_ARRIVALS}")) });
    match arrivals {
        Ok(arrivals) => {
            let mut dataset = sandbox.dataset.write().unwrap_or_else(std::sync::PoisonError::into_inner);
            let added = dataset.add_arrivals(arrivals.count, sandbox.clock.now_ms());
            Json(json!({ "added": added, "total": dataset.chats().len() })).into_response()
        }
        Err(error) => (StatusCode::BAD_REQUEST, Json(json!({ "error": error }))).into_response(),
    }
}

/// The sandbox's clock (moved by `--now`).
async fn now(State(sandbox): State<Arc<Sandbox>>) -> Response {
    let clock = sandbox.clock;
    Json(json!({ "now": clock.now_rfc3339(), "epochMs": clock.now_ms(), "today": clock.today().to_string() })).into_response()
}

/// Every row a search body matches, without faults or paging: the truth an export is
/// compared with.
async fn true_rows(State(sandbox): State<Arc<Sandbox>>, body: Bytes) -> Response {
    let query = serde_json::from_slice::<serde_json::Value>(&body)
        .map_err(|error| format!("not JSON: {error}"))
        .and_then(|mut body| {
            // Paging is irrelevant here, but the API's parser wants it.
            if let Some(fields) = body.as_object_mut() {
                fields.insert("pageNum".to_owned(), json!(1));
                fields.insert("pageSize".to_owned(), json!(1));
            }
            SearchQuery::from_json(&body).map_err(|error| error.to_string())
        });
    match query {
        Ok(query) => {
            let dataset = sandbox.dataset();
            let rows: Vec<_> = filters::matching(dataset.chats(), &query).map(|chat| chat.row()).collect();
            Json(json!({ "total": rows.len(), "rows": rows })).into_response()
        }
        Err(error) => (StatusCode::BAD_REQUEST, Json(json!({ "error": error }))).into_response(),
    }
}

/// Which token this sandbox takes, for the sign-in panel of a development build.
async fn hint(State(sandbox): State<Arc<Sandbox>>) -> Response {
    Json(json!({ "token": sandbox.auth.token() })).into_response()
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
