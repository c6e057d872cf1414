//! Runs an export: pages are fetched one at a time (at most one request in flight, so the
//! export never crowds out the table's own searches), each turned into a CSV chunk and
//! kept as a Blob part. A failed page is tried three times with backoff, then the export
//! pauses until the operator picks Retry or Save what we have.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::html;
use leptos::prelude::*;

use super::csv::{self, Field};
use super::download;
use super::walk::{Progress, Walk};
use super::ExportError;
use crate::api::client::Ticket;
use crate::api::{ApiClient, ApiError, Latest, SearchFilters, SearchPage, SearchQuery};
use crate::app::Ctx;
use crate::i18n::Locale;
use crate::search::Column;
use crate::time::{format_date, sleep};

/// Tries per page before the export pauses.
const TRIES: u32 = 3;
/// Wait before the second try; doubled before each further one.
const FIRST_BACKOFF: Duration = Duration::from_millis(500);

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Phase {
    Idle,
    Running,
    /// Stopped on an error; the operator chooses Retry or Save what we have.
    Paused(ExportError),
    /// The file was offered as a download; `complete` is false after Save what we have.
    Done { file: String, progress: Progress, complete: bool },
}

/// What an export has gathered so far.
struct Job {
    walk: Walk,
    fields: Vec<Field>,
    /// The language of the header, kept for the statuses of every page.
    locale: Locale,
    /// The file's chunks in order (header first), as Blob parts.
    parts: js_sys::Array,
    file: String,
}

#[derive(Clone, Copy)]
pub struct Export {
    pub(super) phase: RwSignal<Phase>,
    pub(super) progress: RwSignal<Progress>,
    /// When the current stretch of fetching began, and the rows written by then: the
    /// estimate of the time left is made from this stretch only, so a pause does not
    /// distort it.
    pub(super) pace_origin: StoredValue<(f64, u64)>,
    job: StoredValue<Option<Rc<RefCell<Job>>>, LocalStorage>,
    latest: StoredValue<Rc<Latest>, LocalStorage>,
    /// Where the download link is clicked: inside the console's own root.
    pub(super) anchor: NodeRef<html::Div>,
    ctx: Ctx,
}

impl Export {
    pub fn new(ctx: Ctx) -> Self {
        // Pages still coming when the screen goes away (an embedding host unmounting it)
        // must not touch its disposed signals: cancelling makes them stale.
        let latest = Rc::new(Latest::default());
        let in_flight = send_wrapper::SendWrapper::new(latest.clone());
        on_cleanup(move || in_flight.cancel());
        Self {
            phase: RwSignal::new(Phase::Idle),
            progress: RwSignal::new(Progress::default()),
            pace_origin: StoredValue::new((0.0, 0)),
            job: StoredValue::new_local(None),
            latest: StoredValue::new_local(latest),
            anchor: NodeRef::new(),
            ctx,
        }
    }

    /// An export is running or paused: another cannot start.
    pub fn busy(self) -> Signal<bool> {
        Signal::derive(move || self.phase.with(|p| matches!(p, Phase::Running | Phase::Paused(_))))
    }

    /// Starts exporting everything `filters` match, with the table's `columns` in order.
    pub fn start(self, filters: SearchFilters, columns: &[Column]) {
        if self.busy().get_untracked() {
            return;
        }
        let fields = csv::fields(columns);
        let locale = self.ctx.locale.get_untracked();
        let parts = js_sys::Array::of1(&download::part(&csv::head(&fields, locale)));
        let file = file_name(&filters);
        let job = Job { walk: Walk::new(filters), fields, locale, parts, file };
        self.job.set_value(Some(Rc::new(RefCell::new(job))));
        self.progress.set(Progress::default());
        self.resume();
    }

    /// Fetches from the page that is due (after a start or a Retry) to the end, then
    /// saves; a Retry after a failed save saves again.
    pub(super) fn resume(self) {
        let Some(job) = self.job.get_value() else { return };
        if job.borrow().walk.done() {
            self.save();
            return;
        }
        self.phase.set(Phase::Running);
        self.pace_origin.set_value((js_sys::Date::now(), self.progress.get_untracked().written));
        let latest = self.latest.get_value();
        let ticket = latest.begin();
        let client = self.ctx.client();
        let zone = self.ctx.zone();
        leptos::task::spawn_local(async move {
            loop {
                let query = job.borrow().walk.query().clone();
                let page = match fetch_page(&client, &query, &latest, &ticket).await {
                    Ok(page) => page,
                    Err(Stop::Cancelled) => return,
                    Err(Stop::Failed(error)) => {
                        // Paused first: reporting an expired session may sign out and
                        // take this screen away.
                        self.phase.set(Phase::Paused(ExportError::Page(error.clone())));
                        self.ctx.report(&error);
                        return;
                    }
                };
                let done = {
                    let mut job = job.borrow_mut();
                    let Job { walk, fields, locale, parts, .. } = &mut *job;
                    let fresh = walk.take(&page);
                    parts.push(&download::part(&csv::records(fields, fresh.into_iter(), zone, *locale)));
                    self.progress.set(walk.progress());
                    walk.done()
                };
                if done {
                    self.save();
                    return;
                }
            }
        });
    }

    /// Offers what has been gathered as a download.
    pub(super) fn save(self) {
        let Some(job) = self.job.get_value() else { return };
        let job = job.borrow();
        match download::save(&job.parts, &job.file, self.anchor.get_untracked().as_deref()) {
            Ok(()) => {
                let progress = self.progress.get_untracked();
                self.phase.set(Phase::Done { file: job.file.clone(), progress, complete: job.walk.done() });
                drop(job);
                self.job.set_value(None);
            }
            Err(step) => self.phase.set(Phase::Paused(ExportError::Save(step))),
        }
    }

    /// Stops the walk and forgets what it gathered: no file.
    pub(super) fn cancel(self) {
        self.latest.with_value(|l| l.cancel());
        self.job.set_value(None);
        self.phase.set(Phase::Idle);
    }

    /// Hides the result line of a finished export.
    pub(super) fn dismiss(self) {
        self.phase.set(Phase::Idle);
    }
}

pub fn use_export() -> Export {
    expect_context::<Export>()
}

/// `conversations_<start>_<end>.csv`.
fn file_name(filters: &SearchFilters) -> String {
    format!("conversations_{}_{}.csv", format_date(filters.start), format_date(filters.end))
}

/// Why fetching a page stopped without one.
enum Stop {
    /// The operator cancelled, or the screen went away.
    Cancelled,
    Failed(ApiError),
}

/// `query`'s page, tried up to [`TRIES`] times with doubling pauses when the error may
/// pass (a 502 from a proxy, a timeout); an error that cannot (an expired session) stops
/// at once.
async fn fetch_page(client: &ApiClient, query: &SearchQuery, latest: &Latest, ticket: &Ticket) -> Result<SearchPage, Stop> {
    let mut backoff = FIRST_BACKOFF;
    let mut tries = 1;
    loop {
        let outcome = client.search(query, ticket.signal()).await;
        if !latest.is_current(ticket) {
            return Err(Stop::Cancelled);
        }
        match outcome {
            Ok(page) => return Ok(page),
            Err(error) if tries < TRIES && error.retryable() => {
                sleep(backoff).await;
                if !latest.is_current(ticket) {
                    return Err(Stop::Cancelled);
                }
                backoff *= 2;
                tries += 1;
            }
            Err(error) => return Err(Stop::Failed(error)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_date;

    #[test]
    fn the_file_is_named_after_the_range() {
        let filters = SearchFilters::with_range(parse_date("2015-01-01").expect("date"), parse_date("2015-12-31").expect("date"));
        assert_eq!(file_name(&filters), "conversations_2015-01-01_2015-12-31.csv");
    }
}
