//! The chat drawer against the real sandbox: open by click, Enter and deep link; Esc and
//! focus return; every seed field; refChatId + Back; Previous/Next across pages; errors.

use anyhow::Result;
use op_e2e::{english_config, Harness, Key};
use serde_json::json;

const SEED_CHAT: &str = "u0001d6ddfcbef27e45aeaee5bf7db6ac83b5";
const SEED_REF_CHAT: &str = "u00011d5bcc1b15364568a9d264acaca8866c";
const SEED_QUERY: &str = "/?nick=%E9%98%BF%E6%B4%8B&start=2015-01-01&end=2015-12-31";

async fn english() -> Result<Harness> {
    Harness::builder().app_config(english_config()).start().await
}

/// The drawer's text once its content (not the skeleton) shows `chat_id`.
async fn drawer_for(h: &Harness, chat_id: &str) -> Result<String> {
    h.wait_until(&format!("the drawer showing {chat_id}"), || async {
        let shown = h
            .eval(
                "const a = document.querySelector('[role=dialog] .opc-chat');
                 return a ? [a.dataset.chatId, a.innerText] : null;",
                vec![],
            )
            .await?;
        Ok(shown.as_array().filter(|pair| pair[0] == json!(chat_id)).map(|pair| pair[1].as_str().unwrap_or_default().to_string()))
    })
    .await
}

async fn row(h: &Harness, chat_id: &str) -> Result<op_e2e::Element> {
    h.wait_for(&format!("tr.opc-row[data-chat-id='{chat_id}']")).await
}

#[tokio::test]
async fn click_opens_esc_closes_and_focus_returns_to_the_row() -> Result<()> {
    let h = english().await?;
    h.goto(SEED_QUERY).await?;
    h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    let created_in_row = row(&h, SEED_CHAT).await?.find(op_e2e::Locator::Css(".opc-col-created")).await?.text().await?;

    row(&h, SEED_CHAT).await?.click().await?;
    h.by_role("dialog", "Chat details").await?;
    let text = drawer_for(&h, SEED_CHAT).await?;
    assert!(text.contains(&created_in_row), "the drawer's created time equals the row's ({created_in_row}): {text}");
    assert_eq!(h.query_param("chat").await?.as_deref(), Some(SEED_CHAT));
    assert_eq!(h.focused().await?, json!("Close"), "focus moves into the drawer");

    h.press(&Key::Escape).await?;
    h.wait_gone("[role=dialog]").await?;
    assert_eq!(h.query_param("chat").await?, None);
    h.wait_until("focus back on the row", || async { Ok((h.focused().await? == json!(SEED_CHAT)).then_some(())) }).await?;

    // The backdrop closes it too; the Close button as well.
    row(&h, SEED_CHAT).await?.click().await?;
    drawer_for(&h, SEED_CHAT).await?;
    h.wait_for(".opc-backdrop").await?.click().await?;
    h.wait_gone("[role=dialog]").await?;
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn enter_opens_and_tab_stays_inside() -> Result<()> {
    let h = english().await?;
    h.goto(SEED_QUERY).await?;
    h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    let target = row(&h, SEED_REF_CHAT).await?;
    h.eval("arguments[0].focus()", vec![serde_json::to_value(&target)?]).await?;
    h.press(&Key::Enter).await?;
    drawer_for(&h, SEED_REF_CHAT).await?;
    // Tab and Shift+Tab cycle inside the dialog.
    for _ in 0..40 {
        h.press(&Key::Tab).await?;
        let inside = h.eval("return !!document.activeElement.closest('[role=dialog]')", vec![]).await?;
        assert_eq!(inside, json!(true), "focus left the dialog");
    }
    h.press(&(Key::Shift + &Key::Tab)).await?;
    assert_eq!(h.eval("return !!document.activeElement.closest('[role=dialog]')", vec![]).await?, json!(true));
    h.press(&Key::Escape).await?;
    h.wait_until("focus back on the row", || async { Ok((h.focused().await? == json!(SEED_REF_CHAT)).then_some(())) }).await?;
    Ok(())
}

#[tokio::test]
async fn deep_link_shows_every_seed_field() -> Result<()> {
    let h = english().await?;
    h.goto(&format!("{SEED_QUERY}&chat={SEED_CHAT}")).await?;
    drawer_for(&h, SEED_CHAT).await?;
    // The technical ids are folded away at first.
    h.wait_for("[role=dialog] summary").await?.click().await?;
    let text = drawer_for(&h, SEED_CHAT).await?;
    for expected in [
        "阿洋",
        "yzhou222",
        "2015-12-15 00:54:15",
        "Get帮你搞定一切",
        "u00013058217037704c358367f6e1fd1da545",
        "getTest",
        "4 conversations",
        "o00011d8019cd259247bcba1b20b585c74235",
        "135222409673310808",
        "GetTest",
        "4066ab52578746c5b00c909c662e52f5",
        "Newwear",
        "北京市海淀区软件园六号路",
        "40.050735, 116.305801",
        SEED_REF_CHAT,
        "WX",
        "2.1",
        "Chat",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    for label in ["User ID", "Display number (masked)", "Phone (full number)", "Tags", "Service count", "Group ID", "Operator ID", "In group", "Client ID"] {
        assert!(text.contains(label), "missing label {label:?}");
    }
    // `phone: null` shows as a dash; `isInGroup: false` as No.
    let phone = h.eval(
        "const dts = Array.from(document.querySelectorAll('[role=dialog] dt'));
         const dt = dts.find(d => d.textContent.trim() === 'Phone (full number)');
         return dt ? dt.nextElementSibling.innerText.trim() : null;", vec![]).await?;
    assert_eq!(phone, json!("—"));
    let map = h.eval("const a = document.querySelector('[role=dialog] a[target=_blank]'); return a ? [a.href, a.rel] : null;", vec![]).await?;
    assert!(map[0].as_str().is_some_and(|href| href.starts_with("https://uri.amap.com/marker?position=116.305801,40.050735")), "{map}");
    assert_eq!(map[1], json!("noopener noreferrer"));
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn linked_conversation_and_back() -> Result<()> {
    let h = english().await?;
    h.goto(&format!("{SEED_QUERY}&chat={SEED_CHAT}")).await?;
    drawer_for(&h, SEED_CHAT).await?;
    h.wait_for("[role=dialog] button.opc-link").await?.click().await?;
    drawer_for(&h, SEED_REF_CHAT).await?;
    assert_eq!(h.query_param("chat").await?.as_deref(), Some(SEED_REF_CHAT));
    h.by_role("button", "Back").await?.click().await?;
    drawer_for(&h, SEED_CHAT).await?;
    assert!(h.all_by_role("button", Some("Back")).await?.is_empty(), "the trail is empty again");
    // The browser's Back goes through the same chain.
    h.client().back().await?;
    drawer_for(&h, SEED_REF_CHAT).await?;
    Ok(())
}

#[tokio::test]
async fn previous_and_next_cross_page_boundaries() -> Result<()> {
    let h = english().await?;
    h.goto(&format!("{SEED_QUERY}&size=10")).await?;
    let page1 = h.wait_rows("page 1", |rows| rows.len() == 10).await?;
    row(&h, &page1[9]).await?.click().await?;
    drawer_for(&h, &page1[9]).await?;

    h.by_role("button", "Next conversation").await?.click().await?;
    let page2 = h.wait_rows("page 2", |rows| rows.len() == 2).await?;
    drawer_for(&h, &page2[0]).await?;
    assert_eq!(h.query_param("page").await?.as_deref(), Some("2"));
    assert_eq!(h.query_param("chat").await?.as_deref(), Some(page2[0].as_str()));

    // `j` and `k` step too; `k` from the first row of page 2 goes back to page 1's last.
    h.press("j").await?;
    drawer_for(&h, &page2[1]).await?;
    h.press("k").await?;
    drawer_for(&h, &page2[0]).await?;
    h.press("k").await?;
    drawer_for(&h, &page1[9]).await?;
    assert_eq!(h.query_param("page").await?, None);
    Ok(())
}

#[tokio::test]
async fn errors_keep_the_drawer_open_with_retry() -> Result<()> {
    let h = english().await?;
    h.goto(SEED_QUERY).await?;
    h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    h.queue_fault(json!({ "endpoint": "getChatInfo", "fail": "http500" })).await?;
    row(&h, SEED_CHAT).await?.click().await?;
    let alert = h.text("[role=dialog] .opc-error").await?;
    assert!(alert.contains("HTTP 500"), "{alert}");
    h.by_role("button", "Retry").await?.click().await?;
    drawer_for(&h, SEED_CHAT).await?;

    // An unknown chat shows the server's own message.
    h.goto(&format!("{SEED_QUERY}&chat=u0001-no-such-chat")).await?;
    let alert = h.text("[role=dialog] .opc-error").await?;
    assert!(alert.contains("会话不存在"), "{alert}");
    Ok(())
}

#[tokio::test]
async fn reopening_a_chat_within_a_minute_costs_no_request() -> Result<()> {
    let h = english().await?;
    h.goto(SEED_QUERY).await?;
    h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    for _ in 0..3 {
        row(&h, SEED_CHAT).await?.click().await?;
        drawer_for(&h, SEED_CHAT).await?;
        h.press(&Key::Escape).await?;
        h.wait_gone("[role=dialog]").await?;
    }
    let infos = h.requests().await?.into_iter().filter(|r| r["path"].as_str().is_some_and(|p| p.ends_with("/getChatInfo"))).count();
    assert_eq!(infos, 1);
    Ok(())
}

/// Next past the last row of a page whose next page fails to load: the drawer stays on its
/// chat and shows the page's error with Retry (it used to open the first row of the old
/// page while the address said the new one); Retry finishes the crossing.
#[tokio::test]
async fn a_failed_page_crossing_keeps_the_drawer_on_its_chat() -> Result<()> {
    let h = english().await?;
    h.goto(&format!("{SEED_QUERY}&size=10")).await?;
    let page1 = h.wait_rows("page 1", |rows| rows.len() == 10).await?;
    row(&h, &page1[9]).await?.click().await?;
    drawer_for(&h, &page1[9]).await?;
    // The drawer's walk for the customer's conversations is a chatSearchs too: once it is
    // done, the fault below hits the page crossing.
    h.wait_for(".opc-history__count").await?;

    h.queue_fault(json!({ "endpoint": "chatSearchs", "fail": "html502" })).await?;
    h.by_role("button", "Next conversation").await?.click().await?;
    let alert = h.text("[role=dialog] .opc-error").await?;
    assert!(alert.contains("502"), "{alert}");
    // Time for a wrong chat to open, had the crossing been left pending.
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(h.query_param("chat").await?.as_deref(), Some(page1[9].as_str()), "the drawer stays on its chat");
    drawer_for(&h, &page1[9]).await?;

    h.wait_for("[role=dialog] .opc-error button").await?.click().await?;
    let page2 = h.wait_rows("page 2", |rows| rows.len() == 2).await?;
    drawer_for(&h, &page2[0]).await?;
    assert_eq!(h.query_param("page").await?.as_deref(), Some("2"));
    h.wait_gone("[role=dialog] .opc-error").await?;
    Ok(())
}

/// A server that leaves `total` out but says `next: true`: Next page, the drawer's page
/// crossing and the page label follow `next` ("Page 2", no page count).
#[tokio::test]
async fn paging_follows_next_when_the_server_omits_the_total() -> Result<()> {
    let h = Harness::builder().sandbox(|o| o.no_total = true).app_config(english_config()).start().await?;
    h.goto(&format!("{SEED_QUERY}&size=10")).await?;
    let page1 = h.wait_rows("page 1", |rows| rows.len() == 10).await?;
    assert_eq!(h.text(".opc-pager__where").await?, "Page 1");
    h.by_role("button", "Next page").await?.click().await?;
    let page2 = h.wait_rows("page 2", |rows| rows.len() == 2).await?;
    assert_eq!(h.query_param("page").await?.as_deref(), Some("2"));
    assert_eq!(h.text(".opc-pager__where").await?, "Page 2");
    // The server says there is nothing after page 2.
    assert!(h.by_role("button", "Next page").await?.attr("disabled").await?.is_some(), "Next page on the last page");

    h.by_role("button", "Previous page").await?.click().await?;
    h.wait_rows("page 1 again", |rows| rows == page1.as_slice()).await?;
    row(&h, &page1[9]).await?.click().await?;
    drawer_for(&h, &page1[9]).await?;
    h.by_role("button", "Next conversation").await?.click().await?;
    h.wait_rows("page 2 again", |rows| rows == page2.as_slice()).await?;
    drawer_for(&h, &page2[0]).await?;
    assert_eq!(h.query_param("page").await?.as_deref(), Some("2"));
    h.press(&Key::Escape).await?;
    h.wait_gone("[role=dialog]").await?;
    h.by_role("combobox", "Language").await?.select_by_value("zh-CN").await?;
    h.wait_until("the zh-CN page label", || async { Ok((h.text(".opc-pager__where").await?.starts_with("第 ")).then_some(())) }).await?;
    let label = h.text(".opc-pager__where").await?;
    assert!(label == "第 1 页" || label == "第 2 页", "no page count: {label}");
    Ok(())
}

/// The drawer handle's pointer events, dispatched on the handle.
const POINTER: &str = "const [type, x] = arguments;
    document.querySelector('[role=dialog] .opc-drawer__handle').dispatchEvent(new PointerEvent(type,
      { bubbles: true, composed: true, clientX: x, pointerId: 7, isPrimary: true, pointerType: 'touch' }));";

async fn drawer_width(h: &Harness) -> Result<i64> {
    let now = h.eval("return document.querySelector('[role=dialog] .opc-drawer__handle').getAttribute('aria-valuenow')", vec![]).await?;
    now.as_str().and_then(|w| w.parse().ok()).ok_or_else(|| anyhow::anyhow!("no aria-valuenow: {now}"))
}

/// A width remembered on a wider screen is clamped to this one; the handle takes touch
/// drags itself (`touch-action: none`) instead of letting the page scroll.
#[tokio::test]
async fn a_remembered_drawer_width_is_clamped_to_the_window() -> Result<()> {
    let h = english().await?;
    h.goto(SEED_QUERY).await?;
    h.eval("localStorage.setItem('opc:drawerWidth', '5000')", vec![]).await?;
    h.goto(&format!("{SEED_QUERY}&chat={SEED_CHAT}")).await?;
    drawer_for(&h, SEED_CHAT).await?;
    let viewport = h.eval("return document.documentElement.clientWidth", vec![]).await?.as_i64().unwrap_or(0);
    let width = drawer_width(&h).await?;
    assert!(width <= viewport && width >= 360, "width {width} in a {viewport} px window");
    let touch = h.eval("return getComputedStyle(document.querySelector('[role=dialog] .opc-drawer__handle')).touchAction", vec![]).await?;
    assert_eq!(touch, json!("none"));
    Ok(())
}

/// `pointercancel` (the browser took the pointer away) ends a resize: later moves change
/// nothing and the width goes back to where the drag started.
#[tokio::test]
async fn pointercancel_ends_a_drawer_resize() -> Result<()> {
    let h = english().await?;
    h.goto(&format!("{SEED_QUERY}&chat={SEED_CHAT}")).await?;
    drawer_for(&h, SEED_CHAT).await?;
    let start = drawer_width(&h).await?;
    h.eval(POINTER, vec!["pointerdown".into(), 800.into()]).await?;
    h.eval(POINTER, vec!["pointermove".into(), 700.into()]).await?;
    assert_eq!(drawer_width(&h).await?, start + 100, "dragging resizes");
    h.eval(POINTER, vec!["pointercancel".into(), 700.into()]).await?;
    h.eval(POINTER, vec!["pointermove".into(), 600.into()]).await?;
    assert_eq!(drawer_width(&h).await?, start, "a cancelled drag is undone and over");
    h.assert_no_console_errors().await?;
    Ok(())
}

async fn history_length(h: &Harness) -> Result<i64> {
    Ok(h.eval("return history.length", vec![]).await?.as_i64().unwrap_or(-1))
}

async fn href(h: &Harness) -> Result<String> {
    Ok(h.eval("return location.href", vec![]).await?.as_str().unwrap_or_default().to_owned())
}

/// Waits until the address is `url` with `rows` settled and no drawer.
async fn back_at(h: &Harness, url: &str, rows: &[String]) -> Result<()> {
    h.wait_until(&format!("{url} with its {} rows and no drawer", rows.len()), || async {
        let here = href(h).await? == url;
        let settled = h.rows_now().await?.is_some_and(|r| r == rows);
        Ok((here && settled && h.all_by_role("dialog", None).await?.is_empty()).then_some(()))
    })
    .await
}

/// Back means "back to my search" (DESIGN §6 History): opening from the table pushes one
/// entry, `j`/`k` replace it, closing goes back to the entry it was opened from; a linked
/// chat pushes another, and closing goes back past it too.
async fn back_returns_to_the_search_before(h: &Harness, link: char) -> Result<()> {
    h.goto(&format!("/{link}start=2015-01-01&end=2015-12-31&size=50")).await?;
    let everything = h.wait_rows("the whole of 2015", |rows| !rows.is_empty()).await?;
    let before = href(h).await?;
    for follow_link in [false, true] {
        h.fill("Nickname", "阿洋").await?;
        h.by_role("button", "Search").await?.click().await?;
        let rows = h.wait_rows("the seed rows", |rows| rows.len() == 12).await?;
        let searched = href(h).await?;
        assert_ne!(searched, before);
        let entries = history_length(h).await?;

        row(h, SEED_CHAT).await?.click().await?;
        drawer_for(h, SEED_CHAT).await?;
        let mut pushed = 1;
        if follow_link {
            h.wait_for("[role=dialog] button.opc-link").await?.click().await?;
            drawer_for(h, SEED_REF_CHAT).await?;
            pushed += 1;
        }
        let at = rows.iter().position(|id| id == if follow_link { SEED_REF_CHAT } else { SEED_CHAT }).unwrap_or(0);
        h.press("j").await?;
        drawer_for(h, &rows[at + 1]).await?;
        h.press("j").await?;
        drawer_for(h, &rows[at + 2]).await?;
        assert_eq!(history_length(h).await?, entries + pushed, "open and follow push, j replaces");
        h.press(&Key::Escape).await?;
        back_at(h, &searched, &rows).await?;
        assert_eq!(history_length(h).await?, entries + pushed, "closing went back instead of adding an entry");

        h.client().back().await?;
        back_at(h, &before, &everything).await?;
    }
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn back_after_open_step_close_returns_to_the_search_before() -> Result<()> {
    back_returns_to_the_search_before(&english().await?, '?').await
}

#[tokio::test]
async fn back_after_open_step_close_returns_to_the_search_before_in_hash_mode() -> Result<()> {
    let h = Harness::builder().app_config(json!({ "locale": "en", "token": "e2e-token", "urlSync": "hash" })).start().await?;
    back_returns_to_the_search_before(&h, '#').await
}

/// A drawer from a deep link: stepping replaces the entry and closing replaces it too.
#[tokio::test]
async fn a_deep_linked_drawer_closes_in_place() -> Result<()> {
    let h = english().await?;
    h.goto(&format!("{SEED_QUERY}&chat={SEED_CHAT}")).await?;
    drawer_for(&h, SEED_CHAT).await?;
    let rows = h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    let entries = history_length(&h).await?;
    let at = rows.iter().position(|id| id == SEED_CHAT).unwrap_or(0);
    h.press("j").await?;
    drawer_for(&h, &rows[at + 1]).await?;
    h.press(&Key::Escape).await?;
    h.wait_gone("[role=dialog]").await?;
    assert_eq!(h.query_param("chat").await?, None);
    assert_eq!(h.query_param("nick").await?.as_deref(), Some("阿洋"));
    assert_eq!(history_length(&h).await?, entries, "no entry added");
    Ok(())
}

/// Without URL sync the console writes no history, and closing does not go back either.
#[tokio::test]
async fn without_url_sync_closing_stays_on_the_page() -> Result<()> {
    let h = Harness::builder().app_config(json!({ "locale": "en", "token": "e2e-token", "urlSync": "none" })).start().await?;
    h.goto("/?from=host").await?;
    let rows = h.wait_rows("rows", |rows| rows.len() > 2).await?;
    let (entries, url) = (history_length(&h).await?, href(&h).await?);
    row(&h, &rows[0]).await?.click().await?;
    drawer_for(&h, &rows[0]).await?;
    h.press("j").await?;
    drawer_for(&h, &rows[1]).await?;
    h.press(&Key::Escape).await?;
    h.wait_gone("[role=dialog]").await?;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!((history_length(&h).await?, href(&h).await?), (entries, url));
    assert!(h.rows_now().await?.is_some_and(|r| r.len() == rows.len()), "still on the page");
    Ok(())
}

/// Headings and every label's box in the open drawer, and the window's height.
const LAYOUT: &str = "const d = document.querySelector('[role=dialog] .opc-chat');
    const heads = Array.from(d.querySelectorAll('h3, summary')).map((e) => e.textContent.trim());
    const labels = {};
    for (const dt of d.querySelectorAll('dt')) {
      const r = dt.getBoundingClientRect();
      // A closed <details> hides its content with content-visibility, which still lays out.
      labels[dt.textContent.trim()] = { top: r.top, bottom: r.bottom, shown: r.height > 0 && dt.checkVisibility() };
    }
    return { heads, labels, fold: window.innerHeight };";

const CUSTOMER: [&str; 6] = ["User ID", "Display number (masked)", "Phone (full number)", "Contacts", "Tags", "Service count"];
const ESSENTIALS: [&str; 7] = ["Created", "Status", "Channel", "Client", "Location", "Linked conversation", "Chat ID"];
const TECHNICAL: [&str; 8] = ["Group ID", "Channel ID", "Client ID", "Version", "Client type", "Operator ID", "In group", "Latitude / longitude"];

async fn technical_shown(h: &Harness) -> Result<bool> {
    let layout = h.eval(LAYOUT, vec![]).await?;
    let shown: Vec<bool> = TECHNICAL.iter().map(|l| layout["labels"][l]["shown"] == json!(true)).collect();
    assert!(shown.iter().all(|s| *s == shown[0]), "the technical ids are shown or hidden together: {layout}");
    Ok(shown[0])
}

/// At 1440×900 the drawer reads as an operator reads it: the customer, then the
/// conversation's essentials (all above the fold), then the technical ids, folded away in
/// "Technical details", which remembers being opened or closed.
#[tokio::test]
async fn the_drawer_reads_customer_then_essentials_then_folded_technical_ids() -> Result<()> {
    let h = english().await?;
    // The viewport itself (a window's size would include the browser's own bars).
    h.cdp("Emulation.setDeviceMetricsOverride", json!({ "width": 1440, "height": 900, "deviceScaleFactor": 1, "mobile": false })).await?;
    let link = format!("{SEED_QUERY}&chat={SEED_CHAT}");
    h.goto(&link).await?;
    drawer_for(&h, SEED_CHAT).await?;
    let layout = h.eval(LAYOUT, vec![]).await?;
    assert_eq!(layout["heads"], json!(["Customer", "Conversation", "Technical details"]), "{layout}");
    let label = |name: &str, what: &str| layout["labels"][name][what].as_f64().unwrap_or(f64::NAN);
    let customer_end = CUSTOMER.iter().map(|l| label(l, "bottom")).fold(f64::MIN, f64::max);
    let fold = layout["fold"].as_f64().unwrap_or(0.0);
    assert_eq!(fold, 900.0, "a 900 px high viewport");
    for essential in ESSENTIALS {
        assert_eq!(layout["labels"][essential]["shown"], json!(true), "{essential} shown: {layout}");
        assert!(label(essential, "top") > customer_end, "{essential} after the customer: {layout}");
        assert!(label(essential, "bottom") <= fold, "{essential} above the fold: {layout}");
    }
    assert!(!technical_shown(&h).await?, "technical details start folded");

    h.wait_for("[role=dialog] summary").await?.click().await?;
    assert!(technical_shown(&h).await?, "opened");
    h.goto(&link).await?;
    drawer_for(&h, SEED_CHAT).await?;
    assert!(technical_shown(&h).await?, "still open after a reload");
    h.wait_for("[role=dialog] summary").await?.click().await?;
    h.goto(&link).await?;
    drawer_for(&h, SEED_CHAT).await?;
    assert!(!technical_shown(&h).await?, "closed again after a reload");

    h.eval("document.querySelector('select[aria-label=Language]').value = 'zh-CN'; document.querySelector('select[aria-label=Language]').dispatchEvent(new Event('change'))", vec![]).await?;
    h.wait_until("the zh-CN summary", || async {
        let summary = h.eval("return document.querySelector('[role=dialog] summary').textContent.trim()", vec![]).await?;
        Ok((summary == json!("技术信息")).then_some(()))
    })
    .await?;
    h.assert_no_console_errors().await?;
    Ok(())
}

/// Closing goes back in history, which is asynchronous: a row clicked before that popstate
/// arrives must still open, with the address naming it, and Back must then close it.
#[tokio::test]
async fn a_row_clicked_right_after_closing_opens_with_its_address() -> Result<()> {
    let h = english().await?;
    h.goto(SEED_QUERY).await?;
    let rows = h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    row(&h, &rows[0]).await?.click().await?;
    drawer_for(&h, &rows[0]).await?;
    // Close and click the next row in one script: no popstate can come in between.
    h.eval(
        "document.querySelector('[role=dialog] [aria-label=\"Close\"]').click();
         document.querySelector('tr.opc-row[data-chat-id=\"' + arguments[0] + '\"]').click();",
        vec![rows[1].clone().into()],
    )
    .await?;
    drawer_for(&h, &rows[1]).await?;
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    drawer_for(&h, &rows[1]).await?;
    assert_eq!(h.query_param("chat").await?.as_deref(), Some(rows[1].as_str()), "the address names the open chat");
    h.client().back().await?;
    h.wait_gone("[role=dialog]").await?;
    assert_eq!(h.query_param("chat").await?, None);
    Ok(())
}
