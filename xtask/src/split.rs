//! The split release wasm: after trunk has built the app with the feature `split`, the
//! linked wasm (cargo's output, with relocations) is cut at its `#[wasm_split]` points
//! (src/ui/lazy.rs) by `wasm_split_cli_support`, the same splitter cargo-leptos uses. Then
//! wasm-bindgen runs on the main part, wasm-opt on every part, and each file gets a content
//! hash in its name; the results replace trunk's unsplit wasm and bindings in `out`.
//!
//! The splitter's loader (which fetches a chunk and links it to the main instance) is
//! turned into a function of that instance, `splitImports(() => exports)`, which the
//! bindings call: it then imports nothing, and every instance (a console restarted after a
//! panic is a fresh one, see src/embed/op-console.js) loads and links its own chunks. The
//! chunks are fetched relative to the loader's own URL, so they load from wherever
//! `op-console.js` is served (a CDN sub-path, another origin).

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, ensure, Context, Result};

use crate::tools::{run, Tools};

/// The module name the main wasm imports the chunk loaders from, until it is hashed.
const LOADER_PLACEHOLDER: &str = "./__wasm_split.js";
/// What the splitter's loader imports `initSync` from; removed by [`loader_factory`].
const MAIN_PLACEHOLDER: &str = "./__opc_main.js";
/// The exported function of the rewritten loader.
const FACTORY: &str = "splitImports";

/// The files the split step added to `out` besides the bindings and the main wasm (which
/// keep trunk's names, `op-console-<hash>.js` and `op-console-<hash>_bg.wasm`).
#[derive(Debug)]
pub struct SplitFiles {
    /// `op-console-loader-<hash>.js`, which the bindings import.
    pub loader: String,
    /// `<split point>-<hash>.wasm` (and `chunk_<n>-<hash>.wasm` for code that several
    /// split points share).
    pub chunks: Vec<String>,
}

/// Splits `linked` (cargo's wasm) into `out`, replacing trunk's `op-console-<hash>.js`,
/// `op-console-<hash>_bg.wasm` and `snippets/`, and their preloads in index.html (whose
/// assets are under `public_url`).
pub fn split(tools: &Tools, linked: &Path, out: &Path, public_url: &str) -> Result<SplitFiles> {
    let work = tools.root.join("target/split");
    let (split, parts, bindgen) = cut(tools, linked, &work)?;

    // Chunks first: the loader names them, the bindings name the loader.
    let mut renamed = BTreeMap::new();
    let mut chunks = Vec::new();
    for path in &split.split_modules {
        let stem = path.file_stem().and_then(|s| s.to_str()).context("chunk without a name")?;
        let optimised = work.join(format!("{stem}.opt.wasm"));
        wasm_opt(tools, path, &optimised)?;
        let bytes = std::fs::read(&optimised)?;
        let name = format!("{}-{}.wasm", chunk_name(stem, &split.prefetch_map)?, hash(&bytes));
        std::fs::write(out.join(&name), &bytes).with_context(|| format!("writing {name}"))?;
        renamed.insert(format!("./{stem}.wasm"), format!("./{name}"));
        chunks.push(name);
    }
    let loader_text = std::fs::read_to_string(parts.join(LOADER_PLACEHOLDER))?;
    let loader_text = loader_factory(&loader_text, &renamed)?;
    let loader = format!("op-console-loader-{}.js", hash(loader_text.as_bytes()));
    std::fs::write(out.join(&loader), &loader_text).with_context(|| format!("writing {loader}"))?;

    let bindings_text = std::fs::read_to_string(bindgen.join("op-console.js"))?;
    let bindings_text = bindings_with_loader(&bindings_text, &format!("./{loader}"))?;
    let bindings = format!("op-console-{}.js", hash(bindings_text.as_bytes()));
    let wasm_bytes = {
        let optimised = work.join("main.opt.wasm");
        wasm_opt(tools, &bindgen.join("op-console_bg.wasm"), &optimised)?;
        std::fs::read(&optimised)?
    };
    let wasm = format!("op-console-{}_bg.wasm", hash(&wasm_bytes));

    remove_trunk_wasm(out)?;
    let index_path = out.join("index.html");
    let index = std::fs::read_to_string(&index_path).context("reading index.html")?;
    let preloads = [
        Preload::module(public_url, &bindings, bindings_text.as_bytes()),
        Preload::module(public_url, &loader, loader_text.as_bytes()),
        Preload::wasm(public_url, &wasm, &wasm_bytes),
    ];
    std::fs::write(&index_path, with_preloads(&index, &preloads)?).context("writing index.html")?;
    std::fs::write(out.join(&bindings), bindings_text).with_context(|| format!("writing {bindings}"))?;
    std::fs::write(out.join(&wasm), wasm_bytes).with_context(|| format!("writing {wasm}"))?;
    let snippets = out.join("snippets");
    if snippets.exists() {
        std::fs::remove_dir_all(&snippets)?;
    }
    if bindgen.join("snippets").exists() {
        copy_dir(&bindgen.join("snippets"), &snippets)?;
    }
    Ok(SplitFiles { loader, chunks })
}

/// Cuts `linked` at its split points into `work/parts` and runs wasm-bindgen on the main
/// part into `work/bindgen` (`op-console_bg.wasm`, `op-console.js`, `snippets/`).
pub fn cut(tools: &Tools, linked: &Path, work: &Path) -> Result<(wasm_split_cli_support::SplitWasm, PathBuf, PathBuf)> {
    if work.exists() {
        std::fs::remove_dir_all(work).with_context(|| format!("clearing {}", work.display()))?;
    }
    let parts = work.join("parts");
    let main = parts.join("main.wasm");
    let input = std::fs::read(linked).with_context(|| format!("reading {}", linked.display()))?;
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = &parts;
    options.main_out_path = &main;
    options.link_name = LOADER_PLACEHOLDER;
    options.main_module = MAIN_PLACEHOLDER;
    let split = wasm_split_cli_support::transform(options).map_err(|e| anyhow!("splitting {}: {e:?}", linked.display()))?;
    ensure!(!split.split_modules.is_empty(), "{} has no split points: was it built with the feature `split`?", linked.display());

    let bindgen = work.join("bindgen");
    // trunk's flags, plus the linker's exports (the function table) that chunks link to.
    run(tools
        .command("wasm-bindgen")
        .arg("--target=web")
        .arg(format!("--out-dir={}", bindgen.display()))
        .args(["--out-name=op-console", "--no-typescript", "--keep-lld-exports"])
        .arg(&main))?;
    Ok((split, parts, bindgen))
}

/// A chunk's name without its hash: the split point's (`split_drawer` → `drawer`), or for
/// code that several split points share (the splitter's `chunk_<n>`, a number that changes
/// with the code) theirs joined by `+`, e.g. `after_results+drawer`.
fn chunk_name(stem: &str, needed_by: &std::collections::HashMap<String, Vec<String>>) -> Result<String> {
    if let Some(split) = stem.strip_prefix("split_") {
        return Ok(split.to_owned());
    }
    let mut splits: Vec<&str> = needed_by.iter().filter(|(_, files)| files.iter().any(|f| f == stem)).map(|(split, _)| split.as_str()).collect();
    ensure!(!splits.is_empty(), "no split point needs the chunk {stem}");
    splits.sort_unstable();
    Ok(splits.join("+"))
}

/// A `<link>` that makes the browser fetch a file of the first results while the page loads.
struct Preload(String);

impl Preload {
    fn module(public_url: &str, name: &str, content: &[u8]) -> Self {
        Self(format!(r#"<link rel="modulepreload" href="{public_url}{name}" crossorigin="anonymous" integrity="{}">"#, integrity(content)))
    }

    fn wasm(public_url: &str, name: &str, content: &[u8]) -> Self {
        Self(format!(
            r#"<link rel="preload" href="{public_url}{name}" crossorigin="anonymous" integrity="{}" as="fetch" type="application/wasm">"#,
            integrity(content)
        ))
    }
}

/// Subresource Integrity, as trunk writes it.
fn integrity(content: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(content)))
}

/// index.html with trunk's preloads of its bindings and wasm (`op-console-<hash>…`)
/// replaced by `preloads`, where the first of them was.
fn with_preloads(index: &str, preloads: &[Preload]) -> Result<String> {
    let mut out = String::new();
    let mut rest = index;
    let mut placed = false;
    let mut replaced = 0;
    while let Some(start) = rest.find("<link ") {
        let end = start + rest[start..].find('>').context("unterminated <link> in index.html")? + 1;
        out += &rest[..start];
        let tag = &rest[start..end];
        let trunk_own = tag.contains(r#"rel="modulepreload""#) || tag.contains(r#"rel="preload""#);
        let href = tag.split(r#"href=""#).nth(1).and_then(|h| h.split('"').next()).unwrap_or_default();
        let file = href.rsplit('/').next().unwrap_or_default();
        if trunk_own && file.starts_with("op-console-") && (file.ends_with(".js") || file.ends_with("_bg.wasm")) {
            replaced += 1;
            if !placed {
                out.extend(preloads.iter().map(|p| p.0.as_str()));
                placed = true;
            }
        } else {
            out += tag;
        }
        rest = &rest[end..];
    }
    ensure!(replaced == 2, "index.html should preload trunk's bindings and wasm, found {replaced} such preloads");
    Ok(out + rest)
}

/// wasm-opt as trunk runs it for `data-wasm-opt="z"`.
fn wasm_opt(tools: &Tools, input: &Path, output: &Path) -> Result<()> {
    run(tools.command("wasm-opt").arg(format!("--output={}", output.display())).arg("-Oz").arg(input))
}

/// 16 hex digits of the content, for names that change whenever the content does.
fn hash(bytes: &[u8]) -> String {
    let mut hasher = DefaultHasher::new();
    hasher.write(bytes);
    format!("{:016x}", hasher.finish())
}

/// trunk's `op-console-<hash>.js` and `op-console-<hash>_bg.wasm`: replaced by the split ones.
fn remove_trunk_wasm(out: &Path) -> Result<()> {
    for entry in std::fs::read_dir(out)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let middle = name.strip_prefix("op-console-").and_then(|r| r.strip_suffix("_bg.wasm").or_else(|| r.strip_suffix(".js")));
        if middle.is_some_and(|m| m.len() >= 8 && m.chars().all(|c| c.is_ascii_hexdigit())) {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let path = entry?.path();
        let target = to.join(path.file_name().context("nameless entry")?);
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            std::fs::copy(&path, &target)?;
        }
    }
    Ok(())
}

/// The splitter's loader as `export function splitImports(mainExports)`: the chunk loaders
/// it exported, bound to one instance's exports, with the chunk files renamed.
fn loader_factory(loader: &str, renamed: &BTreeMap<String, String>) -> Result<String> {
    let import = format!("import {{ initSync }} from \"{MAIN_PLACEHOLDER}\";");
    let body = loader.strip_prefix(&import).with_context(|| format!("the splitter's loader does not start with `{import}`"))?;
    let main_exports = "initSync(undefined, undefined)";
    ensure!(body.matches(main_exports).count() == 1, "the splitter's loader does not take the main exports from `{main_exports}` once");
    let mut body = body.replace(main_exports, "mainExports()");
    for (from, to) in renamed {
        let quoted = format!("\"{from}\"");
        ensure!(body.contains(&quoted), "the splitter's loader does not name {from}");
        body = body.replace(&quoted, &format!("\"{to}\""));
    }
    let mut names = Vec::new();
    let mut factory = format!(
        "// Generated by `cargo xtask build` (xtask/src/split.rs) from wasm_split_cli_support's loader.\n\
         export function {FACTORY}(mainExports) {{\n"
    );
    for line in body.lines() {
        match line.strip_prefix("export const ") {
            Some(rest) => {
                let name = rest.split(' ').next().unwrap_or_default();
                names.push(name.to_owned());
                factory += &format!("const {rest}\n");
            }
            None if line.starts_with("export ") || line.starts_with("import ") => bail!("unexpected line in the splitter's loader: {line}"),
            None => factory += &format!("{line}\n"),
        }
    }
    ensure!(!names.is_empty(), "the splitter's loader exports no chunk loader");
    factory += &format!("return {{ {} }};\n}}\n", names.join(", "));
    Ok(factory)
}

/// The bindings with their imports of the loader module (wasm-bindgen writes one per
/// imported function) replaced by one call of the loader's [`FACTORY`] with this
/// instance's exports (`wasm`, set once instantiated).
fn bindings_with_loader(bindings: &str, loader: &str) -> Result<String> {
    ensure!(bindings.contains("let wasmModule, wasmInstance, wasm;"), "the bindings keep their instance's exports elsewhere than in `wasm`");
    let from = format!(" from \"{LOADER_PLACEHOLDER}\"");
    let key = format!("\"{LOADER_PLACEHOLDER}\": ");
    let (mut imports, mut entries) = (Vec::new(), 0);
    let mut out = String::new();
    for line in bindings.lines() {
        let trimmed = line.trim();
        if let Some(binding) = trimmed.strip_prefix("import * as ").and_then(|rest| rest.trim_end_matches(';').strip_suffix(&from)) {
            if imports.is_empty() {
                out += &format!("import {{ {FACTORY} }} from \"{loader}\";\n");
            }
            imports.push(binding.to_owned());
            continue;
        }
        if let Some(binding) = trimmed.strip_prefix(&key).and_then(|rest| rest.strip_suffix(',')) {
            ensure!(imports.iter().any(|b| b == binding), "the bindings pass {binding} as {LOADER_PLACEHOLDER}, which they do not import from it");
            if entries == 0 {
                let indent = &line[..line.len() - line.trim_start().len()];
                out += &format!("{indent}{key}{FACTORY}(() => wasm),\n");
            }
            entries += 1;
            continue;
        }
        out += line;
        out.push('\n');
    }
    ensure!(!imports.is_empty() && entries == imports.len(), "the bindings import {LOADER_PLACEHOLDER} {} times and pass it {entries} times", imports.len());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape of wasm_split_cli_support 0.2.4's loader (its runtime part shortened).
    const LOADER: &str = r#"import { initSync } from "./__opc_main.js";

let sharedImports = undefined;
function getSharedImports() {
    if (sharedImports === undefined) {
        sharedImports = { __wasm_split: {  } };
        const { __indirect_function_table, memory,  } = initSync(undefined, undefined);
        Object.assign(sharedImports.__wasm_split, { __indirect_function_table, memory,  });
    }
    return sharedImports;
}
function makeLoad(fetcher, deps) { return fetcher; }
const __chunk_2 = makeLoad(() => {
    const src = fetch(new URL("./chunk_2.wasm", import.meta.url));
}, []);
export const __wasm_split_load_drawer = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_drawer.wasm", import.meta.url));
}
, [__chunk_2]));
"#;

    #[test]
    fn the_loader_becomes_a_function_of_one_instance_with_hashed_chunks() {
        let renamed = BTreeMap::from([
            ("./chunk_2.wasm".to_owned(), "./after_results+drawer-00ff00ff00ff00ff.wasm".to_owned()),
            ("./split_drawer.wasm".to_owned(), "./drawer-0123456789abcdef.wasm".to_owned()),
        ]);
        let factory = loader_factory(LOADER, &renamed).expect("rewritten");
        assert!(!factory.contains("import "), "{factory}");
        assert!(factory.contains("export function splitImports(mainExports) {"), "{factory}");
        assert!(factory.contains("} = mainExports();"), "{factory}");
        assert!(factory.contains("const __wasm_split_load_drawer = wrapAsyncCb("), "{factory}");
        assert!(factory.contains(r#"new URL("./drawer-0123456789abcdef.wasm", import.meta.url)"#), "{factory}");
        assert!(factory.contains(r#"new URL("./after_results+drawer-00ff00ff00ff00ff.wasm", import.meta.url)"#), "{factory}");
        assert!(factory.trim_end().ends_with("return { __wasm_split_load_drawer };\n}"), "{factory}");
        assert_eq!(factory.matches("export ").count(), 1, "{factory}");

        let unknown = BTreeMap::from([("./split_chart.wasm".to_owned(), "./chart-0.wasm".to_owned())]);
        assert!(loader_factory(LOADER, &unknown).is_err(), "a chunk the loader does not name");
        assert!(loader_factory(&LOADER.replace("initSync(undefined, undefined)", "other()"), &renamed).is_err());
    }

    #[test]
    fn the_bindings_pass_one_loader_per_instance() {
        let bindings = "import { opc_asset_url } from './snippets/x/inline0.js';\n\
            import * as import1 from \"./__wasm_split.js\"\n\
            import * as import2 from \"./__wasm_split.js\"\n\
            let wasmModule, wasmInstance, wasm;\n\
            function __wbg_get_imports() {\n    return {\n        \"./op-console_bg.js\": import0,\n        \"./__wasm_split.js\": import1,\n        \"./__wasm_split.js\": import2,\n    };\n}\n";
        let out = bindings_with_loader(bindings, "./op-console-loader-0a1b2c3d.js").expect("rewritten");
        assert_eq!(out.matches("__wasm_split.js").count(), 1, "{out}");
        assert!(out.contains("import { splitImports } from \"./op-console-loader-0a1b2c3d.js\";\n"), "{out}");
        assert!(out.contains("        \"./__wasm_split.js\": splitImports(() => wasm),\n    };"), "{out}");
        assert!(out.starts_with("import { opc_asset_url }"), "{out}");
        assert!(bindings_with_loader(&bindings.replace("let wasmModule, wasmInstance, wasm;", "let w;"), "x").is_err());
        assert!(bindings_with_loader("let wasmModule, wasmInstance, wasm;\n", "x").is_err(), "no loader import at all");
    }

    #[test]
    fn trunks_preloads_make_way_for_the_split_files() {
        let index = "<head>\n<link rel=\"icon\" href=\"/cdn/favicon-1.svg\"/>\n  \
            <link rel=\"modulepreload\" href=\"/cdn/op-console-5cb3768795a8bd3f.js\" integrity=\"sha384-a\">\
            <link rel=\"modulepreload\" href=\"/cdn/snippets/op-console-4a62/inline0.js\" integrity=\"sha384-b\">\
            <link rel=\"preload\" href=\"/cdn/op-console-5cb3768795a8bd3f_bg.wasm\" as=\"fetch\" type=\"application/wasm\"></head>";
        let preloads = [Preload::module("/cdn/", "op-console-1.js", b"a"), Preload::wasm("/cdn/", "op-console-2_bg.wasm", b"b")];
        let out = with_preloads(index, &preloads).expect("rewritten");
        assert!(!out.contains("5cb3768795a8bd3f"), "{out}");
        assert!(out.contains("<link rel=\"icon\" href=\"/cdn/favicon-1.svg\"/>"), "{out}");
        assert!(out.contains("inline0.js"), "the snippet's preload stays: {out}");
        let bindings = out.find("href=\"/cdn/op-console-1.js\"").expect("bindings");
        let wasm = out.find("href=\"/cdn/op-console-2_bg.wasm\"").expect("wasm");
        assert!(bindings < wasm && out.contains(&integrity(b"a")), "{out}");
        assert!(with_preloads("<head></head>", &preloads).is_err());
    }

    #[test]
    fn integrity_is_sha384_in_base64() {
        // `printf abc | openssl dgst -sha384 -binary | base64`
        assert_eq!(integrity(b"abc"), "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn");
    }

    #[test]
    fn chunks_are_named_after_the_split_points_that_need_them() {
        let needed_by = std::collections::HashMap::from([
            ("drawer".to_owned(), vec!["chunk_3".to_owned(), "split_drawer".to_owned()]),
            ("after_results".to_owned(), vec!["chunk_3".to_owned(), "split_after_results".to_owned()]),
        ]);
        assert_eq!(chunk_name("split_drawer", &needed_by).unwrap(), "drawer");
        assert_eq!(chunk_name("chunk_3", &needed_by).unwrap(), "after_results+drawer");
        assert!(chunk_name("chunk_9", &needed_by).is_err());
    }
}
