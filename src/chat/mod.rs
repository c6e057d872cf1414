//! The chat drawer (`Chat details`): opens over the results for `view.chat`, loads
//! `getChatInfo` (cached for a minute), follows `refChatId` links with a Back trail,
//! and steps through the results with Previous/Next (`k`/`j`), across pages (the rule is
//! the model's [`Stepper`]).

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;
mod cache;
mod details;
mod history;

use std::cell::RefCell;
use std::rc::Rc;

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::{ApiError, ChatInfo};
use crate::ctx::{request_series, use_ctx};
use crate::i18n::Msg;
use crate::model::search::use_search;
use crate::model::stepping::Stepper;
use crate::ui::lazy::split_view;
use crate::ui::{ErrorBox, Lazy};
use cache::ChatCache;
use details::ChatDetails;

const WIDTH_KEY: &str = "drawerWidth";
const MIN_WIDTH: i32 = 360;
const DEFAULT_WIDTH: i32 = 560;

/// What the drawer body shows.
#[derive(Clone)]
enum Load {
    Loading,
    Ready(Box<ChatInfo>),
    Failed(ApiError),
}

/// A drag of the drawer's edge in progress: which pointer, and where it started.
#[derive(Clone, Copy)]
struct Drag {
    pointer: i32,
    start_x: i32,
    start_width: i32,
}

/// The drawer comes in its own chunk of the split build: fetched once the first results are
/// painted, so that the first open rarely waits for it, and shown when a chat is opened.
/// A fetch that failed then says so only when the operator opens a chat.
#[component]
pub fn ChatDrawer() -> impl IntoView {
    let state = use_search();
    let settled = state.first_results_settled();
    Effect::new(move |fetched: Option<bool>| {
        if fetched == Some(true) || !settled.get() {
            return fetched == Some(true);
        }
        leptos::task::spawn_local(async {
            let _ = fetch_drawer().await;
        });
        true
    });
    let when = Signal::derive(move || state.view.with(|v| v.chat.is_some()));
    view! { <Lazy when load=drawer /> }
}

split_view! {
    drawer, preload fetch_drawer, fn drawer() {
        view! { <Drawer /> }.into_any()
    }
}

#[component]
fn Drawer() -> impl IntoView {
    let ctx = use_ctx();
    let state = use_search();
    let chat = Memo::new(move |_| state.view.with(|v| v.chat.clone()));
    let load = RwSignal::new(Load::Loading);
    let trail = RwSignal::new(Vec::<String>::new());
    let stepper = Stepper::new(state);
    let reload = RwSignal::new(0u32);
    let cache = StoredValue::new_local(Rc::new(RefCell::new(ChatCache::default())));
    history::provide_cache();
    let latest = request_series();
    let width = RwSignal::new(ctx.prefs().get(WIDTH_KEY).and_then(|w| w.parse().ok()).unwrap_or(DEFAULT_WIDTH));
    let dialog = NodeRef::<html::Div>::new();
    let close_button = NodeRef::<html::Button>::new();
    // The row that had focus when the drawer opened gets it back on close.
    let opened_from = StoredValue::new(None::<String>);

    // Load whenever the chat id changes (or Retry asks).
    Effect::new(move |_| {
        reload.track();
        let Some(chat_id) = chat.get() else {
            latest.with_value(|l| l.cancel());
            trail.set(Vec::new());
            stepper.cancel();
            return;
        };
        let now = js_sys::Date::now();
        if let Some(info) = cache.with_value(|c| c.borrow().get(&chat_id, now)) {
            latest.with_value(|l| l.cancel());
            load.set(Load::Ready(Box::new(info)));
            crate::perf::after_paint(|| crate::perf::mark("opc:drawer-rendered"));
            return;
        }
        load.set(Load::Loading);
        let latest = latest.get_value();
        let ticket = latest.begin();
        let cache = cache.get_value();
        let client = ctx.client();
        leptos::task::spawn_local(async move {
            let outcome = client.chat_info(&chat_id, ticket.signal()).await;
            if !latest.is_current(&ticket) {
                return;
            }
            match outcome {
                Ok(info) => {
                    cache.borrow_mut().put(&chat_id, js_sys::Date::now(), info.clone());
                    load.set(Load::Ready(Box::new(info)));
                    crate::perf::after_paint(|| crate::perf::mark("opc:drawer-rendered"));
                }
                Err(ApiError::Aborted) => {}
                Err(error) => {
                    load.set(Load::Failed(error.clone()));
                    ctx.report(&error);
                }
            }
        });
    });

    // Focus moves into the drawer when it opens and back to the row when it closes. The
    // document or shadow root is remembered while the dialog exists: once it is
    // unmounted its own root node is just the detached dialog.
    let console_root = StoredValue::new_local(None::<web_sys::Node>);
    Effect::new(move |was_open: Option<bool>| {
        let open = chat.with(Option::is_some);
        if open && was_open != Some(true) {
            opened_from.set_value(chat.get_untracked());
            // A width remembered on a wider screen would push the handle out of reach.
            width.update(|w| *w = clamp_width(*w, container_width()));
            request_animation_frame(move || {
                // `try_`: the host may have unmounted the console since (on op-chat-open).
                if let Some(button) = close_button.try_get_untracked().flatten() {
                    console_root.set_value(Some(button.get_root_node()));
                    let _ = button.focus();
                }
            });
        } else if !open && was_open == Some(true) {
            if let (Some(id), Some(root)) = (opened_from.get_value(), console_root.get_value()) {
                request_animation_frame(move || focus_row(&root, &id));
            }
        }
        open
    });

    let close = move || state.close_chat();
    // A step (or a page crossing) leaves the Back trail behind.
    let step = move |forward: bool| {
        if stepper.step(forward) {
            trail.set(Vec::new());
        }
    };
    let follow = move |target: String| {
        if let Some(current) = chat.get_untracked() {
            trail.update(|t| t.push(current));
        }
        state.open_chat(target);
    };
    let back = move || {
        let previous = trail.try_update(|t| t.pop()).flatten();
        if let Some(previous) = previous {
            state.open_chat(previous);
        }
    };
    let can_step = move |forward: bool| stepper.can_step(forward);

    // Keys are read at the window so that they still work when focus fell back to the
    // page body; `focus_is_near` keeps them from acting for a page around an embedded console.
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        let Some(dialog) = dialog.get_untracked() else { return };
        if chat.with_untracked(Option::is_none) || !crate::keys::focus_is_near(&dialog) {
            return;
        }
        match ev.key().as_str() {
            "Escape" => close(),
            "Tab" => return crate::keys::trap_focus(&ev, &dialog),
            "j" | "k" if !crate::keys::typing_in_field(&ev) && !ev.ctrl_key() && !ev.meta_key() && !ev.alt_key() => {
                step(ev.key() == "j")
            }
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || keys.remove());

    // Dragging the left edge resizes. The handle captures the pointer, so its moves and
    // release come to the handle wherever they happen, and the listeners are the handle's
    // own: they go with it, also when the console is unmounted in the middle of a drag.
    // `try_`: a capture released by that unmount may still be reported.
    let drag = StoredValue::new(None::<Drag>);
    let dragging = move |ev: &web_sys::PointerEvent| drag.try_get_value().flatten().filter(|d| d.pointer == ev.pointer_id());
    let resize_start = move |ev: web_sys::PointerEvent| {
        ev.prevent_default();
        if let Some(handle) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            // Refused for a pointer that is not down; the drag then follows the handle only.
            let _ = handle.set_pointer_capture(ev.pointer_id());
        }
        let start_width = width.get_untracked();
        drag.set_value(Some(Drag { pointer: ev.pointer_id(), start_x: ev.client_x(), start_width }));
    };
    let resize_move = move |ev: web_sys::PointerEvent| {
        if let Some(d) = dragging(&ev) {
            width.try_set(clamp_width(d.start_width + d.start_x - ev.client_x(), container_width()));
        }
    };
    let resize_end = move |ev: web_sys::PointerEvent| {
        if dragging(&ev).is_some() {
            drag.try_set_value(None);
            if let Some(w) = width.try_get_untracked() {
                ctx.prefs().set(WIDTH_KEY, &w.to_string());
            }
        }
    };
    // The browser took the pointer over (a touch turned into a scroll, say): undone.
    let resize_cancel = move |ev: web_sys::PointerEvent| {
        if let Some(d) = dragging(&ev) {
            drag.try_set_value(None);
            width.try_set(d.start_width);
        }
    };
    let resize_keys = move |ev: web_sys::KeyboardEvent| {
        let delta = match ev.key().as_str() {
            "ArrowLeft" => 40,
            "ArrowRight" => -40,
            _ => return,
        };
        ev.prevent_default();
        width.update(|w| *w = clamp_width(*w + delta, container_width()));
        ctx.prefs().set(WIDTH_KEY, &width.get_untracked().to_string());
    };

    let body = move || match load.get() {
        Load::Loading => view! { <DrawerSkeleton /> }.into_any(),
        Load::Failed(error) => view! {
            <ErrorBox error on_retry=Callback::new(move |_| reload.update(|r| *r += 1)) />
        }
        .into_any(),
        Load::Ready(info) => view! { <ChatDetails info=*info on_follow=Callback::new(follow) /> }.into_any(),
    };

    view! {
        <Show when=move || chat.with(Option::is_some)>
            // Built anew for every open, so its labels get a fixed language (see
            // `Ctx::with_fixed_locale`); this closure renders them again on a change.
            {move || {
                let ctx = ctx.with_fixed_locale();
                provide_context(ctx);
                view! {
                    <div class="opc-backdrop" on:click=move |_| close()></div>
                    <div class="opc-drawer" role="dialog" aria-modal="true" aria-label=move || ctx.t(Msg::ChatDetails)
                        node_ref=dialog style:width=move || format!("min(100%, {}px)", width.get())>
                        <div class="opc-drawer__handle" role="separator" aria-orientation="vertical" tabindex="0"
                            aria-valuenow=move || width.get().to_string() aria-valuemin=MIN_WIDTH.to_string()
                            on:pointerdown=resize_start on:pointermove=resize_move on:pointerup=resize_end
                            on:lostpointercapture=resize_end on:pointercancel=resize_cancel on:keydown=resize_keys></div>
                        <header class="opc-drawer__bar">
                            <Show when=move || trail.with(|t| !t.is_empty())>
                                <button type="button" class="opc-button opc-button--ghost" aria-label=move || ctx.t(Msg::Back)
                                    on:click=move |_| back()>
                                    "← " {move || ctx.t(Msg::Back)}
                                </button>
                            </Show>
                            <h2 class="opc-drawer__title">{move || ctx.t(Msg::ChatDetails)}</h2>
                            <button type="button" class="opc-button opc-button--icon" aria-label=move || ctx.t(Msg::PreviousChat)
                                title=move || format!("{} (k)", ctx.t(Msg::PreviousChat))
                                aria-disabled=move || (!can_step(false)).to_string() on:click=move |_| step(false)>"↑"</button>
                            <button type="button" class="opc-button opc-button--icon" aria-label=move || ctx.t(Msg::NextChat)
                                title=move || format!("{} (j)", ctx.t(Msg::NextChat))
                                aria-disabled=move || (!can_step(true)).to_string() on:click=move |_| step(true)>"↓"</button>
                            <button type="button" class="opc-button opc-button--icon" node_ref=close_button
                                aria-label=move || ctx.t(Msg::Close) title=move || format!("{} (Esc)", ctx.t(Msg::Close))
                                on:click=move |_| close()>"✕"</button>
                        </header>
                        <div class="opc-drawer__body">
                            // The results' own error (a page crossing that failed, say), with
                            // its Retry: the table's is behind the drawer.
                            {move || state.error.get().map(|error| view! {
                                <ErrorBox error on_retry=Callback::new(move |_| state.retry()) />
                            })}
                            {body}
                        </div>
                    </div>
                }
            }}
        </Show>
    }
}

#[component]
fn DrawerSkeleton() -> impl IntoView {
    view! {
        <div class="opc-drawer__skeleton" aria-busy="true">
            {(0..6).map(|_| view! { <span class="opc-skeleton__bar"></span> }).collect_view()}
        </div>
    }
}

/// Focuses the results row of `chat_id` under `root` (the document or the console's
/// shadow root), matching the attribute rather than building a selector from a
/// server-supplied id.
fn focus_row(root: &web_sys::Node, chat_id: &str) {
    let rows = root
        .dyn_ref::<web_sys::Document>()
        .map(|d| d.query_selector_all("tr.opc-row"))
        .or_else(|| root.dyn_ref::<web_sys::ShadowRoot>().map(|s| s.query_selector_all("tr.opc-row")));
    let Some(Ok(rows)) = rows else { return };
    let found = (0..rows.length())
        .filter_map(|i| rows.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()))
        .find(|row| row.get_attribute("data-chat-id").as_deref() == Some(chat_id));
    if let Some(row) = found {
        crate::keys::focus(&row);
    }
}

/// The width the drawer can take: its containing block is the viewport (it is fixed).
fn container_width() -> Option<i32> {
    let root = web_sys::window()?.document()?.document_element()?;
    Some(root.client_width()).filter(|w| *w > 0)
}

/// A drawer width between [`MIN_WIDTH`] and the container's (the minimum wins on a
/// container narrower than it; the stylesheet caps the drawer at 100% there).
fn clamp_width(width: i32, container: Option<i32>) -> i32 {
    width.clamp(MIN_WIDTH, container.unwrap_or(i32::MAX).max(MIN_WIDTH))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_stay_within_the_container() {
        assert_eq!(clamp_width(5000, Some(1280)), 1280);
        assert_eq!(clamp_width(100, Some(1280)), MIN_WIDTH);
        assert_eq!(clamp_width(700, Some(1280)), 700);
        assert_eq!(clamp_width(700, Some(300)), MIN_WIDTH);
        assert_eq!(clamp_width(5000, None), 5000);
    }
}
