//! Decoding the Op API's answers: the seeds' example responses verbatim, and a corpus of
//! hostile variants that must each decode or fail with the right error, never panic.
#![cfg(not(target_arch = "wasm32"))]

use op_console::api::models::Envelope;
use op_console::api::{ApiError, Endpoint};
use op_console::api::models::CreateTime;
use op_console::time::parse_offset;
use serde_json::{json, Value};

const SEARCH_SEED: &str = include_str!("fixtures/search-seed.json");
const CHAT_INFO_SEED: &str = include_str!("fixtures/chat-info-seed.json");

fn search(body: &str) -> Result<op_console::api::SearchPage, ApiError> {
    Envelope::decode(Endpoint::ChatSearchs, body)?.into_search_page()
}

fn chat_info(body: &str) -> Result<op_console::api::ChatInfo, ApiError> {
    Envelope::decode(Endpoint::GetChatInfo, body)?.into_chat_info()
}

#[test]
fn search_seed_decodes_verbatim() {
    let envelope = Envelope::decode(Endpoint::ChatSearchs, SEARCH_SEED).expect("seed decodes");
    assert_eq!(envelope.code, 200);
    assert_eq!(envelope.message, "成功");
    let page = envelope.into_search_page().expect("rows");
    assert_eq!(page.rows.len(), 12);
    assert_eq!(page.total(), 12);
    let info = page.page.as_ref().expect("page block");
    assert_eq!((info.page, info.page_size, info.count, info.next, info.start_index), (Some(1), Some(20), Some(12), Some(false), Some(0)));

    // Every row compared field by field with the raw JSON.
    let raw: Value = serde_json::from_str(SEARCH_SEED).expect("json");
    for (row, raw) in page.rows.iter().zip(raw["data"].as_array().expect("list")) {
        let text = |key: &str| raw[key].as_str().map(str::to_string);
        assert_eq!(row.chat_id, text("chatId"));
        assert_eq!(row.group_id, text("groupId"));
        assert_eq!(row.user_id, text("userId"));
        assert_eq!(row.nick_name, text("nickName"));
        assert_eq!(row.user_icon, text("userIcon"));
        assert_eq!(row.address, text("address"));
        assert_eq!(row.status, text("status"));
        assert_eq!(row.status_tip, text("statusTip"));
        assert_eq!(row.title, text("title"));
        assert_eq!(row.message, text("message"));
        assert_eq!(row.create_time, raw["createTime"].as_i64().map(CreateTime::EpochMs));
    }
    assert_eq!(page.rows[0].chat_id.as_deref(), Some("u0001d6ddfcbef27e45aeaee5bf7db6ac83b5"));
    assert_eq!(page.rows[6].title.as_deref(), Some("Get一下，你就得到！"));
}

#[test]
fn chat_info_seed_decodes_verbatim() {
    let info = chat_info(CHAT_INFO_SEED).expect("seed decodes");
    let user = info.user.as_ref().expect("user");
    assert_eq!(user.tags, vec!["getTest".to_string()]);
    assert_eq!(user.phone, None, "null phone stays absent");
    assert_eq!(user.display_phone.as_deref(), Some("u00013058217037704c358367f6e1fd1da545"));
    assert_eq!(user.nick_name.as_deref(), Some("阿洋"));
    assert_eq!(user.user_name.as_deref(), Some("yzhou222"));
    assert_eq!(user.service_count, Some(4));
    assert!(user.address.is_empty() && user.contacts.is_empty());
    assert!(user.icon.as_deref().is_some_and(|i| i.starts_with("http://7xkq6j.com1.z0.glb.clouddn.com/f35fe1")));
    assert_eq!(info.operator_id.as_deref(), Some("o00011d8019cd259247bcba1b20b585c74235"));
    assert_eq!(info.subtitle.as_deref(), Some("Get帮你搞定一切"));
    let channel = info.channel.as_ref().expect("channel");
    assert_eq!((channel.name.as_deref(), channel.channel_id.as_deref()), (Some("GetTest"), Some("4066ab52578746c5b00c909c662e52f5")));
    assert_eq!(info.ref_chat_id.as_deref(), Some("u00011d5bcc1b15364568a9d264acaca8866c"));
    let location = info.location.as_ref().expect("location");
    assert_eq!((location.lat, location.lng), (Some(40.050735), Some(116.305801)));
    assert_eq!(location.address.as_deref(), Some("北京市海淀区软件园六号路"));
    assert_eq!(info.group_id.as_deref(), Some("135222409673310808"));
    assert_eq!(info.status.as_deref(), Some("Chat"));
    assert_eq!(info.chat_id.as_deref(), Some("u0001d6ddfcbef27e45aeaee5bf7db6ac83b5"));
    assert_eq!(info.is_in_group, Some(false));
    assert_eq!(info.version_code.as_deref(), Some("2.1"));
    assert_eq!(info.client_type.as_deref(), Some("WX"));
    let client = info.client.as_ref().expect("client");
    assert_eq!((client.name.as_deref(), client.client_id.as_deref()), (Some("Newwear"), Some("6")));
    assert!(info.channel_name_list.is_empty());
    assert_eq!(info.company_id, None);
}

#[test]
fn seed_row_and_chat_info_show_the_same_created_time() {
    let zone = parse_offset("+08:00").expect("zone");
    let row = search(SEARCH_SEED).expect("rows").rows.remove(0);
    let info = chat_info(CHAT_INFO_SEED).expect("info");
    assert_eq!(row.chat_id, info.chat_id);
    let shown = row.create_time.expect("row time").display(zone);
    assert_eq!(shown, "2015-12-15 00:54:15");
    assert_eq!(info.create_time.expect("info time").display(zone), shown);
}

/// Replaces every scalar of `value` (recursively) with `replacement`.
fn replace_scalars(value: &Value, replacement: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), replace_scalars(v, replacement))).collect()),
        Value::Array(items) => Value::Array(items.iter().map(|v| replace_scalars(v, replacement)).collect()),
        _ => replacement.clone(),
    }
}

fn with_code_200(mut value: Value) -> String {
    value["code"] = json!(200);
    value.to_string()
}

#[test]
fn every_field_null_decodes_to_absent_values() {
    let raw: Value = serde_json::from_str(CHAT_INFO_SEED).expect("json");
    let info = chat_info(&with_code_200(replace_scalars(&raw, &Value::Null))).expect("decodes");
    let user = info.user.expect("user object kept");
    assert_eq!((user.nick_name, user.service_count, user.tags.len()), (None, None, 0));
    assert_eq!(info.create_time, None);
    assert_eq!(info.location.map(|l| (l.lat, l.lng)), Some((None, None)));

    let raw: Value = serde_json::from_str(SEARCH_SEED).expect("json");
    let page = search(&with_code_200(replace_scalars(&raw, &Value::Null))).expect("decodes");
    assert_eq!(page.rows.len(), 12);
    assert!(page.rows.iter().all(|r| r.chat_id.is_none() && r.create_time.is_none()));
    assert_eq!(page.total(), 12, "a null total falls back to the rows received");
}

#[test]
fn wrong_types_are_coerced_or_dropped() {
    let raw: Value = serde_json::from_str(CHAT_INFO_SEED).expect("json");
    let as_strings = replace_scalars(&raw, &json!("42"));
    let info = chat_info(&with_code_200(as_strings)).expect("decodes");
    assert_eq!(info.user.as_ref().and_then(|u| u.service_count), Some(42));
    assert_eq!(info.location.as_ref().and_then(|l| l.lat), Some(42.0));
    assert_eq!(info.is_in_group, None, "\"42\" is not a boolean");
    assert_eq!(info.create_time, Some(CreateTime::EpochMs(42)));

    let odd = json!({"code": "200", "message": 7, "data": {
        "user": "not an object", "channel": [1, 2], "location": {"lat": "40.5", "lng": true},
        "isInGroup": "true", "client": {"clientId": 6.0}, "channelNameList": ["a", 2, null, {"x": 1}],
        "createTime": "2015-12-15 00:54:15", "unknownField": {"deep": [1, 2, 3]}
    }});
    let info = chat_info(&odd.to_string()).expect("decodes");
    assert_eq!(info.user, None);
    assert_eq!(info.channel, None);
    assert_eq!(info.location.as_ref().map(|l| (l.lat, l.lng)), Some((Some(40.5), None)));
    assert_eq!(info.is_in_group, Some(true));
    assert_eq!(info.client.and_then(|c| c.client_id).as_deref(), Some("6.0"));
    assert_eq!(info.channel_name_list, vec!["a".to_string(), "2".to_string()]);
}

#[test]
fn huge_strings_and_many_rows() {
    let huge = json!({"chatId": "c", "nickName": "长".repeat(10_000), "title": "x".repeat(100_000)});
    let mut rows = vec![json!({"chatId": "c", "nickName": "阿洋", "createTime": 1450112055023_i64}); 9_999];
    rows.push(huge);
    let body = json!({"code": 200, "data": rows, "page": {"total": "10000"}});
    let page = search(&body.to_string()).expect("decodes");
    assert_eq!(page.rows.len(), 10_000);
    assert_eq!(page.total(), 10_000);
    assert_eq!(page.rows[9_999].nick_name.as_ref().map(|n| n.chars().count()), Some(10_000));
    assert_eq!(page.rows[9_999].title.as_ref().map(String::len), Some(100_000));
}

#[test]
fn malformed_bodies_fail_with_named_errors() {
    let decode_detail = |result: Result<op_console::api::SearchPage, ApiError>| match result {
        Err(ApiError::Decode { endpoint, detail }) => {
            assert_eq!(endpoint, Endpoint::ChatSearchs);
            detail
        }
        other => panic!("expected a decode error, got {other:?}"),
    };
    let html = "<html><head><title>502 Bad Gateway</title></head></html>";
    assert!(decode_detail(search(html)).contains("not JSON"));
    let truncated = &SEARCH_SEED[..SEARCH_SEED.len() / 2];
    assert!(decode_detail(search(truncated)).contains("not JSON"));
    assert!(decode_detail(search("")).contains("not JSON"));
    assert!(decode_detail(search("[1,2]")).contains("not a JSON object"));
    assert!(decode_detail(search(r#"{"message": "ok"}"#)).contains("`code`"));
    assert!(decode_detail(search(r#"{"code": "abc"}"#)).contains("`code`"));
    assert!(decode_detail(search(r#"{"code": 200, "data": {"a": 1}}"#)).contains("`data`"));

    match chat_info(r#"{"code": 200, "data": null}"#) {
        Err(ApiError::Decode { endpoint: Endpoint::GetChatInfo, detail }) => assert!(detail.contains("`data`")),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn error_envelopes_keep_code_and_message() {
    let envelope = Envelope::decode(Endpoint::ChatSearchs, r#"{"code": 500, "message": "服务器内部错误", "data": null}"#)
        .expect("an error envelope is still an envelope");
    assert_eq!((envelope.code, envelope.message.as_str()), (500, "服务器内部错误"));
    let empty = search(r#"{"code": 200, "message": "成功", "data": null, "page": null}"#).expect("null data is no rows");
    assert!(empty.rows.is_empty());
    assert_eq!(empty.total(), 0);
}
