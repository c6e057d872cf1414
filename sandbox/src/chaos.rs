//! The `chaos` scenario (`--scenario chaos --seed N`): per request, what odd servers and
//! the proxies in front of them do — slow answers, HTTP 500, an nginx 502 page, a WAF's 403
//! page, JSON cut in half, envelopes with `code != 200`, search pages without `total`, and
//! pages that repeat the first page whatever `pageNum` asks. (Rows with empty chat ids are
//! a property of the chaos dataset, see [`blank_some_ids`], so every answer agrees on them.)
//!
//! Reproducible: what a request gets depends only on the seed, the endpoint, the exact body
//! and how many times that same request came before, never on what other requests happened
//! in between, so a browser test sees the same mischief on every run whatever its timing.
//! A request that failed [`FAULTY_TRIES`] times is answered on the next try: a client that
//! retries gets through, one that gives up does not.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use md5::{Digest, Md5};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::api::Endpoint;
use crate::data::Chat;
use crate::faults::Failure;

/// Share of answers that are slow, and how slow (ms): below any sane `timeoutMs`.
const SLOW_RATE: f64 = 0.25;
const SLOW_MS: std::ops::RangeInclusive<u64> = 200..=1500;
/// Share of the first tries of a request that fail, and how.
const FAIL_RATE: f64 = 0.3;
const FAILURES: &[Failure] = &[Failure::Http500, Failure::Html502, Failure::Waf403, Failure::Truncated, Failure::Envelope];
/// Failures stop after this many tries of the same request.
pub const FAULTY_TRIES: u32 = 2;
/// Shares of the successful search answers without `total`, and repeating the first page.
const NO_TOTAL_RATE: f64 = 0.15;
const REPEAT_RATE: f64 = 0.08;
/// Share of the generated chats whose search row carries an empty `chatId`.
const BLANK_ID_RATE: f64 = 0.03;

/// What happens to the body of a successful search answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Shape {
    #[default]
    Intact,
    /// `page.total` is left out.
    NoTotal,
    /// The rows (and paging) of page 1, whatever `pageNum` asked: a server or cache that
    /// ignores the parameter.
    Repeated,
}

/// The mischief for one request.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Turn {
    pub delay_ms: u64,
    pub fail: Option<Failure>,
    pub shape: Shape,
}

impl Turn {
    /// `slow=800;fail=html502`, `repeat`, `none`…: what the request log shows.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.delay_ms > 0 {
            parts.push(format!("slow={}", self.delay_ms));
        }
        if let Some(fail) = self.fail {
            // The serde name, as in the fault API (`html502`, `waf403`, …).
            let name = serde_json::to_value(fail).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            parts.push(format!("fail={name}"));
        }
        match self.shape {
            Shape::Intact => {}
            Shape::NoTotal => parts.push("nototal".to_owned()),
            Shape::Repeated => parts.push("repeat".to_owned()),
        }
        if parts.is_empty() {
            "none".to_owned()
        } else {
            parts.join(";")
        }
    }
}

/// Decides the turn of every Op API request; counts the tries of each distinct request.
#[derive(Debug)]
pub struct Chaos {
    seed: u64,
    tries: Mutex<HashMap<[u8; 16], u32>>,
}

impl Chaos {
    pub fn new(seed: u64) -> Self {
        Chaos { seed, tries: Mutex::default() }
    }

    /// The turn of a request to `endpoint` with `body`, counting it as one more try.
    pub fn turn(&self, endpoint: Option<Endpoint>, body: &[u8]) -> Turn {
        let key = fingerprint(endpoint, body);
        let attempt = {
            let mut tries = self.tries.lock().unwrap_or_else(PoisonError::into_inner);
            let count = tries.entry(key).or_insert(0);
            *count += 1;
            *count - 1
        };
        decide(self.seed, &key, attempt, endpoint == Some(Endpoint::ChatSearchs))
    }
}

/// MD5 of the endpoint and the body: stable across builds and platforms, unlike `Hash`.
fn fingerprint(endpoint: Option<Endpoint>, body: &[u8]) -> [u8; 16] {
    let name = match endpoint {
        Some(Endpoint::ChatSearchs) => "chatSearchs",
        Some(Endpoint::GetChatInfo) => "getChatInfo",
        None => "other",
    };
    let mut hasher = Md5::new();
    hasher.update(name.as_bytes());
    hasher.update([0]);
    hasher.update(body);
    hasher.finalize().into()
}

/// The turn of try number `attempt` (0 = first) of the request `key`.
fn decide(seed: u64, key: &[u8; 16], attempt: u32, search: bool) -> Turn {
    let mut stream = [0_u8; 32];
    stream[..8].copy_from_slice(&seed.to_le_bytes());
    stream[8..24].copy_from_slice(key);
    stream[24..28].copy_from_slice(&attempt.to_le_bytes());
    let mut rng = ChaCha8Rng::from_seed(stream);
    let delay_ms = if rng.random_bool(SLOW_RATE) { rng.random_range(SLOW_MS) } else { 0 };
    let fail = if attempt < FAULTY_TRIES && rng.random_bool(FAIL_RATE) { FAILURES.choose(&mut rng).copied() } else { None };
    let roll: f64 = rng.random();
    let shape = match () {
        _ if !search || fail.is_some() => Shape::Intact,
        _ if roll < NO_TOTAL_RATE => Shape::NoTotal,
        _ if roll < NO_TOTAL_RATE + REPEAT_RATE => Shape::Repeated,
        _ => Shape::Intact,
    };
    Turn { delay_ms, fail, shape }
}

/// Gives about 3% of the generated chats (never the seed documents' own) an empty `chatId`
/// in their search rows, chosen by `seed`. Their chat infos stay reachable by the real id.
pub fn blank_some_ids(chats: &mut [Chat], seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xb1a4_c1d5);
    for chat in chats {
        if rng.random_bool(BLANK_ID_RATE) {
            chat.blank_row_id = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE_2: &[u8] = br#"{"startTime":"2015-01-01","endTime":"2026-12-31","pageNum":2,"pageSize":20}"#;

    fn turns(chaos: &Chaos, body: &[u8], count: usize) -> Vec<Turn> {
        (0..count).map(|_| chaos.turn(Some(Endpoint::ChatSearchs), body)).collect()
    }

    fn body(page: u32) -> Vec<u8> {
        format!(r#"{{"startTime":"2015-01-01","endTime":"2026-12-31","pageNum":{page},"pageSize":20}}"#).into_bytes()
    }

    #[test]
    fn same_seed_same_turns_whatever_else_happened_in_between() {
        let quiet = Chaos::new(7);
        let busy = Chaos::new(7);
        let expected = turns(&quiet, PAGE_2, 4);
        // Other requests in between do not change what this one gets.
        let mut seen = Vec::new();
        for _ in 0..4 {
            busy.turn(Some(Endpoint::GetChatInfo), br#"{"chatId":"x","isMsg":false}"#);
            busy.turn(Some(Endpoint::ChatSearchs), &body(9));
            seen.push(busy.turn(Some(Endpoint::ChatSearchs), PAGE_2));
        }
        assert_eq!(seen, expected);
        // Another seed is another run.
        let other: Vec<Turn> = (1..=60).map(|page| Chaos::new(8).turn(Some(Endpoint::ChatSearchs), &body(page))).collect();
        let same: Vec<Turn> = (1..=60).map(|page| Chaos::new(7).turn(Some(Endpoint::ChatSearchs), &body(page))).collect();
        assert_ne!(other, same);
    }

    #[test]
    fn every_kind_of_mischief_happens_and_retries_get_through() {
        let chaos = Chaos::new(20261129);
        let mut failures = Vec::new();
        let mut shapes = Vec::new();
        let mut slow = 0;
        for page in 1..=400 {
            let body = body(page);
            let tries = turns(&chaos, &body, FAULTY_TRIES as usize + 3);
            for (attempt, turn) in tries.iter().enumerate() {
                assert!(turn.delay_ms <= *SLOW_MS.end());
                if attempt >= FAULTY_TRIES as usize {
                    assert_eq!(turn.fail, None, "try {attempt} of page {page} still fails");
                }
                if turn.fail.is_some() {
                    assert_eq!(turn.shape, Shape::Intact, "a failure has no body shape");
                }
            }
            failures.extend(tries.iter().filter_map(|turn| turn.fail));
            shapes.extend(tries.iter().map(|turn| turn.shape));
            slow += tries.iter().filter(|turn| turn.delay_ms > 0).count();
        }
        for kind in FAILURES {
            assert!(failures.contains(kind), "{kind:?} never happened");
        }
        assert!(shapes.contains(&Shape::NoTotal) && shapes.contains(&Shape::Repeated) && shapes.contains(&Shape::Intact));
        assert!(slow > 100, "{slow} slow answers in 2000");
    }

    #[test]
    fn chat_infos_only_get_transport_mischief() {
        let chaos = Chaos::new(3);
        for n in 0..300 {
            let body = format!(r#"{{"chatId":"c{n}","isMsg":false}}"#);
            assert_eq!(chaos.turn(Some(Endpoint::GetChatInfo), body.as_bytes()).shape, Shape::Intact);
        }
    }

    #[test]
    fn turns_describe_themselves() {
        assert_eq!(Turn::default().describe(), "none");
        let turn = Turn { delay_ms: 800, fail: Some(Failure::Waf403), shape: Shape::Intact };
        assert_eq!(turn.describe(), "slow=800;fail=waf403");
        assert_eq!(Turn { shape: Shape::Repeated, ..Turn::default() }.describe(), "repeat");
        assert_eq!(Turn { shape: Shape::NoTotal, ..Turn::default() }.describe(), "nototal");
    }
}
