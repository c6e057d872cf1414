//! The architecture invariants of ARCHITECTURE.md, checked over the source text: which
//! module may import which (from `crate::` and `super::` paths), that the module graph
//! has no cycle, and where views and host events may be built. Test-only code
//! (`#[cfg(test)]` items, `browser_tests.rs`, `test_support.rs`) is left out: tests may
//! reach anything.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// What the modules of `api/` may import: the wire needs config, filters, texts and
/// dates, and nothing of the view, the model or the host page.
const API_MAY_IMPORT: &[&str] = &["config", "filters", "i18n", "time"];

/// Screens and widgets: the view.
const VIEW_MODULES: &[&str] = &["app", "boot", "chart", "chat", "dev_hint", "embed", "export", "live", "search", "ui", "views"];

/// Modules below the model: data, texts, dates and settings, which every layer may use.
const FOUNDATION: &[&str] = &["config", "filters", "i18n", "time", "prefs", "perf", "keys"];

struct Source {
    /// `api::client` for `src/api/client.rs`, `search` for `src/search/form.rs`.
    node: String,
    file: PathBuf,
    /// The file without comments and test-only items.
    code: String,
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir).expect("src/ readable").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The graph node of a file: its top-level module, or `api::<file>` inside `api/`.
fn node_of(relative: &Path) -> Option<String> {
    let parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string()).collect();
    match parts.as_slice() {
        [root] if root == "lib" || root == "main" => None,
        [single] => Some(single.clone()),
        [api, sub] if api == "api" && sub != "mod" => Some(format!("api::{sub}")),
        [first, ..] => Some(first.clone()),
        [] => None,
    }
}

/// Drops comments and `#[cfg(test)]` / `#[cfg(all(test, …))]` items (a `mod x;` line or
/// a braced block).
fn without_tests_and_comments(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            continue;
        }
        if trimmed.starts_with("#[cfg(test)]") || trimmed.starts_with("#[cfg(all(test") {
            let mut depth = 0i32;
            let mut opened = false;
            for item in lines.by_ref() {
                depth += item.matches('{').count() as i32 - item.matches('}').count() as i32;
                opened |= item.contains('{');
                if (opened && depth <= 0) || (!opened && item.trim_end().ends_with(';')) {
                    break;
                }
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn sources() -> Vec<Source> {
    let src = src_dir();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .into_iter()
        .filter(|f| !matches!(f.file_name().and_then(|n| n.to_str()), Some("browser_tests.rs" | "test_support.rs")))
        .filter_map(|file| {
            let relative = file.strip_prefix(&src).expect("under src/").to_path_buf();
            let node = node_of(&relative)?;
            let code = without_tests_and_comments(&fs::read_to_string(&file).expect("readable"));
            Some(Source { node, file: relative, code })
        })
        .collect()
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The first two segments of every path of the use tree at the start of `text`
/// (`api::{client::Latest, ApiError}` gives `api::client` and `api::ApiError`).
fn use_tree_heads(text: &str) -> Vec<(String, Option<String>)> {
    fn ident(text: &str) -> (&str, &str) {
        let end = text.find(|c: char| !is_ident(c)).unwrap_or(text.len());
        (&text[..end], &text[end..])
    }
    /// The items of a `{…}` group, split at its top-level commas.
    fn group(text: &str) -> Vec<&str> {
        let mut depth = 0;
        let mut items = Vec::new();
        let mut start = 1;
        for (i, c) in text.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        items.push(&text[start..i]);
                        return items;
                    }
                }
                ',' if depth == 1 => {
                    items.push(&text[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        items
    }
    let text = text.trim_start();
    if text.starts_with('{') {
        return group(text).into_iter().flat_map(use_tree_heads).collect();
    }
    let (first, rest) = ident(text);
    if first.is_empty() {
        return Vec::new();
    }
    let Some(rest) = rest.trim_start().strip_prefix("::") else { return vec![(first.to_string(), None)] };
    let rest = rest.trim_start();
    if rest.starts_with('{') {
        return group(rest).into_iter().map(|item| (first.to_string(), Some(ident(item.trim()).0.to_string()))).collect();
    }
    vec![(first.to_string(), Some(ident(rest).0.to_string()))]
}

/// The modules one source imports, as graph nodes (`api::x` when a path names an api
/// submodule, `api` for what `api/mod.rs` re-exports).
fn imports(source: &Source, api_submodules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let code = &source.code;
    let resolve = |first: &str, second: Option<&str>| match (first, second) {
        ("api", Some(sub)) if api_submodules.contains(sub) => format!("api::{sub}"),
        (first, _) => first.to_string(),
    };
    for (at, _) in code.match_indices("crate::") {
        if at > 0 && code[..at].ends_with(|c: char| is_ident(c)) {
            continue;
        }
        for (first, second) in use_tree_heads(&code[at + "crate::".len()..]) {
            found.insert(resolve(&first, second.as_deref()));
        }
    }
    // Inside `api/`, siblings are reached through `super::` (and `mod.rs` re-exports them).
    if source.node.starts_with("api") {
        let relative_paths = code.match_indices("super::").map(|(at, _)| at + "super::".len());
        let reexports = code.match_indices("pub use ").map(|(at, _)| at + "pub use ".len());
        for start in relative_paths.chain(if source.node == "api" { reexports.collect::<Vec<_>>() } else { Vec::new() }) {
            for (first, _) in use_tree_heads(&code[start..]) {
                if api_submodules.contains(&first) {
                    found.insert(format!("api::{first}"));
                }
            }
        }
    }
    found.remove(&source.node);
    found
}

/// Edges of the graph: node → (imported node → the files that import it).
type Graph = BTreeMap<String, BTreeMap<String, BTreeSet<PathBuf>>>;

fn graph(collapse_api: bool) -> Graph {
    let sources = sources();
    let api_submodules: BTreeSet<String> =
        sources.iter().filter_map(|s| s.node.strip_prefix("api::")).map(str::to_string).collect();
    let top = |node: &str| if collapse_api { node.split("::").next().unwrap_or(node).to_string() } else { node.to_string() };
    let mut graph = Graph::new();
    for source in &sources {
        let from = top(&source.node);
        let edges = graph.entry(from.clone()).or_default();
        for to in imports(source, &api_submodules) {
            let to = top(&to);
            if to != from {
                edges.entry(to).or_default().insert(source.file.clone());
            }
        }
    }
    graph
}

/// One cycle of `graph`, if any, as the list of its nodes.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(node: &str, graph: &Graph, marks: &mut BTreeMap<String, Mark>, path: &mut Vec<String>) -> Option<Vec<String>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let start = path.iter().position(|n| n == node).unwrap_or(0);
                let mut cycle = path[start..].to_vec();
                cycle.push(node.to_string());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(node.to_string(), Mark::Open);
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flat_map(|edges| edges.keys()) {
            if let Some(cycle) = visit(next, graph, marks, path) {
                return Some(cycle);
            }
        }
        path.pop();
        marks.insert(node.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    graph.keys().find_map(|node| visit(node, graph, &mut marks, &mut Vec::new()))
}

fn describe(cycle: &[String], graph: &Graph) -> String {
    cycle
        .windows(2)
        .map(|pair| {
            let files = graph[&pair[0]][&pair[1]].iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", ");
            format!("{} → {} ({files})", pair[0], pair[1])
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn top_level_modules_form_no_cycle() {
    let graph = graph(true);
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import cycle between top-level modules:\n{}", describe(&cycle, &graph));
    }
}

#[test]
fn api_submodules_form_no_cycle() {
    let graph = graph(false);
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import cycle through api's modules:\n{}", describe(&cycle, &graph));
    }
}

/// Every node's imports that `allowed` refuses, with the files that make them.
fn violations(graph: &Graph, of: impl Fn(&str) -> bool, allowed: impl Fn(&str) -> bool) -> Vec<String> {
    graph
        .iter()
        .filter(|(node, _)| of(node))
        .flat_map(|(node, edges)| {
            edges.iter().filter(|(to, _)| !allowed(to)).map(move |(to, files)| format!("{node} → {to} ({files:?})"))
        })
        .collect()
}

#[test]
fn api_knows_nothing_of_the_view_nor_the_model() {
    let graph = graph(false);
    let found = violations(&graph, |node| node.split("::").next() == Some("api"), |to| {
        to.starts_with("api") || API_MAY_IMPORT.contains(&to)
    });
    assert!(found.is_empty(), "api/ may import only {API_MAY_IMPORT:?}:\n{}", found.join("\n"));
}

#[test]
fn the_model_imports_no_screen_and_builds_no_view() {
    let graph = graph(true);
    let found = violations(&graph, |node| node == "model", |to| !VIEW_MODULES.contains(&to));
    assert!(found.is_empty(), "model/ imports the view:\n{}", found.join("\n"));
    for source in sources().iter().filter(|s| s.node == "model") {
        for view_code in ["view!", "#[component]", "IntoView"] {
            assert!(!source.code.contains(view_code), "{} has view code ({view_code})", source.file.display());
        }
    }
}

#[test]
fn the_foundation_imports_neither_model_nor_view() {
    let graph = graph(true);
    let found = violations(&graph, |node| FOUNDATION.contains(&node), |to| !VIEW_MODULES.contains(&to) && to != "model" && to != "ctx");
    assert!(found.is_empty(), "{FOUNDATION:?} are below the model and the view:\n{}", found.join("\n"));
}

#[test]
fn widgets_import_no_screen() {
    let graph = graph(true);
    let found = violations(&graph, |node| node == "ui", |to| !VIEW_MODULES.contains(&to));
    assert!(found.is_empty(), "ui/ holds small widgets, no screen:\n{}", found.join("\n"));
}

#[test]
fn only_host_rs_dispatches_events_to_the_host_page() {
    for source in sources() {
        for dispatching in ["CustomEvent", "dispatch_event"] {
            assert!(
                source.node == "host" || !source.code.contains(dispatching),
                "{} uses {dispatching}: host events go out through host::HostEvents (deferred, see host.rs)",
                source.file.display()
            );
        }
    }
}

/// The checks above must be able to fail: the parser finds the imports they judge.
#[test]
fn the_parser_sees_grouped_and_nested_imports() {
    assert_eq!(
        use_tree_heads("{api::{client::Latest, ApiError}, ctx::use_ctx};"),
        vec![("api".to_string(), Some("client".to_string())), ("api".into(), Some("ApiError".into())), ("ctx".into(), Some("use_ctx".into()))]
    );
    let code = "use crate::model::search::use_search;\n#[cfg(test)]\nmod tests {\n    use crate::app::App;\n}\n// crate::chat\n";
    let source = Source { node: "search".into(), file: "search/x.rs".into(), code: without_tests_and_comments(code) };
    assert_eq!(imports(&source, &BTreeSet::new()), BTreeSet::from(["model".to_string()]));
    let cyclic: Graph = BTreeMap::from([
        ("a".to_string(), BTreeMap::from([("b".to_string(), BTreeSet::new())])),
        ("b".to_string(), BTreeMap::from([("a".to_string(), BTreeSet::new())])),
    ]);
    assert_eq!(find_cycle(&cyclic), Some(vec!["a".to_string(), "b".to_string(), "a".to_string()]));
}
