//! How dates and times are written: in requests (`startTime`/`endTime`), in the URL and
//! the date inputs (all `YYYY-MM-DD`), and on screen (`YYYY-MM-DD HH:mm:ss`, also the form
//! of chat info's `createTime`, DESIGN §2).

use chrono::NaiveDate;

/// Display format of every time the console shows, and the wall-clock form of chat info's
/// `createTime`.
pub const TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";
/// Wire format of dates in requests and in the URL.
pub const DATE_FORMAT: &str = "%Y-%m-%d";

pub fn format_date(date: NaiveDate) -> String {
    date.format(DATE_FORMAT).to_string()
}

pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), DATE_FORMAT).ok()
}
