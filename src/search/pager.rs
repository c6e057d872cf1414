//! Pagination: total, Previous/Next, numbered pages with gaps, jump to page, page size.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::SearchRow;
use crate::ctx::use_ctx;
use crate::model::search::use_search;
use crate::i18n::{customers_count, page_label, page_of, results_count, Msg};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageItem {
    Page(u32),
    Gap,
}

/// The numbered buttons for `current` of `last`: the first and last page, two pages
/// either side of the current one, and a gap wherever pages are left out.
pub fn page_items(current: u32, last: u32) -> Vec<PageItem> {
    let last = last.max(1);
    let current = current.clamp(1, last);
    let mut shown: Vec<u32> = (current.saturating_sub(2).max(1)..=current.saturating_add(2).min(last)).collect();
    shown.extend([1, last]);
    shown.sort_unstable();
    shown.dedup();
    let mut items = Vec::new();
    let mut previous = 0;
    for page in shown {
        // A gap of exactly one page shows that page instead of an ellipsis.
        if page == previous + 2 {
            items.push(PageItem::Page(previous + 1));
        } else if page > previous + 2 {
            items.push(PageItem::Gap);
        }
        items.push(PageItem::Page(page));
        previous = page;
    }
    items
}

/// How many different customers (`userId`s) the rows hold; rows without an id count as
/// none, since nothing tells them apart.
pub fn customers_on_page(rows: &[SearchRow]) -> usize {
    let mut ids: Vec<&str> = rows.iter().filter_map(|r| r.user_id.as_deref().map(str::trim)).filter(|id| !id.is_empty()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}

#[component]
pub fn Pager() -> impl IntoView {
    let ctx = use_ctx();
    let state = use_search();
    let page = move || state.view.with(|v| v.page);
    // While an error is shown, the last result's total and pages are not this search's:
    // the pager says only which page was asked for. Without a reported total there is no
    // count to show and no last page: the server's `next` says whether there is more.
    let failed = move || state.error.with(Option::is_some);
    let total = move || if failed() { None } else { state.result.with(|r| r.as_ref().and_then(|p| p.reported_total())) };
    // Under a nickname filter, several customers with that nickname look alike: say how
    // many the page holds (whether that is the whole result or only this page).
    let customers = Memo::new(move |_| {
        let by_nickname = state.view.with(|v| !v.filters.nick.trim().is_empty());
        let counted = state.result.with(|r| r.as_ref().map(|p| (customers_on_page(&p.rows), p.rows.len() as u64 >= p.total())));
        counted.filter(|(count, _)| by_nickname && *count > 1)
    });
    let last = move || {
        state.result.track();
        state.view.track();
        state.last_page()
    };
    let has_next = move || {
        state.result.track();
        state.view.track();
        state.has_next_page()
    };
    // The last page to number: the known one, else the current page and the next if any.
    let last_shown = move || last().unwrap_or_else(|| page() + u32::from(has_next()));
    let jump = RwSignal::new(String::new());
    let go_to = move |target: u32| {
        let target = target.clamp(1, last().unwrap_or(u32::MAX));
        if target != page() {
            state.set_page(target);
        }
    };

    // One listener for the numbered buttons, which carry their page in `data-page`.
    let go_to_clicked = move |ev: web_sys::MouseEvent| {
        let clicked = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let page = clicked.and_then(|e| e.closest("[data-page]").ok().flatten()).and_then(|b| b.get_attribute("data-page"));
        if let Some(page) = page.and_then(|p| p.parse().ok()) {
            go_to(page);
        }
    };

    view! {
        <nav class="opc-pager" aria-label=move || ctx.t(Msg::Pagination)>
            <span class="opc-pager__total" role="status" aria-live="polite">
                {move || total().map(|t| {
                    let suffix = customers.get().map(|(count, whole)| customers_count(ctx.locale(), count, whole));
                    results_count(ctx.locale(), t) + &suffix.unwrap_or_default()
                })}
            </span>
            <span class="opc-pager__where">
                {move || match last().filter(|_| !failed()) {
                    Some(last) => page_of(ctx.locale(), page(), last),
                    None => page_label(ctx.locale(), page()),
                }}
            </span>
            <div class="opc-pager__pages" on:click=go_to_clicked>
                <button type="button" class="opc-button opc-button--icon" aria-label=move || ctx.t(Msg::PreviousPage)
                    title=move || ctx.t(Msg::PreviousPage)
                    disabled=move || page() <= 1 on:click=move |_| go_to(page().saturating_sub(1))>"‹"</button>
                // The buttons are rebuilt on every page change, so they take the language
                // from this closure rather than each subscribing to it (see ARCHITECTURE,
                // "Short-lived views").
                {move || {
                    let (locale, current) = (ctx.locale(), page());
                    let items = if failed() { Vec::new() } else { page_items(current, last_shown()) };
                    items.into_iter().map(|item| match item {
                        PageItem::Gap => view! { <span class="opc-pager__gap" aria-hidden="true">"…"</span> }.into_any(),
                        // No listener of its own (see `go_to_clicked`): rebuilding these
                        // buttons on a flip then only rewrites their attributes.
                        PageItem::Page(n) => view! {
                            <button type="button" class="opc-button opc-pager__page" data-page=n
                                aria-current=(current == n).then_some("page")
                                aria-label=page_label(locale, n)>{n}</button>
                        }.into_any(),
                    }).collect_view()
                }}
                <button type="button" class="opc-button opc-button--icon" aria-label=move || ctx.t(Msg::NextPage)
                    title=move || ctx.t(Msg::NextPage)
                    disabled=move || failed() || !has_next() on:click=move |_| go_to(page() + 1)>"›"</button>
            </div>
            <label class="opc-pager__size">
                <span>{move || ctx.t(Msg::RowsPerPage)}</span>
                <select class="opc-select" aria-label=move || ctx.t(Msg::RowsPerPage)
                    on:change=move |ev| {
                        if let Ok(size) = event_target_value(&ev).parse::<u32>() {
                            state.set_size(size);
                        }
                    }>
                    {ctx.config().page_sizes.iter().map(|&size| view! {
                        <option value=size.to_string() selected=move || state.view.with(|v| v.size == size)>{size}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="opc-pager__jump">
                <span>{move || ctx.t(Msg::JumpToPage)}</span>
                <input class="opc-input opc-input--narrow" type="number" min="1" max=move || last().map(|last| last.to_string())
                    aria-label=move || ctx.t(Msg::JumpToPage) prop:value=jump
                    on:input=move |ev| jump.set(event_target_value(&ev))
                    on:keydown=move |ev: web_sys::KeyboardEvent| {
                        if ev.key() == "Enter" {
                            ev.prevent_default();
                            if let Ok(target) = jump.get_untracked().trim().parse::<u32>() {
                                go_to(target);
                                jump.set(String::new());
                            }
                        }
                    } />
            </label>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PageItem::{Gap, Page};

    #[test]
    fn few_pages_have_no_gaps() {
        assert_eq!(page_items(1, 1), vec![Page(1)]);
        assert_eq!(page_items(2, 5), vec![Page(1), Page(2), Page(3), Page(4), Page(5)]);
    }

    #[test]
    fn gaps_on_both_sides() {
        assert_eq!(page_items(10, 20), vec![Page(1), Gap, Page(8), Page(9), Page(10), Page(11), Page(12), Gap, Page(20)]);
        assert_eq!(page_items(1, 20), vec![Page(1), Page(2), Page(3), Gap, Page(20)]);
        assert_eq!(page_items(20, 20), vec![Page(1), Gap, Page(18), Page(19), Page(20)]);
    }

    #[test]
    fn a_single_missing_page_is_shown_not_elided() {
        assert_eq!(page_items(4, 9), vec![Page(1), Page(2), Page(3), Page(4), Page(5), Page(6), Gap, Page(9)]);
    }

    #[test]
    fn customers_are_counted_by_user_id() {
        let row = |id: Option<&str>| SearchRow { user_id: id.map(str::to_string), nick_name: Some("Kevin".into()), ..SearchRow::default() };
        let rows = [row(Some("u1")), row(Some("u2")), row(Some(" u1 ")), row(None), row(Some(""))];
        assert_eq!(customers_on_page(&rows), 2);
        assert_eq!(customers_on_page(&[]), 0);
    }

    #[test]
    fn out_of_range_current_is_clamped() {
        assert_eq!(page_items(99, 3), vec![Page(1), Page(2), Page(3)]);
        assert_eq!(page_items(0, 0), vec![Page(1)]);
    }
}
