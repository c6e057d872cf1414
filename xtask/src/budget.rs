//! The size budget (`size-budget.toml`): the brotli bytes a browser downloads before the
//! first results, and per lazy chunk. `cargo xtask test` checks the release build against
//! it right after building, so the build cannot grow by accident; a deliberate growth
//! raises the budget in the same commit, and a change that shrinks the build lowers it.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::build;

/// The budget file, at the workspace root.
pub const FILE: &str = "size-budget.toml";

#[derive(Debug, PartialEq)]
pub struct Budget {
    /// How far (in percent of the budget) a figure may exceed it before the check fails:
    /// room for compiler noise, not for features.
    pub tolerance_percent: u64,
    /// Brotli bytes of everything the page loads before its first results (HTML, entry and
    /// wasm-bindgen JS, wasm, CSS).
    pub first_results: u64,
    /// Brotli bytes per lazily loaded chunk, by its name with the hash replaced by `*`.
    pub lazy_chunks: BTreeMap<String, u64>,
}

impl Budget {
    pub fn parse(text: &str) -> Result<Self> {
        let table: toml::Table = toml::from_str(text).with_context(|| format!("{FILE} is not valid TOML"))?;
        let bytes = |value: &toml::Value, key: &str| -> Result<u64> {
            value
                .as_integer()
                .and_then(|n| u64::try_from(n).ok())
                .with_context(|| format!("{FILE}: `{key}` should be a whole number of bytes ≥ 0, not {value}"))
        };
        let required = |key: &str| table.get(key).with_context(|| format!("{FILE} lacks `{key}`"));
        let mut lazy_chunks = BTreeMap::new();
        if let Some(chunks) = table.get("lazy-chunks") {
            let chunks = chunks.as_table().with_context(|| format!("{FILE}: `lazy-chunks` should be a table"))?;
            for (name, value) in chunks {
                lazy_chunks.insert(name.clone(), bytes(value, &format!("lazy-chunks.{name}"))?);
            }
        }
        Ok(Self {
            tolerance_percent: bytes(required("tolerance-percent")?, "tolerance-percent")?,
            first_results: bytes(required("first-results")?, "first-results")?,
            lazy_chunks,
        })
    }
}

/// Whether `actual` exceeds `budget` by more than `tolerance_percent` percent of it
/// (exactly at the limit passes). Integer arithmetic: no rounding at the boundary.
pub fn exceeds(actual: u64, budget: u64, tolerance_percent: u64) -> bool {
    u128::from(actual) * 100 > u128::from(budget) * u128::from(100 + tolerance_percent)
}

/// One line of the table: a file, or a total with its budget.
#[derive(Debug, PartialEq)]
pub struct Line {
    pub name: String,
    pub brotli: u64,
    /// `None` for files counted in a total; the total (or a chunk) carries the budget.
    pub budget: Option<u64>,
}

impl Line {
    /// Signed difference to the budget, in percent of it.
    fn percent_over(&self) -> Option<f64> {
        let budget = self.budget?;
        Some((self.brotli as f64 - budget as f64) * 100.0 / budget.max(1) as f64)
    }
}

/// The result of holding a build against a budget.
#[derive(Debug, PartialEq)]
pub struct Verdict {
    pub lines: Vec<Line>,
    /// Human-readable reasons the check fails; empty when it passes.
    pub failures: Vec<String>,
}

/// Assets of a build, by name (hash replaced by `*`) and brotli size: those loaded before
/// the first results, and the lazy chunks.
#[derive(Debug, Default, PartialEq)]
pub struct Measured {
    pub first_results: Vec<(String, u64)>,
    pub lazy_chunks: Vec<(String, u64)>,
}

pub fn check(budget: &Budget, measured: &Measured) -> Verdict {
    let tolerance = budget.tolerance_percent;
    let mut lines: Vec<Line> =
        measured.first_results.iter().map(|(name, brotli)| Line { name: name.clone(), brotli: *brotli, budget: None }).collect();
    let total: u64 = measured.first_results.iter().map(|(_, size)| size).sum();
    lines.push(Line { name: "before first results".into(), brotli: total, budget: Some(budget.first_results) });
    let mut failures = Vec::new();
    if exceeds(total, budget.first_results, tolerance) {
        failures.push(format!(
            "before first results: {total} B brotli exceeds the budget of {} B by more than {tolerance} %",
            budget.first_results
        ));
    }
    for (name, brotli) in &measured.lazy_chunks {
        let limit = budget.lazy_chunks.get(name).copied();
        lines.push(Line { name: format!("lazy chunk {name}"), brotli: *brotli, budget: limit });
        match limit {
            None => failures.push(format!("lazy chunk {name} ({brotli} B brotli) has no budget: add it under [lazy-chunks]")),
            Some(limit) if exceeds(*brotli, limit, tolerance) => {
                failures.push(format!("lazy chunk {name}: {brotli} B brotli exceeds its budget of {limit} B by more than {tolerance} %"))
            }
            Some(_) => {}
        }
    }
    Verdict { lines, failures }
}

/// The table: file, brotli, budget, over/under.
pub fn table(verdict: &Verdict) -> String {
    let width = verdict.lines.iter().map(|l| l.name.chars().count()).max().unwrap_or(0).max("file".len());
    let mut out = format!("{:<width$} {:>10} {:>10} {:>12}\n", "file", "brotli", "budget", "over/under");
    for line in &verdict.lines {
        let budget = line.budget.map_or_else(|| "—".into(), |b| b.to_string());
        let over = line.percent_over().map_or_else(String::new, |p| format!("{p:+.1} %"));
        out += &format!("{:<width$} {:>10} {:>10} {:>12}\n", line.name, line.brotli, budget, over);
    }
    out
}

/// `op-console-0a1b2c3d4e5f6a7b_bg.wasm` → `op-console-*_bg.wasm`: trunk's content hash (a
/// run of at least 8 hex digits after a `-`) replaced, so budget keys survive every build.
pub fn stable_name(name: &str) -> String {
    let mut out = String::new();
    let mut rest = name;
    while let Some(dash) = rest.find('-') {
        out += &rest[..=dash];
        rest = &rest[dash + 1..];
        let hex = rest.chars().take_while(char::is_ascii_hexdigit).count();
        if hex >= 8 {
            out.push('*');
            rest = &rest[hex..];
        }
    }
    out + rest
}

/// Whether a `dist` file (path relative to it, `/`-separated) is loaded before the first
/// results: the page, the stable entry, the wasm-bindgen module with its snippets, the
/// chunk loader it imports, the wasm and the style sheet. Other wasm and JS files are lazy
/// chunks; the rest (icon, config.json, `_headers`) is not part of the budget.
fn is_first_results(stable: &str) -> bool {
    matches!(
        stable,
        "index.html" | "op-console.js" | "op-console-*.js" | "op-console-loader-*.js" | "op-console-*_bg.wasm" | "console-*.css"
    ) || stable.starts_with("snippets/")
}

fn is_code(stable: &str) -> bool {
    stable.ends_with(".wasm") || stable.ends_with(".js")
}

/// Brotli sizes of the files of a release `dist`.
pub fn measure(dist: &Path) -> Result<Measured> {
    let mut files = Vec::new();
    collect(dist, dist, &mut files)?;
    files.sort();
    let mut measured = Measured::default();
    for (relative, path) in files {
        let stable = stable_name(&relative);
        let list = if is_first_results(&stable) {
            &mut measured.first_results
        } else if is_code(&stable) {
            &mut measured.lazy_chunks
        } else {
            continue;
        };
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        list.push((stable, build::brotli_len(&bytes)? as u64));
    }
    Ok(measured)
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, std::path::PathBuf)>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect(root, &path, files)?;
        } else {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let relative = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            files.push((relative, path));
        }
    }
    Ok(())
}

/// The `cargo xtask test` stage: measures `dist`, prints the table, fails over budget.
pub fn enforce(root: &Path, dist: &Path) -> Result<()> {
    let path = root.join(FILE);
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let budget = Budget::parse(&text)?;
    let verdict = check(&budget, &measure(dist)?);
    print!("{}", table(&verdict));
    if !verdict.failures.is_empty() {
        bail!(
            "the build is over its size budget:\n  {}\n(shrink it, or raise {FILE} deliberately in the same commit and say why)",
            verdict.failures.join("\n  ")
        );
    }
    let total = verdict.lines.iter().find(|l| l.name == "before first results").map_or(0, |l| l.brotli);
    if exceeds(budget.first_results, total, budget.tolerance_percent) {
        println!("the build is more than {} % under budget: lower `first-results` in {FILE} to {total} in this commit", budget.tolerance_percent);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerance_is_two_percent_of_the_budget_inclusive() {
        assert!(!exceeds(100_000, 100_000, 2));
        assert!(!exceeds(102_000, 100_000, 2), "exactly 2 % over is still within the tolerance");
        assert!(exceeds(102_001, 100_000, 2), "one byte past 2 % fails");
        assert!(!exceeds(50_000, 100_000, 2), "under budget passes");
        assert!(exceeds(1, 0, 2), "a zero budget admits nothing");
        assert!(!exceeds(u64::MAX, u64::MAX, 2), "no overflow");
    }

    const BUDGET: &str = "tolerance-percent = 2\nfirst-results = 1000\n[lazy-chunks]\n\"drawer-*.wasm\" = 300\n";

    #[test]
    fn parses_the_budget_file() {
        let budget = Budget::parse(BUDGET).unwrap();
        assert_eq!(budget.tolerance_percent, 2);
        assert_eq!(budget.first_results, 1000);
        assert_eq!(budget.lazy_chunks, BTreeMap::from([("drawer-*.wasm".to_owned(), 300)]));
        let error = Budget::parse("tolerance-percent = 2\n").unwrap_err();
        assert!(error.to_string().contains("first-results"), "{error}");
        let error = Budget::parse("tolerance-percent = 2\nfirst-results = -5\n").unwrap_err();
        assert!(error.to_string().contains("first-results"), "{error}");
        assert!(Budget::parse("tolerance-percent = 2\nfirst-results = 7\n").unwrap().lazy_chunks.is_empty());
    }

    fn measured(first: &[(&str, u64)], lazy: &[(&str, u64)]) -> Measured {
        let own = |list: &[(&str, u64)]| list.iter().map(|(n, s)| (n.to_string(), *s)).collect();
        Measured { first_results: own(first), lazy_chunks: own(lazy) }
    }

    #[test]
    fn the_total_before_first_results_is_held_against_the_budget() {
        let budget = Budget::parse(BUDGET).unwrap();
        let within = check(&budget, &measured(&[("index.html", 20), ("op-console-*_bg.wasm", 1000)], &[]));
        assert_eq!(within.failures, Vec::<String>::new(), "1020 B is exactly 2 % over 1000 B");
        let total = within.lines.last().unwrap();
        assert_eq!((total.brotli, total.budget), (1020, Some(1000)));
        let over = check(&budget, &measured(&[("index.html", 21), ("op-console-*_bg.wasm", 1000)], &[]));
        assert_eq!(over.failures.len(), 1, "{:?}", over.failures);
        assert!(over.failures[0].contains("1021"), "{:?}", over.failures);
        assert!(table(&over).contains("+2.1 %"), "{}", table(&over));
    }

    #[test]
    fn lazy_chunks_need_a_budget_of_their_own() {
        let budget = Budget::parse(BUDGET).unwrap();
        let first = [("op-console-*_bg.wasm", 900)];
        assert!(check(&budget, &measured(&first, &[("drawer-*.wasm", 306)])).failures.is_empty());
        let over = check(&budget, &measured(&first, &[("drawer-*.wasm", 307)]));
        assert!(over.failures[0].contains("drawer-*.wasm"), "{:?}", over.failures);
        let unknown = check(&budget, &measured(&first, &[("chart-*.wasm", 10)]));
        assert!(unknown.failures[0].contains("no budget"), "{:?}", unknown.failures);
    }

    #[test]
    fn hashes_are_replaced_in_names() {
        assert_eq!(stable_name("op-console-0a1b2c3d4e5f6a7b_bg.wasm"), "op-console-*_bg.wasm");
        assert_eq!(stable_name("op-console-0a1b2c3d4e5f6a7b.js"), "op-console-*.js");
        assert_eq!(stable_name("console-deadbeef00.css"), "console-*.css");
        assert_eq!(stable_name("op-console.js"), "op-console.js", "`console` is not a hash");
        assert_eq!(stable_name("snippets/op-console-1234abcd5678ef90/inline0.js"), "snippets/op-console-*/inline0.js");
        assert!(is_first_results("op-console-*_bg.wasm") && is_first_results("snippets/op-console-*/inline0.js"));
        assert_eq!(stable_name("op-console-loader-0a1b2c3d4e5f6a7b.js"), "op-console-loader-*.js");
        assert!(is_first_results("op-console-loader-*.js"), "the bindings import the chunk loader");
        assert_eq!(stable_name("after_results+drawer-0a1b2c3d4e5f6a7b.wasm"), "after_results+drawer-*.wasm");
        assert!(!is_first_results("drawer-*.wasm") && is_code("drawer-*.wasm"));
        assert!(!is_first_results("favicon-*.svg") && !is_code("favicon-*.svg"));
    }

    #[test]
    fn the_workspace_budget_parses() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let budget = Budget::parse(&std::fs::read_to_string(root.join(FILE)).unwrap()).unwrap();
        assert_eq!(budget.tolerance_percent, 2);
        assert!(budget.first_results > 0);
    }
}
