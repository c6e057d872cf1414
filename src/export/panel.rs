//! The export's line below the filter form: a progress bar with rows written / total,
//! the time left and Cancel; the reason and Retry / Save what we have when paused; the
//! saved file's name when done; and a note when the total changed meanwhile.

use leptos::prelude::*;

use super::controller::{use_export, Phase};
use crate::app::use_ctx;
use crate::i18n::{export_progress, export_saved, export_total_changed, Msg};

/// Seconds left at the pace of the current stretch, once there is one to go by.
fn seconds_left(origin: (f64, u64), now_ms: f64, written: u64, total: u64) -> Option<u64> {
    let (since_ms, written_then) = origin;
    let rows = written.checked_sub(written_then).filter(|n| *n > 0)?;
    let left = total.checked_sub(written).filter(|n| *n > 0)?;
    let ms_per_row = (now_ms - since_ms).max(0.0) / rows as f64;
    Some((ms_per_row * left as f64 / 1000.0).ceil() as u64)
}

#[component]
pub fn ExportPanel() -> impl IntoView {
    let ctx = use_ctx();
    let export = use_export();
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
    let body = move || match export.phase.get() {
        Phase::Idle => None,
        Phase::Running => Some(running().into_any()),
        Phase::Paused(error) => Some(
            view! {
                <span class="opc-export__error" role="alert">
                    {move || ctx.t(Msg::ExportPaused)} " " {move || error.message(ctx.locale())}
                </span>
                <button type="button" class="opc-button opc-button--primary" on:click=move |_| export.resume()>{move || ctx.t(Msg::Retry)}</button>
                <button type="button" class="opc-button" on:click=move |_| export.save()>{move || ctx.t(Msg::SaveWhatWeHave)}</button>
                <button type="button" class="opc-button opc-button--ghost" on:click=move |_| export.cancel()>{move || ctx.t(Msg::Cancel)}</button>
            }
            .into_any(),
        ),
        Phase::Done { file, progress, complete } => Some(
            view! {
                <span role="status">{move || export_saved(ctx.locale(), &file, progress.written, progress.total, complete)}</span>
                <button type="button" class="opc-button opc-button--ghost" on:click=move |_| export.dismiss()>{move || ctx.t(Msg::Dismiss)}</button>
            }
            .into_any(),
        ),
    };
    let total_changed = move || {
        let changed = progress.with(|p| p.total_changed);
        changed.filter(|_| export.phase.with(|p| *p != Phase::Idle)).map(|(before, now)| {
            view! { <p class="opc-muted" role="status">{move || export_total_changed(ctx.locale(), before, now)}</p> }
        })
    };
    view! {
        <div class="opc-export" node_ref=export.anchor>
            {move || body().map(|body| view! { <div class="opc-export__row">{body}</div> })}
            {total_changed}
        </div>
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
