//! The search screen: filter form, results table, pager, and the view state they share
//! with the address bar and the chat drawer.

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;
mod columns;
mod form;
mod pager;
mod table;
mod url_sync;
pub mod url_state;

use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;

use crate::api::{ApiError, Latest, SearchFilters, SearchPage as ResultPage, SearchQuery};
use crate::app::{use_ctx, Ctx};
use crate::chat::ChatDrawer;
use crate::export::{Export, ExportPanel};
use crate::host::HostCommand;
use crate::time::{last_days, today_in};
pub use columns::Column;
pub use form::filters_summary;
use url_state::{Defaults, ViewState};
use url_sync::UrlSync;

/// A load that takes longer than this shows a progress bar.
const SLOW_AFTER: Duration = Duration::from_millis(300);

/// How a navigation treats the browser history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum History {
    /// A new entry (submitted search, page change).
    Push,
    /// A new entry for the drawer (opened from the table, a linked chat followed), which
    /// records how many drawer entries are then stacked above the one it was opened from,
    /// so that closing can go back to it (DESIGN §6 History); 0 above a deep link.
    PushDrawer(u32),
    /// Correct the current entry (e.g. a page past the end, a step in the drawer).
    Replace,
    /// Restoring from the address bar (Back/Forward): write nothing.
    Keep,
}

/// The state of the search screen, shared by its parts and the chat drawer.
#[derive(Clone, Copy)]
pub struct SearchState {
    /// What the address bar shows: submitted filters, page, size and open chat.
    pub view: RwSignal<ViewState>,
    /// The last page that arrived; kept (dimmed) while the next one loads.
    pub result: RwSignal<Option<ResultPage>>,
    pub loading: RwSignal<bool>,
    /// Loading for longer than [`SLOW_AFTER`].
    pub slow: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
    /// Bumped by Reset so the form reloads its fields from `view`.
    pub form_epoch: RwSignal<u32>,
    /// The table's visible columns, in order. Here rather than in the table because the
    /// CSV export follows them too (and storage may be unavailable, so the remembered
    /// preference is not a reliable copy).
    pub columns: RwSignal<Vec<Column>>,
    defaults: StoredValue<Defaults>,
    latest: StoredValue<Rc<Latest>, LocalStorage>,
    url: StoredValue<UrlSync, LocalStorage>,
    /// `Some` from a drawer close that goes back in history until its popstate arrives
    /// (`history.go` is asynchronous): a navigation asked for meanwhile (a row clicked at
    /// once) waits here and runs after it, else its new entry would be pushed first and the
    /// popstate would then close the drawer under an address that still names the chat.
    after_back: StoredValue<Option<Option<HeldNavigation>>>,
    ctx: Ctx,
}

type HeldNavigation = (ViewState, History, bool);

/// How long a drawer close waits for its popstate before navigations go ahead anyway (a
/// history that could not go back sends none).
const BACK_SETTLES_WITHIN: Duration = Duration::from_millis(500);

impl SearchState {
    fn new(ctx: Ctx) -> Self {
        let config = ctx.config();
        let defaults = Defaults {
            range: last_days(today_in(config.time_zone), config.default_range_days),
            page_sizes: config.page_sizes.clone(),
            page_size: config.default_page_size,
        };
        let url = UrlSync::new(config.url_sync, &config.url_prefix);
        let view = url.read(&defaults);
        // A request still in flight when the screen goes away (an embedding host
        // unmounting it) must not touch its disposed signals: cancelling makes it stale.
        let latest = Rc::new(Latest::default());
        let in_flight = send_wrapper::SendWrapper::new(latest.clone());
        on_cleanup(move || in_flight.cancel());
        let visible = RwSignal::new(columns::load_visible(&ctx.prefs()));
        Effect::new(move |_| columns::save_visible(&ctx.prefs(), &visible.get()));
        Self {
            view: RwSignal::new(view),
            result: RwSignal::new(None),
            loading: RwSignal::new(false),
            slow: RwSignal::new(false),
            error: RwSignal::new(None),
            form_epoch: RwSignal::new(0),
            columns: visible,
            defaults: StoredValue::new(defaults),
            latest: StoredValue::new_local(latest),
            url: StoredValue::new_local(url),
            after_back: StoredValue::new(None),
            ctx,
        }
    }

    pub fn defaults(self) -> Defaults {
        self.defaults.get_value()
    }

    /// Moves the screen to `next`: records it in the address bar as `history` says and
    /// searches again when the query part changed (or when `force` asks for it).
    pub fn navigate(self, next: ViewState, history: History, force: bool) {
        if history != History::Keep && self.after_back.with_value(Option::is_some) {
            self.after_back.set_value(Some(Some((next, history, force))));
            return;
        }
        let previous = self.view.get_untracked();
        let query_changed = query_of(&previous) != query_of(&next);
        if previous != next {
            self.url.with_value(|url| url.write(&next, &self.defaults.get_value(), history));
            self.view.set(next.clone());
        }
        if query_changed || force {
            self.fetch(query_of(&next));
        }
    }

    /// Submits filters from the form: page 1, same page size, drawer closed.
    pub fn submit(self, filters: SearchFilters) {
        let view = self.view.get_untracked();
        self.navigate(ViewState { filters, page: 1, size: view.size, chat: None }, History::Push, true);
    }

    pub fn set_page(self, page: u32) {
        let view = self.view.get_untracked();
        self.navigate(ViewState { page, ..view }, History::Push, false);
    }

    pub fn set_size(self, size: u32) {
        let view = self.view.get_untracked();
        self.navigate(ViewState { size, page: 1, ..view }, History::Push, false);
    }

    pub fn reset(self) {
        self.form_epoch.update(|e| *e += 1);
        self.navigate(self.defaults.get_value().view(), History::Push, true);
    }

    pub fn retry(self) {
        self.fetch(query_of(&self.view.get_untracked()));
    }

    /// Opens a chat from the table or the host, or follows a linked one: a new entry.
    pub fn open_chat(self, chat_id: String) {
        let open = self.view.with_untracked(|v| v.chat.is_some());
        let depth = match self.url.with_value(UrlSync::drawer_depth) {
            _ if !open => 1,
            // Above a deep link, closing replaces rather than going back: stay at 0.
            0 => 0,
            depth => depth.saturating_add(1),
        };
        self.show_chat(chat_id, History::PushDrawer(depth));
    }

    /// Steps to a neighbouring chat (`j`/`k`, the drawer's arrows): the entry is replaced.
    pub fn step_to_chat(self, chat_id: String) {
        self.show_chat(chat_id, History::Replace);
    }

    fn show_chat(self, chat_id: String, history: History) {
        let view = self.view.get_untracked();
        if view.chat.as_deref() != Some(chat_id.as_str()) {
            let events = self.ctx.events();
            self.navigate(ViewState { chat: Some(chat_id.clone()), ..view }, history, false);
            // Last: a host listener may unmount this console (see `host.rs`).
            events.chat_open(&chat_id);
        }
    }

    /// Closes the drawer by going back to the entry it was opened from, when it was opened
    /// here; a drawer from a deep link (or without URL sync) is closed in place.
    pub fn close_chat(self) {
        let view = self.view.get_untracked();
        if view.chat.is_none() {
            return;
        }
        let depth = self.url.with_value(UrlSync::drawer_depth);
        if depth == 0 {
            self.navigate(ViewState { chat: None, ..view }, History::Replace, false);
        } else {
            // Closed at once; the popstate that follows restores the rest of that entry
            // (the page it was opened on, if a step crossed pages).
            self.navigate(ViewState { chat: None, ..view }, History::Keep, false);
            self.after_back.set_value(Some(None));
            self.url.with_value(|url| url.go_back(depth));
            set_timeout(move || self.back_settled(None), BACK_SETTLES_WITHIN);
        }
    }

    /// Back/Forward (or a drawer close's own going back) restored `restored`, or the close
    /// waited long enough (`None`): then a navigation held meanwhile runs.
    fn back_settled(self, restored: Option<ViewState>) {
        // `try_`: the screen may be gone by the time a popstate or the timer arrives.
        let Some(pending) = self.after_back.try_get_value() else { return };
        if restored.is_none() && pending.is_none() {
            return;
        }
        self.after_back.set_value(None);
        if let Some(view) = restored {
            self.navigate(view, History::Keep, false);
        }
        if let Some((next, history, force)) = pending.flatten() {
            self.navigate(next, history, force);
        }
    }

    /// The rows of the current page, for the drawer's Previous/Next.
    pub fn chat_ids(self) -> Vec<String> {
        self.result.with_untracked(|r| {
            r.as_ref().map(|p| p.rows.iter().filter_map(|row| row.chat_id.clone()).collect()).unwrap_or_default()
        })
    }

    /// The last page number the current total allows; `None` when the server did not say
    /// how many results there are (it may still say that there is a next page).
    pub fn last_page(self) -> Option<u32> {
        let size = self.view.with_untracked(|v| v.size);
        let total = self.result.with_untracked(|r| r.as_ref().and_then(ResultPage::reported_total))?;
        Some(last_page_of(total, size))
    }

    /// Whether a page follows the current one: the server's `next` when it sent one,
    /// else what the total allows.
    pub fn has_next_page(self) -> bool {
        let next = self.result.with_untracked(|r| r.as_ref().and_then(|p| p.page.as_ref()).and_then(|p| p.next));
        next.unwrap_or_else(|| self.last_page().is_some_and(|last| self.view.with_untracked(|v| v.page) < last))
    }

    fn fetch(self, query: SearchQuery) {
        let latest = self.latest.get_value();
        let ticket = latest.begin();
        let ctx = self.ctx;
        let client = ctx.client();
        self.loading.set(true);
        self.error.set(None);
        set_timeout(
            move || {
                // `try_`: the screen may be gone by then.
                if self.loading.try_get_untracked() == Some(true) {
                    self.slow.try_set(true);
                }
            },
            SLOW_AFTER,
        );
        leptos::task::spawn_local(async move {
            let outcome = client.search(&query, ticket.signal()).await;
            // A newer search started meanwhile: this answer must not replace its results.
            if !latest.is_current(&ticket) {
                return;
            }
            self.loading.set(false);
            self.slow.set(false);
            match outcome {
                Ok(page) => {
                    let last = page.reported_total().map(|total| last_page_of(total, query.size));
                    if let Some(last) = last.filter(|last| page.rows.is_empty() && query.page > *last) {
                        // The total shrank under us: go to the last page that exists.
                        let view = self.view.get_untracked();
                        self.navigate(ViewState { page: last, ..view }, History::Replace, false);
                        return;
                    }
                    let total = page.total();
                    self.result.set(Some(page));
                    crate::perf::mark_results();
                    ctx.events().search(&query.filters, total);
                }
                Err(error) => {
                    if error != ApiError::Aborted {
                        self.error.set(Some(error.clone()));
                    }
                    ctx.report(&error);
                }
            }
        });
    }
}

/// The number of the last page of `total` results in pages of `size` (at least 1).
fn last_page_of(total: u64, size: u32) -> u32 {
    u32::try_from(total.div_ceil(u64::from(size.max(1))).max(1)).unwrap_or(u32::MAX)
}

fn query_of(view: &ViewState) -> SearchQuery {
    SearchQuery { filters: view.filters.clone(), page: view.page, size: view.size }
}

pub fn use_search() -> SearchState {
    expect_context::<SearchState>()
}

/// The whole screen: form, table, pager, and the drawer over them.
#[component]
pub fn SearchPage() -> impl IntoView {
    let ctx = use_ctx();
    let state = SearchState::new(ctx);
    provide_context(state);
    provide_context(Export::new(ctx));
    let listener = state.url.with_value(|url| url.listen(state.defaults(), move |view| state.back_settled(Some(view))));
    on_cleanup(move || drop(listener));
    // An embedding host's `handle.search()` / `handle.openChat()`.
    if let Some(commands) = use_context::<RwSignal<Option<HostCommand>>>() {
        Effect::new(move |_| {
            commands.track();
            // Taken, not read: a search page built again (signed in again) must not replay
            // the host's last command; one sent before this page existed still runs, once.
            match commands.try_update_untracked(Option::take).flatten() {
                Some(HostCommand::Search(filters)) => {
                    state.form_epoch.update(|e| *e += 1);
                    state.submit(filters.resolve(state.defaults().range));
                }
                Some(HostCommand::OpenChat(chat_id)) => state.open_chat(chat_id),
                None => {}
            }
        });
    }
    // Signed in again after an expired session (this screen was kept meanwhile): a
    // search that failed on the expiry is done again, so the screen is as it was.
    Effect::new(move |was_signed_in: Option<bool>| {
        let signed_in = ctx.signed_in.get();
        let failed_on_expiry = state.error.with_untracked(|e| matches!(e, Some(ApiError::AuthExpired { .. })));
        if was_signed_in == Some(false) && signed_in && failed_on_expiry {
            state.retry();
        }
        signed_in
    });
    // The default range (or the linked view) is searched at once.
    state.fetch(query_of(&state.view.get_untracked()));

    view! {
        <section class="opc-search">
            <form::FilterForm />
            <ExportPanel />
            <div class="opc-progress" class:opc-progress--on=move || state.slow.get() role="progressbar"
                aria-hidden=move || (!state.slow.get()).to_string() aria-label=move || ctx.t(crate::i18n::Msg::Loading)></div>
            <table::ResultsTable />
            <pager::Pager />
        </section>
        <ChatDrawer />
    }
}
