//! The console in Traditional Chinese (zh-TW) from end to end: the search form, table,
//! pager and drawer speak Taiwan usage, the header's language select switches to and from
//! it, and axe-core finds nothing on the page or the open drawer (`lang="zh-TW"`).

use anyhow::Result;
use op_e2e::{Harness, Key};
use serde_json::json;

const SEED_CHAT: &str = "u0001d6ddfcbef27e45aeaee5bf7db6ac83b5";
/// The seed's example query (nickname 阿洋 in 2015): 12 rows, two customers.
const SEED_QUERY: &str = "/?nick=%E9%98%BF%E6%B4%8B&start=2015-01-01&end=2015-12-31&size=10";

/// zh-CN words of the console that must not show in zh-TW (the server's own data may be
/// in Simplified Chinese, so the check is on the console's words, not on characters).
const SIMPLIFIED: [&str; 8] = ["会话", "客户", "搜索", "导出", "技术信息", "共 12 条", "创建时间", "用户"];

fn assert_traditional(what: &str, text: &str) {
    for word in SIMPLIFIED {
        assert!(!text.contains(word), "{what} has the zh-CN word {word:?}: {text}");
    }
}

/// The pager's total once it starts with `start` (the language has switched).
async fn total_starting(h: &Harness, start: &str) -> Result<String> {
    h.wait_until(&format!("a total starting {start:?}"), || async {
        let total = h.text(".opc-pager__total").await?;
        Ok(total.starts_with(start).then_some(total))
    })
    .await
}

#[tokio::test]
async fn search_page_and_drawer_in_traditional_chinese() -> Result<()> {
    let h = Harness::builder().app_config(json!({ "locale": "zh-TW", "token": "e2e-token" })).start().await?;
    h.goto(SEED_QUERY).await?;
    let rows = h.wait_rows("the seed rows", |rows| rows.len() == 10).await?;
    assert_eq!(h.eval("return document.querySelector('.opc-app').lang", vec![]).await?, json!("zh-TW"));

    // The form, and a search from it.
    h.by_role("form", "搜尋會話").await?;
    assert_eq!(h.field_value("暱稱").await?, "阿洋");
    h.by_role("button", "搜尋").await?.click().await?;
    h.by_role("button", "匯出 CSV").await?;
    h.by_role("combobox", "語言").await?;

    // The table and the pager.
    h.by_role("table", "會話列表").await?;
    for header in ["會話 ID", "建立時間（UTC+8）", "使用者", "地址", "狀態", "標題"] {
        h.by_role("columnheader", header).await?;
    }
    let total = total_starting(&h, "共 12 筆").await?;
    assert!(total.contains("位客戶"), "the customers counted in zh-TW: {total}");
    assert_eq!(h.text(".opc-pager__where").await?, "第 1 / 2 頁");
    h.by_role("navigation", "分頁").await?;
    h.by_role("button", "第 2 頁").await?;
    h.by_role("button", "上一頁").await?;
    let table = h.text("table").await?;
    assert!(table.contains("已結束") || table.contains("進行中") || table.contains("排隊中"), "statuses in zh-TW: {table}");
    assert_traditional("the table", &table);
    assert_traditional("the form", &h.text("form").await?);

    h.by_role("button", "下一頁").await?.click().await?;
    h.wait_rows("page 2", |now| now.len() == 2).await?;
    assert_eq!(h.text(".opc-pager__where").await?, "第 2 / 2 頁");
    h.by_role("button", "上一頁").await?.click().await?;
    h.wait_rows("page 1 again", |now| now == rows.as_slice()).await?;
    h.assert_accessible("the search page in zh-TW", None, &[]).await?;

    // The drawer.
    h.wait_for(&format!("tr.opc-row[data-chat-id='{SEED_CHAT}']")).await?.click().await?;
    h.by_role("dialog", "會話詳細資料").await?;
    h.wait_for(&format!("[role=dialog] .opc-chat[data-chat-id='{SEED_CHAT}']")).await?;
    for (role, name) in [("button", "關閉"), ("button", "下一個會話"), ("button", "上一個會話")] {
        h.by_role(role, name).await?;
    }
    let drawer = h.text("[role=dialog]").await?;
    for word in ["客戶", "服務次數", "次會話", "技術資訊", "建立時間"] {
        assert!(drawer.contains(word), "the drawer says {word:?}: {drawer}");
    }
    assert_traditional("the drawer", &drawer);
    h.assert_accessible("the open drawer in zh-TW", Some("[role=dialog]"), &[]).await?;
    h.press(&Key::Escape).await?;
    h.wait_gone("[role=dialog]").await?;

    // The header's select leaves Traditional Chinese and comes back to it, remembered.
    h.by_role("combobox", "語言").await?.select_by_value("en").await?;
    total_starting(&h, "12 results").await?;
    h.by_role("combobox", "Language").await?.select_by_value("zh-TW").await?;
    assert_eq!(total_starting(&h, "共 12 筆").await?, total);
    assert_eq!(h.eval("return localStorage.getItem('opc:locale')", vec![]).await?, json!("zh-TW"));
    h.assert_no_console_errors().await?;
    Ok(())
}
