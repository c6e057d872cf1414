//! `Export CSV` against the sandbox: the downloaded file compared row for row (every cell)
//! with the API's own answer for the same filters, hostile text in Chinese, Cancel mid-way
//! with the table still usable, failed pages that are retried with backoff, the pause
//! with Retry / Save what we have, a session that expires mid-export, a server that sends
//! fewer rows than it reports, and the question when the form differs from the last search.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use chrono::DateTime;
use op_e2e::{all_api_rows, api_rows, english_config, expected_record, expected_record_in, records_of, Harness, Scenario, E2E_TOKEN};
use serde_json::{json, Value};

const SEED_QUERY: &str = "/?nick=%E9%98%BF%E6%B4%8B&start=2015-01-01&end=2015-12-31";
const SEED_FILE: &str = "conversations_nick-阿洋_2015-01-01_2015-12-31.csv";
const YEAR_2015: &str = "/?start=2015-01-01&end=2015-12-31";
const ALL_TIME: &str = "/?start=2015-01-01&end=2026-12-31";
const ALL_TIME_FILE: &str = "conversations_2015-01-01_2026-12-31.csv";
const EN_HEADERS: [&str; 9] = ["Chat ID", "Created", "User", "Address", "Status", "Status code", "Title", "Group ID", "User ID"];

async fn harness(downloads: &Path, configure: impl FnOnce(&mut op_e2e::SandboxOptions)) -> Result<Harness> {
    Harness::builder().app_config(english_config()).download_dir(downloads).sandbox(configure).start().await
}

/// Compares records with API rows one by one, naming the first difference.
fn assert_same_rows(records: &[Vec<String>], rows: &[Value], record_of: impl Fn(&Value) -> Vec<String>) {
    for (i, (record, row)) in records.iter().zip(rows).enumerate() {
        assert_eq!(*record, record_of(row), "row {} of the file", i + 1);
    }
    assert_eq!(records.len(), rows.len(), "rows in the file vs rows from the API");
}

/// The `chatSearchs` requests the export made (pages of 500), oldest first.
async fn export_requests(h: &Harness) -> Result<Vec<Value>> {
    let requests = h.requests().await?.into_iter();
    Ok(requests.filter(|r| r["body"]["pageSize"] == 500 && r["query"]["probe"].is_null()).collect())
}

fn millis_between(earlier: &Value, later: &Value) -> Result<i64> {
    let at = |r: &Value| DateTime::parse_from_rfc3339(r["time"].as_str().unwrap_or_default()).context("request time");
    Ok((at(later)? - at(earlier)?).num_milliseconds())
}

async fn click_export(h: &Harness) -> Result<()> {
    h.by_role("button", "Export CSV").await?.click().await.context("clicking Export CSV")
}

#[tokio::test]
async fn the_file_matches_the_api_row_for_row() -> Result<()> {
    let downloads = tempfile::tempdir()?;
    let h = harness(downloads.path(), |_| {}).await?;
    h.goto(SEED_QUERY).await?;
    h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    click_export(&h).await?;
    let text = h.downloaded(downloads.path(), SEED_FILE).await?;
    let records = records_of(&text);
    assert_eq!(records[0], EN_HEADERS);
    assert_eq!(records[1], [
        "u0001d6ddfcbef27e45aeaee5bf7db6ac83b5", "2015-12-15 00:54:15", "阿洋", "北京市海淀区软件园六号路", "Active", "交谈",
        "Get帮你搞定一切", "135222409673310808", "u00013058217037704c358367f6e1fd1da545",
    ]);
    let expected = all_api_rows(&h, json!({"userNick": "阿洋", "startTime": "2015-01-01", "endTime": "2015-12-31"})).await?;
    assert_eq!(expected.len(), 12);
    assert_same_rows(&records[1..], &expected, expected_record);
    assert!(!text.contains("e2e-token") && !text.contains("token="), "no token in the file");

    let asked = export_requests(&h).await?;
    assert_eq!(asked.len(), 1, "12 rows: one page");
    assert_eq!(asked[0]["body"], json!({"userNick": "阿洋", "startTime": "2015-01-01", "endTime": "2015-12-31", "pageNum": 1, "pageSize": 500}));
    let status = h.text(".opc-export [role=status]").await?;
    assert!(status.contains(&format!("Saved {SEED_FILE} (12 rows)")), "{status}");
    let exported = h.text(".opc-export__filters").await?;
    assert_eq!(exported, "Filters in the file: Nickname: 阿洋 · Date range: 2015-01-01 – 2015-12-31", "the panel names the filters");
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn many_pages_follow_the_visible_columns() -> Result<()> {
    let downloads = tempfile::tempdir()?;
    let h = harness(downloads.path(), |o| o.chats = 1_500).await?;
    h.goto(ALL_TIME).await?;
    h.wait_rows("rows", |rows| rows.len() == 20).await?;
    // Hide the Address column and the Created column: the file follows the table.
    h.wait_for(".opc-menu summary").await?.click().await?;
    h.eval(
        "for (const name of ['Address', 'Created']) {
           Array.from(document.querySelectorAll('.opc-menu label')).find(l => l.textContent.trim() === name).querySelector('input').click();
         }",
        vec![],
    )
    .await?;
    click_export(&h).await?;
    let text = h.downloaded(downloads.path(), ALL_TIME_FILE).await?;
    let records = records_of(&text);
    assert_eq!(records[0], ["Chat ID", "User", "Status", "Status code", "Title", "Group ID", "User ID"]);
    let expected = all_api_rows(&h, json!({"startTime": "2015-01-01", "endTime": "2026-12-31"})).await?;
    assert_eq!(expected.len(), 1_512, "1,500 generated chats and the 12 of the seed");
    assert_same_rows(&records[1..], &expected, |row| {
        let all = expected_record(row);
        [0, 2, 4, 5, 6, 7, 8].into_iter().map(|i| all[i].clone()).collect()
    });
    let pages: Vec<Value> = export_requests(&h).await?.into_iter().map(|r| r["body"]["pageNum"].clone()).collect();
    assert_eq!(pages, [1, 2, 3, 4], "one request per page of 500, in order");
    Ok(())
}

#[tokio::test]
async fn hostile_text_round_trips_in_chinese() -> Result<()> {
    let downloads = tempfile::tempdir()?;
    let h = Harness::builder()
        .app_config(json!({ "locale": "zh-CN", "token": "e2e-token" }))
        .download_dir(downloads.path())
        .sandbox(|o| {
            o.chats = 700;
            o.scenario = Scenario::Hostile;
        })
        .start()
        .await?;
    h.goto(ALL_TIME).await?;
    h.wait_rows("rows", |rows| !rows.is_empty()).await?;
    h.by_role("button", "导出 CSV").await?.click().await?;
    let text = h.downloaded(downloads.path(), ALL_TIME_FILE).await?;
    let records = records_of(&text);
    assert_eq!(records[0], ["会话 ID", "创建时间", "用户", "地址", "状态", "状态码", "标题", "用户组 ID", "用户 ID"]);
    let expected = all_api_rows(&h, json!({"startTime": "2015-01-01", "endTime": "2026-12-31"})).await?;
    assert!(expected.len() > 500, "more than one page");
    assert_same_rows(&records[1..], &expected, |row| expected_record_in(row, true));
    assert!(text.contains("<script>window.__pwned=1</script>") && text.contains("第一行\n第二行\r\n\t第三行"), "payloads kept, quoted");
    let pwned = h.eval("return window.__pwned === undefined", vec![]).await?;
    assert_eq!(pwned, json!(true), "no payload ran");
    let status = h.text(".opc-export [role=status]").await?;
    assert!(status.contains(&format!("已保存 {ALL_TIME_FILE}（{} 条）", expected.len())), "{status}");
    Ok(())
}

#[tokio::test]
async fn cancel_stops_mid_way_and_the_table_stays_usable() -> Result<()> {
    let downloads = tempfile::tempdir()?;
    let h = harness(downloads.path(), |o| {
        o.chats = 5_000;
        o.latency_ms = 800;
    })
    .await?;
    h.goto(ALL_TIME).await?;
    h.wait_rows("rows", |rows| rows.len() == 20).await?;
    click_export(&h).await?;
    let status = h
        .wait_until("500 rows exported", || async {
            let text = h.text(".opc-export [role=status]").await?;
            Ok(text.starts_with("Exported 500 of 5012").then_some(text))
        })
        .await?;
    assert!(status.contains("left"), "an estimate of the time left: {status}");
    let bar = h.wait_for(".opc-export progress").await?;
    assert_eq!(bar.attr("value").await?.as_deref(), Some("500"));
    assert_eq!(bar.attr("max").await?.as_deref(), Some("5012"));
    assert_eq!(h.by_role("button", "Export CSV").await?.attr("disabled").await?.as_deref(), Some("true"), "one export at a time");

    // The table works while the export runs.
    h.by_role("button", "Next page").await?.click().await?;
    h.wait_until("page 2 while exporting", || async {
        Ok(h.client().current_url().await?.as_str().contains("page=2").then_some(()))
    })
    .await?;
    h.wait_rows("page 2", |rows| rows.len() == 20).await?;
    h.wait_for(".opc-export progress").await?;

    h.by_role("button", "Cancel").await?.click().await?;
    h.wait_gone(".opc-export__row").await?;
    let asked = export_requests(&h).await?.len();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(std::fs::read_dir(downloads.path())?.count(), 0, "no file after Cancel");
    let requests = export_requests(&h).await?;
    assert_eq!(requests.len(), asked, "no page asked for after Cancel");
    assert!(requests.len() < 11, "the walk stopped ({} of 11 pages requested)", requests.len());
    // Sequential: each page is asked for only once the previous one has come (800 ms).
    for pair in requests.windows(2) {
        let gap = millis_between(&pair[0], &pair[1])?;
        assert!(gap >= 790, "pages {} and {} only {gap} ms apart", pair[0]["body"]["pageNum"], pair[1]["body"]["pageNum"]);
    }
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn failed_pages_are_retried_with_backoff_then_pause_with_a_choice() -> Result<()> {
    let downloads = tempfile::tempdir()?;
    let h = harness(downloads.path(), |o| o.chats = 600).await?;
    h.goto(ALL_TIME).await?;
    h.wait_rows("rows", |rows| rows.len() == 20).await?;
    let expected = all_api_rows(&h, json!({"startTime": "2015-01-01", "endTime": "2026-12-31"})).await?;

    // Two failures of the first page are absorbed by the retries, after 0.5 s and 1 s.
    h.clear_requests().await?;
    h.queue_fault(json!({ "endpoint": "chatSearchs", "fail": "html502", "count": 2 })).await?;
    click_export(&h).await?;
    let text = h.downloaded(downloads.path(), ALL_TIME_FILE).await?;
    assert_same_rows(&records_of(&text)[1..], &expected, expected_record);
    let tries = export_requests(&h).await?;
    let pages: Vec<Value> = tries.iter().map(|r| r["body"]["pageNum"].clone()).collect();
    assert_eq!(pages, [1, 1, 1, 2], "page 1 tried three times");
    let (first, second) = (millis_between(&tries[0], &tries[1])?, millis_between(&tries[1], &tries[2])?);
    assert!(first >= 450 && second >= 950 && second > first, "backoff doubles: {first} ms, then {second} ms");
    std::fs::remove_file(downloads.path().join(ALL_TIME_FILE))?;
    h.by_role("button", "Dismiss").await?.click().await?;

    // Three failures in a row pause the export; Retry finishes it.
    h.queue_fault(json!({ "endpoint": "chatSearchs", "fail": "http500", "count": 3 })).await?;
    click_export(&h).await?;
    let paused = h.text(".opc-export__error").await?;
    assert!(paused.contains("Export paused") && paused.contains("HTTP 500"), "{paused}");
    h.by_role("button", "Save what we have").await?;
    h.by_role("button", "Retry").await?.click().await?;
    let text = h.downloaded(downloads.path(), ALL_TIME_FILE).await?;
    assert_same_rows(&records_of(&text)[1..], &expected, expected_record);
    Ok(())
}

#[tokio::test]
async fn save_what_we_have_keeps_the_pages_so_far() -> Result<()> {
    let downloads = tempfile::tempdir()?;
    let h = harness(downloads.path(), |o| o.chats = 1_200).await?;
    h.goto(ALL_TIME).await?;
    h.wait_rows("rows", |rows| rows.len() == 20).await?;
    // Page 1 goes through (an entry without a fault), page 2 fails on all three tries.
    h.queue_fault(json!({ "endpoint": "chatSearchs", "count": 1 })).await?;
    h.queue_fault(json!({ "endpoint": "chatSearchs", "fail": "envelope", "count": 3 })).await?;
    click_export(&h).await?;
    let paused = h.text(".opc-export__error").await?;
    assert!(paused.contains("Export paused") && paused.contains("500"), "{paused}");
    h.by_role("button", "Save what we have").await?.click().await?;
    // A partial file is named as one.
    let file = "conversations_2015-01-01_2026-12-31_partial-500-of-1212.csv";
    let text = h.downloaded(downloads.path(), file).await?;
    let first_page = api_rows(&h, json!({"startTime": "2015-01-01", "endTime": "2026-12-31", "pageNum": 1, "pageSize": 500})).await?;
    assert_same_rows(&records_of(&text)[1..], &first_page, expected_record);
    let status = h.text(".opc-export [role=status]").await?;
    assert!(status.contains(&format!("Saved {file} (partial: 500 of 1212 rows)")), "{status}");
    Ok(())
}

/// Signs in through the standalone console's sign-in panel.
async fn sign_in(h: &Harness) -> Result<()> {
    h.fill("Operator token", E2E_TOKEN).await?;
    h.by_role("button", "Sign in").await?.click().await.context("clicking Sign in")
}

#[tokio::test]
async fn an_expired_session_pauses_the_export_and_signing_in_again_resumes_it() -> Result<()> {
    let downloads = tempfile::tempdir()?;
    // No token in the config: the operator signs in through the panel.
    let h = Harness::builder()
        .app_config(json!({ "locale": "en" }))
        .download_dir(downloads.path())
        .sandbox(|o| {
            o.chats = 1_500;
            o.token = Some(E2E_TOKEN.into());
        })
        .start()
        .await?;
    h.goto(ALL_TIME).await?;
    sign_in(&h).await?;
    h.wait_rows("rows", |rows| rows.len() == 20).await?;
    let expected = all_api_rows(&h, json!({"startTime": "2015-01-01", "endTime": "2026-12-31"})).await?;
    assert_eq!(expected.len(), 1_512);

    // Page 1 comes slowly, page 2 finds the session expired.
    h.clear_requests().await?;
    h.queue_fault(json!({ "endpoint": "chatSearchs", "delayMs": 1500 })).await?;
    h.queue_fault(json!({ "endpoint": "chatSearchs", "fail": "http401" })).await?;
    click_export(&h).await?;
    // Typed while the export runs, not submitted: must survive the sign-in.
    h.fill("Nickname", "typed meanwhile").await?;
    let expired = h.text(".opc-signin [role=alert]").await?;
    assert!(expired.contains("session has expired"), "{expired}");
    h.wait_gone(".opc-filters").await?;
    assert_eq!(std::fs::read_dir(downloads.path())?.count(), 0, "no file while signed out");

    sign_in(&h).await?;
    // The same screen: rows, the typed filter, the export paused on page 2.
    h.wait_rows("rows again", |rows| rows.len() == 20).await?;
    assert_eq!(h.field_value("Nickname").await?, "typed meanwhile");
    let paused = h.text(".opc-export__error").await?;
    assert!(paused.contains("Export paused"), "{paused}");
    h.by_role("button", "Resume").await?.click().await?;
    let text = h.downloaded(downloads.path(), ALL_TIME_FILE).await?;
    assert_same_rows(&records_of(&text)[1..], &expected, expected_record);
    let pages: Vec<Value> = export_requests(&h).await?.into_iter().map(|r| r["body"]["pageNum"].clone()).collect();
    assert_eq!(pages, [1, 2, 2, 3, 4], "Resume continues from the page that failed; page 1 is not fetched again");
    let status = h.text(".opc-export [role=status]").await?;
    assert!(status.contains(&format!("Saved {ALL_TIME_FILE} (1512 rows)")), "{status}");

    // The table's own search expiring: after signing in again it is done again, no Retry.
    h.queue_fault(json!({ "endpoint": "chatSearchs", "fail": "http401" })).await?;
    h.by_role("button", "Next page").await?.click().await?;
    h.wait_for(".opc-signin").await?;
    sign_in(&h).await?;
    h.wait_rows("page 2", |rows| rows.len() == 20).await?;
    assert_eq!(h.query_param("page").await?.as_deref(), Some("2"));
    h.wait_gone(".opc-error").await?;
    Ok(())
}

/// Makes the page's `fetch` add `extra` to the `total` of every `chatSearchs` answer: a
/// server that reports more rows than it has.
async fn inflate_totals(h: &Harness, extra: u64) -> Result<()> {
    h.eval(
        "const extra = arguments[0];
         const original = window.fetch;
         window.fetch = async function (...args) {
           const response = await original.apply(this, args);
           const url = args[0] instanceof Request ? args[0].url : String(args[0]);
           if (!url.includes('/chatSearchs')) return response;
           const body = await response.json();
           if (body.page && typeof body.page.total === 'number') body.page.total += extra;
           return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
         };
         window.opErrors = [];
         document.addEventListener('op-error', (e) => window.opErrors.push(e.detail));",
        vec![extra.into()],
    )
    .await
    .map(drop)
}

#[tokio::test]
async fn fewer_rows_than_the_server_reported_is_a_partial_file_and_says_so() -> Result<()> {
    let downloads = tempfile::tempdir()?;
    let h = harness(downloads.path(), |o| o.chats = 588).await?;
    h.goto(ALL_TIME).await?;
    h.wait_rows("rows", |rows| rows.len() == 20).await?;
    let expected = all_api_rows(&h, json!({"startTime": "2015-01-01", "endTime": "2026-12-31"})).await?;
    assert_eq!(expected.len(), 600);
    inflate_totals(&h, 178).await?;
    click_export(&h).await?;
    let file = "conversations_2015-01-01_2026-12-31_partial-600-of-778.csv";
    let text = h.downloaded(downloads.path(), file).await?;
    assert_same_rows(&records_of(&text)[1..], &expected, expected_record);
    let status = h.text(".opc-export [role=status]").await?;
    assert!(status.contains(&format!("Saved {file} (partial: 600 of 778 rows)")), "{status}");
    let warning = h.text(".opc-export__error").await?;
    assert_eq!(warning, "600 of 778 rows saved — the server returned fewer than it reported.");
    let events = h.eval("return window.opErrors", vec![]).await?;
    assert_eq!(events, json!([{ "kind": "export", "message": warning }]), "the host is told too");
    Ok(())
}

#[tokio::test]
async fn a_changed_form_asks_which_search_to_export() -> Result<()> {
    let downloads = tempfile::tempdir()?;
    let h = harness(downloads.path(), |_| {}).await?;
    h.goto(YEAR_2015).await?;
    h.wait_rows("rows", |rows| !rows.is_empty()).await?;
    let year_rows = all_api_rows(&h, json!({"startTime": "2015-01-01", "endTime": "2015-12-31"})).await?;
    assert!(year_rows.len() > 12, "more than the nickname's rows");

    // Typed, not searched: the panel asks. Cancel leaves everything as it was.
    h.fill("Nickname", "阿洋").await?;
    click_export(&h).await?;
    let question = h.wait_for(".opc-export__ask").await?.text().await?;
    assert!(question.contains("Search with the new filters first?"), "{question}");
    assert!(question.contains("Last search: Date range: 2015-01-01 – 2015-12-31"), "{question}");
    assert!(question.contains("New filters in the form: Nickname: 阿洋 · Date range: 2015-01-01 – 2015-12-31"), "{question}");
    // The first answer has the focus (moved by an effect, just after the panel is drawn).
    h.wait_until("focus on Search and export", || async {
        let focused = h.eval("return document.activeElement.textContent.trim()", vec![]).await?;
        Ok((focused == json!("Search and export")).then_some(()))
    })
    .await?;
    h.by_role("button", "Cancel").await?.click().await?;
    h.wait_gone(".opc-export__ask").await?;
    assert_eq!(h.query_param("nick").await?, None, "nothing searched");

    // Search and export: the table and the file follow the new filters.
    click_export(&h).await?;
    h.by_role("button", "Search and export").await?.click().await?;
    let text = h.downloaded(downloads.path(), SEED_FILE).await?;
    let expected = all_api_rows(&h, json!({"userNick": "阿洋", "startTime": "2015-01-01", "endTime": "2015-12-31"})).await?;
    assert_same_rows(&records_of(&text)[1..], &expected, expected_record);
    assert_eq!(h.query_param("nick").await?.as_deref(), Some("阿洋"), "searched first");
    h.wait_rows("the nickname's rows", |rows| rows.len() == 12).await?;
    h.by_role("button", "Dismiss").await?.click().await?;

    // Export the last search: the form's other text is left alone.
    h.fill("Nickname", "").await?;
    click_export(&h).await?;
    h.by_role("button", "Export the last search").await?.click().await?;
    let status = h
        .wait_until("the second file", || async {
            let text = h.text(".opc-export [role=status]").await?;
            Ok(text.contains("Saved").then_some(text))
        })
        .await?;
    assert!(status.contains(&format!("Saved {SEED_FILE} (12 rows)")), "{status}");
    assert_eq!(h.field_value("Nickname").await?, "", "the form keeps what was typed");
    // An unchanged form exports at once.
    h.fill("Nickname", " 阿洋 ").await?;
    h.by_role("button", "Dismiss").await?.click().await?;
    click_export(&h).await?;
    h.wait_for(".opc-export [role=status]").await?;
    assert!(h.client().find_all(op_e2e::Locator::Css(".opc-export__ask")).await?.is_empty(), "blanks around a filter change nothing");
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn the_question_and_the_file_name_in_chinese() -> Result<()> {
    let downloads = tempfile::tempdir()?;
    let h = Harness::builder()
        .app_config(json!({ "locale": "zh-CN", "token": E2E_TOKEN }))
        .download_dir(downloads.path())
        .start()
        .await?;
    h.goto(SEED_QUERY).await?;
    h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    h.fill("昵称", "bob").await?;
    h.by_role("button", "导出 CSV").await?.click().await?;
    let question = h.wait_for(".opc-export__ask").await?.text().await?;
    assert!(question.contains("先用新的筛选条件搜索吗？"), "{question}");
    assert!(question.contains("上次搜索：昵称：阿洋 · 日期范围：2015-01-01 – 2015-12-31"), "{question}");
    assert!(question.contains("表单中的新条件：昵称：bob"), "{question}");
    h.by_role("button", "搜索并导出").await?;
    h.by_role("button", "导出上次搜索").await?.click().await?;
    let text = h.downloaded(downloads.path(), SEED_FILE).await?;
    assert_eq!(records_of(&text).len(), 13, "the header and the last search's 12 rows");
    let status = h.text(".opc-export [role=status]").await?;
    assert!(status.contains(&format!("已保存 {SEED_FILE}（12 条）")), "{status}");
    assert_eq!(h.text(".opc-export__filters").await?, "导出条件：昵称：阿洋 · 日期范围：2015-01-01 – 2015-12-31");
    Ok(())
}
