//! Times and dates in the server's zone, and [`sleep`] on the browser's timers.
//!
//! The Op API sends `createTime` as epoch milliseconds in search rows and as a
//! `"YYYY-MM-DD HH:MM:SS"` wall-clock string in the server's zone in chat info. Both are
//! turned into one instant here and printed in the configured zone, so the same
//! conversation shows the same text in the table and in the drawer.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Display format of every time the console shows (DESIGN §2).
const DISPLAY_FORMAT: &str = "%Y-%m-%d %H:%M:%S";
/// Wire format of dates in requests and in the URL.
pub const DATE_FORMAT: &str = "%Y-%m-%d";

/// `createTime` as it came over the wire.
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
    pub fn from_value(value: Value) -> Option<Self> {
        match value {
            Value::Number(_) => crate::api::lenient::value_to_integer(&value).map(Self::EpochMs),
            Value::String(s) => {
                let trimmed = s.trim();
                if trimmed.is_empty() {
                    None
                } else if let Ok(ms) = trimmed.parse::<i64>() {
                    Some(Self::EpochMs(ms))
                } else if let Ok(local) = NaiveDateTime::parse_from_str(trimmed, DISPLAY_FORMAT) {
                    Some(Self::ServerLocal(local))
                } else {
                    Some(Self::Unparsed(s))
                }
            }
            _ => None,
        }
    }

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
            (Some(instant), _) => instant.format(DISPLAY_FORMAT).to_string(),
            (None, Self::Unparsed(raw)) => raw.clone(),
            (None, _) => String::new(),
        }
    }
}

/// Serde adapter: a lenient `createTime` field.
pub fn deserialize_create_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<CreateTime>, D::Error> {
    Ok(CreateTime::from_value(Value::deserialize(d)?))
}

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

pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), DATE_FORMAT).ok()
}

pub fn format_date(date: NaiveDate) -> String {
    date.format(DATE_FORMAT).to_string()
}

/// Today's date in `zone`, from the browser's (or the host's) clock.
pub fn today_in(zone: FixedOffset) -> NaiveDate {
    Utc::now().with_timezone(&zone).date_naive()
}

/// An inclusive range of dates, as the search API takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// The quick ranges the filter form offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    Today,
    Last7Days,
    Last30Days,
    Last90Days,
    ThisMonth,
}

impl Preset {
    pub const ALL: [Preset; 5] = [Self::Today, Self::Last7Days, Self::Last30Days, Self::Last90Days, Self::ThisMonth];

    /// The range this preset names when today is `today`; "last N days" includes today.
    pub fn range(self, today: NaiveDate) -> DateRange {
        let start = match self {
            Self::Today => today,
            Self::Last7Days => today - Duration::days(6),
            Self::Last30Days => today - Duration::days(29),
            Self::Last90Days => today - Duration::days(89),
            Self::ThisMonth => today.with_day(1).unwrap_or(today),
        };
        DateRange { start, end: today }
    }
}

/// The default range: the last `days` days up to and including `today`.
pub fn last_days(today: NaiveDate, days: u32) -> DateRange {
    let span = i64::from(days.max(1)) - 1;
    DateRange { start: today - Duration::days(span), end: today }
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
    let local = NaiveDateTime::parse_from_str(text.trim(), DISPLAY_FORMAT).ok()?;
    zone.from_local_datetime(&local).single()
}

/// Seconds from `then` to the browser's (or the host's) clock; negative for a time ahead.
pub fn seconds_since(then: DateTime<FixedOffset>) -> i64 {
    (Utc::now() - then.with_timezone(&Utc)).num_seconds()
}

/// Waits `duration` of real time on the browser's timers (a backoff between tries, an
/// answer from the server in a test).
pub async fn sleep(duration: std::time::Duration) {
    let timer = js_sys::Promise::new(&mut |resolve, _| {
        leptos::prelude::set_timeout(
            move || {
                let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
            },
            duration,
        );
    });
    let _ = wasm_bindgen_futures::JsFuture::from(timer).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plus8() -> FixedOffset {
        parse_offset("+08:00").expect("valid offset")
    }

    #[test]
    fn seed_row_and_chat_info_times_render_identically() {
        let row = CreateTime::from_value(serde_json::json!(1450112055023_i64)).expect("number");
        let info = CreateTime::from_value(serde_json::json!("2015-12-15 00:54:15")).expect("string");
        assert_eq!(row.display(plus8()), "2015-12-15 00:54:15");
        assert_eq!(info.display(plus8()), row.display(plus8()));
    }

    #[test]
    fn other_zones_shift_both_forms_consistently() {
        let utc = parse_offset("Z").expect("utc");
        let row = CreateTime::EpochMs(1450112055023);
        assert_eq!(row.display(utc), "2015-12-14 16:54:15");
        let minus = parse_offset("-05:30").expect("offset");
        assert_eq!(row.display(minus), "2015-12-14 11:24:15");
    }

    #[test]
    fn odd_create_times() {
        assert_eq!(CreateTime::from_value(serde_json::json!("1450112055023")), Some(CreateTime::EpochMs(1450112055023)));
        assert_eq!(CreateTime::from_value(serde_json::json!(null)), None);
        assert_eq!(CreateTime::from_value(serde_json::json!("")), None);
        assert_eq!(CreateTime::from_value(serde_json::json!({"a": 1})), None);
        let odd = CreateTime::from_value(serde_json::json!("yesterday")).expect("kept");
        assert_eq!(odd.display(plus8()), "yesterday");
        let huge = CreateTime::EpochMs(i64::MAX);
        assert_eq!(huge.display(plus8()), "");
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

    #[test]
    fn presets() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 15).expect("date");
        let range = |p: Preset| {
            let r = p.range(today);
            (format_date(r.start), format_date(r.end))
        };
        assert_eq!(range(Preset::Today), ("2026-03-15".into(), "2026-03-15".into()));
        assert_eq!(range(Preset::Last7Days), ("2026-03-09".into(), "2026-03-15".into()));
        assert_eq!(range(Preset::Last30Days), ("2026-02-14".into(), "2026-03-15".into()));
        assert_eq!(range(Preset::Last90Days), ("2025-12-16".into(), "2026-03-15".into()));
        assert_eq!(range(Preset::ThisMonth), ("2026-03-01".into(), "2026-03-15".into()));
        assert_eq!(last_days(today, 30), Preset::Last30Days.range(today));
        assert_eq!(last_days(today, 0).start, today);
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2015-04-17").map(format_date), Some("2015-04-17".to_string()));
        assert_eq!(parse_date("2015-02-30"), None);
        assert_eq!(parse_date("17/04/2015"), None);
    }
}
