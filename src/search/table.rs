//! The results table (`Conversations`): rows kept by position and rewritten per page,
//! a first checkbox column for selection (not a data column: neither `Column` nor the
//! Columns menu nor the CSV know it), keyboard navigation as one Tab stop (roving
//! `tabindex`), column and density settings, and the loading, empty and error states.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::SearchRow;
use crate::ctx::{use_ctx, Ctx};
use crate::model::columns::{self, Column};
use crate::model::search::{use_search, SearchState};
use crate::model::selection::PageChoice;
use crate::i18n::{filter_summary, relative_time, with_zone, Msg};
use crate::time::{parse_displayed, seconds_since};
use crate::ui::{or_dash, Avatar, CopyButton, ErrorBox, SkeletonRows, StatusBadge};

/// What the table body shows.
#[derive(Clone, PartialEq)]
enum Body {
    Error(crate::api::ApiError),
    FirstLoad,
    Empty,
    Rows,
}

/// `…ac83b5`: the end of a chat id, which is where ids differ (they share their
/// `u0001` start), short enough for a compact column; the full id is in the tooltip and
/// the copy button.
pub fn short_id(id: &str) -> String {
    tail(id, 6)
}

/// `…a545`: the customer marker under a nickname, the end of the `userId`.
pub fn customer_marker(user_id: &str) -> String {
    tail(user_id.trim(), 4)
}

/// The last `keep` characters after an ellipsis, or the whole text when that is no longer.
fn tail(text: &str, keep: usize) -> String {
    let count = text.chars().count();
    if count <= keep + 1 {
        text.to_string()
    } else {
        format!("…{}", text.chars().skip(count - keep).collect::<String>())
    }
}

#[component]
pub fn ResultsTable() -> impl IntoView {
    let ctx = use_ctx();
    let state = use_search();
    let visible = state.columns;
    let compact = RwSignal::new(columns::load_compact(&ctx.prefs()));
    Effect::new(move |_| columns::save_compact(&ctx.prefs(), compact.get()));
    // The data columns and the checkbox column.
    let column_count = move || visible.with(Vec::len) + 1;

    // The open chat apart from the rest of the view, so that a page flip (which changes
    // the view) does not make every row check whether it is the selected one. A signal
    // kept by an effect rather than a memo: rows dropped when the row count changes stay
    // in a memo's list of readers for good, in a signal's only until its next change.
    let open_chat = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let chat = state.view.with(|v| v.chat.clone());
        if open_chat.with_untracked(|open| *open != chat) {
            open_chat.set(chat);
        }
    });
    let row_count = Memo::new(move |_| state.result.with(|r| r.as_ref().map_or(0, |p| p.rows.len())));
    // Which of the four bodies shows. A memo, so that a new page of rows re-runs only the
    // rows' own closures, not the whole body (which would rebuild the table each time).
    let shown = Memo::new(move |_| {
        if let Some(error) = state.error.get() {
            Body::Error(error)
        } else if state.result.with(Option::is_none) {
            Body::FirstLoad
        } else if state.result.with(|r| r.as_ref().is_some_and(|p| p.rows.is_empty())) {
            Body::Empty
        } else {
            Body::Rows
        }
    });
    let first_load = move || shown.get() == Body::FirstLoad;

    // A new page that lands while the table's top is scrolled away (Next at the bottom of
    // 100 rows) would leave the operator in its middle: bring the top back into view.
    let frame = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |shown_page: Option<u32>| {
        state.result.track();
        let page = state.view.with_untracked(|v| v.page);
        if shown_page.is_some_and(|shown| shown != page) {
            if let Some(frame) = frame.get_untracked() {
                bring_top_into_view(&frame);
            }
        }
        page
    });

    // Selection: one effect writes the checkboxes and the rows' look where they differ
    // from the selection, after a pick or a page flip, and after the rows are built again
    // (`rows_built`); the rows subscribe to nothing for it (see "Short-lived views").
    let tbody = NodeRef::<leptos::html::Tbody>::new();
    let rows_built = Trigger::new();
    Effect::new(move |_| {
        rows_built.track();
        let Some(tbody) = tbody.get_untracked() else { return };
        state.result.with(|result| {
            state.selection.with(|selection| {
                let rows = result.as_ref().map_or(&[][..], |p| p.rows.as_slice());
                show_selection(&tbody, |index| rows.get(index).is_some_and(|row| selection.has(row)));
            })
        });
    });
    let page_choice = Memo::new(move |_| {
        state.result.with(|r| state.selection.with(|s| s.page_choice(r.as_ref().map_or(&[][..], |p| p.rows.as_slice()))))
    });
    // The position Tab enters the table at, kept from page to page.
    let tab_row = StoredValue::new(0usize);
    let on_focus_in = move |ev: web_sys::FocusEvent| {
        let row = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|e| e.closest("tr.opc-row").ok().flatten());
        if let Some(row) = row {
            if row.get_attribute("tabindex").as_deref() != Some("0") {
                if let Some(previous) = row.parent_element().and_then(|body| body.query_selector("tr.opc-row[tabindex='0']").ok().flatten()) {
                    let _ = previous.set_attribute("tabindex", "-1");
                }
                let _ = row.set_attribute("tabindex", "0");
            }
            tab_row.set_value(position_of(&row));
        }
    };

    let body = move || match shown.get() {
        Body::Error(error) => view! {
            <tr class="opc-state-row"><td colspan=column_count>
                <ErrorBox error on_retry=Callback::new(move |_| state.retry()) />
            </td></tr>
        }
        .into_any(),
        Body::FirstLoad => view! { <SkeletonRows columns=column_count() /> }.into_any(),
        Body::Empty => view! { <tr class="opc-state-row"><td colspan=column_count><EmptyState /></td></tr> }.into_any(),
        // Rows are kept by position from page to page: a flip only rewrites them. They are
        // built again when their number, the columns or the language change, by this one
        // closure, so that the dropped rows go with its run: reactive_graph 0.2 keeps a
        // dropped child's allocation in its parent owner (a long-lived `<For>`, say) and
        // in the signals it read, until the parent is cleaned or the signal next changes
        // (see ARCHITECTURE, "Short-lived views").
        Body::Rows => (move || {
            let columns = visible.get();
            provide_context(ctx.with_fixed_locale());
            let count = row_count.get();
            // The row Tab enters at: the last one focused, as far as this page has it.
            let entry = tab_row.get_value().min(count.saturating_sub(1));
            tab_row.set_value(entry);
            let rows = (0..count).map(|index| view! { <ResultRow index columns=columns.clone() open_chat tab_stop={index == entry} /> }).collect_view();
            rows_built.notify();
            rows
        })
        .into_any(),
    };

    view! {
        <div class="opc-table-tools">
            <crate::views::ViewsMenu />
            <details class="opc-menu">
                <summary class="opc-button opc-button--ghost">{move || ctx.t(Msg::Columns)}</summary>
                <div class="opc-menu__panel" role="group" aria-label=move || ctx.t(Msg::Columns)>
                    {Column::ALL.into_iter().map(|column| view! {
                        <label class="opc-check">
                            <input type="checkbox" prop:checked=move || visible.with(|v| v.contains(&column))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    visible.update(|v| {
                                        let mut next: Vec<Column> = Column::ALL.into_iter()
                                            .filter(|c| if *c == column { on } else { v.contains(c) })
                                            .collect();
                                        if next.is_empty() { next.push(column) }
                                        *v = next;
                                    });
                                } />
                            {move || ctx.t(column.header())}
                        </label>
                    }).collect_view()}
                </div>
            </details>
            <button type="button" class="opc-button opc-button--ghost" aria-pressed=move || compact.get().to_string()
                on:click=move |_| compact.update(|c| *c = !*c)>
                {move || filter_summary(ctx.locale(), Msg::Density, ctx.t(if compact.get() { Msg::Compact } else { Msg::Comfortable }))}
            </button>
        </div>
        // The frame is the size container that tells the wrap whether the table fits
        // (then the header row can stick to the top of the page) or must scroll sideways.
        <div class="opc-table-frame" node_ref=frame>
        <div class="opc-table-wrap" class:opc-table-wrap--stale=move || state.loading.get() && !first_load()>
            <table class="opc-table" class:opc-table--compact=compact aria-label=move || ctx.t(Msg::Conversations)
                aria-busy=move || state.loading.get().to_string()>
                <thead>
                    <tr>
                        <th scope="col" class="opc-col-select">
                            // Out of the Tab order like the rows' checkboxes: ↑ from the first row reaches it.
                            <input type="checkbox" class="opc-check opc-check--page" tabindex="-1" aria-label=move || ctx.t(Msg::SelectPage)
                                disabled=move || shown.get() != Body::Rows
                                prop:checked=move || page_choice.get() == PageChoice::All
                                prop:indeterminate=move || page_choice.get() == PageChoice::Some
                                on:change=move |ev| state.select_page(event_target_checked(&ev))
                                on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "ArrowDown" {
                                    ev.prevent_default();
                                    if let Some(row) = tbody.get_untracked().and_then(|b| b.query_selector("tr.opc-row").ok().flatten()) {
                                        crate::keys::focus(&row);
                                    }
                                } />
                        </th>
                        {move || visible.get().into_iter().map(|c| view! {
                            <th scope="col" class=format!("opc-col-{}", column_class(c))>{move || header_text(c, ctx)}</th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody node_ref=tbody on:keydown=move |ev| grid_keys(ev, state) on:focusin=on_focus_in on:pointerover=move |ev| {
                    show_relative_time(&ev, ctx);
                    show_full_text(ev);
                }>{body}</tbody>
            </table>
        </div>
        </div>
    }
}

/// A column's header; the time column says its zone.
fn header_text(column: Column, ctx: Ctx) -> String {
    match column {
        Column::Created => with_zone(ctx.locale(), column.header(), ctx.zone()),
        _ => ctx.t(column.header()).to_string(),
    }
}

fn column_class(column: Column) -> &'static str {
    match column {
        Column::ChatId => "chat",
        Column::Created => "created",
        Column::User => "user",
        Column::Address => "address",
        Column::Status => "status",
        Column::Title => "title",
    }
}

/// The row at `index` of the current page. Rows are keyed by position and kept from page
/// to page: a page flip rewrites their texts and attributes in place instead of building
/// every row anew, which is what keeps a flip cheap (see the benchmark).
#[component]
fn ResultRow(index: usize, columns: Vec<Column>, open_chat: RwSignal<Option<String>>, tab_stop: bool) -> impl IntoView {
    let ctx = use_ctx();
    let state = use_search();
    let row = Memo::new(move |_| state.result.with(|r| r.as_ref().and_then(|p| p.rows.get(index).cloned()).unwrap_or_default()));
    let chat_id = Memo::new(move |_| row.with(|r| r.chat_id.clone().unwrap_or_default()));
    let open = move || {
        let id = chat_id.get_untracked();
        if !id.is_empty() {
            state.open_chat(id)
        }
    };
    let open_on_enter = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            open();
        }
    };
    let selected = move || chat_id.with(|id| !id.is_empty() && open_chat.with(|open| open.as_deref() == Some(id.as_str())));
    let text = move |field: fn(&SearchRow) -> Option<&str>| move || row.with(|r| or_dash(field(r)));
    let cell = move |column: Column| -> AnyView {
        match column {
            Column::ChatId => {
                let has_id = Memo::new(move |_| chat_id.with(|id| !id.is_empty()));
                view! {
                    <td class="opc-col-chat">
                        {move || chat_id.with(|id| view! { <span class="opc-mono" title=id.clone()>{short_id(id)}</span> })}
                        {move || has_id.get().then(|| view! { <CopyButton text=chat_id what=Msg::ColChatId in_grid=true /> })}
                    </td>
                }
                .into_any()
            }
            Column::Created => {
                let created = move || row.with(|r| or_dash(r.create_time.as_ref().map(|t| t.display(ctx.zone())).as_deref()));
                view! { <td class="opc-col-created opc-nowrap">{created}</td> }.into_any()
            }
            Column::User => {
                let nick = text(|r| r.nick_name.as_deref());
                let user_id = Memo::new(move |_| row.with(|r| r.user_id.as_deref().map(str::trim).unwrap_or_default().to_string()));
                // One structure whether the row has a user id or not (`hidden`), so that a
                // page flip only rewrites it (see ARCHITECTURE, "Short-lived views").
                let id_title = move || user_id.with(|id| filter_summary(ctx.locale(), Msg::FieldUserId, id));
                view! {
                    <td class="opc-col-user">
                        <span class="opc-user">
                            <Avatar url=Signal::derive(move || row.with(|r| r.user_icon.clone())) name=Signal::derive(nick)
                                user_id=Signal::derive(move || Some(user_id.get())) />
                            <span class="opc-user__who">
                                <span class="opc-truncate">{nick}</span>
                                <span class="opc-customer" hidden=move || user_id.with(String::is_empty)>
                                    <span class="opc-customer__id" title=id_title>{move || user_id.with(|id| customer_marker(id))}</span>
                                    <CopyButton text=user_id what=Msg::FieldUserId in_grid=true />
                                </span>
                            </span>
                        </span>
                    </td>
                }
                .into_any()
            }
            Column::Address => text_cell("opc-col-address", text(|r| r.address.as_deref())),
            Column::Status => view! {
                <td class="opc-col-status">
                    <StatusBadge status=Signal::derive(move || row.with(|r| r.status.clone()))
                        tip=Signal::derive(move || row.with(|r| r.status_tip.clone())) />
                </td>
            }
            .into_any(),
            Column::Title => text_cell("opc-col-title", text(|r| r.title.as_deref())),
        }
    };
    view! {
        <tr class="opc-row" data-chat-id=move || chat_id.get() tabindex=if tab_stop { "0" } else { "-1" }
            aria-selected=move || selected().to_string() on:click=move |_| open() on:keydown=open_on_enter>
            // The checkbox's label fills the cell, an easier target, and keeps its clicks
            // from opening the drawer (a click on the cell itself still opens, like any cell).
            <td class="opc-col-select">
                <label class="opc-check-hit" on:click=|ev: web_sys::MouseEvent| ev.stop_propagation()>
                    <input type="checkbox" class="opc-check" tabindex="-1" aria-label=ctx.t(Msg::SelectRow)
                        on:click=move |ev: web_sys::MouseEvent| state.select_row(index, ev.shift_key()) />
                </label>
            </td>
            {columns.into_iter().map(cell).collect_view()}
        </tr>
    }
}

/// A cell of free text that truncates (see [`show_full_text`] for its tooltip).
fn text_cell(class: &'static str, text: impl Fn() -> String + Copy + Send + Sync + 'static) -> AnyView {
    view! { <td class=class><span class="opc-truncate">{text}</span></td> }.into_any()
}

/// Gives the truncated texts of the cell under the pointer their full text as a tooltip,
/// and only then: a `title` kept up to date on every cell would cost hundreds of attribute
/// writes per page flip, for tooltips mostly never shown (and shown needlessly on text
/// that fits). The whole cell counts, padding included. The text itself is whole in the
/// DOM, so screen readers lose nothing; keyboard focus unfolds the row instead (CSS).
fn show_full_text(ev: web_sys::PointerEvent) {
    let cell = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|e| e.closest("td").ok().flatten());
    let Some(texts) = cell.and_then(|cell| cell.query_selector_all(".opc-truncate").ok()) else { return };
    for text in (0..texts.length()).filter_map(|i| texts.item(i)).filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
        if text.scroll_width() > text.client_width() {
            text.set_title(&text.text_content().unwrap_or_default());
        } else {
            text.remove_attribute("title").ok();
        }
    }
}

/// Scrolls `element`'s top to the top of the view when it is above or below the window.
fn bring_top_into_view(element: &web_sys::Element) {
    let top = element.get_bounding_client_rect().top();
    let height = web_sys::window().and_then(|w| w.inner_height().ok()).and_then(|h| h.as_f64()).unwrap_or(0.0);
    if top < 0.0 || top >= height {
        element.scroll_into_view_with_bool(true);
    }
}

/// Gives a time cell the relative time ("3 hours ago") as its tooltip when the pointer
/// reaches it, like [`show_full_text`]: worked out at that moment from the cell's own text,
/// so it is "ago" from now, and a page flip writes no tooltip on any row.
fn show_relative_time(ev: &web_sys::PointerEvent, ctx: Ctx) {
    let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    let Some(cell) = target.and_then(|e| e.closest("td.opc-col-created").ok().flatten()) else { return };
    match parse_displayed(&cell.text_content().unwrap_or_default(), ctx.zone()) {
        Some(then) => cell.set_attribute("title", &relative_time(ctx.app_locale.get_untracked(), seconds_since(then))).unwrap_or_default(),
        None => cell.remove_attribute("title").unwrap_or_default(),
    }
}

/// Rows a PageUp/PageDown moves by.
const PAGE_STEP: u32 = 10;

/// The grid's keys on a focused row: ↑/↓ move between rows (↑ from the first reaches the
/// header's Select all), Home/End and PageUp/PageDown jump, Space picks or drops the row
/// (Enter opens it: the row's own listener).
fn grid_keys(ev: web_sys::KeyboardEvent, state: SearchState) {
    let Some(row) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|e| e.closest("tr.opc-row").ok().flatten())
    else {
        return;
    };
    let Some(body) = row.parent_element() else { return };
    let rows = body.children();
    let (index, last) = (position_of(&row) as u32, rows.length().saturating_sub(1));
    let on_row = ev.target().is_some_and(|t| t.dyn_ref::<web_sys::Element>() == Some(&row));
    if ev.alt_key() || ev.ctrl_key() || ev.meta_key() {
        return;
    }
    let target = match ev.key().as_str() {
        "ArrowDown" => Some(index.saturating_add(1).min(last)),
        "ArrowUp" if index == 0 => {
            ev.prevent_default();
            if let Some(select_all) = body.parent_element().and_then(|table| table.query_selector("thead .opc-check").ok().flatten()) {
                crate::keys::focus(&select_all);
            }
            return;
        }
        "ArrowUp" => Some(index - 1),
        "Home" => Some(0),
        "End" => Some(last),
        "PageDown" => Some(index.saturating_add(PAGE_STEP).min(last)),
        "PageUp" => Some(index.saturating_sub(PAGE_STEP)),
        " " if on_row => {
            ev.prevent_default();
            state.select_row(index as usize, ev.shift_key());
            return;
        }
        _ => return,
    };
    ev.prevent_default();
    if let Some(target) = target.and_then(|i| rows.item(i)) {
        crate::keys::focus(&target);
    }
}

/// The element's position among its siblings.
fn position_of(element: &web_sys::Element) -> usize {
    let mut index = 0;
    let mut sibling = element.previous_element_sibling();
    while let Some(previous) = sibling {
        index += 1;
        sibling = previous.previous_element_sibling();
    }
    index
}

/// Writes the selection into the rows of `tbody` where it differs from what they show:
/// the checkbox and the row's class. `picked(index)` says whether the row at `index` is
/// selected. Reading first and writing only changes keeps a single pick to one row's work.
fn show_selection(tbody: &web_sys::HtmlTableSectionElement, picked: impl Fn(usize) -> bool) {
    let rows = tbody.children();
    for index in 0..rows.length() {
        let Some(row) = rows.item(index) else { continue };
        let Some(checkbox) = row.query_selector("input.opc-check").ok().flatten().and_then(|c| c.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            continue;
        };
        let on = picked(index as usize);
        if checkbox.checked() != on {
            checkbox.set_checked(on);
        }
        let classes = row.class_list();
        if classes.contains("opc-row--picked") != on {
            let _ = classes.toggle_with_force("opc-row--picked", on);
        }
    }
}

#[component]
fn EmptyState() -> impl IntoView {
    let ctx = use_ctx();
    let state = use_search();
    let summary = move || {
        let locale = ctx.locale();
        state.view.with(|v| v.filters.summary(locale))
    };
    view! {
        <div class="opc-empty" role="status">
            <strong>{move || ctx.t(Msg::NoResults)}</strong>
            <ul class="opc-empty__filters">{move || summary().into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
            <p class="opc-muted">{move || ctx.t(Msg::NoResultsHint)}</p>
            <button type="button" class="opc-button" on:click=move |_| state.reset()>{move || ctx.t(Msg::Reset)}</button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ids() {
        assert_eq!(short_id("u0001d6ddfcbef27e45aeaee5bf7db6ac83b5"), "…ac83b5");
        assert_eq!(short_id("short"), "short");
        assert_eq!(short_id("1234567"), "1234567", "an ellipsis would save nothing");
        assert_eq!(short_id("会话会话会话会话会话会话会话会话"), "…会话会话会话");
    }

    #[test]
    fn customer_markers_are_the_end_of_the_user_id() {
        assert_eq!(customer_marker("u00013058217037704c358367f6e1fd1da545"), "…a545");
        assert_eq!(customer_marker(" u7 "), "u7");
        assert_eq!(customer_marker("用户一二三四五"), "…二三四五");
    }
}
