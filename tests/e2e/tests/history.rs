//! "Conversations with this customer" in the drawer, against the real sandbox: the seed
//! chat's customer (not the other 阿洋), a generated customer who shares a nickname, opening
//! an item and Back, Retry, cancelling on quick steps, `historyDays: 0`, and zh-CN.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::{ensure, Context, Result};
use chrono::{FixedOffset, NaiveDate, TimeZone, Utc};
use op_e2e::{english_config, Harness, Key};
use serde_json::{json, Value};

const SEED_CHAT: &str = "u0001d6ddfcbef27e45aeaee5bf7db6ac83b5";
const SEED_USER: &str = "u00013058217037704c358367f6e1fd1da545";
const OTHER_AYANG: &str = "u00019c9457f4020443e6b984a37022a4ecee";
/// The seed customer's four conversations, newest first.
const SEED_USER_CHATS: [&str; 4] = [
    SEED_CHAT,
    "u00011d5bcc1b15364568a9d264acaca8866c",
    "u0001c5ae29e6320b450e9107f3d7cd065eb3",
    "u0001c8e9ee5e3ca14457b7487eb7a7459864",
];
const SEED_QUERY: &str = "/?nick=%E9%98%BF%E6%B4%8B&start=2015-01-01&end=2015-12-31";
const REGION: &str = "Conversations with this customer";

fn zone() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8")
}

/// Today in the server's zone, as the console's window ends.
fn today() -> NaiveDate {
    Utc::now().with_timezone(&zone()).date_naive()
}

fn day_of(ms: i64) -> NaiveDate {
    zone().timestamp_millis_opt(ms).single().expect("valid time").date_naive()
}

async fn start(config: Value) -> Result<Harness> {
    Harness::builder().app_config(config).start().await
}

/// The drawer's content once it shows `chat_id`.
async fn drawer_for(h: &Harness, chat_id: &str) -> Result<()> {
    h.wait_until(&format!("the drawer showing {chat_id}"), || async {
        let shown = h.eval("const a = document.querySelector('[role=dialog] .opc-chat'); return a && a.dataset.chatId;", vec![]).await?;
        Ok((shown == json!(chat_id)).then_some(()))
    })
    .await
}

/// The listed conversations once the section has loaded: (chat id, text, is a button).
async fn listed(h: &Harness) -> Result<Vec<(String, String, bool)>> {
    h.wait_for(".opc-history__count").await?;
    let items = h
        .eval(
            "return Array.from(document.querySelectorAll('.opc-history__item'))
               .map(li => [li.dataset.chatId, li.innerText.replace(/\\s+/g, ' ').trim(), !!li.querySelector('button')]);",
            vec![],
        )
        .await?;
    serde_json::from_value(items).context("items")
}

/// The walks' requests: searches of 100 rows (the table asks for 20).
async fn history_requests(h: &Harness) -> Result<Vec<Value>> {
    Ok(h.requests().await?.into_iter().filter(|r| r["body"]["pageSize"] == json!(100)).collect())
}

#[tokio::test]
async fn the_seed_chat_lists_its_customers_four_newest_first() -> Result<()> {
    let h = start(english_config()).await?;
    h.goto(&format!("{SEED_QUERY}&chat={SEED_CHAT}")).await?;
    drawer_for(&h, SEED_CHAT).await?;
    h.by_role("region", REGION).await?;
    let items = listed(&h).await?;
    let ids: Vec<&str> = items.iter().map(|(id, _, _)| id.as_str()).collect();
    assert_eq!(ids, SEED_USER_CHATS, "exactly the seed customer's four, newest first");
    let truth = h.true_rows(json!({"userNick": "阿洋", "startTime": "2014-12-15", "endTime": today().to_string()})).await?;
    let of = |user: &str| truth.iter().filter(|r| r["userId"] == json!(user)).filter_map(|r| r["chatId"].as_str()).collect::<Vec<_>>();
    assert_eq!(of(SEED_USER), SEED_USER_CHATS);
    assert_eq!(of(OTHER_AYANG).len(), 8, "the other 阿洋 is in the same search");
    assert!(of(OTHER_AYANG).iter().all(|id| !ids.contains(id)));
    // The open one is marked and is not a button; the others say how far they are.
    assert!(items[0].1.contains("this conversation") && !items[0].2, "{:?}", items[0]);
    assert!(items[1].1.contains("2015-12-14 23:29:44") && items[1].1.ends_with("1 hour earlier") && items[1].2, "{:?}", items[1]);
    assert!(items[3].1.ends_with("12 days earlier"), "{:?}", items[3]);
    assert!(items[0].1.contains("Active") && items[1].1.contains("Ended"), "status badges: {items:?}");
    assert_eq!(h.text(".opc-history__count").await?, "4 conversations since 2014-12-15");
    assert!(h.all_by_role("button", None).await?.len() > 3);
    // What was asked: the nickname over the window, in pages of 100.
    let walks = history_requests(&h).await?;
    assert_eq!(walks.len(), 1, "{walks:?}");
    assert_eq!(
        walks[0]["body"],
        json!({"userNick": "阿洋", "startTime": "2014-12-15", "endTime": today().to_string(), "pageNum": 1, "pageSize": 100})
    );
    h.assert_accessible("the drawer with the customer's conversations", Some("[role=dialog]"), &[]).await?;
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn in_chinese_too() -> Result<()> {
    let h = start(json!({ "token": "e2e-token" })).await?;
    h.goto(&format!("{SEED_QUERY}&chat={SEED_CHAT}")).await?;
    h.by_role("region", "该客户的会话").await?;
    let items = listed(&h).await?;
    assert_eq!(items.iter().map(|(id, _, _)| id.as_str()).collect::<Vec<_>>(), SEED_USER_CHATS);
    assert!(items[0].1.contains("当前会话") && items[0].1.contains("进行中"), "{:?}", items[0]);
    assert!(items[1].1.ends_with("早 1 小时"), "{:?}", items[1]);
    assert!(items[3].1.ends_with("早 12 天"), "{:?}", items[3]);
    assert_eq!(h.text(".opc-history__count").await?, "2014-12-15 以来 4 次会话");
    Ok(())
}

/// A generated customer whose nickname another customer has too: only their own rows, and
/// when they came more often than the window holds, the sentence that says so.
#[tokio::test]
async fn a_generated_customer_sharing_a_nickname_sees_only_their_own() -> Result<()> {
    let h = start(english_config()).await?;
    h.goto("/").await?;
    let today = today();
    let all = h.true_rows(json!({"startTime": "2015-01-01", "endTime": today.to_string()})).await?;
    // nickname → user id → that user's rows, newest first.
    let mut by_nick: BTreeMap<String, BTreeMap<String, Vec<&Value>>> = BTreeMap::new();
    for row in &all {
        let (Some(nick), Some(user)) = (row["nickName"].as_str(), row["userId"].as_str()) else { continue };
        by_nick.entry(nick.to_string()).or_default().entry(user.to_string()).or_default().push(row);
    }
    let shared = by_nick.iter().filter(|(nick, users)| users.len() > 1 && !nick.contains("阿洋"));
    let time = |row: &Value| row["createTime"].as_i64().unwrap_or(0);
    // A customer with three or more conversations whose newest one's window also holds
    // another customer of the same nickname; preferably one who came over more than a year.
    let mut candidates = Vec::new();
    for (nick, users) in shared {
        for (user, rows) in users.iter().filter(|(_, rows)| rows.len() >= 3) {
            let since = day_of(time(rows[0])) - chrono::Duration::days(365);
            let others_inside = users.iter().any(|(other, theirs)| other != user && theirs.iter().any(|r| day_of(time(r)) >= since));
            let long = time(rows[0]) - time(rows[rows.len() - 1]) > 400 * 86_400_000;
            if others_inside {
                candidates.push((!long, nick, user, rows, since));
            }
        }
    }
    candidates.sort_by_key(|(short, ..)| *short);
    let (_, nick, user, rows, since) = candidates.first().context("a customer sharing a nickname with another in the window")?;
    let open = rows[0]["chatId"].as_str().context("chat id")?;
    let window = h.true_rows(json!({"userNick": nick, "startTime": since.to_string(), "endTime": today.to_string()})).await?;
    ensure!(window.len() <= 500, "{nick}: {} rows, more than the walk reads", window.len());
    let expected: Vec<&str> = window.iter().filter(|r| r["userId"] == json!(user)).filter_map(|r| r["chatId"].as_str()).collect();
    assert!(window.iter().any(|r| r["userId"] != json!(user)), "{nick}: another customer in the window too");

    let mut url = url::Url::parse("http://x/")?;
    url.query_pairs_mut().append_pair("nick", nick).append_pair("start", "2015-01-01").append_pair("chat", open);
    h.goto(&format!("/?{}", url.query().unwrap_or_default())).await?;
    drawer_for(&h, open).await?;
    let items = listed(&h).await?;
    assert_eq!(items.iter().map(|(id, _, _)| id.as_str()).collect::<Vec<_>>(), expected, "{nick} ({user})");
    assert_eq!(h.text(".opc-history__count").await?, format!("{} conversations since {since}", expected.len()));
    if rows.len() > expected.len() {
        let hidden = h.text(".opc-history__hidden").await?;
        assert_eq!(hidden, format!("The customer has {} in total; older ones or ones under another nickname are not shown.", rows.len()));
    }
    Ok(())
}

/// An item opens its conversation like a followed link: `chat=` pushed, Back returns. A
/// narrower window of a customer already walked costs no request.
#[tokio::test]
async fn an_item_opens_in_the_drawer_and_back_returns() -> Result<()> {
    let h = start(english_config()).await?;
    let oldest = SEED_USER_CHATS[3];
    h.goto(&format!("{SEED_QUERY}&chat={oldest}")).await?;
    drawer_for(&h, oldest).await?;
    let items = listed(&h).await?;
    assert_eq!(items.iter().map(|(id, _, _)| id.as_str()).collect::<Vec<_>>(), SEED_USER_CHATS);
    assert!(items[0].1.ends_with("12 days later"), "{:?}", items[0]);
    h.wait_for(&format!(".opc-history__item[data-chat-id='{SEED_CHAT}'] button")).await?.click().await?;
    drawer_for(&h, SEED_CHAT).await?;
    assert_eq!(h.query_param("chat").await?.as_deref(), Some(SEED_CHAT));
    let items = listed(&h).await?;
    assert!(items[0].1.contains("this conversation"), "{items:?}");
    assert_eq!(history_requests(&h).await?.len(), 1, "the newer conversation's window lies within the walk already made");
    h.by_role("button", "Back").await?;
    h.client().back().await?;
    drawer_for(&h, oldest).await?;
    assert_eq!(h.query_param("chat").await?.as_deref(), Some(oldest));
    // Forward and the drawer's own Back go through the same trail.
    h.client().forward().await?;
    drawer_for(&h, SEED_CHAT).await?;

    // Keyboard: Tab reaches the items, Enter opens one, j/k still step through the table:
    // after the customer's oldest conversation, `j` opens the table's next row, the other 阿洋.
    let focused_item = || async {
        h.eval("const li = document.activeElement && document.activeElement.closest('.opc-history__item'); return li && li.dataset.chatId;", vec![]).await
    };
    listed(&h).await?;
    let mut reached = false;
    for _ in 0..60 {
        h.press(&Key::Tab).await?;
        if focused_item().await? == json!(oldest) {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab reaches the list's items");
    h.press(&Key::Enter).await?;
    drawer_for(&h, oldest).await?;
    listed(&h).await?;
    h.eval("document.querySelector('.opc-history__item button').focus()", vec![]).await?;
    h.press("j").await?;
    drawer_for(&h, "u0001aa76c13fdc674a3b8ff8f60813e0e5b7").await?;
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn a_failed_walk_offers_retry_and_the_drawer_stays_usable() -> Result<()> {
    let h = start(english_config()).await?;
    h.goto(SEED_QUERY).await?;
    h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    h.queue_fault(json!({ "endpoint": "chatSearchs", "fail": "html502" })).await?;
    h.wait_for(&format!("tr.opc-row[data-chat-id='{SEED_CHAT}']")).await?.click().await?;
    drawer_for(&h, SEED_CHAT).await?;
    let alert = h.text(".opc-history .opc-error").await?;
    assert!(alert.contains("502"), "{alert}");
    // The drawer's own content is there and has no error of its own.
    let text = h.text("[role=dialog] .opc-chat").await?;
    assert!(text.contains("yzhou222") && text.contains("Get帮你搞定一切"), "{text}");
    assert_eq!(h.eval("return document.querySelectorAll('[role=dialog] .opc-error').length", vec![]).await?, json!(1));
    h.wait_for(".opc-history .opc-error button").await?.click().await?;
    let items = listed(&h).await?;
    assert_eq!(items.iter().map(|(id, _, _)| id.as_str()).collect::<Vec<_>>(), SEED_USER_CHATS);
    h.wait_gone(".opc-history .opc-error").await?;
    Ok(())
}

/// Stepping quickly with `j`: every walk of a conversation the drawer left is aborted, and
/// the sandbox sees those requests end as cancelled; the drawer never waits for a walk.
#[tokio::test]
async fn quick_steps_cancel_the_walks_they_leave() -> Result<()> {
    let h = start(english_config()).await?;
    h.goto(SEED_QUERY).await?;
    let rows = h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    h.queue_fault(json!({ "endpoint": "chatSearchs", "delayMs": 5000, "count": 10 })).await?;
    h.wait_for(&format!("tr.opc-row[data-chat-id='{}']", rows[0])).await?.click().await?;
    for next in &rows[..5] {
        if next != &rows[0] {
            h.press("j").await?;
        }
        drawer_for(&h, next).await?;
        // The walk is under way (its request has reached the sandbox) before the next step.
        h.wait_for(".opc-history__skeleton").await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    h.press(&Key::Escape).await?;
    h.wait_gone("[role=dialog]").await?;
    let walks = h
        .wait_until("every walk ended", || async {
            let walks = history_requests(&h).await?;
            Ok(walks.iter().all(|w| w["outcome"] != json!("pending")).then_some(walks))
        })
        .await?;
    // Five conversations of two customers, in four windows (two share a day).
    assert!(walks.len() >= 4, "{walks:?}");
    for walk in &walks {
        assert_eq!(walk["outcome"], json!("cancelled"), "{walk}");
    }
    Ok(())
}

#[tokio::test]
async fn history_days_zero_turns_the_section_off() -> Result<()> {
    let h = start(json!({ "locale": "en", "token": "e2e-token", "historyDays": 0 })).await?;
    h.goto(&format!("{SEED_QUERY}&chat={SEED_CHAT}")).await?;
    drawer_for(&h, SEED_CHAT).await?;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(h.all_by_role("region", Some(REGION)).await?.is_empty());
    assert_eq!(h.eval("return document.querySelectorAll('.opc-history').length", vec![]).await?, json!(0));
    assert!(history_requests(&h).await?.is_empty());
    Ok(())
}
