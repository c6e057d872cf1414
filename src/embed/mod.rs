//! The embedding API behind `op-console.js` (DESIGN §5): `mount(element, options)` puts a
//! console in the element's shadow root, with the host's token and sign callbacks, and
//! returns a handle to search, open a chat, or unmount it. The custom element
//! `<op-chat-search>` (in `op-console.js`) is built on the same call.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlElement, ShadowRootInit, ShadowRootMode};

use crate::api::client::{fixed_token, TokenFn};
use crate::api::sign::{HostSigner, LocalFuture, Sign, SignContext};
use crate::api::error::{HostCallback, HostFailure};
use crate::api::ApiError;
use crate::app::{App, Setup, TokenSource};
use crate::boot::{load_config, register_embedded, ConfigProblem, PanicTarget};
use crate::config::{Config, ConfigError};
use crate::host::{HostCommand, HostEvents, HostFilters};

/// What `mount` and the handle throw at the embedding page. In English: it is for the
/// page's developer (the browser console), not the operator, who sees problems inside the
/// console in their language. Thrown as `Error` objects, so they carry a stack.
#[derive(Debug, thiserror::Error)]
enum EmbedError {
    #[error("op-console: the element is not in a document")]
    NoDocument,
    #[error("op-console: <{0}> cannot have a shadow root; mount into a <div> or a custom element")]
    NoShadowRoot(String),
    #[error("op-console: search(filters): {0}")]
    Filters(String),
}

impl From<EmbedError> for JsValue {
    fn from(error: EmbedError) -> Self {
        js_sys::Error::new(&error.to_string()).into()
    }
}

/// Option keys that are not configuration. (`sign` is: a recipe object is read like
/// config.json's; a `sign` function never reaches the JSON layers.)
const NOT_CONFIG: [&str; 3] = ["id", "token", "getToken"];

/// What `mount` resolves to in JavaScript.
#[wasm_bindgen]
pub struct EmbedHandle {
    /// What this mount added to the shadow root: its stylesheet link and container. Only
    /// these are removed, so a remount that overlaps this one is left intact.
    nodes: Vec<web_sys::Element>,
    mounted: Option<Box<dyn std::any::Any>>,
    commands: Option<RwSignal<Option<HostCommand>>>,
    _panic_target: Option<PanicTarget>,
}

#[wasm_bindgen]
impl EmbedHandle {
    /// Removes the console and everything it started: DOM, listeners, timers, requests.
    pub fn unmount(&mut self) {
        self._panic_target = None;
        self.commands = None;
        // Dropping Leptos' unmount handle runs every cleanup of the console's owner.
        self.mounted = None;
        for node in self.nodes.drain(..) {
            node.remove();
        }
    }

    /// Runs a search: `{nick, start, end, tag, operator, title}`, dates as `YYYY-MM-DD`;
    /// what is left out is blank (dates: the default range).
    pub fn search(&self, filters: JsValue) -> Result<(), JsValue> {
        let filters: HostFilters = from_js(&filters).map_err(EmbedError::Filters)?;
        self.send(HostCommand::Search(filters));
        Ok(())
    }

    #[wasm_bindgen(js_name = openChat)]
    pub fn open_chat(&self, chat_id: String) {
        self.send(HostCommand::OpenChat(chat_id));
    }

    fn send(&self, command: HostCommand) {
        if let Some(commands) = self.commands {
            // Fails quietly after the console is gone.
            let _ = commands.try_set(Some(command));
        }
    }
}

/// Mounts a console into `element`'s (open) shadow root, styled by `stylesheet`.
/// `restart` (from `op-console.js`) mounts it again in a fresh wasm instance; the panic
/// box inside the console calls it.
#[wasm_bindgen]
pub async fn mount(element: HtmlElement, options: JsValue, stylesheet: String, restart: Function) -> Result<EmbedHandle, JsValue> {
    crate::boot::install_panic_box();
    let shadow = match element.shadow_root() {
        Some(shadow) => shadow,
        None => element
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .map_err(|_| EmbedError::NoShadowRoot(element.tag_name().to_ascii_lowercase()))?,
    };
    let document = element.owner_document().ok_or(EmbedError::NoDocument)?;
    let link = document.create_element("link")?;
    link.set_attribute("rel", "stylesheet")?;
    link.set_attribute("href", &stylesheet)?;
    shadow.append_child(&link)?;
    let container: HtmlElement = document.create_element("div")?.unchecked_into();
    shadow.append_child(&container)?;
    let container_for_mount = container.clone();
    let panic_target = register_embedded(shadow.clone(), container.clone(), restart);

    let events = HostEvents::on(element.clone().into());
    let layers = from_js::<Value>(&options).map_err(|e| ConfigError::new("mount options", "(options)", e));
    let config = match (layers, callback_problem(&options)) {
        (Ok(layers), None) => embedded_config(load_config().await, &layers),
        (Err(error), _) | (_, Some(error)) => Err(error),
    };
    let commands = Rc::new(Cell::new(None));
    let mounted: Box<dyn std::any::Any> = match config {
        Ok(config) => {
            let scope = string_option(&options, "id").or_else(|| Some(element.id()).filter(|id| !id.is_empty())).unwrap_or_else(|| {
                if config.url_prefix.is_empty() { "embedded".into() } else { config.url_prefix.clone() }
            });
            let token = host_token(&options).map_or(TokenSource::SignIn, TokenSource::Host);
            let signer: Rc<dyn Sign> = match function_option(&options, "sign") {
                Some(sign) => Rc::new(HostSigner(host_sign(sign))),
                None => Rc::new(config.sign.clone()),
            };
            let slot = commands.clone();
            Box::new(leptos::mount::mount_to(container_for_mount, move || {
                let host_commands = RwSignal::new(None);
                slot.set(Some(host_commands));
                let setup = Setup { config, token, signer, events, scope, commands: Some(host_commands) };
                view! { <App setup /> }
            }))
        }
        Err(error) => {
            events.error("config", &error.to_string());
            Box::new(leptos::mount::mount_to(container_for_mount, move || view! { <ConfigProblem error /> }))
        }
    };
    Ok(EmbedHandle {
        nodes: vec![link, container.into()],
        mounted: Some(mounted),
        commands: commands.take(),
        _panic_target: Some(panic_target),
    })
}

/// defaults < config.json < `urlSync: none` (an embedded console leaves the host's
/// address alone unless asked) < the mount options.
fn embedded_config(file: Result<Config, ConfigError>, options: &Value) -> Result<Config, ConfigError> {
    let mut options = options.clone();
    if let Some(fields) = options.as_object_mut() {
        fields.retain(|key, _| !NOT_CONFIG.contains(&key.as_str()));
    }
    file?.merged(&serde_json::json!({ "urlSync": "none" }), "embedding")?.merged(&options, "mount options")
}

/// `token` and `getToken` are not configuration keys, but a wrong type is as much a
/// mistake: a number token or a `getToken` string would otherwise be dropped silently.
fn callback_problem(options: &JsValue) -> Option<ConfigError> {
    let wrong = |key: &str, fits: fn(&JsValue) -> bool, expected: &str| {
        let value = Reflect::get(options, &key.into()).ok().filter(|v| !v.is_undefined() && !v.is_null())?;
        (!fits(&value)).then(|| ConfigError::new("mount options", key, format!("must be {expected}")))
    };
    wrong("getToken", JsValue::is_function, "a function").or_else(|| wrong("token", JsValue::is_string, "a string"))
}

/// The host's token: `options.token` (a string) or `options.getToken()` (a string or a
/// Promise of one), asked again for every request. An empty string means signed out.
fn host_token(options: &JsValue) -> Option<TokenFn> {
    if let Some(get_token) = function_option(options, "getToken") {
        return Some(Rc::new(move || {
            let called = get_token.call0(&JsValue::NULL);
            Box::pin(async move { host_string(HostCallback::GetToken, called).await.map(Some) }) as LocalFuture<'static, _>
        }));
    }
    string_option(options, "token").map(|token| fixed_token(Some(token)))
}

/// The host's `sign(ctx)` with `ctx = {path, query, body}` (`query`: the encoded query
/// string without `sign`); it answers a string or a Promise of one, `""` for no `sign`.
fn host_sign(sign: Function) -> crate::api::sign::HostSignFn {
    Rc::new(move |ctx: &SignContext| {
        let argument = js_sys::Object::new();
        let _ = Reflect::set(&argument, &"path".into(), &ctx.path.as_str().into());
        let _ = Reflect::set(&argument, &"query".into(), &crate::api::request::encode_query(&ctx.query).into());
        let _ = Reflect::set(&argument, &"body".into(), &ctx.body.as_str().into());
        let called = sign.call1(&JsValue::NULL, &argument);
        Box::pin(async move {
            let value = host_string(HostCallback::Sign, called).await?;
            Ok(Some(value).filter(|s| !s.is_empty()))
        })
    })
}

/// A callback's answer as a string: thenables (native Promises or any object with a
/// callable `then`) are awaited; a throw, a rejection or anything but a string is a host
/// error that names the callback, so no request goes out with a wrong or missing value.
async fn host_string(callback: HostCallback, called: Result<JsValue, JsValue>) -> Result<String, ApiError> {
    let failed = |failure| ApiError::Host { callback, failure };
    let value = called.map_err(|e| failed(HostFailure::Threw(describe(e))))?;
    let is_thenable = value.is_object() && Reflect::get(&value, &"then".into()).is_ok_and(|then| then.is_function());
    let value = if is_thenable {
        JsFuture::from(Promise::resolve(&value)).await.map_err(|e| failed(HostFailure::Threw(describe(e))))?
    } else {
        value
    };
    value.as_string().ok_or_else(|| failed(HostFailure::NotAString(type_of(&value))))
}

/// What a wrong answer was, for the operator's and the developer's eyes: `undefined`,
/// `null`, `number 42`, `boolean true`, `object`, `function`.
fn type_of(value: &JsValue) -> String {
    if value.is_undefined() {
        "undefined".into()
    } else if value.is_null() {
        "null".into()
    } else if let Some(number) = value.as_f64() {
        format!("number {number}")
    } else if let Some(flag) = value.as_bool() {
        format!("boolean {flag}")
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    }
}

fn describe(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "an exception".into())
}

fn function_option(options: &JsValue, key: &str) -> Option<Function> {
    Reflect::get(options, &key.into()).ok()?.dyn_into().ok()
}

fn string_option(options: &JsValue, key: &str) -> Option<String> {
    Reflect::get(options, &key.into()).ok()?.as_string().filter(|s| !s.is_empty())
}

/// A JS object as serde data (functions and `undefined` are dropped on the way).
fn from_js<T: serde::de::DeserializeOwned>(value: &JsValue) -> Result<T, String> {
    if value.is_undefined() || value.is_null() {
        return serde_json::from_str("{}").map_err(|e| e.to_string());
    }
    let text = js_sys::JSON::stringify(value).map_err(|_| "not serialisable to JSON".to_string())?;
    serde_json::from_str(&String::from(text)).map_err(|e| e.to_string())
}
