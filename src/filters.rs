//! The operator's search filters, and the one description of each text filter
//! ([`TextFilter::spec`]) from which the request body, the URL codec, the form, the host
//! events and the embedding API's `search()` all loop. Adding a text filter: a variant
//! here, a field in [`SearchFilters`], and the match arms the compiler then asks for
//! (plus the sandbox, which must answer to the new request key).

use chrono::NaiveDate;

use crate::i18n::{filter_summary, Locale, Msg};
use crate::time::format_date;

/// Declares [`TextFilter`] and its `ALL` from one list, so that no variant can be left
/// out of `ALL` (every loop over the filters goes through it).
macro_rules! text_filters {
    ($($variant:ident),+ $(,)?) => {
        /// The free-text filters, in form order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum TextFilter {
            $($variant),+
        }

        impl TextFilter {
            pub const ALL: [TextFilter; [$(stringify!($variant)),+].len()] = [$(Self::$variant),+];
        }
    };
}

text_filters!(Nick, Tag, Operator, Title);

/// Everything the console knows about one text filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextFilterSpec {
    /// The URL parameter (after the instance's prefix, DESIGN §6), also the filter's key
    /// in an export's file name.
    pub param: &'static str,
    /// The key in the `chatSearchs` request body (DESIGN §2).
    pub request_key: &'static str,
    /// The key in `op-search`'s `filters` and in the embedding handle's `search(filters)`
    /// (DESIGN §5).
    pub host_key: &'static str,
    /// The form field's label (also its accessible name) and the filter's name in summaries.
    pub label: Msg,
    /// The main filter: first in the form, always shown, focused by `/`, with a
    /// placeholder; it comes before the dates in the request body, the URL and the
    /// host's `filters` (the others come after them: the signed bytes and every existing
    /// link depend on that order).
    pub leads: bool,
}

impl TextFilter {
    pub const fn spec(self) -> TextFilterSpec {
        match self {
            Self::Nick => TextFilterSpec { param: "nick", request_key: "userNick", host_key: "nick", label: Msg::Nickname, leads: true },
            Self::Tag => TextFilterSpec { param: "tag", request_key: "tag", host_key: "tag", label: Msg::Tag, leads: false },
            Self::Operator => {
                TextFilterSpec { param: "operator", request_key: "operatorNick", host_key: "operator", label: Msg::Operator, leads: false }
            }
            Self::Title => TextFilterSpec { param: "title", request_key: "title", host_key: "title", label: Msg::Title, leads: false },
        }
    }

    /// The filters that come before the dates (`true`) or after them, in form order.
    pub fn placed(before_dates: bool) -> impl Iterator<Item = TextFilter> {
        Self::ALL.into_iter().filter(move |f| f.spec().leads == before_dates)
    }
}

/// The operator's search filters. Text filters are kept as typed; blank ones are left
/// out of the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchFilters {
    pub nick: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub tag: String,
    pub operator: String,
    pub title: String,
}

impl SearchFilters {
    /// Filters with only the date range set.
    pub fn with_range(start: NaiveDate, end: NaiveDate) -> Self {
        Self { nick: String::new(), start, end, tag: String::new(), operator: String::new(), title: String::new() }
    }

    pub fn text(&self, filter: TextFilter) -> &str {
        match filter {
            TextFilter::Nick => &self.nick,
            TextFilter::Tag => &self.tag,
            TextFilter::Operator => &self.operator,
            TextFilter::Title => &self.title,
        }
    }

    pub fn text_mut(&mut self, filter: TextFilter) -> &mut String {
        match filter {
            TextFilter::Nick => &mut self.nick,
            TextFilter::Tag => &mut self.tag,
            TextFilter::Operator => &mut self.operator,
            TextFilter::Title => &mut self.title,
        }
    }

    /// The text filters that narrow the search, as (field, value) pairs, for messages
    /// such as the empty state's "no results for …".
    pub fn active_text_filters(&self) -> Vec<(TextFilter, &str)> {
        TextFilter::ALL
            .into_iter()
            .filter_map(|f| {
                let value = self.text(f).trim();
                (!value.is_empty()).then_some((f, value))
            })
            .collect()
    }

    /// Whether `other` asks the server for the same rows: the same dates and the same
    /// text filters once trimmed (the request sends them trimmed).
    pub fn same_search(&self, other: &SearchFilters) -> bool {
        (self.start, self.end) == (other.start, other.end) && self.active_text_filters() == other.active_text_filters()
    }

    /// The filters in words ("Nickname: Kevin", …, "Date range: 2025-12-01 – 2026-11-30"),
    /// for the empty state and the export panel.
    pub fn summary(&self, locale: Locale) -> Vec<String> {
        let mut parts: Vec<String> = self
            .active_text_filters()
            .into_iter()
            .map(|(filter, value)| filter_summary(locale, filter.spec().label, value))
            .collect();
        parts.push(filter_summary(locale, Msg::DateRange, &format!("{} – {}", format_date(self.start), format_date(self.end))));
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_names_one_filter() {
        let keys: [fn(TextFilter) -> &'static str; 3] = [|f| f.spec().param, |f| f.spec().request_key, |f| f.spec().host_key];
        for key in keys {
            let mut keys: Vec<&str> = TextFilter::ALL.into_iter().map(key).collect();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), TextFilter::ALL.len(), "{keys:?}");
        }
        let labels: std::collections::HashSet<Msg> = TextFilter::ALL.into_iter().map(|f| f.spec().label).collect();
        assert_eq!(labels.len(), TextFilter::ALL.len());
        assert_eq!(TextFilter::placed(true).collect::<Vec<_>>(), vec![TextFilter::Nick], "one main filter");
    }

    #[test]
    fn text_and_text_mut_agree() {
        let mut filters = SearchFilters::with_range(NaiveDate::MIN, NaiveDate::MIN);
        for (i, filter) in TextFilter::ALL.into_iter().enumerate() {
            *filters.text_mut(filter) = i.to_string();
        }
        let texts: Vec<&str> = TextFilter::ALL.into_iter().map(|f| filters.text(f)).collect();
        assert_eq!(texts, ["0", "1", "2", "3"]);
    }
}
