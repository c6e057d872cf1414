//! After trunk: the stable `op-console.js` entry next to the hashed files, an index.html
//! without inline script (strict CSP), and the cache policy for a CDN.

use std::path::Path;

use anyhow::{bail, Context, Result};

/// The entry's template, with `__OPC_MODULE__`, `__OPC_WASM__` and `__OPC_CSS__` for the
/// hashed file names.
const TEMPLATE: &str = include_str!("../../src/embed/op-console.js");
pub const ENTRY: &str = "op-console.js";

pub fn finish(out: &Path, public_url: &str) -> Result<()> {
    let module = hashed(out, "op-console-", ".js")?;
    let wasm = hashed(out, "op-console-", "_bg.wasm")?;
    let css = hashed(out, "console-", ".css")?;
    let entry = TEMPLATE.replace("__OPC_MODULE__", &module).replace("__OPC_WASM__", &wasm).replace("__OPC_CSS__", &css);
    std::fs::write(out.join(ENTRY), entry).context("writing op-console.js")?;

    let index_path = out.join("index.html");
    let index = std::fs::read_to_string(&index_path).context("reading index.html")?;
    std::fs::write(&index_path, without_inline_loader(&index, public_url)?).context("writing index.html")?;
    std::fs::write(out.join("_headers"), cache_policy(public_url)).context("writing _headers")?;
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

/// Netlify / Cloudflare Pages `_headers`; the same rules apply on any CDN.
fn cache_policy(public_url: &str) -> String {
    format!(
        "# Op Console cache policy. Hashed files never change; the entry points must be revalidated.\n\
         {public_url}*\n  Cache-Control: public, max-age=31536000, immutable\n  \
         Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'\n\
         {public_url}index.html\n  Cache-Control: no-cache\n\
         {public_url}{ENTRY}\n  Cache-Control: no-cache\n\
         {public_url}config.json\n  Cache-Control: no-cache\n"
    )
}

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
        assert!(cache_policy("/a/").contains("/a/op-console.js\n  Cache-Control: no-cache"));
    }
}
