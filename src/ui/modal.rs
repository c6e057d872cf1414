//! A modal dialog: a native `<dialog>` shown with `showModal()`, so the rest of the page
//! is inert and the dialog sits in the top layer (inside the console's own shadow root,
//! DESIGN §5); Tab and Shift+Tab stay inside, Esc closes, and focus goes back to the
//! control that opened it.

use leptos::html;
use leptos::prelude::*;

use crate::ctx::use_ctx;
use crate::i18n::Msg;

/// Shown while `open` is true. The content is built on each opening, so it starts afresh.
#[component]
pub fn Modal(
    open: RwSignal<bool>,
    title: Msg,
    /// Gets focus back when the dialog closes.
    return_focus: NodeRef<html::Button>,
    children: ChildrenFn,
) -> impl IntoView {
    let ctx = use_ctx();
    let dialog = NodeRef::<html::Dialog>::new();
    Effect::new(move |was_open: Option<bool>| {
        let is_open = open.get();
        let Some(element) = dialog.get() else { return is_open };
        if is_open && !element.open() {
            let _ = element.show_modal();
            // The content may be drawn after this: focus its first field once it is.
            set_timeout(move || focus_first(dialog), std::time::Duration::ZERO);
        } else if !is_open && element.open() {
            element.close();
        }
        if was_open == Some(true) && !is_open {
            if let Some(button) = return_focus.get_untracked() {
                let _ = button.focus();
            }
        }
        is_open
    });
    let keys = move |ev: web_sys::KeyboardEvent| {
        let Some(element) = dialog.get_untracked() else { return };
        match ev.key().as_str() {
            "Escape" => {
                // Also keeps the browser's own cancel from closing it behind our back.
                ev.prevent_default();
                ev.stop_propagation();
                open.set(false);
            }
            "Tab" => crate::keys::trap_focus(&ev, &element),
            _ => {}
        }
    };
    view! {
        <dialog class="opc-modal" node_ref=dialog aria-label=move || ctx.t(title) on:keydown=keys
            on:close=move |_| open.set(false)>
            <h2 class="opc-modal__title">{move || ctx.t(title)}</h2>
            <Show when=move || open.get()>{children()}</Show>
        </dialog>
    }
}

/// Focuses the dialog's `autofocus` field, else its first control (`showModal` did so only
/// for what was drawn by then).
fn focus_first(dialog: NodeRef<html::Dialog>) {
    let Some(dialog) = dialog.get_untracked() else { return };
    let target = dialog
        .query_selector("[autofocus]")
        .ok()
        .flatten()
        .or_else(|| dialog.query_selector("input, button:not([disabled]), select").ok().flatten());
    if let Some(target) = target {
        crate::keys::focus(&target);
    }
}
