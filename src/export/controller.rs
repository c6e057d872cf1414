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
use super::name::{file_name, selection_file_name, Partial};
use super::walk::{Outcome, Progress, Walk};
use super::ExportError;
use crate::api::client::Ticket;
use crate::api::{ApiClient, ApiError, Latest, SearchPage, SearchQuery, SearchRow};
use crate::filters::SearchFilters;
use crate::ctx::{request_series, Ctx};
use crate::i18n::{export_short, export_stalled, Locale};
use crate::model::columns::Column;
use crate::time::sleep;

/// Tries per page before the export pauses.
const TRIES: u32 = 3;
/// Wait before the second try; doubled before each further one.
const FIRST_BACKOFF: Duration = Duration::from_millis(500);

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Phase {
    Idle,
    /// The form holds other filters (`typed`) than the last search: the operator picks
    /// which ones the file follows.
    Asking { typed: SearchFilters },
    Running,
    /// Stopped on an error; the operator chooses Retry or Save what we have.
    Paused(ExportError),
    /// The file was offered as a download.
    Done { file: String, progress: Progress, ending: Ending },
}

/// What a saved file holds of what the search matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ending {
    Complete,
    /// Save what we have: the operator kept the pages of a paused export.
    Early,
    /// The server's pages ran out before its total.
    Short,
    /// The server kept sending rows already written.
    Stalled,
}

impl Ending {
    fn of(outcome: Option<Outcome>) -> Self {
        match outcome {
            Some(Outcome::Complete) => Self::Complete,
            Some(Outcome::Short) => Self::Short,
            Some(Outcome::Stalled) => Self::Stalled,
            None => Self::Early,
        }
    }

    /// What the operator (and the host, as `op-error`) must be told about a file that the
    /// server left incomplete; the operator knows why a Save what we have is.
    pub(super) fn warning(self, locale: Locale, progress: Progress) -> Option<String> {
        match self {
            Self::Short => Some(export_short(locale, progress.written, progress.total)),
            Self::Stalled => Some(export_stalled(locale, progress.written)),
            Self::Complete | Self::Early => None,
        }
    }
}

/// What an export has gathered so far.
struct Job {
    walk: Walk,
    fields: Vec<Field>,
    /// The language of the header, kept for the statuses of every page.
    locale: Locale,
    /// The file's chunks in order (header first), as Blob parts.
    parts: js_sys::Array,
}

#[derive(Clone, Copy)]
pub struct Export {
    pub(super) phase: RwSignal<Phase>,
    pub(super) progress: RwSignal<Progress>,
    /// The filters of the export under way or just saved, which the panel names.
    pub(super) filters: RwSignal<Option<SearchFilters>>,
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
        Self {
            phase: RwSignal::new(Phase::Idle),
            progress: RwSignal::new(Progress::default()),
            filters: RwSignal::new(None),
            pace_origin: StoredValue::new((0.0, 0)),
            job: StoredValue::new_local(None),
            latest: request_series(),
            anchor: NodeRef::new(),
            ctx,
        }
    }

    /// An export is running or paused: another cannot start.
    pub fn busy(self) -> Signal<bool> {
        Signal::derive(move || self.phase.with(|p| matches!(p, Phase::Running | Phase::Paused(_))))
    }

    /// Export CSV: the last search's filters (`last`), which the table shows; when the
    /// form holds others (`typed`), the operator is asked first which ones to export.
    pub fn request(self, typed: SearchFilters, last: SearchFilters, columns: &[Column]) {
        if self.busy().get_untracked() {
            return;
        }
        if typed.same_search(&last) {
            self.start(last, columns);
        } else {
            self.phase.set(Phase::Asking { typed });
        }
    }

    /// Starts exporting everything `filters` match, with the table's `columns` in order.
    pub(super) fn start(self, filters: SearchFilters, columns: &[Column]) {
        if self.busy().get_untracked() {
            return;
        }
        let fields = csv::fields(columns);
        let locale = self.ctx.app_locale.get_untracked();
        let parts = js_sys::Array::of1(&download::part(&csv::head(&fields, locale)));
        self.filters.set(Some(filters.clone()));
        let job = Job { walk: Walk::new(filters), fields, locale, parts };
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

    /// Offers what has been gathered as a download, named after the filters and, when
    /// it is partial, after how much it holds.
    pub(super) fn save(self) {
        let Some(job) = self.job.get_value() else { return };
        let progress = self.progress.get_untracked();
        let (saved, file, ending) = {
            let job = job.borrow();
            let ending = Ending::of(job.walk.outcome());
            let partial = (ending != Ending::Complete)
                .then(|| Partial { written: progress.written, total: progress.total_known.then_some(progress.total) });
            let file = file_name(&job.walk.query().filters, partial);
            (download::save(&job.parts, &file, self.anchor.get_untracked().as_deref()), file, ending)
        };
        match saved {
            Ok(()) => {
                self.job.set_value(None);
                let warning = ending.warning(self.ctx.app_locale.get_untracked(), progress);
                self.phase.set(Phase::Done { file, progress, ending });
                // Last, with nothing read after it: a host listener may take the console away.
                if let Some(warning) = warning {
                    self.ctx.events().error("export", &warning);
                }
            }
            Err(step) => self.phase.set(Phase::Paused(ExportError::Save(step))),
        }
    }

    /// Export selected: `rows` (kept when they were picked, so no request) in the same
    /// format and columns as Export CSV, offered as a download at once; the file's name.
    pub fn save_rows(self, filters: &SearchFilters, columns: &[Column], rows: &[SearchRow]) -> Result<String, ExportError> {
        let fields = csv::fields(columns);
        let locale = self.ctx.app_locale.get_untracked();
        let parts = js_sys::Array::of2(
            &download::part(&csv::head(&fields, locale)),
            &download::part(&csv::records(&fields, rows.iter(), self.ctx.zone(), locale)),
        );
        let file = selection_file_name(filters, rows.len());
        download::save(&parts, &file, self.anchor.get_untracked().as_deref()).map_err(ExportError::Save)?;
        Ok(file)
    }

    /// Stops the walk and forgets what it gathered: no file.
    pub(super) fn cancel(self) {
        self.latest.with_value(|l| l.cancel());
        self.job.set_value(None);
        self.phase.set(Phase::Idle);
    }

    /// Hides the result line of a finished export, or the question before one.
    pub(super) fn dismiss(self) {
        self.phase.set(Phase::Idle);
    }
}

pub fn use_export() -> Export {
    expect_context::<Export>()
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

    #[test]
    fn a_file_the_server_left_incomplete_comes_with_a_warning() {
        let progress = Progress { written: 500, total: 778, total_known: true, total_changed: None };
        let short = Ending::of(Some(Outcome::Short));
        assert_eq!(short.warning(Locale::En, progress).as_deref(), Some("500 of 778 rows saved — the server returned fewer than it reported."));
        assert_eq!(short.warning(Locale::ZhCn, progress).as_deref(), Some("已保存 500 / 778 条——服务器返回的会话少于它报告的数量。"));
        let stalled = Ending::of(Some(Outcome::Stalled)).warning(Locale::En, progress);
        assert!(stalled.is_some_and(|w| w.starts_with("The export stopped after 500 rows")));
        assert_eq!(Ending::of(Some(Outcome::Complete)).warning(Locale::En, progress), None);
        assert_eq!(Ending::of(None), Ending::Early, "saved before the walk ended: Save what we have");
        assert_eq!(Ending::Early.warning(Locale::En, progress), None, "the operator chose it");
    }
}
