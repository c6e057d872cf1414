//! Start-up of the standalone page: panic box, `config.json`, then the [`App`].

use std::rc::Rc;

use gloo_net::http::Request;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::RequestCache;

use crate::app::{App, Setup, TokenSource};
use crate::config::{Config, ConfigError};
use crate::host::HostEvents;
use crate::i18n::{Locale, Msg};

#[wasm_bindgen(inline_js = "export function opc_asset_url(name) { return new URL('../../' + name, import.meta.url).href; }")]
extern "C" {
    /// Resolves `name` next to the app's own files. wasm-bindgen places this snippet at
    /// `snippets/<crate>-<hash>/inline0.js`, two levels below them, so the result does not
    /// depend on the page URL (CDN sub-paths, embedding pages elsewhere).
    fn opc_asset_url(name: &str) -> String;
}

/// Starts the standalone console on `document.body` when the page asks for it
/// (`<body data-opc-standalone>`, as index.html does). Embedding pages load the same wasm
/// through `op-console.js` and call `mount` instead.
pub fn boot() {
    let standalone = document().body().is_some_and(|b| b.has_attribute("data-opc-standalone"));
    if !standalone {
        return;
    }
    install_panic_box();
    crate::perf::mark("opc:boot");
    // Leptos sets its executor up when it mounts; the config is loaded before that.
    wasm_bindgen_futures::spawn_local(async {
        let loaded = load_config().await;
        let body = document().body();
        let events = body.clone().map(|b| HostEvents::on(b.into())).unwrap_or_default();
        match loaded {
            Ok(config) => {
                let setup = Setup {
                    signer: Rc::new(config.sign.clone()),
                    scope: config.url_prefix.clone(),
                    token: TokenSource::SignIn,
                    events,
                    config,
                    commands: None,
                };
                leptos::mount::mount_to_body(move || view! { <App setup /> });
            }
            Err(error) => leptos::mount::mount_to_body(move || view! { <ConfigProblem error /> }),
        }
    });
}

/// `config.json` next to the app; a missing file (404) means the defaults.
pub async fn load_config() -> Result<Config, ConfigError> {
    const SOURCE: &str = "config.json";
    let url = opc_asset_url(SOURCE);
    let unreadable = |detail: String| ConfigError::new(SOURCE, "(file)", detail);
    let response = Request::get(&url)
        .cache(RequestCache::NoCache)
        .send()
        .await
        .map_err(|e| unreadable(format!("could not be loaded: {e}")))?;
    match response.status() {
        404 => Ok(Config::default()),
        200..=299 => {
            let text = response.text().await.map_err(|e| unreadable(format!("could not be read: {e}")))?;
            Config::from_json_text(&text, SOURCE)
        }
        status => Err(unreadable(format!("could not be loaded: HTTP {status}"))),
    }
}

/// Shown instead of the console when the configuration is unusable, in both languages
/// (the locale itself may be what is wrong).
#[component]
pub fn ConfigProblem(error: ConfigError) -> impl IntoView {
    view! {
        <div class="opc-app">
            <div class="opc-error opc-error--page" role="alert">
                <strong class="opc-error__title">{Msg::ErrorTitle.text(Locale::ZhCn)} " / " {Msg::ErrorTitle.text(Locale::En)}</strong>
                <p class="opc-error__message">{error.message(Locale::ZhCn)}</p>
                <p class="opc-error__message">{error.message(Locale::En)}</p>
            </div>
        </div>
    }
}

/// A panic stops the wasm instance; instead of a frozen page the operator gets a box
/// that explains and offers a reload. The panic is still logged to the console. Used by the
/// standalone page and by every embedded mount (setting the hook again is harmless).
pub(crate) fn install_panic_box() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_panic_box();
    }));
}

/// Adds the panic box (`.opc-panic`, `role=alert`, both languages) with a focused Reload
/// button to the page, once. It is plain DOM with its own listener: it must work after the
/// wasm instance has stopped, so it needs nothing from Leptos.
fn show_panic_box() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    if document.query_selector(".opc-panic").ok().flatten().is_some() {
        return;
    }
    let Ok(panel) = document.create_element("div") else { return };
    panel.set_class_name("opc-panic");
    let _ = panel.set_attribute("role", "alert");
    let text = format!("{} / {}", Msg::Crashed.text(Locale::ZhCn), Msg::Crashed.text(Locale::En));
    panel.set_text_content(Some(&text));
    let button = document.create_element("button").ok().and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(button) = &button {
        button.set_text_content(Some("↻"));
        let _ = button.set_attribute("type", "button");
        let _ = button.set_attribute("aria-label", "Reload");
        let reload = Closure::<dyn FnMut()>::new(|| {
            let _ = web_sys::window().map(|w| w.location().reload());
        });
        let _ = button.add_event_listener_with_callback("click", reload.as_ref().unchecked_ref());
        reload.forget();
        let _ = panel.append_child(button);
    }
    if let Some(body) = document.body() {
        let _ = body.append_child(&panel);
    }
    // Keyboard users can reload at once with Enter.
    if let Some(button) = button {
        let _ = button.focus();
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    /// What the panic hook shows (the hook itself cannot run in a test: a panic aborts the
    /// test's wasm instance): a box that names the problem in both languages, with a
    /// focused Reload button, added once however often the hook runs.
    #[wasm_bindgen_test]
    fn the_panic_box_explains_and_offers_a_reload() {
        show_panic_box();
        show_panic_box();
        let document = web_sys::window().unwrap().document().unwrap();
        let boxes = document.query_selector_all(".opc-panic").unwrap();
        assert_eq!(boxes.length(), 1, "one box, however many panics");
        let panel: web_sys::HtmlElement = boxes.item(0).unwrap().dyn_into().unwrap();
        assert_eq!(panel.get_attribute("role").as_deref(), Some("alert"));
        let text = panel.text_content().unwrap_or_default();
        assert!(text.contains(Msg::Crashed.text(Locale::En)) && text.contains(Msg::Crashed.text(Locale::ZhCn)), "{text}");
        let button = panel.query_selector("button[aria-label=Reload]").unwrap().expect("a Reload button");
        assert_eq!(document.active_element(), Some(button), "focus is on Reload, not lost in a frozen page");
        panel.remove();
    }
}
