//! What the console sends: request bodies and the query string (DESIGN §2).
//! Pure functions, so the exact bytes that get signed are unit-tested natively.

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::error::Endpoint;
use crate::filters::{SearchFilters, TextFilter};
use crate::time::format_date;

/// One page of a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    pub filters: SearchFilters,
    /// 1-based.
    pub page: u32,
    pub size: u32,
}

fn non_blank(text: &str) -> Option<&str> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then_some(trimmed)
}

/// The `chatSearchs` body of a query: the main text filter, the dates, the other text
/// filters (blank ones left out, the rest trimmed), then the page, in this order.
struct SearchBody<'a>(&'a SearchQuery);

impl Serialize for SearchBody<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let SearchQuery { filters, page, size } = self.0;
        let mut body = serializer.serialize_map(None)?;
        let texts = |body: &mut S::SerializeMap, before_dates: bool| {
            TextFilter::placed(before_dates).try_for_each(|filter| match non_blank(filters.text(filter)) {
                Some(value) => body.serialize_entry(filter.spec().request_key, value),
                None => Ok(()),
            })
        };
        texts(&mut body, true)?;
        body.serialize_entry("startTime", &format_date(filters.start))?;
        body.serialize_entry("endTime", &format_date(filters.end))?;
        texts(&mut body, false)?;
        body.serialize_entry("pageNum", page)?;
        body.serialize_entry("pageSize", size)?;
        body.end()
    }
}

impl SearchQuery {
    /// The exact JSON text sent (and signed) for this page.
    pub fn body(&self) -> String {
        // Serialising plain strings and numbers cannot fail.
        serde_json::to_string(&SearchBody(self)).unwrap_or_default()
    }
}

/// The body of `getChatInfo`.
pub fn chat_info_body(chat_id: &str) -> String {
    serde_json::json!({ "chatId": chat_id, "isMsg": false }).to_string()
}

/// The query parameters every call carries, before `sign`, in DESIGN §2's order,
/// empty values omitted.
pub fn base_query(api_version: &str, client: &str, version: Option<&str>, token: Option<&str>) -> Vec<(String, String)> {
    [("apiVersion", Some(api_version)), ("client", Some(client)), ("version", version), ("token", token)]
        .into_iter()
        .filter_map(|(name, value)| {
            value.filter(|v| !v.is_empty()).map(|v| (name.to_string(), v.to_string()))
        })
        .collect()
}

pub fn encode_query(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
}

/// `{apiBase}/{endpoint}` with exactly one slash between them.
pub fn endpoint_url(api_base: &str, endpoint: Endpoint) -> String {
    format!("{}/{}", api_base.trim_end_matches('/'), endpoint.name())
}

/// The path part of an endpoint URL (`{path}` in sign templates): scheme and host of an
/// absolute `apiBase` are dropped.
pub fn endpoint_path(api_base: &str, endpoint: Endpoint) -> String {
    let url = endpoint_url(api_base, endpoint);
    match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map(|i| rest[i..].to_string()).unwrap_or_else(|| "/".into()),
        None => url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_date;

    fn query() -> SearchQuery {
        let start = parse_date("2015-04-17").expect("date");
        let end = parse_date("2015-12-26").expect("date");
        SearchQuery { filters: SearchFilters { nick: "阿洋".into(), ..SearchFilters::with_range(start, end) }, page: 1, size: 20 }
    }

    #[test]
    fn the_same_search_ignores_surrounding_blanks_only() {
        let submitted = query().filters;
        let typed = |edit: fn(&mut SearchFilters)| {
            let mut typed = submitted.clone();
            edit(&mut typed);
            typed
        };
        assert!(submitted.same_search(&typed(|f| f.nick = " 阿洋 ".into())), "sent trimmed: the same request");
        assert!(submitted.same_search(&typed(|f| f.tag = "  ".into())), "a blank filter is no filter");
        assert!(!submitted.same_search(&typed(|f| f.nick = "Kevin".into())));
        assert!(!submitted.same_search(&typed(|f| f.title = "退款".into())));
        assert!(!submitted.same_search(&typed(|f| f.end = parse_date("2015-12-27").expect("date"))));
    }

    #[test]
    fn search_body_matches_the_seed_request() {
        // The seed's example request, byte for byte.
        assert_eq!(
            query().body(),
            r#"{"userNick":"阿洋","startTime":"2015-04-17","endTime":"2015-12-26","pageNum":1,"pageSize":20}"#
        );
    }

    #[test]
    fn blank_filters_are_omitted_and_others_trimmed() {
        let mut q = query();
        q.filters.nick = "   ".into();
        q.filters.tag = " vip ".into();
        q.filters.operator = "小李".into();
        q.filters.title = "\"quoted\"".into();
        assert_eq!(
            q.body(),
            r#"{"startTime":"2015-04-17","endTime":"2015-12-26","tag":"vip","operatorNick":"小李","title":"\"quoted\"","pageNum":1,"pageSize":20}"#
        );
        assert_eq!(q.filters.active_text_filters(), vec![(TextFilter::Tag, "vip"), (TextFilter::Operator, "小李"), (TextFilter::Title, "\"quoted\"")]);
    }

    #[test]
    fn chat_info_body_is_exact() {
        assert_eq!(chat_info_body("u0001d6dd"), r#"{"chatId":"u0001d6dd","isMsg":false}"#);
        assert_eq!(chat_info_body("a\"b"), r#"{"chatId":"a\"b","isMsg":false}"#);
    }

    #[test]
    fn query_order_and_omissions() {
        let q = base_query("01", "70374ddd", Some("2.0"), Some("o0001"));
        assert_eq!(encode_query(&q), "apiVersion=01&client=70374ddd&version=2.0&token=o0001");
        let q = base_query("01", "", None, Some(""));
        assert_eq!(encode_query(&q), "apiVersion=01");
        let q = base_query("01", "a b&c", None, None);
        assert_eq!(encode_query(&q), "apiVersion=01&client=a+b%26c");
    }

    #[test]
    fn urls_and_paths() {
        assert_eq!(endpoint_url("/op/v2", Endpoint::ChatSearchs), "/op/v2/chatSearchs");
        assert_eq!(endpoint_url("/op/v2/", Endpoint::GetChatInfo), "/op/v2/getChatInfo");
        assert_eq!(endpoint_path("http://120.55.94.183:8080/op/v2", Endpoint::ChatSearchs), "/op/v2/chatSearchs");
        assert_eq!(endpoint_path("/op/v2", Endpoint::GetChatInfo), "/op/v2/getChatInfo");
    }
}
