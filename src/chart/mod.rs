//! Results over time (issue 14): a `figure` between the form and the table with one bar
//! per bucket of the submitted range and filters, which steers the range: a click, a drag
//! or the keyboard searches the chosen buckets' dates (a new history entry, so Back zooms
//! out again). Plain HTML bars, no chart library. Hooks into the search screen: the
//! `<Chart steer />` in its view, `steer` being the form's `search_range`; nothing else
//! there knows it.

mod buckets;
mod cache;
mod counts;

use leptos::ev;
use leptos::html;
use leptos::prelude::*;

use buckets::{Bucket, Unit};
use buckets::{covers, days_of, today_at, zoom_out};
use counts::{Counts, Slot};
use crate::ctx::{use_ctx, Ctx};
use crate::i18n::{bucket_name, bucket_retry, buckets_failed, chart_cut, week_of, Locale, Msg};
use crate::model::search::{use_search, SearchState};
use crate::time::DateRange;
use crate::ui::lazy::split_view;
use crate::ui::Lazy;

/// The remembered Hide chart / Show chart, per instance (`prefs`).
const SHOWN_KEY: &str = "chart";

/// Axis labels at most, so that they never overlap.
const AXIS_LABELS: usize = 6;

/// `steer` searches a range the operator chose on the chart (the search screen checks it
/// as typed dates are and pushes it to history). The chart comes in the split build's
/// `after_results` chunk, loaded once the first results are there (never when the config turns it off).
#[component]
pub fn Chart(steer: Callback<DateRange>) -> impl IntoView {
    if !use_ctx().config().chart {
        return ().into_any();
    }
    let when = use_search().first_results_settled();
    view! { <Lazy when load=move || chart_figure(steer) /> }.into_any()
}

split_view! {
    after_results, fn chart_figure(steer: Callback<DateRange>) {
        view! { <ChartFigure steer /> }.into_any()
    }
}

#[component]
fn ChartFigure(steer: Callback<DateRange>) -> impl IntoView {
    let ctx = use_ctx();
    let state = use_search();
    let counts = Counts::new(ctx);
    let shown = RwSignal::new(ctx.prefs().get(SHOWN_KEY).as_deref() != Some("hidden"));
    Effect::new(move |_| ctx.prefs().set(SHOWN_KEY, if shown.get() { "shown" } else { "hidden" }));
    follow_the_table(state, counts, shown);

    let zoomable = move || {
        let days = state.view.with(|v| days_of(DateRange { start: v.filters.start, end: v.filters.end }));
        days < days_of(state.defaults().range)
    };
    let zoom = move |_| {
        let range = state.view.with_untracked(|v| DateRange { start: v.filters.start, end: v.filters.end });
        steer.run(zoom_out(range, today_at(chrono::Utc::now(), ctx.zone())));
    };
    view! {
        <figure class="opc-chart" aria-label=move || ctx.t(Msg::ChartTitle)>
            <figcaption class="opc-chart__head">
                <span class="opc-chart__title">{move || ctx.t(Msg::ChartTitle)}</span>
                <span class="opc-chart__tools">
                    <Show when=zoomable>
                        <button type="button" class="opc-button opc-button--ghost opc-chart__tool" on:click=zoom>
                            {move || ctx.t(Msg::ZoomOut)}
                        </button>
                    </Show>
                    <button type="button" class="opc-button opc-button--ghost opc-chart__tool"
                        aria-expanded=move || shown.get().to_string()
                        on:click=move |_| shown.update(|s| *s = !*s)>
                        {move || ctx.t(if shown.get() { Msg::HideChart } else { Msg::ShowChart })}
                    </button>
                </span>
            </figcaption>
            <Show when=move || shown.get()>
                <Plot counts state steer />
                <Notes counts state />
            </Show>
        </figure>
    }
}

/// Counting follows the table: new filters abort what is in flight at once, and counting
/// starts when the table's page has arrived, so it never delays first results. Flipping
/// pages does not count again; searching the same filters again does (closed buckets then
/// come from the cache), and so does showing a hidden chart.
fn follow_the_table(state: SearchState, counts: Counts, shown: RwSignal<bool>) {
    let submitted = Memo::new(move |_| state.view.with(|v| v.filters.clone()));
    Effect::new(move |_| counts.prepare(&submitted.get()));
    // The page the last arrival was on: a page 1 after a page 1 is a new search, a page
    // 1 after page 3 a flip back. The chart may come after the first results (the split
    // build loads it then): the page on screen is that arrival.
    let on_screen = !state.loading.get_untracked() && state.result.with_untracked(Option::is_some);
    let last_page = StoredValue::new(if on_screen { state.view.with_untracked(|v| v.page) } else { 0 });
    let shown_now = shown;
    Effect::new(move |was_loading: Option<bool>| {
        let loading = state.loading.get();
        let shown = shown.get();
        let arrived = !loading && state.error.with(Option::is_none) && state.result.with(Option::is_some);
        let (filters, page) = state.view.with_untracked(|v| (v.filters.clone(), v.page));
        let searched_again = was_loading == Some(true) && page == 1 && last_page.get_value() == 1;
        if was_loading == Some(true) {
            last_page.set_value(page);
        }
        if arrived && shown {
            let refresh = counts.refresh_asked();
            if !counts.started() || searched_again || refresh {
                // The calls go out once the rows are painted, so that not even the chart's
                // own work delays first results (if this is still the search, and shown).
                counts.prepare(&filters);
                crate::perf::after_paint(move || {
                    let current = counts.alive()
                        && state.view.try_with_untracked(|v| v.filters == filters) == Some(true)
                        && shown_now.try_get_untracked() == Some(true);
                    if current && !counts.started() {
                        counts.start(&filters, refresh);
                    }
                });
            }
        } else if !shown && counts.started() {
            counts.prepare(&filters);
        }
        loading
    });
}

/// The bars, their axis and the steering.
#[component]
fn Plot(counts: Counts, state: SearchState, steer: Callback<DateRange>) -> impl IntoView {
    let ctx = use_ctx();
    let plot = NodeRef::<html::Div>::new();
    let focused = RwSignal::new(0_usize);
    // (anchor, head) of a selection being made by dragging or Shift+arrows.
    let selection = RwSignal::new(None::<(usize, usize)>);
    let dragging = StoredValue::new(false);
    // After a keyboard choice the bars are cut anew: focus goes to the new ones.
    let refocus = StoredValue::new(false);
    // Plain closures rather than memos: a few dozen bars recompute them cheaply, and each
    // memo type would add to the wasm.
    let max = move || counts.slots.with(|slots| slots.iter().filter_map(counted).max().unwrap_or(0));
    // Roving tabindex: one bar is in the tab order, the focused one if it has a count.
    let tab_stop = move || {
        counts.slots.with(|slots| {
            let wanted = focused.get();
            if slots.get(wanted).and_then(counted).is_some() {
                Some(wanted)
            } else {
                slots.iter().position(|s| counted(s).is_some())
            }
        })
    };
    let focus_bar = move |index: usize| {
        let bar = plot.try_get_untracked().flatten().and_then(|p| p.query_selector(&format!("[data-bar=\"{index}\"]")).ok().flatten());
        if let Some(bar) = bar {
            crate::keys::focus(&bar);
        }
    };
    Effect::new(move |_| {
        // Only the new search's bars: the old ones stay until its buckets are cut.
        let searched = state.view.with(|v| (v.filters.start, v.filters.end));
        let cut = counts.filters.with(|f| f.as_ref().map(|f| (f.start, f.end)));
        if let Some(index) = tab_stop().filter(|_| refocus.get_value() && cut == Some(searched)) {
            refocus.set_value(false);
            // After this turn's DOM updates: the bar may still be the disabled slot it was.
            set_timeout(move || focus_bar(index), std::time::Duration::ZERO);
        }
    });
    let apply = move |(anchor, head): (usize, usize), by_keyboard: bool| {
        selection.set(None);
        let chosen = counts.buckets.with_untracked(|b| {
            Some(DateRange { start: b.get(anchor.min(head))?.start, end: b.get(anchor.max(head))?.end })
        });
        let current = state.view.with_untracked(|v| DateRange { start: v.filters.start, end: v.filters.end });
        if let Some(range) = chosen.filter(|range| *range != current) {
            refocus.set_value(by_keyboard);
            focused.set(0);
            steer.run(range);
        }
    };
    // The next bar with a count from `from`, `step` bars at a time (Home/End: the ends).
    let neighbour = move |from: usize, key: &str| {
        counts.slots.with_untracked(|slots| {
            let has_bar = |i: &usize| slots.get(*i).and_then(counted).is_some();
            match key {
                "ArrowLeft" => (0..from).rev().find(has_bar),
                "ArrowRight" => (from + 1..slots.len()).find(has_bar),
                "Home" => (0..slots.len()).find(has_bar),
                _ => (0..slots.len()).rev().find(has_bar),
            }
        })
    };
    let is_bar = move |index: &usize| counts.slots.with_untracked(|s| s.get(*index).and_then(counted).is_some());
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let Some(index) = bar_of(ev.target()).filter(is_bar) else { return };
        let key = ev.key();
        match key.as_str() {
            "ArrowLeft" | "ArrowRight" | "Home" | "End" => {
                ev.prevent_default();
                let Some(next) = neighbour(index, &key) else { return };
                if ev.shift_key() {
                    selection.update(|s| *s = Some((s.map_or(index, |(anchor, _)| anchor), next)));
                } else {
                    selection.set(None);
                }
                focused.set(next);
                focus_bar(next);
            }
            "Enter" => {
                ev.prevent_default();
                apply(selection.get_untracked().unwrap_or((index, index)), true);
            }
            "Escape" if selection.get_untracked().is_some() => {
                ev.prevent_default();
                ev.stop_propagation();
                selection.set(None);
            }
            _ => {}
        }
    };
    let release = window_event_listener(ev::pointerup, move |_| {
        if dragging.get_value() {
            dragging.set_value(false);
            if let Some(chosen) = selection.get_untracked() {
                apply(chosen, false);
            }
        }
    });
    on_cleanup(move || release.remove());
    // The plot listens for its bars (one set of listeners, not one per bar).
    let on_pointerdown = move |ev: web_sys::PointerEvent| {
        let Some(index) = bar_of(ev.target()).filter(|i| ev.button() == 0 && is_bar(i)) else { return };
        // A touch captures the pointer to its bar; let the other bars see it pass.
        if let Some(target) = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok()) {
            let _ = target.release_pointer_capture(ev.pointer_id());
        }
        dragging.set_value(true);
        selection.set(Some((index, index)));
    };
    let on_pointerover = move |ev: web_sys::PointerEvent| {
        if let Some(index) = bar_of(ev.target()).filter(|i| dragging.get_value() && is_bar(i)) {
            selection.update(|s| *s = s.map(|(anchor, _)| (anchor, index)));
        }
    };
    // A click on a gap retries it. On a bar, pointers choose on release (above); a click
    // without a pointer is Space on a bar.
    let on_click = move |ev: web_sys::MouseEvent| {
        let Some(index) = bar_of(ev.target()) else { return };
        if !is_bar(&index) {
            counts.retry(index);
        } else if ev.detail() == 0 {
            apply(selection.get_untracked().unwrap_or((index, index)), true);
        }
    };
    let on_focusin = move |ev: web_sys::FocusEvent| {
        if let Some(index) = bar_of(ev.target()) {
            focused.set(index);
        }
    };

    // One element per bucket, whatever its state: a bar, a gap with Retry, or (waiting) an
    // empty, disabled slot. One element type keeps the wasm small; the plot's listeners
    // tell the states apart.
    // `ctx` has the language fixed (`Ctx::with_fixed_locale`): a bar's name does not
    // subscribe each bar to the app's language, which the whole page reads. The bars are
    // built again on a language change instead.
    let bar = move |index: usize, bucket: Bucket, ctx: Ctx| {
        let slot = move || counts.slots.with(|s| s.get(index).cloned()).unwrap_or(Slot::Waiting);
        let name = move || match slot() {
            Slot::Counted(count) => Some(bucket_name(ctx.locale(), &date(ctx.locale(), &bucket), count)),
            Slot::Failed(_) => Some(bucket_retry(ctx.locale(), &date(ctx.locale(), &bucket))),
            Slot::Waiting => None,
        };
        let chosen = move || selection.get().is_some_and(|(a, b)| (a.min(b)..=a.max(b)).contains(&index));
        view! {
            <button type="button" data-bar=index aria-label=name title=name
                class=move || match slot() {
                    Slot::Counted(_) => "opc-chart__bar",
                    Slot::Failed(_) => "opc-chart__retry",
                    Slot::Waiting => "opc-chart__slot",
                }
                class:opc-chart__bar--chosen=chosen
                disabled=move || slot() == Slot::Waiting
                aria-hidden=move || (slot() == Slot::Waiting).then_some("true")
                tabindex=move || match slot() {
                    Slot::Counted(_) if tab_stop() != Some(index) => "-1",
                    _ => "0",
                }>
                <span class="opc-chart__fill" style:height=move || counted(&slot()).map(|count| height(count, max()))>
                    {move || matches!(slot(), Slot::Failed(_)).then_some("↻")}
                </span>
            </button>
        }
    };
    let axis = move || {
        let buckets = counts.buckets.get();
        let every = buckets.len().div_ceil(AXIS_LABELS).max(1);
        buckets
            .iter()
            .enumerate()
            .map(|(i, b)| view! { <span class="opc-chart__tick">{(i % every == 0).then(|| b.axis_text())}</span> })
            .collect_view()
    };
    view! {
        <div class="opc-chart__body">
            <span class="opc-chart__max" aria-hidden="true">{move || max()}</span>
            <div class="opc-chart__plot" node_ref=plot role="group"
                aria-label=move || ctx.t(Msg::ChartTitle) aria-describedby="opc-chart-keys"
                class:opc-chart__plot--loading=move || state.loading.get()
                on:keydown=on_key on:pointerdown=on_pointerdown on:pointerover=on_pointerover
                on:click=on_click on:focusin=on_focusin>
                {move || {
                    let ctx = ctx.with_fixed_locale();
                    counts.buckets.get().into_iter().enumerate().map(|(i, b)| bar(i, b, ctx)).collect_view()
                }}
            </div>
            <div class="opc-chart__axis" aria-hidden="true">{axis}</div>
            <span class="opc-chart__keys" id="opc-chart-keys">{move || ctx.t(Msg::ChartKeys)}</span>
        </div>
    }
}

/// What the chart owes the operator besides bars: counts that do not add up to the
/// table's total, calls that failed, and a range longer than the bars hold.
#[component]
fn Notes(counts: Counts, state: SearchState) -> impl IntoView {
    let ctx = use_ctx();
    let changed = move || {
        let total = state.result.with(|r| r.as_ref().and_then(crate::api::SearchPage::reported_total))?;
        let filters = counts.filters.get()?;
        let same = state.view.with(|v| v.filters == filters) && !state.loading.get();
        let range = DateRange { start: filters.start, end: filters.end };
        let whole = counts.buckets.with(|b| covers(b, range));
        let sum = counts.slots.with(|slots| slots.iter().map(counted).sum::<Option<u64>>())?;
        Some(same && whole && sum != total)
    };
    let failed = move || {
        counts.slots.with(|slots| {
            let mut errors = slots.iter().filter_map(|s| match s {
                Slot::Failed(error) => Some(error),
                _ => None,
            });
            let first = errors.next()?.message(ctx.locale());
            Some(buckets_failed(ctx.locale(), errors.count() + 1, &first))
        })
    };
    // A range so long that even years are more than the bars keeps its last years
    // (`buckets::buckets`): the table's results go back further than the chart.
    let cut = move || {
        let filters = counts.filters.get()?;
        let first = counts.buckets.with(|b| b.first().filter(|b| b.start > filters.start).map(Bucket::date_text))?;
        Some(chart_cut(ctx.locale(), &first, buckets::MAX_BUCKETS))
    };
    let refresh = move |_| {
        counts.ask_refresh();
        state.retry();
    };
    view! {
        <div class="opc-chart__notes" role="status">
            <Show when=move || changed() == Some(true)>
                <span class="opc-chart__changed">{move || ctx.t(Msg::CountsChanged)}</span>
                <button type="button" class="opc-button opc-chart__tool" on:click=refresh>{move || ctx.t(Msg::Refresh)}</button>
            </Show>
            <span class="opc-chart__failed">{failed}</span>
            <span class="opc-chart__cut">{cut}</span>
        </div>
    }
}

/// A bucket's date as its bar is named: `2026-11-28`, `Week of 2026-11-23`, `2026-11`.
fn date(locale: Locale, bucket: &Bucket) -> String {
    match bucket.unit {
        Unit::Week => week_of(locale, &bucket.date_text()),
        _ => bucket.date_text(),
    }
}

/// The index of the bar an event happened on (`data-bar`), if any.
fn bar_of(target: Option<web_sys::EventTarget>) -> Option<usize> {
    let element = wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(target?).ok()?;
    element.closest("[data-bar]").ok()??.get_attribute("data-bar")?.parse().ok()
}

fn counted(slot: &Slot) -> Option<u64> {
    match slot {
        Slot::Counted(count) => Some(*count),
        _ => None,
    }
}

/// A bar's height: its share of the tallest in tenths of a percent (whole numbers: no
/// float formatting in the wasm), with a sliver for any count above zero so that it is
/// not mistaken for none.
fn height(count: u64, max: u64) -> String {
    let tenths = match (count, max) {
        (0, _) | (_, 0) => 0,
        _ => (count.saturating_mul(1000) / max).max(20),
    };
    format!("{}.{}%", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    #[test]
    fn bar_heights() {
        assert_eq!(super::height(42, 42), "100.0%");
        assert_eq!(super::height(1, 3), "33.3%");
        assert_eq!(super::height(1, 1000), "2.0%", "a sliver, not nothing");
        assert_eq!(super::height(0, 10), "0.0%");
        assert_eq!(super::height(0, 0), "0.0%");
    }
}
