//! Live updates: while page 1 of a range that includes today is shown, the console asks
//! the server for the total again every `refreshSeconds` (one row per ask); when it grew,
//! a polite banner says how many conversations are new, and only its Show reloads the
//! page, so rows never move under the operator's pointer or focus.
//!
//! The API has no push channel, so this is polling, with the rules in `schedule.rs`: no
//! asking while the document is hidden, a search loads or an export runs, nor after the
//! screen is gone; failed asks back off quietly (no error box).

mod schedule;

use std::collections::HashSet;
use std::rc::Rc;
use std::time::Duration;

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::{ApiError, Latest, SearchQuery};
use crate::app::use_ctx;
use crate::i18n::{new_conversations, Msg};
use crate::search::use_search;
use crate::time::{sleep, today_in, DateRange};
use schedule::{Backoff, Moment};

/// How long Show's new rows stay marked.
const HIGHLIGHT_FOR: Duration = Duration::from_secs(3);

/// The banner above the table, and the asking behind it.
#[component]
pub fn LiveBanner() -> impl IntoView {
    let ctx = use_ctx();
    let state = use_search();
    let exporting = crate::export::use_export().busy();
    // The total of the page 1 on screen, and the last total an ask got for its search.
    let shown = RwSignal::new(None::<u64>);
    let asked = RwSignal::new(None::<u64>);
    // The row ids on screen when Show was clicked: the rows not among them are new.
    let before_show = StoredValue::new(None::<HashSet<String>>);
    let banner = NodeRef::<html::Div>::new();
    let asks = Rc::new(Latest::default());

    Effect::new({
        let asks = asks.clone();
        move |_| {
            let loading = state.loading.get();
            let failed = state.error.with(Option::is_some);
            let total = state.result.with(|r| r.as_ref().and_then(crate::api::SearchPage::reported_total));
            let first_page = state.view.with_untracked(|v| v.page == 1);
            // An ask in flight was for the search before this one.
            asks.cancel();
            asked.set(None);
            // While a search loads, or after it failed, the table's total is not its own.
            shown.set(total.filter(|_| first_page && !loading && !failed));
            if loading {
                return;
            }
            if let Some(before) = before_show.try_update_value(Option::take).flatten() {
                set_timeout(move || mark_new_rows(banner, &before), Duration::ZERO);
            }
        }
    });
    let count = Memo::new(move |_| schedule::new_since(shown.get(), asked.get()));

    let seconds = ctx.config().refresh_seconds;
    if seconds > 0 {
        let in_flight = send_wrapper::SendWrapper::new(asks.clone());
        on_cleanup(move || in_flight.cancel());
        leptos::task::spawn_local(async move {
            let mut backoff = Backoff::new(Duration::from_secs(u64::from(seconds)));
            loop {
                sleep(backoff.next()).await;
                // `try_`: the screen is gone after an unmount; then asking ends.
                let Some(moment) = moment_now(state, exporting, shown, ctx) else { return };
                if !moment.may_ask() {
                    continue;
                }
                let Some(filters) = state.view.try_with_untracked(|v| v.filters.clone()) else { return };
                let ticket = asks.begin();
                let outcome = ctx.client().search(&SearchQuery { filters, page: 1, size: 1 }, ticket.signal()).await;
                if !asks.is_current(&ticket) {
                    continue;
                }
                match outcome {
                    Ok(page) => {
                        backoff.succeeded();
                        if asked.try_set(page.reported_total()).is_some() {
                            return;
                        }
                    }
                    Err(ApiError::Aborted) => {}
                    // Quietly: the table still shows what it showed; the next search reports.
                    Err(_) => {
                        backoff.failed();
                    }
                }
            }
        });
    }

    let show = move |_| {
        before_show.set_value(Some(state.chat_ids().into_iter().collect()));
        state.retry();
    };
    let any_new = move || count.get() > 0;
    view! {
        <div class="opc-live" class:opc-live--on=any_new role="status" node_ref=banner>
            <Show when=any_new>
                <span class="opc-live__text">{move || new_conversations(ctx.locale(), count.get())}</span>
                <button type="button" class="opc-button" on:click=show>{move || ctx.t(Msg::ShowNew)}</button>
            </Show>
        </div>
    }
}

/// The screen's state for [`Moment::may_ask`]; `None` once the screen is gone.
fn moment_now(
    state: crate::search::SearchState,
    exporting: Signal<bool>,
    shown: RwSignal<Option<u64>>,
    ctx: crate::app::Ctx,
) -> Option<Moment> {
    let first_page_shown = shown.try_get_untracked()?.is_some();
    let range = state.view.try_with_untracked(|v| DateRange { start: v.filters.start, end: v.filters.end })?;
    let visible = web_sys::window().and_then(|w| w.document()).is_some_and(|d| !d.hidden());
    Some(Moment {
        first_page_shown,
        range_has_today: schedule::range_has(range, today_in(ctx.zone())),
        visible,
        loading: state.loading.try_get_untracked()?,
        exporting: exporting.try_get_untracked()?,
    })
}

/// Marks the rows that were not on screen `before` for a few seconds, and puts focus on
/// the first of them (Show's button is gone with the banner).
fn mark_new_rows(banner: NodeRef<html::Div>, before: &HashSet<String>) {
    let Some(screen) = banner.get_untracked().and_then(|b| b.closest(".opc-search").ok().flatten()) else { return };
    let Ok(rows) = screen.query_selector_all("tr.opc-row") else { return };
    let fresh: Vec<web_sys::Element> = (0..rows.length())
        .filter_map(|i| rows.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .filter(|row| row.get_attribute("data-chat-id").is_some_and(|id| !id.is_empty() && !before.contains(&id)))
        .collect();
    for row in &fresh {
        let _ = row.class_list().add_1("opc-row--new");
    }
    if let Some(first) = fresh.first() {
        crate::keys::focus(first);
    }
    set_timeout(
        move || {
            for row in &fresh {
                let _ = row.class_list().remove_1("opc-row--new");
            }
        },
        HIGHLIGHT_FOR,
    );
}
