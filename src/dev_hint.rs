//! Development builds only: the sign-in panel says which token the op-sandbox behind the
//! console takes, from the sandbox's `GET /__sandbox/hint` on the API's origin (`cargo
//! xtask dev` forwards it through trunk serve). Release builds do not contain this module
//! (`lib.rs` compiles it under `debug_assertions` only), so a shipped console never asks
//! and never shows anything of the kind, whatever its config says.

use leptos::prelude::*;
use serde_json::Value;

use crate::ctx::use_ctx;
use crate::i18n::Locale;

/// What the sandbox said.
#[derive(Debug, Clone, PartialEq)]
pub enum Hint {
    /// Started without `--token`: any non-empty token works.
    AnyToken,
    /// Started with `--token T`.
    Token(String),
}

impl Hint {
    /// `{"token": "T"}` or `{"token": null}`; anything else did not come from a sandbox.
    pub fn parse(body: &Value) -> Option<Self> {
        match body.get("token")? {
            Value::Null => Some(Hint::AnyToken),
            Value::String(token) if !token.is_empty() => Some(Hint::Token(token.clone())),
            _ => None,
        }
    }

    /// The panel's line. Development-only text, so it lives here rather than in the
    /// catalog that ships.
    pub fn text(&self, locale: Locale) -> String {
        match (self, locale) {
            (Hint::Token(token), Locale::ZhCn) => format!("开发沙箱：请输入令牌 {token}"),
            (Hint::Token(token), Locale::En) => format!("Development sandbox: sign in with the token {token}"),
            (Hint::AnyToken, Locale::ZhCn) => "开发沙箱：任意令牌均可登录".into(),
            (Hint::AnyToken, Locale::En) => "Development sandbox: any token signs you in".into(),
            (Hint::Token(token), Locale::ZhTw) => format!("開發沙箱：請輸入權杖 {token}"),
            (Hint::AnyToken, Locale::ZhTw) => "開發沙箱：任何權杖皆可登入".into(),
        }
    }
}

/// `/__sandbox/hint` on the origin of `api_base`: the page's own origin for a path such as
/// `/op/v2`, else the scheme and authority of an absolute (or protocol-relative) URL.
pub fn url(api_base: &str) -> String {
    let authority_at = if api_base.starts_with("//") {
        Some(0)
    } else {
        api_base.find("://").filter(|&at| api_base[..at].chars().all(|c| c.is_ascii_alphanumeric())).map(|at| at + 1)
    };
    let origin = match authority_at {
        Some(at) => {
            let rest = &api_base[at + 2..];
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            &api_base[..at + 2 + end]
        }
        None => "",
    };
    format!("{origin}/__sandbox/hint")
}

/// Asks the sandbox; `None` when nothing there answers like one.
pub async fn fetch(api_base: &str) -> Option<Hint> {
    let response = gloo_net::http::Request::get(&url(api_base)).send().await.ok()?;
    if !response.ok() {
        return None;
    }
    Hint::parse(&serde_json::from_str(&response.text().await.ok()?).ok()?)
}

/// The sign-in panel's line about the sandbox, once it has answered.
#[component]
pub fn SandboxHint() -> impl IntoView {
    let ctx = use_ctx();
    let hint = RwSignal::new(None::<Hint>);
    let api_base = ctx.config().api_base.clone();
    leptos::task::spawn_local(async move {
        if let Some(found) = fetch(&api_base).await {
            // The panel may be gone by now (signed in meanwhile): then there is nothing to set.
            let _ = hint.try_set(Some(found));
        }
    });
    move || {
        hint.get().map(|hint| view! { <p class="opc-muted opc-signin__sandbox">{hint.text(ctx.app_locale.get())}</p> })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_hint_comes_from_the_api_origin() {
        assert_eq!(url("/op/v2"), "/__sandbox/hint");
        assert_eq!(url("op/v2"), "/__sandbox/hint");
        assert_eq!(url("http://127.0.0.1:8080/op/v2"), "http://127.0.0.1:8080/__sandbox/hint");
        assert_eq!(url("https://op.example.com"), "https://op.example.com/__sandbox/hint");
        assert_eq!(url("https://op.example.com?x=1"), "https://op.example.com/__sandbox/hint");
        assert_eq!(url("//op.example.com/op/v2"), "//op.example.com/__sandbox/hint");
        // A path that merely contains "://" further on is still a path.
        assert_eq!(url("/proxy/http://x/op/v2"), "/__sandbox/hint");
    }

    #[test]
    fn only_a_sandbox_answer_is_a_hint() {
        assert_eq!(Hint::parse(&json!({ "token": null })), Some(Hint::AnyToken));
        assert_eq!(Hint::parse(&json!({ "token": "dev-token" })), Some(Hint::Token("dev-token".into())));
        assert_eq!(Hint::parse(&json!({ "token": "" })), None);
        assert_eq!(Hint::parse(&json!({ "code": 200 })), None);
        assert_eq!(Hint::parse(&json!([1])), None);
    }

    #[test]
    fn the_line_names_the_token_in_both_languages() {
        let token = Hint::Token("dev-token".into());
        assert_eq!(token.text(Locale::En), "Development sandbox: sign in with the token dev-token");
        assert_eq!(token.text(Locale::ZhCn), "开发沙箱：请输入令牌 dev-token");
        assert_eq!(Hint::AnyToken.text(Locale::En), "Development sandbox: any token signs you in");
    }
}

/// Against the sandbox that `cargo xtask test` starts (without `--token`) for the browser
/// tests: a debug build asks it and is told that any token works.
#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;
    use crate::test_support::sandbox;

    #[wasm_bindgen_test]
    async fn the_test_sandbox_takes_any_token() {
        assert_eq!(fetch(&format!("{}/op/v2", sandbox())).await, Some(Hint::AnyToken));
    }
}
