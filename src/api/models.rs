//! What the Op API returns, decoded leniently (DESIGN §2; seeds 2.16 and 2.20).
//!
//! Every field is optional or defaults to empty: the server sends `null`s, drops fields
//! and swaps numbers for strings. The envelope itself is strict about one thing only:
//! without a `code` nothing can be trusted, so that is a decode error.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone};
use serde_json::Value;

use super::error::{ApiError, Endpoint};
use super::lenient::{self, wire_struct, Lenient};
use crate::time::{format_time, TIME_FORMAT};

/// `createTime` as it came over the wire: epoch milliseconds in search rows, a
/// `"YYYY-MM-DD HH:MM:SS"` wall-clock string in the server's zone in chat info. Both name
/// one instant, printed in the configured zone, so the same conversation shows the same
/// text in the table and in the drawer.
#[derive(Debug, Clone, PartialEq)]
pub enum CreateTime {
    /// Epoch milliseconds (search rows).
    EpochMs(i64),
    /// Wall-clock time in the server's zone (chat info).
    ServerLocal(NaiveDateTime),
    /// Something else: kept so the operator still sees what the server said.
    Unparsed(String),
}

impl CreateTime {
    /// The instant this names, reading wall-clock strings in `zone`.
    pub fn instant(&self, zone: FixedOffset) -> Option<DateTime<FixedOffset>> {
        match self {
            Self::EpochMs(ms) => zone.timestamp_millis_opt(*ms).single(),
            Self::ServerLocal(local) => zone.from_local_datetime(local).single(),
            Self::Unparsed(_) => None,
        }
    }

    /// `YYYY-MM-DD HH:mm:ss` in `zone`; text the console could not read is shown as is.
    pub fn display(&self, zone: FixedOffset) -> String {
        match (self.instant(zone), self) {
            (Some(instant), _) => format_time(instant.naive_local()),
            (None, Self::Unparsed(raw)) => raw.clone(),
            (None, _) => String::new(),
        }
    }
}

/// A lenient `createTime`: a number or numeric string is epoch milliseconds, a
/// wall-clock string is the server's local time, other text is kept as sent; `null`,
/// blank and other shapes are absent.
impl Lenient for Option<CreateTime> {
    fn from_value(value: Value) -> Self {
        match value {
            Value::Number(_) => lenient::value_to_integer(&value).map(CreateTime::EpochMs),
            Value::String(s) => {
                let trimmed = s.trim();
                if trimmed.is_empty() {
                    None
                } else if let Ok(ms) = trimmed.parse::<i64>() {
                    Some(CreateTime::EpochMs(ms))
                } else if let Ok(local) = NaiveDateTime::parse_from_str(trimmed, TIME_FORMAT) {
                    Some(CreateTime::ServerLocal(local))
                } else {
                    Some(CreateTime::Unparsed(s))
                }
            }
            _ => None,
        }
    }
}

wire_struct! {
    /// `page` of a list response.
    pub struct PageInfo {
        pub total: Option<i64>,
        pub page: Option<i64>,
        pub page_size: Option<i64>,
        pub count: Option<i64>,
        pub next: Option<bool>,
        pub start_index: Option<i64>,
    }
}

wire_struct! {
    /// One row of `chatSearchs`.
    pub struct SearchRow {
        pub chat_id: Option<String>,
        pub group_id: Option<String>,
        pub create_time: Option<CreateTime>,
        pub user_id: Option<String>,
        pub message: Option<String>,
        pub nick_name: Option<String>,
        pub user_icon: Option<String>,
        pub address: Option<String>,
        pub status: Option<String>,
        pub title: Option<String>,
        pub status_tip: Option<String>,
    }
}

/// A decoded `chatSearchs` answer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchPage {
    pub rows: Vec<SearchRow>,
    pub page: Option<PageInfo>,
}

impl SearchPage {
    /// The total the server reported, or what it sent when it did not say.
    pub fn total(&self) -> u64 {
        self.reported_total().unwrap_or(self.rows.len() as u64)
    }

    /// The total the server reported, if it did (a negative one counts as not).
    pub fn reported_total(&self) -> Option<u64> {
        self.page.as_ref().and_then(|p| p.total).and_then(|t| u64::try_from(t).ok())
    }
}

wire_struct! {
    pub struct Address {
        pub user_address_id: Option<String>,
        pub address: Option<String>,
        pub remark: Option<String>,
    }
}

wire_struct! {
    pub struct Contact {
        pub name: Option<String>,
        pub phone: Option<String>,
        pub user_contact_id: Option<String>,
    }
}

wire_struct! {
    pub struct User {
        pub user_id: Option<String>,
        pub user_name: Option<String>,
        pub nick_name: Option<String>,
        pub phone: Option<String>,
        pub display_phone: Option<String>,
        pub tags: Vec<String>,
        pub address: Vec<Address>,
        pub icon: Option<String>,
        pub contacts: Vec<Contact>,
        pub service_count: Option<i64>,
    }
}

wire_struct! {
    pub struct Channel {
        pub name: Option<String>,
        pub channel_id: Option<String>,
    }
}

wire_struct! {
    pub struct Location {
        pub address: Option<String>,
        pub lat: Option<f64>,
        pub lng: Option<f64>,
    }
}

wire_struct! {
    pub struct Client {
        pub name: Option<String>,
        pub logo: Option<String>,
        /// Documented as an integer; kept as text because it is an id, not a quantity.
        pub client_id: Option<String>,
    }
}

wire_struct! {
    /// A decoded `getChatInfo` answer.
    pub struct ChatInfo {
        pub user: Option<User>,
        pub operator_id: Option<String>,
        pub subtitle: Option<String>,
        pub channel: Option<Channel>,
        pub ref_chat_id: Option<String>,
        pub location: Option<Location>,
        pub group_id: Option<String>,
        pub status: Option<String>,
        pub chat_id: Option<String>,
        pub is_in_group: Option<bool>,
        pub version_code: Option<String>,
        pub create_time: Option<CreateTime>,
        pub client_type: Option<String>,
        pub client: Option<Client>,
        pub channel_name_list: Vec<String>,
        pub company_id: Option<String>,
    }
}

/// The envelope every endpoint answers with, before `data` is interpreted. Its `foot`
/// (operation time, service phone, host) is informational and not read.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub code: i64,
    pub message: String,
    pub data: Value,
    pub page: Option<PageInfo>,
}

impl Envelope {
    /// Decodes the raw body of `endpoint`. Only a body that is not JSON, is not an
    /// object, or has no usable `code` is an error; the rest is lenient.
    pub fn decode(endpoint: Endpoint, body: &str) -> Result<Self, ApiError> {
        let decode_error = |detail: String| ApiError::Decode { endpoint, detail };
        let value: Value = serde_json::from_str(body).map_err(|e| decode_error(format!("not JSON ({e})")))?;
        let Value::Object(mut fields) = value else {
            return Err(decode_error("the body is not a JSON object".into()));
        };
        let code = fields
            .get("code")
            .and_then(lenient::value_to_integer)
            .ok_or_else(|| decode_error("field `code` is missing or not a number".into()))?;
        let message = fields.remove("message").and_then(lenient::value_to_string).unwrap_or_default();
        Ok(Self {
            code,
            message,
            data: fields.remove("data").unwrap_or(Value::Null),
            page: object_field(fields.remove("page")),
        })
    }

    /// `data` as search rows: `null` is no rows; anything but a list is an error.
    pub fn into_search_page(self) -> Result<SearchPage, ApiError> {
        let rows = match self.data {
            Value::Null => Vec::new(),
            Value::Array(items) => items
                .into_iter()
                .filter(Value::is_object)
                .filter_map(|item| serde_json::from_value::<SearchRow>(item).ok())
                .collect(),
            _ => {
                return Err(ApiError::Decode {
                    endpoint: Endpoint::ChatSearchs,
                    detail: "field `data` is not a list of conversations".into(),
                })
            }
        };
        Ok(SearchPage { rows, page: self.page })
    }

    /// `data` as chat info: it must be an object.
    pub fn into_chat_info(self) -> Result<ChatInfo, ApiError> {
        match self.data {
            v @ Value::Object(_) => serde_json::from_value(v).map_err(|e| ApiError::Decode {
                endpoint: Endpoint::GetChatInfo,
                detail: format!("field `data`: {e}"),
            }),
            _ => Err(ApiError::Decode {
                endpoint: Endpoint::GetChatInfo,
                detail: "field `data` is missing or not an object".into(),
            }),
        }
    }
}

/// An optional nested object of the envelope; any other shape is absent.
fn object_field<T: serde::de::DeserializeOwned>(value: Option<Value>) -> Option<T> {
    value.filter(Value::is_object).and_then(|v| serde_json::from_value(v).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(text: &str) -> FixedOffset {
        let hours_minutes = match text {
            "+08:00" => 8 * 3600,
            "-05:30" => -(5 * 3600 + 1800),
            _ => 0,
        };
        FixedOffset::east_opt(hours_minutes).expect("valid offset")
    }

    fn create_time(value: Value) -> Option<CreateTime> {
        Option::<CreateTime>::from_value(value)
    }

    #[test]
    fn seed_row_and_chat_info_times_render_identically() {
        let row = create_time(serde_json::json!(1450112055023_i64)).expect("number");
        let info = create_time(serde_json::json!("2015-12-15 00:54:15")).expect("string");
        assert_eq!(row.display(zone("+08:00")), "2015-12-15 00:54:15");
        assert_eq!(info.display(zone("+08:00")), row.display(zone("+08:00")));
    }

    #[test]
    fn other_zones_shift_both_forms_consistently() {
        let row = CreateTime::EpochMs(1450112055023);
        assert_eq!(row.display(zone("Z")), "2015-12-14 16:54:15");
        assert_eq!(row.display(zone("-05:30")), "2015-12-14 11:24:15");
    }

    #[test]
    fn odd_create_times() {
        assert_eq!(create_time(serde_json::json!("1450112055023")), Some(CreateTime::EpochMs(1450112055023)));
        assert_eq!(create_time(serde_json::json!(null)), None);
        assert_eq!(create_time(serde_json::json!("")), None);
        assert_eq!(create_time(serde_json::json!({"a": 1})), None);
        let odd = create_time(serde_json::json!("yesterday")).expect("kept");
        assert_eq!(odd.display(zone("+08:00")), "yesterday");
        let huge = CreateTime::EpochMs(i64::MAX);
        assert_eq!(huge.display(zone("+08:00")), "");
    }
}
