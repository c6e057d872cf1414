//! `cargo xtask size`: what the release wasm is made of. Builds it once more with the
//! function names kept (cargo profile `size-analysis`, wasm-bindgen, then wasm-opt `-Oz` as
//! trunk runs it but with `--debuginfo`, which keeps the `name` section), then prints the
//! largest items, the bytes per crate and what the data section holds. The shipped build
//! (`cargo xtask build`) is not touched.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, ensure, Context, Result};
use serde_json::Value;

use crate::build;
use crate::tools::{run, Tools};

#[derive(clap::Args)]
pub struct SizeArgs {
    /// Lines per table (items, crates, dominator tree rows).
    #[arg(long, default_value_t = 15)]
    top: usize,
    /// Analyse the split build's first-results part (what the page loads before its first
    /// results) instead of the whole, unsplit wasm.
    #[arg(long)]
    split: bool,
}

pub fn run_size(tools: &Tools, args: &SizeArgs) -> Result<()> {
    tools.setup(false)?;
    tools.twiggy()?;
    let target = tools.target_dir()?;
    let mut build = tools.command("cargo");
    build.args(["build", "--package", "op-console", "--bin", "op-console", "--target", "wasm32-unknown-unknown", "--profile", "size-analysis"]);
    if args.split {
        build.args(["--features", "split"]);
    }
    run(&mut build)?;
    let built = target.join("wasm32-unknown-unknown/size-analysis/op-console.wasm");
    let out = target.join("size-analysis");
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    let bound = if args.split {
        // As `cargo xtask build` cuts it (src/ui/lazy.rs); the chunks are left aside.
        let (_, _, bindgen) = crate::split::cut(tools, &built, &out.join("split"))?;
        bindgen.join("op-console_bg.wasm")
    } else {
        // The flags trunk 0.21 passes (index.html sets none of its optional ones).
        run(tools
            .command("wasm-bindgen")
            .arg("--target=web")
            .arg(format!("--out-dir={}", out.display()))
            .args(["--out-name=op-console", "--no-typescript"])
            .arg(&built))?;
        out.join("op-console_bg.wasm")
    };
    let named = out.join("op-console-named.wasm");
    run(tools.command("wasm-opt").arg(format!("--output={}", named.display())).args(["-Oz", "--debuginfo"]).arg(&bound))?;

    let bytes = std::fs::read(&named).with_context(|| format!("reading {}", named.display()))?;
    let module = Module::parse(&bytes)?;
    print_sections(&module, &bytes)?;
    // dist/ holds the split build: its first-results wasm is the module `--split` analyses.
    if let Some(shipped) = shipped_wasm(&tools.root.join("dist")).filter(|_| args.split) {
        println!(
            "(dist/ holds a release wasm of {} raw: the analysed one less its names should match it if dist/ is current)",
            kb(shipped as usize)
        );
    }

    let output = tools.command("twiggy").args(["top", "--retained", "-f", "json"]).arg(&named).output().context("running twiggy top")?;
    ensure!(output.status.success(), "twiggy top failed: {}", String::from_utf8_lossy(&output.stderr));
    let mut items = Item::parse_all(&output.stdout)?;
    items.iter_mut().for_each(|item| item.name = without_disambiguators(&item.name));
    print_items("largest items (shallow bytes)", &items, args.top, |i| i.shallow);
    let functions: Vec<Item> = items.iter().filter(|i| group_of(&i.name).is_code()).cloned().collect();
    print_items("functions retaining the most (retained bytes: what would go with them)", &functions, args.top, |i| i.retained);
    print_crates(&items, args.top);

    for (title, twiggy_args) in [
        ("dominator tree (retained bytes)", vec!["dominators".to_owned(), "-d".into(), "4".into(), "-r".into(), (2 * args.top).to_string()]),
        ("generic instantiations (monomorphisation bloat)", vec!["monos".into(), "-m".into(), args.top.to_string(), "-n".into(), "3".into()]),
        // Data segments show up here too: code reaches them by address, which twiggy cannot follow.
        ("unreachable items (garbage)", vec!["garbage".into(), "-n".into(), args.top.to_string()]),
    ] {
        println!("\n== {title}: twiggy {}", twiggy_args.join(" "));
        run(tools.command("twiggy").args(&twiggy_args).arg(&named))?;
    }

    // The message catalogs: one file per language under src/i18n/.
    let mut catalog = String::new();
    let catalog_dir = tools.root.join("src/i18n");
    for entry in std::fs::read_dir(&catalog_dir).with_context(|| format!("listing {}", catalog_dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "rs") {
            catalog += &std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        }
    }
    let segments: Vec<(u64, &[u8])> = module.data.iter().map(|s| (s.address, &bytes[s.bytes.clone()])).collect();
    print_data(&classify_data(&segments, &string_literals(&catalog)), args.top);
    Ok(())
}

/// The size of dist's first-results wasm (`op-console-<hash>_bg.wasm`), if it has one.
fn shipped_wasm(dist: &Path) -> Option<u64> {
    std::fs::read_dir(dist).ok()?.filter_map(Result::ok).find_map(|entry| {
        let name = entry.file_name().to_string_lossy().into_owned();
        (name.starts_with("op-console-") && name.ends_with("_bg.wasm")).then(|| entry.metadata().ok().map(|m| m.len())).flatten()
    })
}

/// The sections of a wasm module: (id, custom name, byte range of the payload), and the
/// byte ranges of the data segments' contents.
#[derive(Debug, Default)]
struct Module {
    sections: Vec<(u8, String, std::ops::Range<usize>)>,
    data: Vec<Segment>,
}

#[derive(Debug, PartialEq)]
struct Segment {
    /// Where an active segment is placed in linear memory (`i32.const` offset); 0 otherwise.
    address: u64,
    bytes: std::ops::Range<usize>,
}

/// A cursor over a wasm binary, enough to walk sections and data segments.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8> {
        let byte = *self.bytes.get(self.at).context("wasm ends early")?;
        self.at += 1;
        Ok(byte)
    }

    /// An unsigned or signed LEB128 number, its value discarded when signed (init
    /// expressions only need skipping).
    fn leb(&mut self) -> Result<u64> {
        let (mut value, mut shift) = (0u64, 0);
        loop {
            let byte = self.byte()?;
            if shift < 64 {
                value |= u64::from(byte & 0x7f) << shift;
            }
            shift += 7;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
            ensure!(shift < 70, "LEB128 number too long at byte {}", self.at);
        }
    }

    fn range(&mut self, len: u64) -> Result<std::ops::Range<usize>> {
        let end = self.at.checked_add(usize::try_from(len)?).filter(|&end| end <= self.bytes.len()).context("wasm ends early")?;
        let range = self.at..end;
        self.at = end;
        Ok(range)
    }

    /// A constant offset expression (`i32.const N end`, `global.get G end`, …): N, or 0
    /// when it is not a constant. Addresses are non-negative, so reading the signed LEB128
    /// as unsigned gives the same number.
    fn offset_expr(&mut self) -> Result<u64> {
        let mut offset = 0;
        loop {
            match self.byte()? {
                0x0b => return Ok(offset),
                0x41 | 0x42 => offset = self.leb()?,
                0x23 => drop(self.leb()?),
                op => bail!("unexpected opcode {op:#x} in a data segment offset"),
            }
        }
    }
}

impl Module {
    fn parse(bytes: &[u8]) -> Result<Self> {
        ensure!(bytes.starts_with(b"\0asm"), "not a wasm module");
        let mut reader = Reader { bytes, at: 8 };
        let mut module = Module::default();
        while reader.at < bytes.len() {
            let id = reader.byte()?;
            let len = reader.leb()?;
            let payload = reader.range(len)?;
            let mut inner = Reader { bytes: &bytes[..payload.end], at: payload.start };
            let name = if id == 0 {
                let len = inner.leb()?;
                String::from_utf8_lossy(&bytes[inner.range(len)?]).into_owned()
            } else {
                String::new()
            };
            if id == 11 {
                for _ in 0..inner.leb()? {
                    let address = match inner.leb()? {
                        0 => inner.offset_expr()?,
                        1 => 0,
                        2 => {
                            inner.leb()?;
                            inner.offset_expr()?
                        }
                        flags => bail!("unknown data segment kind {flags}"),
                    };
                    let len = inner.leb()?;
                    module.data.push(Segment { address, bytes: inner.range(len)? });
                }
            }
            module.sections.push((id, name, payload));
        }
        Ok(module)
    }
}

fn section_name(id: u8, custom: &str) -> String {
    const NAMES: [&str; 13] =
        ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "data count"];
    match id {
        0 => format!("custom \"{custom}\""),
        _ => NAMES.get(usize::from(id)).map_or_else(|| format!("section {id}"), |n| (*n).to_owned()),
    }
}

fn print_sections(module: &Module, bytes: &[u8]) -> Result<()> {
    println!("\n== sections of the analysed wasm ({} raw, {} brotli with names)", kb(bytes.len()), kb(build::brotli_len(bytes)?));
    let mut names_len = 0;
    for (id, custom, range) in &module.sections {
        if *id == 0 && custom == "name" {
            names_len = range.len();
        }
        println!("  {:<28} {:>10}", section_name(*id, custom), kb(range.len()));
    }
    println!(
        "  ({} data segments; without the `name` section, which only this analysis keeps, the module is {} raw)",
        module.data.len(),
        kb(bytes.len() - names_len)
    );
    Ok(())
}

/// One twiggy item.
#[derive(Clone, Debug, PartialEq)]
struct Item {
    name: String,
    shallow: u64,
    retained: u64,
}

impl Item {
    /// `twiggy top --retained -f json`: `[{"name", "shallow_size", "retained_size", …}]`.
    fn parse_all(json: &[u8]) -> Result<Vec<Item>> {
        let value: Value = serde_json::from_slice(json).context("twiggy printed no JSON")?;
        let list = value.as_array().context("twiggy's JSON is not a list")?;
        list.iter()
            .map(|item| {
                Ok(Item {
                    name: item["name"].as_str().context("a twiggy item without a name")?.to_owned(),
                    shallow: item["shallow_size"].as_u64().context("a twiggy item without shallow_size")?,
                    retained: item["retained_size"].as_u64().unwrap_or(0),
                })
            })
            .collect()
    }
}

/// `<f64 as core[c5930c85a12de822]::fmt::Display>::fmt` → `<f64 as core::fmt::Display>::fmt`:
/// the crate disambiguators rustc puts in some demangled names.
fn without_disambiguators(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(open) = rest.find('[') {
        let inside = &rest[open + 1..];
        let hex = inside.chars().take_while(char::is_ascii_hexdigit).count();
        out += &rest[..open];
        if hex >= 8 && inside[hex..].starts_with(']') {
            rest = &inside[hex + 1..];
        } else {
            out.push('[');
            rest = inside;
        }
    }
    out + rest
}

/// Where a twiggy item's bytes belong.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    /// Code of a crate (`core`, `alloc` and `op_console` by module: `core::fmt`).
    Crate(String),
    /// `core::ptr::drop_in_place<…>`: drop glue, one per type that needs it.
    DropGlue,
    /// wasm-bindgen's imported JS shims and exported entry points.
    Bindgen,
    /// Code without a name (or a name without a path: builtins like `memcpy`).
    OtherCode,
    /// Data segments (strings, tables, vtables).
    Data,
    /// The function name table this analysis adds; not in the shipped wasm.
    Names,
    /// Types, imports, exports, tables, globals, headers.
    Structure,
}

impl Group {
    fn is_code(&self) -> bool {
        matches!(self, Group::Crate(_) | Group::DropGlue | Group::Bindgen | Group::OtherCode)
    }

    fn label(&self) -> String {
        match self {
            Group::Crate(name) => name.clone(),
            Group::DropGlue => "drop glue (core::ptr::drop_in_place<T>)".into(),
            Group::Bindgen => "wasm-bindgen shims and exports".into(),
            Group::OtherCode => "unnamed code and builtins".into(),
            Group::Data => "data segments".into(),
            Group::Names => "function names (analysis only)".into(),
            Group::Structure => "types, imports, exports, tables".into(),
        }
    }
}

/// The group of a twiggy item name, e.g. `<alloc::vec::Vec<T> as core::clone::Clone>::clone`
/// → `alloc::vec` (the implementing type's crate), `op_console::search::table::row::h0123…`
/// → `op_console::search`, `data[3]` → data.
fn group_of(name: &str) -> Group {
    if name.starts_with("data[") || name.starts_with("data segment") {
        return Group::Data;
    }
    if name.contains("\"function names\"") || name.contains("\"local names\"") || name.contains("custom section 'name'") || name.contains("name section") {
        return Group::Names;
    }
    if name.starts_with("core::ptr::drop_in_place") {
        return Group::DropGlue;
    }
    if name.starts_with("__wbg_") || name.starts_with("__wbindgen") || name.starts_with("__externref") || name.starts_with("export ") && name.contains("__wbindgen") {
        return Group::Bindgen;
    }
    if name.starts_with("code[") {
        return Group::OtherCode;
    }
    let structure = ["type[", "import ", "export ", "table[", "elem[", "global[", "memory[", "wasm magic", "header", "start", "custom section", "data count"];
    if structure.iter().any(|prefix| name.starts_with(prefix)) || name.contains("section headers") {
        return Group::Structure;
    }
    // `<Type as Trait>::method`: the type's crate, unless the type is a primitive or a
    // reference/slice/tuple of one (then the trait's crate).
    let path = match name.strip_prefix('<') {
        Some(qualified) => {
            let self_type = qualified.split(" as ").next().unwrap_or(qualified);
            let self_type = self_type.trim_start_matches(['&', '*', '[', '(', ' ']).trim_start_matches("mut ").trim_start_matches("const ").trim_start_matches("dyn ");
            if self_type.split('<').next().is_some_and(|head| head.contains("::")) {
                self_type.to_owned()
            } else {
                qualified.split_once(" as ").map_or(qualified, |(_, r#trait)| r#trait).to_owned()
            }
        }
        None => name.to_owned(),
    };
    let path = path.split('<').next().unwrap_or(&path);
    let mut segments = path.split("::");
    let krate = segments.next().unwrap_or_default().trim();
    if !path.contains("::") || krate.is_empty() {
        return Group::OtherCode;
    }
    match krate {
        "core" | "alloc" | "std" | "op_console" => match segments.next() {
            Some(module) if !is_hash(module) => Group::Crate(format!("{krate}::{}", module_or_root(module))),
            _ => Group::Crate(krate.to_owned()),
        },
        _ => Group::Crate(krate.to_owned()),
    }
}

/// rustc's `h0123456789abcdef` symbol hash segment.
fn is_hash(segment: &str) -> bool {
    segment.len() == 17 && segment.starts_with('h') && segment[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// `{{closure}}` and the like are not modules.
fn module_or_root(module: &str) -> &str {
    if module.starts_with('{') || module.starts_with('_') {
        "(root)"
    } else {
        module
    }
}

fn print_items(title: &str, items: &[Item], top: usize, size: fn(&Item) -> u64) {
    let total: u64 = items.iter().filter(|i| group_of(&i.name) != Group::Names).map(|i| i.shallow).sum();
    let mut sorted: Vec<&Item> = items.iter().filter(|i| group_of(&i.name) != Group::Names).collect();
    sorted.sort_by_key(|i| std::cmp::Reverse(size(i)));
    println!("\n== {title}; % of {} (names excluded)", kb(total as usize));
    for item in sorted.into_iter().take(top) {
        println!("  {:>9} {:>5.1} %  {}", kb(size(item) as usize), percent(size(item), total), short_name(&item.name));
    }
}

/// Bytes per group, largest first (the function names excluded: they are not shipped).
fn crate_sizes(items: &[Item]) -> Vec<(Group, u64)> {
    let mut groups: BTreeMap<Group, u64> = BTreeMap::new();
    for item in items {
        let group = group_of(&item.name);
        if group != Group::Names {
            *groups.entry(group).or_default() += item.shallow;
        }
    }
    let mut sorted: Vec<(Group, u64)> = groups.into_iter().collect();
    sorted.sort_by_key(|(_, size)| std::cmp::Reverse(*size));
    sorted
}

fn print_crates(items: &[Item], top: usize) {
    let sizes = crate_sizes(items);
    let total: u64 = sizes.iter().map(|(_, s)| s).sum();
    println!("\n== bytes by crate (shallow sizes summed; `core`, `alloc`, `std` and `op_console` by module)");
    for (group, size) in sizes.iter().take(2 * top) {
        println!("  {:>9} {:>5.1} %  {}", kb(*size as usize), percent(*size, total), group.label());
    }
    let rest: u64 = sizes.iter().skip(2 * top).map(|(_, s)| s).sum();
    if rest > 0 {
        println!("  {:>9} {:>5.1} %  {} more groups", kb(rest as usize), percent(rest, total), sizes.len() - 2 * top);
    }
}

/// A demangled name without its `::h0123456789abcdef` hash, cut to a readable length.
fn short_name(name: &str) -> String {
    let name = match name.rfind("::") {
        Some(at) if is_hash(&name[at + 2..]) => &name[..at],
        _ => name,
    };
    if name.chars().count() > 140 {
        format!("{}…", name.chars().take(139).collect::<String>())
    } else {
        name.to_owned()
    }
}

/// What the data section's bytes are, by kind.
#[derive(Debug, Default, PartialEq)]
struct DataKinds {
    /// Texts of the message catalogs (string literals of src/i18n/ found in the data).
    catalog: usize,
    /// Source paths of panic locations (`src/…rs`), the app's.
    app_paths: usize,
    /// Source paths of the standard library's and dependencies' panic locations.
    dependency_paths: usize,
    /// Any other printable text: error and format strings, JS names, CSS classes, keys.
    other_text: usize,
    /// Aligned 32-bit words pointing into the data: references to strings and slices,
    /// vtable pointers.
    pointers: usize,
    /// Aligned 32-bit words holding small numbers (1..65536): vtable entries (function
    /// table indices, sizes, alignments), lengths.
    small_numbers: usize,
    /// Zero bytes (padding, zero fields, zero-initialised statics).
    zeros: usize,
    /// The rest: lookup tables, constants.
    binary: usize,
    /// The longest "other text" runs, longest first.
    longest_texts: Vec<String>,
}

/// String literals of a Rust source file (simple escapes decoded; raw strings ignored).
fn string_literals(source: &str) -> Vec<String> {
    let mut literals = Vec::new();
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.clone().next() == Some('/') => {
                // A line comment: its quotes are prose.
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '\'' => {
                // A char literal ('"', '\'') or a lifetime: skip a quoted char.
                let mut ahead = chars.clone();
                match (ahead.next(), ahead.next(), ahead.next()) {
                    (Some('\\'), Some(_), Some('\'')) => chars = ahead,
                    (Some(_), Some('\''), _) => {
                        chars.next();
                        chars.next();
                    }
                    _ => {}
                }
            }
            '"' => {
                let mut literal = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.next() {
                            Some('n') => literal.push('\n'),
                            Some('t') => literal.push('\t'),
                            Some('\n') => {
                                // A line continuation: the next line's indentation is skipped.
                                while chars.clone().next().is_some_and(char::is_whitespace) {
                                    chars.next();
                                }
                            }
                            Some(other) => literal.push(other),
                            None => break,
                        },
                        c => literal.push(c),
                    }
                }
                literals.push(literal);
            }
            _ => {}
        }
    }
    literals
}

/// Bytes that are part of printable text: ASCII graphic or space, or valid UTF-8 beyond
/// ASCII (the zh-CN texts). Runs shorter than 4 bytes count as binary.
fn printable_mask(data: &[u8]) -> Vec<bool> {
    let mut mask = vec![false; data.len()];
    let mut at = 0;
    let mut run_start = 0;
    let close = |mask: &mut Vec<bool>, start: usize, end: usize| {
        if end - start >= 4 {
            mask[start..end].iter_mut().for_each(|m| *m = true);
        }
    };
    while at < data.len() {
        let byte = data[at];
        let width = if byte == b' ' || byte.is_ascii_graphic() || byte == b'\n' {
            1
        } else {
            let len = match byte {
                0xc2..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf4 => 4,
                _ => 0,
            };
            if len > 0 && at + len <= data.len() && std::str::from_utf8(&data[at..at + len]).is_ok() {
                len
            } else {
                0
            }
        };
        if width == 0 {
            close(&mut mask, run_start, at);
            at += 1;
            run_start = at;
        } else {
            at += width;
        }
    }
    close(&mut mask, run_start, data.len());
    mask
}

/// Classifies the bytes of the data segments, given as (address, contents).
fn classify_data(segments: &[(u64, &[u8])], catalog: &[String]) -> DataKinds {
    let data: Vec<u8> = segments.iter().flat_map(|(_, bytes)| bytes.iter().copied()).collect();
    let data = data.as_slice();
    let printable = printable_mask(data);
    // 0: not yet claimed, 1: catalog, 2: app path, 3: dependency path.
    let mut claim = vec![0u8; data.len()];
    for literal in catalog.iter().filter(|l| l.len() >= 4) {
        let needle = literal.as_bytes();
        let mut from = 0;
        while let Some(found) = find(&data[from..], needle) {
            let start = from + found;
            claim[start..start + needle.len()].iter_mut().filter(|c| **c == 0).for_each(|c| *c = 1);
            from = start + needle.len();
        }
    }
    // Paths end in `.rs`; walk back over path characters from each.
    let mut from = 0;
    while let Some(found) = find(&data[from..], b".rs") {
        let end = from + found + 3;
        let mut start = from + found;
        while start > 0 && (data[start - 1].is_ascii_alphanumeric() || b"/._-@+\\".contains(&data[start - 1])) {
            start -= 1;
        }
        let path = String::from_utf8_lossy(&data[start..end]);
        if path.contains('/') {
            let dependency = path.contains("/rustc/") || path.contains("library/") || path.contains("registry/") || path.contains(".cargo") || path.contains("/index.crates.io");
            claim[start..end].iter_mut().for_each(|c| *c = if dependency { 3 } else { 2 });
        }
        from = end;
    }
    // Aligned words of bytes that are neither text nor claimed: pointers, small numbers.
    // 0–3 as above; 4: pointer word, 5: small-number word.
    let (low, high) = segments.iter().fold((u64::MAX, 0), |(low, high), (address, bytes)| (low.min(*address), high.max(address + bytes.len() as u64)));
    let mut start = 0;
    for (address, bytes) in segments {
        let skip = ((4 - address % 4) % 4) as usize;
        for at in (start + skip..start + bytes.len()).step_by(4).take_while(|at| at + 4 <= start + bytes.len()) {
            if (at..at + 4).any(|i| claim[i] != 0 || printable[i]) {
                continue;
            }
            let word = u64::from(u32::from_le_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]]));
            let kind = match word {
                0 => continue,
                _ if (low..high).contains(&word) => 4,
                1..=0xffff => 5,
                _ => continue,
            };
            claim[at..at + 4].iter_mut().for_each(|c| *c = kind);
        }
        start += bytes.len();
    }
    let mut kinds = DataKinds::default();
    let mut texts: Vec<String> = Vec::new();
    let mut run: Vec<u8> = Vec::new();
    for (at, &byte) in data.iter().enumerate() {
        let other = claim[at] == 0 && printable[at];
        match claim[at] {
            1 => kinds.catalog += 1,
            2 => kinds.app_paths += 1,
            3 => kinds.dependency_paths += 1,
            4 => kinds.pointers += 1,
            5 => kinds.small_numbers += 1,
            _ if printable[at] => kinds.other_text += 1,
            _ if byte == 0 => kinds.zeros += 1,
            _ => kinds.binary += 1,
        }
        if other {
            run.push(byte);
        } else if !run.is_empty() {
            texts.push(String::from_utf8_lossy(&std::mem::take(&mut run)).into_owned());
        }
    }
    if !run.is_empty() {
        texts.push(String::from_utf8_lossy(&run).into_owned());
    }
    texts.sort_by_key(|t| std::cmp::Reverse(t.len()));
    kinds.longest_texts = texts;
    kinds
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|window| window == needle)
}

fn print_data(kinds: &DataKinds, top: usize) {
    let total = kinds.catalog + kinds.app_paths + kinds.dependency_paths + kinds.other_text + kinds.pointers + kinds.small_numbers + kinds.zeros + kinds.binary;
    println!("\n== data segments: {} raw", kb(total));
    for (label, size) in [
        ("message catalog texts (literals of src/i18n/)", kinds.catalog),
        ("panic location paths, app (src/…)", kinds.app_paths),
        ("panic location paths, std and dependencies", kinds.dependency_paths),
        ("other printable text (messages, format strings, names)", kinds.other_text),
        ("pointers into the data (string/slice references, vtable pointers)", kinds.pointers),
        ("small numbers (vtable entries: fn indices, sizes, alignments; lengths)", kinds.small_numbers),
        ("zero bytes (padding, zero fields)", kinds.zeros),
        ("other binary (lookup tables, constants)", kinds.binary),
    ] {
        println!("  {:>9} {:>5.1} %  {label}", kb(size), percent(size as u64, total as u64));
    }
    println!("  longest other texts:");
    for text in kinds.longest_texts.iter().take(top) {
        let shown: String = text.chars().take(100).collect::<String>().replace('\n', "⏎");
        println!("  {:>7} B  {shown}{}", text.len(), if text.chars().count() > 100 { "…" } else { "" });
    }
}

fn percent(part: u64, total: u64) -> f64 {
    part as f64 * 100.0 / total.max(1) as f64
}

fn kb(bytes: usize) -> String {
    format!("{:.1} kB", bytes as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_items_by_crate() {
        let crate_of = |name: &str| group_of(name).label();
        assert_eq!(crate_of("leptos::mount::mount_to::h0123456789abcdef"), "leptos");
        assert_eq!(crate_of("op_console::search::table::rows::{{closure}}::h0123456789abcdef"), "op_console::search");
        assert_eq!(crate_of("op_console::main::h0123456789abcdef"), "op_console::main");
        assert_eq!(crate_of("<tachys::html::element::HtmlElement<E,At,Ch> as tachys::view::Render>::build::h01"), "tachys");
        assert_eq!(crate_of("<alloc::vec::Vec<T,A> as core::clone::Clone>::clone::h01"), "alloc::vec");
        assert_eq!(crate_of("<&T as core::fmt::Display>::fmt::h01"), "core::fmt");
        assert_eq!(crate_of("<str as serde_json::value::index::Index>::index_into::h01"), "serde_json");
        assert_eq!(crate_of("core::fmt::write::h0123456789abcdef"), "core::fmt");
        assert_eq!(group_of("core::ptr::drop_in_place<op_console::api::models::SearchRow>::h01"), Group::DropGlue);
        assert_eq!(group_of("data[0]"), Group::Data);
        assert_eq!(group_of("code[12]"), Group::OtherCode);
        assert_eq!(group_of("memcpy"), Group::OtherCode);
        assert_eq!(group_of("__wbg_set_6cb8631f80447a67"), Group::Bindgen);
        assert_eq!(group_of("type[3]: (i32) -> i32"), Group::Structure);
        assert!(group_of("chrono::format::parse::parse::h01").is_code());
        assert!(!group_of("data[1]").is_code());
    }

    #[test]
    fn sizes_add_up_per_group() {
        let item = |name: &str, shallow| Item { name: name.into(), shallow, retained: 0 };
        let sizes = crate_sizes(&[item("serde_json::de::x::h01", 30), item("serde_json::de::y::h02", 20), item("chrono::a::h03", 40), item("data[0]", 5)]);
        assert_eq!(sizes, [(Group::Crate("serde_json".into()), 50), (Group::Crate("chrono".into()), 40), (Group::Data, 5)]);
    }

    #[test]
    fn disambiguators_leave_the_names() {
        assert_eq!(without_disambiguators("<f64 as core[c5930c85a12de822]::fmt::Display>::fmt"), "<f64 as core::fmt::Display>::fmt");
        assert_eq!(without_disambiguators("dlmalloc[e24a27700634d609]::Dlmalloc::malloc"), "dlmalloc::Dlmalloc::malloc");
        assert_eq!(without_disambiguators("data[0]"), "data[0]");
        assert_eq!(without_disambiguators("<[T] as core::fmt::Debug>::fmt"), "<[T] as core::fmt::Debug>::fmt");
    }

    #[test]
    fn hashes_leave_the_names() {
        assert_eq!(short_name("leptos::mount::h0123456789abcdef"), "leptos::mount");
        assert_eq!(short_name("leptos::hydrate"), "leptos::hydrate");
    }

    #[test]
    fn reads_twiggy_json() {
        let json = br#"[{"name":"data[0]","shallow_size":10,"shallow_size_percent":1.0,"retained_size":10,"retained_size_percent":1.0}]"#;
        assert_eq!(Item::parse_all(json).unwrap(), [Item { name: "data[0]".into(), shallow: 10, retained: 10 }]);
        assert!(Item::parse_all(b"not json").is_err());
    }

    /// A module with one active and one passive data segment and a custom section.
    fn tiny_module() -> Vec<u8> {
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        // data: 2 segments; active at i32.const 1024 = "abc"; passive "xy".
        let data = [&[2u8, 0, 0x41, 0x80, 0x08, 0x0b, 3][..], b"abc", &[1, 2], b"xy"].concat();
        wasm.extend([11, data.len() as u8]);
        wasm.extend(&data);
        let custom = [&[4u8][..], b"name", &[9, 9]].concat();
        wasm.extend([0, custom.len() as u8]);
        wasm.extend(&custom);
        wasm
    }

    #[test]
    fn walks_sections_and_data_segments() {
        let wasm = tiny_module();
        let module = Module::parse(&wasm).unwrap();
        let data: Vec<(u64, &[u8])> = module.data.iter().map(|s| (s.address, &wasm[s.bytes.clone()])).collect();
        assert_eq!(data, [(1024, &b"abc"[..]), (0, b"xy")]);
        assert_eq!(module.sections.iter().map(|(id, name, _)| (*id, name.as_str())).collect::<Vec<_>>(), [(11, ""), (0, "name")]);
        assert!(Module::parse(&wasm[..wasm.len() - 1]).is_err(), "a cut module is an error");
        assert!(Module::parse(b"MZ").is_err());
    }

    #[test]
    fn finds_literals_in_source() {
        let source = "// a \"comment\"\nmsg!(Search, \"Search\", \"搜索\"); let q = '\"'; let e = \"a\\\"b\\n\";";
        assert_eq!(string_literals(source), ["Search", "搜索", "a\"b\n"]);
    }

    #[test]
    fn classifies_data_bytes() {
        let data = [
            &b"\x01\x02\x00\x00\x00"[..],
            b"No results",
            b"\x07\x08",
            "没有结果".as_bytes(),
            b"\xff",
            b"src/search/table.rs",
            b"\x00",
            b"/rustc/0123abcd/library/core/src/fmt/mod.rs",
            b"\x05",
            b"invalid type: map",
        ]
        .concat();
        // At 1000, so the 4-byte-aligned words start at the data's start: the first word
        // (513) is a small number; the last (1004, at 1116) points into the data.
        let data = [&data[..], b"\x00\x00\x00\x00\x00", &1004u32.to_le_bytes()].concat();
        let kinds = classify_data(&[(1000, &data[..])], &["No results".into(), "没有结果".into(), "abc".into()]);
        assert_eq!(kinds.catalog, 10 + "没有结果".len());
        assert_eq!(kinds.app_paths, "src/search/table.rs".len());
        assert_eq!(kinds.dependency_paths, "/rustc/0123abcd/library/core/src/fmt/mod.rs".len());
        assert_eq!(kinds.other_text, "invalid type: map".len());
        assert_eq!(kinds.small_numbers, 4, "513 at 1000");
        assert_eq!(kinds.pointers, 4, "1004 at the end");
        assert_eq!(kinds.zeros, 1 + 1 + 5);
        assert_eq!(kinds.binary, 2 + 1 + 1);
        assert_eq!(kinds.longest_texts, ["invalid type: map"]);
        let total = kinds.catalog + kinds.app_paths + kinds.dependency_paths + kinds.other_text + kinds.pointers + kinds.small_numbers + kinds.zeros + kinds.binary;
        assert_eq!(total, data.len(), "every byte is counted once");
    }
}
