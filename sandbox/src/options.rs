//! Command-line flags. `Options::default()` is the same as running with no flags, so the
//! in-process test harness and the binary cannot drift apart.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

/// Seed of the generated dataset when `--seed` is not given: fixed so that every run,
/// demo and test sees the same conversations.
pub const DEFAULT_SEED: u64 = 20151216;

/// Which data the server hands out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Scenario {
    /// The seed rows plus realistic generated conversations.
    #[default]
    Normal,
    /// Like `normal`, but generated strings are often XSS payloads, huge, RTL or emoji, and
    /// some rows and chat infos carry nulls and wrong JSON types.
    Hostile,
    /// Like `normal` (with about 3% of the rows without a chat id), but every request may
    /// be slow or fail like an odd server or proxy would, reproducibly per `--seed`: see
    /// the `chaos` module.
    Chaos,
}

/// Everything the server can be told on its command line.
#[derive(Clone, Debug, Parser)]
#[command(name = "op-sandbox", version, about = "Local implementation of the Op API (chatSearchs, getChatInfo) for demos, tests and benchmarks")]
pub struct Options {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Port to listen on; 0 picks a free one (the startup line tells which).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Number of generated conversations, in addition to the 12 seed conversations.
    #[arg(long, default_value_t = 5000)]
    pub chats: usize,
    /// Seed of the generated dataset (same seed, same data on the same day).
    #[arg(long, default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// Dataset flavour.
    #[arg(long, value_enum, default_value_t = Scenario::Normal)]
    pub scenario: Scenario,
    /// When set, the `token` query parameter must equal this value (else envelope code 401).
    #[arg(long)]
    pub token: Option<String>,
    /// When set, `sign` must be the MD5 hex of this template with `{apiVersion} {client}
    /// {version} {token} {path} {body} {secret}` replaced (else envelope code 403).
    #[arg(long)]
    pub sign_template: Option<String>,
    /// Value of `{secret}` in the sign template.
    #[arg(long, requires = "sign_template")]
    pub sign_secret: Option<String>,
    /// Delay added to every Op API response, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Random extra delay of 0..=N milliseconds on every Op API response.
    #[arg(long, default_value_t = 0)]
    pub jitter_ms: u64,
    /// Share (0.0–1.0) of Op API requests that fail with a random failure.
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate)]
    pub fail_rate: f64,
    /// Leave `total` out of every search answer's `page` (keeping `next`), as some Op
    /// servers do: the console must then page by `next` alone.
    #[arg(long)]
    pub no_total: bool,
    /// Directory of the built web app to serve (with an index.html fallback).
    #[arg(long)]
    pub dist: Option<PathBuf>,
    /// File served as `config.json` of the app instead of the one in the dist directory.
    #[arg(long)]
    pub app_config: Option<PathBuf>,
    /// URL path under which the dist directory is served, e.g. `/cdn/x/`.
    #[arg(long, default_value = "/", value_parser = parse_mount)]
    pub mount: String,
    /// Send a strict Content-Security-Policy header with the dist files and the portal page.
    #[arg(long)]
    pub csp: bool,
    /// Directory served at `/portal/` (an example admin portal page).
    #[arg(long)]
    pub portal: Option<PathBuf>,
    /// Run as if it were this time (RFC 3339, or a date `YYYY-MM-DD` at the current time of
    /// day in UTC+8); the clock ticks on from there. The data end before that day, and
    /// conversations added through `/__sandbox/chats` are dated by it.
    #[arg(long, value_parser = crate::clock::parse_now)]
    pub now: Option<chrono::DateTime<chrono::FixedOffset>>,
}

impl Default for Options {
    fn default() -> Self {
        // Parsing an empty command line cannot fail: every flag has a default.
        Options::parse_from(["op-sandbox"])
    }
}

fn parse_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(rate) if (0.0..=1.0).contains(&rate) => Ok(rate),
        _ => Err(format!("expected a number from 0.0 to 1.0, got {text:?}")),
    }
}

/// Normalises a mount path to the `/a/b/` form (leading and trailing slash) that the
/// static file routing compares against.
fn parse_mount(text: &str) -> Result<String, String> {
    let trimmed = text.trim_matches('/');
    if trimmed.is_empty() {
        return Ok("/".to_owned());
    }
    if trimmed.split('/').any(|segment| segment.is_empty() || segment == "." || segment == "..") {
        return Err(format!("not a clean URL path: {text:?}"));
    }
    Ok(format!("/{trimmed}/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_an_empty_command_line() {
        let options = Options::default();
        assert_eq!(options.host, "127.0.0.1");
        assert_eq!(options.port, 8080);
        assert_eq!(options.chats, 5000);
        assert_eq!(options.seed, DEFAULT_SEED);
        assert_eq!(options.scenario, Scenario::Normal);
        assert_eq!(options.mount, "/");
        assert!(options.token.is_none() && options.dist.is_none() && !options.csp && !options.no_total);
        assert!(options.now.is_none());
    }

    #[test]
    fn mount_is_normalised() {
        assert_eq!(parse_mount("cdn/x").as_deref(), Ok("/cdn/x/"));
        assert_eq!(parse_mount("/cdn/x/").as_deref(), Ok("/cdn/x/"));
        assert_eq!(parse_mount("/").as_deref(), Ok("/"));
        assert!(parse_mount("/a//b").is_err());
        assert!(parse_mount("/a/../b").is_err());
    }

    #[test]
    fn fail_rate_is_bounded() {
        assert!(Options::try_parse_from(["op-sandbox", "--fail-rate", "1.5"]).is_err());
        let options = Options::try_parse_from(["op-sandbox", "--fail-rate", "0.25", "--scenario", "hostile"]);
        let options = options.map_err(|e| e.to_string());
        assert_eq!(options.as_ref().map(|o| o.fail_rate), Ok(0.25));
        assert_eq!(options.map(|o| o.scenario), Ok(Scenario::Hostile));
    }

    #[test]
    fn sign_secret_needs_a_template() {
        assert!(Options::try_parse_from(["op-sandbox", "--sign-secret", "s"]).is_err());
    }
}
