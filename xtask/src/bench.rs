//! `cargo xtask bench`: a release build served by a release op-sandbox on loopback, driven
//! in headless Chromium over WebDriver (the op-e2e harness). Prints one table of figures
//! with their targets (PASS/MISS) and writes `target/bench.json`.
//!
//! Timings come from the app's own `performance.mark`s (`opc:first-results`,
//! `opc:page-rendered`, `opc:drawer-rendered`, `opc:history-rendered`, `opc:chart-complete`, src/perf.rs); main-thread script time
//! (the figure the targets are on) and main-thread CPU time (beside it, to tell a step's cost
//! from a busy machine's) from CDP `Performance.getMetrics` (`ScriptDuration`, `ThreadTime`); the JS heap from
//! `performance.memory` (`--enable-precise-memory-info`) after a forced GC, and the wasm
//! memory from the module's exports (the page's wasm-bindgen module, imported again).
//!
//! The dist gets brotli and gzip twins of its files, which the sandbox serves as a CDN
//! would; the emulated networks (CDP `Network.emulateNetworkConditions`) then carry the
//! bytes an operator's browser would download. `--only network` measures just those;
//! `--only history` just "drawer → history rendered";
//! `--only selection` measures row selection on a 500-row page and page flips in the card
//! layout against the table's.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use op_e2e::Harness;
use serde_json::{json, Value};

use crate::build;
use crate::sandbox::Sandbox;
use crate::tools::Tools;

mod day;

const TOKEN: &str = "bench-token";
/// All generated rows are within this range.
const ALL_ROWS: &str = "start=2000-01-01&end=2099-12-31";

#[derive(clap::Args)]
pub struct BenchArgs {
    /// Fresh (uncached) loads measured for the first-results figure.
    #[arg(long, default_value_t = 20)]
    loads: usize,
    /// Page flips measured per page size (and drawer opens); fewer make a noisy median.
    #[arg(long, default_value_t = 40)]
    flips: usize,
    /// Page flips and drawer open/close cycles of the memory soak.
    #[arg(long, default_value_t = 500)]
    soak_flips: usize,
    #[arg(long, default_value_t = 200)]
    soak_drawers: usize,
    /// Cold loads per emulated network (Fast 4G, Slow 4G) for first results there.
    #[arg(long, default_value_t = 5)]
    network_loads: usize,
    /// Measure this already built dist (e.g. one whose wasm keeps its function names, for
    /// `--cpu-profile`) instead of a fresh release build.
    #[arg(long)]
    dist: Option<PathBuf>,
    /// With `--only flips`: a style sheet added to the page before the flips are measured,
    /// to try a CSS change on a built dist (`--dist`) without building again.
    #[arg(long)]
    extra_css: Option<PathBuf>,
    /// With `--only flips`: also record a CPU profile of 20 flips per page size
    /// (`target/bench-flips-<size>.cpuprofile`, for Chrome DevTools) and print where the
    /// script time went. Function names need a build that keeps them (see docs/size.md).
    #[arg(long)]
    cpu_profile: bool,
    /// Seed of the working-day soak's plan (`--only day`).
    #[arg(long, default_value_t = 19)]
    day_seed: u64,
    /// Measure one part only (writes target/bench-<part>.json instead of bench.json).
    #[arg(long, value_enum)]
    only: Option<Part>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Part {
    /// First results on the emulated Fast 4G and Slow 4G networks, and the first drawer
    /// open after them there and on loopback.
    Network,
    /// The chart over the 365-day range: complete after first results, and first results
    /// with the chart on against the same loads with it off (`"chart": false`).
    Chart,
    /// Drawer rendered → "Conversations with this customer" rendered.
    History,
    /// Row selection on a 500-row page, and page flips in the card layout against the table's.
    Selection,
    /// Page flips at 20, 100 and 500 rows and the memory soak (flips and drawer cycles).
    Flips,
    /// The working-day soak (issue 19): thousands of seeded flips, drawer opens, searches
    /// and exports on one page, memory sampled along the way; writes a plot next to the JSON.
    Day,
}

/// An emulated network: Chrome DevTools' throttling presets as issue 17 states them.
struct Network {
    name: &'static str,
    down_bits: f64,
    up_bits: f64,
    rtt_ms: f64,
    /// The median first-results target, if the network has one.
    target_ms: Option<f64>,
}

impl Network {
    /// The parameters of CDP `Network.emulateNetworkConditions`: latency in ms, throughput
    /// in bytes per second.
    fn conditions(&self) -> Value {
        json!({ "offline": false, "latency": self.rtt_ms, "downloadThroughput": self.down_bits / 8.0, "uploadThroughput": self.up_bits / 8.0 })
    }
}

const NETWORKS: [Network; 2] = [
    Network { name: "Fast 4G", down_bits: 9e6, up_bits: 1.5e6, rtt_ms: 60.0, target_ms: None },
    Network { name: "Slow 4G", down_bits: 1.6e6, up_bits: 750e3, rtt_ms: 150.0, target_ms: Some(1500.0) },
];

/// One line of the table.
struct Figure {
    name: String,
    value: String,
    target: String,
    /// `None`: informational, no target.
    pass: Option<bool>,
    json: Value,
}

impl Figure {
    fn info(name: impl Into<String>, value: impl Into<String>, json: Value) -> Self {
        Figure { name: name.into(), value: value.into(), target: "—".into(), pass: None, json }
    }
    fn check(name: impl Into<String>, value: impl Into<String>, target: impl Into<String>, pass: bool, json: Value) -> Self {
        Figure { name: name.into(), value: value.into(), target: target.into(), pass: Some(pass), json }
    }
}

pub fn run(tools: &Tools, args: &BenchArgs) -> Result<()> {
    let started = Instant::now();
    tools.setup(true)?;
    let target = tools.root.join("target");
    // Its own dist: dist/ may be in use by tests, and a `trunk serve` build must never be measured.
    let dist = match &args.dist {
        Some(dist) => dist.canonicalize().with_context(|| format!("no dist at {}", dist.display()))?,
        None => {
            let dist = target.join("bench-dist");
            build::release(tools, &dist, "/")?;
            dist
        }
    };
    build::write_compressed_twins(&dist)?;
    let config = target.join("bench-config.json");
    std::fs::write(&config, json!({ "locale": "en", "token": TOKEN, "pageSizes": [20, 100, 500] }).to_string())?;
    // No access log lines in the table's way (the sandbox logs to stderr through tracing).
    std::env::set_var("RUST_LOG", "warn");
    let sandbox = bench_sandbox(tools, &dist, &config)?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let (mut figures, has_export) = match args.only {
        Some(Part::Network) => {
            let figures = runtime.block_on(network_only(&sandbox.url, args.network_loads))?;
            drop(sandbox);
            (figures, false)
        }
        Some(Part::History) => {
            let figures = runtime.block_on(history_only(&sandbox.url, args.flips))?;
            drop(sandbox);
            (figures, false)
        }
        Some(Part::Selection) => {
            let figures = runtime.block_on(selection_only(&sandbox.url, args.flips))?;
            drop(sandbox);
            (figures, false)
        }
        Some(Part::Flips) => {
            let figures = runtime.block_on(flips_only(&sandbox.url, &target, args))?;
            drop(sandbox);
            (figures, false)
        }
        Some(Part::Chart) => {
            drop(sandbox);
            (chart(tools, &dist, &target, &runtime, args.loads)?, false)
        }
        Some(Part::Day) => {
            drop(sandbox);
            (day::run(tools, &dist, &target, &runtime, args.day_seed)?, false)
        }
        None => {
            let mut figures = runtime.block_on(measure(&sandbox.url, &dist, &config, args))?;
            drop(sandbox);
            figures.0.extend(chart(tools, &dist, &target, &runtime, args.loads)?);
            figures
        }
    };
    if args.only.is_none() {
        figures.push(if has_export {
            // A sandbox of its own with 100,000 conversations (plus the 12 seed ones).
            let flags = [
                ("--port", "0".as_ref()),
                ("--dist", dist.as_os_str()),
                ("--app-config", config.as_os_str()),
                ("--token", TOKEN.as_ref()),
                ("--chats", "100000".as_ref()),
            ];
            let sandbox = Sandbox::start(tools, flags.into_iter().flat_map(|(flag, value)| [std::ffi::OsStr::new(flag), value]))?;
            let figure = runtime.block_on(export_csv(&sandbox.url, &target.join("bench-downloads")))?;
            drop(sandbox);
            figure
        } else {
            Figure::info("CSV export, 100,000 rows", "n/a (export not built)", Value::Null)
        });
    }

    print_table(&figures);
    let report = json!({
        "figures": figures.iter().map(|f| json!({
            "name": f.name, "value": f.value, "target": f.target,
            "result": f.pass.map(|p| if p { "PASS" } else { "MISS" }), "data": f.json,
        })).collect::<Vec<_>>(),
        "seconds": started.elapsed().as_secs_f64(),
    });
    let out = target.join(match args.only {
        Some(Part::Network) => "bench-network.json",
        Some(Part::Chart) => "bench-chart.json",
        Some(Part::History) => "bench-history.json",
        Some(Part::Selection) => "bench-selection.json",
        Some(Part::Flips) => "bench-flips.json",
        Some(Part::Day) => "bench-day.json",
        None => "bench.json",
    });
    std::fs::write(&out, serde_json::to_string_pretty(&report)?).with_context(|| format!("writing {}", out.display()))?;
    let misses = figures.iter().filter(|f| f.pass == Some(false)).count();
    println!("\n{} figure(s) measured, {misses} MISS; wrote {} in {:.0} s", figures.len(), out.display(), started.elapsed().as_secs_f64());
    Ok(())
}

/// Every figure but the CSV export's, and whether the app has `Export CSV`.
async fn measure(base_url: &str, dist: &Path, config: &Path, args: &BenchArgs) -> Result<(Vec<Figure>, bool)> {
    let h = measuring_browser(base_url).await?;
    h.cdp("Performance.enable", json!({})).await?;
    let mut figures = Vec::new();

    // Cold loads: no HTTP cache (so no wasm code cache either), a blank page in between.
    h.cdp("Network.enable", json!({})).await?;
    h.cdp("Network.setCacheDisabled", json!({ "cacheDisabled": true })).await?;
    let mut first = Vec::new();
    let mut loaded_before = Vec::new();
    for _ in 0..args.loads {
        h.client().goto("about:blank").await?;
        h.goto("/").await?;
        let at = wait_mark(&h, "opc:first-results").await?;
        first.push(at);
        if loaded_before.is_empty() {
            let names = h.eval(
                "return performance.getEntriesByType('resource')
                   .filter(e => e.responseEnd <= arguments[0] && !e.name.includes('/op/v2/'))
                   .map(e => new URL(e.name).pathname);",
                vec![at.into()],
            )
            .await?;
            loaded_before = names.as_array().into_iter().flatten().filter_map(|n| n.as_str().map(str::to_owned)).collect();
        }
    }
    figures.push(transfer(dist, config, &loaded_before)?);
    figures.extend(networks(&h, args.network_loads).await?);
    h.cdp("Network.setCacheDisabled", json!({ "cacheDisabled": false })).await?;
    let (median, p95) = (percentile(&first, 50.0), percentile(&first, 95.0));
    figures.push(Figure::check(
        format!("cold load → first results ({} loads)", first.len()),
        format!("median {median:.0} ms, p95 {p95:.0} ms"),
        "median ≤ 300 ms",
        median <= 300.0,
        json!({ "samples_ms": first, "median_ms": median, "p95_ms": p95 }),
    ));

    figures.extend(page_flips(&h, args.flips, "").await?);
    figures.extend(selection(&h, args.flips).await?);

    // Drawer: click a row → details painted (rows of one page: the first opens cost a request).
    h.goto(&format!("/?{ALL_ROWS}&size=20")).await?;
    wait_mark(&h, "opc:first-results").await?;
    install_helpers(&h).await?;
    let mut opens = Vec::new();
    for i in 0..args.flips {
        opens.push(async_call(&h, "return window.__bench.drawer(arguments[0])", vec![i.into()]).await?);
    }
    let opens: Vec<f64> = opens.iter().filter_map(Value::as_f64).collect();
    let (median, p95) = (percentile(&opens, 50.0), percentile(&opens, 95.0));
    figures.push(Figure::info(
        "drawer open → rendered",
        format!("median {median:.0} ms, p95 {p95:.0} ms"),
        json!({ "samples_ms": opens, "median_ms": median, "p95_ms": p95 }),
    ));

    figures.push(history(&h, args.flips).await?);

    figures.extend(memory_soak(&h, args).await?);
    h.assert_no_panic().await?;

    // The CSV export is measured on a sandbox of its own, once the app has it.
    let has_export = h.eval(
        "return Array.from(document.querySelectorAll('button')).some(b =>
           (b.getAttribute('aria-label') || b.textContent).trim() === 'Export CSV')",
        vec![],
    )
    .await?;
    Ok((figures, has_export == json!(true)))
}

/// `--only flips`: a browser of its own, the page flips and the memory soak.
async fn flips_only(base_url: &str, target: &Path, args: &BenchArgs) -> Result<Vec<Figure>> {
    let h = measuring_browser(base_url).await?;
    h.cdp("Performance.enable", json!({})).await?;
    let css = match &args.extra_css {
        Some(file) => std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?,
        None => String::new(),
    };
    let mut figures = page_flips(&h, args.flips, &css).await?;
    if args.cpu_profile {
        for size in [20, 100, 500] {
            profile_flips(&h, size, &target.join(format!("bench-flips-{size}.cpuprofile"))).await?;
        }
    }
    figures.extend(memory_soak(&h, args).await?);
    h.assert_no_panic().await?;
    Ok(figures)
}

/// Page flips at three page sizes: click → rows painted, and main-thread script time,
/// against issue 19's targets.
async fn page_flips(h: &Harness, flips: usize, extra_css: &str) -> Result<Vec<Figure>> {
    let mut figures = Vec::new();
    for size in [20, 100, 500] {
        h.goto(&format!("/?{ALL_ROWS}&size={size}")).await?;
        wait_mark(h, "opc:first-results").await?;
        install_helpers(h).await?;
        if !extra_css.is_empty() {
            // A constructed sheet: the page's CSP allows no <style>.
            h.eval("const sheet = new CSSStyleSheet(); sheet.replaceSync(arguments[0]);
                    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];", vec![extra_css.into()]).await?;
        }
        settle(h).await?;
        flip(h).await?; // warm-up
        let t = timing(&timed(h, "flip", flips).await?);
        let name = format!("page flip, {size} rows");
        figures.push(match size {
            100 => Figure::check(name, t.value, "script median ≤ 10 ms, p95 ≤ 16 ms", t.script_median <= 10.0 && t.script_p95 <= 16.0, t.data),
            500 => Figure::check(
                name,
                t.value,
                "median ≤ 100 ms, p95 ≤ 150 ms; script median ≤ 25 ms",
                t.median <= 100.0 && t.p95 <= 150.0 && t.script_median <= 25.0,
                t.data,
            ),
            _ => Figure::info(name, t.value, t.data),
        });
    }
    Ok(figures)
}

/// A CPU profile of 20 flips of `size` rows, written to `out`, and its 25 functions with
/// the most self time printed.
async fn profile_flips(h: &Harness, size: usize, out: &Path) -> Result<()> {
    h.goto(&format!("/?{ALL_ROWS}&size={size}")).await?;
    wait_mark(h, "opc:first-results").await?;
    install_helpers(h).await?;
    settle(h).await?;
    flip(h).await?;
    h.cdp("Profiler.enable", json!({})).await?;
    h.cdp("Profiler.setSamplingInterval", json!({ "interval": 100 })).await?;
    h.cdp("Profiler.start", json!({})).await?;
    for _ in 0..20 {
        flip(h).await?;
    }
    let profile = h.cdp("Profiler.stop", json!({})).await?["profile"].take();
    std::fs::write(out, serde_json::to_string(&profile)?).with_context(|| format!("writing {}", out.display()))?;
    // Self time per function: samples × the interval between them.
    let names: std::collections::HashMap<i64, String> = profile["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| {
            let frame = &n["callFrame"];
            let file = frame["url"].as_str().unwrap_or("").rsplit('/').next().unwrap_or("").to_owned();
            (n["id"].as_i64().unwrap_or(-1), format!("{} ({file})", frame["functionName"].as_str().unwrap_or("")))
        })
        .collect();
    let name_of = |id: &Value| names.get(&id.as_i64().unwrap_or(-1)).cloned().unwrap_or_default();
    let mut self_ms: std::collections::HashMap<String, f64> = std::collections::HashMap::new();
    let (samples, deltas) = (profile["samples"].as_array().cloned().unwrap_or_default(), profile["timeDeltas"].as_array().cloned().unwrap_or_default());
    for (sample, delta) in samples.iter().zip(deltas.iter().skip(1).chain(std::iter::once(&json!(0)))) {
        *self_ms.entry(name_of(sample)).or_default() += delta.as_f64().unwrap_or(0.0) / 1000.0;
    }
    let mut top: Vec<(String, f64)> = self_ms.into_iter().filter(|(name, _)| !name.starts_with("(idle)")).collect();
    top.sort_by(|a, b| b.1.total_cmp(&a.1));
    println!("\nself time over 20 flips of {size} rows ({}):", out.display());
    for (name, ms) in top.iter().take(25) {
        println!("{ms:9.1} ms  {name}");
    }
    Ok(())
}

/// Memory after a warm-up (caches, pools and the allocator settle), and after the soak's
/// page flips and drawer cycles.
async fn memory_soak(h: &Harness, args: &BenchArgs) -> Result<Vec<Figure>> {
    let mut figures = Vec::new();
    h.goto(&format!("/?{ALL_ROWS}&size=20")).await?;
    wait_mark(h, "opc:first-results").await?;
    install_helpers(h).await?;
    async_call(h, "return window.__bench.many('flip', 40)", vec![]).await?;
    async_call(h, "return window.__bench.many('drawer', 20)", vec![]).await?;
    let warm = memory(h).await?;
    let warm_counters = h.cdp("Memory.getDOMCounters", json!({})).await?;
    let soak = Instant::now();
    for (kind, total) in [("flip", args.soak_flips), ("drawer", args.soak_drawers)] {
        let mut done = 0;
        while done < total {
            let batch = (total - done).min(50);
            async_call(h, "return window.__bench.many(arguments[0], arguments[1])", vec![kind.into(), batch.into()]).await?;
            done += batch;
        }
    }
    let soak_seconds = soak.elapsed().as_secs_f64();
    let after = memory(h).await?;
    // Nodes and listeners left behind show up here before they show as bytes.
    let counters = h.cdp("Memory.getDOMCounters", json!({})).await?;
    figures.push(Figure::info(
        "DOM counters: warm → after soak",
        ["documents", "nodes", "jsEventListeners"]
            .map(|name| format!("{name} {} → {}", warm_counters[name], counters[name]))
            .join(", "),
        json!({ "warm": warm_counters, "after": counters }),
    ));
    for (name, before, now) in [("JS heap", warm.0, after.0), ("wasm memory", warm.1, after.1)] {
        figures.push(Figure::info(
            format!("{name}: warm → after soak"),
            format!("{} → {}", mb(before), mb(now)),
            json!({ "warm_bytes": before, "after_bytes": now }),
        ));
    }
    let growth = (after.0 - warm.0) + (after.1 - warm.1);
    figures.push(Figure::check(
        format!("memory growth, {} flips + {} drawer cycles ({soak_seconds:.0} s)", args.soak_flips, args.soak_drawers),
        mb(growth),
        "≤ 0.5 MB",
        growth <= 500_000.0,
        json!({ "growth_bytes": growth, "soak_seconds": soak_seconds }),
    ));
    Ok(figures)
}

/// A release op-sandbox on a free port serving `dist` with the app config at `config`.
fn bench_sandbox(tools: &Tools, dist: &Path, config: &Path) -> Result<Sandbox> {
    let flags = [
        ("--port", "0".as_ref()),
        ("--dist", dist.as_os_str()),
        ("--app-config", config.as_os_str()),
        ("--token", TOKEN.as_ref()),
    ];
    Sandbox::start(tools, flags.into_iter().flat_map(|(flag, value)| [std::ffi::OsStr::new(flag), value]))
}

/// The chart over the 365-day default range (`defaultRangeDays: 365`: 53 or 54 weekly
/// count calls, 4 at a time): `loads` cold loads with it on, the time from first results
/// to every bar painted; then as many with `"chart": false`, whose first results the ones
/// with the chart must not be slower than (counting starts after the table's page).
fn chart(tools: &Tools, dist: &Path, target: &Path, runtime: &tokio::runtime::Runtime, loads: usize) -> Result<Vec<Figure>> {
    let mut first = Vec::new();
    let mut complete = Vec::new();
    for on in [true, false] {
        let config = target.join(format!("bench-config-chart-{on}.json"));
        std::fs::write(&config, json!({ "locale": "en", "token": TOKEN, "defaultRangeDays": 365, "chart": on }).to_string())?;
        let sandbox = bench_sandbox(tools, dist, &config)?;
        let (results, after) = runtime.block_on(chart_loads(&sandbox.url, loads, on))?;
        drop(sandbox);
        first.push(results);
        complete = complete.into_iter().chain(after).collect();
    }
    let (median, p95) = (percentile(&complete, 50.0), percentile(&complete, 95.0));
    let (on, off) = (percentile(&first[0], 50.0), percentile(&first[1], 50.0));
    Ok(vec![
        Figure::info(
            format!("chart complete after first results, 365 days ({} loads)", complete.len()),
            format!("median {median:.0} ms, p95 {p95:.0} ms"),
            json!({ "samples_ms": complete, "median_ms": median, "p95_ms": p95 }),
        ),
        Figure::check(
            "first results with the chart on vs off, 365 days",
            format!("median {on:.0} ms vs {off:.0} ms"),
            "on ≤ off + 10%",
            on <= off * 1.1,
            json!({ "on_ms": first[0], "off_ms": first[1], "on_median_ms": on, "off_median_ms": off }),
        ),
    ])
}

/// Cold loads of `/`: first results, and (when the chart is `on`) the time from them to
/// the chart's last bar.
async fn chart_loads(base_url: &str, loads: usize, on: bool) -> Result<(Vec<f64>, Vec<f64>)> {
    let h = Harness::builder().external(base_url).start().await?;
    h.cdp("Network.enable", json!({})).await?;
    h.cdp("Network.setCacheDisabled", json!({ "cacheDisabled": true })).await?;
    let (mut first, mut after) = (Vec::new(), Vec::new());
    for _ in 0..loads {
        h.client().goto("about:blank").await?;
        h.goto("/").await?;
        let at = wait_mark(&h, "opc:first-results").await?;
        first.push(at);
        if on {
            after.push(wait_mark(&h, "opc:chart-complete").await? - at);
        }
    }
    Ok((first, after))
}

/// `--only history`: a browser of its own.
async fn history_only(base_url: &str, opens: usize) -> Result<Vec<Figure>> {
    let h = Harness::builder().external(base_url).start().await?;
    Ok(vec![history(&h, opens).await?])
}

/// Drawer painted → its "Conversations with this customer" painted (the walk by nickname
/// included), opening each row of the newest pages once, a fresh page (so an empty cache)
/// per page of 20.
async fn history(h: &Harness, opens: usize) -> Result<Figure> {
    let mut samples = Vec::new();
    for page in 1.. {
        if samples.len() >= opens {
            break;
        }
        h.goto(&format!("/?{ALL_ROWS}&size=20&page={page}")).await?;
        wait_mark(h, "opc:first-results").await?;
        install_helpers(h).await?;
        for i in 0..(opens - samples.len()).min(20) {
            let took = async_call(h, "return window.__bench.history(arguments[0])", vec![i.into()]).await?;
            samples.push(took.as_f64().context("history returned no time")?);
        }
    }
    let (median, p95) = (percentile(&samples, 50.0), percentile(&samples, 95.0));
    Ok(Figure::info(
        "drawer → history rendered",
        format!("median {median:.0} ms, p95 {p95:.0} ms"),
        json!({ "samples_ms": samples, "median_ms": median, "p95_ms": p95 }),
    ))
}

/// `--only selection`: a browser of its own, the selection and card-layout figures.
async fn selection_only(base_url: &str, samples: usize) -> Result<Vec<Figure>> {
    let h = Harness::builder().external(base_url).start().await?;
    h.cdp("Performance.enable", json!({})).await?;
    let figures = selection(&h, samples).await?;
    h.assert_no_panic().await?;
    Ok(figures)
}

/// What [`timed`] measured of each run of a step, in ms.
struct Timed {
    /// Click → the DOM shows it (wall clock).
    times: Vec<f64>,
    /// Main-thread script time (`ScriptDuration`, wall clock: it grows when the machine
    /// preempts the renderer).
    scripts: Vec<f64>,
    /// Main-thread CPU time (`ThreadTime`: script, style, layout and paint), which a
    /// preempted renderer does not accrue: it tells the step's cost from the machine's noise.
    cpu: Vec<f64>,
}

/// `samples` runs of the helper `step` (click → the DOM shows it).
async fn timed(h: &Harness, step: &str, samples: usize) -> Result<Timed> {
    let mut timed = Timed { times: Vec::new(), scripts: Vec::new(), cpu: Vec::new() };
    for i in 0..samples {
        let before = main_thread_seconds(h).await?;
        let time = async_call(h, &format!("return window.__bench.{step}(arguments[0])"), vec![i.into()]).await?;
        let after = main_thread_seconds(h).await?;
        timed.scripts.push((after.script - before.script) * 1000.0);
        timed.cpu.push((after.cpu - before.cpu) * 1000.0);
        timed.times.push(time.as_f64().context("the step returned no time")?);
    }
    Ok(timed)
}

/// A timed step's figure: its text and data, and the percentiles its targets are on (ms).
struct Timing {
    value: String,
    data: Value,
    median: f64,
    p95: f64,
    script_median: f64,
    script_p95: f64,
}

fn timing(timed: &Timed) -> Timing {
    let Timed { times, scripts, cpu } = timed;
    let (median, p95) = (percentile(times, 50.0), percentile(times, 95.0));
    let (script_median, script_p95) = (percentile(scripts, 50.0), percentile(scripts, 95.0));
    let cpu_median = percentile(cpu, 50.0);
    let value = format!(
        "median {median:.0} ms, p95 {p95:.0} ms; script median {script_median:.1} ms, p95 {script_p95:.1} ms; main-thread CPU median {cpu_median:.1} ms"
    );
    let data = json!({ "samples_ms": times, "script_ms": scripts, "cpu_ms": cpu, "median_ms": median, "p95_ms": p95,
                       "script_median_ms": script_median, "script_p95_ms": script_p95, "cpu_median_ms": cpu_median });
    Timing { value, data, median, p95, script_median, script_p95 }
}

/// Select all on this page and a single row's checkbox on a 500-row page (each click →
/// every checkbox and row look written), then page flips of 100 rows as cards (the
/// console 400 px wide) against the same flips as a table.
async fn selection(h: &Harness, samples: usize) -> Result<Vec<Figure>> {
    let mut figures = Vec::new();
    h.goto(&format!("/?{ALL_ROWS}&size=500")).await?;
    wait_mark(h, "opc:first-results").await?;
    install_helpers(h).await?;
    settle(h).await?;
    for (step, name) in [("selectAll", "select all / none, 500 rows"), ("pickRow", "select one row, 500-row page")] {
        async_call(h, &format!("return window.__bench.{step}(0)"), vec![]).await?; // warm-up
        let t = timing(&timed(h, step, samples).await?);
        figures.push(Figure::check(name, t.value, "script ≤ 16 ms", t.script_median <= 16.0, t.data));
    }
    let mut flips = Vec::new();
    for (layout, width) in [("table", ""), ("cards", "400px")] {
        h.goto(&format!("/?{ALL_ROWS}&size=100")).await?;
        wait_mark(h, "opc:first-results").await?;
        h.eval("document.querySelector('.opc-app').style.width = arguments[0]", vec![width.into()]).await?;
        install_helpers(h).await?;
        settle(h).await?;
        flip(h).await?; // warm-up
        flips.push((layout, timing(&timed(h, "flip", samples).await?)));
    }
    let table_median = flips[0].1.median;
    for (layout, t) in flips {
        let name = format!("page flip, 100 rows, {layout} (console {})", if layout == "table" { "full width" } else { "400 px" });
        figures.push(if layout == "cards" {
            // "No slower than the table": within a tenth, the noise of these medians.
            Figure::check(name, t.value, "median ≤ table's + 10%", t.median <= table_median * 1.1, t.data)
        } else {
            Figure::info(name, t.value, t.data)
        });
    }
    Ok(figures)
}

/// `--only network`: a browser of its own, cold cache, the emulated networks.
async fn network_only(base_url: &str, loads: usize) -> Result<Vec<Figure>> {
    let h = Harness::builder().external(base_url).start().await?;
    h.cdp("Network.enable", json!({})).await?;
    h.cdp("Network.setCacheDisabled", json!({ "cacheDisabled": true })).await?;
    networks(&h, loads).await
}

/// First results on each emulated network: `loads` cold loads (HTTP cache disabled, so no
/// wasm code cache either; `Network.enable` and `setCacheDisabled` already sent), the
/// median against the network's target. The bytes that crossed the wire before the first
/// results (resource timing's `transferSize`) show which encoding the page got.
async fn networks(h: &Harness, loads: usize) -> Result<Vec<Figure>> {
    let mut figures = vec![first_drawer_on_loopback(h, loads).await?];
    for network in &NETWORKS {
        h.cdp("Network.emulateNetworkConditions", network.conditions()).await?;
        let mut first = Vec::new();
        let mut drawer = Vec::new();
        let mut waterfall = Value::Null;
        for _ in 0..loads {
            h.client().goto("about:blank").await?;
            h.goto("/").await?;
            let at = wait_mark(h, "opc:first-results").await?;
            first.push(at);
            // The requests up to the first results, in order: where the time goes (bytes or
            // round trips). Kept from the last load.
            waterfall = h
                .eval(
                    "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
                       .filter(e => e.startTime <= arguments[0])
                       .map(e => ({ path: new URL(e.name).pathname, start_ms: Math.round(e.startTime),
                                    end_ms: Math.round(e.responseEnd), wire_bytes: e.transferSize }));",
                    vec![at.into()],
                )
                .await?;
            drawer.push(first_drawer_open(h).await?);
        }
        let entries = waterfall.as_array().map(Vec::as_slice).unwrap_or_default();
        let wire: f64 = entries.iter().filter(|e| !e["path"].as_str().unwrap_or("").contains("/op/v2/")).filter_map(|e| e["wire_bytes"].as_f64()).sum();
        let (median, p95) = (percentile(&first, 50.0), percentile(&first, 95.0));
        let name = format!(
            "first results on {} ({} Mbps down, {} Mbps up, {} ms RTT; {} cold loads)",
            network.name,
            network.down_bits / 1e6,
            network.up_bits / 1e6,
            network.rtt_ms,
            first.len()
        );
        let value = format!("median {median:.0} ms, p95 {p95:.0} ms; {} over the wire", kb(wire as usize));
        let data = json!({ "samples_ms": first, "median_ms": median, "p95_ms": p95, "wire_bytes": wire, "waterfall": waterfall,
                           "down_bits": network.down_bits, "up_bits": network.up_bits, "rtt_ms": network.rtt_ms });
        figures.push(match network.target_ms {
            Some(target) => Figure::check(name, value, format!("median ≤ {:.1} s", target / 1000.0), median <= target, data),
            None => Figure::info(name, value, data),
        });
        let (median, p95) = (percentile(&drawer, 50.0), percentile(&drawer, 95.0));
        figures.push(Figure::info(
            format!("first drawer open after first results on {} (chunk load included)", network.name),
            format!("median {median:.0} ms, p95 {p95:.0} ms"),
            json!({ "samples_ms": drawer, "median_ms": median, "p95_ms": p95 }),
        ));
    }
    // Back to the unthrottled loopback for whatever is measured next.
    h.cdp("Network.emulateNetworkConditions", json!({ "offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 }))
        .await?;
    Ok(figures)
}

/// The first drawer open of a cold load, unthrottled: click a row as soon as the first
/// results are there → details painted, the drawer's chunk (split build) loaded on the way.
async fn first_drawer_on_loopback(h: &Harness, loads: usize) -> Result<Figure> {
    let mut opens = Vec::new();
    for _ in 0..loads {
        h.client().goto("about:blank").await?;
        h.goto("/").await?;
        wait_mark(h, "opc:first-results").await?;
        opens.push(first_drawer_open(h).await?);
    }
    let (median, p95) = (percentile(&opens, 50.0), percentile(&opens, 95.0));
    Ok(Figure::check(
        format!("first drawer open after first results on loopback (chunk load included; {} cold loads)", opens.len()),
        format!("median {median:.0} ms, p95 {p95:.0} ms"),
        "median ≤ 150 ms",
        median <= 150.0,
        json!({ "samples_ms": opens, "median_ms": median, "p95_ms": p95 }),
    ))
}

/// Click the first row of a page that just showed its first results → details painted.
async fn first_drawer_open(h: &Harness) -> Result<f64> {
    install_helpers(h).await?;
    async_call(h, "return window.__bench.drawer(0)", vec![]).await?.as_f64().context("the drawer open returned no time")
}

/// Export CSV of every row (100,012): click → file complete in the download directory; the
/// peak of JS heap + wasm memory sampled in the page every 50 ms meanwhile.
async fn export_csv(base_url: &str, downloads: &Path) -> Result<Figure> {
    let _ = std::fs::remove_dir_all(downloads);
    std::fs::create_dir_all(downloads)?;
    let h = measuring_browser(base_url).await?;
    h.cdp("Browser.setDownloadBehavior", json!({ "behavior": "allow", "downloadPath": downloads.display().to_string() })).await?;
    h.goto(&format!("/?{ALL_ROWS}")).await?;
    wait_mark(&h, "opc:first-results").await?;
    h.cdp("HeapProfiler.collectGarbage", json!({})).await?;
    async_call(
        &h,
        &format!("const wasm = await {WASM_EXPORTS_JS};
         const used = () => performance.memory.usedJSHeapSize + wasm.memory.buffer.byteLength;
         window.__peak = {{ before: used(), max: used() }};
         window.__sampler = setInterval(() => {{ window.__peak.max = Math.max(window.__peak.max, used()); }}, 50);"),
        vec![],
    )
    .await?;
    let started = Instant::now();
    h.by_role("button", "Export CSV").await?.click().await?;
    let file = loop {
        let done: Vec<PathBuf> = std::fs::read_dir(downloads)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "csv"))
            .collect();
        let partial = std::fs::read_dir(downloads)?.filter_map(|e| e.ok()).any(|e| e.path().extension().is_some_and(|x| x == "crdownload"));
        if let (Some(file), false) = (done.first(), partial) {
            break file.clone();
        }
        if started.elapsed().as_secs() > 180 {
            bail!("no complete CSV in {} after 180 s", downloads.display());
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let seconds = started.elapsed().as_secs_f64();
    let peak = async_call(&h, "clearInterval(window.__sampler); return window.__peak;", vec![]).await?;
    let (before, max) = (peak["before"].as_f64().unwrap_or(0.0), peak["max"].as_f64().unwrap_or(0.0));
    let text = std::fs::read(&file)?;
    let records = text.iter().filter(|&&b| b == b'\n').count().saturating_sub(1);
    h.assert_no_panic().await?;
    Ok(Figure::info(
        "CSV export, 100,000 rows",
        format!("{seconds:.1} s; peak memory {} (JS heap + wasm; {} before); file {}", mb(max), mb(before), mb(text.len() as f64)),
        json!({ "seconds": seconds, "peak_bytes": max, "before_bytes": before, "file_bytes": text.len(), "lines_after_header": records }),
    ))
}

/// A promise of the app's wasm exports (memory included), with no hook in the app: the
/// page's wasm-bindgen module (named by its modulepreload link) imported again is the same
/// module instance, and its init function returns the exports once initialised.
const WASM_EXPORTS_JS: &str =
    "import(document.querySelector('link[rel=modulepreload][href*=\"op-console-\"]').href).then(m => m.default())";

/// A browser for the figures that read memory (precise heap sizes) or flip many pages:
/// Chrome ignores `pushState` beyond 200 calls in 10 s (its IPC flooding protection), the
/// soaks flip pages faster than any operator, and a dropped entry would send the drawer's
/// Back to the wrong page. The bench measures the console, not that limit.
pub async fn measuring_browser(base_url: &str) -> Result<Harness> {
    Harness::builder()
        .external(base_url)
        .chrome_arg("--enable-precise-memory-info")
        .chrome_arg("--disable-ipc-flooding-protection")
        .start()
        .await
}

/// The in-page helpers the timed steps use: each step waits for the app's own mark.
const HELPERS_JS: &str = r#"
const waitMark = (name, after) => new Promise((resolve, reject) => {
  const found = () => performance.getEntriesByName(name, 'mark').find(e => e.startTime >= after);
  const hit = found();
  if (hit) return resolve(hit.startTime);
  const timer = setTimeout(() => { observer.disconnect(); reject(new Error('no ' + name + ' mark')); }, 15000);
  const observer = new PerformanceObserver(() => {
    const hit = found();
    if (hit) { observer.disconnect(); clearTimeout(timer); resolve(hit.startTime); }
  });
  observer.observe({ type: 'mark' });
});
const until = (test) => new Promise((resolve, reject) => {
  const started = performance.now();
  const poll = () => test() ? resolve() : performance.now() - started > 15000 ? reject(new Error('timeout')) : setTimeout(poll, 1);
  poll();
});
// The pager's buttons are looked up inside the pager: a search of the whole document for an
// attribute walks every row first (5 ms of a 500-row flip's script time was this lookup).
let pager = null;
const button = (label) => {
  if (pager === null || !pager.isConnected) pager = document.querySelector('.opc-pager');
  return (pager && pager.querySelector('[aria-label="' + label + '"]')) || document.querySelector('[aria-label="' + label + '"]');
};
const usable = (b) => b && !b.disabled && b.getAttribute('aria-disabled') !== 'true';
// For other scripts of the bench (each runs in a scope of its own).
window.__benchKit = { waitMark, until, button, usable };
// Flips page through: to the last page, then back to the first, as an operator scans.
let forward = true;
window.__bench = {
  async flip() {
    const [next, previous] = [button('Next page'), button('Previous page')];
    if (forward && !usable(next)) forward = false;
    if (!forward && !usable(previous)) forward = true;
    const target = forward ? next : previous;
    const t0 = performance.now();
    target.click();
    return (await waitMark('opc:page-rendered', t0)) - t0;
  },
  async drawer(i) {
    const rows = document.querySelectorAll('tr.opc-row');
    const t0 = performance.now();
    rows[i % rows.length].click();
    const t1 = await waitMark('opc:drawer-rendered', t0);
    document.querySelector('[role=dialog] [aria-label="Close"]').click();
    // Closing goes back in history: wait for the address too, as a person's next click
    // would (a click before that popstate races it: see the closing note of 2026-11-30).
    await until(() => !document.querySelector('[role=dialog]') && !new URLSearchParams(location.search).has('chat'));
    return t1 - t0;
  },
  async history(i) {
    const rows = document.querySelectorAll('tr.opc-row');
    const t0 = performance.now();
    rows[i % rows.length].click();
    const t1 = await waitMark('opc:drawer-rendered', t0);
    const t2 = await waitMark('opc:history-rendered', t1);
    document.querySelector('[role=dialog] [aria-label="Close"]').click();
    await until(() => !document.querySelector('[role=dialog]') && !new URLSearchParams(location.search).has('chat'));
    return t2 - t1;
  },
  // Clicks Select all on this page; done when the last row shows the new state.
  async selectAll() {
    const box = document.querySelector('thead input.opc-check');
    const rows = document.querySelectorAll('tr.opc-row');
    const last = rows[rows.length - 1];
    const t0 = performance.now();
    box.click();
    const want = box.checked;
    await until(() => last.classList.contains('opc-row--picked') === want && !box.indeterminate);
    return performance.now() - t0;
  },
  // Clicks row i's checkbox (rows in turn); done when the row shows it.
  async pickRow(i) {
    const rows = document.querySelectorAll('tr.opc-row');
    const row = rows[(i * 7) % rows.length];
    const box = row.querySelector('input.opc-check');
    const t0 = performance.now();
    box.click();
    const want = box.checked;
    await until(() => row.classList.contains('opc-row--picked') === want);
    return performance.now() - t0;
  },
  // Resolves once the page has fetched nothing new for half a second and the main thread
  // is idle: what loads after the first results (the split build's chunks, the chart, the
  // live list) is in, so that a timed step measures the step and not their arrival.
  settled() {
    return new Promise((resolve) => {
      let seen = -1;
      const check = () => {
        const fetched = performance.getEntriesByType('resource').length;
        if (fetched === seen) return requestIdleCallback(() => resolve(fetched), { timeout: 1000 });
        seen = fetched;
        setTimeout(check, 500);
      };
      check();
    });
  },
  async many(kind, n) {
    for (let i = 0; i < n; i++) await this[kind](i);
    performance.clearMarks();
    performance.clearMeasures();
    return n;
  },
};
"#;

async fn install_helpers(h: &Harness) -> Result<()> {
    h.eval(HELPERS_JS, vec![]).await.map(drop)
}

/// Waits for what loads after the first results (see `settled` in [`HELPERS_JS`]): timed
/// steps measure the page at rest, as an operator's first flip a moment later finds it.
async fn settle(h: &Harness) -> Result<()> {
    async_call(h, "return window.__bench.settled()", vec![]).await.map(drop)
}

/// Runs `body` as an async script whose last argument is the callback; a rejected promise
/// becomes an error.
async fn async_call(h: &Harness, body: &str, args: Vec<Value>) -> Result<Value> {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         (async () => {{ {body} }}).apply(null, Array.from(arguments).slice(0, -1))
           .then(v => done({{ ok: v }}), e => done({{ error: String(e) }}));"
    );
    let result = h.client().execute_async(&script, args).await.with_context(|| format!("running {body}"))?;
    if let Some(error) = result.get("error") {
        bail!("{body}: {error}");
    }
    Ok(result["ok"].clone())
}

async fn flip(h: &Harness) -> Result<f64> {
    async_call(h, "return window.__bench.flip()", vec![]).await?.as_f64().context("flip returned no time")
}

/// The mark's `startTime` (ms since navigation start), once it exists.
async fn wait_mark(h: &Harness, name: &str) -> Result<f64> {
    h.wait_until(&format!("the {name} mark"), || async {
        let at = h.eval("const m = performance.getEntriesByName(arguments[0], 'mark')[0]; return m ? m.startTime : null;", vec![name.into()]).await?;
        Ok(at.as_f64())
    })
    .await
}

/// The renderer main thread's totals so far, in seconds.
struct MainThread {
    script: f64,
    cpu: f64,
}

async fn main_thread_seconds(h: &Harness) -> Result<MainThread> {
    let metrics = h.cdp("Performance.getMetrics", json!({})).await?;
    let metric = |name: &str| {
        metrics["metrics"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|m| m["name"] == name)
            .and_then(|m| m["value"].as_f64())
            .with_context(|| format!("no {name} in Performance.getMetrics"))
    };
    Ok(MainThread { script: metric("ScriptDuration")?, cpu: metric("ThreadTime")? })
}

/// (used JS heap, wasm linear memory) in bytes, after a forced garbage collection.
async fn memory(h: &Harness) -> Result<(f64, f64)> {
    h.cdp("HeapProfiler.collectGarbage", json!({})).await?;
    let heap = h.eval("return performance.memory.usedJSHeapSize", vec![]).await?;
    let wasm = async_call(h, &format!("return (await {WASM_EXPORTS_JS}).memory.buffer.byteLength"), vec![]).await?;
    Ok((heap.as_f64().context("no performance.memory")?, wasm.as_f64().context("no wasm memory size")?))
}

/// Sizes of what the page loaded before its first results (the document, its assets and
/// config.json; not the API answers), raw, gzip and brotli.
fn transfer(dist: &Path, config: &Path, loaded: &[String]) -> Result<Figure> {
    let mut files: Vec<(String, PathBuf)> = vec![("/ (index.html)".into(), dist.join("index.html"))];
    for path in loaded {
        let file = if path == "/config.json" { config.to_owned() } else { dist.join(path.trim_start_matches('/')) };
        if file.is_file() {
            files.push((path.clone(), file));
        }
    }
    let mut total = [0usize; 3];
    let mut each = Vec::new();
    for (name, file) in &files {
        let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        let sizes = [bytes.len(), build::gzip_len(&bytes)?, build::brotli_len(&bytes)?];
        total.iter_mut().zip(sizes).for_each(|(t, s)| *t += s);
        each.push(json!({ "path": name, "raw": sizes[0], "gzip": sizes[1], "brotli": sizes[2] }));
    }
    Ok(Figure::check(
        format!("transfer before first results ({} files)", files.len()),
        format!("{} raw, {} gzip, {} brotli", kb(total[0]), kb(total[1]), kb(total[2])),
        "brotli ≤ 150 kB",
        total[2] <= 150_000,
        json!({ "files": each, "raw": total[0], "gzip": total[1], "brotli": total[2] }),
    ))
}

/// Nearest-rank percentile of unsorted samples.
fn percentile(samples: &[f64], p: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn kb(bytes: usize) -> String {
    format!("{:.1} kB", bytes as f64 / 1000.0)
}

fn mb(bytes: f64) -> String {
    format!("{:.2} MB", bytes / 1_000_000.0)
}

fn print_table(figures: &[Figure]) {
    let width = |f: fn(&Figure) -> &str, title: &str| figures.iter().map(|x| f(x).chars().count()).max().unwrap_or(0).max(title.len());
    let (w0, w1, w2) = (width(|f| &f.name, "figure"), width(|f| &f.value, "value"), width(|f| &f.target, "target"));
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "\n{:<w0$}  {:<w1$}  {:<w2$}  result", "figure", "value", "target");
    let _ = writeln!(out, "{}", "-".repeat(w0 + w1 + w2 + 12));
    for f in figures {
        let result = match f.pass {
            Some(true) => "PASS",
            Some(false) => "MISS",
            None => "",
        };
        let _ = writeln!(out, "{:<w0$}  {:<w1$}  {:<w2$}  {result}", f.name, f.value, f.target);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let samples: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(percentile(&samples, 50.0), 10.0);
        assert_eq!(percentile(&samples, 95.0), 19.0);
        assert_eq!(percentile(&[3.0], 95.0), 3.0);
        assert!(percentile(&[], 50.0).is_nan());
    }

    #[test]
    fn slow_4g_is_emulated_in_bytes_per_second() {
        let slow = NETWORKS.iter().find(|n| n.name == "Slow 4G").expect("Slow 4G is measured");
        assert_eq!(
            slow.conditions(),
            json!({ "offline": false, "latency": 150.0, "downloadThroughput": 200_000.0, "uploadThroughput": 93_750.0 })
        );
        assert_eq!(slow.target_ms, Some(1500.0));
    }
}
