//! Request signing (DESIGN §3).
//!
//! The seeds show a 32-hex `sign` but not how it is made, so the recipe is configuration:
//! none, a static value, an MD5 template, or a callback from the embedding host. All of
//! them sit behind [`Sign`], so the client does not care which one it has.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use md5::{Digest, Md5};

use super::error::ApiError;
use crate::config::SignRecipe;

pub type LocalFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Everything a signer may use. `body` is the exact JSON text that will be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignContext {
    /// URL path of the endpoint, e.g. `/op/v2/chatSearchs`.
    pub path: String,
    /// The query parameters that will be sent before `sign`, in order.
    pub query: Vec<(String, String)>,
    pub body: String,
}

impl SignContext {
    fn query_value(&self, name: &str) -> &str {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }
}

/// Produces the `sign` query parameter, or none.
pub trait Sign {
    fn sign<'a>(&'a self, ctx: &'a SignContext) -> LocalFuture<'a, Result<Option<String>, ApiError>>;
}

impl SignRecipe {
    /// The sign for `ctx`, computed synchronously.
    pub fn compute(&self, ctx: &SignContext) -> Option<String> {
        match self {
            Self::None => None,
            Self::Static(value) => Some(value.clone()),
            Self::Md5 { template, secret, uppercase } => {
                let text = fill_template(template, |name| match name {
                    "apiVersion" | "client" | "version" | "token" => Some(ctx.query_value(name)),
                    "path" => Some(ctx.path.as_str()),
                    "body" => Some(ctx.body.as_str()),
                    "secret" => Some(secret.as_str()),
                    _ => None,
                });
                let hex = hex(&Md5::digest(text.as_bytes()));
                Some(if *uppercase { hex.to_ascii_uppercase() } else { hex })
            }
        }
    }
}

impl Sign for SignRecipe {
    fn sign<'a>(&'a self, ctx: &'a SignContext) -> LocalFuture<'a, Result<Option<String>, ApiError>> {
        let sign = self.compute(ctx);
        Box::pin(async move { Ok(sign) })
    }
}

/// A signer supplied by the embedding page (`options.sign(ctx)`), possibly async.
pub type HostSignFn = Rc<dyn Fn(&SignContext) -> LocalFuture<'static, Result<Option<String>, ApiError>>>;

/// Wraps the host's callback; it wins over the config recipe (DESIGN §3).
pub struct HostSigner(pub HostSignFn);

impl Sign for HostSigner {
    fn sign<'a>(&'a self, ctx: &'a SignContext) -> LocalFuture<'a, Result<Option<String>, ApiError>> {
        (self.0)(ctx)
    }
}

/// Replaces `{name}` placeholders in one pass, so a value that itself contains `{secret}`
/// is never expanded. Unknown placeholders are left as written.
fn fill_template<'v>(template: &str, lookup: impl Fn(&str) -> Option<&'v str>) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| lookup(&after[..close]).map(|v| (close, v))) {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> SignContext {
        SignContext {
            path: "/op/v2/chatSearchs".into(),
            query: vec![("apiVersion".into(), "01".into()), ("client".into(), "b27".into()), ("token".into(), "tok".into())],
            body: r#"{"a":1}"#.into(),
        }
    }

    #[test]
    fn md5_template_matches_an_independent_vector() {
        // Computed at test-writing time with Python:
        // hashlib.md5('01|b27|tok|/op/v2/chatSearchs|{"a":1}|s3cret'.encode()).hexdigest()
        let recipe = SignRecipe::Md5 {
            template: "{apiVersion}|{client}|{token}|{path}|{body}|{secret}".into(),
            secret: "s3cret".into(),
            uppercase: false,
        };
        assert_eq!(recipe.compute(&ctx()).as_deref(), Some("3f391b572c8a0fa01e2a6bd9c0665203"));
        let upper = SignRecipe::Md5 {
            template: "{apiVersion}|{client}|{token}|{path}|{body}|{secret}".into(),
            secret: "s3cret".into(),
            uppercase: true,
        };
        assert_eq!(upper.compute(&ctx()).as_deref(), Some("3F391B572C8A0FA01E2A6BD9C0665203"));
    }

    #[test]
    fn md5_of_empty_template_is_the_empty_digest() {
        let recipe = SignRecipe::Md5 { template: String::new(), secret: String::new(), uppercase: false };
        assert_eq!(recipe.compute(&ctx()).as_deref(), Some("d41d8cd98f00b204e9800998ecf8427e"));
    }

    #[test]
    fn template_fills_once_and_keeps_unknown_placeholders() {
        let filled = fill_template("{a}-{b}-{unknown}-{", |n| match n {
            "a" => Some("{b}"),
            "b" => Some("B"),
            _ => None,
        });
        assert_eq!(filled, "{b}-B-{unknown}-{");
        // `version` absent from the query is the empty string.
        let recipe = SignRecipe::Md5 { template: "[{version}]".into(), secret: String::new(), uppercase: false };
        let expected = hex(&Md5::digest(b"[]"));
        assert_eq!(recipe.compute(&ctx()), Some(expected));
    }

    #[test]
    fn none_and_static() {
        assert_eq!(SignRecipe::None.compute(&ctx()), None);
        assert_eq!(SignRecipe::Static("ABC".into()).compute(&ctx()).as_deref(), Some("ABC"));
    }
}
