//! The chatSearchs request: validation of the body, filtering and paging.

use chrono::{Days, NaiveDate};
use serde_json::{Map, Value};

use crate::clock;
use crate::data::Chat;
use crate::envelope::Page;
use crate::error::ApiError;

/// Larger page sizes are served as this many rows.
pub const MAX_PAGE_SIZE: u64 = 500;

/// A validated search. Text filters are trimmed and lower-cased; blank ones are `None`.
#[derive(Debug, PartialEq)]
pub struct SearchQuery {
    pub user_nick: Option<String>,
    pub tag: Option<String>,
    pub operator_nick: Option<String>,
    pub title: Option<String>,
    pub start: NaiveDate,
    /// Inclusive.
    pub end: NaiveDate,
    pub page_num: u64,
    /// Already capped at [`MAX_PAGE_SIZE`].
    pub page_size: u64,
}

impl SearchQuery {
    pub fn from_json(body: &Value) -> Result<Self, ApiError> {
        let object = body.as_object().ok_or(ApiError::NotObject)?;
        let start = required_date(object, "startTime")?;
        let end = required_date(object, "endTime")?;
        if start > end {
            return Err(ApiError::StartAfterEnd);
        }
        Ok(SearchQuery {
            user_nick: optional_text(object, "userNick")?,
            tag: optional_text(object, "tag")?,
            operator_nick: optional_text(object, "operatorNick")?,
            title: optional_text(object, "title")?,
            start,
            end,
            page_num: required_positive(object, "pageNum")?,
            page_size: required_positive(object, "pageSize")?.min(MAX_PAGE_SIZE),
        })
    }

    fn matches(&self, chat: &Chat) -> bool {
        self.user_nick.as_deref().is_none_or(|nick| chat.nick_contains(nick))
            && self.tag.as_deref().is_none_or(|tag| chat.any_tag_contains(tag))
            && self.operator_nick.as_deref().is_none_or(|operator| chat.operator_contains(operator))
            && self.title.as_deref().is_none_or(|title| chat.title_contains(title))
    }
}

/// The requested page of `chats` (sorted newest first) and its paging information.
pub fn search<'a>(chats: &'a [Chat], query: &SearchQuery) -> (Vec<&'a Chat>, Page) {
    // The dates are days in UTC+8; the end day is included up to its last millisecond.
    let from_ms = clock::day_start_ms(query.start);
    let until_ms = query.end.checked_add_days(Days::new(1)).map_or(i64::MAX, clock::day_start_ms);
    // Sorted newest first, so the date range is one contiguous slice.
    let first = chats.partition_point(|chat| chat.created_ms >= until_ms);
    let last = chats.partition_point(|chat| chat.created_ms >= from_ms);
    let in_range = chats.get(first..last).unwrap_or_default();

    let start_index = (query.page_num - 1).saturating_mul(query.page_size);
    let mut total = 0_usize;
    let mut rows = Vec::new();
    for chat in in_range.iter().filter(|chat| query.matches(chat)) {
        if total as u64 >= start_index && (rows.len() as u64) < query.page_size {
            rows.push(chat);
        }
        total += 1;
    }
    let page = Page {
        total: Some(total),
        page: query.page_num,
        page_size: query.page_size,
        count: rows.len(),
        next: start_index.saturating_add(rows.len() as u64) < total as u64,
        start_index,
    };
    (rows, page)
}

fn optional_text(object: &Map<String, Value>, field: &'static str) -> Result<Option<String>, ApiError> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => {
            let text = text.trim();
            Ok((!text.is_empty()).then(|| text.to_lowercase()))
        }
        Some(_) => Err(ApiError::NotText(field)),
    }
}

fn required_date(object: &Map<String, Value>, field: &'static str) -> Result<NaiveDate, ApiError> {
    match object.get(field) {
        None | Some(Value::Null) => Err(ApiError::Missing(field)),
        Some(Value::String(text)) if text.is_empty() => Err(ApiError::Missing(field)),
        // chrono accepts "2015-4-7"; the API wants the zero-padded form only.
        Some(Value::String(text)) if text.len() == 10 => {
            NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| ApiError::BadDate(field))
        }
        Some(_) => Err(ApiError::BadDate(field)),
    }
}

fn required_positive(object: &Map<String, Value>, field: &'static str) -> Result<u64, ApiError> {
    match object.get(field) {
        None | Some(Value::Null) => Err(ApiError::Missing(field)),
        Some(Value::Number(number)) => match (number.as_u64(), number.as_i64()) {
            (Some(0), _) | (None, Some(_)) => Err(ApiError::BelowOne(field)),
            (Some(value), _) => Ok(value),
            (None, None) => Err(ApiError::NotInteger(field)),
        },
        Some(_) => Err(ApiError::NotInteger(field)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Dataset;
    use crate::options::Scenario;
    use serde_json::json;

    fn dataset() -> Dataset {
        let today = NaiveDate::from_ymd_opt(2026, 5, 20).expect("valid date");
        Dataset::build(2000, 3, Scenario::Normal, today).expect("dataset builds")
    }

    fn query(body: Value) -> SearchQuery {
        SearchQuery::from_json(&body).expect("valid query")
    }

    fn ids(rows: &[&Chat]) -> Vec<String> {
        rows.iter().map(|chat| chat.id().to_owned()).collect()
    }

    #[test]
    fn the_seed_query_returns_exactly_the_seed_rows() {
        let dataset = dataset();
        let seed: Value = serde_json::from_str(crate::data::seed::FIXTURE).expect("fixture");
        let body = json!({"userNick":"阿洋","startTime":"2015-04-17","endTime":"2015-12-26","pageNum":1,"pageSize":20});
        let (rows, page) = search(dataset.chats(), &query(body));
        let rows: Vec<Value> = rows.iter().map(|chat| chat.row_json()).collect();
        assert_eq!(Value::Array(rows), seed["chatSearchs"]["data"]);
        assert_eq!(serde_json::to_value(page).expect("page"), seed["chatSearchs"]["page"]);
    }

    #[test]
    fn text_filters_are_case_insensitive_substrings() {
        let dataset = dataset();
        let all = |extra: Value| {
            let mut body = json!({"startTime": "2015-01-01", "endTime": "2026-05-20", "pageNum": 1, "pageSize": 500});
            if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
                body.extend(extra.clone());
            }
            let (rows, page) = search(dataset.chats(), &query(body));
            (ids(&rows), page.total)
        };
        // "GETTEST" finds the tag "getTest", the seed users' tag.
        let (tagged, _) = all(json!({"tag": "GETTEST", "userNick": "阿"}));
        assert!(tagged.contains(&"u0001d6ddfcbef27e45aeaee5bf7db6ac83b5".to_owned()));
        for id in &tagged {
            let chat = dataset.get(id).expect("row");
            assert!(chat.info.user.tags.iter().any(|tag| tag.to_lowercase().contains("gettest")));
        }
        let (seed_operator, total) = all(json!({"operatorNick": "小李"}));
        assert_eq!(total, Some(12), "only the seed chats have the operator 小李: {seed_operator:?}");
        let (titled, _) = all(json!({"title": "get一下"}));
        assert!(titled.contains(&"u0001124416320258179640".to_owned()));
        assert!(titled.iter().all(|id| dataset.get(id).is_some_and(|chat| chat.info.subtitle.contains("Get一下"))));
        let (nothing, total) = all(json!({"userNick": "no such nickname"}));
        assert!(nothing.is_empty() && total == Some(0));
        // Blank filters are no filters.
        let (_, unfiltered) = all(json!({}));
        let (_, blank) = all(json!({"userNick": "  ", "tag": "", "title": null}));
        assert_eq!(unfiltered, blank);
    }

    #[test]
    fn dates_are_utc_plus_8_days_and_the_end_is_inclusive() {
        let dataset = dataset();
        // The first seed chat was created at 2015-12-15 00:54:15 in UTC+8, which is still
        // 2015-12-14 in UTC: a UTC-based filter would put it on the wrong day.
        let day = |start: &str, end: &str| {
            let body = json!({"userNick": "阿洋", "startTime": start, "endTime": end, "pageNum": 1, "pageSize": 50});
            ids(&search(dataset.chats(), &query(body)).0)
        };
        let first = "u0001d6ddfcbef27e45aeaee5bf7db6ac83b5".to_owned();
        assert_eq!(day("2015-12-15", "2015-12-15"), vec![first.clone()]);
        assert!(!day("2015-12-14", "2015-12-14").contains(&first));
        assert!(day("2015-12-01", "2015-12-15").contains(&first));
        // The earliest seed row: 2015-10-19 18:19:40 UTC+8; the next one is on 2015-10-23.
        let earliest = vec!["u0001118906945808630308".to_owned()];
        assert_eq!(day("2015-01-01", "2015-10-19"), earliest);
        assert_eq!(day("2015-10-19", "2015-10-22"), earliest);
        assert!(day("2015-10-20", "2015-10-22").is_empty());
        assert_eq!(day("2015-10-19", "2015-10-23").len(), 3);
    }

    #[test]
    fn paging_counts_and_caps() {
        let dataset = dataset();
        let page_of = |page_num: u64, page_size: u64| {
            let body = json!({"startTime": "2015-01-01", "endTime": "2026-12-31", "pageNum": page_num, "pageSize": page_size});
            search(dataset.chats(), &query(body))
        };
        let total = dataset.chats().len();
        let (rows, page) = page_of(2, 20);
        assert_eq!((page.total, page.page, page.page_size, page.count, page.next, page.start_index), (Some(total), 2, 20, 20, true, 20));
        assert_eq!(ids(&rows), ids(&dataset.chats()[20..40].iter().collect::<Vec<_>>()));
        let (rows, page) = page_of(1, 10_000);
        assert_eq!((rows.len(), page.page_size, page.next), (500, 500, true));
        let last = total.div_ceil(500) as u64;
        let (rows, page) = page_of(last, 500);
        assert_eq!((rows.len(), page.next), (total - (last as usize - 1) * 500, false));
        let (rows, page) = page_of(last + 1, 500);
        assert!(rows.is_empty());
        assert_eq!((page.total, page.count, page.next), (Some(total), 0, false));
        let (rows, page) = page_of(u64::MAX, 500);
        assert!(rows.is_empty() && page.total == Some(total));
    }

    #[test]
    fn bad_bodies_name_the_field() {
        let base = json!({"startTime": "2015-01-01", "endTime": "2015-12-31", "pageNum": 1, "pageSize": 20});
        let with = |field: &str, value: Value| {
            let mut body = base.clone();
            if let Some(object) = body.as_object_mut() {
                if value.is_null() {
                    object.remove(field);
                } else {
                    object.insert(field.to_owned(), value);
                }
            }
            SearchQuery::from_json(&body).err()
        };
        assert_eq!(with("startTime", Value::Null), Some(ApiError::Missing("startTime")));
        assert_eq!(with("startTime", json!("2015/01/01")), Some(ApiError::BadDate("startTime")));
        assert_eq!(with("endTime", json!("2015-1-1")), Some(ApiError::BadDate("endTime")));
        assert_eq!(with("endTime", json!("2015-02-30")), Some(ApiError::BadDate("endTime")));
        assert_eq!(with("endTime", json!(20151231)), Some(ApiError::BadDate("endTime")));
        assert_eq!(with("endTime", json!("2014-12-31")), Some(ApiError::StartAfterEnd));
        assert_eq!(with("pageNum", json!(0)), Some(ApiError::BelowOne("pageNum")));
        assert_eq!(with("pageSize", json!(-5)), Some(ApiError::BelowOne("pageSize")));
        assert_eq!(with("pageSize", json!(2.5)), Some(ApiError::NotInteger("pageSize")));
        assert_eq!(with("pageNum", json!("1")), Some(ApiError::NotInteger("pageNum")));
        assert_eq!(with("pageNum", Value::Null), Some(ApiError::Missing("pageNum")));
        assert_eq!(with("userNick", json!(5)), Some(ApiError::NotText("userNick")));
        assert_eq!(SearchQuery::from_json(&json!([1])).err(), Some(ApiError::NotObject));
        assert_eq!(ApiError::BadDate("startTime").to_string(), "startTime 格式错误，应为 YYYY-MM-DD");
        assert!(with("pageSize", json!(100_000)).is_none());
    }
}
