//! `cargo xtask bench --only day`: the working-day soak of issue 19. One page stays open
//! while a seeded plan runs through it: page flips at 20, 100 and 500 rows (forwards to the
//! end, back to the start, and jumps to the last page, which has fewer rows), drawer opens,
//! searches (a customer's nickname, then every row again: the row count changes both
//! ways) and exports of every row (2,012 of them). The JS heap and the wasm memory are
//! sampled after a forced garbage collection along the way; the result is a table and a
//! plot, `target/bench-day.svg`, next to `target/bench-day.json`.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use super::{async_call, install_helpers, mb, measuring_browser, memory, percentile, wait_mark, Figure, ALL_ROWS, TOKEN};
use crate::sandbox::Sandbox;
use crate::tools::Tools;

/// What the day is made of (issue 19's minimum).
const FLIPS: usize = 5_000;
const DRAWERS: usize = 1_000;
const EXPORTS: usize = 20;
/// Searches come in pairs: a customer's nickname, then every row again.
const SEARCH_PAIRS: usize = 25;
/// The sandbox's conversations: with its 12 seed ones, 2,012, so that every page size
/// has a last page of 12 rows and an export of everything is 2,012 rows.
const CHATS: &str = "2000";
/// One in this many flips jumps to the last page instead of the next or previous one.
const LAST_PAGE_EVERY: u32 = 10;
/// Steps between a change of page size.
const STEPS_PER_SIZE: usize = 120;
/// Steps run per WebDriver call, and calls between memory samples.
const BATCH: usize = 20;
const BATCHES_PER_SAMPLE: usize = 3;

/// One thing the operator does; `DAY_JS` runs it and waits for the app to show it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Step {
    Flip,
    LastPage,
    Size(u32),
    Drawer(usize),
    SearchPair(usize),
    Export,
}

impl Step {
    fn json(self) -> Value {
        match self {
            Step::Flip => json!({ "do": "flip" }),
            Step::LastPage => json!({ "do": "last" }),
            Step::Size(n) => json!({ "do": "size", "n": n }),
            Step::Drawer(i) => json!({ "do": "drawer", "i": i }),
            Step::SearchPair(i) => json!({ "do": "searchPair", "i": i }),
            Step::Export => json!({ "do": "export" }),
        }
    }
}

/// The day's steps in a seeded order: the same seed, the same day.
fn plan(seed: u64) -> Vec<Step> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut steps: Vec<Step> = (0..FLIPS)
        .map(|_| if rng.random_ratio(1, LAST_PAGE_EVERY) { Step::LastPage } else { Step::Flip })
        .chain((0..DRAWERS).map(|i| Step::Drawer(i * 7)))
        .chain((0..SEARCH_PAIRS).map(|i| Step::SearchPair(i * 3)))
        .chain((0..EXPORTS).map(|_| Step::Export))
        .collect();
    steps.shuffle(&mut rng);
    let sizes = [20, 100, 500];
    let mut day = Vec::with_capacity(steps.len() + steps.len() / STEPS_PER_SIZE + 1);
    for (i, step) in steps.into_iter().enumerate() {
        if i % STEPS_PER_SIZE == 0 {
            let size = sizes[rng.random_range(0..sizes.len())];
            day.push(Step::Size(size));
        }
        day.push(step);
    }
    day
}

/// One memory sample: when, after how many steps, JS heap and wasm memory in bytes.
struct Sample {
    seconds: f64,
    steps: usize,
    heap: f64,
    wasm: f64,
}

impl Sample {
    fn total(&self) -> f64 {
        self.heap + self.wasm
    }
}

pub fn run(tools: &Tools, dist: &Path, target: &Path, runtime: &tokio::runtime::Runtime, seed: u64) -> Result<Vec<Figure>> {
    let config = target.join("bench-config-day.json");
    std::fs::write(&config, json!({ "locale": "en", "token": TOKEN, "pageSizes": [20, 100, 500] }).to_string())?;
    let flags = [
        ("--port", "0".as_ref()),
        ("--dist", dist.as_os_str()),
        ("--app-config", config.as_os_str()),
        ("--token", TOKEN.as_ref()),
        ("--chats", CHATS.as_ref()),
    ];
    let sandbox = Sandbox::start(tools, flags.into_iter().flat_map(|(flag, value)| [std::ffi::OsStr::new(flag), value]))?;
    let (figures, samples) = runtime.block_on(day(&sandbox.url, seed))?;
    drop(sandbox);
    let plot = target.join("bench-day.svg");
    std::fs::write(&plot, svg(&samples)).with_context(|| format!("writing {}", plot.display()))?;
    println!("memory over the working day: {}", plot.display());
    Ok(figures)
}

async fn day(base_url: &str, seed: u64) -> Result<(Vec<Figure>, Vec<Sample>)> {
    let h = measuring_browser(base_url).await?;
    // The exports' files are written by the page (a blob and a click) whatever the browser
    // then does with them: not onto this disk 20 times.
    h.cdp("Browser.setDownloadBehavior", json!({ "behavior": "deny" })).await?;
    h.goto(&format!("/?{ALL_ROWS}&size=20")).await?;
    wait_mark(&h, "opc:first-results").await?;
    install_helpers(&h).await?;
    h.eval(DAY_JS, vec![]).await?;

    let steps = plan(seed);
    let started = Instant::now();
    let mut samples = Vec::new();
    let mut take_sample = |done: usize, (heap, wasm): (f64, f64)| {
        samples.push(Sample { seconds: started.elapsed().as_secs_f64(), steps: done, heap, wasm });
    };
    take_sample(0, memory(&h).await?);
    let mut times: Vec<(String, f64)> = Vec::new();
    for (n, batch) in steps.chunks(BATCH).enumerate() {
        let plan: Vec<Value> = batch.iter().map(|s| s.json()).collect();
        let done = async_call(&h, "return window.__day.run(arguments[0])", vec![Value::Array(plan)]).await?;
        for entry in done.as_array().into_iter().flatten() {
            if let (Some(kind), Some(ms)) = (entry["kind"].as_str(), entry["ms"].as_f64()) {
                times.push((kind.to_owned(), ms));
            }
        }
        let done_steps = ((n + 1) * BATCH).min(steps.len());
        if (n + 1) % BATCHES_PER_SAMPLE == 0 || done_steps == steps.len() {
            take_sample(done_steps, memory(&h).await?);
        }
    }
    h.assert_no_panic().await?;
    let seconds = started.elapsed().as_secs_f64();
    Ok((figures(&steps, &times, &samples, seconds, seed), samples))
}

/// The day's table: what ran, how long the steps took, and memory at its start, middle and end.
fn figures(steps: &[Step], times: &[(String, f64)], samples: &[Sample], seconds: f64, seed: u64) -> Vec<Figure> {
    let count = |kind: &str| times.iter().filter(|(k, _)| k == kind).count();
    let mut figures = vec![Figure::info(
        format!("working day (seed {seed}): {} steps in {:.0} min", steps.len(), seconds / 60.0),
        format!(
            "{} flips ({} to the next or previous page at 20 rows, {} at 100, {} at 500, and {} jumps to the last page), {} drawer opens, {} searches, {} exports of 2,012 rows",
            count("flip-20") + count("flip-100") + count("flip-500") + count("last"),
            count("flip-20"),
            count("flip-100"),
            count("flip-500"),
            count("last"),
            count("drawer"),
            2 * count("searchPair"),
            count("export"),
        ),
        json!({ "seed": seed, "steps": steps.len(), "seconds": seconds }),
    )];
    for kind in ["flip-20", "flip-100", "flip-500", "last", "drawer", "searchPair", "export"] {
        let ms: Vec<f64> = times.iter().filter(|(k, _)| k == kind).map(|(_, ms)| *ms).collect();
        if !ms.is_empty() {
            let (median, p95) = (percentile(&ms, 50.0), percentile(&ms, 95.0));
            figures.push(Figure::info(
                format!("working day: {kind} ({} times)", ms.len()),
                format!("median {median:.0} ms, p95 {p95:.0} ms"),
                json!({ "median_ms": median, "p95_ms": p95, "count": ms.len() }),
            ));
        }
    }
    let (start, middle, end) = (level(samples, 0.0), level(samples, 0.5), level(samples, 1.0));
    let (first_half, second_half) = (middle - start, end - middle);
    figures.push(Figure::check(
        format!("working day: memory (JS heap + wasm) at start → middle → end ({} samples)", samples.len()),
        format!("{} → {} → {}; growth {} then {}", mb(start), mb(middle), mb(end), mb(first_half), mb(second_half)),
        "second half's growth ≤ 5% of the first half's",
        second_half <= 0.05 * first_half.max(0.0),
        json!({
            "start_bytes": start, "middle_bytes": middle, "end_bytes": end,
            "samples": samples.iter().map(|s| json!({ "seconds": s.seconds, "steps": s.steps, "heap": s.heap, "wasm": s.wasm })).collect::<Vec<_>>(),
        }),
    ));
    figures
}

/// Memory at a fraction of the day: the median of the three samples nearest to it, so that
/// one garbage collector's mood does not decide.
fn level(samples: &[Sample], at: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    let centre = ((samples.len() - 1) as f64 * at).round() as usize;
    let from = centre.saturating_sub(1).min(samples.len().saturating_sub(3));
    let near: Vec<f64> = samples[from..(from + 3).min(samples.len())].iter().map(Sample::total).collect();
    percentile(&near, 50.0)
}

/// Memory over the day as an SVG line chart: JS heap, wasm memory and their sum in MB
/// against minutes.
fn svg(samples: &[Sample]) -> String {
    let (width, height, margin) = (800.0, 320.0, 48.0);
    let last_minute = samples.last().map_or(1.0, |s| s.seconds / 60.0).max(1.0 / 60.0);
    let top_mb = samples.iter().map(|s| s.total() / 1e6).fold(1.0, f64::max) * 1.1;
    let x = |seconds: f64| margin + (seconds / 60.0) / last_minute * (width - 2.0 * margin);
    let y = |bytes: f64| height - margin - (bytes / 1e6) / top_mb * (height - 2.0 * margin);
    let mut out = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fff"/>
<text x="{margin}" y="20" font-size="14">Op Console: memory over a working day (after a forced GC at each sample)</text>
<line x1="{margin}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#888"/>
<line x1="{margin}" y1="{margin}" x2="{margin}" y2="{bottom}" stroke="#888"/>
<text x="{right}" y="{label_y}" text-anchor="end">{last_minute:.1} min</text>
<text x="{margin}" y="{label_y}">0</text>
<text x="6" y="{margin}">{top_mb:.1} MB</text>
<text x="6" y="{bottom}">0 MB</text>
"##,
        bottom = height - margin,
        right = width - margin,
        label_y = height - margin + 18.0,
    );
    for (name, colour, value) in [
        ("JS heap + wasm", "#1f6feb", Sample::total as fn(&Sample) -> f64),
        ("wasm memory", "#d4760a", |s: &Sample| s.wasm),
        ("JS heap", "#2da44e", |s: &Sample| s.heap),
    ] {
        let points: String = samples.iter().map(|s| format!("{:.1},{:.1} ", x(s.seconds), y(value(s)))).collect();
        let _ = writeln!(out, r#"<polyline fill="none" stroke="{colour}" stroke-width="2" points="{}"><title>{name}</title></polyline>"#, points.trim_end());
    }
    for (i, (name, colour)) in [("JS heap + wasm", "#1f6feb"), ("wasm memory", "#d4760a"), ("JS heap", "#2da44e")].into_iter().enumerate() {
        let ly = margin + 16.0 * i as f64;
        let _ = writeln!(out, r#"<rect x="{}" y="{}" width="12" height="3" fill="{colour}"/><text x="{}" y="{}">{name}</text>"#, width - 190.0, ly - 4.0, width - 172.0, ly);
    }
    out.push_str("</svg>\n");
    out
}

/// The day's steps in the page: each waits until the app shows its result and reports
/// its kind and time (flips are the bench's own: to the end, then back to the start).
const DAY_JS: &str = r#"
const { waitMark, until, button, usable } = window.__benchKit;
const byText = (selector, text) => Array.from(document.querySelectorAll(selector)).find(e => e.textContent.trim() === text);
window.__day = {
  async flip() {
    const [next, previous] = [button('Next page'), button('Previous page')];
    if (!usable(next) && !usable(previous)) return null; // one page only
    const size = document.querySelector('select[aria-label="Rows per page"]').value;
    return { kind: 'flip-' + size, ms: await window.__bench.flip() };
  },
  async last() {
    const pages = document.querySelectorAll('button[data-page]');
    const last = pages[pages.length - 1];
    if (!last || last.getAttribute('aria-current') === 'page') return this.flip();
    const t0 = performance.now();
    last.click();
    return { kind: 'last', ms: (await waitMark('opc:page-rendered', t0)) - t0 };
  },
  async size(n) {
    const select = document.querySelector('select[aria-label="Rows per page"]');
    if (select.value === String(n)) return null;
    const t0 = performance.now();
    select.value = String(n);
    select.dispatchEvent(new Event('change', { bubbles: true }));
    return { kind: 'size', ms: (await waitMark('opc:page-rendered', t0)) - t0 };
  },
  async drawer(i) {
    return { kind: 'drawer', ms: await window.__bench.drawer(i) };
  },
  async search(nick) {
    const input = document.querySelector('input[aria-label="Nickname"]');
    input.value = nick;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    const t0 = performance.now();
    byText('form button[type=submit]', 'Search').click();
    return (await waitMark('opc:page-rendered', t0)) - t0;
  },
  // A customer's nickname (from row i of this page), then every row again.
  async searchPair(i) {
    const nicks = document.querySelectorAll('tr.opc-row .opc-col-user .opc-truncate');
    const nick = nicks.length ? nicks[i % nicks.length].textContent.trim() : '';
    const narrow = await this.search(nick === '—' ? '' : nick);
    const broad = await this.search('');
    return { kind: 'searchPair', ms: narrow + broad };
  },
  async export() {
    const t0 = performance.now();
    byText('button', 'Export CSV').click();
    await until(() => byText('.opc-export button', 'Dismiss'));
    const ms = performance.now() - t0;
    byText('.opc-export button', 'Dismiss').click();
    await until(() => !document.querySelector('.opc-export__row'));
    return { kind: 'export', ms };
  },
  async run(steps) {
    const done = [];
    for (const step of steps) {
      const arg = step.n ?? step.i;
      const result = await this[step.do](arg);
      if (result) done.push(result);
    }
    performance.clearMarks();
    performance.clearMeasures();
    return done;
  },
};
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_is_seeded_and_holds_the_whole_day() {
        let day = plan(19);
        assert_eq!(day, plan(19), "the same seed, the same day");
        assert_ne!(day, plan(20));
        let count = |f: fn(&Step) -> bool| day.iter().filter(|s| f(s)).count();
        assert_eq!(count(|s| matches!(s, Step::Flip | Step::LastPage)), FLIPS);
        assert!(count(|s| *s == Step::LastPage) > FLIPS / 20, "last pages are part of the mix");
        assert_eq!(count(|s| matches!(s, Step::Drawer(_))), DRAWERS);
        assert_eq!(count(|s| matches!(s, Step::SearchPair(_))), SEARCH_PAIRS);
        assert_eq!(count(|s| *s == Step::Export), EXPORTS);
        for size in [20, 100, 500] {
            assert!(day.contains(&Step::Size(size)), "{size}-row pages are part of the day");
        }
    }

    #[test]
    fn memory_levels_are_medians_of_neighbouring_samples() {
        let samples: Vec<Sample> = [5.0, 1.0, 2.0, 3.0, 9.0, 4.0, 4.0]
            .into_iter()
            .enumerate()
            .map(|(i, mb)| Sample { seconds: i as f64, steps: i, heap: mb * 1e6, wasm: 0.0 })
            .collect();
        assert_eq!(level(&samples, 0.0), 2e6, "the first three: 5, 1, 2");
        assert_eq!(level(&samples, 0.5), 3e6, "around the middle: 2, 3, 9");
        assert_eq!(level(&samples, 1.0), 4e6, "the last three: 9, 4, 4");
    }

    #[test]
    fn the_plot_has_a_line_per_series() {
        let samples: Vec<Sample> = (0..4).map(|i| Sample { seconds: 60.0 * i as f64, steps: i, heap: 1e6, wasm: 2e6 }).collect();
        let plot = svg(&samples);
        assert!(plot.starts_with("<svg") && plot.trim_end().ends_with("</svg>"));
        assert_eq!(plot.matches("<polyline").count(), 3);
        assert!(plot.contains("3.0 min"));
    }
}
