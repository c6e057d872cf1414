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

/// The sandbox's own "now": the real clock, or one moved to another instant by `--now`
/// (it keeps ticking from there), so that tests can see the data and relative dates of
/// another day.
#[derive(Clone, Copy, Debug, Default)]
pub struct Clock {
    offset_ms: i64,
}

impl Clock {
    /// A clock that reads `now` at this moment.
    pub fn starting_at(now: DateTime<FixedOffset>) -> Self {
        Clock { offset_ms: now.timestamp_millis() - Utc::now().timestamp_millis() }
    }

    pub fn now_ms(self) -> i64 {
        Utc::now().timestamp_millis().saturating_add(self.offset_ms)
    }

    /// Today's date in UTC+8 on this clock.
    pub fn today(self) -> NaiveDate {
        DateTime::<Utc>::from_timestamp_millis(self.now_ms()).map_or_else(today, |now| now.with_timezone(&zone()).date_naive())
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmm+08:00`.
    pub fn now_rfc3339(self) -> String {
        DateTime::<Utc>::from_timestamp_millis(self.now_ms())
            .map(|now| now.with_timezone(&zone()).to_rfc3339_opts(chrono::SecondsFormat::Millis, false))
            .unwrap_or_default()
    }
}

/// `--now`: an RFC 3339 instant, or a date `YYYY-MM-DD` (the current time of day in
/// UTC+8 on that date).
pub fn parse_now(text: &str) -> Result<DateTime<FixedOffset>, String> {
    if let Ok(instant) = DateTime::parse_from_rfc3339(text.trim()) {
        return Ok(instant);
    }
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("expected an RFC 3339 time or a YYYY-MM-DD date, got {text:?}"))?;
    let time_of_day = Utc::now().with_timezone(&zone()).time();
    zone().from_local_datetime(&date.and_time(time_of_day)).single().ok_or_else(|| format!("no such time: {text:?}"))
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
    fn a_moved_clock_reads_the_other_day() {
        let now = parse_now("2031-02-03T10:00:00+08:00").expect("rfc 3339");
        let clock = Clock::starting_at(now);
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2031, 2, 3).expect("date"));
        assert!((clock.now_ms() - now.timestamp_millis()).abs() < 5_000);
        assert!(clock.now_rfc3339().starts_with("2031-02-03T10:00:0"), "{}", clock.now_rfc3339());
        let date_only = parse_now("2031-02-03").expect("date");
        assert_eq!(date_only.date_naive(), NaiveDate::from_ymd_opt(2031, 2, 3).expect("date"));
        assert!(parse_now("tomorrow").is_err());
        assert_eq!(Clock::default().today(), today());
    }

    #[test]
    fn day_starts_at_midnight_in_utc_plus_8() {
        let date = NaiveDate::from_ymd_opt(2015, 12, 15).expect("valid date");
        // 2015-12-15 00:00:00+08:00 is 2015-12-14 16:00:00 UTC.
        assert_eq!(day_start_ms(date), 1_450_108_800_000);
    }
}
