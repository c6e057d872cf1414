//! What the Op API returns, decoded leniently (DESIGN §2; seeds 2.16 and 2.20).
//!
//! Every field is optional or defaults to empty: the server sends `null`s, drops fields
//! and swaps numbers for strings. The envelope itself is strict about one thing only:
//! without a `code` nothing can be trusted, so that is a decode error.

use serde::Deserialize;
use serde_json::Value;

use super::error::{ApiError, Endpoint};
use super::lenient;
use crate::time::{deserialize_create_time, CreateTime};

/// `page` of a list response.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PageInfo {
    #[serde(deserialize_with = "lenient::integer")]
    pub total: Option<i64>,
    #[serde(deserialize_with = "lenient::integer")]
    pub page: Option<i64>,
    #[serde(deserialize_with = "lenient::integer")]
    pub page_size: Option<i64>,
    #[serde(deserialize_with = "lenient::integer")]
    pub count: Option<i64>,
    #[serde(deserialize_with = "lenient::boolean")]
    pub next: Option<bool>,
    #[serde(deserialize_with = "lenient::integer")]
    pub start_index: Option<i64>,
}

/// One row of `chatSearchs`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SearchRow {
    #[serde(deserialize_with = "lenient::string")]
    pub chat_id: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub group_id: Option<String>,
    #[serde(deserialize_with = "deserialize_create_time")]
    pub create_time: Option<CreateTime>,
    #[serde(deserialize_with = "lenient::string")]
    pub user_id: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub message: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub nick_name: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub user_icon: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub address: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub status: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub title: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub status_tip: Option<String>,
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

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Address {
    #[serde(deserialize_with = "lenient::string")]
    pub user_address_id: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub address: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub remark: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Contact {
    #[serde(deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub phone: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub user_contact_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct User {
    #[serde(deserialize_with = "lenient::string")]
    pub user_id: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub user_name: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub nick_name: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub phone: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub display_phone: Option<String>,
    #[serde(deserialize_with = "lenient::strings")]
    pub tags: Vec<String>,
    #[serde(deserialize_with = "lenient::objects")]
    pub address: Vec<Address>,
    #[serde(deserialize_with = "lenient::string")]
    pub icon: Option<String>,
    #[serde(deserialize_with = "lenient::objects")]
    pub contacts: Vec<Contact>,
    #[serde(deserialize_with = "lenient::integer")]
    pub service_count: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Channel {
    #[serde(deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub channel_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Location {
    #[serde(deserialize_with = "lenient::string")]
    pub address: Option<String>,
    #[serde(deserialize_with = "lenient::float")]
    pub lat: Option<f64>,
    #[serde(deserialize_with = "lenient::float")]
    pub lng: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Client {
    #[serde(deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub logo: Option<String>,
    /// Documented as an integer; kept as text because it is an id, not a quantity.
    #[serde(deserialize_with = "lenient::string")]
    pub client_id: Option<String>,
}

/// A decoded `getChatInfo` answer.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChatInfo {
    #[serde(deserialize_with = "lenient::object")]
    pub user: Option<User>,
    #[serde(deserialize_with = "lenient::string")]
    pub operator_id: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub subtitle: Option<String>,
    #[serde(deserialize_with = "lenient::object")]
    pub channel: Option<Channel>,
    #[serde(deserialize_with = "lenient::string")]
    pub ref_chat_id: Option<String>,
    #[serde(deserialize_with = "lenient::object")]
    pub location: Option<Location>,
    #[serde(deserialize_with = "lenient::string")]
    pub group_id: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub status: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub chat_id: Option<String>,
    #[serde(deserialize_with = "lenient::boolean")]
    pub is_in_group: Option<bool>,
    #[serde(deserialize_with = "lenient::string")]
    pub version_code: Option<String>,
    #[serde(deserialize_with = "deserialize_create_time")]
    pub create_time: Option<CreateTime>,
    #[serde(deserialize_with = "lenient::string")]
    pub client_type: Option<String>,
    #[serde(deserialize_with = "lenient::object")]
    pub client: Option<Client>,
    #[serde(deserialize_with = "lenient::strings")]
    pub channel_name_list: Vec<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub company_id: Option<String>,
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
