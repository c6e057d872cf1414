//! The release build loads and renders: a broken wasm optimiser or loader shows up here as
//! a blank page or a console error.

use op_e2e::Harness;

#[tokio::test]
async fn page_loads_without_console_errors() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.goto("/").await?;
    h.by_role("form", "Search conversations").await?;
    assert_eq!(h.client().title().await?, "Op Console");
    h.assert_no_console_errors().await?;
    Ok(())
}

/// Proves that `console_errors` sees what the page logs, so the check above means something.
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
