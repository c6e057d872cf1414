//! `Export CSV`: every row matching the submitted filters, uncapped. Pages of 500 are
//! fetched one at a time (at most one request in flight), each turned into a CSV chunk
//! that goes straight into a JS string part, so memory stays near the file's size; the
//! parts become one `Blob` at the end. A failed page is tried three times with backoff,
//! then the export pauses with Retry / Save what we have.

pub mod csv;

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::api::{ApiError, Latest, SearchFilters, SearchQuery};
use crate::app::{use_ctx, Ctx};
use crate::i18n::{export_progress, export_saved, export_total_changed, Msg};
use crate::search::columns_for_export;
use crate::time::format_date;
use csv::Field;

/// The server's page-size cap: the fewest requests for a given total.
const PAGE_SIZE: u32 = 500;
const TRIES: u32 = 3;
const FIRST_BACKOFF_MS: i32 = 500;

#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Idle,
    Running,
    /// A page failed three times; the operator chooses Retry or Save what we have.
    Paused(ApiError),
    Done { file: String, rows: u64 },
}

/// What an export has gathered so far.
struct Job {
    query: SearchQuery,
    fields: Vec<Field>,
    /// CSV chunks as JS strings, in order; they become the Blob.
    parts: js_sys::Array,
    /// Chat ids written so far: new chats arriving between pages shift rows across page
    /// boundaries, and a row must not appear twice.
    seen: HashSet<String>,
}

#[derive(Clone, Copy)]
pub struct Export {
    phase: RwSignal<Phase>,
    fetched: RwSignal<u64>,
    total: RwSignal<u64>,
    /// (total when the export started, total now) once they differ.
    total_changed: RwSignal<Option<(u64, u64)>>,
    started_ms: RwSignal<f64>,
    job: StoredValue<Option<Rc<RefCell<Job>>>, LocalStorage>,
    latest: StoredValue<Rc<Latest>, LocalStorage>,
    /// Where the download link is clicked: inside the console's own root.
    anchor: NodeRef<html::Div>,
    ctx: Ctx,
}

impl Export {
    pub fn new(ctx: Ctx) -> Self {
        let latest = Rc::new(Latest::default());
        let in_flight = send_wrapper::SendWrapper::new(latest.clone());
        on_cleanup(move || in_flight.cancel());
        Self {
            phase: RwSignal::new(Phase::Idle),
            fetched: RwSignal::new(0),
            total: RwSignal::new(0),
            total_changed: RwSignal::new(None),
            started_ms: RwSignal::new(0.0),
            job: StoredValue::new_local(None),
            latest: StoredValue::new_local(latest),
            anchor: NodeRef::new(),
            ctx,
        }
    }

    pub fn running(self) -> Signal<bool> {
        Signal::derive(move || self.phase.with(|p| matches!(p, Phase::Running | Phase::Paused(_))))
    }

    /// Starts exporting everything `filters` match.
    pub fn start(self, filters: SearchFilters) {
        if self.running().get_untracked() {
            return;
        }
        let locale = self.ctx.locale.get_untracked();
        let fields = csv::fields(&columns_for_export(&self.ctx.prefs()));
        let parts = js_sys::Array::new();
        parts.push(&JsValue::from_str(&csv::head(&fields, locale)));
        let job = Job { query: SearchQuery { filters, page: 1, size: PAGE_SIZE }, fields, parts, seen: HashSet::new() };
        self.job.set_value(Some(Rc::new(RefCell::new(job))));
        self.fetched.set(0);
        self.total.set(0);
        self.total_changed.set(None);
        self.started_ms.set(js_sys::Date::now());
        self.resume();
    }

    /// Continues from the page that is due (after a start or a Retry).
    fn resume(self) {
        let Some(job) = self.job.get_value() else { return };
        self.phase.set(Phase::Running);
        let client = self.ctx.client();
        let latest = self.latest.get_value();
        let zone = self.ctx.zone();
        leptos::task::spawn_local(async move {
            loop {
                let query = job.borrow().query.clone();
                let ticket = latest.begin();
                let mut attempt = 0;
                let page = loop {
                    let outcome = client.search(&query, ticket.signal()).await;
                    if !latest.is_current(&ticket) {
                        return; // cancelled
                    }
                    match outcome {
                        Ok(page) => break page,
                        Err(error) if attempt + 1 < TRIES && error.retryable() => {
                            sleep_ms(FIRST_BACKOFF_MS << attempt).await;
                            if !latest.is_current(&ticket) {
                                return;
                            }
                            attempt += 1;
                        }
                        Err(error) => {
                            self.ctx.report(&error);
                            self.phase.set(Phase::Paused(error));
                            return;
                        }
                    }
                };
                let total = page.total();
                match self.total.get_untracked() {
                    0 => self.total.set(total),
                    first if first != total => self.total_changed.set(Some((first, total))),
                    _ => {}
                }
                let complete = {
                    let mut job = job.borrow_mut();
                    let Job { fields, parts, seen, query, .. } = &mut *job;
                    let fresh: Vec<_> =
                        page.rows.iter().filter(|row| row.chat_id.as_ref().is_none_or(|id| seen.insert(id.clone()))).collect();
                    parts.push(&JsValue::from_str(&csv::records(fields, fresh.iter().copied(), zone)));
                    self.fetched.update(|n| *n += fresh.len() as u64);
                    let received = u64::from(query.page) * u64::from(PAGE_SIZE);
                    query.page += 1;
                    page.rows.len() < PAGE_SIZE as usize || received >= total
                };
                if complete {
                    self.save();
                    return;
                }
            }
        });
    }

    /// Writes what has been gathered to a file and offers it as a download.
    fn save(self) {
        let Some(job) = self.job.get_value() else { return };
        self.latest.with_value(|l| l.cancel());
        let job = job.borrow();
        let file = file_name(&job.query.filters);
        let rows = self.fetched.get_untracked();
        if let Err(error) = download(&job.parts, &file, self.anchor) {
            self.phase.set(Phase::Paused(ApiError::Host(error)));
            return;
        }
        self.phase.set(Phase::Done { file, rows });
        self.job.set_value(None);
    }

    fn cancel(self) {
        self.latest.with_value(|l| l.cancel());
        self.job.set_value(None);
        self.phase.set(Phase::Idle);
    }
}

pub fn use_export() -> Export {
    expect_context::<Export>()
}

/// `conversations_<start>_<end>.csv`.
pub fn file_name(filters: &SearchFilters) -> String {
    format!("conversations_{}_{}.csv", format_date(filters.start), format_date(filters.end))
}

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Builds the Blob from the parts and clicks a download link for it.
fn download(parts: &js_sys::Array, file: &str, anchor: NodeRef<html::Div>) -> Result<(), String> {
    let failed = |what: &str| format!("{what} failed");
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(parts, &options).map_err(|_| failed("Blob"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| failed("createObjectURL"))?;
    let holder = anchor.get_untracked().ok_or_else(|| failed("download link"))?;
    let document = holder.owner_document().ok_or_else(|| failed("document"))?;
    let link: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(|_| failed("link"))?.dyn_into().map_err(|_| failed("link"))?;
    link.set_href(&url);
    link.set_download(file);
    let _ = holder.append_child(&link);
    link.click();
    link.remove();
    // The browser has taken the file once the click has been handled.
    set_timeout(move || drop(web_sys::Url::revoke_object_url(&url)), std::time::Duration::from_secs(10));
    Ok(())
}

/// Progress, pause and result of an export, below the filter form.
#[component]
pub fn ExportPanel() -> impl IntoView {
    let ctx = use_ctx();
    let export = use_export();
    let eta = move || {
        let (fetched, total) = (export.fetched.get(), export.total.get());
        let elapsed = js_sys::Date::now() - export.started_ms.get_untracked();
        (fetched > 0 && total > fetched).then(|| ((elapsed / fetched as f64) * (total - fetched) as f64 / 1000.0).ceil() as u64)
    };
    let body = move || match export.phase.get() {
        Phase::Idle => None,
        Phase::Running => Some(
            view! {
                <progress class="opc-export__bar" max=move || export.total.get().max(1).to_string()
                    value=move || export.fetched.get().to_string() aria-label=move || ctx.t(Msg::ExportCsv)></progress>
                <span role="status">{move || export_progress(ctx.locale.get(), export.fetched.get(), export.total.get(), eta())}</span>
                <button type="button" class="opc-button" on:click=move |_| export.cancel()>{move || ctx.t(Msg::Cancel)}</button>
            }
            .into_any(),
        ),
        Phase::Paused(error) => Some(
            view! {
                <span class="opc-export__error" role="alert">
                    {move || ctx.t(Msg::ExportPaused)} " " {move || error.message(ctx.locale.get())}
                </span>
                <button type="button" class="opc-button opc-button--primary" on:click=move |_| export.resume()>{move || ctx.t(Msg::Retry)}</button>
                <button type="button" class="opc-button" on:click=move |_| export.save()>{move || ctx.t(Msg::SaveWhatWeHave)}</button>
                <button type="button" class="opc-button opc-button--ghost" on:click=move |_| export.cancel()>{move || ctx.t(Msg::Cancel)}</button>
            }
            .into_any(),
        ),
        Phase::Done { file, rows } => Some(
            view! {
                <span role="status">{move || export_saved(ctx.locale.get(), &file, rows)}</span>
                <button type="button" class="opc-button opc-button--ghost" on:click=move |_| export.phase.set(Phase::Idle)>
                    {move || ctx.t(Msg::Dismiss)}
                </button>
            }
            .into_any(),
        ),
    };
    view! {
        <div class="opc-export" node_ref=export.anchor>
            {move || body().map(|body| view! {
                <div class="opc-export__row">{body}</div>
                {move || export.total_changed.get().map(|(before, now)| view! {
                    <p class="opc-muted" role="status">{move || export_total_changed(ctx.locale.get(), before, now)}</p>
                })}
            })}
        </div>
    }
}
