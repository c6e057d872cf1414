//! The chart's buckets: which spans of days a submitted range is cut into, named and
//! zoomed. Pure: dates are calendar days in the server's zone (`timeZone`), as the API
//! reads `startTime`/`endTime`, so the browser's own zone never enters.

use chrono::{DateTime, Datelike, Duration, FixedOffset, Months, NaiveDate, Utc};

use crate::time::DateRange;

/// At most this many buckets, and so this many count calls, per search.
pub const MAX_BUCKETS: usize = 62;

/// The calendar unit of one bucket. Days up to 62 days, ISO weeks (Monday to Sunday) up
/// to 62 weeks, months beyond; years only where months would still be more than 62.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Day,
    Week,
    Month,
    Year,
}

/// One bar: the days it counts (inside the submitted range) and the unit it is one of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket {
    pub unit: Unit,
    /// The first day of the whole unit (the week's Monday, the month's 1st), which names
    /// it even when the range cuts the unit short.
    pub named: NaiveDate,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Bucket {
    /// The bar's date as its name says it: `2026-11-28`, `2026-11-23` (the Monday),
    /// `2026-11`, `2026`.
    pub fn date_text(&self) -> String {
        match self.unit {
            Unit::Day | Unit::Week => self.named.format("%Y-%m-%d").to_string(),
            Unit::Month => self.named.format("%Y-%m").to_string(),
            Unit::Year => self.named.format("%Y").to_string(),
        }
    }

    /// The short axis label: `11-28` for days and weeks, `2026-11` for months.
    pub fn axis_text(&self) -> String {
        match self.unit {
            Unit::Day | Unit::Week => self.named.format("%m-%d").to_string(),
            Unit::Month | Unit::Year => self.date_text(),
        }
    }

    pub fn range(&self) -> DateRange {
        DateRange { start: self.start, end: self.end }
    }

    /// Whether this bucket holds `today` or days after it: its count may still grow, so it
    /// is always asked for again.
    pub fn is_open(&self, today: NaiveDate) -> bool {
        self.end >= today
    }
}

/// The buckets of `range`, oldest first, cut to the range at both ends. A range so long
/// that even years are more than [`MAX_BUCKETS`] keeps its last 62 years (see
/// [`covers`]).
pub fn buckets(range: DateRange) -> Vec<Bucket> {
    let days = (range.end - range.start).num_days() + 1;
    let cut = |unit| units(range, unit);
    let mut found = if days <= MAX_BUCKETS as i64 { cut(Unit::Day) } else { Vec::new() };
    for unit in [Unit::Week, Unit::Month, Unit::Year] {
        if !found.is_empty() {
            break;
        }
        found = cut(unit);
        if found.len() > MAX_BUCKETS && unit != Unit::Year {
            found.clear();
        }
    }
    let excess = found.len().saturating_sub(MAX_BUCKETS);
    found.drain(..excess);
    found
}

/// Whether `buckets` cover the whole of `range` (their sum can then be compared with the
/// table's total).
pub fn covers(buckets: &[Bucket], range: DateRange) -> bool {
    buckets.first().is_some_and(|b| b.start == range.start) && buckets.last().is_some_and(|b| b.end == range.end)
}

/// Every `unit` that `range` touches, cut to it. Stops at the ends of chrono's calendar.
fn units(range: DateRange, unit: Unit) -> Vec<Bucket> {
    let mut found = Vec::new();
    let mut named = first_day(range.start, unit);
    // A week or month more than 62 units would already be refused: no need to walk a
    // multi-century range day by day or week by week.
    let limit = if unit == Unit::Year { usize::MAX } else { MAX_BUCKETS + 1 };
    while named <= range.end && found.len() < limit {
        let Some(next) = next_first_day(named, unit) else { break };
        found.push(Bucket { unit, named, start: named.max(range.start), end: (next - Duration::days(1)).min(range.end) });
        named = next;
    }
    found
}

fn first_day(date: NaiveDate, unit: Unit) -> NaiveDate {
    match unit {
        Unit::Day => date,
        Unit::Week => date - Duration::days(i64::from(date.weekday().num_days_from_monday())),
        Unit::Month => date.with_day(1).unwrap_or(date),
        Unit::Year => NaiveDate::from_ymd_opt(date.year(), 1, 1).unwrap_or(date),
    }
}

fn next_first_day(named: NaiveDate, unit: Unit) -> Option<NaiveDate> {
    match unit {
        Unit::Day => named.checked_add_signed(Duration::days(1)),
        Unit::Week => named.checked_add_signed(Duration::days(7)),
        Unit::Month => named.checked_add_months(Months::new(1)),
        Unit::Year => named.checked_add_months(Months::new(12)),
    }
}

/// Today in the server's zone at `now`, whatever zone the browser is in.
pub fn today_at(now: DateTime<Utc>, zone: FixedOffset) -> NaiveDate {
    now.with_timezone(&zone).date_naive()
}

/// "Zoom out": twice as many days, around the same centre. A range that ended today or
/// before is not pushed past today: it grows further into the past instead.
pub fn zoom_out(range: DateRange, today: NaiveDate) -> DateRange {
    let days = (range.end - range.start).num_days() + 1;
    let start = range.start - Duration::days(days / 2);
    let end = start + Duration::days(2 * days - 1);
    let overshoot = if range.end <= today { (end - today).num_days().max(0) } else { 0 };
    DateRange { start: start - Duration::days(overshoot), end: end - Duration::days(overshoot) }
}

/// The number of days of `range`, end inclusive.
pub fn days_of(range: DateRange) -> i64 {
    (range.end - range.start).num_days() + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{parse_date, parse_offset};

    fn day(text: &str) -> NaiveDate {
        parse_date(text).expect("date")
    }

    fn range(start: &str, end: &str) -> DateRange {
        DateRange { start: day(start), end: day(end) }
    }

    /// (start, end) of each bucket, as text.
    fn spans(range: DateRange) -> Vec<(String, String)> {
        buckets(range).iter().map(|b| (b.start.to_string(), b.end.to_string())).collect()
    }

    #[test]
    fn up_to_62_days_are_days() {
        let found = buckets(range("2026-10-01", "2026-12-01"));
        assert_eq!(found.len(), 62);
        assert!(found.iter().all(|b| b.unit == Unit::Day && b.start == b.end));
        assert_eq!(found[0].date_text(), "2026-10-01");
        assert_eq!(found[61].date_text(), "2026-12-01");
        let one = buckets(range("2026-11-28", "2026-11-28"));
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].date_text(), "2026-11-28");
    }

    #[test]
    fn from_63_days_iso_weeks_cut_to_the_range() {
        // 2026-10-01 is a Thursday; 2026-12-02 a Wednesday.
        let found = buckets(range("2026-10-01", "2026-12-02"));
        assert!(found.iter().all(|b| b.unit == Unit::Week));
        assert_eq!(found[0].named, day("2026-09-28"), "named by its Monday");
        assert_eq!((found[0].start, found[0].end), (day("2026-10-01"), day("2026-10-04")), "cut at the range's start");
        assert_eq!((found[1].start, found[1].end), (day("2026-10-05"), day("2026-10-11")), "Monday to Sunday");
        let last = found.last().expect("weeks");
        assert_eq!((last.named, last.start, last.end), (day("2026-11-30"), day("2026-11-30"), day("2026-12-02")));
        assert_eq!(found.len(), 10);
    }

    #[test]
    fn weeks_cross_a_year_with_iso_numbering() {
        // 2026-12-28 is a Monday; its ISO week runs into 2027 (week 53 of 2026).
        let found = buckets(range("2026-11-01", "2027-01-31"));
        let crossing = found.iter().find(|b| b.start.year() != b.end.year()).expect("a week across new year");
        assert_eq!((crossing.start, crossing.end), (day("2026-12-28"), day("2027-01-03")));
        assert_eq!(crossing.date_text(), "2026-12-28");
        // Contiguous, no gaps and no overlaps.
        for pair in found.windows(2) {
            assert_eq!(pair[0].end + Duration::days(1), pair[1].start);
        }
    }

    #[test]
    fn weeks_up_to_62_then_months() {
        // 62 ISO weeks from a Monday: 434 days.
        let monday = day("2025-01-06");
        let weeks = buckets(DateRange { start: monday, end: monday + Duration::days(62 * 7 - 1) });
        assert_eq!((weeks.len(), weeks[0].unit), (62, Unit::Week));
        let months = buckets(DateRange { start: monday, end: monday + Duration::days(62 * 7) });
        assert!(months.iter().all(|b| b.unit == Unit::Month));
        assert_eq!(months[0].date_text(), "2025-01");
        assert_eq!((months[0].start, months[0].end), (monday, day("2025-01-31")));
        // The 365-day default is weeks: 53 of them (or 54 when it starts late in a week).
        let year = buckets(range("2025-12-01", "2026-11-30"));
        assert_eq!((year.len(), year[0].unit), (53, Unit::Week));
    }

    #[test]
    fn month_ends_and_the_leap_day() {
        assert_eq!(buckets(range("2023-11-15", "2024-04-10"))[0].unit, Unit::Week, "less than 62 weeks");
        let found = buckets(range("2023-01-15", "2024-04-10"));
        assert_eq!(found[0].unit, Unit::Month);
        let feb = found.iter().find(|b| b.date_text() == "2024-02").expect("February 2024");
        assert_eq!(feb.end, day("2024-02-29"), "leap year");
        let feb = found.iter().find(|b| b.date_text() == "2023-02").expect("February 2023");
        assert_eq!(feb.end, day("2023-02-28"));
        let jan = found.iter().find(|b| b.date_text() == "2024-01").expect("January");
        assert_eq!((jan.start, jan.end), (day("2024-01-01"), day("2024-01-31")));
        assert_eq!(found.last().map(|b| b.end), Some(day("2024-04-10")), "cut at the range's end");
        // The leap day as a day bucket and as the end of a week bucket.
        assert!(spans(range("2024-02-27", "2024-03-02")).contains(&("2024-02-29".into(), "2024-02-29".into())));
    }

    #[test]
    fn very_long_ranges_stay_within_62_calls() {
        let ten_years = buckets(range("2015-01-01", "2026-11-30"));
        assert!(ten_years.len() <= MAX_BUCKETS);
        assert!(ten_years.iter().all(|b| b.unit == Unit::Year), "143 months are too many bars");
        assert!(covers(&ten_years, range("2015-01-01", "2026-11-30")));
        let centuries = buckets(range("1900-01-01", "2100-12-31"));
        assert_eq!(centuries.len(), MAX_BUCKETS);
        assert_eq!(centuries.last().map(Bucket::date_text), Some("2100".into()), "the most recent years are kept");
        assert!(!covers(&centuries, range("1900-01-01", "2100-12-31")), "then the sum is not the total");
        let five_years = buckets(range("2021-12-01", "2026-11-30"));
        assert_eq!((five_years.len(), five_years[0].unit), (60, Unit::Month));
    }

    #[test]
    fn today_is_the_server_zones_day_whatever_the_browsers() {
        let plus8 = parse_offset("+08:00").expect("zone");
        // 17:30 UTC on 30 November: 12:30 in New York, already 1 December in +08:00.
        let now = DateTime::parse_from_rfc3339("2026-11-30T17:30:00-05:00").expect("instant").with_timezone(&Utc);
        assert_eq!(today_at(now, plus8), day("2026-12-01"));
        assert_eq!(today_at(now, parse_offset("-05:00").expect("zone")), day("2026-11-30"));
        // So in +08:00 the December bucket is the open one, and November is closed.
        let months = buckets(range("2021-12-01", "2026-12-01"));
        let open: Vec<String> = months.iter().filter(|b| b.is_open(today_at(now, plus8))).map(Bucket::date_text).collect();
        assert_eq!(open, vec!["2026-12"]);
        // Midnight exactly belongs to the new day.
        let midnight = DateTime::parse_from_rfc3339("2026-11-30T16:00:00Z").expect("instant").with_timezone(&Utc);
        assert_eq!(today_at(midnight, plus8), day("2026-12-01"));
    }

    #[test]
    fn open_buckets() {
        let today = day("2026-11-30");
        let weeks = buckets(range("2025-12-01", "2026-11-30"));
        let open: Vec<NaiveDate> = weeks.iter().filter(|b| b.is_open(today)).map(|b| b.start).collect();
        assert_eq!(open, vec![day("2026-11-30")], "only the week holding today");
        let past = buckets(range("2026-11-01", "2026-11-29"));
        assert!(past.iter().all(|b| !b.is_open(today)));
    }

    #[test]
    fn zoom_out_doubles_around_the_centre() {
        let today = day("2026-11-30");
        assert_eq!(zoom_out(range("2026-06-11", "2026-06-20"), today), range("2026-06-06", "2026-06-25"));
        assert_eq!(days_of(zoom_out(range("2026-06-11", "2026-06-21"), today)), 22);
        // One day becomes two.
        assert_eq!(zoom_out(range("2026-06-11", "2026-06-11"), today), range("2026-06-11", "2026-06-12"));
        // Not past today: further back instead.
        assert_eq!(zoom_out(range("2026-11-21", "2026-11-30"), today), range("2026-11-11", "2026-11-30"));
        assert_eq!(zoom_out(range("2026-11-24", "2026-11-28"), today), range("2026-11-21", "2026-11-30"));
    }

    #[test]
    fn axis_and_names() {
        let week = buckets(range("2026-01-01", "2026-12-31"))[0];
        assert_eq!((week.date_text(), week.axis_text()), ("2025-12-29".into(), "12-29".into()));
        let month = buckets(range("2022-01-01", "2026-12-31"))[0];
        assert_eq!((month.date_text(), month.axis_text()), ("2022-01".into(), "2022-01".into()));
    }
}
