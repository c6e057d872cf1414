//! The browser side of the Op API: one POST per call over gloo-net, with a deadline,
//! cancellation and signing. See ARCHITECTURE.md, "Request path".

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_net::http::Request;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
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

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub async fn search(&self, query: &SearchQuery, cancel: Option<&AbortSignal>) -> Result<SearchPage, ApiError> {
        self.call(Endpoint::ChatSearchs, query.body(), cancel).await?.into_search_page()
    }

    pub async fn chat_info(&self, chat_id: &str, cancel: Option<&AbortSignal>) -> Result<ChatInfo, ApiError> {
        self.call(Endpoint::GetChatInfo, chat_info_body(chat_id), cancel).await?.into_chat_info()
    }

    async fn call(&self, endpoint: Endpoint, body: String, cancel: Option<&AbortSignal>) -> Result<Envelope, ApiError> {
        let config = &self.config;
        let token = (self.token)().await?;
        let mut query = base_query(&config.api_version, &config.client, config.version.as_deref(), token.as_deref());
        let ctx = SignContext { path: endpoint_path(&config.api_base, endpoint), query: query.clone(), body };
        if let Some(sign) = self.signer.sign(&ctx).await? {
            query.push(("sign".into(), sign));
        }
        let url = format!("{}?{}", endpoint_url(&config.api_base, endpoint), encode_query(&query));

        let deadline = Deadline::start(config.timeout_ms, cancel)?;
        let request = Request::post(&url)
            .header("Content-Type", "application/json;charset=UTF-8")
            .abort_signal(Some(&deadline.signal()))
            .body(ctx.body)
            .map_err(|e| ApiError::Network(e.to_string()))?;
        let response = request.send().await.map_err(|e| deadline.explain(e))?;
        let status = response.status();
        let text = response.text().await.map_err(|e| deadline.explain(e))?;
        drop(deadline);

        let is_auth_code = |code: i64| config.auth_error_codes.contains(&code);
        if status == 401 || status == 403 || is_auth_code(i64::from(status)) {
            return Err(ApiError::AuthExpired { code: i64::from(status), message: summarize_body(&text) });
        }
        if !(200..300).contains(&status) {
            return Err(ApiError::Http { status, summary: summarize_body(&text) });
        }
        let envelope = Envelope::decode(endpoint, &text)?;
        match envelope.code {
            200 => Ok(envelope),
            code if is_auth_code(code) => Err(ApiError::AuthExpired { code, message: envelope.message }),
            code => Err(ApiError::Server { code, message: envelope.message }),
        }
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
            if signal.aborted() {
                controller.abort();
            } else {
                signal.set_onabort(Some(on_cancel.as_ref().unchecked_ref()));
            }
            (signal.clone(), on_cancel)
        });
        Ok(Self { controller, timeout_ms, timed_out, timer, _on_timeout: on_timeout, cancel })
    }

    fn signal(&self) -> AbortSignal {
        self.controller.signal()
    }

    /// Turns a fetch failure into the error it really is.
    fn explain(&self, error: gloo_net::Error) -> ApiError {
        if self.timed_out.get() {
            ApiError::Timeout(self.timeout_ms)
        } else if self.controller.signal().aborted() {
            ApiError::Aborted
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
        if let Some((signal, _)) = &self.cancel {
            signal.set_onabort(None);
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
}
