//! Downloaded files: waiting for one to be complete, reading CSV, and the records a file
//! must hold for the API's rows (Export CSV, Export selected).

use std::path::Path;

use anyhow::{Context, Result};
use chrono::{DateTime, FixedOffset};
use serde_json::Value;

use crate::Harness;

impl Harness {
    /// Waits for `name` to be completely downloaded into `dir` (see
    /// [`HarnessBuilder::download_dir`](crate::HarnessBuilder::download_dir)) and returns its text.
    pub async fn downloaded(&self, dir: &Path, name: &str) -> Result<String> {
        let path = dir.join(name);
        let partial = dir.join(format!("{name}.crdownload"));
        self.wait_until(&format!("{name} to be downloaded"), || async {
            Ok((path.is_file() && !partial.exists()).then(|| std::fs::read_to_string(&path)).transpose()?)
        })
        .await
    }
}

/// RFC 4180 records (quoted cells may hold commas, quotes and line breaks; CRLF or LF).
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
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

// What the console's CSV files must hold, from the API's own rows.

/// The records of a downloaded file, after checking its BOM and that every line ends
/// with CRLF.
pub fn records_of(text: &str) -> Vec<Vec<String>> {
    assert!(text.starts_with('\u{feff}'), "UTF-8 BOM");
    let records = parse_csv(text.trim_start_matches('\u{feff}'));
    let crlf = text.matches("\r\n").count();
    assert!(crlf >= records.len(), "CRLF line ends ({crlf} for {} records)", records.len());
    records
}

/// Every row the API returns for `body`, asked over HTTP (from the page, which is on the
/// sandbox's origin, as the harness's control calls are). The `probe` parameter tells
/// these requests apart from the app's in the sandbox's log.
pub async fn api_rows(h: &Harness, body: Value) -> Result<Vec<Value>> {
    let answer = h
        .eval(
            "const xhr = new XMLHttpRequest();
             xhr.open('POST', '/op/v2/chatSearchs?apiVersion=01&token=e2e-token&probe=1', false);
             xhr.setRequestHeader('content-type', 'application/json;charset=UTF-8');
             xhr.send(arguments[0]);
             return xhr.responseText;",
            vec![body.to_string().into()],
        )
        .await?;
    let answer: Value = serde_json::from_str(answer.as_str().context("text")?)?;
    answer["data"].as_array().cloned().context("rows")
}

/// Every row matching `filters` (a search body without paging), page by page.
pub async fn all_api_rows(h: &Harness, filters: Value) -> Result<Vec<Value>> {
    let mut rows = Vec::new();
    for page in 1.. {
        let mut body = filters.clone();
        body["pageNum"] = page.into();
        body["pageSize"] = 500.into();
        let found = api_rows(h, body).await?;
        if found.is_empty() {
            break;
        }
        rows.extend(found);
    }
    Ok(rows)
}

/// What the app should write for a field of an API row: text as sent, numbers printed,
/// epoch milliseconds as `YYYY-MM-DD HH:MM:SS` in UTC+8, null as empty; then the formula
/// guard (a sign first, also behind whitespace, ASCII or full-width; a tab or CR first).
pub fn expected_cell(row: &Value, field: &str) -> String {
    let text = match &row[field] {
        Value::Number(ms) if field == "createTime" => {
            let zone = FixedOffset::east_opt(8 * 3600).expect("UTC+8");
            let ms = ms.as_i64().expect("epoch ms");
            DateTime::from_timestamp_millis(ms).expect("instant").with_timezone(&zone).format("%Y-%m-%d %H:%M:%S").to_string()
        }
        Value::String(text) => text.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    let signs = ['=', '+', '-', '@', '＝', '＋', '－', '＠'];
    if text.starts_with(['\t', '\r']) || text.trim_start().starts_with(signs) {
        format!("'{text}")
    } else {
        text
    }
}

/// The label a file in English or (`zh`) Chinese gives a status the sandbox sends.
pub fn status_label(wire: &str, zh: bool) -> String {
    let label = match (wire, zh) {
        ("排队", false) => "Queued",
        ("交谈", false) => "Active",
        ("结束", false) => "Ended",
        ("排队", true) => "排队中",
        ("交谈", true) => "进行中",
        ("结束", true) => "已结束",
        _ => wire,
    };
    label.to_string()
}

/// The cells of the default column order (every table column, the status's wire value
/// after its label, then the ids), statuses in English or (`zh`) Chinese.
pub fn expected_record_in(row: &Value, zh: bool) -> Vec<String> {
    let mut cells: Vec<String> = ["chatId", "createTime", "nickName", "address", "status", "status", "title", "groupId", "userId"]
        .into_iter()
        .map(|field| expected_cell(row, field))
        .collect();
    cells[4] = status_label(&cells[5], zh);
    cells
}

pub fn expected_record(row: &Value) -> Vec<String> {
    expected_record_in(row, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_cells_and_line_ends() {
        let text = "a,\"b,\"\"c\"\"\",\"d\r\ne\"\r\n,x\n";
        assert_eq!(parse_csv(text), [vec!["a", "b,\"c\"", "d\r\ne"], vec!["", "x"]]);
    }
}
