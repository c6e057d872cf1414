//! Saved views (issue 15) against the sandbox, in English and Chinese: saved from the
//! search on screen, applied from the "Views" menu (by keyboard too), the default one on
//! load, quick ranges worked out on the day they are applied (the sandbox's `--now` and
//! the browser's clock moved together), two consoles' lists kept apart, and a storage that
//! is full or missing.

use std::path::{Path, PathBuf};

use anyhow::{ensure, Context, Result};
use op_e2e::{english_config, Harness, Key};
use serde_json::{json, Value};

/// The texts a test needs, per language.
struct Texts {
    views: &'static str,
    save_current: &'static str,
    manage: &'static str,
    save_dialog: &'static str,
    manage_dialog: &'static str,
    name: &'static str,
    save: &'static str,
    search: &'static str,
    reset: &'static str,
    nickname: &'static str,
    start: &'static str,
    end: &'static str,
    rows_per_page: &'static str,
    default_view: &'static str,
    move_up: &'static str,
    delete: &'static str,
    undo: &'static str,
    close: &'static str,
    last_7_days: &'static str,
    taken: &'static str,
    full: &'static str,
    unavailable: &'static str,
}

const EN: Texts = Texts {
    views: "Views",
    save_current: "Save current view…",
    manage: "Manage views…",
    save_dialog: "Save view",
    manage_dialog: "Manage views",
    name: "View name",
    save: "Save",
    search: "Search",
    reset: "Reset",
    nickname: "Nickname",
    start: "Start date",
    end: "End date",
    rows_per_page: "Rows per page",
    default_view: "Default view",
    move_up: "Move up",
    delete: "Delete",
    undo: "Undo",
    close: "Close",
    last_7_days: "Last 7 days",
    taken: "A view with this name already exists",
    full: "The browser's storage is full, so nothing was saved. The views saved before are all kept.",
    unavailable: "This browser does not let the page store data, so views cannot be saved.",
};

const ZH: Texts = Texts {
    views: "视图",
    save_current: "保存当前视图…",
    manage: "管理视图…",
    save_dialog: "保存视图",
    manage_dialog: "管理视图",
    name: "视图名称",
    save: "保存",
    search: "搜索",
    reset: "重置",
    nickname: "昵称",
    start: "开始日期",
    end: "结束日期",
    rows_per_page: "每页条数",
    default_view: "默认视图",
    move_up: "上移",
    delete: "删除",
    undo: "撤销",
    close: "关闭",
    last_7_days: "近 7 天",
    taken: "已有同名视图",
    full: "浏览器的存储空间已满，未能保存。之前保存的视图都还在。",
    unavailable: "此浏览器不允许本页保存数据，视图无法保存。",
};

async fn console(t: &Texts) -> Result<Harness> {
    let config = if t.views == EN.views { english_config() } else { json!({ "locale": "zh-CN", "token": "e2e-token" }) };
    Harness::builder().app_config(config).start().await
}

/// The names of the menu's items, in order, when it is open.
async fn menu_items(h: &Harness) -> Result<Vec<String>> {
    let items = h.all_by_role("menuitem", None).await?;
    let mut names = Vec::new();
    for item in items {
        names.push(item.text().await?.trim().to_owned());
    }
    Ok(names)
}

async fn open_menu(h: &Harness, t: &Texts) -> Result<Vec<String>> {
    h.by_role("button", t.views).await?.click().await?;
    h.wait_until("the open Views menu", || async { Ok(Some(menu_items(h).await?).filter(|items| !items.is_empty())) }).await
}

/// Saves the search on screen as `name` through the menu and the dialog, by keyboard.
async fn save_view(h: &Harness, t: &Texts, name: &str) -> Result<()> {
    open_menu(h, t).await?;
    h.by_role("menuitem", t.save_current).await?.click().await?;
    h.by_role("dialog", t.save_dialog).await?;
    wait_focus(h, t.name).await?;
    h.press(name).await?;
    h.press(&Key::Enter).await?;
    h.wait_until("the Save view dialog to close", || async { Ok(h.all_by_role("dialog", Some(t.save_dialog)).await?.is_empty().then_some(())) })
        .await
}

async fn apply_view(h: &Harness, t: &Texts, name: &str) -> Result<()> {
    open_menu(h, t).await?;
    h.by_role("menuitem", name).await?.click().await.context("clicking the view")
}

/// Waits until the focused element's `aria-label` (or chat id, or tag) is `label`.
async fn wait_focus(h: &Harness, label: &str) -> Result<()> {
    h.wait_until(&format!("focus on {label:?}"), || async { Ok((h.focused().await? == json!(label)).then_some(())) }).await
}

async fn last_search(h: &Harness) -> Result<Value> {
    h.search_bodies().await?.pop().context("a search was sent")
}

#[tokio::test]
async fn a_view_is_saved_applied_and_managed_by_keyboard() -> Result<()> {
    let t = &EN;
    let h = console(t).await?;
    h.goto("/").await?;
    h.wait_rows("the default rows", |rows| rows.len() == 20).await?;
    h.fill(t.nickname, "阿洋").await?;
    h.fill(t.start, "2015-01-01").await?;
    h.fill(t.end, "2015-12-31").await?;
    h.by_role("button", t.search).await?.click().await?;
    h.wait_rows("the seed rows", |rows| rows.len() == 12).await?;
    h.by_role("combobox", t.rows_per_page).await?.select_by_value("50").await?;
    h.wait_until("size=50 in the address", || async { Ok(h.query_param("size").await?.filter(|s| s == "50")) }).await?;

    // The menu button: ↓ opens it on its first item, Esc closes it and focus goes back.
    let button = h.by_role("button", t.views).await?;
    assert_eq!(button.attr("aria-haspopup").await?.as_deref(), Some("menu"));
    assert_eq!(button.attr("aria-expanded").await?.as_deref(), Some("false"));
    h.eval("arguments[0].focus()", vec![serde_json::to_value(&button)?]).await?;
    h.press(&Key::Down).await?;
    wait_focus(&h, "LI").await?;
    assert_eq!(menu_items(&h).await?, [t.save_current, t.manage], "nothing saved yet");
    assert_eq!(button.attr("aria-expanded").await?.as_deref(), Some("true"));
    h.press(&Key::Escape).await?;
    wait_focus(&h, "BUTTON").await?;
    assert!(menu_items(&h).await?.is_empty(), "closed");

    // Saved by keyboard: Enter on the item opens the dialog with focus in the name.
    h.press(&Key::Down).await?;
    h.press(&Key::Enter).await?;
    let dialog = h.by_role("dialog", t.save_dialog).await?;
    wait_focus(&h, t.name).await?;
    // Tab stays in the dialog: name, Cancel, Save, and round to the name.
    for _ in 0..3 {
        h.press(&Key::Tab).await?;
    }
    wait_focus(&h, t.name).await?;
    h.press("  Seed 2015  ").await?;
    h.press(&Key::Enter).await?;
    wait_focus(&h, "BUTTON").await?;
    ensure!(!dialog.is_displayed().await?, "the dialog closed after saving");
    let status = h.text(".opc-views__status").await?;
    assert_eq!(status, "View “Seed 2015” saved", "the name is trimmed");

    // Reset, then the view brings the search, the page size and the columns back.
    h.by_role("button", t.reset).await?.click().await?;
    h.wait_rows("the default rows again", |rows| rows.len() == 20).await?;
    h.clear_requests().await?;
    h.by_role("button", t.views).await?.click().await?;
    assert_eq!(menu_items(&h).await?, ["Seed 2015", t.save_current, t.manage]);
    // ↑ goes round to the last item, ↓ back to the first; Enter applies it.
    wait_focus(&h, "LI").await?;
    h.press(&Key::Up).await?;
    h.press(&Key::Down).await?;
    h.press(&Key::Enter).await?;
    h.wait_rows("the saved search", |rows| rows.len() == 12).await?;
    let body = last_search(&h).await?;
    assert_eq!((&body["userNick"], &body["startTime"], &body["endTime"], &body["pageSize"]), (&json!("阿洋"), &json!("2015-01-01"), &json!("2015-12-31"), &json!(50)));
    assert_eq!(h.query_param("nick").await?.as_deref(), Some("阿洋"), "applied like a submitted search");
    assert_eq!(h.query_param("size").await?.as_deref(), Some("50"));
    assert_eq!(h.field_value(t.nickname).await?, "阿洋", "the form shows the view's filters");
    wait_focus(&h, "BUTTON").await?;
    h.client().back().await?;
    h.wait_rows("Back goes to the search before", |rows| rows.len() == 20).await?;
    h.client().forward().await?;
    h.wait_rows("and Forward to the view", |rows| rows.len() == 12).await?;

    // Names are unique whatever their case; the error is next to the name.
    open_menu(&h, t).await?;
    h.by_role("menuitem", t.save_current).await?.click().await?;
    wait_focus(&h, t.name).await?;
    h.press("seed 2015").await?;
    h.by_role("button", t.save).await?.click().await?;
    h.wait_until("the name error", || async { Ok(Some(h.text("dialog .opc-field__error").await?).filter(|e| e == t.taken)) }).await?;
    assert_eq!(h.by_label(t.name).await?.attr("aria-invalid").await?.as_deref(), Some("true"));
    h.press(&Key::Escape).await?;
    wait_focus(&h, "BUTTON").await?;

    // Manage: rename, make default, reorder, delete with Undo.
    save_view(&h, t, "Second").await?;
    open_menu(&h, t).await?;
    h.by_role("menuitem", t.manage).await?.click().await?;
    h.by_role("dialog", t.manage_dialog).await?;
    let first_name = h.client().find(op_e2e::Locator::Css("[data-index='0'] .opc-views__name")).await?;
    first_name.clear().await?;
    first_name.send_keys("Seed").await?;
    h.press(&Key::Enter).await?;
    h.wait_until("the rename", || async { Ok(h.all_by_role("group", Some("Seed")).await?.into_iter().next()) }).await?;
    let second = h.client().find(op_e2e::Locator::Css("[data-index='1']")).await?;
    second.find(op_e2e::Locator::Css(".opc-views__up")).await?.click().await?;
    h.wait_until("Second first", || async {
        let first = h.client().find(op_e2e::Locator::Css("[data-index='0']")).await?.attr("aria-label").await?;
        Ok((first.as_deref() == Some("Second")).then_some(()))
    })
    .await?;
    let default = h.client().find(op_e2e::Locator::Css("[data-index='1'] .opc-views__default")).await?;
    default.click().await?;
    h.wait_until("Seed is the default", || async { Ok(stored_views(&h, "opc:views").await?.filter(|v| v[1]["default"] == json!(true))) }).await?;
    let delete = h.client().find(op_e2e::Locator::Css("[data-index='0'] .opc-button:last-of-type")).await?;
    assert_eq!(delete.text().await?, t.delete);
    delete.click().await?;
    h.wait_until("the deleted status", || async {
        Ok(Some(h.text(".opc-views__undo").await?).filter(|s| s.starts_with("View “Second” deleted")))
    })
    .await?;
    assert_eq!(stored_names(&h, "opc:views").await?, ["Seed"], "deleted from storage at once");
    h.by_role("button", t.undo).await?.click().await?;
    h.wait_until("Undo", || async { Ok((stored_names(&h, "opc:views").await? == ["Second", "Seed"]).then_some(())) }).await?;
    h.by_role("button", t.close).await?.click().await?;
    wait_focus(&h, "BUTTON").await?;
    assert_eq!(open_menu(&h, t).await?, ["Second", "Seed", t.save_current, t.manage]);
    h.press(&Key::Escape).await?;
    h.assert_no_console_errors().await?;
    Ok(())
}

async fn stored_views(h: &Harness, key: &str) -> Result<Option<Value>> {
    let text = h.eval("return localStorage.getItem(arguments[0])", vec![key.into()]).await?;
    let Some(text) = text.as_str() else { return Ok(None) };
    let stored: Value = serde_json::from_str(text)?;
    Ok(Some(stored["views"].clone()))
}

async fn stored_names(h: &Harness, key: &str) -> Result<Vec<String>> {
    let views = stored_views(h, key).await?.unwrap_or_default();
    Ok(views.as_array().map(|v| v.iter().filter_map(|v| v["name"].as_str().map(str::to_owned)).collect()).unwrap_or_default())
}

#[tokio::test]
async fn the_default_view_opens_when_the_address_names_none() -> Result<()> {
    let t = &ZH;
    let h = console(t).await?;
    h.goto("/?nick=%E9%98%BF%E6%B4%8B&start=2015-01-01&end=2015-12-31").await?;
    h.wait_rows("the seed rows", |rows| rows.len() == 12).await?;
    save_view(&h, t, "种子会话").await?;
    open_menu(&h, t).await?;
    h.by_role("menuitem", t.manage).await?.click().await?;
    h.by_role("dialog", t.manage_dialog).await?;
    h.by_role("checkbox", t.default_view).await?.click().await?;
    h.wait_until("the default stored", || async { Ok(stored_views(&h, "opc:views").await?.filter(|v| v[0]["default"] == json!(true))) }).await?;
    h.press(&Key::Escape).await?;

    // A bare address: the default view, written into the address.
    h.clear_requests().await?;
    h.goto("/").await?;
    h.wait_rows("the default view's rows", |rows| rows.len() == 12).await?;
    let bodies = h.search_bodies().await?;
    assert_eq!(bodies.len(), 1, "one search, the view's: {bodies:?}");
    assert_eq!(bodies[0]["userNick"], "阿洋");
    assert_eq!(h.query_param("nick").await?.as_deref(), Some("阿洋"));
    assert_eq!(h.field_value(t.nickname).await?, "阿洋");

    // An address with a view of its own wins.
    h.goto("/?start=2015-01-01&end=2015-12-31&tag=getTest").await?;
    h.wait_rows("the linked search", |rows| !rows.is_empty()).await?;
    assert_eq!(last_search(&h).await?.get("userNick"), None);
    assert_eq!(h.field_value(t.nickname).await?, "");
    h.assert_no_console_errors().await?;
    Ok(())
}

/// Moves the browser's clock to `epoch_ms` for every page loaded from now on, as a
/// script that runs before the page's own: `Date.now()` and `new Date()` start there.
async fn move_browser_clock(h: &Harness, epoch_ms: i64) -> Result<()> {
    let script = format!(
        "(() => {{ const shift = {epoch_ms} - Date.now(); const Real = Date;
          class Shifted extends Real {{ constructor(...a) {{ if (a.length) super(...a); else super(Real.now() + shift); }}
            static now() {{ return Real.now() + shift; }} }}
          globalThis.Date = Shifted; }})();"
    );
    h.cdp("Page.addScriptToEvaluateOnNewDocument", json!({ "source": script })).await.map(drop)
}

#[tokio::test]
async fn quick_ranges_are_worked_out_on_the_day_a_view_is_applied() -> Result<()> {
    let t = &EN;
    // The sandbox runs three days ahead; the browser joins it after the views are saved.
    let ahead = chrono::Utc::now() + chrono::Duration::days(3);
    let h = Harness::builder()
        .app_config(english_config())
        .sandbox(|o| o.now = Some(ahead.fixed_offset()))
        .start()
        .await?;
    h.goto("/").await?;
    h.wait_rows("the default rows", |rows| !rows.is_empty()).await?;
    h.by_role("button", t.last_7_days).await?.click().await?;
    h.wait_until("the last 7 days searched", || async {
        let body = last_search(&h).await?;
        Ok((body["startTime"] != body["endTime"] && h.query_param("start").await? == body["startTime"].as_str().map(str::to_owned)).then_some(body))
    })
    .await?;
    let saved_on = last_search(&h).await?;
    save_view(&h, t, "Week").await?;
    h.fill(t.start, "2025-03-01").await?;
    h.fill(t.end, "2025-03-07").await?;
    h.by_role("button", t.search).await?.click().await?;
    h.wait_until("the typed range searched", || async { Ok((last_search(&h).await?["startTime"] == "2025-03-01").then_some(())) }).await?;
    save_view(&h, t, "Fixed week").await?;
    let stored = stored_views(&h, "opc:views").await?.context("stored views")?;
    assert_eq!(stored[0]["range"], json!({ "preset": "last7Days" }));
    assert_eq!(stored[1]["range"], json!({ "start": "2025-03-01", "end": "2025-03-07" }));

    // Three days later (the sandbox's day), "Week" is that day's last seven days.
    let now = h.sandbox_now().await?;
    let today = now["today"].as_str().context("today")?.to_owned();
    move_browser_clock(&h, now["epochMs"].as_i64().context("epochMs")?).await?;
    h.goto("/").await?;
    h.wait_rows("rows on the later day", |rows| !rows.is_empty()).await?;
    apply_view(&h, t, "Week").await?;
    let week = h
        .wait_until("the view's search", || async { Ok(Some(last_search(&h).await?).filter(|b| b["endTime"] == json!(today))) })
        .await?;
    let day = |v: &Value| chrono::NaiveDate::parse_from_str(v.as_str().unwrap_or_default(), "%Y-%m-%d");
    assert_eq!((day(&week["endTime"])? - day(&week["startTime"])?).num_days(), 6, "{week}");
    assert_eq!((day(&week["endTime"])? - day(&saved_on["endTime"])?).num_days(), 3, "resolved on the later day");
    assert_eq!(h.field_value(t.start).await?, week["startTime"].as_str().unwrap_or_default());
    apply_view(&h, t, "Fixed week").await?;
    h.wait_until("the typed dates, as they were", || async { Ok((last_search(&h).await?["startTime"] == "2025-03-01").then_some(())) }).await?;
    assert_eq!(last_search(&h).await?["endTime"], "2025-03-07");
    h.assert_no_console_errors().await?;
    Ok(())
}

fn example_portal() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/portal")
}

/// Mounts a second console (`id: second`, Chinese) next to the portal's own.
const MOUNT_SECOND: &str = r#"
const done = arguments[arguments.length - 1];
import('/op-console.js').then(async ({ mount }) => {
  const element = document.createElement('div');
  element.id = 'second';
  document.querySelector('.portal-main').append(element);
  window.second = await mount(element, { locale: 'zh-CN', id: 'second', getToken: () => 'demo-token' });
  done('ok');
}).catch((error) => done(String(error)));
"#;

/// The menu item names in the shadow root of `arguments[0]`, shown or not.
const SHADOW_MENU: &str = r#"
const root = document.querySelector(arguments[0])?.shadowRoot;
return root ? Array.from(root.querySelectorAll('[role=menuitem]')).map((item) => item.textContent.trim()) : null;
"#;

#[tokio::test]
async fn two_consoles_on_a_portal_keep_their_own_views() -> Result<()> {
    let h = Harness::builder()
        .sandbox(|o| {
            o.token = Some("demo-token".into());
            o.portal = Some(example_portal());
        })
        .start()
        .await?;
    h.goto("/portal/").await?;
    h.by_role("table", "Conversations").await?;
    let answer = h.client().execute_async(MOUNT_SECOND, vec![]).await?;
    ensure!(answer == json!("ok"), "mounting the second console failed: {answer}");
    h.by_role("table", "会话列表").await?;

    save_view(&h, &EN, "Portal view").await?;
    save_view(&h, &ZH, "第二个视图").await?;
    let menu = |host: &'static str| {
        let h = &h;
        async move { h.eval(SHADOW_MENU, vec![host.into()]).await }
    };
    assert_eq!(menu("#portal-console").await?, json!(["Portal view", EN.save_current, EN.manage]));
    assert_eq!(menu("#second").await?, json!(["第二个视图", ZH.save_current, ZH.manage]));
    assert_eq!(stored_names(&h, "opc:portal-console:views").await?, ["Portal view"]);
    assert_eq!(stored_names(&h, "opc:second:views").await?, ["第二个视图"]);

    // Each finds its own list again after a reload.
    h.client().refresh().await?;
    h.by_role("table", "Conversations").await?;
    h.client().execute_async(MOUNT_SECOND, vec![]).await?;
    h.by_role("table", "会话列表").await?;
    assert_eq!(menu("#portal-console").await?, json!(["Portal view", EN.save_current, EN.manage]));
    assert_eq!(menu("#second").await?, json!(["第二个视图", ZH.save_current, ZH.manage]));
    h.assert_no_console_errors().await?;
    Ok(())
}

async fn storage_full_keeps_what_was_saved(t: &Texts) -> Result<()> {
    let h = console(t).await?;
    h.goto("/").await?;
    h.wait_rows("the default rows", |rows| !rows.is_empty()).await?;
    save_view(&h, t, "Kept").await?;
    h.eval(
        "Storage.prototype.setItem = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };",
        vec![],
    )
    .await?;
    open_menu(&h, t).await?;
    h.by_role("menuitem", t.save_current).await?.click().await?;
    wait_focus(&h, t.name).await?;
    h.press("Lost").await?;
    h.press(&Key::Enter).await?;
    h.wait_until("the storage message", || async { Ok(Some(h.text("dialog .opc-field__error").await?).filter(|e| e == t.full)) }).await?;
    h.by_role("dialog", t.save_dialog).await?;
    assert_eq!(h.field_value(t.name).await?, "Lost", "what was typed stays");
    h.press(&Key::Escape).await?;
    assert_eq!(open_menu(&h, t).await?, ["Kept", t.save_current, t.manage]);

    // Nothing saved before was lost: a new page (with a working storage) still has it.
    h.client().refresh().await?;
    h.wait_rows("the rows again", |rows| !rows.is_empty()).await?;
    assert_eq!(open_menu(&h, t).await?, ["Kept", t.save_current, t.manage]);
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn a_full_storage_is_said_and_loses_nothing_in_english() -> Result<()> {
    storage_full_keeps_what_was_saved(&EN).await
}

#[tokio::test]
async fn a_full_storage_is_said_and_loses_nothing_in_chinese() -> Result<()> {
    storage_full_keeps_what_was_saved(&ZH).await
}

async fn storage_missing_is_said(t: &Texts) -> Result<()> {
    let h = console(t).await?;
    // Before any of the page's scripts: `localStorage` throws, as in a sandboxed iframe.
    let script = "Object.defineProperty(window, 'localStorage', { configurable: true, get() { throw new DOMException('denied', 'SecurityError'); } });";
    h.cdp("Page.addScriptToEvaluateOnNewDocument", json!({ "source": script })).await?;
    h.goto("/").await?;
    h.wait_rows("the rows, storage or not", |rows| !rows.is_empty()).await?;
    open_menu(&h, t).await?;
    h.by_role("menuitem", t.save_current).await?.click().await?;
    wait_focus(&h, t.name).await?;
    h.press("Nowhere").await?;
    h.by_role("button", t.save).await?.click().await?;
    h.wait_until("the storage message", || async { Ok(Some(h.text("dialog .opc-field__error").await?).filter(|e| e == t.unavailable)) }).await?;
    h.press(&Key::Escape).await?;
    assert_eq!(open_menu(&h, t).await?, [t.save_current, t.manage]);
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn a_missing_storage_is_said_in_english() -> Result<()> {
    storage_missing_is_said(&EN).await
}

#[tokio::test]
async fn a_missing_storage_is_said_in_chinese() -> Result<()> {
    storage_missing_is_said(&ZH).await
}

#[tokio::test]
async fn the_manage_dialog_in_chinese() -> Result<()> {
    let t = &ZH;
    let h = console(t).await?;
    h.goto("/").await?;
    h.wait_rows("the default rows", |rows| !rows.is_empty()).await?;
    save_view(&h, t, "甲").await?;
    save_view(&h, t, "乙").await?;
    open_menu(&h, t).await?;
    h.by_role("menuitem", t.manage).await?.click().await?;
    h.by_role("dialog", t.manage_dialog).await?;
    let up = h.client().find(op_e2e::Locator::Css("[data-index='1'] .opc-views__up")).await?;
    assert_eq!(up.text().await?, t.move_up);
    up.click().await?;
    h.wait_until("乙 first", || async { Ok((stored_names(&h, "opc:views").await? == ["乙", "甲"]).then_some(())) }).await?;
    // Focus follows the moved view (its ↑ is now disabled, so to its ↓).
    // The list is drawn again first, so focus moves a task after the change is stored.
    h.wait_until("focus on the moved view's ↓", || async {
        let focused = h.eval("return document.activeElement.className", vec![]).await?;
        Ok(focused.as_str().is_some_and(|c| c.contains("opc-views__down")).then_some(()))
    })
    .await?;
    let delete = h.client().find(op_e2e::Locator::Css("[data-index='1'] .opc-button:last-of-type")).await?;
    assert_eq!(delete.text().await?, t.delete);
    delete.click().await?;
    h.wait_until("the deleted status", || async { Ok(Some(h.text(".opc-views__undo").await?).filter(|s| s.starts_with("已删除视图“甲”"))) }).await?;
    h.by_role("button", t.undo).await?.click().await?;
    h.wait_until("甲 back", || async { Ok((stored_names(&h, "opc:views").await? == ["乙", "甲"]).then_some(())) }).await?;
    // A name taken by the other view: the error is next to the name, nothing changes.
    let name = h.client().find(op_e2e::Locator::Css("[data-index='0'] .opc-views__name")).await?;
    name.clear().await?;
    name.send_keys(" 甲 ").await?;
    h.press(&Key::Enter).await?;
    h.wait_until("the name error", || async {
        Ok(Some(h.text("[data-index='0'] .opc-views__error").await?).filter(|e| e == t.taken))
    })
    .await?;
    assert_eq!(stored_names(&h, "opc:views").await?, ["乙", "甲"]);
    h.press(&Key::Escape).await?;
    wait_focus(&h, "BUTTON").await?;
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn the_menu_and_dialogs_pass_axe_in_both_themes() -> Result<()> {
    let t = &EN;
    let h = console(t).await?;
    h.goto("/").await?;
    h.wait_rows("the default rows", |rows| !rows.is_empty()).await?;
    save_view(&h, t, "Mine").await?;
    for theme in ["light", "dark"] {
        h.set_theme("Theme", theme).await?;
        open_menu(&h, t).await?;
        h.assert_accessible(&format!("the open Views menu ({theme})"), None, &[]).await?;
        h.by_role("menuitem", t.save_current).await?.click().await?;
        wait_focus(&h, t.name).await?;
        h.by_role("button", t.save).await?.click().await?;
        h.wait_until("the name error", || async { Ok(Some(h.text("dialog .opc-field__error").await?).filter(|e| !e.is_empty())) }).await?;
        h.assert_accessible(&format!("the Save view dialog with an error ({theme})"), Some("dialog"), &[]).await?;
        h.press(&Key::Escape).await?;
        open_menu(&h, t).await?;
        h.by_role("menuitem", t.manage).await?.click().await?;
        h.by_role("dialog", t.manage_dialog).await?;
        h.assert_accessible(&format!("the Manage views dialog ({theme})"), Some("dialog"), &[]).await?;
        h.press(&Key::Escape).await?;
        wait_focus(&h, "BUTTON").await?;
    }
    h.assert_no_console_errors().await?;
    Ok(())
}
