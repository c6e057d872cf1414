//! Accessibility checks with axe-core, and the app's failure signals (panic box, canary).
//!
//! axe-core is the npm package that `cargo xtask setup --browser` installs into the tools
//! dir (`OPC_TOOLS_DIR`, default `~/.cache/op-console/tools`); the harness injects its
//! `axe.min.js` into the page with `execute_script`.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

use crate::Harness;

/// `<tools dir>/node_modules/axe-core/axe.min.js`.
pub fn axe_path() -> Result<PathBuf> {
    let dir = match (std::env::var_os("OPC_TOOLS_DIR"), std::env::var_os("HOME")) {
        (Some(dir), _) => PathBuf::from(dir),
        (None, Some(home)) => PathBuf::from(home).join(".cache/op-console/tools"),
        (None, None) => bail!("neither OPC_TOOLS_DIR nor HOME is set: cannot find axe-core"),
    };
    Ok(dir.join("node_modules/axe-core/axe.min.js"))
}

const RUN_AXE_JS: &str = r#"
const [context, disabled, done] = arguments;
const rules = {};
for (const id of disabled) rules[id] = { enabled: false };
axe.run(context ? document.querySelector(context) : document,
        { rules, resultTypes: ['violations'] })
  .then(r => done(r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map(n => ({ target: n.target.join(' '), summary: n.failureSummary })) }))))
  .catch(e => done({ error: String(e) }));
"#;

impl Harness {
    /// Runs axe-core on the page (or on the first element matching `context`) with the rules
    /// in `disabled` turned off, and returns its violations (id, impact, help, up to five nodes).
    pub async fn axe(&self, context: Option<&str>, disabled: &[&str]) -> Result<Vec<Value>> {
        let loaded = self.eval("return typeof window.axe === 'object'", vec![]).await?;
        if loaded != json!(true) {
            let path = axe_path()?;
            let source = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {} (run `cargo xtask setup --browser`)", path.display()))?;
            self.eval(&source, vec![]).await.context("injecting axe-core")?;
        }
        let result = self
            .client()
            .execute_async(RUN_AXE_JS, vec![context.into(), json!(disabled)])
            .await
            .context("running axe-core")?;
        if let Some(error) = result.get("error") {
            bail!("axe-core failed: {error}");
        }
        result.as_array().cloned().context("axe-core returned no list")
    }

    /// Fails with a readable list if axe-core reports any violation (see [`Harness::axe`]).
    pub async fn assert_accessible(&self, what: &str, context: Option<&str>, disabled: &[&str]) -> Result<()> {
        let violations = self.axe(context, disabled).await?;
        if !violations.is_empty() {
            let list: Vec<String> = violations
                .iter()
                .map(|v| {
                    let nodes: Vec<String> = v["nodes"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|n| format!("      {}: {}", n["target"].as_str().unwrap_or("?"), n["summary"].as_str().unwrap_or("").replace('\n', " ")))
                        .collect();
                    format!("  {} ({}): {}\n{}", v["id"].as_str().unwrap_or("?"), v["impact"].as_str().unwrap_or("?"), v["help"].as_str().unwrap_or(""), nodes.join("\n"))
                })
                .collect();
            bail!("{} axe violation(s) on {what}:\n{}", violations.len(), list.join("\n"));
        }
        Ok(())
    }

    /// Fails if the panic box (`.opc-panic`) is on the page or in a console's shadow root,
    /// or a console entry since the previous console check says "panicked at" or is a wasm trap. Consumes the console log like
    /// [`Harness::console_errors`].
    pub async fn assert_no_panic(&self) -> Result<()> {
        // Embedded consoles show theirs inside their own shadow root.
        let boxed = self
            .eval(
                "return !!document.querySelector('.opc-panic')
                   || Array.from(document.querySelectorAll('*')).some((e) => !!e.shadowRoot?.querySelector('.opc-panic'))",
                vec![],
            )
            .await?;
        let panicked: Vec<String> = self
            .console_errors()
            .await?
            .into_iter()
            // A panic's message, and the trap (`panic = "abort"`) that stops the instance.
            .filter(|e| e.message.contains("panicked at") || e.message.contains("RuntimeError: unreachable"))
            .map(|e| e.to_string())
            .collect();
        if boxed == json!(true) || !panicked.is_empty() {
            bail!("the app panicked (panic box shown: {boxed}):\n  {}", panicked.join("\n  "));
        }
        Ok(())
    }

    /// A Chrome DevTools Protocol command (e.g. `Performance.getMetrics`) through chromedriver.
    pub async fn cdp(&self, method: &str, params: Value) -> Result<Value> {
        let command = crate::browser::Cdp { method: method.to_owned(), params };
        self.client().issue_cmd(command).await.with_context(|| format!("CDP {method}"))
    }
}
