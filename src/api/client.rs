//! The browser side of the Op API: one POST per call over gloo-net, with a deadline,
//! cancellation and signing. See ARCHITECTURE.md, "Request path".

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::Poll;

use gloo_net::http::Request;
use js_sys::Promise;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal};

use super::error::{summarize_body, ApiError, Endpoint};
use super::models::{ChatInfo, Envelope, SearchPage};
use super::request::{base_query, chat_info_body, encode_query, endpoint_path, endpoint_url, SearchQuery};
use super::sign::{LocalFuture, Sign, SignContext};
use crate::config::Config;

/// Supplies the operator's token for each request; the host's `getToken()` may be async.
pub type TokenFn = Rc<dyn Fn() -> LocalFuture<'static, Result<Option<String>, ApiError>>>;

/// A token source that always answers the same.
pub fn fixed_token(token: Option<String>) -> TokenFn {
    Rc::new(move || {
        let token = token.clone();
        Box::pin(async move { Ok(token) })
    })
}

#[derive(Clone)]
pub struct ApiClient {
    config: Rc<Config>,
    token: TokenFn,
    signer: Rc<dyn Sign>,
}

impl ApiClient {
    pub fn new(config: Rc<Config>, token: TokenFn, signer: Rc<dyn Sign>) -> Self {
        Self { config, token, signer }
    }

    pub async fn search(&self, query: &SearchQuery, cancel: Option<&AbortSignal>) -> Result<SearchPage, ApiError> {
        self.call(Endpoint::ChatSearchs, query.body(), cancel).await?.into_search_page()
    }

    pub async fn chat_info(&self, chat_id: &str, cancel: Option<&AbortSignal>) -> Result<ChatInfo, ApiError> {
        self.call(Endpoint::GetChatInfo, chat_info_body(chat_id), cancel).await?.into_chat_info()
    }

    async fn call(&self, endpoint: Endpoint, body: String, cancel: Option<&AbortSignal>) -> Result<Envelope, ApiError> {
        let config = &self.config;
        // Started first: the host's `getToken()` and `sign()` count against `timeoutMs` too
        // (DESIGN §5), so a callback that never settles cannot leave the screen loading.
        let deadline = Deadline::start(config.timeout_ms, cancel)?;
        // No token, or the host's empty string: signed out, and nothing is sent.
        let token = deadline.bound((self.token)()).await?.filter(|t| !t.is_empty()).ok_or(ApiError::AuthExpired {
            code: 0,
            message: String::new(),
        })?;
        let mut query = base_query(&config.api_version, &config.client, config.version.as_deref(), Some(&token));
        let ctx = SignContext { path: endpoint_path(&config.api_base, endpoint), query: query.clone(), body };
        if let Some(sign) = deadline.bound(self.signer.sign(&ctx)).await? {
            query.push(("sign".into(), sign));
        }
        let url = format!("{}?{}", endpoint_url(&config.api_base, endpoint), encode_query(&query));

        let request = Request::post(&url)
            .header("Content-Type", "application/json;charset=UTF-8")
            .abort_signal(Some(&deadline.signal()))
            .body(ctx.body)
            .map_err(|e| ApiError::Network(e.to_string()))?;
        let response = request.send().await.map_err(|e| deadline.explain(e))?;
        let status = response.status();
        let bytes = response.binary().await.map_err(|e| deadline.explain(e))?;
        drop(deadline);
        classify(endpoint, status, &body_text(bytes), &config.auth_error_codes)
    }
}

/// The body as `Response.text()` reads it (UTF-8, a leading byte-order mark dropped,
/// malformed bytes replaced by U+FFFD), from its bytes: the browser would decode a 500-row
/// answer into a JS string only for it to be encoded again into wasm memory, two passes
/// over it where this makes one copy and, for well-formed UTF-8, one check.
fn body_text(bytes: Vec<u8>) -> String {
    let mut text = String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    text
}

/// What an answer means (DESIGN §4). The session is over on HTTP 401 (whatever the body),
/// or on an Op envelope (HTTP 2xx or 403) whose code is in `auth_codes`. An HTTP 403 that
/// is not an Op envelope comes from a WAF or proxy in front of the API: the token may be
/// fine, so it is [`ApiError::Blocked`] (kept token, Retry) rather than a sign-out.
fn classify(endpoint: Endpoint, status: u16, text: &str, auth_codes: &[i64]) -> Result<Envelope, ApiError> {
    let success = (200..300).contains(&status);
    if status == 401 {
        return Err(ApiError::AuthExpired { code: 401, message: summarize_body(text) });
    }
    if !success && status != 403 {
        return Err(ApiError::Http { status, summary: summarize_body(text) });
    }
    let envelope = match Envelope::decode(endpoint, text) {
        Ok(envelope) => envelope,
        Err(_) if !success => return Err(ApiError::Blocked { status, summary: summarize_body(text) }),
        Err(error) => return Err(error),
    };
    match envelope.code {
        code if auth_codes.contains(&code) => Err(ApiError::AuthExpired { code, message: envelope.message }),
        200 if success => Ok(envelope),
        // An Op envelope saying "fine" on a refused request: still refused.
        200 => Err(ApiError::Blocked { status, summary: summarize_body(text) }),
        code => Err(ApiError::Server { code, message: envelope.message }),
    }
}

/// One request's abort controller, fired by the timeout or by the caller's `cancel`
/// signal, and able to tell afterwards which of the two it was.
struct Deadline {
    controller: AbortController,
    timeout_ms: u32,
    timed_out: Rc<Cell<bool>>,
    timer: Option<i32>,
    _on_timeout: Closure<dyn FnMut()>,
    cancel: Option<(AbortSignal, Closure<dyn FnMut()>)>,
}

impl Deadline {
    fn start(timeout_ms: u32, cancel: Option<&AbortSignal>) -> Result<Self, ApiError> {
        let unavailable = |_| ApiError::Network("AbortController is not available".into());
        let controller = AbortController::new().map_err(unavailable)?;
        let timed_out = Rc::new(Cell::new(false));
        let on_timeout = {
            let controller = controller.clone();
            let timed_out = timed_out.clone();
            Closure::<dyn FnMut()>::new(move || {
                timed_out.set(true);
                controller.abort();
            })
        };
        let timer = web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                on_timeout.as_ref().unchecked_ref(),
                i32::try_from(timeout_ms).unwrap_or(i32::MAX),
            )
            .ok()
        });
        let cancel = cancel.map(|signal| {
            let on_cancel = {
                let controller = controller.clone();
                Closure::<dyn FnMut()>::new(move || controller.abort())
            };
            // A listener, not `onabort`: several requests may share one signal (the chart's
            // count calls), and each must hear it.
            if signal.aborted() {
                controller.abort();
            } else {
                let _ = signal.add_event_listener_with_callback("abort", on_cancel.as_ref().unchecked_ref());
            }
            (signal.clone(), on_cancel)
        });
        Ok(Self { controller, timeout_ms, timed_out, timer, _on_timeout: on_timeout, cancel })
    }

    fn signal(&self) -> AbortSignal {
        self.controller.signal()
    }

    /// Waits for `pending` (a host callback's answer), but no longer than this deadline
    /// or the caller's cancel signal.
    async fn bound<T>(&self, mut pending: LocalFuture<'_, Result<T, ApiError>>) -> Result<T, ApiError> {
        let signal = self.signal();
        let mut settle = None;
        let mut aborted = JsFuture::from(Promise::new(&mut |resolve, _reject| {
            if signal.aborted() {
                let _ = resolve.call0(&JsValue::UNDEFINED);
            } else {
                let _ = signal.add_event_listener_with_callback("abort", &resolve);
            }
            settle = Some(resolve);
        }));
        let outcome = std::future::poll_fn(|cx| {
            if let Poll::Ready(answer) = pending.as_mut().poll(cx) {
                return Poll::Ready(answer);
            }
            match Pin::new(&mut aborted).poll(cx) {
                Poll::Ready(_) => Poll::Ready(Err(self.reason())),
                Poll::Pending => Poll::Pending,
            }
        })
        .await;
        // The abort promise must settle even when nothing aborted: a `JsFuture` frees its
        // callbacks only when one of them runs, so every request left two behind (about
        // 1 KB of JS heap and 300 B of wasm memory per request, found by the working-day soak).
        if let Some(resolve) = settle {
            let _ = signal.remove_event_listener_with_callback("abort", &resolve);
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
        outcome
    }

    /// Why the request was stopped: the deadline, or the caller.
    fn reason(&self) -> ApiError {
        if self.timed_out.get() {
            ApiError::Timeout(self.timeout_ms)
        } else {
            ApiError::Aborted
        }
    }

    /// Turns a fetch failure into the error it really is.
    fn explain(&self, error: gloo_net::Error) -> ApiError {
        if self.controller.signal().aborted() {
            self.reason()
        } else {
            ApiError::Network(error.to_string())
        }
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let (Some(timer), Some(window)) = (self.timer, web_sys::window()) {
            window.clear_timeout_with_handle(timer);
        }
        if let Some((signal, on_cancel)) = &self.cancel {
            let _ = signal.remove_event_listener_with_callback("abort", on_cancel.as_ref().unchecked_ref());
        }
    }
}

/// Keeps only the newest of a series of requests (searches, chat opens): starting one
/// aborts the one before, and [`Latest::is_current`] tells a late answer that it lost.
#[derive(Default)]
pub struct Latest {
    generation: Cell<u64>,
    controller: RefCell<Option<AbortController>>,
}

/// Identifies one request of a [`Latest`] series.
pub struct Ticket {
    generation: u64,
    signal: Option<AbortSignal>,
}

impl Ticket {
    pub fn signal(&self) -> Option<&AbortSignal> {
        self.signal.as_ref()
    }
}

impl Latest {
    pub fn begin(&self) -> Ticket {
        self.cancel();
        let controller = AbortController::new().ok();
        let signal = controller.as_ref().map(AbortController::signal);
        *self.controller.borrow_mut() = controller;
        Ticket { generation: self.generation.get(), signal }
    }

    /// Aborts whatever is in flight; its answer, if any still comes, is stale.
    pub fn cancel(&self) {
        self.generation.set(self.generation.get() + 1);
        if let Some(previous) = self.controller.borrow_mut().take() {
            previous.abort();
        }
    }

    pub fn is_current(&self, ticket: &Ticket) -> bool {
        ticket.generation == self.generation.get()
    }

    /// The request of `ticket` has its answer: the next [`Latest::begin`] has nothing to
    /// abort (aborting a finished request still dispatches an abort event, on every page
    /// flip).
    pub fn finished(&self, ticket: &Ticket) {
        if self.is_current(ticket) {
            self.controller.borrow_mut().take();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AUTH: [i64; 2] = [401, 403];
    const WAF: &str = "<html><head><title>403 Forbidden</title></head><body><h1>Request blocked</h1></body></html>";

    #[test]
    fn body_text_reads_bytes_as_response_text_does() {
        assert_eq!(body_text("{\"code\":200,\"message\":\"成功\"}".into()), "{\"code\":200,\"message\":\"成功\"}");
        // A byte-order mark is dropped, once; one further in is text.
        assert_eq!(body_text(b"\xef\xbb\xbf{}".to_vec()), "{}");
        assert_eq!(body_text(b"\xef\xbb\xbf\xef\xbb\xbf{}".to_vec()), "\u{feff}{}");
        assert_eq!(body_text(b"{\xef\xbb\xbf}".to_vec()), "{\u{feff}}");
        // Malformed UTF-8: each maximal bad part becomes one U+FFFD, the rest is kept.
        assert_eq!(body_text(b"a\xffb\xe6\x88c".to_vec()), "a\u{fffd}b\u{fffd}c");
        assert_eq!(body_text(b"\xef\xbb".to_vec()), "\u{fffd}");
        assert_eq!(body_text(Vec::new()), "");
    }

    fn classify_search(status: u16, text: &str) -> Result<Envelope, ApiError> {
        classify(Endpoint::ChatSearchs, status, text, &AUTH)
    }

    #[test]
    fn only_401_or_an_auth_envelope_ends_the_session() {
        let expired = |r: Result<Envelope, ApiError>| matches!(r, Err(ApiError::AuthExpired { .. }));
        assert!(expired(classify_search(401, "")), "HTTP 401, whatever the body");
        assert!(expired(classify_search(401, WAF)));
        assert!(expired(classify_search(403, r#"{"code":403,"message":"token expired"}"#)), "a 403 Op envelope");
        assert!(expired(classify_search(200, r#"{"code":401,"message":"invalid token"}"#)), "an auth code in a 200 envelope");
        // Codes come from the config, not from a fixed list.
        let custom = classify(Endpoint::ChatSearchs, 200, r#"{"code":40101,"message":"x"}"#, &[40101]);
        assert!(matches!(custom, Err(ApiError::AuthExpired { code: 40101, .. })));
    }

    #[test]
    fn a_403_that_is_not_an_envelope_is_a_block_with_retry() {
        let blocked = classify_search(403, WAF).unwrap_err();
        assert_eq!(blocked, ApiError::Blocked { status: 403, summary: "403 Forbidden".into() });
        assert!(blocked.retryable());
        assert_eq!(blocked.kind(), "http");
        assert!(matches!(classify_search(403, r#"{"error":"forbidden"}"#), Err(ApiError::Blocked { status: 403, .. })), "JSON without code");
        assert!(matches!(classify_search(403, r#"{"code":200,"message":"ok"}"#), Err(ApiError::Blocked { .. })));
        // A 403 envelope with another code is the server's own error, quoted.
        assert!(matches!(classify_search(403, r#"{"code":4031,"message":"no"}"#), Err(ApiError::Server { code: 4031, .. })));
        // authErrorCodes name envelope codes, not HTTP statuses: a 5xx stays an HTTP error.
        let http = classify(Endpoint::ChatSearchs, 500, "oops", &[500]);
        assert!(matches!(http, Err(ApiError::Http { status: 500, .. })));
    }

    #[test]
    fn success_and_server_errors_are_unchanged() {
        assert!(classify_search(200, r#"{"code":200,"message":"","data":[]}"#).is_ok());
        assert!(matches!(classify_search(200, r#"{"code":500,"message":"down"}"#), Err(ApiError::Server { code: 500, .. })));
        assert!(matches!(classify_search(200, "<html>"), Err(ApiError::Decode { .. })));
        assert!(matches!(classify_search(502, "<title>Bad Gateway</title>"), Err(ApiError::Http { status: 502, .. })));
    }
}
