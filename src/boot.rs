//! Start-up of the standalone page: panic box, `config.json`, then the [`App`].

use std::cell::{Cell, RefCell};
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
/// that explains and offers a way out. The panic is still logged to the console. Used by
/// the standalone page and by every embedded mount (setting the hook again is harmless).
pub(crate) fn install_panic_box() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_panic_box();
    }));
}

thread_local! {
    /// The embedded consoles of this wasm instance, by mount: a panic stops all of them.
    static EMBEDDED: RefCell<Vec<(u64, Embedded)>> = const { RefCell::new(Vec::new()) };
    static NEXT_ID: Cell<u64> = const { Cell::new(0) };
}

/// Where an embedded console's panic box goes and what its button does.
struct Embedded {
    root: web_sys::ShadowRoot,
    /// The console's own container, hidden behind the box (it no longer responds).
    container: web_sys::HtmlElement,
    /// From `op-console.js`: mounts this console again in a fresh wasm instance.
    restart: js_sys::Function,
    /// The box is shown once per console, however often the hook runs.
    shown: Cell<bool>,
}

/// Keeps an embedded console on the panic box's list until dropped (at unmount).
pub(crate) struct PanicTarget(u64);

impl Drop for PanicTarget {
    fn drop(&mut self) {
        let _ = EMBEDDED.try_with(|list| list.borrow_mut().retain(|(id, _)| *id != self.0));
    }
}

/// Puts an embedded console on the panic box's list: a panic shows the box inside `root`
/// (styled by the console's stylesheet, not the portal's page) and its button calls
/// `restart` instead of reloading the whole portal.
pub(crate) fn register_embedded(root: web_sys::ShadowRoot, container: web_sys::HtmlElement, restart: js_sys::Function) -> PanicTarget {
    let id = NEXT_ID.with(|next| {
        next.set(next.get() + 1);
        next.get()
    });
    EMBEDDED.with(|list| list.borrow_mut().push((id, Embedded { root, container, restart, shown: Cell::new(false) })));
    PanicTarget(id)
}

/// Shows the panic box (`.opc-panic`, `role=alert`, both languages) with a focused button:
/// in each embedded console's root, else (standalone) on the page with Reload. Once per
/// place. It is plain DOM with a JavaScript listener: it must work after the wasm instance
/// has stopped, so it needs nothing from Leptos.
fn show_panic_box() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    // `try_`: the panic may have struck while the list was being changed.
    let shown_embedded = EMBEDDED.try_with(|list| {
        let Ok(list) = list.try_borrow() else { return false };
        for (_, console) in list.iter().filter(|(_, console)| !console.shown.replace(true)) {
            console.container.set_hidden(true);
            add_panic_box(&document, &console.root, "opc-panic opc-panic--embedded", &console.restart);
        }
        !list.is_empty()
    });
    if shown_embedded.unwrap_or(false) || document.query_selector(".opc-panic").ok().flatten().is_some() {
        return;
    }
    let Some(body) = document.body() else { return };
    let reload = Closure::<dyn FnMut()>::new(|| {
        let _ = web_sys::window().map(|w| w.location().reload());
    });
    add_panic_box(&document, &body, "opc-panic", reload.as_ref().unchecked_ref());
    reload.forget();
}

/// Appends one panic box to `parent`, its button calling `on_click`, and focuses the
/// button so keyboard users can act at once with Enter.
fn add_panic_box(document: &web_sys::Document, parent: &web_sys::Node, class: &str, on_click: &js_sys::Function) {
    let Ok(panel) = document.create_element("div") else { return };
    panel.set_class_name(class);
    let _ = panel.set_attribute("role", "alert");
    let text = format!("{} / {}", Msg::Crashed.text(Locale::ZhCn), Msg::Crashed.text(Locale::En));
    panel.set_text_content(Some(&text));
    let button = document.create_element("button").ok().and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(button) = &button {
        button.set_text_content(Some("↻"));
        let _ = button.set_attribute("type", "button");
        let _ = button.set_attribute("aria-label", "Reload");
        let _ = button.add_event_listener_with_callback("click", on_click);
        let _ = panel.append_child(button);
    }
    let _ = parent.append_child(&panel);
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

    /// Embedded, the box goes inside each console's own shadow root (styled by its
    /// stylesheet, not the portal's page), hides the stopped console, and its button
    /// restarts that console through `op-console.js`, never reloading the portal.
    #[wasm_bindgen_test]
    fn an_embedded_panic_box_stays_in_the_console_and_restarts_it() {
        let document = web_sys::window().unwrap().document().unwrap();
        let restarts = std::rc::Rc::new(Cell::new(0));
        let consoles: Vec<_> = (0..2)
            .map(|_| {
                let host = document.create_element("div").unwrap();
                document.body().unwrap().append_child(&host).unwrap();
                let root = host.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open)).unwrap();
                let container: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
                root.append_child(&container).unwrap();
                let counted = restarts.clone();
                let restart = Closure::<dyn FnMut()>::new(move || counted.set(counted.get() + 1)).into_js_value();
                let target = register_embedded(root.clone(), container.clone(), restart.unchecked_into());
                (host, root, container, target)
            })
            .collect();
        show_panic_box();
        show_panic_box();
        assert!(document.query_selector(".opc-panic").unwrap().is_none(), "nothing on the portal's page");
        let boxes_in = |root: &web_sys::ShadowRoot| -> Vec<web_sys::Element> {
            let nodes = root.child_nodes();
            (0..nodes.length())
                .filter_map(|i| nodes.item(i)?.dyn_into::<web_sys::Element>().ok())
                .filter(|e| e.class_name().split(' ').any(|c| c == "opc-panic"))
                .collect()
        };
        for (_, root, container, _) in &consoles {
            assert_eq!(boxes_in(root).len(), 1, "one box per console");
            assert!(container.hidden(), "the stopped console is hidden behind its box");
        }
        let first_box = boxes_in(&consoles[0].1).remove(0);
        let button: web_sys::HtmlElement = first_box.query_selector("button[aria-label=Reload]").unwrap().unwrap().unchecked_into();
        button.click();
        assert_eq!(restarts.get(), 1, "the button restarts its console");
        for (host, _, _, target) in consoles {
            drop(target);
            host.remove();
        }
        // Unregistered at unmount: the standalone page's box is back to the body.
        show_panic_box();
        let boxes = document.query_selector_all("body > .opc-panic").unwrap();
        assert_eq!(boxes.length(), 1);
        boxes.item(0).unwrap().unchecked_into::<web_sys::Element>().remove();
    }
}
