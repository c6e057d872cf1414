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
    for label in ["User ID", "Display phone", "Phone", "Tags", "Service count", "Group ID", "Operator ID", "In group", "Client ID"] {
        assert!(text.contains(label), "missing label {label:?}");
    }
    // `phone: null` shows as a dash; `isInGroup: false` as No.
    let phone = h.eval(
        "const dts = Array.from(document.querySelectorAll('[role=dialog] dt'));
         const dt = dts.find(d => d.textContent.trim() === 'Phone');
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
