//! The split build's lazy parts against the real sandbox: the chunks come after the first
//! results (the drawer's too, ahead of its first open), and a chunk that fails to arrive
//! (offline, a deploy in between; here the browser blocks its URL) is an error in the
//! operator's language with Retry where the part is used, which loads it once it is
//! reachable again.

use anyhow::{ensure, Result};
use op_e2e::{english_config, Harness, E2E_TOKEN};
use serde_json::{json, Value};

const SEED_CHAT: &str = "u0001d6ddfcbef27e45aeaee5bf7db6ac83b5";
const SEED_QUERY: &str = "/?nick=%E9%98%BF%E6%B4%8B&start=2015-01-01&end=2015-12-31";
const NOT_LOADED: &str = "This part of the console could not be loaded.";

async fn english() -> Result<Harness> {
    Harness::builder().app_config(english_config()).start().await
}

/// Makes the browser fail every request whose URL matches one of `patterns` (`*` wildcards).
async fn block(h: &Harness, patterns: &[&str]) -> Result<()> {
    h.cdp("Network.enable", json!({})).await?;
    h.cdp("Network.setBlockedURLs", json!({ "urls": patterns })).await?;
    Ok(())
}

/// The wasm files the page fetched, by file name.
async fn fetched_wasm(h: &Harness) -> Result<Vec<String>> {
    let names = h
        .eval(
            "return performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname.split('/').pop())
               .filter((n) => n.endsWith('.wasm'));",
            vec![],
        )
        .await?;
    Ok(names.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect())
}

async fn part_errors(h: &Harness) -> Result<usize> {
    let alerts = h.all_by_role("alert", None).await?;
    let mut count = 0;
    for alert in alerts {
        count += usize::from(alert.text().await?.contains(NOT_LOADED));
    }
    Ok(count)
}

#[tokio::test]
async fn chunks_come_after_the_first_results() -> Result<()> {
    let h = english().await?;
    h.goto(SEED_QUERY).await?;
    h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    h.by_role("button", "Views").await?;
    let fetched = h
        .wait_until("both chunks", || async {
            let fetched = fetched_wasm(&h).await?;
            let both = ["after_results-", "drawer-"].iter().all(|chunk| fetched.iter().any(|n| n.starts_with(chunk)));
            Ok(both.then_some(fetched))
        })
        .await?;
    let times = h
        .eval(
            "const mark = performance.getEntriesByName('opc:first-results')[0].startTime;
             const chunks = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm') && !e.name.includes('/op-console-'));
             return [mark, Math.min(...chunks.map((e) => e.startTime))];",
            vec![],
        )
        .await?;
    ensure!(times[0].as_f64() <= times[1].as_f64() && times[0].is_number(), "first results (ms) before any chunk ({fetched:?}) was asked for: {times}");

    h.wait_for(&format!("tr.opc-row[data-chat-id='{SEED_CHAT}']")).await?.click().await?;
    h.wait_for(&format!("[role=dialog] .opc-chat[data-chat-id='{SEED_CHAT}']")).await?;
    ensure!(fetched_wasm(&h).await?.iter().filter(|n| n.starts_with("drawer-")).count() == 1, "the drawer's chunk is fetched once");
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn a_drawer_chunk_that_does_not_arrive_says_so_and_retry_loads_it() -> Result<()> {
    let h = english().await?;
    block(&h, &["*/drawer-*.wasm"]).await?;
    h.goto(SEED_QUERY).await?;
    h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    // The after-results chunk (and what it shares with the drawer's) is in; the drawer's
    // fetch ahead of time failed without a word on the page.
    h.by_role("button", "Views").await?;
    ensure!(part_errors(&h).await? == 0, "an error before the drawer was opened");

    h.wait_for(&format!("tr.opc-row[data-chat-id='{SEED_CHAT}']")).await?.click().await?;
    h.wait_until("the part's error", || async { Ok((part_errors(&h).await? == 1).then_some(())) }).await?;
    let retry = h.by_role("button", "Retry").await?;
    // The blocked load is reported on the console (the browser, and the loader saying
    // why); nothing else is (avatars of other origins do not count).
    let own = format!("{}/", h.base_url());
    let errors: Vec<String> =
        h.console_errors().await?.iter().filter(|e| !e.is_failed_load_outside(&own)).map(ToString::to_string).collect();
    ensure!(!errors.is_empty() && errors.iter().all(|e| e.contains("/drawer-") || e.contains("Failed to fetch")), "{errors:?}");

    // Still unreachable: Retry says so again.
    retry.click().await?;
    h.wait_until("the part's error again", || async { Ok((part_errors(&h).await? == 1).then_some(())) }).await?;
    h.console_errors().await?;

    block(&h, &[]).await?;
    h.by_role("button", "Retry").await?.click().await?;
    h.wait_for(&format!("[role=dialog] .opc-chat[data-chat-id='{SEED_CHAT}']")).await?;
    ensure!(part_errors(&h).await? == 0, "the error is gone");
    h.by_role("dialog", "Chat details").await?;
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn after_results_parts_that_do_not_arrive_leave_the_results_and_one_retry_loads_them_all() -> Result<()> {
    let h = english().await?;
    block(&h, &["*/after_results-*.wasm"]).await?;
    h.goto(SEED_QUERY).await?;
    h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    // The chart, the views menu, the live banner, the selection bar and the export panel
    // each say so; the table is there and works.
    h.wait_until("the parts' errors", || async { Ok((part_errors(&h).await? >= 2).then_some(())) }).await?;
    h.console_errors().await?;

    block(&h, &[]).await?;
    h.all_by_role("button", Some("Retry")).await?[0].click().await?;
    h.by_role("button", "Views").await?;
    h.by_role("figure", "Conversations over time").await?;
    h.wait_until("no part's error", || async { Ok((part_errors(&h).await? == 0).then_some(())) }).await?;
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn the_part_error_speaks_the_operators_language() -> Result<()> {
    let h = Harness::builder().app_config(json!({ "locale": "zh-TW", "token": E2E_TOKEN })).start().await?;
    block(&h, &["*/drawer-*.wasm"]).await?;
    h.goto(&format!("{SEED_QUERY}&chat={SEED_CHAT}")).await?;
    let alert = h
        .wait_until("the part's error", || async {
            for alert in h.all_by_role("alert", None).await? {
                let text = alert.text().await?;
                if text.contains("控制台的這個部分無法載入") {
                    return Ok(Some(text));
                }
            }
            Ok(None)
        })
        .await?;
    ensure!(alert.contains("重試"), "{alert}");
    Ok(())
}
