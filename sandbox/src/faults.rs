//! Fault injection: a fixed latency and jitter, a random failure rate, the per-request
//! `x-op-fault` header, and a FIFO queue filled through the control API (for browser tests,
//! which cannot set headers).

use std::collections::VecDeque;
use std::str::FromStr;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::api::Endpoint;
use crate::chaos::{Chaos, Shape};
use crate::envelope::{self, Envelope};

/// Name of the per-request fault header, e.g. `x-op-fault: delay=1500;fail=html502`.
pub const FAULT_HEADER: &str = "x-op-fault";

/// How long a `timeout` failure hangs before it gives up with a 504.
pub const HANG: Duration = Duration::from_secs(60);

/// How a response fails.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Failure {
    /// HTTP 500 with a plain-text body.
    Http500,
    /// HTTP 502 with an nginx-style HTML page, as from a proxy in front of a dead server.
    Html502,
    /// HTTP 200 with envelope code 500.
    Envelope,
    /// HTTP 200 with the real JSON body cut in half.
    Truncated,
    /// No answer for a minute, then HTTP 504.
    Timeout,
    /// HTTP 403 with a WAF's HTML block page (no Op envelope): a proxy refused the request,
    /// the session is not over.
    Waf403,
    /// HTTP 401 with an empty body: the session is over whatever the body says.
    Http401,
}

/// Failures `--fail-rate` picks from (a random timeout would stall a whole test run).
const RANDOM_FAILURES: &[Failure] = &[Failure::Http500, Failure::Html502, Failure::Envelope, Failure::Truncated];

const WAF_BLOCK_PAGE: &str = "<!DOCTYPE html>\n<html><head><title>403 Forbidden</title></head>\n<body><h1>Access denied</h1><p>Your request was blocked by the web application firewall. Reference #18.4f2a.1764450000</p></body></html>\n";

const BAD_GATEWAY_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

#[derive(Debug, PartialEq, thiserror::Error)]
pub enum FaultSpecError {
    #[error("未知的 fail 值 {0:?}（可用 http500、html502、envelope、truncated、timeout、waf403、http401）")]
    UnknownFailure(String),
    #[error("delay 必须是毫秒数: {0:?}")]
    BadDelay(String),
    #[error("无法识别的设置 {0:?}（可用 delay=毫秒、fail=类型）")]
    UnknownSetting(String),
}

impl FromStr for Failure {
    type Err = FaultSpecError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        serde_json::from_value(serde_json::Value::from(text.trim().to_ascii_lowercase()))
            .map_err(|_| FaultSpecError::UnknownFailure(text.to_owned()))
    }
}

impl Failure {
    /// The failing response; `envelope` is what the request would have returned.
    pub async fn respond(self, envelope: Envelope) -> Response {
        match self {
            Failure::Http500 => (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error").into_response(),
            Failure::Html502 => {
                let mut response = (StatusCode::BAD_GATEWAY, BAD_GATEWAY_PAGE).into_response();
                response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
                response
            }
            Failure::Envelope => Envelope::failure(500, "服务器内部错误".to_owned()).into_response(),
            Failure::Truncated => {
                let mut body = envelope.to_bytes();
                body.truncate(body.len() / 2);
                envelope::json_response(StatusCode::OK, envelope.code(), body)
            }
            Failure::Timeout => {
                tokio::time::sleep(HANG).await;
                (StatusCode::GATEWAY_TIMEOUT, "Gateway Timeout").into_response()
            }
            Failure::Waf403 => {
                let mut response = (StatusCode::FORBIDDEN, WAF_BLOCK_PAGE).into_response();
                response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
                response
            }
            Failure::Http401 => StatusCode::UNAUTHORIZED.into_response(),
        }
    }
}

/// A delay and/or a failure for one request.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Fault {
    pub delay_ms: u64,
    pub fail: Option<Failure>,
}

/// Parses the header syntax: `delay=1500`, `fail=html502`, joined with `;`.
impl FromStr for Fault {
    type Err = FaultSpecError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut fault = Fault::default();
        for setting in text.split(';').map(str::trim).filter(|setting| !setting.is_empty()) {
            match setting.split_once('=').map(|(key, value)| (key.trim().to_ascii_lowercase(), value.trim())) {
                Some((key, value)) if key == "delay" => {
                    fault.delay_ms = value.parse().map_err(|_| FaultSpecError::BadDelay(value.to_owned()))?;
                }
                Some((key, value)) if key == "fail" => fault.fail = Some(value.parse()?),
                _ => return Err(FaultSpecError::UnknownSetting(setting.to_owned())),
            }
        }
        Ok(fault)
    }
}

/// Which requests a queued fault applies to. `chatSearchs` means the searches for a page
/// of results, `counts` the chart's count calls (page 1 of size 1, `is_count_call`): a
/// fault meant for the table must not land on a count call running beside it.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Target {
    ChatSearchs,
    Counts,
    GetChatInfo,
    #[default]
    Any,
}

impl Target {
    fn matches(self, endpoint: Option<Endpoint>, count: bool) -> bool {
        match self {
            Target::Any => true,
            Target::ChatSearchs => endpoint == Some(Endpoint::ChatSearchs) && !count,
            Target::Counts => endpoint == Some(Endpoint::ChatSearchs) && count,
            Target::GetChatInfo => endpoint == Some(Endpoint::GetChatInfo),
        }
    }
}

/// A fault waiting in the queue: the body of `POST /__sandbox/faults`.
#[derive(Clone, Debug, Deserialize, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QueuedFault {
    #[serde(default)]
    pub endpoint: Target,
    #[serde(default)]
    pub delay_ms: u64,
    #[serde(default)]
    pub fail: Option<Failure>,
    /// How many more matching requests get this fault.
    #[serde(default = "one")]
    pub count: u32,
}

fn one() -> u32 {
    1
}

/// What happens to one request.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub delay: Duration,
    pub fail: Option<Failure>,
    /// How a successful search answer is bent (chaos scenario only).
    pub shape: Shape,
    /// The chaos scenario's turn, described for the request log; `None` outside chaos or
    /// when the header or the queue decided.
    pub chaos: Option<String>,
}

/// Decides the fault of every Op API request.
#[derive(Debug)]
pub struct FaultInjector {
    latency_ms: u64,
    jitter_ms: u64,
    fail_rate: f64,
    queue: Mutex<VecDeque<QueuedFault>>,
    rng: Mutex<ChaCha8Rng>,
    chaos: Option<Chaos>,
}

impl FaultInjector {
    /// `seed` makes the jitter and the random failures repeatable.
    pub fn new(latency_ms: u64, jitter_ms: u64, fail_rate: f64, seed: u64) -> Self {
        FaultInjector {
            latency_ms,
            jitter_ms,
            fail_rate,
            queue: Mutex::default(),
            rng: Mutex::new(ChaCha8Rng::seed_from_u64(seed)),
            chaos: None,
        }
    }

    /// Requests that neither the header nor the queue decide get `chaos`'s turn instead of
    /// the random failure rate.
    pub fn with_chaos(mut self, chaos: Chaos) -> Self {
        self.chaos = Some(chaos);
        self
    }

    /// Queues a fault; returns the queue. A count of 0 would never fire, so it is refused.
    pub fn enqueue(&self, fault: QueuedFault) -> Result<Vec<QueuedFault>, String> {
        if fault.count == 0 {
            return Err("count must be at least 1".to_owned());
        }
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        queue.push_back(fault);
        Ok(queue.iter().cloned().collect())
    }

    pub fn queued(&self) -> Vec<QueuedFault> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner).iter().cloned().collect()
    }

    /// Empties the queue and says how many entries went.
    pub fn clear(&self) -> usize {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        let cleared = queue.len();
        queue.clear();
        cleared
    }

    /// The plan for a request to `endpoint` (`None`: an unknown path under /op/v2/) with
    /// `body`. The header wins over the queue, the queue over the chaos scenario or the
    /// random failure rate; the base latency and jitter always apply.
    pub fn plan(&self, header: Option<&str>, endpoint: Option<Endpoint>, body: &[u8]) -> Result<Plan, FaultSpecError> {
        let chosen = match header {
            Some(header) => Some(header.parse::<Fault>()?),
            None => self.take_queued(endpoint, crate::requests::is_count_call(body)),
        };
        let mut rng = self.rng.lock().unwrap_or_else(PoisonError::into_inner);
        let jitter = if self.jitter_ms > 0 { rng.random_range(0..=self.jitter_ms) } else { 0 };
        let (fault, shape, chaos) = match (chosen, &self.chaos) {
            (Some(fault), _) => (fault, Shape::Intact, None),
            (None, Some(chaos)) => {
                let turn = chaos.turn(endpoint, body);
                (Fault { delay_ms: turn.delay_ms, fail: turn.fail }, turn.shape, Some(turn.describe()))
            }
            (None, None) => {
                let fail = rng.random_bool(self.fail_rate).then(|| RANDOM_FAILURES.choose(&mut *rng).copied()).flatten();
                (Fault { delay_ms: 0, fail }, Shape::Intact, None)
            }
        };
        let delay_ms = self.latency_ms.saturating_add(jitter).saturating_add(fault.delay_ms);
        Ok(Plan { delay: Duration::from_millis(delay_ms), fail: fault.fail, shape, chaos })
    }

    fn take_queued(&self, endpoint: Option<Endpoint>, count: bool) -> Option<Fault> {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        let position = queue.iter().position(|queued| queued.endpoint.matches(endpoint, count))?;
        let queued = &mut queue[position];
        let fault = Fault { delay_ms: queued.delay_ms, fail: queued.fail };
        queued.count -= 1;
        if queued.count == 0 {
            queue.remove(position);
        }
        Some(fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queued(endpoint: Target, fail: Failure, count: u32) -> QueuedFault {
        QueuedFault { endpoint, delay_ms: 0, fail: Some(fail), count }
    }

    #[test]
    fn header_syntax() {
        assert_eq!("delay=1500".parse(), Ok(Fault { delay_ms: 1500, fail: None }));
        assert_eq!(" fail=HTML502 ; delay = 20 ;".parse(), Ok(Fault { delay_ms: 20, fail: Some(Failure::Html502) }));
        assert_eq!("fail=timeout".parse::<Fault>().map(|f| f.fail), Ok(Some(Failure::Timeout)));
        assert_eq!("fail=boom".parse::<Fault>(), Err(FaultSpecError::UnknownFailure("boom".to_owned())));
        assert_eq!("delay=soon".parse::<Fault>(), Err(FaultSpecError::BadDelay("soon".to_owned())));
        assert_eq!("slow".parse::<Fault>(), Err(FaultSpecError::UnknownSetting("slow".to_owned())));
    }

    #[test]
    fn queue_is_fifo_per_endpoint_and_counts_down() {
        let injector = FaultInjector::new(0, 0, 0.0, 1);
        injector.enqueue(queued(Target::GetChatInfo, Failure::Html502, 1)).expect("queued");
        injector.enqueue(queued(Target::Any, Failure::Http500, 2)).expect("queued");
        let fail = |endpoint| injector.plan(None, Some(endpoint), b"").expect("plan").fail;
        assert_eq!(fail(Endpoint::ChatSearchs), Some(Failure::Http500));
        assert_eq!(fail(Endpoint::GetChatInfo), Some(Failure::Html502));
        assert_eq!(fail(Endpoint::GetChatInfo), Some(Failure::Http500));
        assert_eq!(fail(Endpoint::GetChatInfo), None);
        assert!(injector.queued().is_empty());
        assert!(injector.enqueue(queued(Target::Any, Failure::Http500, 0)).is_err());
    }

    #[test]
    fn count_calls_and_page_searches_are_told_apart() {
        let injector = FaultInjector::new(0, 0, 0.0, 1);
        injector.enqueue(queued(Target::Counts, Failure::Html502, 1)).expect("queued");
        injector.enqueue(queued(Target::ChatSearchs, Failure::Http500, 1)).expect("queued");
        let fail = |body: &[u8]| injector.plan(None, Some(Endpoint::ChatSearchs), body).expect("plan").fail;
        assert_eq!(fail(br#"{"pageNum":1,"pageSize":20}"#), Some(Failure::Http500), "the page search skips the count fault");
        assert_eq!(fail(br#"{"pageNum":1,"pageSize":20}"#), None);
        assert_eq!(fail(br#"{"pageNum":1,"pageSize":1}"#), Some(Failure::Html502));
    }

    #[test]
    fn header_wins_and_leaves_the_queue_alone() {
        let injector = FaultInjector::new(100, 0, 0.0, 1);
        injector.enqueue(queued(Target::Any, Failure::Envelope, 1)).expect("queued");
        let plan = injector.plan(Some("delay=5;fail=truncated"), Some(Endpoint::ChatSearchs), b"").expect("plan");
        let expected = Plan { delay: Duration::from_millis(105), fail: Some(Failure::Truncated), shape: Shape::Intact, chaos: None };
        assert_eq!(plan, expected);
        assert_eq!(injector.queued().len(), 1);
        assert_eq!(injector.clear(), 1);
    }

    #[test]
    fn fail_rate_and_jitter() {
        let always = FaultInjector::new(0, 50, 1.0, 1);
        let never = FaultInjector::new(0, 0, 0.0, 1);
        for _ in 0..50 {
            let plan = always.plan(None, Some(Endpoint::ChatSearchs), b"").expect("plan");
            assert!(plan.fail.is_some_and(|fail| RANDOM_FAILURES.contains(&fail)));
            assert!(plan.delay <= Duration::from_millis(50));
            assert_eq!(never.plan(None, None, b"").expect("plan").fail, None);
        }
    }
}

#[cfg(test)]
mod chaos_tests {
    use super::*;

    #[test]
    fn chaos_decides_unless_the_header_or_the_queue_does() {
        let injector = FaultInjector::new(0, 0, 1.0, 1).with_chaos(Chaos::new(5));
        let body = br#"{"pageNum":1}"#;
        let plan = injector.plan(None, Some(Endpoint::ChatSearchs), body).expect("plan");
        // The chaos turn replaces the random failure rate (1.0 here) and is logged.
        assert_eq!(Some(Chaos::new(5).turn(Some(Endpoint::ChatSearchs), body).describe()), plan.chaos);
        let plan = injector.plan(Some("fail=http401"), Some(Endpoint::ChatSearchs), body).expect("plan");
        assert_eq!((plan.fail, plan.chaos), (Some(Failure::Http401), None));
        injector.enqueue(QueuedFault { endpoint: Target::Any, delay_ms: 0, fail: Some(Failure::Waf403), count: 1 }).expect("queued");
        let plan = injector.plan(None, Some(Endpoint::ChatSearchs), body).expect("plan");
        assert_eq!((plan.fail, plan.shape, plan.chaos), (Some(Failure::Waf403), Shape::Intact, None));
    }
}
