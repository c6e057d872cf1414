//! Adversarial robustness: the `hostile` dataset (XSS payloads in every string, javascript:
//! and data: URLs, huge, RTL and emoji text, nulls and wrong types) and the sandbox's fault
//! switches (random delays that reorder answers, a failure rate, queued failures).
//!
//! Invariants: no payload ever runs (`window.__pwned`, which every payload would set, stays
//! undefined); the app never panics; the newest search wins; the operator's filters survive
//! every failure and Retry recovers; errors are readable text; hostile text does not break
//! the layout at 1280 px.

use anyhow::{ensure, Context, Result};
use op_e2e::{english_config, Harness, Scenario};
use serde_json::{json, Value};

const SEED_QUERY: &str = "/?nick=%E9%98%BF%E6%B4%8B&start=2015-01-01&end=2015-12-31";
/// Every generated conversation is inside this range.
const ALL_ROWS: &str = "start=2000-01-01&end=2099-12-31";

async fn hostile() -> Result<Harness> {
    Harness::builder()
        .sandbox(|o| {
            o.scenario = Scenario::Hostile;
            o.chats = 600;
        })
        .app_config(json!({ "locale": "en", "token": "e2e-token", "pageSizes": [20, 100] }))
        .start()
        .await
}

/// No payload ran and the app did not panic.
async fn assert_safe(h: &Harness, when: &str) -> Result<()> {
    let pwned = h.eval("return typeof window.__pwned", vec![]).await?;
    ensure!(pwned == json!("undefined"), "a hostile payload ran ({when}): window.__pwned is {pwned}");
    h.assert_no_panic().await.with_context(|| when.to_owned())
}

/// The page does not scroll sideways, and the table fits the viewport.
async fn assert_layout_fits(h: &Harness, when: &str) -> Result<()> {
    let sizes = h
        .eval(
            "const t = document.querySelector('table.opc-table');
             return { viewport: document.documentElement.clientWidth,
                      page: document.documentElement.scrollWidth,
                      table: t ? t.getBoundingClientRect().right : 0 };",
            vec![],
        )
        .await?;
    let (viewport, page, table) = (sizes["viewport"].as_f64(), sizes["page"].as_f64(), sizes["table"].as_f64());
    let (viewport, page, table) = (viewport.unwrap_or(0.0), page.unwrap_or(0.0), table.unwrap_or(0.0));
    ensure!(page <= viewport + 1.0, "the page is wider than the viewport ({when}): {sizes}");
    ensure!(table <= viewport + 1.0, "the table runs past the viewport ({when}): {sizes}");
    Ok(())
}

/// The open drawer stays within the viewport and its content does not overflow sideways.
async fn assert_drawer_fits(h: &Harness, when: &str) -> Result<()> {
    let sizes = h
        .eval(
            "const d = document.querySelector('[role=dialog]');
             const r = d.getBoundingClientRect();
             let widest = null;
             // The resize handle straddles the drawer's edge on purpose.
             for (const e of d.querySelectorAll('*:not(.opc-drawer__handle)')) {
               const er = e.getBoundingClientRect();
               if (er.width > 0 && (er.left < r.left - 1 || er.right > r.right + 1) && !e.closest('[hidden]')) {
                 widest = e.className || e.tagName; break;
               }
             }
             return { left: r.left, right: r.right, viewport: document.documentElement.clientWidth,
                      scroll: d.scrollWidth, client: d.clientWidth, outside: widest };",
            vec![],
        )
        .await?;
    let num = |k: &str| sizes[k].as_f64().unwrap_or(f64::NAN);
    ensure!(num("left") >= -1.0 && num("right") <= num("viewport") + 1.0, "the drawer leaves the viewport ({when}): {sizes}");
    ensure!(num("scroll") <= num("client") + 1.0, "the drawer scrolls sideways ({when}): {sizes}");
    ensure!(sizes["outside"].is_null(), "an element sticks out of the drawer ({when}): {sizes}");
    Ok(())
}

#[tokio::test]
async fn hostile_rows_and_chats_render_as_text() -> Result<()> {
    let h = hostile().await?;
    h.goto(&format!("/?{ALL_ROWS}&size=100")).await?;
    let mut rows = h.wait_rows("hostile rows", |rows| rows.len() == 100).await?;
    let shown = h.eval("return document.body.innerText.includes('window.__pwned=1')", vec![]).await?;
    assert_eq!(shown, json!(true), "the payloads are on screen, as text");
    assert_safe(&h, "first page").await?;
    assert_layout_fits(&h, "first page").await?;
    for page in 2..=3 {
        h.by_role("button", "Next page").await?.click().await?;
        let previous = rows[0].clone();
        rows = h.wait_rows(&format!("page {page}"), |r| r.len() == 100 && r[0] != previous).await?;
        assert_safe(&h, &format!("page {page}")).await?;
        assert_layout_fits(&h, &format!("page {page}")).await?;
    }
    // Open the drawer for a dozen hostile conversations, including rows with odd ids.
    let mut opened = 0;
    for (i, id) in rows.iter().enumerate().filter(|(_, id)| !id.is_empty()).step_by(8).take(12) {
        let row = h.wait_for(&format!("tr.opc-row:nth-child({})", i + 1)).await?;
        row.click().await?;
        h.by_role("dialog", "Chat details").await?;
        h.wait_until(&format!("the drawer of row {i} ({id:.40})"), || async {
            let state = h.eval("return !!document.querySelector('[role=dialog] .opc-chat, [role=dialog] .opc-error')", vec![]).await?;
            Ok((state == json!(true)).then_some(()))
        })
        .await?;
        assert_safe(&h, &format!("drawer of row {i}")).await?;
        assert_drawer_fits(&h, &format!("drawer of row {i}")).await?;
        h.by_role("button", "Close").await?.click().await?;
        h.wait_gone("[role=dialog]").await?;
        opened += 1;
    }
    assert!(opened >= 10, "only {opened} drawers opened");
    // Hostile avatar and map URLs never become javascript:/data:text links or images.
    let bad = h
        .eval(
            "return Array.from(document.querySelectorAll('[href], [src]'))
               .map(e => e.getAttribute('href') || e.getAttribute('src'))
               .filter(u => /^\\s*(javascript|data:text|vbscript)/i.test(u));",
            vec![],
        )
        .await?;
    assert_eq!(bad, json!([]), "unsafe URLs in the page");
    assert_safe(&h, "the end").await?;
    Ok(())
}

#[tokio::test]
async fn hostile_deep_links_and_filters_are_text() -> Result<()> {
    let h = hostile().await?;
    // Payloads in the URL's filters and chat id are form values and request data only.
    let xss = "%3Cimg%20src%3Dx%20onerror%3D%22window.__pwned%3D1%22%3E";
    h.goto(&format!("/?{ALL_ROWS}&nick={xss}&title={xss}&chat={xss}")).await?;
    h.by_role("dialog", "Chat details").await?;
    h.wait_for("[role=dialog] .opc-error, [role=dialog] .opc-chat").await?;
    assert_eq!(h.field_value("Nickname").await?, "<img src=x onerror=\"window.__pwned=1\">");
    assert_safe(&h, "payloads in the URL").await?;
    Ok(())
}

/// Random per-response delays reorder the answers; after a burst of searches the table shows
/// exactly the newest one's rows.
#[tokio::test]
async fn the_newest_search_wins_under_jitter() -> Result<()> {
    let h = Harness::builder().sandbox(|o| o.jitter_ms = 600).app_config(english_config()).start().await?;
    h.goto(SEED_QUERY).await?;
    h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    // Title filter → rows of the seed query.
    let expected = |title: &str| -> usize {
        match title {
            "" => 12,
            "Get一下" => 2,
            "q" => 1,
            _ => unreachable!(),
        }
    };
    let bursts: [&[&str]; 4] = [&["q", "Get一下", ""], &["", "q", "Get一下"], &["Get一下", "", "q"], &["q", "", "Get一下", "q", ""]];
    for burst in bursts {
        for title in burst {
            h.fill("Title", title).await?;
            h.by_role("button", "Search").await?.click().await?;
        }
        let last = burst[burst.len() - 1];
        let want = expected(last);
        h.wait_rows(&format!("{want} rows for title {last:?}"), |rows| rows.len() == want).await?;
        // Longer than the largest jitter: any older answer has arrived by now and was dropped.
        tokio::time::sleep(std::time::Duration::from_millis(800)).await;
        let rows = h.rows_now().await?.context("the table settled")?;
        assert_eq!(rows.len(), want, "an older answer replaced the newest (title {last:?}, burst {burst:?})");
        assert_eq!(h.query_param("title").await?.unwrap_or_default(), last);
        assert_eq!(h.field_value("Title").await?, last);
    }
    assert_safe(&h, "after the bursts").await?;
    h.assert_no_console_errors().await?;
    Ok(())
}

/// Every failure kind: a readable message (no HTML, no raw JSON), the filters as typed, and
/// Retry brings the rows.
#[tokio::test]
async fn filters_survive_every_failure_and_errors_are_readable() -> Result<()> {
    let h = Harness::builder()
        .app_config(json!({ "locale": "en", "token": "e2e-token", "timeoutMs": 1500 }))
        .start()
        .await?;
    h.goto(SEED_QUERY).await?;
    h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    h.fill("Title", "Get").await?;
    h.fill("Operator", "小李").await?;
    for fail in ["http500", "html502", "envelope", "truncated", "timeout"] {
        h.queue_fault(json!({ "endpoint": "chatSearchs", "fail": fail })).await?;
        h.by_role("button", "Search").await?.click().await?;
        let alert = h.text(".opc-error").await?;
        assert!(alert.trim().len() > 10, "{fail}: the error says something: {alert:?}");
        for raw in ["<html", "<center", "<body", "{\"code\"", "\"data\":"] {
            assert!(!alert.contains(raw), "{fail}: raw response in the error: {alert}");
        }
        assert_eq!(h.field_value("Title").await?, "Get", "{fail}: the title filter survives");
        assert_eq!(h.field_value("Operator").await?, "小李", "{fail}: the operator filter survives");
        assert_eq!(h.field_value("Nickname").await?, "阿洋", "{fail}: the nickname filter survives");
        assert_eq!(h.query_param("title").await?.as_deref(), Some("Get"), "{fail}: the URL keeps the filters");
        h.by_role("button", "Retry").await?.click().await?;
        h.wait_rows(&format!("rows after Retry ({fail})"), |rows| rows.len() == 11).await?;
        assert_safe(&h, fail).await?;
    }
    Ok(())
}

/// With 30 % of requests failing at random, Retry eventually shows the rows, and the filters
/// are never lost on the way.
#[tokio::test]
async fn retry_eventually_succeeds_under_a_30_percent_failure_rate() -> Result<()> {
    let h = Harness::builder().sandbox(|o| o.fail_rate = 0.3).app_config(english_config()).start().await?;
    h.goto(SEED_QUERY).await?;
    let mut failures = 0;
    for round in 0..10 {
        h.fill("Title", if round % 2 == 0 { "Get" } else { "" }).await?;
        h.by_role("button", "Search").await?.click().await?;
        let want = if round % 2 == 0 { 11 } else { 12 };
        let mut tries = 0;
        loop {
            let state: Value = h
                .wait_until("rows or an error", || async {
                    let state = h
                        .eval(
                            "const t = document.querySelector('table.opc-table');
                             if (document.querySelector('.opc-error')) return 'error';
                             if (t && t.getAttribute('aria-busy') === 'false') return t.querySelectorAll('tr.opc-row').length;
                             return null;",
                            vec![],
                        )
                        .await?;
                    Ok((!state.is_null()).then_some(state))
                })
                .await?;
            if state == json!(want) {
                break;
            }
            if state == json!("error") {
                failures += 1;
                tries += 1;
                assert!(tries < 15, "Retry did not succeed in 15 tries");
                assert_eq!(h.field_value("Nickname").await?, "阿洋", "filters survive a random failure");
                // A click in the page: by the time a WebDriver lookup ran, the box may be gone.
                h.eval("const b = document.querySelector('.opc-error button'); if (b) b.click();", vec![]).await?;
            }
            tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        }
        assert_safe(&h, &format!("round {round}")).await?;
    }
    assert!(failures > 0, "the failure rate produced no failure in 10 rounds: the test proved nothing");
    Ok(())
}
