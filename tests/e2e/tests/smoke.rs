//! The release build loads and renders: a broken wasm optimiser or loader shows up here as
//! a blank page or a console error.

use op_e2e::Harness;
use serde_json::json;

#[tokio::test]
async fn page_loads_without_console_errors() -> anyhow::Result<()> {
    let h = Harness::signed_in().await?;
    h.goto("/").await?;
    // zh-CN is the default locale: "Search conversations".
    h.by_role("form", "搜索会话").await?;
    assert_eq!(h.client().title().await?, "Op Console");
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn app_config_switches_to_english() -> anyhow::Result<()> {
    let h = Harness::builder().signed_in().app_config(json!({ "locale": "en" })).start().await?;
    h.goto("/").await?;
    h.by_role("form", "Search conversations").await?;
    h.assert_no_console_errors().await?;
    Ok(())
}

/// Proves that `console_errors` sees what the page logs, so the checks above mean something.
#[tokio::test]
async fn console_errors_are_reported() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.goto("/").await?;
    h.eval("console.error('deliberate e2e error')", vec![]).await?;
    let errors = h.console_errors().await?;
    assert!(errors.iter().any(|e| e.message.contains("deliberate e2e error")), "{errors:?}");
    assert!(h.console_errors().await?.is_empty(), "entries are handed out once");
    Ok(())
}
