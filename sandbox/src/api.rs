//! The Op API: `POST /op/v2/chatSearchs` and `POST /op/v2/getChatInfo`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use serde_json::Value;

use crate::chaos::Shape;
use crate::envelope::Envelope;
use crate::error::ApiError;
use crate::faults::FAULT_HEADER;
use crate::filters::{self, SearchQuery};
use crate::requests::{Outcome, QueryParams, Received};
use crate::Sandbox;

/// Where the Op API lives.
pub const API_PREFIX: &str = "/op/v2/";

/// The implemented endpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    ChatSearchs,
    GetChatInfo,
}

impl Endpoint {
    fn from_path(path: &str) -> Option<Self> {
        match path.strip_prefix(API_PREFIX)? {
            "chatSearchs" => Some(Endpoint::ChatSearchs),
            "getChatInfo" => Some(Endpoint::GetChatInfo),
            _ => None,
        }
    }
}

/// Every path under /op/v2/ goes to one handler, so unknown ones get an envelope too.
pub fn routes() -> Router<Arc<Sandbox>> {
    Router::new().route(API_PREFIX, any(handle)).route("/op/v2/{*rest}", any(handle))
}

async fn handle(State(sandbox): State<Arc<Sandbox>>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let path = uri.path();
    let query = QueryParams::parse(uri.query());
    let fault = headers.get(FAULT_HEADER).map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    let endpoint = Endpoint::from_path(path);
    let plan = sandbox.faults.plan(fault.as_deref(), endpoint, &body);
    let id = sandbox.requests.record(&Received {
        method: method.as_str(),
        path,
        raw_query: uri.query(),
        query: &query,
        body: &body,
        fault: fault.as_deref(),
        chaos: plan.as_ref().ok().and_then(|plan| plan.chaos.as_deref()),
        search: endpoint == Some(Endpoint::ChatSearchs),
    });
    // Dropped with this future, which hyper drops when the client goes away first.
    let mut ending = Ending { sandbox: sandbox.clone(), id, answered: false };
    let plan = match plan {
        Ok(plan) => plan,
        Err(error) => return ending.answer(Envelope::from(&ApiError::from(error)).into_response()),
    };
    if !plan.delay.is_zero() {
        tokio::time::sleep(plan.delay).await;
    }
    let envelope =
        answer(&sandbox, &method, path, endpoint, &query, &body, plan.shape).unwrap_or_else(|error| Envelope::from(&error));
    let response = match plan.fail {
        Some(failure) => failure.respond(envelope).await,
        None => envelope.into_response(),
    };
    ending.answer(response)
}

/// Records in the request log how a request ended: answered, or cancelled when dropped
/// before that (the client aborted it).
struct Ending {
    sandbox: Arc<Sandbox>,
    id: u64,
    answered: bool,
}

impl Ending {
    fn answer(&mut self, response: Response) -> Response {
        self.answered = true;
        self.sandbox.requests.end(self.id, Outcome::Answered);
        response
    }
}

impl Drop for Ending {
    fn drop(&mut self) {
        if !self.answered {
            self.sandbox.requests.end(self.id, Outcome::Cancelled);
        }
    }
}

fn answer(
    sandbox: &Sandbox,
    method: &Method,
    path: &str,
    endpoint: Option<Endpoint>,
    query: &QueryParams,
    body: &[u8],
    shape: Shape,
) -> Result<Envelope, ApiError> {
    let endpoint = endpoint.ok_or_else(|| ApiError::UnknownEndpoint(path.to_owned()))?;
    if method != Method::POST {
        return Err(ApiError::MethodNotAllowed(method.to_string()));
    }
    sandbox.auth.check(query, path, &String::from_utf8_lossy(body))?;
    let body: Value = serde_json::from_slice(body).map_err(|_| ApiError::NotJson)?;
    match endpoint {
        Endpoint::ChatSearchs => {
            let mut query = SearchQuery::from_json(&body)?;
            let asked = query.page_num;
            if shape == Shape::Repeated {
                query.page_num = 1;
            }
            let dataset = sandbox.dataset();
            let (rows, mut page) = filters::search(dataset.chats(), &query);
            // A server that ignores pageNum still echoes it.
            page.page = asked;
            if shape == Shape::NoTotal || sandbox.no_total {
                page.total = None;
            }
            let rows: Vec<_> = rows.iter().map(|chat| chat.row()).collect();
            Ok(Envelope::success(&rows, Some(page)))
        }
        Endpoint::GetChatInfo => {
            let object = body.as_object().ok_or(ApiError::NotObject)?;
            let chat_id = match object.get("chatId") {
                Some(Value::String(id)) if !id.trim().is_empty() => id.trim(),
                Some(Value::String(_)) | Some(Value::Null) | None => return Err(ApiError::Missing("chatId")),
                Some(_) => return Err(ApiError::NotText("chatId")),
            };
            let dataset = sandbox.dataset();
            let chat = dataset.get(chat_id).ok_or_else(|| ApiError::ChatNotFound(chat_id.to_owned()))?;
            Ok(Envelope::success(&chat.chat_info(), None))
        }
    }
}
