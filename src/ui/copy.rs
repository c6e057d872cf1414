use std::time::Duration;

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::ctx::use_ctx;
use crate::i18n::Msg;

/// What a copy button has to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Idle,
    /// The browser said the text is on the clipboard.
    Copied,
    /// It could not or would not: the text is selected in a field, with a hint to copy it
    /// by hand.
    ByHand,
}

/// How long "Copied" stays.
const COPIED_FOR: Duration = Duration::from_millis(1200);

/// A small button that copies `text` to the clipboard, and says "Copied" only once the
/// browser has done it. Where the browser has no clipboard API (a plain-http address that
/// is not localhost) or refuses (no permission, page not focused), it shows the text
/// selected in a field with "Press Ctrl+C to copy". `what` names the value for screen
/// readers ("Copy Chat ID"). `with_text` shows those words beside the icon (a toolbar's
/// button); `in_grid` keeps the button out of the Tab order, for rows of the results
/// table, which is one Tab stop (the drawer copies the same values).
#[component]
pub fn CopyButton(
    #[prop(into)] text: Signal<String>,
    what: Msg,
    #[prop(optional)] with_text: bool,
    #[prop(optional)] in_grid: bool,
) -> impl IntoView {
    let ctx = use_ctx();
    let outcome = RwSignal::new(Outcome::Idle);
    let button = NodeRef::<html::Button>::new();
    let field = NodeRef::<html::Input>::new();
    // The button may be gone (a page flip, the drawer closed) when the browser answers or
    // a timer fires: hence `try_` everywhere after an await or a timeout.
    let show_copied = move || {
        if outcome.try_set(Outcome::Copied).is_none() {
            set_timeout(move || leave(outcome, Outcome::Copied), COPIED_FOR);
        }
    };
    let copy = move |_| {
        let value = text.get_untracked();
        leptos::task::spawn_local(async move {
            if write_clipboard(&value).await {
                show_copied();
                return;
            }
            if outcome.try_set(Outcome::ByHand).is_some() {
                return;
            }
            // The field is rendered on the next tick; then it takes focus with its text
            // selected, so that Ctrl+C copies exactly the value (a table cell shows a
            // shortened id).
            crate::time::sleep(Duration::ZERO).await;
            if let Some(input) = field.try_get_untracked().flatten() {
                let _ = input.focus();
                input.select();
            }
        });
    };
    let on_field_key = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            leave(outcome, Outcome::ByHand);
            if let Some(button) = button.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    // The copy itself happens after the `copy` event, from the field's selection: the field
    // must outlive the event, so it goes on the next tick.
    let on_field_copy = move |_| {
        set_timeout(
            move || {
                show_copied();
                if let Some(button) = button.try_get_untracked().flatten() {
                    let _ = button.focus();
                }
            },
            Duration::ZERO,
        )
    };
    let label = move || {
        let action = if outcome.get() == Outcome::Copied { Msg::Copied } else { Msg::Copy };
        format!("{} {}", ctx.t(action), ctx.t(what))
    };
    view! {
        // Inside clickable rows: neither a click nor a key here may open the drawer.
        <span class="opc-copy-wrap" on:click=|ev: web_sys::MouseEvent| ev.stop_propagation()
            on:keydown=|ev: web_sys::KeyboardEvent| ev.stop_propagation()>
            <button type="button" node_ref=button class="opc-copy" class:opc-copy--done=move || outcome.get() == Outcome::Copied
                class:opc-copy--text=with_text tabindex=in_grid.then_some("-1")
                aria-label=label title=label on:click=copy>
                // An icon keeps rows quiet; the words are in the accessible name and tooltip.
                {move || if outcome.get() == Outcome::Copied {
                    view! { <svg class="opc-icon" viewBox="0 0 16 16" aria-hidden="true"><path d="M3 8.5l3 3 7-7" /></svg> }.into_any()
                } else {
                    view! {
                        <svg class="opc-icon" viewBox="0 0 16 16" aria-hidden="true">
                            <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" /><path d="M10.5 3.5v-.5a1.5 1.5 0 0 0-1.5-1.5h-5a1.5 1.5 0 0 0-1.5 1.5v5a1.5 1.5 0 0 0 1.5 1.5h.5" />
                        </svg>
                    }.into_any()
                }}
                {with_text.then(|| view! { <span>{label}</span> })}
            </button>
            {move || (outcome.get() == Outcome::ByHand).then(|| view! {
                <span class="opc-copy__manual">
                    <input node_ref=field class="opc-input opc-copy__field" readonly aria-label=ctx.t(what)
                        prop:value=text.get_untracked() on:copy=on_field_copy on:blur=move |_| leave(outcome, Outcome::ByHand)
                        on:keydown=on_field_key />
                    <span class="opc-copy__hint" role="status">{ctx.t(Msg::CopyByHand)}</span>
                </span>
            })}
        </span>
    }
}

/// Back to the plain button, unless something else happened meanwhile.
fn leave(outcome: RwSignal<Outcome>, from: Outcome) {
    outcome.try_update(|o| {
        if *o == from {
            *o = Outcome::Idle;
        }
    });
}

/// Asks the browser to put `text` on the clipboard; true only once it says it did.
/// `navigator.clipboard` is missing outside secure contexts, and `writeText` may reject
/// (no permission, page not focused) or, when a host page replaced it, throw or be gone:
/// all of these are a plain `false`, never an exception in the click handler.
async fn write_clipboard(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let clipboard = js_sys::Reflect::get(&window.navigator(), &JsValue::from_str("clipboard")).unwrap_or(JsValue::UNDEFINED);
    let write = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText")).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(write) = write else { return false };
    match write.call1(&clipboard, &JsValue::from_str(text)) {
        Ok(answer) => JsFuture::from(js_sys::Promise::resolve(&answer)).await.is_ok(),
        Err(_) => false,
    }
}
