//! Zones: parsing the configured offset, naming it next to times, reading back a time
//! the console displayed, and the browser's clock in a zone.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

use super::TIME_FORMAT;

/// Parses a zone offset such as `+08:00`, `-05:30`, `+0800` or `Z`.
pub fn parse_offset(text: &str) -> Option<FixedOffset> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("z") || text.eq_ignore_ascii_case("utc") {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = digits[2..].parse().ok()?;
    if hours > 14 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

/// How a zone is named next to the times shown in it: `UTC+8`, `UTC-5:30`, `UTC`.
pub fn zone_label(zone: FixedOffset) -> String {
    let seconds = zone.local_minus_utc();
    let (hours, minutes) = (seconds.abs() / 3600, seconds.abs() % 3600 / 60);
    let sign = if seconds < 0 { '-' } else { '+' };
    match (hours, minutes) {
        (0, 0) => "UTC".into(),
        (_, 0) => format!("UTC{sign}{hours}"),
        _ => format!("UTC{sign}{hours}:{minutes:02}"),
    }
}

/// The instant of a time as the console displays it (`YYYY-MM-DD HH:mm:ss` in `zone`),
/// read back from the page: the table's relative-time tooltip needs no copy of its own.
pub fn parse_displayed(text: &str, zone: FixedOffset) -> Option<DateTime<FixedOffset>> {
    let local = NaiveDateTime::parse_from_str(text.trim(), TIME_FORMAT).ok()?;
    zone.from_local_datetime(&local).single()
}

/// Today's date in `zone`, from the browser's (or the host's) clock.
pub fn today_in(zone: FixedOffset) -> NaiveDate {
    Utc::now().with_timezone(&zone).date_naive()
}

/// Seconds from `then` to the browser's (or the host's) clock; negative for a time ahead.
pub fn seconds_since(then: DateTime<FixedOffset>) -> i64 {
    (Utc::now() - then.with_timezone(&Utc)).num_seconds()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::models::CreateTime;

    fn plus8() -> FixedOffset {
        parse_offset("+08:00").expect("valid offset")
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("+08:00").map(|o| o.local_minus_utc()), Some(8 * 3600));
        assert_eq!(parse_offset("+0530").map(|o| o.local_minus_utc()), Some(5 * 3600 + 1800));
        assert_eq!(parse_offset("-03:00").map(|o| o.local_minus_utc()), Some(-3 * 3600));
        for bad in ["08:00", "+8", "+25:00", "+08:60", "", "abc", "+08:00:00"] {
            assert_eq!(parse_offset(bad), None, "{bad}");
        }
    }

    #[test]
    fn zone_labels_and_displayed_times() {
        let label = |text| zone_label(parse_offset(text).expect("zone"));
        assert_eq!(label("+08:00"), "UTC+8");
        assert_eq!(label("-05:30"), "UTC-5:30");
        assert_eq!(label("+00:00"), "UTC");
        assert_eq!(label("+05:45"), "UTC+5:45");
        let shown = CreateTime::EpochMs(1450112055023).display(plus8());
        let back = parse_displayed(&shown, plus8()).expect("read back");
        assert_eq!(back.timestamp(), 1450112055, "the displayed second is the instant's");
        assert_eq!(parse_displayed("yesterday", plus8()), None);
        assert!(seconds_since(back) > 10 * 365 * 86_400);
    }
}
