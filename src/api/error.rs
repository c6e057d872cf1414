//! Every way a call to the Op API can fail, with the words an operator reads.

use std::fmt;

use thiserror::Error;

use crate::i18n::{ErrorText, Locale};

/// The two endpoints the console calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    ChatSearchs,
    GetChatInfo,
}

impl Endpoint {
    /// The last path segment, as in `{apiBase}/chatSearchs`.
    pub fn name(self) -> &'static str {
        match self {
            Self::ChatSearchs => "chatSearchs",
            Self::GetChatInfo => "getChatInfo",
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum ApiError {
    /// The request never got an HTTP answer: offline, DNS, refused, or blocked by CORS.
    #[error("network error: {0}")]
    Network(String),
    #[error("no answer within {0} ms")]
    Timeout(u32),
    /// Cancelled by a newer request or by the operator; never shown.
    #[error("request aborted")]
    Aborted,
    /// A non-2xx HTTP answer; `summary` is a short text, never a dumped HTML page.
    #[error("HTTP {status}: {summary}")]
    Http { status: u16, summary: String },
    /// An HTTP 403 that is not an Op envelope: a WAF or proxy refused the request. Not
    /// an expired session (DESIGN §4), so the token stays and Retry is offered.
    #[error("blocked by the server or a proxy (HTTP {status}): {summary}")]
    Blocked { status: u16, summary: String },
    #[error("could not read the {endpoint} answer: {detail}")]
    Decode { endpoint: Endpoint, detail: String },
    /// The server answered with a non-200 envelope `code`.
    #[error("server error {code}: {message}")]
    Server { code: i64, message: String },
    /// The token is no longer accepted (HTTP 401 or an `authErrorCodes` envelope), or
    /// there is none to send (`code` 0: signed out, nothing was sent).
    #[error("session expired ({code})")]
    AuthExpired { code: i64, message: String },
    /// The host's `getToken` or `sign` callback failed; nothing was sent.
    #[error("{callback} {failure}")]
    Host { callback: HostCallback, failure: HostFailure },
}

/// The embedding host's callbacks (DESIGN §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostCallback {
    GetToken,
    Sign,
}

impl fmt::Display for HostCallback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::GetToken => "getToken()",
            Self::Sign => "sign()",
        })
    }
}

/// How a host callback failed. The details are JavaScript's own words (an exception's
/// message, a value's type), quoted as they are in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HostFailure {
    /// It threw, or its Promise was rejected.
    #[error("failed: {0}")]
    Threw(String),
    /// It answered something other than a string, e.g. `undefined` or `number 42`.
    #[error("returned {0}, not a string")]
    NotAString(String),
}

impl ApiError {
    /// Whether trying the same request again may succeed.
    pub fn retryable(&self) -> bool {
        match self {
            Self::Network(_) | Self::Timeout(_) | Self::Aborted | Self::Host { .. } | Self::Blocked { .. } => true,
            Self::Http { status, .. } => *status >= 500 || *status == 408 || *status == 429,
            Self::Server { code, .. } => *code >= 500,
            Self::Decode { .. } => true,
            Self::AuthExpired { .. } => false,
        }
    }

    /// A short sentence for the operator in their language (the words are in each
    /// language's catalog). Server texts are quoted as they came (the view renders them as
    /// text, never as HTML).
    pub fn message(&self, locale: Locale) -> String {
        let callback = match self {
            Self::Host { callback, .. } => callback.to_string(),
            _ => String::new(),
        };
        let text = match self {
            Self::Network(_) => ErrorText::Network,
            Self::Timeout(ms) => ErrorText::Timeout { seconds: ms / 1000 },
            Self::Aborted => ErrorText::Aborted,
            Self::Http { status, summary } => ErrorText::Http { status: *status, summary },
            Self::Blocked { status, summary } => ErrorText::Blocked { status: *status, summary },
            Self::Decode { endpoint, detail } => ErrorText::Decode { endpoint: endpoint.name(), detail },
            Self::Server { code, message } => ErrorText::Server { code: *code, message },
            Self::AuthExpired { .. } => ErrorText::AuthExpired,
            Self::Host { failure: HostFailure::Threw(detail), .. } => ErrorText::HostThrew { callback: &callback, detail },
            Self::Host { failure: HostFailure::NotAString(what), .. } => ErrorText::HostNotAString { callback: &callback, what },
        };
        locale.catalog().api_error(text)
    }

    /// The `kind` of an `op-error` event (DESIGN §5).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Network(_) => "network",
            Self::Timeout(_) => "timeout",
            Self::Aborted => "aborted",
            Self::Http { .. } | Self::Blocked { .. } => "http",
            Self::Decode { .. } => "decode",
            Self::Server { .. } => "server",
            Self::AuthExpired { .. } => "auth",
            Self::Host { .. } => "host",
        }
    }
}

/// A short, plain-text summary of an error body: the `<title>` (or first heading) of an
/// HTML page, else the first line of text, at most 120 characters.
pub fn summarize_body(body: &str) -> String {
    const LIMIT: usize = 120;
    let lower = body.to_ascii_lowercase();
    let tagged = |tag: &str| {
        let open = lower.find(&format!("<{tag}"))?;
        let start = open + lower[open..].find('>')? + 1;
        let end = start + lower[start..].find(&format!("</{tag}"))?;
        Some(body[start..end].to_string())
    };
    let text = tagged("title").or_else(|| tagged("h1")).unwrap_or_else(|| strip_tags(body));
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > LIMIT {
        let cut: String = line.chars().take(LIMIT).collect();
        format!("{cut}…")
    } else if line.is_empty() {
        "(empty body)".into()
    } else {
        line
    }
}

fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_error_pages_are_summarised() {
        let nginx = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>";
        assert_eq!(summarize_body(nginx), "502 Bad Gateway");
        assert_eq!(summarize_body("<H1>Oops</H1><p>x</p>"), "Oops");
        assert_eq!(summarize_body("<div><b>broken</b> thing</div>"), "broken thing");
        assert_eq!(summarize_body(""), "(empty body)");
        let long = "x".repeat(500);
        assert_eq!(summarize_body(&long).chars().count(), 121);
        // An unterminated title falls back to stripping tags instead of panicking.
        assert_eq!(summarize_body("<title>half"), "half");
    }

    #[test]
    fn retryable_flags() {
        assert!(ApiError::Timeout(15000).retryable());
        assert!(ApiError::Http { status: 502, summary: String::new() }.retryable());
        assert!(!ApiError::Http { status: 404, summary: String::new() }.retryable());
        assert!(ApiError::Server { code: 500, message: "x".into() }.retryable());
        assert!(!ApiError::Server { code: 400, message: "x".into() }.retryable());
        assert!(!ApiError::AuthExpired { code: 401, message: String::new() }.retryable());
    }
}
