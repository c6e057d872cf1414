//! The response envelope `{code, message, data, page, foot}` shared by every Op endpoint.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::value::{to_raw_value, RawValue};

use crate::clock;
use crate::error::ApiError;

/// `code` of a successful response.
pub const SUCCESS: u16 = 200;

/// What Java servers of the Op API send; the app must cope with the charset parameter.
pub const JSON_CONTENT_TYPE: &str = "application/json;charset=UTF-8";

/// Paging information of a search response.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    /// Left out by servers that do not count: `--no-total`, and now and then the chaos
    /// scenario.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<usize>,
    pub page: u64,
    pub page_size: u64,
    pub count: usize,
    pub next: bool,
    pub start_index: u64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Foot {
    operation_time: String,
    service_phone: &'static str,
    host: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Envelope {
    code: u16,
    message: String,
    /// Serialised as soon as it is known, so that the rows keep their field order.
    data: Box<RawValue>,
    page: Option<Page>,
    foot: Foot,
}

/// Response extension carrying the envelope code, so the access log can show it.
#[derive(Clone, Copy, Debug)]
pub struct EnvelopeCode(pub u16);

impl Envelope {
    pub fn success(data: &impl Serialize, page: Option<Page>) -> Self {
        // Serialising plain data (strings, numbers, JSON values) cannot fail.
        let data = to_raw_value(data).unwrap_or_else(|_| RawValue::NULL.to_owned());
        Self::new(SUCCESS, "成功".to_owned(), data, page)
    }

    pub fn failure(code: u16, message: String) -> Self {
        Self::new(code, message, RawValue::NULL.to_owned(), None)
    }

    fn new(code: u16, message: String, data: Box<RawValue>, page: Option<Page>) -> Self {
        let foot = Foot { operation_time: clock::now_text(), service_phone: "400800400", host: "op-sandbox" };
        Envelope { code, message, data, page, foot }
    }

    pub fn code(&self) -> u16 {
        self.code
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

impl From<&ApiError> for Envelope {
    fn from(error: &ApiError) -> Self {
        Envelope::failure(error.code(), error.to_string())
    }
}

impl IntoResponse for Envelope {
    fn into_response(self) -> Response {
        let code = self.code;
        json_response(StatusCode::OK, code, self.to_bytes())
    }
}

/// A JSON response tagged with its envelope code.
pub fn json_response(status: StatusCode, code: u16, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_CONTENT_TYPE));
    response.extensions_mut().insert(EnvelopeCode(code));
    response
}
