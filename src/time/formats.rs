//! How dates and times are written: in requests (`startTime`/`endTime`), in the URL and
//! the date inputs (all `YYYY-MM-DD`), and on screen (`YYYY-MM-DD HH:mm:ss`, also the form
//! of chat info's `createTime`, DESIGN §2).

use std::fmt::Write;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

/// Display format of every time the console shows, and the wall-clock form of chat info's
/// `createTime`.
pub const TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";
/// Wire format of dates in requests and in the URL.
pub const DATE_FORMAT: &str = "%Y-%m-%d";

pub fn format_date(date: NaiveDate) -> String {
    date.format(DATE_FORMAT).to_string()
}

/// `time` as [`TIME_FORMAT`] writes it, without reading the format string each time: the
/// table writes one per row on every page (chrono parses `%Y-%m-%d …` anew per call).
/// Years outside 0–9999, which chrono writes with a sign, are left to chrono.
pub fn format_time(time: NaiveDateTime) -> String {
    if !(0..=9999).contains(&time.year()) {
        return time.format(TIME_FORMAT).to_string();
    }
    let mut text = String::with_capacity(19);
    let _ = write!(
        text,
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        time.year(),
        time.month(),
        time.day(),
        time.hour(),
        time.minute(),
        // A leap second is second 59 with a nanosecond count past one second: `:60`.
        time.second() + time.nanosecond() / 1_000_000_000
    );
    text
}

pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), DATE_FORMAT).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_time_writes_what_chrono_writes() {
        // Every second of a leap day, then steps across the whole range chrono writes with
        // four digits and past both its ends (a leap second included).
        let start = NaiveDate::from_ymd_opt(2024, 2, 29).and_then(|d| d.and_hms_opt(0, 0, 0)).expect("a date");
        let seconds = (0..86_400).map(|s| start + chrono::Duration::seconds(s));
        let years = (-3..=10_002).step_by(7).filter_map(|y| NaiveDate::from_ymd_opt(y, 12, 31)?.and_hms_opt(23, 59, 59));
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31).and_then(|d| d.and_hms_milli_opt(23, 59, 59, 1_500));
        for time in seconds.chain(years).chain(leap) {
            assert_eq!(format_time(time), time.format(TIME_FORMAT).to_string(), "{time:?}");
        }
    }
}
