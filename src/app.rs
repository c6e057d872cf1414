//! The console's root: shared context, header (language, theme), sign-in, and the
//! search screen. Both the standalone page (`boot`) and the embedding API build an
//! [`App`] from a [`Setup`].

use std::rc::Rc;

use chrono::FixedOffset;
use leptos::prelude::*;

use crate::api::client::{fixed_token, TokenFn};
use crate::api::sign::Sign;
use crate::api::{ApiClient, ApiError};
use crate::config::Config;
use crate::host::{HostCommand, HostEvents};
use crate::i18n::{Locale, Msg};
use crate::prefs::Prefs;
use crate::search::SearchPage;

/// Where the operator's token comes from.
pub enum TokenSource {
    /// The embedding host answers (`token` option or `getToken()`); it also handles expiry.
    Host(TokenFn),
    /// Standalone: `config.token` (development) or the sign-in panel's `sessionStorage`.
    SignIn,
}

/// Everything an [`App`] is built from.
pub struct Setup {
    pub config: Config,
    pub token: TokenSource,
    pub signer: Rc<dyn Sign>,
    pub events: HostEvents,
    /// Separates this instance's remembered settings from other instances'.
    pub scope: String,
    /// Requests from an embedding host's mount handle (`search`, `openChat`).
    pub commands: Option<RwSignal<Option<HostCommand>>>,
}

/// The handles every component may use; all `Copy`.
#[derive(Clone, Copy)]
pub struct Ctx {
    /// The app's language; views read it through [`Ctx::locale`].
    pub locale: RwSignal<Locale>,
    /// Set in copies for views built and dropped often: see [`Ctx::with_fixed_locale`].
    fixed_locale: Option<Locale>,
    /// False while the standalone console waits for a token.
    pub signed_in: RwSignal<bool>,
    /// Set when the server rejected the token, to explain the sign-in panel.
    pub session_expired: RwSignal<bool>,
    config: StoredValue<Rc<Config>, LocalStorage>,
    client: StoredValue<ApiClient, LocalStorage>,
    events: StoredValue<HostEvents, LocalStorage>,
    prefs: StoredValue<Prefs>,
    page_is_https: bool,
}

impl Ctx {
    /// The language to show, tracked (unless fixed).
    pub fn locale(self) -> Locale {
        self.fixed_locale.unwrap_or_else(|| self.locale.get())
    }

    pub fn t(self, msg: Msg) -> &'static str {
        msg.text(self.locale())
    }

    /// A copy whose language is fixed at the current one, which this call tracks. For
    /// views built and dropped often (table rows, the drawer's content): reactive_graph
    /// 0.2 does not unsubscribe a dropped view, so every label of every such view would
    /// leave an entry behind in the (rarely changing) app language. Views given this copy
    /// subscribe to nothing; the caller's closure renders them again on a language change.
    pub fn with_fixed_locale(self) -> Ctx {
        Ctx { fixed_locale: Some(self.locale.get()), ..self }
    }

    pub fn config(self) -> Rc<Config> {
        self.config.get_value()
    }

    pub fn zone(self) -> FixedOffset {
        self.config.with_value(|c| c.time_zone)
    }

    pub fn client(self) -> ApiClient {
        self.client.get_value()
    }

    pub fn prefs(self) -> Prefs {
        self.prefs.get_value()
    }

    pub fn events(self) -> HostEvents {
        self.events.get_value()
    }

    pub fn page_is_https(self) -> bool {
        self.page_is_https
    }

    /// Reacts to a failed call in one place: an expired session signs the operator
    /// out (standalone) or tells the host; every error is reported as `op-error`.
    /// Everything this console reads or changes comes before the host events, and callers
    /// read nothing of this console after it (a listener may unmount it; see `host.rs`).
    pub fn report(self, error: &ApiError) {
        if matches!(error, ApiError::Aborted) {
            return;
        }
        let events = self.events();
        let message = error.message(self.locale.get_untracked());
        let expired = matches!(error, ApiError::AuthExpired { .. });
        if expired && !events.host_owns_token() {
            self.prefs().session_set(TOKEN_KEY, None);
            self.session_expired.set(true);
            self.signed_in.set(false);
        }
        if expired {
            events.auth_expired();
        }
        events.error(error.kind(), &message);
    }
}

impl Ctx {
    /// Builds the context of one console instance and provides it to its components.
    /// The locale is the operator's remembered choice, else the configured one.
    pub fn provide(config: Rc<Config>, client: ApiClient, events: HostEvents, prefs: Prefs, signed_in: bool) -> Ctx {
        let locale = prefs.get("locale").as_deref().and_then(Locale::parse).unwrap_or(config.locale);
        let page_is_https = web_sys::window().and_then(|w| w.location().protocol().ok()).is_some_and(|p| p == "https:");
        let ctx = Ctx {
            locale: RwSignal::new(locale),
            fixed_locale: None,
            signed_in: RwSignal::new(signed_in),
            session_expired: RwSignal::new(false),
            client: StoredValue::new_local(client),
            config: StoredValue::new_local(config),
            events: StoredValue::new_local(events),
            prefs: StoredValue::new(prefs),
            page_is_https,
        };
        provide_context(ctx);
        ctx
    }
}

pub fn use_ctx() -> Ctx {
    expect_context::<Ctx>()
}

/// `sessionStorage` key of the sign-in panel's token.
const TOKEN_KEY: &str = "token";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    fn parse(text: &str) -> Self {
        match text {
            "light" => Self::Light,
            "dark" => Self::Dark,
            _ => Self::System,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::Light => "light",
            Self::Dark => "dark",
        }
    }
}

#[component]
pub fn App(setup: Setup) -> impl IntoView {
    let Setup { config, token, signer, events, scope, commands } = setup;
    if let Some(commands) = commands {
        provide_context(commands);
    }
    let prefs = Prefs::new(&scope);
    let config = Rc::new(config);
    let host_owns_token = matches!(token, TokenSource::Host(_));
    let token_fn = match token {
        TokenSource::Host(f) => f,
        TokenSource::SignIn => session_token(config.token.clone(), prefs.clone()),
    };
    let signed_in = host_owns_token || config.token.is_some() || prefs.session_get(TOKEN_KEY).is_some();
    let client = ApiClient::new(config.clone(), token_fn, signer);
    let ctx = Ctx::provide(config, client, events.with_token_owner(host_owns_token), prefs.clone(), signed_in);

    let theme = RwSignal::new(Theme::parse(&prefs.get("theme").unwrap_or_default()));
    Effect::new(move |_| ctx.prefs().set("theme", theme.get().name()));
    Effect::new(move |_| ctx.prefs().set("locale", ctx.locale.get().tag()));

    view! {
        <div class="opc-app" lang=move || ctx.locale.get().tag()
            data-theme=move || match theme.get() { Theme::System => None, t => Some(t.name()) }>
            <header class="opc-header">
                <h1 class="opc-brand">{move || ctx.t(Msg::Brand)}</h1>
                <div class="opc-header__tools">
                    <LocaleSwitch />
                    <ThemeSwitch theme />
                    <Show when=move || ctx.signed_in.get() && !host_owns_token>
                        <button type="button" class="opc-button opc-button--ghost" on:click=move |_| {
                            ctx.prefs().session_set(TOKEN_KEY, None);
                            ctx.signed_in.set(false);
                        }>{move || ctx.t(Msg::SignOut)}</button>
                    </Show>
                </div>
            </header>
            <main class="opc-main">
                <Show when=move || !ctx.signed_in.get()>
                    <SignIn />
                </Show>
                // An expired session keeps the search screen, hidden behind the sign-in
                // panel, so that nothing on it is lost (filters, page, open chat, an export
                // paused on the failed page); signing in again shows it as it was. Signing
                // out drops it: the next operator sees nothing of it.
                <Show when=move || ctx.signed_in.get() || ctx.session_expired.get()>
                    <div class="opc-page" hidden=move || !ctx.signed_in.get()>
                        <SearchPage />
                    </div>
                </Show>
            </main>
        </div>
    }
}

/// Standalone token source: the dev token from `config.json`, else the sign-in panel's.
fn session_token(config_token: Option<String>, prefs: Prefs) -> TokenFn {
    if config_token.is_some() {
        return fixed_token(config_token);
    }
    Rc::new(move || {
        let token = prefs.session_get(TOKEN_KEY);
        Box::pin(async move { Ok::<_, ApiError>(token) })
    })
}

#[component]
fn LocaleSwitch() -> impl IntoView {
    let ctx = use_ctx();
    view! {
        <select class="opc-select opc-select--small" aria-label=move || ctx.t(Msg::Language)
            on:change=move |ev| {
                if let Some(locale) = Locale::parse(&event_target_value(&ev)) {
                    ctx.locale.set(locale);
                }
            }>
            <option value="zh-CN" selected=move || ctx.locale.get() == Locale::ZhCn>"中文"</option>
            <option value="en" selected=move || ctx.locale.get() == Locale::En>"English"</option>
        </select>
    }
}

#[component]
fn ThemeSwitch(theme: RwSignal<Theme>) -> impl IntoView {
    let ctx = use_ctx();
    let option = move |value: Theme, label: Msg| {
        view! {
            <option value=value.name() selected=move || theme.get() == value>{move || ctx.t(label)}</option>
        }
    };
    view! {
        <select class="opc-select opc-select--small" aria-label=move || ctx.t(Msg::Theme)
            on:change=move |ev| theme.set(Theme::parse(&event_target_value(&ev)))>
            {option(Theme::System, Msg::ThemeSystem)}
            {option(Theme::Light, Msg::ThemeLight)}
            {option(Theme::Dark, Msg::ThemeDark)}
        </select>
    }
}

/// Development builds: which token the op-sandbox behind the console takes
/// (`dev_hint`). Release builds show nothing and ask nothing.
#[cfg(debug_assertions)]
fn sandbox_hint() -> impl IntoView {
    view! { <crate::dev_hint::SandboxHint /> }
}

#[cfg(not(debug_assertions))]
fn sandbox_hint() -> impl IntoView {}

/// The standalone console's token prompt. The token stays in `sessionStorage` only.
#[component]
fn SignIn() -> impl IntoView {
    let ctx = use_ctx();
    let token = RwSignal::new(String::new());
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let value = token.get_untracked().trim().to_string();
        if !value.is_empty() {
            ctx.prefs().session_set(TOKEN_KEY, Some(&value));
            // Signed in before the expiry is forgotten: the kept search screen stays.
            ctx.signed_in.set(true);
            ctx.session_expired.set(false);
        }
    };
    view! {
        <form class="opc-signin" aria-label=move || ctx.t(Msg::SignInTitle) on:submit=submit>
            <h2>{move || ctx.t(Msg::SignInTitle)}</h2>
            <Show when=move || ctx.session_expired.get()>
                <p class="opc-error__message" role="alert">{move || ctx.t(Msg::SessionExpired)}</p>
            </Show>
            <p class="opc-muted">{move || ctx.t(Msg::SignInHint)}</p>
            {sandbox_hint()}
            <label class="opc-field">
                <span class="opc-field__label">{move || ctx.t(Msg::Token)}</span>
                <input class="opc-input" type="password" autocomplete="off" required
                    prop:value=token on:input=move |ev| token.set(event_target_value(&ev)) />
            </label>
            <button type="submit" class="opc-button opc-button--primary">{move || ctx.t(Msg::SignIn)}</button>
        </form>
    }
}
