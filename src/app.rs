//! The console's root: builds the shared context ([`Ctx`]), header (language, theme), sign-in, and the
//! search screen. Both the standalone page (`boot`) and the embedding API build an
//! [`App`] from a [`Setup`].

use std::rc::Rc;

use leptos::prelude::*;

use crate::api::client::{fixed_token, TokenFn};
use crate::api::sign::Sign;
use crate::api::{ApiClient, ApiError};
use crate::config::Config;
use crate::ctx::{use_ctx, Ctx, TOKEN_KEY};
use crate::host::{HostCommand, HostEvents};
use crate::i18n::{Locale, Msg};
use crate::prefs::Prefs;
use crate::search::SearchScreen;

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
    Effect::new(move |_| ctx.prefs().set("locale", ctx.app_locale.get().tag()));

    view! {
        <div class="opc-app" lang=move || ctx.app_locale.get().tag()
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
                        <SearchScreen />
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
                    ctx.app_locale.set(locale);
                }
            }>
            {Locale::ALL.into_iter().map(|locale| view! {
                <option value=locale.tag() lang=locale.tag() selected=move || ctx.app_locale.get() == locale>{locale.catalog().name()}</option>
            }).collect_view()}
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
