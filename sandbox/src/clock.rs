//! The Op server lives in China: dates in requests and times in chat infos are in UTC+8.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};

/// The server's zone, UTC+8.
pub fn zone() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// `YYYY-MM-DD HH:MM:SS` in UTC+8 of an epoch-milliseconds instant.
pub fn format_ms(epoch_ms: i64) -> String {
    match DateTime::<Utc>::from_timestamp_millis(epoch_ms) {
        // Written out rather than through a format string, which chrono parses on every
        // call: this runs once per generated chat at startup.
        Some(instant) => {
            let local = instant.with_timezone(&zone()).naive_local();
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
                local.year(),
                local.month(),
                local.day(),
                local.hour(),
                local.minute(),
                local.second()
            )
        }
        None => String::new(),
    }
}

/// `YYYY-MM-DD HH:MM:SS` in UTC+8 of now, for `foot.operationTime`.
pub fn now_text() -> String {
    format_ms(Utc::now().timestamp_millis())
}

/// Today's date in UTC+8.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&zone()).date_naive()
}

/// Epoch milliseconds of midnight (UTC+8) starting `date`.
pub fn day_start_ms(date: NaiveDate) -> i64 {
    let midnight = date.and_time(NaiveTime::MIN);
    // A fixed offset has exactly one local time for every instant, so this always resolves.
    zone()
        .from_local_datetime(&midnight)
        .single()
        .map_or(i64::MAX, |instant| instant.timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_instant_formats_like_the_seed_chat_info() {
        // Search row createTime 1450112055023 and chat info "2015-12-15 00:54:15" are the
        // same conversation in the seeds.
        assert_eq!(format_ms(1_450_112_055_023), "2015-12-15 00:54:15");
    }

    #[test]
    fn day_starts_at_midnight_in_utc_plus_8() {
        let date = NaiveDate::from_ymd_opt(2015, 12, 15).expect("valid date");
        // 2015-12-15 00:00:00+08:00 is 2015-12-14 16:00:00 UTC.
        assert_eq!(day_start_ms(date), 1_450_108_800_000);
    }
}
