//! The sandbox's test control API (`/__sandbox/faults`, `/__sandbox/requests`), called
//! from the page with a synchronous XHR: the page is always on the sandbox's origin, and
//! it keeps the harness free of an HTTP client of its own.

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

use crate::Harness;

const XHR_JS: &str = r#"
const [method, path, body] = arguments;
const xhr = new XMLHttpRequest();
xhr.open(method, path, false);
xhr.setRequestHeader('content-type', 'application/json');
xhr.send(body);
return { status: xhr.status, body: xhr.responseText };
"#;

impl Harness {
    async fn control(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        let body = body.map(|b| b.to_string()).map(Value::String).unwrap_or(Value::Null);
        let answer = self.eval(XHR_JS, vec![method.into(), path.into(), body]).await?;
        let status = answer["status"].as_u64().unwrap_or(0);
        let text = answer["body"].as_str().unwrap_or_default();
        if status != 200 {
            bail!("{method} {path} answered {status}: {text}");
        }
        serde_json::from_str(text).with_context(|| format!("{method} {path} did not answer JSON: {text}"))
    }

    /// Queues a fault for the next matching Op API request(s), e.g.
    /// `json!({"endpoint": "chatSearchs", "fail": "html502"})` or `{"delayMs": 2000}`.
    pub async fn queue_fault(&self, fault: Value) -> Result<()> {
        self.control("POST", "/__sandbox/faults", Some(fault)).await.map(drop)
    }

    /// The Op API requests the sandbox received (oldest first), with `path`, `query`, `body`.
    pub async fn requests(&self) -> Result<Vec<Value>> {
        let answer = self.control("GET", "/__sandbox/requests", None).await?;
        Ok(answer["requests"].as_array().cloned().unwrap_or_default())
    }

    /// Forgets the requests received so far.
    pub async fn clear_requests(&self) -> Result<()> {
        self.control("DELETE", "/__sandbox/requests", None).await.map(drop)
    }

    /// Every row a chatSearchs `body` matches (newest first, no paging, no faults): the
    /// sandbox's truth (`POST /__sandbox/search`).
    pub async fn true_rows(&self, body: Value) -> Result<Vec<Value>> {
        let answer = self.control("POST", "/__sandbox/search", Some(body)).await?;
        Ok(answer["rows"].as_array().cloned().unwrap_or_default())
    }

    /// Bodies of the `chatSearchs` requests for pages of results received so far (the
    /// chart's count calls left out: see [`Harness::count_calls`]).
    pub async fn search_bodies(&self) -> Result<Vec<Value>> {
        Ok(self
            .requests()
            .await?
            .into_iter()
            .filter(|r| r["path"].as_str().is_some_and(|p| p.ends_with("/chatSearchs")) && r["count"] != json!(true))
            .map(|r| r["body"].clone())
            .collect())
    }

    /// The chart's count calls received so far (`chatSearchs` for page 1 of size 1), whole
    /// log entries: `body`, `outcome` (`pending`, `answered`, `cancelled`), `id`.
    pub async fn count_calls(&self) -> Result<Vec<Value>> {
        Ok(self.requests().await?.into_iter().filter(|r| r["count"] == json!(true)).collect())
    }

    /// How many conversations the sandbox holds for a `chatSearchs` body (paging ignored;
    /// `POST /__sandbox/search`, no faults).
    pub async fn true_total(&self, body: Value) -> Result<u64> {
        let answer = self.control("POST", "/__sandbox/search", Some(body)).await?;
        answer["total"].as_u64().context("the sandbox's total")
    }
}

impl Harness {
    /// Adds `count` conversations created now (`POST /__sandbox/chats`); their chat ids,
    /// newest first.
    pub async fn add_conversations(&self, count: usize) -> Result<Vec<String>> {
        let answer = self.control("POST", "/__sandbox/chats", Some(json!({ "count": count }))).await?;
        let added = answer["added"].as_array().context("`added` in the answer")?;
        Ok(added.iter().filter_map(|id| id.as_str().map(str::to_owned)).collect())
    }

    /// The sandbox's clock (`GET /__sandbox/now`): `now` (RFC 3339), `epochMs`, `today`.
    pub async fn sandbox_now(&self) -> Result<Value> {
        self.control("GET", "/__sandbox/now", None).await
    }

    /// Bodies of the `chatSearchs` requests that asked for one row (live updates' asks;
    /// the sandbox marks them `count`, like the chart's, so tests of asks ship the chart off).
    pub async fn live_asks(&self) -> Result<Vec<Value>> {
        Ok(self.count_calls().await?.into_iter().map(|r| r["body"].clone()).filter(|body| body["pageSize"] == json!(1)).collect())
    }
}

/// An app config for tests: English (the contract's accessible names) and a token.
pub fn english_config() -> Value {
    json!({ "locale": "en", "token": "e2e-token" })
}
