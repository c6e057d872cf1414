//! `op-sandbox`: a local implementation of the two Op API endpoints the Op Console calls,
//! `POST /op/v2/chatSearchs` and `POST /op/v2/getChatInfo`, for demos, end-to-end browser
//! tests and benchmarks. Responses follow the seed documents (shared/seeds) to the byte:
//! the envelope `{code, message, data, page, foot}`, HTTP 200 with a non-200 `code` for
//! bad input, the 12 seed conversations verbatim plus a deterministic generated dataset.
//!
//! Flags (see [`Options`]; `cargo run -p op-sandbox -- --help`):
//!
//! | flag | default | meaning |
//! |---|---|---|
//! | `--host H` `--port N` | 127.0.0.1, 8080 | where to listen; port 0 picks a free port |
//! | `--chats N` `--seed S` | 5000, fixed | generated conversations (besides the 12 seed ones) and their seed |
//! | `--scenario normal\|hostile\|chaos` | normal | hostile: XSS payloads, huge/RTL/emoji text, wrong JSON types; chaos: per request and reproducibly (`--seed`), slow answers, 500/502/WAF 403 pages, truncated JSON, error envelopes, pages without `total` or repeating page 1, and rows with empty ids (`chaos.rs`) |
//! | `--token T` | none | the `token` query parameter must be T (else code 401) |
//! | `--sign-template T` `--sign-secret S` | none | verify the MD5 `sign` of DESIGN §3 (else code 403) |
//! | `--latency-ms N` `--jitter-ms N` `--fail-rate F` | 0, 0, 0.0 | slow and failing responses |
//! | `--no-total` | off | search answers leave `page.total` out (`next` stays), as some Op servers do |
//! | `--dist DIR` `--mount PATH` `--app-config FILE` `--csp` | none, `/` | serve the built app too |
//! | `--portal DIR` | none | serve an example portal page at `/portal/` |
//! | `--now TIME` | the real time | run as if it were TIME (RFC 3339, or `YYYY-MM-DD` at the current time of day, UTC+8): the data end the day before, `/__sandbox/chats` dates by it |
//!
//! Per request, the `x-op-fault` header (`delay=1500;fail=html502`) injects a fault; browser
//! tests use the control API instead:
//!
//! - `POST /__sandbox/faults` `{"endpoint": "chatSearchs"|"counts"|"getChatInfo"|"any", "delayMs": 1500,
//!   "fail": "http500"|"html502"|"envelope"|"truncated"|"timeout"|"waf403"|"http401", "count": 1}` queues a fault
//!   for the next `count` matching requests (FIFO) → `{"queued": [...]}`; all fields optional
//!   (defaults: any, 0, none, 1); a bad body → HTTP 400 `{"error": "..."}`. `chatSearchs` is
//!   a search for a page of results, `counts` a count call (page 1 of size 1: the chart's).
//! - `GET /__sandbox/faults` → `{"queued": [...]}`; `DELETE /__sandbox/faults` → `{"cleared": n}`.
//! - `GET /__sandbox/requests` → `{"requests": [{id, time, method, path, rawQuery, query,
//!   body, rawBody, fault, count, outcome}]}`, the last 1000 Op API requests, oldest first:
//!   query (token included: this is a test server) and body, so tests can check what the
//!   browser sent; `count` marks a count call, `outcome` is `pending`, `answered` or
//!   `cancelled` (the client went away first, e.g. an aborted fetch).
//!   `DELETE /__sandbox/requests` → `{"cleared": n}`. In the chaos scenario each entry also
//!   has `chaos`, what the scenario did to it (`slow=800;fail=html502`, `repeat`, `none`).
//! - `POST /__sandbox/search` with a chatSearchs body (paging optional and ignored) →
//!   `{"total": n, "rows": [...]}`: every matching row, newest first, as the API's rows but
//!   without any fault or chaos, for tests to compare an export with.
//! - `POST /__sandbox/chats` `{"count": 3}` (1–100, default 1) adds conversations created now
//!   (by `--now`'s clock), newest first, each like one of the newest so far and queued →
//!   `{"added": [chatId, ...], "total": n}`; for tests of live updates.
//! - `GET /__sandbox/now` → `{"now": "2026-11-30T10:00:00.000+08:00", "epochMs": n, "today":
//!   "2026-11-30"}`: the sandbox's clock, so a test can set the browser's to match.
//! - `GET /__sandbox/hint` → `{"token": "T"}` (the `--token`) or `{"token": null}` (any
//!   token is accepted): what a development build's sign-in panel tells the developer.

// Public for harnesses and tests: the data (seed fixture included), the UTC+8 helpers and
// the sign recipe. The rest is reachable only through the HTTP interface.
mod api;
pub mod auth;
mod chaos;
pub mod clock;
mod control;
pub mod data;
mod envelope;
mod error;
mod faults;
mod filters;
mod options;
mod requests;
mod static_files;

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::Request;
use axum::http::Method;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tower_http::cors::{AllowHeaders, Any, CorsLayer};

use crate::auth::{Auth, SignRecipe};
use crate::data::Dataset;
use crate::envelope::EnvelopeCode;
use crate::faults::FaultInjector;
use crate::requests::RequestLog;
use crate::static_files::StaticSite;
pub use crate::options::{Options, Scenario};

/// State shared by the API and control handlers.
#[derive(Debug)]
struct Sandbox {
    /// Behind a lock: `/__sandbox/chats` adds conversations while the server runs.
    dataset: std::sync::RwLock<Dataset>,
    clock: clock::Clock,
    auth: Auth,
    faults: FaultInjector,
    requests: RequestLog,
    /// `--no-total`: search answers leave `page.total` out.
    no_total: bool,
}

impl Sandbox {
    fn new(options: &Options) -> io::Result<Self> {
        let clock = options.now.map(clock::Clock::starting_at).unwrap_or_default();
        let dataset = Dataset::build(options.chats, options.seed, options.scenario, clock.today())
            .map_err(|error| io::Error::new(io::ErrorKind::InvalidData, error))?;
        let sign = options
            .sign_template
            .clone()
            .map(|template| SignRecipe::new(template, options.sign_secret.clone().unwrap_or_default()));
        Ok(Sandbox {
            dataset: std::sync::RwLock::new(dataset),
            clock,
            auth: Auth::new(options.token.clone(), sign),
            faults: {
                // A different stream from the dataset's, but as repeatable.
                let faults = FaultInjector::new(options.latency_ms, options.jitter_ms, options.fail_rate, options.seed ^ 0x5eed);
                match options.scenario {
                    Scenario::Chaos => faults.with_chaos(chaos::Chaos::new(options.seed)),
                    Scenario::Normal | Scenario::Hostile => faults,
                }
            },
            requests: RequestLog::default(),
            no_total: options.no_total,
        })
    }

    /// The conversations (a lock that a panicking writer left poisoned is still readable:
    /// adding arrivals cannot leave the list half-changed).
    fn dataset(&self) -> std::sync::RwLockReadGuard<'_, Dataset> {
        self.dataset.read().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The whole application: API, control API, static files, CORS and the access log.
/// Fails when the dataset cannot be built or a `--dist`/`--portal`/`--app-config` path is missing.
pub fn app(options: Options) -> io::Result<Router> {
    let sandbox = Arc::new(Sandbox::new(&options)?);
    let mut router = api::routes().merge(control::routes()).with_state(sandbox);
    if let Some(site) = StaticSite::from_options(&options)? {
        let site = Router::new().fallback(static_files::serve).with_state(Arc::new(site));
        router = router.fallback_service(site);
    }
    Ok(router.layer(cors()).layer(middleware::from_fn(access_log)))
}

/// Serves until the listener fails.
pub async fn serve(options: Options, listener: TcpListener) -> io::Result<()> {
    axum::serve(listener, app(options)?).await
}

/// Binds `options.host:options.port`, builds the app and serves it in the background: for
/// in-process test harnesses (use `port: 0`). Returns once requests can be answered.
pub async fn start(options: Options) -> io::Result<(SocketAddr, JoinHandle<io::Result<()>>)> {
    let app = app(options.clone())?;
    let listener = TcpListener::bind((options.host.as_str(), options.port)).await?;
    let address = listener.local_addr()?;
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    Ok((address, server))
}

/// Browsers call the API straight from other origins (DESIGN §2): allow any origin, the
/// headers they ask for (content-type, x-op-fault, ...) and let them read every header.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS, Method::DELETE])
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers(Any)
        .max_age(std::time::Duration::from_secs(600))
}

/// One line per request: method, path (never the query: it carries the token), HTTP
/// status, envelope code when there is one, and time taken.
async fn access_log(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let code = response.extensions().get::<EnvelopeCode>().map(|code| code.0);
    tracing::info!(
        %method,
        path,
        status = response.status().as_u16(),
        code,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "request"
    );
    response
}
