//! The search screen against the real sandbox: default search, filters, validation,
//! paging, URL state with Back/Forward, empty and error states, stale responses, keyboard.

use anyhow::{Context, Result};
use op_e2e::{english_config, Harness, Key};
use serde_json::{json, Value};

/// The seed's first row: the conversation of the seed chat info.
const SEED_CHAT: &str = "u0001d6ddfcbef27e45aeaee5bf7db6ac83b5";
/// The seed's own example query (nickname 阿洋 in 2015): exactly its 12 rows.
const SEED_QUERY: &str = "/?nick=%E9%98%BF%E6%B4%8B&start=2015-01-01&end=2015-12-31";

async fn english() -> Result<Harness> {
    Harness::builder().app_config(english_config()).start().await
}

async fn submit(h: &Harness) -> Result<()> {
    h.by_role("button", "Search").await?.click().await.context("clicking Search")
}

async fn status_text(h: &Harness) -> Result<String> {
    h.text(".opc-pager__total").await
}

#[tokio::test]
async fn default_range_is_searched_on_load() -> Result<()> {
    let h = english().await?;
    h.goto("/").await?;
    h.by_role("table", "Conversations").await?;
    let rows = h.wait_rows("rows of the last 30 days", |rows| !rows.is_empty()).await?;
    assert_eq!(rows.len(), 20, "the default page size");
    let status = status_text(&h).await?;
    assert!(status.ends_with(" results"), "{status}");
    let bodies = h.search_bodies().await?;
    let first = bodies.first().context("a search was sent")?;
    assert_eq!(first["pageNum"], 1);
    assert_eq!(first["pageSize"], 20);
    let start = first["startTime"].as_str().context("startTime")?;
    let end = first["endTime"].as_str().context("endTime")?;
    let days = chrono::NaiveDate::parse_from_str(end, "%Y-%m-%d")? - chrono::NaiveDate::parse_from_str(start, "%Y-%m-%d")?;
    assert_eq!(days.num_days(), 29, "30 days, end inclusive: {start}..{end}");
    assert!(first.get("userNick").is_none(), "blank filters are omitted: {first}");
    for label in ["Chat ID", "Created (UTC+8)", "User", "Address", "Status", "Title"] {
        h.by_role("columnheader", label).await?;
    }
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn each_filter_narrows_the_results() -> Result<()> {
    let h = english().await?;
    h.goto("/?start=2015-01-01&end=2026-12-31").await?;
    h.wait_rows("all rows", |rows| rows.len() == 20).await?;
    let all = status_text(&h).await?;

    h.fill("Nickname", "阿洋").await?;
    submit(&h).await?;
    let rows = h.wait_rows("the 12 seed rows", |rows| rows.len() == 12).await?;
    assert_eq!(rows[0], SEED_CHAT);
    // The seed's 阿洋 is two customers (issue 21.2).
    assert_eq!(status_text(&h).await?, "12 results · 2 customers");
    assert_ne!(all, "12 results");

    h.fill("Title", "Get一下").await?;
    submit(&h).await?;
    let rows = h.wait_rows("the two 'Get一下' rows", |rows| rows.len() == 2).await?;
    assert_eq!(rows, vec!["u0001124416320258179640", "u0001120323164730294776"]);

    h.fill("Title", "").await?;
    h.fill("Tag", "getTest").await?;
    h.fill("Operator", "小李").await?;
    submit(&h).await?;
    h.wait_rows("seed rows by tag and operator", |rows| rows.len() == 12).await?;
    let body = h.search_bodies().await?.pop().context("a search")?;
    assert_eq!(body["userNick"], "阿洋");
    assert_eq!(body["tag"], "getTest");
    assert_eq!(body["operatorNick"], "小李");
    assert!(body.get("title").is_none(), "a cleared filter is omitted: {body}");

    h.fill("Start date", "2015-12-14").await?;
    h.fill("End date", "2015-12-14").await?;
    submit(&h).await?;
    // 2015-12-14 in UTC+8: two seed rows (23:28 and 23:29); 00:54 on the 15th is outside.
    let rows = h.wait_rows("one day of seed rows", |rows| rows.len() == 2).await?;
    assert!(!rows.contains(&SEED_CHAT.to_string()));
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn invalid_dates_are_explained_before_any_request() -> Result<()> {
    let h = english().await?;
    h.goto(SEED_QUERY).await?;
    h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    h.clear_requests().await?;

    h.fill("Start date", "").await?;
    submit(&h).await?;
    h.wait_until("the start date message", || async {
        Ok(h.text(".opc-filters").await?.contains("Choose a start date").then_some(()))
    })
    .await?;

    h.fill("Start date", "2015-12-31").await?;
    h.fill("End date", "2015-01-01").await?;
    submit(&h).await?;
    h.wait_until("the order message", || async {
        Ok(h.text(".opc-filters").await?.contains("The start date must not be after the end date").then_some(()))
    })
    .await?;
    assert!(h.search_bodies().await?.is_empty(), "no request for an invalid form");
    assert_eq!(h.field_value("Nickname").await?, "阿洋", "what the operator typed stays");

    h.fill("Start date", "2015-01-01").await?;
    h.fill("End date", "2015-12-31").await?;
    submit(&h).await?;
    h.wait_rows("seed rows again", |rows| rows.len() == 12).await?;
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn paging_page_size_and_history() -> Result<()> {
    let h = english().await?;
    h.goto("/?start=2015-01-01&end=2026-12-31").await?;
    let first = h.wait_rows("page 1", |rows| rows.len() == 20).await?;

    h.by_role("button", "Next page").await?.click().await?;
    let second = h.wait_rows("page 2", |rows| rows.len() == 20 && rows[0] != first[0]).await?;
    assert_eq!(h.query_param("page").await?.as_deref(), Some("2"));
    assert!(first.iter().all(|id| !second.contains(id)), "pages do not overlap");

    h.by_role("button", "Page 4").await?.click().await?;
    h.wait_rows("page 4", |rows| rows.len() == 20 && rows[0] != second[0]).await?;
    assert_eq!(h.query_param("page").await?.as_deref(), Some("4"));

    // Back and Forward restore the exact pages.
    h.client().back().await?;
    h.wait_rows("page 2 after Back", |rows| rows == second.as_slice()).await?;
    h.client().back().await?;
    h.wait_rows("page 1 after Back", |rows| rows == first.as_slice()).await?;
    h.client().forward().await?;
    h.wait_rows("page 2 after Forward", |rows| rows == second.as_slice()).await?;

    let size = h.by_role("combobox", "Rows per page").await?;
    size.select_by_value("50").await?;
    let fifty = h.wait_rows("50 rows", |rows| rows.len() == 50).await?;
    assert_eq!(fifty[0], first[0], "a new page size starts at page 1");
    assert_eq!(h.query_param("size").await?.as_deref(), Some("50"));
    assert_eq!(h.query_param("page").await?, None);
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn a_copied_link_opens_the_same_view_and_bad_values_are_corrected() -> Result<()> {
    let h = english().await?;
    h.goto("/?nick=%E9%98%BF%E6%B4%8B&start=2015-01-01&end=2015-12-31&size=10&page=2").await?;
    let rows = h.wait_rows("page 2 of the seed query", |rows| rows.len() == 2).await?;
    assert_eq!(rows, vec!["u0001120323164730294776", "u0001118906945808630308"]);
    assert_eq!(h.field_value("Nickname").await?, "阿洋");
    assert_eq!(h.field_value("Start date").await?, "2015-01-01");
    assert_eq!(h.field_value("End date").await?, "2015-12-31");

    h.goto("/?start=2015-13-45&end=never&page=-3&size=100000").await?;
    let rows = h.wait_rows("the default view", |rows| rows.len() == 20).await?;
    assert!(!rows.is_empty());
    let body = h.search_bodies().await?.pop().context("a search")?;
    assert_eq!((body["pageNum"].clone(), body["pageSize"].clone()), (json!(1), json!(20)));
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn a_page_past_the_end_goes_back_to_the_last_page() -> Result<()> {
    let h = english().await?;
    h.goto("/?nick=%E9%98%BF%E6%B4%8B&start=2015-01-01&end=2015-12-31&size=10&page=9").await?;
    h.wait_rows("the last page", |rows| rows.len() == 2).await?;
    assert_eq!(h.query_param("page").await?.as_deref(), Some("2"));
    Ok(())
}

#[tokio::test]
async fn empty_result_names_the_filters_and_offers_reset() -> Result<()> {
    let h = english().await?;
    h.goto("/?nick=nobody-has-this-name&start=2015-01-01&end=2015-12-31").await?;
    let empty = h.text(".opc-empty").await?;
    assert!(empty.contains("No conversations match"), "{empty}");
    assert!(empty.contains("Nickname: nobody-has-this-name"), "{empty}");
    assert!(empty.contains("2015-01-01 – 2015-12-31"), "{empty}");
    h.wait_for(".opc-empty button").await?.click().await?;
    h.wait_rows("the default search after Reset", |rows| rows.len() == 20).await?;
    assert_eq!(h.field_value("Nickname").await?, "");
    assert_eq!(h.query_param("nick").await?, None);
    Ok(())
}

#[tokio::test]
async fn errors_keep_the_filters_and_retry_recovers() -> Result<()> {
    let h = english().await?;
    h.goto(SEED_QUERY).await?;
    h.wait_rows("seed rows", |rows| rows.len() == 12).await?;

    h.fill("Title", "Get").await?;
    h.queue_fault(json!({ "endpoint": "chatSearchs", "fail": "html502" })).await?;
    submit(&h).await?;
    let alert = h.text(".opc-error").await?;
    assert!(alert.contains("502") && alert.contains("Bad Gateway"), "{alert}");
    assert!(!alert.contains("<html") && !alert.contains("<center"), "HTML is summarised: {alert}");
    assert_eq!(h.field_value("Title").await?, "Get", "filters survive the error");
    assert_eq!(h.field_value("Nickname").await?, "阿洋");

    h.by_role("button", "Retry").await?.click().await?;
    // The seed rows whose title contains "Get" (one is titled "q").
    h.wait_rows("rows after Retry", |rows| rows.len() == 11).await?;

    h.queue_fault(json!({ "endpoint": "chatSearchs", "fail": "envelope" })).await?;
    submit(&h).await?;
    let alert = h.text(".opc-error").await?;
    assert!(alert.contains("500") && alert.contains("服务器内部错误"), "the server's message verbatim: {alert}");
    h.by_role("button", "Retry").await?.click().await?;
    h.wait_rows("rows after the second Retry", |rows| rows.len() == 11).await?;
    Ok(())
}

#[tokio::test]
async fn a_late_answer_never_replaces_newer_results() -> Result<()> {
    let h = english().await?;
    h.goto(SEED_QUERY).await?;
    h.wait_rows("seed rows", |rows| rows.len() == 12).await?;

    // Search A is held back by the server; search B, sent after it, answers first.
    h.queue_fault(json!({ "endpoint": "chatSearchs", "delayMs": 2500 })).await?;
    h.fill("Title", "Get一下").await?;
    submit(&h).await?;
    h.fill("Title", "q").await?;
    submit(&h).await?;
    let newest = h.wait_rows("search B's single row", |rows| rows.len() == 1).await?;
    assert_eq!(newest, vec!["u0001120361840034185624"]);
    tokio::time::sleep(std::time::Duration::from_millis(3000)).await;
    assert_eq!(h.rows_now().await?.unwrap_or_default(), newest, "search A's late answer was dropped");
    assert_eq!(h.query_param("title").await?.as_deref(), Some("q"));
    Ok(())
}

#[tokio::test]
async fn slow_loads_show_progress_and_keep_rows() -> Result<()> {
    let h = english().await?;
    h.goto(SEED_QUERY).await?;
    h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    h.queue_fault(json!({ "endpoint": "chatSearchs", "delayMs": 1500 })).await?;
    submit(&h).await?;
    h.wait_for(".opc-progress--on").await?;
    let kept: Value = h.eval("return document.querySelectorAll('tr.opc-row').length", vec![]).await?;
    assert_eq!(kept, json!(12), "previous rows stay (dimmed) while loading");
    h.wait_for(".opc-table-wrap--stale").await?;
    h.wait_gone(".opc-progress--on").await?;
    Ok(())
}

/// A flip that answers quickly leaves the rows as they are until the new ones replace them:
/// the rows dim only with the progress bar, once a load is slow (a dim on every flip
/// repainted the whole table twice for a flash too short to read).
#[tokio::test]
async fn quick_loads_do_not_dim_the_rows() -> Result<()> {
    let h = english().await?;
    h.goto("/?start=2015-01-01&end=2026-12-31").await?;
    let first = h.wait_rows("the first page", |rows| rows.len() == 20).await?;
    // Records, from here on, whether the rows were ever dimmed and the progress bar shown.
    h.eval(
        "window.__seen = { dimmed: false, progress: false };
         new MutationObserver(() => {
           window.__seen.dimmed ||= !!document.querySelector('.opc-table-wrap--stale');
           window.__seen.progress ||= !!document.querySelector('.opc-progress--on');
         }).observe(document.querySelector('.opc-app'), { attributes: true, subtree: true, attributeFilter: ['class'] });",
        vec![],
    )
    .await?;
    for _ in 0..3 {
        let before = h.wait_rows("a page", |rows| !rows.is_empty()).await?;
        h.by_role("button", "Next page").await?.click().await?;
        h.wait_rows("the next page", |rows| !rows.is_empty() && rows != before.as_slice()).await?;
    }
    assert_ne!(h.wait_rows("a page", |rows| !rows.is_empty()).await?, first);
    let seen = h.eval("return window.__seen", vec![]).await?;
    // On a machine slow enough to take 300 ms for an answer, both show, rightly.
    assert_eq!(seen["dimmed"], seen["progress"], "the rows dim only with the progress bar: {seen}");
    Ok(())
}

#[tokio::test]
async fn keyboard_only_search_and_row_navigation() -> Result<()> {
    let h = english().await?;
    h.goto(SEED_QUERY).await?;
    let rows = h.wait_rows("seed rows", |rows| rows.len() == 12).await?;

    // `/` focuses the nickname box from anywhere outside a text field.
    h.eval("document.activeElement && document.activeElement.blur()", vec![]).await?;
    h.press("/").await?;
    assert_eq!(h.focused().await?, json!("Nickname"));

    // Enter in the form submits it.
    h.press(&(Key::Control + "a")).await?;
    h.press("nobody").await?;
    h.press(&Key::Enter).await?;
    h.wait_for(".opc-empty").await?;
    h.client().back().await?;
    h.wait_rows("seed rows again", |r| r == rows.as_slice()).await?;

    // Arrow keys, Home and End move between rows.
    let first_row = h.wait_for("tr.opc-row").await?;
    h.eval("arguments[0].focus()", vec![serde_json::to_value(&first_row)?]).await?;
    h.press(&Key::Down).await?;
    assert_eq!(h.focused().await?, json!(rows[1]));
    h.press(&Key::End).await?;
    assert_eq!(h.focused().await?, json!(rows[11]));
    h.press(&Key::Up).await?;
    assert_eq!(h.focused().await?, json!(rows[10]));
    h.press(&Key::Home).await?;
    assert_eq!(h.focused().await?, json!(rows[0]));
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn zh_cn_is_the_default_and_the_language_switch_is_remembered() -> Result<()> {
    let h = Harness::builder().app_config(json!({ "token": "e2e-token" })).start().await?;
    h.goto(SEED_QUERY).await?;
    h.by_role("form", "搜索会话").await?;
    h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    assert_eq!(status_text(&h).await?, "共 12 条 · 2 位客户");
    h.by_role("combobox", "语言").await?.select_by_value("en").await?;
    h.by_role("form", "Search conversations").await?;
    assert_eq!(status_text(&h).await?, "12 results · 2 customers");
    h.goto(SEED_QUERY).await?;
    h.by_role("form", "Search conversations").await?;
    Ok(())
}
