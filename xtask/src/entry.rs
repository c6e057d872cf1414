//! After trunk: the stable `op-console.js` entry next to the hashed files, an index.html
//! without inline script (strict CSP), and the cache policy for a CDN.

use std::path::Path;

use anyhow::{bail, Context, Result};

/// The entry's template, with `__OPC_MODULE__`, `__OPC_WASM__` and `__OPC_CSS__` for the
/// hashed file names.
const TEMPLATE: &str = include_str!("../../src/embed/op-console.js");
pub const ENTRY: &str = "op-console.js";

pub fn finish(out: &Path, public_url: &str, split: &crate::split::SplitFiles) -> Result<()> {
    let module = hashed(out, "op-console-", ".js")?;
    let wasm = hashed(out, "op-console-", "_bg.wasm")?;
    let css = hashed(out, "console-", ".css")?;
    let favicon = hashed(out, "favicon-", ".svg")?;
    let entry = TEMPLATE.replace("__OPC_MODULE__", &module).replace("__OPC_WASM__", &wasm).replace("__OPC_CSS__", &css);
    std::fs::write(out.join(ENTRY), entry).context("writing op-console.js")?;

    let index_path = out.join("index.html");
    let index = std::fs::read_to_string(&index_path).context("reading index.html")?;
    std::fs::write(&index_path, without_inline_loader(&index, public_url)?).context("writing index.html")?;
    let mut immutable = vec![module.as_str(), wasm.as_str(), css.as_str(), favicon.as_str(), split.loader.as_str(), "snippets/*"];
    immutable.extend(split.chunks.iter().map(String::as_str));
    std::fs::write(out.join("_headers"), cache_policy(public_url, &immutable)).context("writing _headers")?;
    Ok(())
}

/// The one file in `out` named `prefix…suffix` (the hash in between).
fn hashed(out: &Path, prefix: &str, suffix: &str) -> Result<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(out).with_context(|| format!("listing {}", out.display()))? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        let middle = name.strip_prefix(prefix).and_then(|rest| rest.strip_suffix(suffix));
        if middle.is_some_and(|hash| !hash.is_empty() && hash.chars().all(|c| c.is_ascii_hexdigit())) {
            found.push(name);
        }
    }
    match found.as_slice() {
        [one] => Ok(one.clone()),
        _ => bail!("expected one {prefix}<hash>{suffix} in {}, found {found:?}", out.display()),
    }
}

/// trunk's inline `<script type="module">` loader, replaced by the entry file.
fn without_inline_loader(index: &str, public_url: &str) -> Result<String> {
    let start = index.find("<script type=\"module\">").context("index.html has no inline module loader")?;
    let end = start + index[start..].find("</script>").context("unterminated loader script")? + "</script>".len();
    Ok(format!("{}<script type=\"module\" src=\"{public_url}{ENTRY}\"></script>{}", &index[..start], &index[end..]))
}

/// Netlify / Cloudflare Pages `_headers`; the same rules apply on any CDN. Such hosts merge
/// the values of a header from every matching rule, so `Cache-Control` is set per file,
/// never through a catch-all that would add `immutable` to the entry points.
fn cache_policy(public_url: &str, immutable: &[&str]) -> String {
    let mut policy = format!(
        "# Op Console cache policy. Hashed files (and the hashed snippets directory) never change;\n\
         # the entry points must be revalidated on every load. Add your API origin to connect-src\n\
         # and your avatar hosts to img-src when they are not this origin.\n\
         {public_url}*\n  Content-Security-Policy: {CSP}\n"
    );
    for name in immutable {
        policy += &format!("{public_url}{name}\n  Cache-Control: public, max-age=31536000, immutable\n");
    }
    for name in ["index.html", ENTRY, "config.json"] {
        policy += &format!("{public_url}{name}\n  Cache-Control: no-cache\n");
    }
    policy
}

/// What the app needs and no more: `'wasm-unsafe-eval'` compiles the wasm, nothing is inline.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inline_loader_becomes_the_entry() {
        let index = "<head>\n<script type=\"module\">\nimport init from '/x.js';\n</script>\n<link rel=\"icon\"></head>";
        assert_eq!(
            without_inline_loader(index, "/cdn/x/").expect("rewritten"),
            "<head>\n<script type=\"module\" src=\"/cdn/x/op-console.js\"></script>\n<link rel=\"icon\"></head>"
        );
        assert!(without_inline_loader("<head></head>", "/").is_err());
    }

    #[test]
    fn the_template_names_every_placeholder() {
        for placeholder in ["__OPC_MODULE__", "__OPC_WASM__", "__OPC_CSS__"] {
            assert!(TEMPLATE.contains(placeholder), "{placeholder}");
        }
        let policy = cache_policy("/a/", &["op-console-0a1b.js"]);
        assert!(policy.contains("/a/op-console.js\n  Cache-Control: no-cache"), "{policy}");
        assert!(policy.contains("/a/op-console-0a1b.js\n  Cache-Control: public, max-age=31536000, immutable"), "{policy}");
        assert_eq!(policy.matches("Cache-Control").count(), 4, "one per file, no catch-all: {policy}");
    }
}
