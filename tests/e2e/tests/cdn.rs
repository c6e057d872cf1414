//! The CDN build (`cargo xtask dist --public-url /cdn/x/`): served under that path by the
//! sandbox with the strict CSP of DESIGN §5, the standalone page and an embedding page work
//! with no console error (a CSP violation is one); the folder describes its cache policy
//! and has no inline script.
//!
//! The build comes from `OPC_CDN_DIST`, else `<workspace>/target/dist-cdn` (`cargo xtask
//! test` makes it there).

use std::path::{Path, PathBuf};

use anyhow::{bail, ensure, Context, Result};
use op_e2e::{english_config, Harness, E2E_TOKEN};
use serde_json::Value;

const PUBLIC_URL: &str = "/cdn/x/";

fn cdn_dist() -> Result<PathBuf> {
    let dir = match std::env::var_os("OPC_CDN_DIST") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/dist-cdn"),
    };
    if !dir.join("index.html").is_file() {
        bail!(
            "no CDN build in {}: run `cargo xtask dist --public-url {PUBLIC_URL} --out target/dist-cdn` (or `cargo xtask test`), or set OPC_CDN_DIST",
            dir.display()
        );
    }
    Ok(dir)
}

/// The CDN build under `/cdn/x/` with `--csp`; `portal`: a host page directory for `/portal/`.
async fn served(portal: Option<PathBuf>) -> Result<Harness> {
    let dist = cdn_dist()?;
    Harness::builder()
        .signed_in()
        .app_config(english_config())
        .sandbox(|o| {
            o.dist = Some(dist);
            o.mount = PUBLIC_URL.into();
            o.csp = true;
            o.portal = portal;
        })
        .start()
        .await
}

/// The response headers of `path`, read by the page itself.
async fn headers(h: &Harness, path: &str) -> Result<Value> {
    h.eval(
        "const xhr = new XMLHttpRequest(); xhr.open('GET', arguments[0], false); xhr.send();
         return { status: xhr.status, csp: xhr.getResponseHeader('content-security-policy') };",
        vec![path.into()],
    )
    .await
}

#[tokio::test]
async fn the_standalone_page_runs_under_its_path_with_a_strict_csp() -> Result<()> {
    let h = served(None).await?;
    h.goto("/cdn/x/?nick=%E9%98%BF%E6%B4%8B&start=2015-01-01&end=2015-12-31").await?;
    // English: config.json was found next to the module, under the sub-path.
    h.by_role("form", "Search conversations").await?;
    let rows = h.wait_rows("the 12 seed rows", |rows| rows.len() == 12).await?;
    h.eval("document.querySelector(`tr[data-chat-id='${arguments[0]}'] td`).click()", vec![rows[0].clone().into()]).await?;
    h.by_role("dialog", "Chat details").await?;
    // The after-results chunk is in once the Views menu is.
    h.by_role("button", "Views").await?;

    let served = headers(&h, PUBLIC_URL).await?;
    assert_eq!(served["status"], 200);
    let csp = served["csp"].as_str().context("the page came with a CSP")?;
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'") && !csp.contains("unsafe-inline"), "{csp}");
    // Every app file came from under the public URL.
    let loaded = h
        .eval(
            "return performance.getEntriesByType('resource').map((e) => new URL(e.name))
               .filter((u) => u.origin === location.origin && !u.pathname.startsWith('/op/v2/') && !u.pathname.startsWith('/__sandbox/'))
               .map((u) => u.pathname);",
            vec![],
        )
        .await?;
    let loaded: Vec<&str> = loaded.as_array().context("resource list")?.iter().filter_map(Value::as_str).collect();
    for kind in [".wasm", "op-console.js", ".css", "config.json"] {
        ensure!(loaded.iter().any(|p| p.ends_with(kind)), "no {kind} among {loaded:?}");
    }
    // The split build's chunks came from next to the entry too (the drawer's on its open).
    for chunk in ["/after_results-", "/drawer-"] {
        ensure!(loaded.iter().any(|p| p.contains(chunk) && p.ends_with(".wasm")), "no {chunk}….wasm among {loaded:?}");
    }
    ensure!(loaded.iter().all(|p| p.starts_with(PUBLIC_URL)), "loaded outside {PUBLIC_URL}: {loaded:?}");
    h.assert_no_console_errors().await?;
    Ok(())
}

/// The fenced code block of README.md whose first line is `first_line` (the snippets the
/// README offers for copy and paste are the ones tested here).
fn doc_snippet(first_line: &str) -> Result<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md");
    let doc = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut blocks = doc.split("```").skip(1).step_by(2);
    let block = blocks.find(|block| block.lines().nth(1) == Some(first_line)).with_context(|| format!("no snippet starting with {first_line:?}"))?;
    // Drop the info string line (`html`, `js`).
    Ok(block.split_once('\n').map(|(_, code)| code.to_owned()).unwrap_or_default())
}

#[tokio::test]
async fn the_entry_embeds_from_the_cdn_path_under_the_csp() -> Result<()> {
    // The docs' host page, its script, and what they rely on: a favicon and a session
    // endpoint that hands out the operator's token.
    let host = tempfile::Builder::new().prefix("op-e2e-cdn-host-").tempdir()?;
    std::fs::write(host.path().join("index.html"), doc_snippet("<!-- index.html -->")?)?;
    std::fs::write(host.path().join("host.js"), doc_snippet("// host.js")?)?;
    std::fs::write(host.path().join("favicon.svg"), r#"<svg xmlns="http://www.w3.org/2000/svg"/>"#)?;
    std::fs::write(host.path().join("op-token"), E2E_TOKEN)?;
    let h = served(Some(host.path().to_owned())).await?;
    h.goto("/portal/").await?;
    assert!(headers(&h, "/portal/").await?["csp"].is_string(), "the host page is under the CSP too");
    h.by_role("form", "Search conversations").await?;
    let styled = h
        .wait_until("rows in the shadow root", || async {
            let found = h
                .eval(
                    "const root = document.querySelector('op-chat-search').shadowRoot;
                     const rows = root?.querySelectorAll('tr.opc-row').length ?? 0;
                     return rows ? getComputedStyle(root.querySelector('.opc-app')).fontSize : null;",
                    vec![],
                )
                .await?;
            Ok(found.as_str().map(str::to_owned))
        })
        .await?;
    // The stylesheet inside the shadow root was allowed by `style-src 'self'`.
    assert_eq!(styled, "14px");
    // Every request carried the session's token, asked for through getToken() each time.
    let tokens: Vec<Value> = h.requests().await?.iter().map(|r| r["query"]["token"].clone()).collect();
    assert!(!tokens.is_empty() && tokens.iter().all(|t| t == E2E_TOKEN), "{tokens:?}");
    let asked = h.eval("return performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/portal/op-token')).length", vec![]).await?;
    assert!(asked.as_u64() >= Some(tokens.len() as u64), "getToken() asked {asked} times for {} requests", tokens.len());
    h.assert_no_console_errors().await?;
    Ok(())
}

#[test]
fn the_folder_has_hashed_assets_a_cache_policy_and_no_inline_script() -> Result<()> {
    let dist = cdn_dist()?;
    let names: Vec<String> = std::fs::read_dir(&dist)?
        .map(|entry| Ok(entry?.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_>>()?;
    let hashed = |prefix: &str, suffix: &str| {
        names.iter().any(|n| n.strip_prefix(prefix).and_then(|r| r.strip_suffix(suffix)).is_some_and(|h| h.len() >= 8 && h.chars().all(|c| c.is_ascii_hexdigit())))
    };
    let chunks = [("op-console-loader-", ".js"), ("after_results-", ".wasm"), ("drawer-", ".wasm")];
    for (prefix, suffix) in [("op-console-", ".js"), ("op-console-", "_bg.wasm"), ("console-", ".css")].into_iter().chain(chunks) {
        ensure!(hashed(prefix, suffix), "no hashed {prefix}…{suffix} in {names:?}");
    }
    ensure!(names.iter().any(|n| n == "op-console.js"), "the stable entry is missing: {names:?}");

    let index = std::fs::read_to_string(dist.join("index.html"))?;
    for tag in index.split("<script").skip(1) {
        let open = tag.split('>').next().unwrap_or_default();
        ensure!(open.contains(" src="), "an inline script in index.html: <script{open}>");
    }
    ensure!(!index.contains("<style") && !index.contains(" style="), "inline style in index.html");
    for attribute in ["href=\"/", "src=\"/"] {
        for at in index.match_indices(attribute).map(|(i, _)| i + attribute.len() - 1) {
            ensure!(index[at..].starts_with(PUBLIC_URL), "an asset outside {PUBLIC_URL}: {}", &index[at..at + 40]);
        }
    }

    let policy = std::fs::read_to_string(dist.join("_headers")).context("the cache policy (_headers)")?;
    let rules = header_rules(&policy);
    let cache = |path: &str| rules.iter().filter(|(p, _)| p == path).flat_map(|(_, h)| h).find(|h| h.starts_with("Cache-Control:")).cloned();
    for stable in ["index.html", "op-console.js", "config.json"] {
        assert_eq!(cache(&format!("{PUBLIC_URL}{stable}")).as_deref(), Some("Cache-Control: no-cache"), "{policy}");
    }
    for name in names.iter().filter(|n| n.ends_with(".wasm") || (n.starts_with("op-console-") && n.ends_with(".js"))) {
        let rule = cache(&format!("{PUBLIC_URL}{name}")).with_context(|| format!("no rule for {name}:\n{policy}"))?;
        assert!(rule.contains("immutable"), "{rule}");
    }
    let csp = rules.iter().flat_map(|(_, h)| h).find(|h| h.starts_with("Content-Security-Policy:")).context("a CSP rule")?;
    assert!(csp.contains("'wasm-unsafe-eval'") && !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"), "{csp}");
    Ok(())
}

/// `_headers` as (path, headers) pairs; a path line starts in column 0, its headers are indented.
fn header_rules(text: &str) -> Vec<(String, Vec<String>)> {
    let mut rules: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        match (line.starts_with([' ', '\t']), rules.last_mut()) {
            (true, Some((_, headers))) => headers.push(line.trim().to_owned()),
            _ => rules.push((line.trim().to_owned(), Vec::new())),
        }
    }
    rules
}

#[test]
fn header_rules_are_read_by_path() {
    let rules = header_rules("# note\n/a/*\n  X: 1\n/a/b\n  Y: 2\n  Z: 3\n");
    assert_eq!(rules, vec![("/a/*".into(), vec!["X: 1".into()]), ("/a/b".into(), vec!["Y: 2".into(), "Z: 3".into()])]);
}
