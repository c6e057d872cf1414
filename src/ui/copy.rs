use std::time::Duration;

use leptos::prelude::*;

use crate::app::use_ctx;
use crate::i18n::Msg;

/// A small button that copies `text` to the clipboard and says so for a moment.
/// `what` names the value for screen readers ("Copy Chat ID").
#[component]
pub fn CopyButton(#[prop(into)] text: String, what: Msg) -> impl IntoView {
    let ctx = use_ctx();
    let copied = RwSignal::new(false);
    let copy = move |ev: web_sys::MouseEvent| {
        // The button sits inside clickable rows: copying must not open the drawer.
        ev.stop_propagation();
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&text);
            copied.set(true);
            set_timeout(move || copied.try_set(false).map_or((), |_| ()), Duration::from_millis(1200));
        }
    };
    let label = move || {
        let action = if copied.get() { Msg::Copied } else { Msg::Copy };
        format!("{} {}", ctx.t(action), ctx.t(what))
    };
    view! {
        <button type="button" class="opc-copy" class:opc-copy--done=copied aria-label=label title=label on:click=copy
            on:keydown=|ev: web_sys::KeyboardEvent| ev.stop_propagation()>
            // An icon keeps rows quiet; the words are in the accessible name and tooltip.
            <span aria-hidden="true">{move || if copied.get() { "✓" } else { "⧉" }}</span>
        </button>
    }
}
