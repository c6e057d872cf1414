//! Reads and writes the view state in the page address, in the configured mode
//! (`query`, `hash` or `none`), keeping the host page's own parameters intact.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::search::History;
use super::view_state::{self, Defaults, ViewState};
use crate::config::UrlSync as Mode;

/// This console's view state in the page address (`urlSync` mode, `urlPrefix`).
pub struct AddressBar {
    mode: Mode,
    prefix: String,
}

/// Stops listening when dropped.
pub struct Listener(Vec<WindowListenerHandle>);

impl Drop for Listener {
    fn drop(&mut self) {
        for handle in self.0.drain(..) {
            handle.remove();
        }
    }
}

impl AddressBar {
    pub fn new(mode: Mode, prefix: &str) -> Self {
        Self { mode, prefix: prefix.to_string() }
    }

    /// The address bar's parameters now: the host page's and every console's, ours among
    /// them (readers pick ours by prefix; writers keep the others).
    fn current_pairs(&self) -> Vec<(String, String)> {
        let Some(location) = web_sys::window().map(|w| w.location()) else { return Vec::new() };
        match self.mode {
            Mode::Query => view_state::parse_query(&location.search().unwrap_or_default()),
            Mode::Hash => view_state::parse_query(view_state::split_hash(&location.hash().unwrap_or_default()).1),
            Mode::None => Vec::new(),
        }
    }

    /// Whether the address holds any of our parameters now.
    pub fn names_a_view(&self) -> bool {
        view_state::names_a_view(&self.current_pairs(), &self.prefix)
    }

    pub fn read(&self, defaults: &Defaults) -> ViewState {
        view_state::decode(&self.current_pairs(), &self.prefix, defaults)
    }

    pub fn write(&self, view: &ViewState, defaults: &Defaults, history: History) {
        if self.mode == Mode::None || history == History::Keep {
            return;
        }
        let Some(window) = web_sys::window() else { return };
        let location = window.location();
        let pairs = view_state::merge(&self.current_pairs(), &self.prefix, view_state::encode(view, &self.prefix, defaults));
        let query = view_state::to_query(&pairs);
        let path = location.pathname().unwrap_or_default();
        let hash = location.hash().unwrap_or_default();
        let url = match self.mode {
            Mode::Query => format!("{path}{}{query}{hash}", if query.is_empty() { "" } else { "?" }),
            _ => {
                let search = location.search().unwrap_or_default();
                let route = view_state::split_hash(&hash).0;
                let joiner = if route.is_empty() { "" } else { "?" };
                format!("{path}{search}#{route}{joiner}{query}")
            }
        };
        let Ok(history_api) = window.history() else { return };
        let _ = match history {
            History::Push => history_api.push_state_with_url(&JsValue::NULL, "", Some(&url)),
            History::PushDrawer(depth) => history_api.push_state_with_url(&self.depth_state(depth), "", Some(&url)),
            // The entry keeps its state: a step in the drawer stays as deep as it was.
            _ => history_api.replace_state_with_url(&history_api.state().unwrap_or(JsValue::NULL), "", Some(&url)),
        };
    }

    /// The key of this console's drawer depth in `history.state` (one per `urlPrefix`, so
    /// that two linked consoles on one page do not read each other's).
    fn depth_key(&self) -> String {
        format!("{}opcDrawer", self.prefix)
    }

    fn depth_state(&self, depth: u32) -> JsValue {
        if depth == 0 {
            return JsValue::NULL;
        }
        let state = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&state, &JsValue::from_str(&self.depth_key()), &JsValue::from(depth));
        state.into()
    }

    /// How many entries the open drawer pushed above the one it was opened from, as the
    /// current history entry records it; 0 for a drawer from a deep link (or none at all,
    /// or no URL sync).
    pub fn drawer_depth(&self) -> u32 {
        if self.mode == Mode::None {
            return 0;
        }
        let state = web_sys::window().and_then(|w| w.history().ok()).and_then(|h| h.state().ok());
        let depth = state.and_then(|s| js_sys::Reflect::get(&s, &JsValue::from_str(&self.depth_key())).ok()).and_then(|d| d.as_f64());
        // A number written by someone else could be anything: only whole counts are used.
        depth.filter(|d| d.fract() == 0.0 && *d >= 0.0 && *d <= f64::from(u32::MAX)).map_or(0, |d| d as u32)
    }

    /// Goes `depth` entries back (the popstate listener then restores that view).
    pub fn go_back(&self, depth: u32) {
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.go_with_delta(-i32::try_from(depth).unwrap_or(i32::MAX));
        }
    }

    /// Calls `on_change` with the restored view on Back/Forward (and, in hash mode, when
    /// the hash is edited by hand).
    pub fn listen(&self, defaults: Defaults, on_change: impl Fn(ViewState) + Clone + 'static) -> Listener {
        if self.mode == Mode::None {
            return Listener(Vec::new());
        }
        let reader = AddressBar::new(self.mode, &self.prefix);
        let read = std::rc::Rc::new(move || reader.read(&defaults));
        let mut handles = Vec::new();
        {
            let (read, on_change) = (read.clone(), on_change.clone());
            handles.push(window_event_listener(leptos::ev::popstate, move |_| on_change(read())));
        }
        if self.mode == Mode::Hash {
            handles.push(window_event_listener(leptos::ev::hashchange, move |_| on_change(read())));
        }
        Listener(handles)
    }
}
