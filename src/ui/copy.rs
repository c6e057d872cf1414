use std::time::Duration;

use leptos::prelude::*;

use crate::app::use_ctx;
use crate::i18n::Msg;

/// A small button that copies `text` to the clipboard and says so for a moment.
/// `what` names the value for screen readers ("Copy Chat ID").
#[component]
pub fn CopyButton(#[prop(into)] text: Signal<String>, what: Msg) -> impl IntoView {
    let ctx = use_ctx();
    let copied = RwSignal::new(false);
    let copy = move |ev: web_sys::MouseEvent| {
        // The button sits inside clickable rows: copying must not open the drawer.
        ev.stop_propagation();
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&text.get_untracked());
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
            {move || if copied.get() {
                view! { <svg class="opc-icon" viewBox="0 0 16 16" aria-hidden="true"><path d="M3 8.5l3 3 7-7" /></svg> }.into_any()
            } else {
                view! {
                    <svg class="opc-icon" viewBox="0 0 16 16" aria-hidden="true">
                        <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" /><path d="M10.5 3.5v-.5a1.5 1.5 0 0 0-1.5-1.5h-5a1.5 1.5 0 0 0-1.5 1.5v5a1.5 1.5 0 0 0 1.5 1.5h.5" />
                    </svg>
                }.into_any()
            }}
        </button>
    }
}
