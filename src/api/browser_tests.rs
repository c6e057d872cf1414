//! The client against a real op-sandbox from the browser: timeout, abort, stale answers,
//! signing and errors. `cargo xtask test` starts the sandbox and passes its address as
//! `OPC_SANDBOX_URL` at build time.

use std::rc::Rc;

use gloo_net::http::Request;
use serde_json::json;
use wasm_bindgen_test::wasm_bindgen_test;

use super::client::{fixed_token, ApiClient, Latest};
use super::request::SearchQuery;
use crate::filters::SearchFilters;
use crate::config::SignRecipe;
use super::ApiError;
use crate::config::Config;
use crate::test_support::sandbox;
use crate::time::parse_date;

fn client(extra: serde_json::Value) -> ApiClient {
    let config = Config::default()
        .merged(&json!({ "apiBase": format!("{}/op/v2", sandbox()) }), "test")
        .and_then(|c| c.merged(&extra, "test"))
        .expect("valid");
    let sign = config.sign.clone();
    ApiClient::new(Rc::new(config), fixed_token(Some("browser-test".into())), Rc::new(sign))
}

fn seed_query(title: &str) -> SearchQuery {
    let mut filters = SearchFilters::with_range(parse_date("2015-01-01").expect("date"), parse_date("2015-12-31").expect("date"));
    filters.nick = "阿洋".into();
    filters.title = title.into();
    SearchQuery { filters, page: 1, size: 20 }
}

async fn queue_fault(fault: serde_json::Value) {
    let response = Request::post(&format!("{}/__sandbox/faults", sandbox()))
        .header("content-type", "application/json")
        .body(fault.to_string())
        .expect("request")
        .send()
        .await
        .expect("control API answers");
    assert_eq!(response.status(), 200);
}

#[wasm_bindgen_test]
async fn seed_query_round_trip() {
    let page = client(json!({})).search(&seed_query(""), None).await.expect("answer");
    assert_eq!(page.rows.len(), 12);
    assert_eq!(page.total(), 12);
    let info = client(json!({})).chat_info("u0001d6ddfcbef27e45aeaee5bf7db6ac83b5", None).await.expect("info");
    assert_eq!(info.user.and_then(|u| u.user_name).as_deref(), Some("yzhou222"));
}

#[wasm_bindgen_test]
async fn a_slow_answer_times_out() {
    queue_fault(json!({ "endpoint": "chatSearchs", "delayMs": 3000 })).await;
    let outcome = client(json!({ "timeoutMs": 300 })).search(&seed_query(""), None).await;
    assert_eq!(outcome.map(|_| ()), Err(ApiError::Timeout(300)));
}

#[wasm_bindgen_test]
async fn a_newer_request_aborts_the_older_one() {
    queue_fault(json!({ "endpoint": "chatSearchs", "delayMs": 1500 })).await;
    let latest = Rc::new(Latest::default());
    let client = client(json!({}));
    let older = latest.begin();
    let pending = {
        let client = client.clone();
        async move { client.search(&seed_query("Get一下"), older.signal()).await.map(|p| p.rows.len()) }
    };
    let newer = latest.begin();
    let (old_outcome, new_outcome) =
        futures::future::join(pending, async { client.search(&seed_query("q"), newer.signal()).await.map(|p| p.rows.len()) }).await;
    assert_eq!(old_outcome, Err(ApiError::Aborted));
    assert_eq!(new_outcome, Ok(1));
    assert!(latest.is_current(&newer));
}

/// Requests leave nothing behind: each used to keep the two callbacks of a promise that
/// never settled (the deadline's abort, awaited beside the token and the signature),
/// about 300 B of wasm memory and 1 KB of JS heap per request.
#[wasm_bindgen_test]
async fn requests_leave_no_memory_behind() {
    let client = client(json!({}));
    let latest = Latest::default();
    let query = seed_query("q");
    let ask = async || {
        let ticket = latest.begin();
        let answer = client.search(&query, ticket.signal()).await;
        latest.finished(&ticket);
        assert_eq!(answer.map(|p| p.rows.len()), Ok(1));
    };
    for _ in 0..50 {
        ask().await;
    }
    let before = crate::test_support::live_heap_bytes();
    for _ in 0..1500 {
        ask().await;
    }
    let grown = crate::test_support::live_heap_bytes() - before;
    assert!(grown <= 8 * 1024, "1,500 requests left {grown} more bytes live on the wasm heap");
}

/// A request that has its answer is not aborted by the next one: aborting it would
/// dispatch an abort event for nothing, on every page flip.
#[wasm_bindgen_test]
fn a_finished_request_is_not_aborted_by_the_next() {
    let latest = Latest::default();
    let answered = latest.begin();
    latest.finished(&answered);
    let pending = latest.begin();
    assert!(!answered.signal().expect("a signal").aborted(), "the answered request was aborted");
    let _next = latest.begin();
    assert!(pending.signal().expect("a signal").aborted(), "a request without its answer still is");
}

#[wasm_bindgen_test]
async fn a_late_answer_is_recognised_as_stale() {
    // Without a signal the older request is not aborted and does answer, later than the
    // newer one: the ticket is what keeps it from replacing newer results.
    queue_fault(json!({ "endpoint": "chatSearchs", "delayMs": 800 })).await;
    let latest = Latest::default();
    let client = client(json!({}));
    let older = latest.begin();
    let (slow_query, fast_query) = (seed_query("Get一下"), seed_query("q"));
    let slow = client.search(&slow_query, None);
    let newer = latest.begin();
    let fast = client.search(&fast_query, None);
    let (slow, fast) = futures::future::join(slow, fast).await;
    assert_eq!(slow.map(|p| p.rows.len()), Ok(2), "the old answer did arrive");
    assert_eq!(fast.map(|p| p.rows.len()), Ok(1));
    assert!(!latest.is_current(&older), "and is known to be stale");
    assert!(latest.is_current(&newer));
}

#[wasm_bindgen_test]
async fn server_and_http_errors_are_typed() {
    queue_fault(json!({ "endpoint": "chatSearchs", "fail": "html502" })).await;
    match client(json!({})).search(&seed_query(""), None).await {
        Err(ApiError::Http { status: 502, summary }) => assert_eq!(summary, "502 Bad Gateway"),
        other => panic!("expected HTTP 502, got {other:?}"),
    }
    queue_fault(json!({ "endpoint": "chatSearchs", "fail": "truncated" })).await;
    assert!(matches!(client(json!({})).search(&seed_query(""), None).await, Err(ApiError::Decode { .. })));
    match client(json!({})).chat_info("no-such-chat", None).await {
        Err(ApiError::Server { code: 404, message }) => assert!(message.contains("no-such-chat")),
        other => panic!("expected the server's 404, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn signs_are_sent_as_configured() {
    let template = "{apiVersion}|{client}|{token}|{path}|{body}|{secret}";
    let client = client(json!({ "client": "c1", "sign": { "mode": "md5", "template": template, "secret": "s3cret", "uppercase": true } }));
    client.search(&seed_query(""), None).await.expect("answer");
    let log = Request::get(&format!("{}/__sandbox/requests", sandbox())).send().await.expect("log");
    let log: serde_json::Value = serde_json::from_str(&log.text().await.expect("text")).expect("json");
    let last = log["requests"].as_array().and_then(|r| r.last()).cloned().expect("a request");
    let body = last["rawBody"].as_str().expect("body").to_string();
    let expected = SignRecipe::Md5 { template: template.into(), secret: "s3cret".into(), uppercase: true }
        .compute(&super::sign::SignContext {
            path: "/op/v2/chatSearchs".into(),
            query: super::request::base_query("01", "c1", None, Some("browser-test")),
            body,
        })
        .expect("sign");
    assert_eq!(last["query"]["sign"].as_str(), Some(expected.as_str()));
    assert_eq!(last["rawQuery"].as_str().map(|q| q.starts_with("apiVersion=01&client=c1&token=browser-test&sign=")), Some(true));
}
