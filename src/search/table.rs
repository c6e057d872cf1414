//! The results table (`Conversations`): rows kept by position and rewritten per page,
//! a first checkbox column for selection (not a data column: neither `Column` nor the
//! Columns menu nor the CSV know it), keyboard navigation as one Tab stop (roving
//! `tabindex`), column and density settings, and the loading, empty and error states.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::rows::{show_tooltips, PaintContext, ResultRow, TableRows};
use crate::ctx::{use_ctx, Ctx};
use crate::model::columns::{self, Column};
use crate::model::search::{rows_of, use_search, SearchState};
use crate::model::selection::PageChoice;
use crate::i18n::{filter_summary, relative_time, with_zone, Msg};
use crate::time::{parse_displayed, seconds_since};
use crate::ui::{ErrorBox, SkeletonRows};

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

    // The open chat apart from the rest of the view: a page flip changes the view, not this.
    let open_chat = Memo::new(move |_| state.view.with(|v| v.chat.clone()));
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
    // How many rows are built: the longest page since the rows were last shown, so that a
    // shorter page (the last one, a narrower search) leaves spares instead of dropping rows
    // that the next full page would build again (search/rows.rs).
    let capacity = Memo::new(move |built: Option<&usize>| {
        let count = row_count.get();
        if shown.get() == Body::Rows { count.max(built.copied().unwrap_or(0)) } else { 0 }
    });

    // A new page that lands while the table's top is scrolled away (Next at the bottom of
    // 100 rows) would leave the operator in its middle: bring the top back into view.
    // Whether it is away is kept by an observer of the frame's top edge, not asked of the
    // layout when the page lands, which would force a layout of the new rows there and then.
    let frame = NodeRef::<leptos::html::Div>::new();
    let top_edge = NodeRef::<leptos::html::Div>::new();
    let top_watch = StoredValue::new_local(None::<wasm_bindgen::JsValue>);
    Effect::new(move |_| {
        if let Some(edge) = top_edge.get() {
            top_watch.set_value(Some(watch_in_view(&edge)));
        }
    });
    on_cleanup(move || {
        if let Some(watch) = top_watch.try_get_value().flatten() {
            stop_watching(&watch);
        }
    });
    Effect::new(move |shown_page: Option<u32>| {
        state.result.track();
        let page = state.view.with_untracked(|v| v.page);
        let top_away = top_watch.with_value(|watch| watch.as_ref().is_some_and(|w| !is_in_view(w)));
        if shown_page.is_some_and(|shown| shown != page) && top_away {
            if let Some(frame) = frame.get_untracked() {
                frame.scroll_into_view_with_bool(true);
            }
        }
        page
    });

    // The rows are structure built once per position (search/rows.rs); these effects write
    // a page, the open chat and the selection into them, each after its own change and after
    // the rows are built again (`built` counts the builds, so the handles are found again).
    // No row subscribes to anything (see "Short-lived views").
    let tbody = NodeRef::<leptos::html::Tbody>::new();
    Effect::new(move |_| {
        if let Some(body) = tbody.get() {
            watch_images(&body);
        }
    });
    let built = RwSignal::new(0u32);
    let painted = StoredValue::new_local((u32::MAX, TableRows::default()));
    let with_rows = move |generation: u32, f: &mut dyn FnMut(&mut TableRows)| {
        let Some(tbody) = tbody.get_untracked() else { return };
        painted.update_value(|(found, rows)| {
            if *found != generation {
                *rows = TableRows::find(&tbody);
                *found = generation;
            }
            f(rows)
        });
    };
    let paint_cx = move || PaintContext { locale: ctx.app_locale.get_untracked(), zone: ctx.zone(), page_is_https: ctx.page_is_https() };
    Effect::new(move |_| {
        let generation = built.get();
        open_chat.with(|open| {
            state.result.with(|result| with_rows(generation, &mut |rows| rows.paint(rows_of(result), open.as_deref(), paint_cx())))
        });
    });
    Effect::new(move |_| {
        let generation = built.get();
        state.result.with(|result| {
            state.selection.with(|selection| {
                let page = rows_of(result);
                with_rows(generation, &mut |rows| rows.show_picked(|index| page.get(index).is_some_and(|row| selection.has(row))));
            })
        });
    });
    let page_choice = Memo::new(move |_| {
        state.result.with(|r| state.selection.with(|s| s.page_choice(rows_of(r))))
    });
    // The position Tab enters the table at, kept from page to page.
    let tab_row = StoredValue::new(0usize);
    let row_tooltips = move |row: &web_sys::Element| {
        state.result.with_untracked(|result| {
            if let Some(data) = rows_of(result).get(position_of(row)) {
                show_tooltips(row, data, ctx.app_locale.get_untracked());
            }
        })
    };
    let on_focus_in = move |ev: web_sys::FocusEvent| {
        if let Some(row) = target_row(&ev) {
            row_tooltips(&row);
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
            <tr role="row" class="opc-state-row"><td role="cell" colspan=column_count>
                <ErrorBox error on_retry=Callback::new(move |_| state.retry()) />
            </td></tr>
        }
        .into_any(),
        Body::FirstLoad => view! { <SkeletonRows columns=column_count() /> }.into_any(),
        Body::Empty => view! { <tr role="row" class="opc-state-row"><td role="cell" colspan=column_count><EmptyState /></td></tr> }.into_any(),
        // Rows are kept by position from page to page: a flip only rewrites them (the
        // painter above). They are built again when a longer page needs more, or the
        // columns or the language change, by this one closure, so that the dropped rows
        // go with its run (a long-lived `<For>` would keep each dropped child in its owner
        // until the table goes; see ARCHITECTURE, "Short-lived views").
        Body::Rows => (move || {
            let columns = visible.get();
            provide_context(ctx.with_fixed_locale());
            let count = capacity.get();
            // The row Tab enters at: the last one focused, as far as this page has it.
            let entry = tab_row.get_value().min(row_count.get_untracked().saturating_sub(1));
            tab_row.set_value(entry);
            let rows = (0..count).map(|index| view! { <ResultRow index columns=columns.clone() tab_stop={index == entry} /> }).collect_view();
            built.update(|n| *n = n.wrapping_add(1));
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
        <div class="opc-table-top" aria-hidden="true" node_ref=top_edge></div>
        // The rows are dimmed only once a load is slow, with the progress bar: dimming them
        // on every flip repainted the whole visible table twice (on and off again), about
        // 12 ms of paint and layout in a 100-row flip, for a flash too short to read.
        <div class="opc-table-wrap" class:opc-table-wrap--stale=move || state.slow.get() && !first_load()>
            // The roles are spelled out: the rows are flex boxes rather than table layout
            // (console.css), and some browsers drop a table's semantics with its display.
            <table role="table" class="opc-table" class:opc-table--compact=compact aria-label=move || ctx.t(Msg::Conversations)
                aria-busy=move || state.loading.get().to_string()>
                <thead role="rowgroup">
                    <tr role="row">
                        <th role="columnheader" scope="col" class="opc-col-select">
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
                            <th role="columnheader" scope="col" class=format!("opc-col-{}", column_class(c))>{move || header_text(c, ctx)}</th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody role="rowgroup" node_ref=tbody on:keydown=move |ev| grid_keys(ev, state) on:focusin=on_focus_in on:pointerover=move |ev| {
                    if let Some(row) = target_row(&ev) {
                        row_tooltips(&row);
                    }
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

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/search/table.js")]
extern "C" {
    /// Starts keeping whether `element` is in the window (an IntersectionObserver).
    fn watch_in_view(element: &web_sys::Element) -> wasm_bindgen::JsValue;
    /// Lets the rows of `body` set their images' addresses once they are drawn, and hide
    /// the images that fail (table.js).
    fn watch_images(body: &web_sys::Element);
    fn is_in_view(watch: &wasm_bindgen::JsValue) -> bool;
    fn stop_watching(watch: &wasm_bindgen::JsValue);
}

/// Rows a PageUp/PageDown moves by.
const PAGE_STEP: u32 = 10;

/// The grid's keys on a focused row: ↑/↓ move between rows (↑ from the first reaches the
/// header's Select all), Home/End and PageUp/PageDown jump, Space picks or drops the row
/// (Enter opens it: the row's own listener).
fn grid_keys(ev: web_sys::KeyboardEvent, state: SearchState) {
    let Some(row) = target_row(&ev) else { return };
    let Some(body) = row.parent_element() else { return };
    let rows = body.children();
    // The page's rows; the spares after them are hidden (search/rows.rs).
    let shown = state.result.with_untracked(|r| r.as_ref().map_or(0, |p| p.rows.len())) as u32;
    let (index, last) = (position_of(&row) as u32, shown.min(rows.length()).saturating_sub(1));
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

/// The result row an event happened in.
fn target_row(ev: &web_sys::Event) -> Option<web_sys::Element> {
    ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|e| e.closest("tr.opc-row").ok().flatten())
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
