//! `performance.mark`s that the benchmark reads: `opc:boot`, `opc:first-results`,
//! `opc:page-rendered`, `opc:drawer-rendered`, `opc:history-rendered` (chat/history.rs),
//! `opc:chart-complete`.

use std::sync::atomic::{AtomicBool, Ordering};

static FIRST_RESULTS_SEEN: AtomicBool = AtomicBool::new(false);
static CHART_COMPLETE_SEEN: AtomicBool = AtomicBool::new(false);

pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// Marks rows painted: the first time as `opc:first-results`, later as `opc:page-rendered`.
/// The mark is set after the browser has had a frame to paint the rows.
pub fn mark_results() {
    let name = if FIRST_RESULTS_SEEN.swap(true, Ordering::Relaxed) { "opc:page-rendered" } else { "opc:first-results" };
    after_paint(move || mark(name));
}

/// Marks the first chart whose every bar has its count (or its gap) painted.
pub fn mark_chart_complete() {
    if !CHART_COMPLETE_SEEN.swap(true, Ordering::Relaxed) {
        after_paint(|| mark("opc:chart-complete"));
    }
}

/// Runs `f` after the next frame is painted.
pub fn after_paint(f: impl FnOnce() + 'static) {
    leptos::prelude::request_animation_frame(move || leptos::prelude::set_timeout(f, std::time::Duration::ZERO));
}
