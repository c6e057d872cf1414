//! The drawer's content rendered in a real browser: the seed chat info verbatim, and
//! hostile payloads that must stay text.

use leptos::prelude::*;
use serde_json::json;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

use super::details::ChatDetails;
use crate::api::models::Envelope;
use crate::api::{ChatInfo, Endpoint};
use crate::test_support::{let_effects_run, mount};
use crate::time::parse_offset;

const CHAT_INFO_SEED: &str = include_str!("../../tests/fixtures/chat-info-seed.json");
const SEARCH_SEED: &str = include_str!("../../tests/fixtures/search-seed.json");

fn decode(body: &str) -> ChatInfo {
    Envelope::decode(Endpoint::GetChatInfo, body).and_then(Envelope::into_chat_info).expect("decodes")
}

fn render(info: ChatInfo, locale: &str) -> crate::test_support::Mounted {
    mount(json!({ "locale": locale }), move |_| {
        view! { <ChatDetails info on_follow=Callback::new(|_: String| {}) /> }.into_any()
    })
}

/// The text of the `<dd>` next to the `<dt>` labelled `label`.
fn value_of(mounted: &crate::test_support::Mounted, label: &str) -> Option<String> {
    mounted
        .all("dt")
        .into_iter()
        .find(|dt| dt.text_content().is_some_and(|t| t.trim() == label))
        .and_then(|dt| dt.next_element_sibling())
        .and_then(|dd| dd.text_content())
        .map(|t| t.trim().to_string())
}

#[wasm_bindgen_test]
async fn seed_chat_info_shows_every_field() {
    let mounted = render(decode(CHAT_INFO_SEED), "en");
    let_effects_run().await;
    // The technical ids are folded away; open them to read every field.
    for details in mounted.all("details") {
        let _ = details.set_attribute("open", "");
    }
    let text = mounted.text();
    for expected in [
        "阿洋", "yzhou222", "Get帮你搞定一切", "u00013058217037704c358367f6e1fd1da545", "getTest", "4 conversations",
        "o00011d8019cd259247bcba1b20b585c74235", "135222409673310808", "GetTest", "4066ab52578746c5b00c909c662e52f5",
        "Newwear", "北京市海淀区软件园六号路", "40.050735, 116.305801", "u00011d5bcc1b15364568a9d264acaca8866c",
        "WX", "2.1", "Active", "u0001d6ddfcbef27e45aeaee5bf7db6ac83b5",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
    assert_eq!(value_of(&mounted, "Phone (full number)").as_deref(), Some("—"), "null phone");
    assert_eq!(value_of(&mounted, "In group").as_deref(), Some("No"));
    assert_eq!(value_of(&mounted, "Client ID").as_deref(), Some("6"));
    assert_eq!(value_of(&mounted, "Addresses").as_deref(), Some("—"));
    assert_eq!(value_of(&mounted, "Channels followed").as_deref(), Some("—"));
    assert!(value_of(&mounted, "Company ID").is_none(), "companyId is shown only when present");

    // The created time equals the search row's for the same conversation.
    let row = Envelope::decode(Endpoint::ChatSearchs, SEARCH_SEED).and_then(Envelope::into_search_page).expect("rows").rows.remove(0);
    let zone = parse_offset("+08:00").expect("zone");
    let row_time = row.create_time.expect("time").display(zone);
    assert_eq!(value_of(&mounted, "Created").as_deref(), Some(row_time.as_str()));
    assert_eq!(row_time, "2015-12-15 00:54:15");
}

#[wasm_bindgen_test]
async fn labels_follow_the_locale() {
    let mounted = render(decode(CHAT_INFO_SEED), "zh-CN");
    let_effects_run().await;
    assert_eq!(value_of(&mounted, "完整号码").as_deref(), Some("—"));
    assert_eq!(value_of(&mounted, "显示号码（脱敏）").as_deref(), Some("u00013058217037704c358367f6e1fd1da545"));
    assert_eq!(value_of(&mounted, "服务次数").as_deref(), Some("4 次会话"));
    assert_eq!(value_of(&mounted, "创建时间").as_deref(), Some("2015-12-15 00:54:15"));
    // The chat info's "Chat" in the catalog's words.
    assert_eq!(value_of(&mounted, "状态").as_deref(), Some("进行中"));
}

/// Emptiness is decided on the data: a server value that happens to be "—" keeps its copy
/// button, a blank one shows the dash without one.
#[wasm_bindgen_test]
async fn a_dash_from_the_server_is_a_value() {
    let body = json!({"code": 200, "data": {"chatId": "—", "groupId": "  ", "user": {"userId": "u1"}}});
    let mounted = render(decode(&body.to_string()), "en");
    let_effects_run().await;
    let has_copy = |label: &str| {
        let dt = mounted.all("dt").into_iter().find(|dt| dt.text_content().is_some_and(|t| t.trim() == label));
        let dd = dt.and_then(|dt| dt.next_element_sibling()).expect(label);
        dd.query_selector(".opc-copy").ok().flatten().is_some()
    };
    assert_eq!(value_of(&mounted, "Chat ID").as_deref(), Some("—"));
    assert!(has_copy("Chat ID"), "the server's own \"—\" can be copied");
    assert_eq!(value_of(&mounted, "Group ID").as_deref(), Some("—"));
    assert!(!has_copy("Group ID"), "a blank value has nothing to copy");
    assert!(has_copy("User ID"));
}

#[wasm_bindgen_test]
async fn hostile_payloads_stay_text() {
    let xss = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=1</script>";
    let long = "长".repeat(10_000);
    let body = json!({"code": 200, "data": {
        "user": {"nickName": xss, "userName": "\u{202e}evil\u{202c} 🙂\nline", "tags": [xss, "<svg onload=window.__pwned=1>"],
                 "icon": "javascript:window.__pwned=1", "phone": long, "address": [{"address": xss, "remark": xss}],
                 "contacts": [{"name": xss, "phone": "javascript:alert(1)"}]},
        "subtitle": xss, "status": xss, "chatId": "c1", "refChatId": "<b>x</b>",
        "client": {"logo": "data:text/html,<script>window.__pwned=1</script>", "name": xss},
        "location": {"address": xss, "lat": "40.1", "lng": 116.2},
        "channel": {"name": xss}, "channelNameList": [xss]
    }});
    let mounted = render(decode(&body.to_string()), "en");
    let_effects_run().await;
    assert!(mounted.all("script").is_empty(), "no script element");
    assert!(mounted.all("svg:not(.opc-icon)").is_empty(), "no svg element but the console's own icons");
    assert!(mounted.all("[onload], [onerror]").is_empty(), "no event-handler attributes");
    for img in mounted.all("img[src]") {
        let src = img.get_attribute("src").unwrap_or_default().to_ascii_lowercase();
        assert!(src.starts_with("http"), "only http(s) images: {src}");
    }
    for link in mounted.all("a") {
        let href = link.get_attribute("href").unwrap_or_default();
        assert!(href.starts_with("https://"), "only http(s) links: {href}");
    }
    let text = mounted.text();
    assert!(text.contains("<img src=x onerror="), "shown as text");
    assert!(text.contains("<svg onload="));
    let pwned = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("__pwned")).unwrap_or(JsValue::UNDEFINED);
    assert!(pwned.is_undefined(), "no payload ran");
}
