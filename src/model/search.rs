//! The search screen's state and its operations: what the address bar holds (filters,
//! page, size, open chat), the page of results that arrived, loading and error, the
//! visible columns, and the rules for moving between them (navigate, submit, page, open
//! and close the drawer, fetch, recover from a shrunken total).

use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;

use super::address_bar::{AddressBar, Listener};
use super::columns::{self, Column};
use super::selection::Selection;
use super::view_state::{Defaults, ViewState};
use crate::api::{ApiError, Latest, SearchPage, SearchQuery};
use crate::ctx::{request_series, Ctx};
use crate::filters::SearchFilters;
use crate::host::HostCommand;
use crate::time::{last_days, today_in};

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
    pub result: RwSignal<Option<SearchPage>>,
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
    /// The rows the operator picked (by chat id, with their data), for this search.
    pub selection: RwSignal<Selection>,
    /// A selection was dropped by a new search: the operator is told until the next pick.
    pub selection_dropped: RwSignal<bool>,
    defaults: StoredValue<Defaults>,
    latest: StoredValue<Rc<Latest>, LocalStorage>,
    address_bar: StoredValue<AddressBar, LocalStorage>,
    /// `Some` from a drawer close that goes back in history until its popstate arrives
    /// (`history.go` is asynchronous): a navigation asked for meanwhile (a row clicked at
    /// once) waits here and runs after it, else its new entry would be pushed first and the
    /// popstate would then close the drawer under an address that still names the chat.
    after_back: StoredValue<Option<Option<HeldNavigation>>>,
    /// Counts drawer closes, so that a close's timer releases only its own hold (a second
    /// close within [`BACK_SETTLES_WITHIN`] of the first has a hold of its own).
    closes: StoredValue<u32>,
    ctx: Ctx,
}

type HeldNavigation = (ViewState, History, bool);

/// The rows of a search result (none before the first answer).
pub fn rows_of(result: &Option<SearchPage>) -> &[crate::api::SearchRow] {
    result.as_ref().map_or(&[], |page| page.rows.as_slice())
}

/// How long a drawer close waits for its popstate before navigations go ahead anyway (a
/// history that could not go back sends none).
const BACK_SETTLES_WITHIN: Duration = Duration::from_millis(500);

impl SearchState {
    pub fn new(ctx: Ctx) -> Self {
        let config = ctx.config();
        let defaults = Defaults {
            range: last_days(today_in(config.time_zone), config.default_range_days),
            page_sizes: config.page_sizes.clone(),
            page_size: config.default_page_size,
        };
        let address_bar = AddressBar::new(config.url_sync, &config.url_prefix);
        let view = address_bar.read(&defaults);
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
            selection: RwSignal::new(Selection::default()),
            selection_dropped: RwSignal::new(false),
            defaults: StoredValue::new(defaults),
            latest: request_series(),
            address_bar: StoredValue::new_local(address_bar),
            after_back: StoredValue::new(None),
            closes: StoredValue::new(0),
            ctx,
        }
    }

    pub fn defaults(self) -> Defaults {
        self.defaults.get_value()
    }

    /// True once the screen's first search has settled and been painted (its rows or its
    /// error are on screen), and from then on: the parts not needed for the first results
    /// load after it.
    pub fn first_results_settled(self) -> Signal<bool> {
        let settled = RwSignal::new(false);
        Effect::new(move |done: Option<bool>| {
            if done == Some(true) {
                return true;
            }
            let arrived = !self.loading.get() && (self.result.with(Option::is_some) || self.error.with(Option::is_some));
            if arrived {
                // A turn later than the `opc:first-results` mark, which is set after the same paint.
                crate::perf::after_paint(move || {
                    set_timeout(
                        move || {
                            let _ = settled.try_set(true);
                        },
                        Duration::ZERO,
                    )
                });
            }
            arrived
        });
        settled.into()
    }

    /// Whether the address carries any of this console's parameters (a link, a reload,
    /// Back): then a default saved view does not replace them.
    pub fn address_names_a_view(self) -> bool {
        self.address_bar.with_value(AddressBar::names_a_view)
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
        if self.selection.try_update_untracked(|s| s.follow(&previous.filters, &next.filters)) == Some(true) {
            self.selection.notify();
            self.selection_dropped.set(true);
        }
        if previous != next {
            self.address_bar.with_value(|bar| bar.write(&next, &self.defaults.get_value(), history));
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
        let depth = match self.address_bar.with_value(AddressBar::drawer_depth) {
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
        let depth = self.address_bar.with_value(AddressBar::drawer_depth);
        if depth == 0 {
            self.navigate(ViewState { chat: None, ..view }, History::Replace, false);
        } else {
            // Closed at once; the popstate that follows restores the rest of that entry
            // (the page it was opened on, if a step crossed pages).
            self.navigate(ViewState { chat: None, ..view }, History::Keep, false);
            self.after_back.set_value(Some(None));
            self.closes.update_value(|n| *n = n.wrapping_add(1));
            let close = self.closes.get_value();
            self.address_bar.with_value(|bar| bar.go_back(depth));
            set_timeout(
                move || {
                    if self.closes.try_get_value() == Some(close) {
                        self.back_settled(None)
                    }
                },
                BACK_SETTLES_WITHIN,
            );
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

    /// A click on (or Space in) the row at `index` of this page picks or drops it; with
    /// `range` (Shift+click), every row from the last one toggled.
    pub fn select_row(self, index: usize, range: bool) {
        self.change_selection(|selection, page| if range { selection.extend_to(page, index) } else { selection.toggle(page, index) });
    }

    /// Select all on this page, or none of it.
    pub fn select_page(self, on: bool) {
        self.change_selection(|selection, page| selection.set_page(page, on));
    }

    pub fn clear_selection(self) {
        self.change_selection(|selection, _| selection.clear());
    }

    fn change_selection(self, change: impl FnOnce(&mut Selection, &[crate::api::SearchRow])) {
        self.result.with_untracked(|result| self.selection.update(|selection| change(selection, rows_of(result))));
        if self.selection_dropped.get_untracked() {
            self.selection_dropped.set(false);
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
        self.result.with_untracked(|r| r.as_ref().and_then(|page| last_page_of(page, size)))
    }

    /// Whether a page follows the current one: the server's `next` when it sent one,
    /// else what the total allows.
    pub fn has_next_page(self) -> bool {
        let next = self.result.with_untracked(|r| r.as_ref().and_then(|p| p.page.as_ref()).and_then(|p| p.next));
        next.unwrap_or_else(|| self.last_page().is_some_and(|last| self.view.with_untracked(|v| v.page) < last))
    }

    /// Follows Back/Forward (and hand-edited hashes) for as long as the returned listener
    /// is kept.
    pub fn follow_address_bar(self) -> Listener {
        self.address_bar.with_value(|bar| bar.listen(self.defaults(), move |view| self.back_settled(Some(view))))
    }

    /// Runs a request from an embedding host's mount handle.
    pub fn run_host_command(self, command: HostCommand) {
        match command {
            HostCommand::Search(filters) => {
                self.form_epoch.update(|e| *e += 1);
                self.submit(filters.resolve(self.defaults().range));
            }
            HostCommand::OpenChat(chat_id) => self.open_chat(chat_id),
        }
    }

    /// Searches what the view says (the screen's first load).
    pub fn load(self) {
        self.fetch(query_of(&self.view.get_untracked()));
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
            latest.finished(&ticket);
            self.loading.set(false);
            self.slow.set(false);
            match outcome {
                Ok(page) => {
                    if let Some(last) = last_page_of(&page, query.size).filter(|last| page.rows.is_empty() && query.page > *last) {
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

/// The number of the last page of `page`'s reported total in pages of `size` (at least
/// 1); `None` when the server did not say how many results there are.
fn last_page_of(page: &SearchPage, size: u32) -> Option<u32> {
    let total = page.reported_total()?;
    Some(u32::try_from(total.div_ceil(u64::from(size.max(1))).max(1)).unwrap_or(u32::MAX))
}

fn query_of(view: &ViewState) -> SearchQuery {
    SearchQuery { filters: view.filters.clone(), page: view.page, size: view.size }
}

pub fn use_search() -> SearchState {
    expect_context::<SearchState>()
}
