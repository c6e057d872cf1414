//! The file's name says what it holds: the filters, the date range, and for a partial
//! file how much of it is there. Filter values are the operator's (or a link's) text, so
//! they are cleaned to what every OS accepts in a file name.

use crate::filters::SearchFilters;
use crate::time::format_date;

/// At most this many characters of one filter's value.
const VALUE_CHARS: usize = 24;
/// At most this many bytes of filters in the name: with the prefix, the dates and a
/// partial count the name stays well below the 255 bytes file systems allow.
const FILTERS_BYTES: usize = 120;

/// Characters Windows refuses in a file name (`/` also elsewhere).
const FORBIDDEN: [char; 9] = ['/', '\\', ':', '*', '?', '"', '<', '>', '|'];

/// A file that holds fewer rows than the search matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partial {
    pub written: u64,
    /// The total the server reported, if it did.
    pub total: Option<u64>,
}

/// `conversations_nick-Kevin_2025-12-01_2026-11-30.csv`; a partial file ends in
/// `_partial-500-of-778.csv` (`_partial-500.csv` when the total is unknown). The name
/// always starts with `conversations_`, so it is never a reserved Windows device name
/// (`CON`, `NUL`, `COM1`…) nor hidden, and it ends in `.csv`, never in a dot or a space.
pub fn file_name(filters: &SearchFilters, partial: Option<Partial>) -> String {
    let mut texts = String::new();
    for (filter, value) in filters.active_text_filters() {
        let value = clean(value);
        if !value.is_empty() {
            texts.push('_');
            texts.push_str(filter.spec().param);
            texts.push('-');
            texts.push_str(&value);
        }
    }
    truncate_bytes(&mut texts, FILTERS_BYTES);
    let partial = match partial {
        Some(Partial { written, total: Some(total) }) => format!("_partial-{written}-of-{total}"),
        Some(Partial { written, total: None }) => format!("_partial-{written}"),
        None => String::new(),
    };
    format!("conversations{texts}_{}_{}{partial}.csv", format_date(filters.start), format_date(filters.end))
}

/// The file of Export selected: the search's name with `_selected-3` before `.csv`.
pub fn selection_file_name(filters: &SearchFilters, count: usize) -> String {
    let whole = file_name(filters, None);
    format!("{}_selected-{count}.csv", whole.trim_end_matches(".csv"))
}

/// `value` as a piece of a file name: runs of whitespace, control and invisible
/// formatting characters (which could reorder what the name shows) and characters a
/// file system refuses become one `-`; at most [`VALUE_CHARS`] characters, without dots,
/// dashes or spaces at either end.
fn clean(value: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in value.chars() {
        if c.is_whitespace() || c.is_control() || FORBIDDEN.contains(&c) || invisible(c) {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push('-');
        }
        gap = false;
        out.push(c);
    }
    let out: String = out.chars().take(VALUE_CHARS).collect();
    out.trim_matches(['.', '-', ' ']).to_string()
}

/// Zero-width and bidirectional formatting characters.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{feff}')
}

/// Cuts `text` to at most `limit` bytes at a character boundary, and then any dots or
/// dashes the cut left at its end.
fn truncate_bytes(text: &mut String, limit: usize) {
    if text.len() <= limit {
        return;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    let kept = text.trim_end_matches(['.', '-', '_', ' ']).len();
    text.truncate(kept);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::TextFilter;
    use crate::time::parse_date;

    fn filters(texts: &[(TextFilter, &str)]) -> SearchFilters {
        let mut filters = SearchFilters::with_range(parse_date("2025-12-01").expect("date"), parse_date("2026-11-30").expect("date"));
        for (filter, value) in texts {
            *filters.text_mut(*filter) = (*value).to_string();
        }
        filters
    }

    #[test]
    fn the_name_carries_the_filters_and_the_range() {
        assert_eq!(file_name(&filters(&[]), None), "conversations_2025-12-01_2026-11-30.csv");
        assert_eq!(file_name(&filters(&[(TextFilter::Nick, "Kevin")]), None), "conversations_nick-Kevin_2025-12-01_2026-11-30.csv");
        let all = filters(&[(TextFilter::Title, "退款"), (TextFilter::Nick, " 阿洋 "), (TextFilter::Tag, "vip"), (TextFilter::Operator, "小李")]);
        assert_eq!(file_name(&all, None), "conversations_nick-阿洋_tag-vip_operator-小李_title-退款_2025-12-01_2026-11-30.csv");
        assert_eq!(file_name(&filters(&[(TextFilter::Nick, "   ")]), None), "conversations_2025-12-01_2026-11-30.csv", "blank is no filter");
    }

    #[test]
    fn a_partial_file_says_how_much_it_holds() {
        let kevin = filters(&[(TextFilter::Nick, "Kevin")]);
        assert_eq!(
            file_name(&kevin, Some(Partial { written: 500, total: Some(778) })),
            "conversations_nick-Kevin_2025-12-01_2026-11-30_partial-500-of-778.csv"
        );
        assert_eq!(file_name(&kevin, Some(Partial { written: 500, total: None })), "conversations_nick-Kevin_2025-12-01_2026-11-30_partial-500.csv");
        assert_eq!(selection_file_name(&kevin, 3), "conversations_nick-Kevin_2025-12-01_2026-11-30_selected-3.csv", "Export selected");
    }

    #[test]
    fn values_are_safe_on_every_os() {
        let name = |value: &str| file_name(&filters(&[(TextFilter::Nick, value)]), None);
        assert_eq!(name("a/b\\c:d*e?f\"g<h>i|j"), "conversations_nick-a-b-c-d-e-f-g-h-i-j_2025-12-01_2026-11-30.csv");
        assert_eq!(name("../../etc/passwd"), "conversations_nick-etc-passwd_2025-12-01_2026-11-30.csv", "no path, no leading dots");
        assert_eq!(name("Kevin Lee\t\n\r\u{0}x"), "conversations_nick-Kevin-Lee-x_2025-12-01_2026-11-30.csv", "whitespace and controls");
        assert_eq!(name("Kevin. . ."), "conversations_nick-Kevin_2025-12-01_2026-11-30.csv", "no trailing dots or spaces");
        assert_eq!(name("evil\u{202e}vsc.exe"), "conversations_nick-evil-vsc.exe_2025-12-01_2026-11-30.csv", "no bidi override");
        assert_eq!(name("CON"), "conversations_nick-CON_2025-12-01_2026-11-30.csv", "never at the start, so never a device");
        assert_eq!(name("///"), "conversations_2025-12-01_2026-11-30.csv", "nothing left, no filter part");
        for value in ["a/b", "x\u{7}y", "tab\there", "q?", "dots..."] {
            let name = name(value);
            assert!(!name.contains(FORBIDDEN) && !name.chars().any(char::is_control), "{name}");
        }
    }

    #[test]
    fn long_values_keep_the_name_short() {
        let long = "长".repeat(200);
        let all = filters(&[(TextFilter::Nick, &long), (TextFilter::Tag, &long), (TextFilter::Operator, &long), (TextFilter::Title, &long)]);
        let name = file_name(&all, Some(Partial { written: u64::MAX, total: Some(u64::MAX) }));
        assert!(name.len() <= 230, "{} bytes: {name}", name.len());
        assert!(name.starts_with(&format!("conversations_nick-{}_tag-", "长".repeat(VALUE_CHARS))), "{name}");
        assert!(name.ends_with("_2025-12-01_2026-11-30_partial-18446744073709551615-of-18446744073709551615.csv"), "dates and count kept: {name}");
        let emoji = filters(&[(TextFilter::Nick, &"😀".repeat(100)), (TextFilter::Title, &"x".repeat(100))]);
        assert!(file_name(&emoji, None).len() < 200);
    }
}
