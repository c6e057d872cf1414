//! Events for the page around the console (DESIGN §5): `op-chat-open`, `op-search`,
//! `op-auth-expired`, `op-error`, dispatched on the host element, bubbling and composed
//! so they cross the shadow root. The token is never part of a payload.
//!
//! Host listeners run on a microtask, after the console's own state change has finished:
//! a listener may unmount the console (a portal switching to its login page) or remove
//! its element, which disposes the console's signals at once. Run synchronously, the
//! caller's next signal read would panic and, with `panic = "abort"`, stop the wasm
//! instance and every console on the page.

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, EventTarget};

use crate::api::SearchFilters;
use crate::time::format_date;

/// A request from the embedding page, through the mount handle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostCommand {
    Search(HostFilters),
    OpenChat(String),
}

/// `handle.search(filters)`: what is left out is blank, dates fall back to the default range.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct HostFilters {
    pub nick: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub tag: Option<String>,
    pub operator: Option<String>,
    pub title: Option<String>,
}

impl HostFilters {
    /// The filters to submit, with `default_range` for missing or unreadable dates.
    pub fn resolve(&self, default_range: crate::time::DateRange) -> SearchFilters {
        let date = |text: &Option<String>| text.as_deref().and_then(crate::time::parse_date);
        let (start, end) = match (date(&self.start), date(&self.end)) {
            (Some(start), Some(end)) if start <= end => (start, end),
            _ => (default_range.start, default_range.end),
        };
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        SearchFilters {
            nick: text(&self.nick),
            start,
            end,
            tag: text(&self.tag),
            operator: text(&self.operator),
            title: text(&self.title),
        }
    }
}

#[derive(Clone, Default)]
pub struct HostEvents {
    target: Option<EventTarget>,
    host_owns_token: bool,
}

impl HostEvents {
    pub fn on(target: EventTarget) -> Self {
        Self { target: Some(target), host_owns_token: false }
    }

    pub fn with_token_owner(self, host_owns_token: bool) -> Self {
        Self { host_owns_token, ..self }
    }

    /// True when the host supplies tokens, so an expired one is the host's to renew.
    pub fn host_owns_token(&self) -> bool {
        self.host_owns_token
    }

    pub fn chat_open(&self, chat_id: &str) {
        self.dispatch("op-chat-open", &[("chatId", chat_id.into())]);
    }

    pub fn search(&self, filters: &SearchFilters, total: u64) {
        let detail = object(&[
            ("nick", filters.nick.as_str().into()),
            ("start", format_date(filters.start).into()),
            ("end", format_date(filters.end).into()),
            ("tag", filters.tag.as_str().into()),
            ("operator", filters.operator.as_str().into()),
            ("title", filters.title.as_str().into()),
        ]);
        self.dispatch("op-search", &[("filters", detail.into()), ("total", (total as f64).into())]);
    }

    pub fn auth_expired(&self) {
        self.dispatch("op-auth-expired", &[]);
    }

    pub fn error(&self, kind: &str, message: &str) {
        self.dispatch("op-error", &[("kind", kind.into()), ("message", message.into())]);
    }

    fn dispatch(&self, name: &str, fields: &[(&str, JsValue)]) {
        let Some(target) = self.target.clone() else { return };
        let init = CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(&object(fields));
        if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
            // Deferred: see the module comment. A listener that throws is the browser's to
            // report; `dispatchEvent` itself returns normally.
            wasm_bindgen_futures::spawn_local(async move {
                let _ = target.dispatch_event(&event);
            });
        }
    }
}

fn object(fields: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (key, value) in fields {
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object
}
