//! Row selection and the table as one Tab stop (issue 16), in English and Chinese: picks
//! kept across pages and page sizes and dropped by a new search (with a note), Shift+click
//! ranges, Space, Copy IDs read back from the clipboard, Export selected compared row by
//! row with the sandbox; the keyboard path from the form to the pager and the grid's keys;
//! the layout by the console's own width (cards in a 400 px container, also in the example
//! portal's sidebar on a wide window); axe-core in both themes and both layouts.

use std::path::Path;

use anyhow::{ensure, Context, Result};
use fantoccini::actions::{Actions, InputSource, KeyAction, KeyActions, MouseActions, PointerAction};
use op_e2e::{api_rows, english_config, expected_record_in, records_of, Harness, Key};
use serde_json::{json, Value};

/// Every conversation of the sandbox, 20 to a page.
const ALL_TIME: &str = "/?start=2015-01-01&end=2026-12-31";
const ALL_TIME_FILE_STEM: &str = "conversations_2015-01-01_2026-12-31";

/// The words a language gives the selection.
struct Words {
    config: Value,
    select_row: &'static str,
    select_page: &'static str,
    copy_ids: &'static str,
    export_selected: &'static str,
    clear: &'static str,
    dropped: &'static str,
    selected: fn(usize) -> String,
    nickname: &'static str,
    search: &'static str,
    zh: bool,
}

fn english() -> Words {
    Words {
        config: english_config(),
        select_row: "Select row",
        select_page: "Select all on this page",
        copy_ids: "Copy IDs",
        export_selected: "Export selected",
        clear: "Clear selection",
        dropped: "New search: the selection was cleared.",
        selected: |n| format!("{n} selected"),
        nickname: "Nickname",
        search: "Search",
        zh: false,
    }
}

fn chinese() -> Words {
    Words {
        config: json!({ "locale": "zh-CN", "token": op_e2e::E2E_TOKEN }),
        select_row: "选择此行",
        select_page: "全选本页",
        copy_ids: "复制 ID",
        export_selected: "导出所选",
        clear: "清除选择",
        dropped: "已开始新的搜索，之前的选择已清除。",
        selected: |n| format!("已选 {n} 条"),
        nickname: "昵称",
        search: "搜索",
        zh: true,
    }
}

async fn harness(words: &Words, downloads: Option<&Path>) -> Result<Harness> {
    let builder = Harness::builder().app_config(words.config.clone());
    match downloads {
        Some(dir) => builder.download_dir(dir).start().await,
        None => builder.start().await,
    }
}

/// Per row of the page: its chat id and whether its checkbox is checked; and the header
/// checkbox's state ("checked", "mixed" or "unchecked").
async fn checks(h: &Harness) -> Result<(Vec<(String, bool)>, String)> {
    let state = h
        .eval(
            "const rows = Array.from(document.querySelectorAll('tr.opc-row')).map(r => [r.dataset.chatId, r.querySelector('input.opc-check').checked]);
             const all = document.querySelector('thead input.opc-check');
             return [rows, all.indeterminate ? 'mixed' : all.checked ? 'checked' : 'unchecked'];",
            vec![],
        )
        .await?;
    let rows = serde_json::from_value(state[0].clone())?;
    Ok((rows, state[1].as_str().unwrap_or_default().to_string()))
}

async fn picked(h: &Harness) -> Result<Vec<String>> {
    Ok(checks(h).await?.0.into_iter().filter(|(_, on)| *on).map(|(id, _)| id).collect())
}

/// Clicks the checkbox of the row at `index`, holding Shift when `shift`, as a person would.
async fn click_checkbox(h: &Harness, index: usize, shift: bool) -> Result<()> {
    let boxes = h.client().find_all(op_e2e::Locator::Css("tr.opc-row input.opc-check")).await?;
    let checkbox = boxes.get(index).context("the row's checkbox")?.clone();
    // In the middle of the window, clear of the sticky header row.
    h.eval("arguments[0].scrollIntoView({ block: 'center' })", vec![serde_json::to_value(&checkbox)?]).await?;
    if !shift {
        return Ok(checkbox.click().await?);
    }
    let pause = || PointerAction::Pause { duration: std::time::Duration::ZERO };
    let mouse = MouseActions::new("mouse".into())
        .then(pause())
        .then(PointerAction::MoveToElement { element: checkbox, duration: None, x: 0.0, y: 0.0 })
        .then(PointerAction::Down { button: 0 })
        .then(PointerAction::Up { button: 0 })
        .then(pause());
    let shift = char::from(Key::Shift);
    let keys = KeyActions::new("keys".into())
        .then(KeyAction::Down { value: shift })
        .then(KeyAction::Pause { duration: std::time::Duration::ZERO })
        .then(KeyAction::Pause { duration: std::time::Duration::ZERO })
        .then(KeyAction::Pause { duration: std::time::Duration::ZERO })
        .then(KeyAction::Up { value: shift });
    h.client().perform_actions(Actions::from(keys).and(mouse)).await?;
    Ok(())
}

async fn wait_status(h: &Harness, text: &str) -> Result<()> {
    h.by_role("status", text).await.map(drop)
}

/// No count shown: nothing is selected.
async fn wait_no_count(h: &Harness) -> Result<()> {
    h.wait_until("no selection count", || async {
        let text = h.eval("return document.querySelector('.opc-selection__count').textContent", vec![]).await?;
        Ok((text == json!("")).then_some(()))
    })
    .await
}

async fn go_to_page(h: &Harness, page: u32, previous_first: &str) -> Result<Vec<String>> {
    h.wait_for(&format!(".opc-pager button[data-page='{page}']")).await?.click().await?;
    h.wait_rows(&format!("page {page}"), |rows| !rows.is_empty() && rows[0] != previous_first).await
}

async fn selection_across_pages_and_sizes(words: Words) -> Result<()> {
    let h = harness(&words, None).await?;
    h.goto(ALL_TIME).await?;
    let page1 = h.wait_rows("page 1", |rows| rows.len() == 20).await?;
    ensure!(h.all_by_role("checkbox", Some(words.select_row)).await?.len() == 20, "a named checkbox per row");
    h.by_role("checkbox", words.select_page).await?;
    assert_eq!(checks(&h).await?.1, "unchecked");

    // Two rows on page 1: the header is mixed, a click on the box opens no drawer.
    click_checkbox(&h, 0, false).await?;
    click_checkbox(&h, 2, false).await?;
    wait_status(&h, &(words.selected)(2)).await?;
    assert_eq!(picked(&h).await?, [page1[0].clone(), page1[2].clone()]);
    assert_eq!(checks(&h).await?.1, "mixed");
    assert!(h.all_by_role("dialog", None).await?.is_empty(), "a checkbox click opened the drawer");

    // Page 2: nothing of it is selected; one more pick.
    let page2 = go_to_page(&h, 2, &page1[0]).await?;
    assert_eq!(picked(&h).await?, Vec::<String>::new(), "page 2's rows are not page 1's picks");
    assert_eq!(checks(&h).await?.1, "unchecked");
    click_checkbox(&h, 5, false).await?;
    wait_status(&h, &(words.selected)(3)).await?;

    // Back to page 1: its picks are still there.
    go_to_page(&h, 1, &page2[0]).await?;
    assert_eq!(picked(&h).await?, [page1[0].clone(), page1[2].clone()]);

    // 50 rows a page: all three picks show on the one page.
    h.wait_for(".opc-pager select").await?.select_by_value("50").await?;
    let fifty = h.wait_rows("50 rows", |rows| rows.len() == 50).await?;
    assert_eq!(fifty[20], page2[0], "pages of 50 hold pages 1 and 2 of 20");
    assert_eq!(picked(&h).await?, [page1[0].clone(), page1[2].clone(), page2[5].clone()]);
    wait_status(&h, &(words.selected)(3)).await?;

    // Select all on this page, then none of it.
    h.by_role("checkbox", words.select_page).await?.click().await?;
    wait_status(&h, &(words.selected)(50)).await?;
    assert_eq!(checks(&h).await?.1, "checked");
    h.by_role("checkbox", words.select_page).await?.click().await?;
    wait_no_count(&h).await?;
    assert_eq!(picked(&h).await?, Vec::<String>::new());

    // A new search drops a selection, and says so.
    click_checkbox(&h, 1, false).await?;
    wait_status(&h, &(words.selected)(1)).await?;
    h.fill(words.nickname, "阿洋").await?;
    h.by_role("button", words.search).await?.click().await?;
    h.wait_rows("阿洋's rows", |rows| rows.len() < 50).await?;
    wait_status(&h, words.dropped).await?;
    wait_no_count(&h).await?;
    assert_eq!(picked(&h).await?, Vec::<String>::new());
    // The next pick takes the note away.
    click_checkbox(&h, 0, false).await?;
    wait_status(&h, &(words.selected)(1)).await?;
    ensure!(h.all_by_role("status", Some(words.dropped)).await?.is_empty(), "the note stays after a new pick");
    h.by_role("button", words.clear).await?.click().await?;
    wait_no_count(&h).await?;
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn selection_survives_pages_and_sizes_and_a_new_search_drops_it() -> Result<()> {
    selection_across_pages_and_sizes(english()).await
}

#[tokio::test]
async fn selection_survives_pages_and_sizes_and_a_new_search_drops_it_in_chinese() -> Result<()> {
    selection_across_pages_and_sizes(chinese()).await
}

async fn range_space_and_copy(words: Words) -> Result<()> {
    let h = harness(&words, None).await?;
    h.goto(ALL_TIME).await?;
    let rows = h.wait_rows("page 1", |rows| rows.len() == 20).await?;
    // Shift+click: from the last row toggled to the clicked one.
    click_checkbox(&h, 1, false).await?;
    click_checkbox(&h, 4, true).await?;
    wait_status(&h, &(words.selected)(4)).await?;
    assert_eq!(picked(&h).await?, rows[1..=4].to_vec());
    // And back up over selected rows: they are dropped.
    click_checkbox(&h, 3, true).await?;
    wait_status(&h, &(words.selected)(2)).await?;
    assert_eq!(picked(&h).await?, rows[1..=2].to_vec());

    // Space on a focused row picks it; Enter still opens.
    h.eval("document.querySelectorAll('tr.opc-row')[7].focus()", vec![]).await?;
    h.press(" ").await?;
    wait_status(&h, &(words.selected)(3)).await?;
    h.press(&Key::Down).await?;
    h.press(" ").await?;
    wait_status(&h, &(words.selected)(4)).await?;
    assert_eq!(h.focused().await?, json!(rows[8]), "Space does not move focus nor scroll it away");
    h.press(" ").await?;
    wait_status(&h, &(words.selected)(3)).await?;
    assert_eq!(picked(&h).await?, [rows[1].clone(), rows[2].clone(), rows[7].clone()]);

    // Copy IDs: one per line, in the order picked.
    h.cdp("Browser.grantPermissions", json!({ "origin": h.base_url(), "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"] })).await?;
    h.by_role("button", words.copy_ids).await?.click().await?;
    let pasted = h.client().execute_async("navigator.clipboard.readText().then(arguments[0], e => arguments[0]('failed: ' + e))", vec![]).await?;
    assert_eq!(pasted, json!([rows[1].as_str(), rows[2].as_str(), rows[7].as_str()].join("\n")));
    assert!(h.all_by_role("dialog", None).await?.is_empty(), "copying opened the drawer");
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn shift_click_ranges_space_and_copy_ids() -> Result<()> {
    range_space_and_copy(english()).await
}

#[tokio::test]
async fn shift_click_ranges_space_and_copy_ids_in_chinese() -> Result<()> {
    range_space_and_copy(chinese()).await
}

async fn export_selected(words: Words) -> Result<()> {
    let downloads = tempfile::tempdir()?;
    let h = harness(&words, Some(downloads.path())).await?;
    h.goto(ALL_TIME).await?;
    let page1 = h.wait_rows("page 1", |rows| rows.len() == 20).await?;
    click_checkbox(&h, 3, false).await?;
    click_checkbox(&h, 0, false).await?;
    let page2 = go_to_page(&h, 2, &page1[0]).await?;
    click_checkbox(&h, 19, false).await?;
    wait_status(&h, &(words.selected)(3)).await?;
    h.clear_requests().await?;
    h.by_role("button", words.export_selected).await?.click().await?;
    let text = h.downloaded(downloads.path(), &format!("{ALL_TIME_FILE_STEM}_selected-3.csv")).await?;
    assert_eq!(h.search_bodies().await?, Vec::<Value>::new(), "Export selected sends no request");

    // The API's own rows for those two pages, compared cell by cell, in the order picked.
    let mut api = Vec::new();
    for page in [1, 2] {
        api.extend(api_rows(&h, json!({ "startTime": "2015-01-01", "endTime": "2026-12-31", "pageNum": page, "pageSize": 20 })).await?);
    }
    let row_of = |id: &str| api.iter().find(|r| r["chatId"] == json!(id)).cloned().with_context(|| format!("{id} in the API's rows"));
    let records = records_of(&text);
    let headers = if words.zh {
        vec!["会话 ID", "创建时间", "用户", "地址", "状态", "状态码", "标题", "用户组 ID", "用户 ID"]
    } else {
        vec!["Chat ID", "Created", "User", "Address", "Status", "Status code", "Title", "Group ID", "User ID"]
    };
    assert_eq!(records.len(), 4, "a header and three rows");
    assert_eq!(records[0], headers, "the same columns as Export CSV");
    for (record, id) in records[1..].iter().zip([&page1[3], &page1[0], &page2[19]]) {
        assert_eq!(record, &expected_record_in(&row_of(id)?, words.zh), "row {id}");
    }
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn export_selected_writes_the_picked_rows_without_a_request() -> Result<()> {
    export_selected(english()).await
}

#[tokio::test]
async fn export_selected_writes_the_picked_rows_without_a_request_in_chinese() -> Result<()> {
    export_selected(chinese()).await
}

/// What has focus: a row (`row N`), or a control's name, or where it is (`pager: …`).
const WHERE_JS: &str = "const a = document.activeElement;
    if (!a) return null;
    if (a.matches('tr.opc-row')) return 'row ' + Array.from(a.parentElement.children).indexOf(a);
    const name = a.getAttribute('aria-label') || a.textContent.trim();
    return a.closest('.opc-pager') ? 'pager: ' + name : name;";

async fn focus_is(h: &Harness) -> Result<String> {
    Ok(h.eval(WHERE_JS, vec![]).await?.as_str().unwrap_or("nothing").to_string())
}

/// The table is one Tab stop: from the form's last button, the table's toolbar, the table,
/// then the pager (40 rows and copy buttons lay between them before); Tab comes back in
/// at the row last focused. The chart between the form and the table is shipped off here:
/// its own stops (Hide chart, one bar) are chart.rs's business, and its bars come and go
/// while the counts load.
#[tokio::test]
async fn the_table_is_one_tab_stop_on_the_way_to_the_pager() -> Result<()> {
    let mut words = english();
    words.config["chart"] = json!(false);
    let h = harness(&words, None).await?;
    h.goto(ALL_TIME).await?;
    h.wait_rows("page 1", |rows| rows.len() == 20).await?;
    // The row checkboxes' class once matched the page's <select>s too and shrank them to
    // 16 px (language, theme, rows per page): the checkbox styles stay on checkboxes.
    let widths = h.eval("return Array.from(document.querySelectorAll('select')).map(s => s.getBoundingClientRect().width)", vec![]).await?;
    let widths: Vec<f64> = widths.as_array().context("select widths")?.iter().filter_map(Value::as_f64).collect();
    ensure!(widths.len() >= 3 && widths.iter().all(|w| *w >= 40.0), "every <select> keeps its width: {widths:?}");
    let form = h.by_role("form", "Search conversations").await?;
    h.eval("const buttons = arguments[0].querySelectorAll('button'); buttons[buttons.length - 1].focus()", vec![serde_json::to_value(&form)?]).await?;
    let last = focus_is(&h).await?;
    let mut stops = Vec::new();
    while !focus_is(&h).await?.starts_with("pager: ") {
        ensure!(stops.len() < 10, "Tab did not reach the pager within 10 presses: {stops:?}");
        h.press(&Key::Tab).await?;
        stops.push(focus_is(&h).await?);
    }
    // The table's toolbar (Views, Columns, Density…), then one row, then the pager.
    let toolbar = h.eval("return document.querySelectorAll('.opc-table-tools :is(button, summary)').length", vec![]).await?;
    let toolbar = toolbar.as_u64().context("toolbar controls")? as usize;
    assert_eq!(stops.len(), toolbar + 2, "{last} → the toolbar → the table → the pager: {stops:?}");
    assert_eq!(stops.iter().filter(|s| s.starts_with("row ")).count(), 1, "one stop in the table: {stops:?}");
    assert_eq!(stops[stops.len() - 2], "row 0", "the table's stop is its first row: {stops:?}");

    // Move inside, leave, come back: the row last focused.
    h.press(&(Key::Shift + &Key::Tab)).await?;
    assert_eq!(focus_is(&h).await?, "row 0");
    for _ in 0..3 {
        h.press(&Key::Down).await?;
    }
    h.press(&Key::Tab).await?;
    ensure!(focus_is(&h).await?.starts_with("pager: "), "Tab from a row leaves the table");
    h.press(&(Key::Shift + &Key::Tab)).await?;
    assert_eq!(focus_is(&h).await?, "row 3", "Tab enters at the last focused row");
    // Copy buttons and checkboxes are not Tab stops.
    let stops_in_rows = h.eval("return document.querySelectorAll('tr.opc-row [tabindex=\"0\"], tr.opc-row button:not([tabindex]), tr.opc-row input:not([tabindex])').length", vec![]).await?;
    assert_eq!(stops_in_rows, json!(0));
    h.assert_no_console_errors().await?;
    Ok(())
}

/// ↑/↓/Home/End/PageUp/PageDown move, ↑ from the first row reaches Select all (Space),
/// Enter opens and Esc brings focus back to the row.
#[tokio::test]
async fn grid_keys() -> Result<()> {
    let h = harness(&english(), None).await?;
    h.goto(&format!("{ALL_TIME}&size=50")).await?;
    let rows = h.wait_rows("50 rows", |rows| rows.len() == 50).await?;
    h.eval("document.querySelector('tr.opc-row').focus()", vec![]).await?;
    for (key, expected) in [(&Key::End, 49), (&Key::PageUp, 39), (&Key::Up, 38), (&Key::Home, 0), (&Key::PageDown, 10), (&Key::Down, 11)] {
        h.press(key).await?;
        assert_eq!(focus_is(&h).await?, format!("row {expected}"), "after {key:?}");
    }
    h.press(&Key::Home).await?;
    h.press(&Key::Up).await?;
    assert_eq!(focus_is(&h).await?, "Select all on this page");
    h.press(" ").await?;
    wait_status(&h, "50 selected").await?;
    h.press(&Key::Down).await?;
    assert_eq!(focus_is(&h).await?, "row 0");
    h.press(&Key::Down).await?;
    h.press(&Key::Enter).await?;
    h.by_role("dialog", "Chat details").await?;
    h.press(&Key::Escape).await?;
    h.wait_gone("[role=dialog]").await?;
    h.wait_until("focus back on the row", || async { Ok((h.focused().await? == json!(rows[1])).then_some(())) }).await?;
    h.assert_no_console_errors().await?;
    Ok(())
}

/// How the rows are laid out: `flex` (the table) or `grid` (cards).
async fn row_display(h: &Harness, root: &str) -> Result<String> {
    let script = "const root = arguments[0] ? document.querySelector(arguments[0]).shadowRoot : document;
        const row = root.querySelector('tr.opc-row');
        return row ? getComputedStyle(row).display : null;";
    Ok(h.eval(script, vec![if root.is_empty() { Value::Null } else { root.into() }]).await?.as_str().unwrap_or_default().to_string())
}

/// Sets the window's inner size.
async fn window(h: &Harness, width: u32, height: u32) -> Result<()> {
    h.client().set_window_size(width, height).await?;
    let inner = h.eval("return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight]", vec![]).await?;
    let (dw, dh) = (inner[0].as_u64().unwrap_or(0) as u32, inner[1].as_u64().unwrap_or(0) as u32);
    h.client().set_window_size(width + dw, height + dh).await?;
    Ok(())
}

/// The console's own width decides: 400 px wide on a 1280 px window it shows cards
/// (which keep the checkbox and the keys), 1280 px wide the table.
#[tokio::test]
async fn the_layout_follows_the_console_width_not_the_window() -> Result<()> {
    let h = harness(&english(), None).await?;
    window(&h, 1400, 900).await?;
    h.goto(ALL_TIME).await?;
    let rows = h.wait_rows("page 1", |rows| rows.len() == 20).await?;
    h.eval("document.querySelector('.opc-app').style.width = '1280px'", vec![]).await?;
    assert_eq!(row_display(&h, "").await?, "flex", "a 1280 px console shows the table (rows of flex boxes)");
    h.eval("document.querySelector('.opc-app').style.width = '400px'", vec![]).await?;
    assert_eq!(row_display(&h, "").await?, "grid", "a 400 px console shows cards");
    let width = h.eval("return document.querySelector('tr.opc-row').getBoundingClientRect().width", vec![]).await?;
    ensure!(width.as_f64().is_some_and(|w| w <= 400.0), "the cards fit the console: {width}");
    // Selection and keys work on cards too.
    click_checkbox(&h, 2, false).await?;
    wait_status(&h, "1 selected").await?;
    h.eval("document.querySelector('tr.opc-row').focus()", vec![]).await?;
    h.press(&Key::Down).await?;
    h.press(" ").await?;
    wait_status(&h, "2 selected").await?;
    assert_eq!(picked(&h).await?, [rows[1].clone(), rows[2].clone()]);
    h.press(&Key::Enter).await?;
    h.by_role("dialog", "Chat details").await?;
    let drawer = h.eval("return document.querySelector('.opc-drawer').getBoundingClientRect().width", vec![]).await?;
    ensure!(drawer.as_f64().is_some_and(|w| (w - 400.0).abs() < 1.0), "the drawer takes the console's width: {drawer}");
    h.assert_no_console_errors().await?;
    Ok(())
}

/// The example portal on a 1920 px window: its 400 px sidebar console shows cards while
/// the main console shows the table.
#[tokio::test]
async fn the_portal_sidebar_shows_cards_on_a_wide_window() -> Result<()> {
    let portal = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/portal");
    let h = Harness::builder()
        .sandbox(|o| {
            o.token = Some("demo-token".into());
            o.portal = Some(portal);
            o.csp = true;
        })
        .start()
        .await?;
    window(&h, 1920, 1000).await?;
    h.goto("/portal/?start=2015-01-01&end=2026-12-31").await?;
    h.wait_until("the main console's rows", || async { Ok((row_display(&h, "#portal-console").await? == "flex").then_some(())) }).await?;
    h.eval("document.querySelector('#quick-search summary').click()", vec![]).await?;
    h.wait_until("the sidebar console's cards", || async { Ok((row_display(&h, "#sidebar-console").await? == "grid").then_some(())) }).await?;
    assert_eq!(row_display(&h, "#portal-console").await?, "flex", "the main console keeps its table");
    let width = h.eval("return document.querySelector('#sidebar-console').getBoundingClientRect().width", vec![]).await?;
    ensure!(width.as_f64().is_some_and(|w| w <= 400.0), "the sidebar is narrow: {width}");
    h.assert_no_console_errors().await?;
    Ok(())
}

/// axe-core: no violations with a selection, in both themes and both layouts.
#[tokio::test]
async fn accessible_in_both_themes_and_layouts() -> Result<()> {
    let h = harness(&english(), None).await?;
    window(&h, 1280, 900).await?;
    h.goto(ALL_TIME).await?;
    h.wait_rows("page 1", |rows| rows.len() == 20).await?;
    click_checkbox(&h, 0, false).await?;
    click_checkbox(&h, 1, false).await?;
    wait_status(&h, "2 selected").await?;
    for (layout, width) in [("table", "auto"), ("cards", "400px")] {
        h.eval("document.querySelector('.opc-app').style.width = arguments[0]", vec![width.into()]).await?;
        for theme in ["light", "dark"] {
            h.set_theme("Theme", theme).await?;
            h.assert_accessible(&format!("a selection ({layout}, {theme})"), None, &[]).await?;
        }
    }
    Ok(())
}

/// The card layout for the README (`docs/screenshots/cards.png`): run by hand with
/// `cargo test -p op-e2e --test selection -- --ignored screenshot`.
#[tokio::test]
#[ignore = "writes docs/screenshots/cards.png"]
async fn screenshot_of_the_card_layout() -> Result<()> {
    let h = harness(&english(), None).await?;
    window(&h, 400, 860).await?;
    h.goto(ALL_TIME).await?;
    h.wait_rows("page 1", |rows| rows.len() == 20).await?;
    click_checkbox(&h, 1, false).await?;
    click_checkbox(&h, 2, false).await?;
    wait_status(&h, "2 selected").await?;
    h.eval("document.querySelector('.opc-selection').scrollIntoView()", vec![]).await?;
    h.screenshot(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots/cards.png")).await
}
