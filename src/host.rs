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
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, EventTarget};

use crate::filters::{SearchFilters, TextFilter};
use crate::time::format_date;

/// A request from the embedding page, through the mount handle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostCommand {
    Search(HostFilters),
    OpenChat(String),
}

/// `handle.search(filters)`: `start`, `end` and each text filter's
/// [`host_key`](crate::filters::TextFilterSpec::host_key); what is left out is blank, dates
/// fall back to the default range, other keys are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostFilters {
    pub start: Option<String>,
    pub end: Option<String>,
    /// In [`TextFilter::ALL`] order.
    pub texts: [Option<String>; TextFilter::ALL.len()],
}

impl HostFilters {
    /// The filters to submit, with `default_range` for missing or unreadable dates.
    pub fn resolve(&self, default_range: crate::time::DateRange) -> SearchFilters {
        let date = |text: &Option<String>| text.as_deref().and_then(crate::time::parse_date);
        let (start, end) = match (date(&self.start), date(&self.end)) {
            (Some(start), Some(end)) if start <= end => (start, end),
            _ => (default_range.start, default_range.end),
        };
        let mut filters = SearchFilters::with_range(start, end);
        for (filter, text) in TextFilter::ALL.into_iter().zip(&self.texts) {
            *filters.text_mut(filter) = text.clone().unwrap_or_default();
        }
        filters
    }
}

impl<'de> Deserialize<'de> for HostFilters {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> Visitor<'de> for Fields {
            type Value = HostFilters;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of filters")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<HostFilters, A::Error> {
                let mut filters = HostFilters::default();
                while let Some(key) = map.next_key::<String>()? {
                    let slot = match key.as_str() {
                        "start" => &mut filters.start,
                        "end" => &mut filters.end,
                        _ => match TextFilter::ALL.iter().position(|f| f.spec().host_key == key) {
                            Some(i) => &mut filters.texts[i],
                            None => {
                                map.next_value::<IgnoredAny>()?;
                                continue;
                            }
                        },
                    };
                    *slot = map.next_value()?;
                }
                Ok(filters)
            }
        }
        deserializer.deserialize_map(Fields)
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
        let texts = |before_dates| TextFilter::placed(before_dates).map(|f| (f.spec().host_key, filters.text(f).into()));
        let fields: Vec<(&str, JsValue)> = texts(true)
            .chain([("start", format_date(filters.start).into()), ("end", format_date(filters.end).into())])
            .chain(texts(false))
            .collect();
        let detail = object(&fields);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{parse_date, DateRange};

    #[test]
    fn search_filters_from_the_host() {
        let range = DateRange { start: parse_date("2026-01-01").expect("date"), end: parse_date("2026-01-31").expect("date") };
        let host: HostFilters = serde_json::from_str(r#"{"nick":"阿洋","operator":"小李","start":"2015-01-01","end":"2015-12-31","x":[1]}"#).expect("filters");
        let filters = host.resolve(range);
        assert_eq!((filters.nick.as_str(), filters.operator.as_str(), filters.tag.as_str()), ("阿洋", "小李", ""));
        assert_eq!(filters.start, parse_date("2015-01-01").expect("date"));
        let host: HostFilters = serde_json::from_str(r#"{"title":null,"start":"2015-12-31","end":"2015-01-01"}"#).expect("filters");
        assert_eq!(host.resolve(range), SearchFilters::with_range(range.start, range.end), "reversed dates: the default range");
        assert!(serde_json::from_str::<HostFilters>(r#"{"nick":5}"#).is_err(), "a filter is a string");
    }
}
