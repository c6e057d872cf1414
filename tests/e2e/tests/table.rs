//! The results table and its pager (issue 21): customers who share a nickname told apart,
//! a page change that lands at the table's top, a sticky header row (standalone and in a
//! shadow root), no stale total next to an error, the 1024 px layout with full texts on
//! hover and keyboard focus, and ↓ from a filter field to the first row.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{ensure, Context, Result};
use fantoccini::actions::{InputSource, MouseActions, PointerAction};
use op_e2e::{english_config, Harness, Key};
use serde_json::{json, Value};

/// The seed's own example query (nickname 阿洋 in 2015): 12 rows of two customers.
const SEED_QUERY: &str = "/?nick=%E9%98%BF%E6%B4%8B&start=2015-01-01&end=2015-12-31";
/// Every conversation of the sandbox, 100 to a page.
const ALL_BY_100: &str = "/?start=2015-01-01&end=2030-12-31&size=100";

async fn english() -> Result<Harness> {
    Harness::builder().app_config(english_config()).start().await
}

async fn chinese() -> Result<Harness> {
    Harness::builder().app_config(json!({ "token": op_e2e::E2E_TOKEN })).start().await
}

/// The console's root for the scripts below: the document, or the shadow root of the
/// element matching `host`.
const ROOT_JS: &str = "const root = arguments[0] ? document.querySelector(arguments[0]).shadowRoot : document;";

async fn in_console(h: &Harness, host: Option<&str>, script: &str) -> Result<Value> {
    h.eval(&format!("{ROOT_JS}\n{script}"), vec![host.into()]).await
}

/// The pager's total and where-am-I texts, as they are in the DOM (empty ones too).
async fn pager_texts(h: &Harness) -> Result<(String, String)> {
    let texts = in_console(h, None, "return ['.opc-pager__total', '.opc-pager__where'].map(s => root.querySelector(s).textContent.trim());").await?;
    Ok((texts[0].as_str().unwrap_or_default().to_owned(), texts[1].as_str().unwrap_or_default().to_owned()))
}

async fn wait_total(h: &Harness, expected: &str) -> Result<()> {
    h.wait_until(&format!("the total {expected:?}"), || async { Ok((pager_texts(h).await?.0 == expected).then_some(())) }).await
}

/// What each row shows of its customer: chat id, marker, marker tooltip (written when the
/// pointer reaches the row), avatar colour class and the copy button's name.
const CUSTOMERS_JS: &str = r#"
return Array.from(root.querySelectorAll('tr.opc-row')).map((row) => {
  const marker = row.querySelector('.opc-customer__id');
  if (marker) marker.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
  const avatar = Array.from(row.querySelector('.opc-avatar').classList).find((c) => /^opc-avatar--c\d$/.test(c));
  const copy = row.querySelector('.opc-customer .opc-copy');
  return { chat: row.dataset.chatId, marker: marker && marker.textContent, title: marker && marker.title,
           avatar, copy: copy && copy.getAttribute('aria-label'), shown: !!marker && marker.offsetWidth > 0 };
});
"#;

/// The sandbox's own answer to a search (sent from the page, as the app does).
async fn search_api(h: &Harness, body: Value) -> Result<Value> {
    let script = "const xhr = new XMLHttpRequest();
        xhr.open('POST', '/op/v2/chatSearchs?apiVersion=01&token=' + arguments[0], false);
        xhr.setRequestHeader('content-type', 'application/json;charset=UTF-8');
        xhr.send(JSON.stringify(arguments[1]));
        return JSON.parse(xhr.responseText);";
    h.eval(script, vec![op_e2e::E2E_TOKEN.into(), body]).await
}

/// userId of every chat in the sandbox's answer.
fn users_by_chat(answer: &Value) -> Result<BTreeMap<String, String>> {
    let rows = answer["data"].as_array().with_context(|| format!("rows in {answer}"))?;
    Ok(rows.iter().map(|r| (r["chatId"].as_str().unwrap_or_default().to_owned(), r["userId"].as_str().unwrap_or_default().to_owned())).collect())
}

/// Checks the rows against the users the sandbox gave: each row's marker is the end of its
/// customer's id (whole id in the tooltip, a copy button named `copy`), one colour per
/// customer, and customers apart by colour in `apart`. Returns the number of customers.
async fn check_customers(h: &Harness, users: &BTreeMap<String, String>, copy: &str, apart: Option<(&str, &str)>) -> Result<usize> {
    let rows = in_console(h, None, CUSTOMERS_JS).await?;
    let rows = rows.as_array().context("rows")?;
    let mut colours: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for row in rows {
        let user = users.get(row["chat"].as_str().unwrap_or_default()).with_context(|| format!("the sandbox sent {row}"))?;
        let tail: String = user.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
        ensure!(row["marker"] == json!(format!("…{tail}")) && row["shown"] == json!(true), "marker of {user}: {row}");
        ensure!(row["title"].as_str().is_some_and(|t| t.ends_with(user.as_str())), "the whole id in the tooltip: {row}");
        ensure!(row["copy"] == json!(copy), "copy button: {row}");
        colours.entry(user.clone()).or_default().insert(row["avatar"].as_str().unwrap_or_default().to_owned());
    }
    ensure!(colours.values().all(|c| c.len() == 1), "one colour per customer: {colours:?}");
    if let Some((a, b)) = apart {
        ensure!(colours.contains_key(a) && colours.get(a) != colours.get(b), "{a} and {b} look alike: {colours:?}");
    }
    Ok(colours.len())
}

const SEED_USERS: (&str, &str) = ("u00013058217037704c358367f6e1fd1da545", "u00019c9457f4020443e6b984a37022a4ecee");

fn seed_body() -> Value {
    json!({ "userNick": "阿洋", "startTime": "2015-01-01", "endTime": "2015-12-31", "pageNum": 1, "pageSize": 20 })
}

#[tokio::test]
async fn customers_who_share_a_nickname_are_told_apart() -> Result<()> {
    let h = english().await?;
    h.goto(SEED_QUERY).await?;
    h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    wait_total(&h, "12 results · 2 customers").await?;
    let users = users_by_chat(&search_api(&h, seed_body()).await?)?;
    assert_eq!(check_customers(&h, &users, "Copy User ID", Some(SEED_USERS)).await?, 2);

    // The marker's copy button copies without opening the conversation.
    let first = h.wait_for("tr.opc-row .opc-customer .opc-copy").await?;
    first.click().await?;
    h.wait_until("the copy button saying so", || async {
        Ok((in_console(&h, None, "return root.querySelector('tr.opc-row .opc-customer .opc-copy').getAttribute('aria-label')").await?
            == json!("Copied User ID"))
        .then_some(()))
    })
    .await?;
    assert_eq!(h.query_param("chat").await?, None, "copying opened the drawer");

    // The drawer's avatar has the row's colour.
    let row_avatar = in_console(&h, None, "return root.querySelector('tr.opc-row .opc-avatar').className").await?;
    h.wait_for("tr.opc-row").await?.click().await?;
    h.wait_for("[role=dialog] .opc-chat").await?;
    let drawer_avatar = in_console(&h, None, "return root.querySelector('[role=dialog] .opc-chat .opc-avatar').className").await?;
    assert_eq!(drawer_avatar.as_str().map(|c| c.replace(" opc-avatar--lg", "")), row_avatar.as_str().map(str::to_owned));
    h.press(&Key::Escape).await?;

    // Generated data: "Kevin" is the nickname of many customers.
    h.goto("/?nick=Kevin&start=2015-01-01&end=2030-12-31").await?;
    let body = json!({ "userNick": "Kevin", "startTime": "2015-01-01", "endTime": "2030-12-31", "pageNum": 1, "pageSize": 20 });
    let answer = search_api(&h, body).await?;
    let users = users_by_chat(&answer)?;
    let total = answer["page"]["total"].as_u64().context("total")?;
    h.wait_rows("Kevin's rows", |rows| rows.len() == users.len()).await?;
    let customers = check_customers(&h, &users, "Copy User ID", None).await?;
    assert!(customers > 1, "the sandbox has several customers named Kevin");
    let scope = if total > users.len() as u64 { " on this page" } else { "" };
    wait_total(&h, &format!("{total} results · {customers} customers{scope}")).await?;

    // No nickname filter: no count of customers.
    h.goto("/?start=2015-01-01&end=2015-12-31").await?;
    h.wait_rows("2015's rows", |rows| !rows.is_empty()).await?;
    h.wait_until("a plain total", || async { Ok(pager_texts(&h).await?.0.ends_with(" results").then_some(())) }).await?;
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn customers_who_share_a_nickname_are_told_apart_in_chinese() -> Result<()> {
    let h = chinese().await?;
    h.goto(SEED_QUERY).await?;
    h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    wait_total(&h, "共 12 条 · 2 位客户").await?;
    let users = users_by_chat(&search_api(&h, seed_body()).await?)?;
    assert_eq!(check_customers(&h, &users, "复制 用户 ID", Some(SEED_USERS)).await?, 2);
    let title = in_console(&h, None, "return root.querySelector('.opc-customer__id').title").await?;
    assert!(title.as_str().is_some_and(|t| t.starts_with("用户 ID")), "{title}");
    h.assert_no_console_errors().await?;
    Ok(())
}

/// The top of the header row and of the table, relative to the window, and its height.
async fn table_position(h: &Harness, host: Option<&str>) -> Result<(f64, f64, f64)> {
    let at = in_console(
        h,
        host,
        "return [root.querySelector('.opc-table thead th').getBoundingClientRect().top,
                 root.querySelector('.opc-table').getBoundingClientRect().top, window.innerHeight];",
    )
    .await?;
    Ok((at[0].as_f64().unwrap_or(f64::NAN), at[1].as_f64().unwrap_or(f64::NAN), at[2].as_f64().unwrap_or(f64::NAN)))
}

/// Goes to the bottom of the page, presses Next, and waits for the new page to show from
/// the table's top; then scrolls the middle row into view and checks that the header row
/// sticks to the window's top.
async fn next_from_the_bottom_and_sticky_header(h: &Harness, host: Option<&str>, rows: impl AsyncFn() -> Result<Vec<String>>) -> Result<()> {
    let first = rows().await?;
    h.eval("window.scrollTo(0, document.documentElement.scrollHeight)", vec![]).await?;
    assert!(table_position(h, host).await?.1 < 0.0, "at the bottom");
    h.by_role("button", "Next page").await?.click().await?;
    h.wait_until("page 2 from its top", || async {
        let now = rows().await?;
        let (_, table, height) = table_position(h, host).await?;
        Ok((now.len() == 100 && now[0] != first[0] && (0.0..height / 2.0).contains(&table)).then_some(()))
    })
    .await?;

    in_console(h, host, "root.querySelectorAll('tr.opc-row')[50].scrollIntoView({ block: 'center' });").await?;
    let (header, table, _) = table_position(h, host).await?;
    assert!(table < -500.0, "the table's top is far above the window: {table}");
    assert!(header.abs() < 1.5, "the header row sticks to the window's top: {header}");
    Ok(())
}

#[tokio::test]
async fn a_new_page_starts_at_the_table_top_under_a_sticky_header() -> Result<()> {
    let h = english().await?;
    h.goto(ALL_BY_100).await?;
    h.wait_rows("page 1", |rows| rows.len() == 100).await?;
    next_from_the_bottom_and_sticky_header(&h, None, async || Ok(h.rows_now().await?.unwrap_or_default())).await?;

    // When the table's top is in view, a page change leaves the scroll alone (the button is
    // pressed from a script: a WebDriver click would scroll it into view first).
    h.goto("/?start=2015-01-01&end=2030-12-31").await?;
    let first = h.wait_rows("20 rows", |rows| rows.len() == 20).await?;
    h.eval("window.scrollTo(0, 0)", vec![]).await?;
    h.eval("document.querySelector('.opc-pager button[aria-label=\"Next page\"]').click()", vec![]).await?;
    h.wait_rows("page 2", |rows| rows.len() == 20 && rows[0] != first[0]).await?;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(h.eval("return window.scrollY", vec![]).await?, json!(0));
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn embedded_the_header_sticks_and_a_new_page_starts_at_the_top() -> Result<()> {
    let h = Harness::builder()
        .sandbox(|o| {
            o.token = Some("demo-token".into());
            o.portal = Some(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/portal"));
        })
        .start()
        .await?;
    h.goto("/portal/").await?;
    let host = Some("#portal-console");
    let rows = async || -> Result<Vec<String>> {
        let rows = in_console(&h, host, "const t = root && root.querySelector('table.opc-table');
            if (!t || t.getAttribute('aria-busy') !== 'false') return [];
            return Array.from(t.querySelectorAll('tr.opc-row')).map((r) => r.dataset.chatId);").await?;
        Ok(rows.as_array().map(|r| r.iter().filter_map(|id| id.as_str().map(str::to_owned)).collect()).unwrap_or_default())
    };
    h.wait_until("the portal's rows", || async { Ok((!rows().await?.is_empty()).then_some(())) }).await?;
    h.by_role("combobox", "Rows per page").await?.select_by_value("100").await?;
    h.wait_until("100 rows", || async { Ok((rows().await?.len() == 100).then_some(())) }).await?;
    next_from_the_bottom_and_sticky_header(&h, host, rows).await
}

#[tokio::test]
async fn an_error_does_not_keep_the_last_total() -> Result<()> {
    let h = english().await?;
    h.goto(SEED_QUERY).await?;
    h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    h.wait_until("the total", || async { Ok(pager_texts(&h).await?.0.starts_with("12 results").then_some(())) }).await?;

    h.fill("Title", "Get").await?;
    h.queue_fault(json!({ "endpoint": "chatSearchs", "fail": "html502" })).await?;
    h.by_role("button", "Search").await?.click().await?;
    h.wait_for(".opc-error").await?;
    let (total, place) = pager_texts(&h).await?;
    assert_eq!(total, "", "the last search's total is not this one's");
    assert_eq!(place, "Page 1", "no page count either");
    let pages = in_console(&h, None, "return root.querySelectorAll('.opc-pager__page').length").await?;
    assert_eq!(pages, json!(0), "no numbered pages from the last total");
    assert_eq!(h.by_role("button", "Next page").await?.prop("disabled").await?.as_deref(), Some("true"));

    h.by_role("button", "Retry").await?.click().await?;
    h.wait_rows("rows after Retry", |rows| rows.len() == 11).await?;
    h.wait_until("the new total", || async { Ok(pager_texts(&h).await?.0.starts_with("11 results").then_some(())) }).await?;
    assert_eq!(pager_texts(&h).await?.1, "Page 1 of 1");
    Ok(())
}

/// The first row whose address is cut short, with its full text.
const TRUNCATED_JS: &str = r#"
const rows = Array.from(document.querySelectorAll('tr.opc-row'));
const index = rows.findIndex((row) => { const t = row.querySelector('.opc-col-address .opc-truncate'); return t.scrollWidth > t.clientWidth; });
return index < 0 ? null : [index, rows[index].querySelector('.opc-col-address .opc-truncate').textContent];
"#;

#[tokio::test]
async fn at_1024_px_addresses_get_the_room_and_show_in_full_on_hover_and_focus() -> Result<()> {
    let h = english().await?;
    h.client().set_window_size(1024, 768).await?;
    let chrome = h.eval("return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight]", vec![]).await?;
    let (dw, dh) = (chrome[0].as_u64().unwrap_or(0) as u32, chrome[1].as_u64().unwrap_or(0) as u32);
    h.client().set_window_size(1024 + dw, 768 + dh).await?;
    h.goto("/?start=2015-01-01&end=2030-12-31").await?;
    h.wait_rows("page 1", |rows| rows.len() == 20).await?;
    assert_eq!(h.eval("return window.innerWidth", vec![]).await?, json!(1024));

    let widths = h
        .eval(
            "const w = (s) => document.querySelector(s).getBoundingClientRect().width;
             const cell = document.querySelector('tr.opc-row .opc-col-chat').getBoundingClientRect();
             const copy = document.querySelector('tr.opc-row .opc-col-chat .opc-copy').getBoundingClientRect();
             return { chat: w('th.opc-col-chat'), address: w('th.opc-col-address'), title: w('th.opc-col-title'),
                      copyInside: copy.width > 0 && copy.left >= cell.left && copy.right <= cell.right };",
            vec![],
        )
        .await?;
    let width = |name: &str| widths[name].as_f64().unwrap_or_default();
    assert!(width("chat") <= 130.0, "a compact id column: {widths}");
    assert!(width("address") >= 180.0 && width("title") >= 180.0, "address and title get the room: {widths}");
    assert_eq!(widths["copyInside"], json!(true), "the id's copy button stays: {widths}");

    let truncated = h.eval(TRUNCATED_JS, vec![]).await?;
    let index = truncated[0].as_u64().context("a cut address on the first page")? as usize;
    let full = truncated[1].as_str().unwrap_or_default().to_owned();

    // Hover: the cell's full text as its tooltip.
    let cells = h.client().find_all(op_e2e::Locator::Css("tr.opc-row .opc-col-address")).await?;
    let cell = cells.get(index).context("the cell")?.clone();
    h.client().perform_actions(MouseActions::new("mouse".into()).then(PointerAction::MoveToElement { element: cell, duration: None, x: 0.0, y: 0.0 })).await?;
    h.wait_until("the tooltip", || async {
        let title = h.eval("return document.querySelectorAll('tr.opc-row .opc-col-address .opc-truncate')[arguments[0]].title", vec![index.into()]).await?;
        Ok((title == json!(full)).then_some(()))
    })
    .await?;

    // Keyboard focus: the row unfolds its texts.
    h.eval("const rows = document.querySelectorAll('tr.opc-row'); rows[arguments[0] === 0 ? 1 : arguments[0] - 1].focus();", vec![index.into()]).await?;
    h.press(if index == 0 { &Key::Up } else { &Key::Down }).await?;
    assert_eq!(h.eval("return Array.from(document.querySelectorAll('tr.opc-row')).indexOf(document.activeElement)", vec![]).await?, json!(index));
    let whole = h
        .eval("const t = document.querySelectorAll('tr.opc-row .opc-col-address .opc-truncate')[arguments[0]]; return t.scrollWidth <= t.clientWidth;", vec![index.into()])
        .await?;
    assert_eq!(whole, json!(true), "the focused row shows {full:?} in full");
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn arrow_down_from_a_filter_field_goes_to_the_first_row() -> Result<()> {
    let h = english().await?;
    h.goto(SEED_QUERY).await?;
    let rows = h.wait_rows("seed rows", |rows| rows.len() == 12).await?;

    h.by_label("Nickname").await?.click().await?;
    h.press(&Key::Enter).await?;
    h.wait_rows("the search again", |r| r == rows.as_slice()).await?;
    assert_eq!(h.focused().await?, json!("Nickname"), "Enter leaves focus in the field");
    h.press(&Key::Down).await?;
    assert_eq!(h.focused().await?, json!(rows[0]));

    h.by_label("Title").await?.click().await?;
    h.press(&Key::Down).await?;
    assert_eq!(h.focused().await?, json!(rows[0]), "from any text filter");

    // In a date field ↓ steps the date, as it always does.
    h.by_label("Start date").await?.click().await?;
    h.press(&Key::Down).await?;
    assert_eq!(h.focused().await?, json!("Start date"));
    h.assert_no_console_errors().await?;
    Ok(())
}

/// How many of the rows in `range` (positions on the page) have an avatar with an address.
async fn avatars_with_src(h: &Harness, range: std::ops::Range<usize>) -> Result<u64> {
    let count = h
        .eval(
            "return Array.from(document.querySelectorAll('tr.opc-row')).slice(arguments[0], arguments[1])
               .filter((row) => row.querySelector('.opc-avatar img[src]') !== null).length",
            vec![range.start.into(), range.end.into()],
        )
        .await?;
    count.as_u64().context("a count")
}

#[tokio::test]
async fn rows_out_of_view_load_their_avatars_when_scrolled_to() -> Result<()> {
    let h = english().await?;
    h.goto(ALL_BY_100).await?;
    h.wait_rows("page 1", |rows| rows.len() == 100).await?;
    // The rows in view show their avatars; the last rows, far below, have none set yet.
    h.wait_until("avatars at the top", || async { Ok((avatars_with_src(&h, 0..10).await? > 0).then_some(())) }).await?;
    ensure!(avatars_with_src(&h, 80..100).await? == 0, "the rows out of view set their avatars' addresses");
    // Scrolled to: their avatars get their addresses, on this page and on the next one.
    h.eval("document.querySelectorAll('tr.opc-row')[99].scrollIntoView()", vec![]).await?;
    h.wait_until("avatars at the bottom", || async { Ok((avatars_with_src(&h, 80..100).await? > 0).then_some(())) }).await?;
    h.eval("window.scrollTo(0, 0)", vec![]).await?;
    let first = h.rows_now().await?.unwrap_or_default();
    h.eval("document.querySelector('.opc-pager button[aria-label=\"Next page\"]').click()", vec![]).await?;
    h.wait_rows("page 2", |rows| rows.len() == 100 && rows.first() != first.first()).await?;
    h.wait_until("page 2's avatars at the top", || async { Ok((avatars_with_src(&h, 0..10).await? > 0).then_some(())) }).await?;
    h.eval("document.querySelectorAll('tr.opc-row')[99].scrollIntoView()", vec![]).await?;
    h.wait_until("page 2's avatars at the bottom", || async { Ok((avatars_with_src(&h, 80..100).await? > 0).then_some(())) }).await?;
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn without_content_visibility_every_avatar_is_set() -> Result<()> {
    let h = english().await?;
    // A host style (or a browser) that draws every row: no row is ever said to be skipped,
    // so the addresses kept aside are set after a moment.
    let script = "const sheet = new CSSStyleSheet(); sheet.replaceSync('.opc-table tbody tr { content-visibility: visible !important; }');
                  document.adoptedStyleSheets = [sheet];";
    h.cdp("Page.addScriptToEvaluateOnNewDocument", json!({ "source": script })).await?;
    h.goto(ALL_BY_100).await?;
    h.wait_rows("page 1", |rows| rows.len() == 100).await?;
    h.wait_until("avatars at the bottom", || async { Ok((avatars_with_src(&h, 80..100).await? > 0).then_some(())) }).await?;
    h.assert_no_console_errors().await?;
    Ok(())
}
