//! Date ranges: the filter form's quick presets and the default range searched on load.

use chrono::{Datelike, Duration, NaiveDate};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{format_date, parse_date};

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
