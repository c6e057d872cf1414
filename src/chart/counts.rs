//! Getting the bars' counts: one `chatSearchs` per bucket (the submitted filters, the
//! bucket's dates, page 1 of size 1), reading `page.total`. At most [`IN_FLIGHT`] at once,
//! all aborted together when the filters change or the console goes away; closed buckets
//! come from the [`CountCache`] when it has them.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use chrono::NaiveDate;
use leptos::prelude::*;

use super::buckets::{buckets, Bucket};
use super::cache::CountCache;
use crate::api::client::Ticket;
use crate::api::{ApiError, Latest, SearchQuery};
use crate::filters::SearchFilters;
use crate::ctx::{request_series, Ctx};
use crate::i18n::{Locale, Msg};

/// Count calls in flight at once, per console.
pub const IN_FLIGHT: usize = 4;

/// One bar's state.
#[derive(Debug, Clone, PartialEq)]
pub enum Slot {
    Waiting,
    Counted(u64),
    /// Drawn as a gap with its own Retry.
    Failed(CountError),
}

/// Why a bucket has no count.
#[derive(Debug, Clone, PartialEq)]
pub enum CountError {
    Api(ApiError),
    /// The server answered without `page.total` (some do): nothing to count with.
    NoTotal,
}

impl CountError {
    pub fn message(&self, locale: Locale) -> String {
        match self {
            Self::Api(error) => error.message(locale),
            Self::NoTotal => Msg::NoTotal.text(locale).to_owned(),
        }
    }
}

/// The chart's buckets and their counts for one set of submitted filters.
#[derive(Clone, Copy)]
pub struct Counts {
    pub buckets: RwSignal<Vec<Bucket>>,
    pub slots: RwSignal<Vec<Slot>>,
    /// The filters (their range included) the buckets are cut from.
    pub filters: RwSignal<Option<SearchFilters>>,
    run: StoredValue<Option<Rc<Run>>, LocalStorage>,
    cache: StoredValue<Rc<RefCell<CountCache>>, LocalStorage>,
    latest: StoredValue<Rc<Latest>, LocalStorage>,
    /// Refresh was asked for: the next start skips the cache.
    refresh: StoredValue<bool>,
    ctx: Ctx,
}

/// One round of counting: the queue of buckets still to ask and the workers on it. It
/// holds what the workers use, so that none of them reads this console's (maybe already
/// disposed) reactive values: a host may unmount it while they wait for an answer.
struct Run {
    latest: Rc<Latest>,
    client: crate::api::ApiClient,
    cache: Rc<RefCell<CountCache>>,
    slots: RwSignal<Vec<Slot>>,
    ctx: Ctx,
    ticket: Ticket,
    filters: SearchFilters,
    buckets: Vec<Bucket>,
    today: NaiveDate,
    queue: RefCell<VecDeque<usize>>,
    running: Cell<usize>,
    /// Refresh: ask again even what the cache holds.
    fresh: bool,
}

impl Counts {
    pub fn new(ctx: Ctx) -> Self {
        Self {
            buckets: RwSignal::new(Vec::new()),
            slots: RwSignal::new(Vec::new()),
            filters: RwSignal::new(None),
            run: StoredValue::new_local(None),
            cache: StoredValue::new_local(Rc::new(RefCell::new(CountCache::default()))),
            // Unmounted (a host's `unmount()`, signed out): nothing more is asked, and
            // answers still on their way find their ticket stale.
            latest: request_series(),
            refresh: StoredValue::new(false),
            ctx,
        }
    }

    /// Whether this console is still mounted (for work scheduled before it may have gone).
    pub fn alive(self) -> bool {
        self.run.try_with_value(|_| ()).is_some()
    }

    /// Whether counting has started for the filters shown.
    pub fn started(self) -> bool {
        self.run.with_value(Option::is_some)
    }

    /// New filters: whatever is in flight is aborted and the buckets are cut, all waiting
    /// until [`Counts::start`] (after the table's page arrives).
    pub fn prepare(self, filters: &SearchFilters) {
        self.stop();
        let cut = buckets(crate::time::DateRange { start: filters.start, end: filters.end });
        self.slots.set(vec![Slot::Waiting; cut.len()]);
        // The same buckets again (the same search, Refresh): the bars are kept, not rebuilt.
        if self.buckets.with_untracked(|buckets| *buckets != cut) {
            self.buckets.set(cut);
        }
        self.filters.set(Some(filters.clone()));
    }

    /// Refresh (counts changed while loading): the table searches again, and the next
    /// start asks every bucket again.
    pub fn ask_refresh(self) {
        self.refresh.set_value(true);
    }

    /// Whether Refresh was asked for since the last start (taken once).
    pub fn refresh_asked(self) -> bool {
        self.refresh.try_update_value(std::mem::take).unwrap_or(false)
    }

    /// Aborts the calls in flight and forgets the queue.
    pub fn stop(self) {
        self.latest.with_value(|latest| latest.cancel());
        self.run.set_value(None);
    }

    /// Counts every bucket of `filters`; `fresh` skips the cache.
    pub fn start(self, filters: &SearchFilters, fresh: bool) {
        self.prepare(filters);
        if fresh {
            self.cache.with_value(|cache| cache.borrow_mut().clear());
        }
        let buckets = self.buckets.get_untracked();
        let latest = self.latest.get_value();
        let run = Rc::new(Run {
            ticket: latest.begin(),
            latest,
            client: self.ctx.client(),
            cache: self.cache.get_value(),
            slots: self.slots,
            ctx: self.ctx,
            filters: filters.clone(),
            today: super::buckets::today_at(chrono::Utc::now(), self.ctx.zone()),
            queue: RefCell::new((0..buckets.len()).collect()),
            running: Cell::new(0),
            buckets,
            fresh,
        });
        self.run.set_value(Some(run.clone()));
        self.add_workers(&run);
    }

    /// Asks again for a bucket whose call failed.
    pub fn retry(self, index: usize) {
        let Some(run) = self.run.get_value() else { return };
        let failed = self.slots.with_untracked(|slots| matches!(slots.get(index), Some(Slot::Failed(_))));
        if !failed || !self.latest.with_value(|latest| latest.is_current(&run.ticket)) {
            return;
        }
        self.slots.update(|slots| {
            if let Some(slot) = slots.get_mut(index) {
                *slot = Slot::Waiting;
            }
        });
        run.queue.borrow_mut().push_back(index);
        self.add_workers(&run);
    }

    fn add_workers(self, run: &Rc<Run>) {
        let wanted = IN_FLIGHT.min(run.queue.borrow().len() + run.running.get());
        while run.running.get() < wanted {
            run.running.set(run.running.get() + 1);
            leptos::task::spawn_local(work(run.clone()));
        }
    }
}

/// One worker: takes buckets off the queue until it is empty or the run is stale.
async fn work(run: Rc<Run>) {
    let Run { latest, client, cache, .. } = &*run;
    loop {
        let next = run.queue.borrow_mut().pop_front();
        let Some(index) = next.filter(|_| latest.is_current(&run.ticket)) else { break };
        let bucket = run.buckets[index];
        let query = bucket_query(&run.filters, &bucket);
        let body = query.body();
        let cached = (!run.fresh).then(|| cache.borrow().get(&body, &bucket, run.today, js_sys::Date::now())).flatten();
        let slot = match cached {
            Some(count) => Slot::Counted(count),
            None => {
                let outcome = client.search(&query, run.ticket.signal()).await;
                if !latest.is_current(&run.ticket) {
                    break;
                }
                match outcome.map(|page| page.reported_total()) {
                    Ok(Some(count)) => {
                        cache.borrow_mut().put(body, count, js_sys::Date::now());
                        Slot::Counted(count)
                    }
                    Ok(None) => Slot::Failed(CountError::NoTotal),
                    Err(error) => {
                        // An expired session is the console's business (sign-in, the
                        // host's event); other failures stay in the chart, whose gaps
                        // say so, rather than one `op-error` per bar.
                        if matches!(error, ApiError::AuthExpired { .. }) {
                            run.ctx.report(&error);
                        }
                        Slot::Failed(CountError::Api(error))
                    }
                }
            }
        };
        run.slots.try_update(|slots| {
            if let Some(place) = slots.get_mut(index) {
                *place = slot;
            }
        });
    }
    run.running.set(run.running.get().saturating_sub(1));
    if run.running.get() == 0 && latest.is_current(&run.ticket) {
        crate::perf::mark_chart_complete();
    }
}

/// The count call of `bucket`: the filters as submitted, the bucket's dates, one row.
pub fn bucket_query(filters: &SearchFilters, bucket: &Bucket) -> SearchQuery {
    SearchQuery { filters: SearchFilters { start: bucket.start, end: bucket.end, ..filters.clone() }, page: 1, size: 1 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_date;

    #[test]
    fn a_count_call_is_page_one_of_size_one_with_the_buckets_dates() {
        let day = |text| parse_date(text).expect("date");
        let mut filters = SearchFilters::with_range(day("2026-01-01"), day("2026-11-30"));
        filters.nick = " 阿洋 ".into();
        let bucket = crate::chart::buckets::buckets(crate::time::DateRange { start: filters.start, end: filters.end })[0];
        assert_eq!(
            bucket_query(&filters, &bucket).body(),
            r#"{"userNick":"阿洋","startTime":"2026-01-01","endTime":"2026-01-04","pageNum":1,"pageSize":1}"#
        );
    }
}
