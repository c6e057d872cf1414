//! `Export CSV` against the sandbox: the downloaded file compared row for row with the
//! API's own answer, Cancel mid-way, and failed pages that are retried.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use op_e2e::{english_config, Harness};
use serde_json::{json, Value};

const SEED_QUERY: &str = "/?nick=%E9%98%BF%E6%B4%8B&start=2015-01-01&end=2015-12-31";
const ALL_TIME: &str = "/?start=2015-01-01&end=2026-12-31";

async fn harness(downloads: &Path, configure: impl FnOnce(&mut op_e2e::SandboxOptions)) -> Result<Harness> {
    Harness::builder().app_config(english_config()).download_dir(downloads).sandbox(configure).start().await
}

/// Waits for `name` to be completely downloaded into `dir` and returns its text.
async fn downloaded(h: &Harness, dir: &Path, name: &str) -> Result<String> {
    let path: PathBuf = dir.join(name);
    let partial = dir.join(format!("{name}.crdownload"));
    h.wait_until(&format!("{name} to be downloaded"), || async {
        Ok((path.is_file() && !partial.exists()).then(|| std::fs::read_to_string(&path)).transpose()?)
    })
    .await
}

/// RFC 4180 records (quoted cells may hold commas, quotes and line breaks).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let (mut record, mut cell, mut quoted, mut chars) = (Vec::new(), String::new(), false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => record.push(std::mem::take(&mut cell)),
            ('\r', false) if chars.peek() == Some(&'\n') => {}
            ('\n', false) => {
                record.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut record));
            }
            _ => cell.push(c),
        }
    }
    records
}

/// Every row the API returns for the search, fetched from the page as the app would.
async fn api_rows(h: &Harness, body: Value) -> Result<Vec<Value>> {
    let answer = h
        .eval(
            "const xhr = new XMLHttpRequest();
             xhr.open('POST', '/op/v2/chatSearchs?apiVersion=01&token=e2e-token', false);
             xhr.setRequestHeader('content-type', 'application/json;charset=UTF-8');
             xhr.send(arguments[0]);
             return xhr.responseText;",
            vec![body.to_string().into()],
        )
        .await?;
    let answer: Value = serde_json::from_str(answer.as_str().context("text")?)?;
    answer["data"].as_array().cloned().context("rows")
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
    let text = downloaded(&h, downloads.path(), "conversations_2015-01-01_2015-12-31.csv").await?;
    assert!(text.starts_with('\u{feff}'), "UTF-8 BOM");
    let records = parse_csv(text.trim_start_matches('\u{feff}'));
    assert_eq!(records[0], ["Chat ID", "Created", "User", "Address", "Status", "Title", "Group ID", "User ID"]);
    assert_eq!(records[1], [
        "u0001d6ddfcbef27e45aeaee5bf7db6ac83b5", "2015-12-15 00:54:15", "阿洋", "北京市海淀区软件园六号路", "交谈",
        "Get帮你搞定一切", "135222409673310808", "u00013058217037704c358367f6e1fd1da545",
    ]);
    let expected = api_rows(&h, json!({"userNick": "阿洋", "startTime": "2015-01-01", "endTime": "2015-12-31", "pageNum": 1, "pageSize": 100})).await?;
    assert_eq!(records.len() - 1, expected.len());
    for (record, row) in records[1..].iter().zip(&expected) {
        assert_eq!(record[0], row["chatId"].as_str().unwrap_or_default());
        assert_eq!(record[2], row["nickName"].as_str().unwrap_or_default());
        assert_eq!(record[3], row["address"].as_str().unwrap_or_default());
        assert_eq!(record[5], row["title"].as_str().unwrap_or_default());
        assert_eq!(record[6], row["groupId"].as_str().unwrap_or_default());
    }
    assert!(!text.contains("e2e-token"), "no token in the file");
    h.wait_for(".opc-export [role=status]").await?;
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn many_pages_follow_the_visible_columns() -> Result<()> {
    let downloads = tempfile::tempdir()?;
    let h = harness(downloads.path(), |o| o.chats = 1_500).await?;
    h.goto(ALL_TIME).await?;
    h.wait_rows("rows", |rows| rows.len() == 20).await?;
    // Hide the Address column: the file follows the table.
    h.wait_for(".opc-menu summary").await?.click().await?;
    h.eval(
        "const box = Array.from(document.querySelectorAll('.opc-menu label')).find(l => l.textContent.trim() === 'Address').querySelector('input');
         box.click();",
        vec![],
    )
    .await?;
    click_export(&h).await?;
    let text = downloaded(&h, downloads.path(), "conversations_2015-01-01_2026-12-31.csv").await?;
    let records = parse_csv(text.trim_start_matches('\u{feff}'));
    assert_eq!(records[0], ["Chat ID", "Created", "User", "Status", "Title", "Group ID", "User ID"]);
    let pages = h.search_bodies().await?.into_iter().filter(|b| b["pageSize"] == 500).count();
    assert_eq!(pages, 4, "one request per page of 500");
    let mut expected = Vec::new();
    for page in 1..=4 {
        let body = json!({"startTime": "2015-01-01", "endTime": "2026-12-31", "pageNum": page, "pageSize": 500});
        expected.extend(api_rows(&h, body).await?);
    }
    assert_eq!(expected.len(), 1_512, "1,500 generated chats and the 12 of the seed");
    let ids: Vec<&str> = records[1..].iter().map(|r| r[0].as_str()).collect();
    let expected_ids: Vec<&str> = expected.iter().map(|r| r["chatId"].as_str().unwrap_or_default()).collect();
    assert_eq!(ids, expected_ids, "every row, in order, once");
    Ok(())
}

#[tokio::test]
async fn cancel_stops_mid_way_and_saves_nothing() -> Result<()> {
    let downloads = tempfile::tempdir()?;
    let h = harness(downloads.path(), |o| {
        o.chats = 3_000;
        o.latency_ms = 700;
    })
    .await?;
    h.goto(ALL_TIME).await?;
    h.wait_rows("rows", |rows| rows.len() == 20).await?;
    click_export(&h).await?;
    h.wait_until("some rows exported", || async {
        let text = h.eval("return document.querySelector('.opc-export')?.textContent || ''", vec![]).await?;
        Ok(text.as_str().is_some_and(|t| t.contains("Exported 500 of")).then_some(()))
    })
    .await?;
    h.by_role("button", "Cancel").await?.click().await?;
    h.wait_gone(".opc-export__row").await?;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(std::fs::read_dir(downloads.path())?.count(), 0, "no file after Cancel");
    let pages = h.search_bodies().await?.into_iter().filter(|b| b["pageSize"] == 500).count();
    assert!(pages < 7, "the walk stopped ({pages} of 7 pages requested)");
    // The table kept working meanwhile and still does.
    h.by_role("button", "Next page").await?.click().await?;
    h.wait_rows("page 2", |rows| rows.len() == 20).await?;
    Ok(())
}

#[tokio::test]
async fn failed_pages_are_retried_then_pause_with_a_choice() -> Result<()> {
    let downloads = tempfile::tempdir()?;
    let h = harness(downloads.path(), |o| o.chats = 600).await?;
    h.goto(ALL_TIME).await?;
    h.wait_rows("rows", |rows| rows.len() == 20).await?;

    // Two failures are absorbed by the retries.
    h.queue_fault(json!({ "endpoint": "chatSearchs", "fail": "html502", "count": 2 })).await?;
    click_export(&h).await?;
    let text = downloaded(&h, downloads.path(), "conversations_2015-01-01_2026-12-31.csv").await?;
    assert_eq!(parse_csv(text.trim_start_matches('\u{feff}')).len(), 1 + 612);
    std::fs::remove_file(downloads.path().join("conversations_2015-01-01_2026-12-31.csv"))?;
    h.wait_for(".opc-export button").await?.click().await?; // dismiss

    // Three failures in a row pause the export; Retry finishes it.
    h.queue_fault(json!({ "endpoint": "chatSearchs", "fail": "http500", "count": 3 })).await?;
    click_export(&h).await?;
    let paused = h.text(".opc-export__error").await?;
    assert!(paused.contains("Export paused") && paused.contains("HTTP 500"), "{paused}");
    h.by_role("button", "Save what we have").await?;
    h.by_role("button", "Retry").await?.click().await?;
    let text = downloaded(&h, downloads.path(), "conversations_2015-01-01_2026-12-31.csv").await?;
    assert_eq!(parse_csv(text.trim_start_matches('\u{feff}')).len(), 1 + 612);
    Ok(())
}
