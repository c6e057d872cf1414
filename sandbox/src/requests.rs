//! What clients sent: query parameters, and the log of recent Op API requests that tests
//! read through `GET /__sandbox/requests` to check what the browser really sent: which
//! were count calls (the chart's), and which the browser gave up on before the answer.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};

use chrono::{SecondsFormat, Utc};
use serde::Serialize;
use serde_json::{Map, Value};

/// How many requests the log keeps.
pub const LOG_CAPACITY: usize = 1000;

/// Decoded query parameters, in the order sent.
#[derive(Debug, Default)]
pub struct QueryParams(Vec<(String, String)>);

impl QueryParams {
    /// Never fails: malformed percent-escapes are decoded leniently.
    pub fn parse(raw: Option<&str>) -> Self {
        let pairs = raw.map(|raw| form_urlencoded::parse(raw.as_bytes()).into_owned().collect()).unwrap_or_default();
        QueryParams(pairs)
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    fn to_json(&self) -> Map<String, Value> {
        let mut map = Map::new();
        for (key, value) in &self.0 {
            if !map.contains_key(key) {
                map.insert(key.clone(), Value::from(value.as_str()));
            }
        }
        map
    }
}

/// One received Op API request.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedRequest {
    /// Increasing number, so tests can ask for what came after a point.
    pub id: u64,
    /// RFC 3339, UTC, milliseconds.
    pub time: String,
    pub method: String,
    pub path: String,
    /// The query string as sent (keeps the parameter order).
    pub raw_query: String,
    /// Decoded parameters (the first value of each name).
    pub query: Map<String, Value>,
    /// The body parsed as JSON, or null when it is not JSON.
    pub body: Value,
    /// The body as text (what the sign covers).
    pub raw_body: String,
    /// The `x-op-fault` header, if any.
    pub fault: Option<String>,
    /// The chaos scenario's turn (`slow=800;fail=html502`, `repeat`, `none`…), if it decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chaos: Option<String>,
    /// A count call: a `chatSearchs` for page 1 of size 1 (see [`is_count_call`]).
    pub count: bool,
    /// How the request ended so far: tests check that a request the browser cancelled
    /// really stopped.
    pub outcome: Outcome,
}

/// Whether `body` asks `chatSearchs` for page 1 of size 1, which is how the console's chart
/// counts a bucket (it reads `page.total`); pages of the table are never one row long.
pub fn is_count_call(body: &[u8]) -> bool {
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(body) else { return false };
    let one = |name: &str| fields.get(name).is_some_and(|v| v.as_u64() == Some(1) || v.as_str() == Some("1"));
    one("pageNum") && one("pageSize")
}

/// How a logged request ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// Still being answered (a delay, say).
    Pending,
    /// The server produced its answer.
    Answered,
    /// The client went away (aborted the request, closed the connection) before the answer.
    Cancelled,
}

/// What the handler knows about a request when it logs it.
pub struct Received<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub raw_query: Option<&'a str>,
    pub query: &'a QueryParams,
    pub body: &'a [u8],
    pub fault: Option<&'a str>,
    pub chaos: Option<&'a str>,
    /// Whether the path is `chatSearchs` (a count call is one of those).
    pub search: bool,
}

/// The last [`LOG_CAPACITY`] requests.
#[derive(Debug, Default)]
pub struct RequestLog {
    inner: Mutex<LogState>,
}

#[derive(Debug, Default)]
struct LogState {
    next_id: u64,
    entries: VecDeque<LoggedRequest>,
}

impl RequestLog {
    /// Logs a request as [`Outcome::Pending`] and returns its id for [`RequestLog::end`].
    pub fn record(&self, received: &Received) -> u64 {
        let mut state = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        state.next_id += 1;
        let entry = LoggedRequest {
            id: state.next_id,
            time: Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
            method: received.method.to_owned(),
            path: received.path.to_owned(),
            raw_query: received.raw_query.unwrap_or("").to_owned(),
            query: received.query.to_json(),
            body: serde_json::from_slice(received.body).unwrap_or(Value::Null),
            raw_body: String::from_utf8_lossy(received.body).into_owned(),
            fault: received.fault.map(str::to_owned),
            chaos: received.chaos.map(str::to_owned),
            count: received.search && is_count_call(received.body),
            outcome: Outcome::Pending,
        };
        if state.entries.len() == LOG_CAPACITY {
            state.entries.pop_front();
        }
        state.entries.push_back(entry);
        state.next_id
    }

    /// Records how request `id` ended (nothing if it has left the log meanwhile).
    pub fn end(&self, id: u64, outcome: Outcome) {
        let mut state = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(entry) = state.entries.iter_mut().find(|entry| entry.id == id) {
            entry.outcome = outcome;
        }
    }

    /// Oldest first.
    pub fn entries(&self) -> Vec<LoggedRequest> {
        let state = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        state.entries.iter().cloned().collect()
    }

    /// Empties the log (ids keep increasing) and says how many entries went.
    pub fn clear(&self) -> usize {
        let mut state = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let cleared = state.entries.len();
        state.entries.clear();
        cleared
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn received<'a>(query: &'a QueryParams, body: &'a [u8]) -> Received<'a> {
        Received { method: "POST", path: "/op/v2/chatSearchs", raw_query: Some("a=1"), query, body, fault: None, chaos: None, search: true }
    }

    #[test]
    fn query_keeps_order_and_decodes() {
        let query = QueryParams::parse(Some("apiVersion=01&client=c%20d&token=&sign=AB&client=second&bad=%zz"));
        assert_eq!(query.get("client"), Some("c d"));
        assert_eq!(query.get("token"), Some(""));
        assert_eq!(query.get("version"), None);
        assert_eq!(query.get("bad"), Some("%zz"));
        assert_eq!(query.to_json().len(), 5);
    }

    #[test]
    fn log_keeps_the_last_thousand() {
        let log = RequestLog::default();
        let query = QueryParams::parse(Some("a=1"));
        for _ in 0..LOG_CAPACITY + 5 {
            log.record(&received(&query, b"{\"pageNum\":1}"));
        }
        log.record(&received(&query, b"not json"));
        let entries = log.entries();
        assert_eq!(entries.len(), LOG_CAPACITY);
        assert_eq!(entries[0].id, 7);
        assert_eq!(entries[0].body, serde_json::json!({"pageNum": 1}));
        let last = entries.last().expect("entry");
        assert!(last.body.is_null());
        assert_eq!(last.raw_body, "not json");
        assert_eq!(log.clear(), LOG_CAPACITY);
        assert!(log.entries().is_empty());
    }

    #[test]
    fn count_calls_are_marked() {
        assert!(is_count_call(br#"{"startTime":"2026-11-01","endTime":"2026-11-01","pageNum":1,"pageSize":1}"#));
        assert!(!is_count_call(br#"{"pageNum":1,"pageSize":20}"#));
        assert!(!is_count_call(br#"{"pageNum":2,"pageSize":1}"#));
        assert!(!is_count_call(b"not json"));
        let log = RequestLog::default();
        let query = QueryParams::parse(None);
        log.record(&received(&query, br#"{"pageNum":1,"pageSize":1}"#));
        log.record(&received(&query, br#"{"pageNum":1,"pageSize":20}"#));
        let counts: Vec<bool> = log.entries().iter().map(|entry| entry.count).collect();
        assert_eq!(counts, [true, false]);
    }

    #[test]
    fn requests_end_answered_or_cancelled() {
        let log = RequestLog::default();
        let query = QueryParams::parse(None);
        let first = log.record(&received(&query, b"{}"));
        let second = log.record(&received(&query, b"{}"));
        log.end(second, Outcome::Cancelled);
        log.end(first, Outcome::Answered);
        log.end(999, Outcome::Answered);
        let outcomes: Vec<Outcome> = log.entries().iter().map(|entry| entry.outcome).collect();
        assert_eq!(outcomes, [Outcome::Answered, Outcome::Cancelled]);
        assert_eq!(serde_json::to_value(Outcome::Cancelled).ok(), Some(serde_json::json!("cancelled")));
    }
}
