//! Live updates (issue 15) against the sandbox, with `refreshSeconds: 1`: the banner after
//! the sandbox adds conversations (English and Chinese), Show bringing them to page 1 and
//! nothing moving before it, no asking while the document is hidden, a search loads, an
//! export runs or after an unmount (the sandbox's request log), and the back-off after
//! failed asks.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{ensure, Context, Result};
use op_e2e::Harness;
use serde_json::{json, Value};

/// Both languages' names of the banner's parts.
struct Texts {
    locale: &'static str,
    banner: &'static str,
    show: &'static str,
}

const EN: Texts = Texts { locale: "en", banner: "3 new conversations", show: "Show" };
const ZH: Texts = Texts { locale: "zh-CN", banner: "3 条新会话", show: "显示" };

/// The chart is shipped off in these tests: its count calls are, on the wire, the same
/// one-row `chatSearchs` as the live list's asks (the sandbox's fault target `counts`).
async fn live_console(t: &Texts) -> Result<Harness> {
    Harness::builder().app_config(json!({ "locale": t.locale, "token": "e2e-token", "refreshSeconds": 1, "chart": false })).start().await
}

/// The banner's text (its status role), or "" while it has nothing to say.
async fn banner(h: &Harness) -> Result<String> {
    let text = h.eval("return document.querySelector('.opc-live')?.textContent.trim() ?? null", vec![]).await?;
    text.as_str().map(str::to_owned).context("the banner is in the page")
}

async fn new_conversations_appear_after_show(t: &Texts) -> Result<()> {
    let h = live_console(t).await?;
    h.goto("/").await?;
    let before = h.wait_rows("the rows of the last 30 days", |rows| rows.len() == 20).await?;
    // The live list loads after the first results (its chunk, in the split build).
    h.wait_until("the live list in the page", || async {
        Ok((h.eval("return !!document.querySelector('.opc-live')", vec![]).await? == json!(true)).then_some(()))
    })
    .await?;
    assert_eq!(h.eval("return document.querySelector('.opc-live').getAttribute('role')", vec![]).await?, json!("status"));
    // Asks go out while nothing is new, and say nothing.
    h.wait_until("a first ask", || async { Ok((!h.live_asks().await?.is_empty()).then_some(())) }).await?;
    assert_eq!(banner(&h).await?, "");

    let added = h.add_conversations(3).await?;
    h.wait_until("the banner", || async { Ok(Some(banner(&h).await?).filter(|b| b == &format!("{}{}", t.banner, t.show))) }).await?;
    h.assert_accessible("the live banner", None, &[]).await?;
    // Nothing moved under the operator: the table is as it was until Show.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(h.rows_now().await?.as_deref(), Some(before.as_slice()));

    h.by_role("button", t.show).await?.click().await?;
    let rows = h.wait_rows("the new conversations on top", |rows| rows.get(..3) == Some(added.as_slice())).await?;
    assert_eq!(rows[3..], before[..17], "the rest moved down by three");
    let marked = h.eval("return Array.from(document.querySelectorAll('tr.opc-row--new')).map((r) => r.dataset.chatId)", vec![]).await?;
    assert_eq!(marked, json!(added), "the new rows are highlighted");
    assert_eq!(h.focused().await?, json!(added[0]), "focus on the newest (Show is gone)");
    h.wait_until("the banner to clear", || async { Ok(banner(&h).await?.is_empty().then_some(())) }).await?;
    h.wait_until("the highlight to fade", || async {
        let marked = h.eval("return document.querySelectorAll('tr.opc-row--new').length", vec![]).await?;
        Ok((marked == json!(0)).then_some(()))
    })
    .await?;
    let asks = h.live_asks().await?;
    assert!(asks.iter().all(|ask| ask["pageNum"] == json!(1) && ask["startTime"] != Value::Null), "{asks:?}");
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn new_conversations_appear_after_show_in_english() -> Result<()> {
    new_conversations_appear_after_show(&EN).await
}

#[tokio::test]
async fn new_conversations_appear_after_show_in_chinese() -> Result<()> {
    new_conversations_appear_after_show(&ZH).await
}

/// Makes the document hidden or visible again, as a background tab would be.
async fn set_hidden(h: &Harness, hidden: bool) -> Result<()> {
    h.eval(
        "const hidden = arguments[0];
         Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
         Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => hidden ? 'hidden' : 'visible' });
         document.dispatchEvent(new Event('visibilitychange'));",
        vec![hidden.into()],
    )
    .await
    .map(drop)
}

/// Asserts that no ask went out for `quiet` (the interval is 1 s).
async fn no_asks_for(h: &Harness, quiet: Duration, why: &str) -> Result<()> {
    h.clear_requests().await?;
    tokio::time::sleep(quiet).await;
    let asks = h.live_asks().await?;
    ensure!(asks.is_empty(), "{why}: {} asks: {asks:?}", asks.len());
    Ok(())
}

async fn asks_resume(h: &Harness, why: &str) -> Result<()> {
    h.clear_requests().await?;
    h.wait_until(why, || async { Ok((!h.live_asks().await?.is_empty()).then_some(())) }).await
}

#[tokio::test]
async fn no_asks_while_hidden_loading_or_exporting() -> Result<()> {
    let downloads = tempfile::tempdir()?;
    let h = Harness::builder()
        .app_config(json!({ "locale": "en", "token": "e2e-token", "refreshSeconds": 1, "chart": false }))
        .download_dir(downloads.path())
        .start()
        .await?;
    h.goto("/").await?;
    h.wait_rows("the rows", |rows| rows.len() == 20).await?;
    asks_resume(&h, "asks while visible").await?;

    set_hidden(&h, true).await?;
    // An ask already in flight may land just after: let it.
    tokio::time::sleep(Duration::from_millis(300)).await;
    no_asks_for(&h, Duration::from_millis(3500), "while hidden").await?;
    set_hidden(&h, false).await?;
    asks_resume(&h, "asks once visible again").await?;

    // A slow search: no asks while it loads (hidden while the fault is queued, so that an
    // ask cannot take it).
    set_hidden(&h, true).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    h.queue_fault(json!({ "endpoint": "chatSearchs", "delayMs": 6000 })).await?;
    h.fill("Nickname", "a").await?;
    h.by_role("button", "Search").await?.click().await?;
    h.wait_until("the search loading", || async {
        Ok((h.eval("return document.querySelector('table.opc-table').getAttribute('aria-busy')", vec![]).await? == json!("true")).then_some(()))
    })
    .await?;
    set_hidden(&h, false).await?;
    no_asks_for(&h, Duration::from_millis(2500), "while a search loads").await?;
    h.wait_rows("the search's rows", |_| true).await?;
    asks_resume(&h, "asks after the search").await?;

    // A slow export: no asks while it runs.
    set_hidden(&h, true).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    h.queue_fault(json!({ "endpoint": "chatSearchs", "delayMs": 6000 })).await?;
    h.by_role("button", "Export CSV").await?.click().await?;
    h.wait_until("the export running", || async {
        Ok((h.by_role("button", "Export CSV").await?.attr("disabled").await?.is_some()).then_some(()))
    })
    .await?;
    set_hidden(&h, false).await?;
    no_asks_for(&h, Duration::from_millis(2500), "while an export runs").await?;
    h.wait_until("the export to end", || async {
        Ok((h.by_role("button", "Export CSV").await?.attr("disabled").await?.is_none()).then_some(()))
    })
    .await?;
    asks_resume(&h, "asks after the export").await?;

    // A range without today: nothing can be new, nothing is asked.
    h.goto("/?start=2015-01-01&end=2015-12-31").await?;
    h.wait_rows("2015's rows", |rows| !rows.is_empty()).await?;
    no_asks_for(&h, Duration::from_millis(2500), "for a range without today").await?;
    // Nor on page 2.
    h.goto("/?page=2").await?;
    h.wait_rows("page 2", |rows| !rows.is_empty()).await?;
    no_asks_for(&h, Duration::from_millis(2500), "on page 2").await?;
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn failed_asks_back_off_quietly_and_a_success_resets() -> Result<()> {
    let h = live_console(&EN).await?;
    h.goto("/").await?;
    h.wait_rows("the rows", |rows| rows.len() == 20).await?;
    asks_resume(&h, "asks while visible").await?;
    set_hidden(&h, true).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    h.queue_fault(json!({ "endpoint": "counts", "fail": "http500", "count": 2 })).await?;
    h.clear_requests().await?;
    set_hidden(&h, false).await?;
    // Two failures: waits of 2 and 4 s after them; after the success, 1 s again.
    let times = h
        .wait_until("four asks", || async {
            let asks = ask_times(&h).await?;
            Ok((asks.len() >= 4).then_some(asks))
        })
        .await?;
    let gaps: Vec<f64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    let expected = [2.0, 4.0, 1.0];
    for (gap, want) in gaps.iter().zip(expected) {
        ensure!((want - 0.3..want + 1.2).contains(gap), "gaps {gaps:?}, expected about {expected:?}");
    }
    let error_boxes = h.eval("return document.querySelectorAll('.opc-error').length", vec![]).await?;
    assert_eq!(error_boxes, json!(0), "no error box for a failed ask");
    assert_eq!(h.rows_now().await?.map(|r| r.len()), Some(20), "the table as it was");
    Ok(())
}

/// Seconds (since the epoch) at which the sandbox received each ask, oldest first.
async fn ask_times(h: &Harness) -> Result<Vec<f64>> {
    let requests = h.requests().await?;
    Ok(requests
        .iter()
        .filter(|r| r["body"]["pageSize"] == json!(1))
        .filter_map(|r| chrono::DateTime::parse_from_rfc3339(r["time"].as_str()?).ok())
        .map(|t| t.timestamp_millis() as f64 / 1000.0)
        .collect())
}

fn example_portal() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/portal")
}

#[tokio::test]
async fn no_asks_after_unmount() -> Result<()> {
    let h = Harness::builder()
        .sandbox(|o| {
            o.token = Some("demo-token".into());
            o.portal = Some(example_portal());
        })
        .start()
        .await?;
    h.goto("/portal/").await?;
    h.by_role("table", "Conversations").await?;
    // The attribute re-mounts the portal's console with a 1 s interval.
    h.eval("const c = document.querySelector('op-chat-search'); c.setAttribute('chart', 'false'); c.setAttribute('refresh-seconds', '1')", vec![]).await?;
    asks_resume(&h, "the embedded console's asks").await?;
    h.eval("document.querySelector('op-chat-search').remove()", vec![]).await?;
    h.clear_requests().await?;
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let requests = h.requests().await?;
    assert!(requests.is_empty(), "requests after the unmount: {requests:?}");
    h.assert_no_console_errors().await?;
    Ok(())
}
