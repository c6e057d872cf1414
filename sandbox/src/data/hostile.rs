//! The `hostile` scenario: strings that break naive rendering (script injection, huge,
//! right-to-left, emoji, newlines) and JSON of the wrong shape, so that tests can prove the
//! app escapes everything and decodes leniently. Payloads only ever set `window.__pwned`,
//! which a test can check.

use rand::seq::IndexedRandom;
use rand::Rng;
use serde_json::Value;

use crate::clock;

/// Mixed into text fields (nicknames, titles, addresses, messages, names).
const TEXT_PAYLOADS: &[&str] = &[
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=\"window.__pwned=1\">",
    "<svg onload=\"window.__pwned=1\">",
    "\"><script>window.__pwned=1</script>",
    "\u{202e}مرحبا بالعالم\u{202c} عربي",
    "😀👍🏽👨‍👩‍👧‍👦🇨🇳 表情",
    "第一行\n第二行\r\n\t第三行",
];

/// Put where a URL is expected (avatars, logos).
const URL_PAYLOADS: &[&str] = &[
    "javascript:window.__pwned=1",
    "data:text/html,<script>window.__pwned=1</script>",
    "\" onerror=\"window.__pwned=1",
    "http://x/\"><img src=x onerror=window.__pwned=1>",
    " JavaScript:window.__pwned=1",
];

/// Length in characters of the oversized strings.
pub const LONG_TEXT_CHARS: usize = 10_000;

/// Often appends a payload (or a 10,000-character run) to `text`. Appending rather than
/// replacing keeps the original words, so the filters still find the row.
pub fn spoil_text(rng: &mut impl Rng, text: String) -> String {
    match rng.random_range(0..10) {
        0 => format!("{text}{}", "长".repeat(LONG_TEXT_CHARS)),
        1..=3 => format!("{text}{}", TEXT_PAYLOADS.choose(rng).unwrap_or(&"")),
        _ => text,
    }
}

/// Often replaces a URL with a script URL or an attribute breakout.
pub fn spoil_url(rng: &mut impl Rng, url: Option<String>) -> Option<String> {
    if rng.random_bool(0.35) {
        URL_PAYLOADS.choose(rng).map(|payload| (*payload).to_owned())
    } else {
        url
    }
}

/// Wrong types and missing values in a search row: createTime as a display string,
/// groupId as a number, nulls, and a missing statusTip.
pub fn retype_row(row: &mut Value) {
    let Some(object) = row.as_object_mut() else { return };
    if let Some(ms) = object.get("createTime").and_then(Value::as_i64) {
        object.insert("createTime".into(), Value::from(clock::format_ms(ms)));
    }
    number_from_text(object.get_mut("groupId"));
    object.insert("address".into(), Value::Null);
    object.insert("message".into(), Value::Null);
    object.remove("statusTip");
}

/// Wrong types and missing values in a chat info: numbers as strings (serviceCount,
/// clientId, lat, lng), createTime as epoch milliseconds, null tags, no channel.
pub fn retype_info(info: &mut Value, created_ms: i64) {
    let Some(object) = info.as_object_mut() else { return };
    object.insert("createTime".into(), Value::from(created_ms));
    object.remove("channel");
    if let Some(user) = object.get_mut("user").and_then(Value::as_object_mut) {
        text_from_number(user.get_mut("serviceCount"));
        number_from_text(user.get_mut("phone"));
        user.insert("tags".into(), Value::Null);
    }
    if let Some(client) = object.get_mut("client").and_then(Value::as_object_mut) {
        text_from_number(client.get_mut("clientId"));
    }
    if let Some(location) = object.get_mut("location").and_then(Value::as_object_mut) {
        text_from_number(location.get_mut("lat"));
        text_from_number(location.get_mut("lng"));
    }
}

fn text_from_number(value: Option<&mut Value>) {
    if let Some(value) = value {
        if value.is_number() {
            *value = Value::from(value.to_string());
        }
    }
}

fn number_from_text(value: Option<&mut Value>) {
    if let Some(value) = value {
        if let Some(number) = value.as_str().and_then(|text| text.parse::<u64>().ok()) {
            *value = Value::from(number);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn retyping_swaps_types_and_drops_fields() {
        let mut row = json!({"chatId": "u1", "groupId": "135222409673310808", "createTime": 1450112055023_i64, "address": "x", "message": "", "statusTip": "聊天中"});
        retype_row(&mut row);
        assert_eq!(row["createTime"], json!("2015-12-15 00:54:15"));
        assert_eq!(row["groupId"], json!(135222409673310808_u64));
        assert!(row["address"].is_null() && row.get("statusTip").is_none());

        let mut info = json!({"user": {"serviceCount": 4, "phone": "13800000000", "tags": ["a"]}, "client": {"clientId": 6}, "location": {"lat": 40.05, "lng": 116.3}, "channel": {}});
        retype_info(&mut info, 1);
        assert_eq!(info["user"]["serviceCount"], json!("4"));
        assert_eq!(info["user"]["phone"], json!(13800000000_u64));
        assert_eq!(info["client"]["clientId"], json!("6"));
        assert_eq!(info["location"]["lat"], json!("40.05"));
        assert_eq!(info["createTime"], json!(1));
        assert!(info.get("channel").is_none() && info["user"]["tags"].is_null());
    }
}
