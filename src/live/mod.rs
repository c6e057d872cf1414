//! Live updates: while page 1 of a range that includes today is shown, the console asks
//! the server for the total again every `refreshSeconds` (one row per ask); when it grew,
//! a polite banner says how many conversations are new, and only its Show reloads the
//! page, so rows never move under the operator's pointer or focus.
//!
//! The API has no push channel, so this is polling, with the rules in `schedule.rs`: no
//! asking while the document is hidden, a search loads or an export runs, nor after the
//! screen is gone; failed asks back off quietly (no error box).

mod schedule;

use std::cell::Cell;
use std::collections::HashSet;
use std::rc::Rc;
use std::time::Duration;

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::{ApiError, Latest, SearchQuery};
use crate::ctx::{use_ctx, Ctx};
use crate::i18n::{new_conversations, Msg};
use crate::model::search::{use_search, SearchState};
use crate::ui::lazy::split_view;
use crate::ui::Lazy;
use crate::time::{today_in, DateRange};
use schedule::{Backoff, Moment};

/// How long Show's new rows stay marked.
const HIGHLIGHT_FOR: Duration = Duration::from_secs(3);

/// The banner above the table, and the asking behind it: in the split build's
/// `after_results` chunk, loaded once the first results are there (asking starts later).
#[component]
pub fn LiveBanner() -> impl IntoView {
    let when = use_search().first_results_settled();
    view! { <Lazy when load=live_banner /> }
}

split_view! {
    after_results, fn live_banner() {
        view! { <Banner /> }.into_any()
    }
}

#[component]
fn Banner() -> impl IntoView {
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
        let asker = Asker {
            stopped: Rc::new(Cell::new(false)),
            timer: Rc::new(Cell::new(None)),
            backoff: Rc::new(Cell::new(Backoff::new(Duration::from_secs(u64::from(seconds))))),
            asks: asks.clone(),
            state,
            exporting,
            shown,
            asked,
            ctx,
        };
        asker.wait();
        // Nothing of it outlives the screen: no timer, no request (an embedding host's
        // unmount checks both).
        let stop = send_wrapper::SendWrapper::new(asker);
        on_cleanup(move || stop.stop());
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

/// Asks for the total on a timer: one timer or one request at a time, never both.
#[derive(Clone)]
struct Asker {
    stopped: Rc<Cell<bool>>,
    timer: Rc<Cell<Option<TimeoutHandle>>>,
    backoff: Rc<Cell<Backoff>>,
    asks: Rc<Latest>,
    state: SearchState,
    exporting: Signal<bool>,
    shown: RwSignal<Option<u64>>,
    asked: RwSignal<Option<u64>>,
    ctx: Ctx,
}

impl Asker {
    fn wait(&self) {
        if self.stopped.get() {
            return;
        }
        let next = self.clone();
        if let Ok(handle) = set_timeout_with_handle(move || next.tick(), self.backoff.get().next()) {
            self.timer.set(Some(handle));
        }
    }

    fn stop(&self) {
        self.stopped.set(true);
        if let Some(timer) = self.timer.take() {
            timer.clear();
        }
        self.asks.cancel();
    }

    fn tick(&self) {
        self.timer.set(None);
        // `try_`: the screen may be going away.
        let Some(moment) = self.moment() else { return };
        let filters = self.state.view.try_with_untracked(|v| v.filters.clone());
        let Some(filters) = filters.filter(|_| moment.may_ask()) else { return self.wait() };
        let asker = self.clone();
        leptos::task::spawn_local(async move {
            let ticket = asker.asks.begin();
            let outcome = asker.ctx.client().search(&SearchQuery { filters, page: 1, size: 1 }, ticket.signal()).await;
            // A stale answer (a newer search, an unmount) neither counts nor backs off.
            if asker.asks.is_current(&ticket) {
                let mut backoff = asker.backoff.get();
                match outcome {
                    Ok(page) => {
                        backoff.succeeded();
                        asker.asked.try_set(page.reported_total());
                    }
                    Err(ApiError::Aborted) => {}
                    // Quietly: the table still shows what it showed; the next search reports.
                    Err(_) => {
                        backoff.failed();
                    }
                }
                asker.backoff.set(backoff);
            }
            asker.wait();
        });
    }

    /// The screen's state for [`Moment::may_ask`]; `None` once the screen is gone.
    fn moment(&self) -> Option<Moment> {
        let first_page_shown = self.shown.try_get_untracked()?.is_some();
        let range = self.state.view.try_with_untracked(|v| DateRange { start: v.filters.start, end: v.filters.end })?;
        let visible = web_sys::window().and_then(|w| w.document()).is_some_and(|d| !d.hidden());
        Some(Moment {
            first_page_shown,
            range_has_today: schedule::range_has(range, today_in(self.ctx.zone())),
            visible,
            loading: self.state.loading.try_get_untracked()?,
            exporting: self.exporting.try_get_untracked()?,
        })
    }
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
