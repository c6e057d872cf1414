//! The view state as URL parameters (DESIGN §6): `nick start end tag operator title page
//! size chat` (the text filters' names from [`TextFilter::spec`]), each with the
//! configured prefix. Decoding never fails: a bad value is
//! replaced by its default, so a mangled link still opens a working screen. Parameters
//! that are not ours (the host page's) are kept as they were, in their order.

use crate::filters::{SearchFilters, TextFilter};
use crate::time::{format_date, parse_date, DateRange};

/// Pages beyond this are certainly a typo; the server would answer with nothing.
const MAX_PAGE: u32 = 1_000_000;

/// Everything the address bar restores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewState {
    pub filters: SearchFilters,
    pub page: u32,
    pub size: u32,
    pub chat: Option<String>,
}

/// What a missing or invalid parameter becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Defaults {
    pub range: DateRange,
    pub page_sizes: Vec<u32>,
    pub page_size: u32,
}

impl Defaults {
    pub fn view(&self) -> ViewState {
        ViewState {
            filters: SearchFilters::with_range(self.range.start, self.range.end),
            page: 1,
            size: self.page_size,
            chat: None,
        }
    }
}

/// Our parameters besides the text filters' ([`TextFilter::spec`]).
const OWN_PARAMS: [&str; 5] = ["start", "end", "page", "size", "chat"];

fn is_own(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix)
        .is_some_and(|rest| OWN_PARAMS.contains(&rest) || TextFilter::ALL.iter().any(|f| f.spec().param == rest))
}

/// Whether `pairs` hold any of our parameters.
pub fn names_a_view(pairs: &[(String, String)], prefix: &str) -> bool {
    pairs.iter().any(|(name, _)| is_own(name, prefix))
}

/// Reads our parameters out of `pairs` (already percent-decoded).
pub fn decode(pairs: &[(String, String)], prefix: &str, defaults: &Defaults) -> ViewState {
    let get = |name: &str| {
        let key = format!("{prefix}{name}");
        pairs.iter().rev().find(|(k, _)| *k == key).map(|(_, v)| v.as_str())
    };
    let mut view = defaults.view();
    for filter in TextFilter::ALL {
        if let Some(value) = get(filter.spec().param) {
            *view.filters.text_mut(filter) = value.to_string();
        }
    }
    let start = get("start").and_then(parse_date);
    let end = get("end").and_then(parse_date);
    match (start, end) {
        (Some(start), Some(end)) if start <= end => (view.filters.start, view.filters.end) = (start, end),
        (Some(start), None) if start <= defaults.range.end => view.filters.start = start,
        (None, Some(end)) if defaults.range.start <= end => view.filters.end = end,
        // Reversed or unreadable dates: the default range, rather than an error page.
        _ => {}
    }
    view.page = get("page").and_then(|p| p.trim().parse::<u32>().ok()).filter(|p| (1..=MAX_PAGE).contains(p)).unwrap_or(1);
    view.size = get("size")
        .and_then(|s| s.trim().parse::<u32>().ok())
        .filter(|s| defaults.page_sizes.contains(s))
        .unwrap_or(defaults.page_size);
    view.chat = get("chat").map(str::trim).filter(|c| !c.is_empty() && c.len() <= 200).map(str::to_string);
    view
}

/// Our parameters for `view`, defaults left out except the dates (a shared link must
/// show the same range tomorrow, when "the last 30 days" means something else).
pub fn encode(view: &ViewState, prefix: &str, defaults: &Defaults) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut push = |name: &str, value: String| pairs.push((format!("{prefix}{name}"), value));
    let texts = |push: &mut dyn FnMut(&str, String), before_dates: bool| {
        for filter in TextFilter::placed(before_dates) {
            let value = view.filters.text(filter);
            if !value.trim().is_empty() {
                push(filter.spec().param, value.to_string());
            }
        }
    };
    texts(&mut push, true);
    push("start", format_date(view.filters.start));
    push("end", format_date(view.filters.end));
    texts(&mut push, false);
    if view.page != 1 {
        push("page", view.page.to_string());
    }
    if view.size != defaults.page_size {
        push("size", view.size.to_string());
    }
    if let Some(chat) = &view.chat {
        push("chat", chat.clone());
    }
    pairs
}

/// The host's parameters (everything not ours) in their order, then ours.
pub fn merge(existing: &[(String, String)], prefix: &str, ours: Vec<(String, String)>) -> Vec<(String, String)> {
    existing.iter().filter(|(k, _)| !is_own(k, prefix)).cloned().chain(ours).collect()
}

pub fn parse_query(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.trim_start_matches(['?', '#']).as_bytes()).into_owned().collect()
}

pub fn to_query(pairs: &[(String, String)]) -> String {
    crate::api::request::encode_query(pairs)
}

/// Splits a location hash into the host's own part and our query part. A hash router's
/// `#/route?x=1` keeps `#/route` and puts our parameters after its `?`.
pub fn split_hash(hash: &str) -> (&str, &str) {
    let hash = hash.trim_start_matches('#');
    match hash.find('?') {
        Some(i) => (&hash[..i], &hash[i + 1..]),
        None if hash.contains('=') => ("", hash),
        None => (hash, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Defaults {
        Defaults {
            range: DateRange { start: parse_date("2026-10-25").expect("date"), end: parse_date("2026-11-23").expect("date") },
            page_sizes: vec![10, 20, 50, 100],
            page_size: 20,
        }
    }

    fn pairs(query: &str) -> Vec<(String, String)> {
        parse_query(query)
    }

    #[test]
    fn round_trip_of_a_full_view() {
        let d = defaults();
        let mut view = d.view();
        view.filters.nick = "阿洋 & co".into();
        view.filters.tag = "getTest".into();
        view.filters.operator = "小李".into();
        view.filters.title = "a=b?c#d".into();
        view.filters.start = parse_date("2015-04-17").expect("date");
        view.page = 3;
        view.size = 50;
        view.chat = Some("u0001d6dd".into());
        let encoded = to_query(&encode(&view, "op_", &d));
        assert!(encoded.starts_with("op_nick="), "{encoded}");
        assert_eq!(decode(&pairs(&encoded), "op_", &d), view);
    }

    #[test]
    fn defaults_are_left_out_but_dates_are_kept() {
        let d = defaults();
        assert_eq!(to_query(&encode(&d.view(), "", &d)), "start=2026-10-25&end=2026-11-23");
    }

    #[test]
    fn invalid_values_fall_back_to_defaults() {
        let d = defaults();
        let view = decode(&pairs("start=2015-13-01&end=yesterday&page=-3&size=100000&chat="), "", &d);
        assert_eq!(view, d.view());
        let view = decode(&pairs("page=abc&size=7"), "", &d);
        assert_eq!((view.page, view.size), (1, 20));
        let view = decode(&pairs("page=99999999999"), "", &d);
        assert_eq!(view.page, 1);
        // Reversed dates: the default range.
        let view = decode(&pairs("start=2020-02-02&end=2020-01-01"), "", &d);
        assert_eq!((view.filters.start, view.filters.end), (d.range.start, d.range.end));
        // One good date is kept when it fits the other default.
        let view = decode(&pairs("start=2026-01-01"), "", &d);
        assert_eq!(format_date(view.filters.start), "2026-01-01");
    }

    #[test]
    fn an_address_names_a_view_by_any_own_parameter() {
        assert!(!names_a_view(&pairs("tab=chats&lang=zh"), ""));
        assert!(names_a_view(&pairs("tab=chats&size=50"), ""));
        assert!(!names_a_view(&pairs("size=50"), "op_"), "another instance's");
        assert!(names_a_view(&pairs("op_chat=u1"), "op_"));
    }

    #[test]
    fn prefixes_separate_instances() {
        let d = defaults();
        let view = decode(&pairs("a_nick=one&b_nick=two&nick=three"), "b_", &d);
        assert_eq!(view.filters.nick, "two");
    }

    #[test]
    fn host_parameters_survive_in_order() {
        let d = defaults();
        let mut view = d.view();
        view.page = 2;
        let existing = pairs("tab=chats&page=9&op_page=4&lang=zh");
        let merged = merge(&existing, "op_", encode(&view, "op_", &d));
        assert_eq!(to_query(&merged), "tab=chats&page=9&lang=zh&op_start=2026-10-25&op_end=2026-11-23&op_page=2");
    }

    #[test]
    fn hash_forms() {
        assert_eq!(split_hash("#/admin/chats?nick=a"), ("/admin/chats", "nick=a"));
        assert_eq!(split_hash("#nick=a&page=2"), ("", "nick=a&page=2"));
        assert_eq!(split_hash("#section-3"), ("section-3", ""));
        assert_eq!(split_hash(""), ("", ""));
    }
}
