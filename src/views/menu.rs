//! The "Views" menu button (WAI-ARIA menu button pattern): Enter, Space or ↓ open the
//! menu on its first item, ↑ on its last; in the menu ↑/↓ move round, Home/End go to the
//! ends, a letter to the next item starting with it, Enter or Space activate, Esc closes
//! and gives focus back to the button, Tab closes and moves on.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent};

use super::dialogs::{ManageDialog, SaveDialog};
use super::use_saved_views;
use crate::ctx::use_ctx;
use crate::i18n::Msg;
use crate::ui::lazy::split_view;
use crate::ui::Lazy;

/// The menu and its dialogs come in the split build's `after_results` chunk, loaded once
/// the first results are there.
#[component]
pub fn ViewsMenu() -> impl IntoView {
    let when = crate::model::search::use_search().first_results_settled();
    view! { <Lazy when load=views_menu /> }
}

split_view! {
    after_results, fn views_menu() {
        view! { <Menu /> }.into_any()
    }
}

#[component]
fn Menu() -> impl IntoView {
    let ctx = use_ctx();
    let views = use_saved_views();
    let open = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let managing = RwSignal::new(false);
    let status = RwSignal::new(String::new());
    let button = NodeRef::<html::Button>::new();
    let menu = NodeRef::<html::Ul>::new();

    // The DOM is changed here as well as through `open`, so that focus can move into the
    // menu in the same event (the reactive update lands a little later).
    let show = move |at_end: bool| {
        open.set(true);
        let Some(menu) = menu.get_untracked() else { return };
        menu.set_hidden(false);
        let items = menu_items(&menu);
        if let Some(item) = if at_end { items.last() } else { items.first() } {
            let _ = item.focus();
        }
    };
    let hide = move |refocus: bool| {
        open.set(false);
        if let Some(menu) = menu.get_untracked() {
            menu.set_hidden(true);
        }
        if refocus {
            if let Some(button) = button.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    let button_keys = move |ev: KeyboardEvent| match ev.key().as_str() {
        "ArrowDown" => {
            ev.prevent_default();
            show(false);
        }
        "ArrowUp" => {
            ev.prevent_default();
            show(true);
        }
        _ => {}
    };
    let menu_keys = move |ev: KeyboardEvent| {
        let Some(menu) = menu.get_untracked() else { return };
        let items = menu_items(&menu);
        let current = ev.target().and_then(|t| t.dyn_into::<HtmlElement>().ok());
        let at = current.as_ref().and_then(|c| items.iter().position(|i| i == c));
        let count = items.len();
        let target = match ev.key().as_str() {
            "ArrowDown" => at.map_or(0, |i| (i + 1) % count),
            "ArrowUp" => at.map_or(count.saturating_sub(1), |i| (i + count - 1) % count),
            "Home" => 0,
            "End" => count.saturating_sub(1),
            "Escape" => {
                ev.prevent_default();
                ev.stop_propagation();
                return hide(true);
            }
            "Tab" => return hide(false),
            "Enter" | " " => {
                ev.prevent_default();
                if let Some(item) = current {
                    item.click();
                }
                return;
            }
            key => match typeahead(&items, at, key) {
                Some(index) => index,
                None => return,
            },
        };
        ev.prevent_default();
        if let Some(item) = items.get(target) {
            let _ = item.focus();
        }
    };
    // Focus leaving the menu and its button (a click elsewhere, Shift+Tab) closes it.
    let focus_left = move |ev: web_sys::FocusEvent| {
        let Some(root) = menu.get_untracked().and_then(|m| m.parent_element()) else { return };
        let inside = ev.related_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok()).is_some_and(|n| root.contains(Some(&n)));
        if !inside && open.get_untracked() {
            hide(false);
        }
    };

    let view_items = move || {
        views.list().with(|list| {
            list.views()
                .iter()
                .map(|saved| {
                    let saved = saved.clone();
                    let is_default = saved.default;
                    let name = saved.name.clone();
                    view! {
                        <li role="menuitem" tabindex="-1" class="opc-views__item" data-default=is_default.then_some("")
                            title=move || is_default.then(|| ctx.t(Msg::DefaultView))
                            on:click=move |_| {
                                hide(true);
                                views.apply(&saved);
                            }>{name}</li>
                    }
                })
                .collect_view()
        })
    };

    view! {
        <div class="opc-views" on:focusout=focus_left>
            <button type="button" class="opc-button opc-button--ghost" id="opc-views-button" node_ref=button
                aria-haspopup="menu" aria-controls="opc-views-menu" aria-expanded=move || open.get().to_string()
                on:keydown=button_keys
                on:click=move |_| if open.get_untracked() { hide(true) } else { show(false) }>
                {move || ctx.t(Msg::Views)}
            </button>
            <ul role="menu" id="opc-views-menu" class="opc-views__menu" aria-labelledby="opc-views-button" node_ref=menu
                hidden=move || !open.get() on:keydown=menu_keys>
                {view_items}
                <li role="separator" class="opc-views__separator" hidden=move || views.list().with(|l| l.views().is_empty())></li>
                <li role="menuitem" tabindex="-1" class="opc-views__item" on:click=move |_| {
                    hide(false);
                    saving.set(true);
                }>{move || ctx.t(Msg::SaveCurrentView)}</li>
                <li role="menuitem" tabindex="-1" class="opc-views__item" on:click=move |_| {
                    hide(false);
                    managing.set(true);
                }>{move || ctx.t(Msg::ManageViews)}</li>
            </ul>
            <span class="opc-views__status opc-muted" role="status">{move || status.get()}</span>
            <SaveDialog open=saving return_focus=button status />
            <ManageDialog open=managing return_focus=button />
        </div>
    }
}

fn menu_items(menu: &Element) -> Vec<HtmlElement> {
    let Ok(list) = menu.query_selector_all("[role=menuitem]") else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into().ok()).collect()
}

/// The next item after `at` (round the end) whose text starts with the typed character.
fn typeahead(items: &[HtmlElement], at: Option<usize>, key: &str) -> Option<usize> {
    let mut chars = key.chars();
    let (Some(typed), None) = (chars.next(), chars.next()) else { return None };
    if typed.is_whitespace() {
        return None;
    }
    let typed = typed.to_lowercase().to_string();
    let start = at.map_or(0, |i| i + 1);
    (0..items.len())
        .map(|offset| (start + offset) % items.len())
        .find(|&i| items[i].text_content().unwrap_or_default().trim().to_lowercase().starts_with(&typed))
}
