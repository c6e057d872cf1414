//! The export's line below the filter form: the question when the form differs from the
//! last search; a progress bar with rows written / total, the time left and Cancel; the
//! reason and Retry (Resume after signing in again) / Save what we have when paused; the
//! saved file's name when done, and why it is partial when the server is the reason; the
//! filters exported; and a note when the total changed meanwhile.

use leptos::html;
use leptos::prelude::*;

use super::controller::{use_export, Ending, Phase};
use super::ExportError;
use crate::api::ApiError;
use crate::filters::SearchFilters;
use crate::ctx::use_ctx;
use crate::i18n::{export_progress, export_saved, export_total_changed, filter_summary, Locale, Msg};
use crate::model::search::use_search;
use crate::ui::lazy::split_view;
use crate::ui::Lazy;

/// `label` and the filters in one line: "Filters in the file: Nickname: Kevin · Date
/// range: 2025-12-01 – 2026-11-30".
fn filters_line(locale: Locale, label: Msg, filters: &SearchFilters) -> String {
    filter_summary(locale, label, &filters.summary(locale).join(" · "))
}

/// Seconds left at the pace of the current stretch, once there is one to go by.
fn seconds_left(origin: (f64, u64), now_ms: f64, written: u64, total: u64) -> Option<u64> {
    let (since_ms, written_then) = origin;
    let rows = written.checked_sub(written_then).filter(|n| *n > 0)?;
    let left = total.checked_sub(written).filter(|n| *n > 0)?;
    let ms_per_row = (now_ms - since_ms).max(0.0) / rows as f64;
    Some((ms_per_row * left as f64 / 1000.0).ceil() as u64)
}

/// In the split build's `after_results` chunk, loaded once the first results are there.
#[component]
pub fn ExportPanel() -> impl IntoView {
    let when = use_search().first_results_settled();
    view! { <Lazy when load=export_panel /> }
}

split_view! {
    after_results, fn export_panel() {
        view! { <Panel /> }.into_any()
    }
}

#[component]
fn Panel() -> impl IntoView {
    let ctx = use_ctx();
    let export = use_export();
    let state = use_search();
    let progress = export.progress;
    let status = move || {
        let p = progress.get();
        let left = seconds_left(export.pace_origin.get_value(), js_sys::Date::now(), p.written, p.total);
        export_progress(ctx.locale(), p.written, p.total, left)
    };
    let running = move || {
        view! {
            // No value until the first page tells the total: an indeterminate bar.
            <progress class="opc-export__bar" aria-label=move || ctx.t(Msg::ExportProgress)
                max=move || progress.with(|p| p.total.max(1).to_string())
                value=move || progress.with(|p| (p.total > 0).then(|| p.written.to_string()))></progress>
            <span role="status">{status}</span>
            <button type="button" class="opc-button" on:click=move |_| export.cancel()>{move || ctx.t(Msg::Cancel)}</button>
        }
    };
    let asking = move |typed: SearchFilters| {
        let first = NodeRef::<html::Button>::new();
        // The answer is the next thing to do: focus goes to it.
        Effect::new(move |_| {
            if let Some(button) = first.get() {
                let _ = button.focus();
            }
        });
        let new_line = typed.clone();
        let search_and_export = move |_| {
            state.submit(typed.clone());
            export.start(typed.clone(), &state.columns.get_untracked());
        };
        // The last search as it is when the answer comes (a search may have run meanwhile).
        let export_last = move |_| export.start(state.view.get_untracked().filters, &state.columns.get_untracked());
        view! {
            <div class="opc-export__ask" role="group" aria-label=move || ctx.t(Msg::ExportAsk)>
                <strong>{move || ctx.t(Msg::ExportAsk)}</strong>
                <span class="opc-muted">{move || state.view.with(|v| filters_line(ctx.locale(), Msg::ExportLastFilters, &v.filters))}</span>
                <span class="opc-muted">{move || filters_line(ctx.locale(), Msg::ExportNewFilters, &new_line)}</span>
                <div class="opc-export__row">
                    <button type="button" class="opc-button opc-button--primary" node_ref=first on:click=search_and_export>
                        {move || ctx.t(Msg::SearchAndExport)}
                    </button>
                    <button type="button" class="opc-button" on:click=export_last>{move || ctx.t(Msg::ExportLastSearch)}</button>
                    <button type="button" class="opc-button opc-button--ghost" on:click=move |_| export.dismiss()>{move || ctx.t(Msg::Cancel)}</button>
                </div>
            </div>
        }
    };
    let body = move || match export.phase.get() {
        Phase::Idle | Phase::Asking { .. } => None,
        Phase::Running => Some(running().into_any()),
        Phase::Paused(error) => Some({
            let again = resume_label(&error);
            view! {
                <span class="opc-export__error" role="alert">
                    {move || ctx.t(Msg::ExportPaused)} " " {move || error.message(ctx.locale())}
                </span>
                <button type="button" class="opc-button opc-button--primary" on:click=move |_| export.resume()>
                    {move || ctx.t(again)}
                </button>
                <button type="button" class="opc-button" on:click=move |_| export.save()>{move || ctx.t(Msg::SaveWhatWeHave)}</button>
                <button type="button" class="opc-button opc-button--ghost" on:click=move |_| export.cancel()>{move || ctx.t(Msg::Cancel)}</button>
            }
            .into_any()
        }),
        Phase::Done { file, progress, ending } => Some(
            view! {
                <span role="status">
                    {move || {
                        let total = progress.total_known.then_some(progress.total);
                        export_saved(ctx.locale(), &file, progress.written, total, ending == Ending::Complete)
                    }}
                </span>
                {move || ending.warning(ctx.locale(), progress).map(|text| view! { <span class="opc-export__error" role="alert">{text}</span> })}
                <button type="button" class="opc-button opc-button--ghost" on:click=move |_| export.dismiss()>{move || ctx.t(Msg::Dismiss)}</button>
            }
            .into_any(),
        ),
    };
    // The question is its own block (a sentence, the two searches, the answers).
    let question = move || match export.phase.get() {
        Phase::Asking { typed } => Some(asking(typed)),
        _ => None,
    };
    // Which search the file holds, for as long as there is an export to speak of.
    let exported = move || {
        let shown = export.phase.with(|p| matches!(p, Phase::Running | Phase::Paused(_) | Phase::Done { .. }));
        let filters = export.filters.get().filter(|_| shown)?;
        Some(view! {
            <p class="opc-muted opc-export__filters">{move || filters_line(ctx.locale(), Msg::ExportFilters, &filters)}</p>
        })
    };
    let total_changed = move || {
        let changed = progress.with(|p| p.total_changed);
        changed.filter(|_| export.phase.with(|p| *p != Phase::Idle)).map(|(before, now)| {
            view! { <p class="opc-muted" role="status">{move || export_total_changed(ctx.locale(), before, now)}</p> }
        })
    };
    view! {
        <div class="opc-export" node_ref=export.anchor>
            {question}
            {move || body().map(|body| view! { <div class="opc-export__row">{body}</div> })}
            {exported}
            {total_changed}
        </div>
    }
}

/// Retry, or Resume when the export paused because the session expired (the operator has
/// signed in again by the time the panel is back on screen).
fn resume_label(error: &ExportError) -> Msg {
    match error {
        ExportError::Page(ApiError::AuthExpired { .. }) => Msg::Resume,
        _ => Msg::Retry,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_left_follows_the_current_pace() {
        // 1,000 rows in 2 s since the stretch began: 4,000 more take 8 s.
        assert_eq!(seconds_left((10_000.0, 500), 12_000.0, 1_500, 5_500), Some(8));
        assert_eq!(seconds_left((10_000.0, 500), 12_000.0, 500, 5_500), None, "nothing written yet in this stretch");
        assert_eq!(seconds_left((10_000.0, 0), 12_000.0, 5_500, 5_500), None, "nothing left");
        assert_eq!(seconds_left((10_000.0, 0), 12_000.0, 6_000, 5_500), None, "more written than the total");
    }
}
