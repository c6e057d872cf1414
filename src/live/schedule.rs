//! When the live list asks the server again, as pure rules: the conditions for asking,
//! the back-off after failures, and how many conversations are new.

use std::time::Duration;

use chrono::NaiveDate;

use crate::time::DateRange;

/// The longest wait after failures (unless the configured interval is longer still).
pub const MAX_BACKOFF: Duration = Duration::from_secs(5 * 60);

/// The wait before the next ask: the configured interval, doubled after each failed ask
/// up to [`MAX_BACKOFF`], and back to the interval after the first that succeeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    interval: Duration,
    next: Duration,
}

impl Backoff {
    pub fn new(interval: Duration) -> Self {
        Self { interval, next: interval }
    }

    pub fn next(self) -> Duration {
        self.next
    }

    pub fn failed(&mut self) -> Duration {
        self.next = self.next.saturating_mul(2).min(MAX_BACKOFF.max(self.interval));
        self.next
    }

    pub fn succeeded(&mut self) -> Duration {
        self.next = self.interval;
        self.next
    }
}

/// What the screen is doing when an ask is due.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Moment {
    /// The table shows page 1 of a search that has arrived (and knows its total).
    pub first_page_shown: bool,
    /// The submitted range includes today: only then can new conversations match.
    pub range_has_today: bool,
    /// The document is visible (not a background tab, not minimised).
    pub visible: bool,
    /// A search is loading: its answer is newer than any ask's.
    pub loading: bool,
    /// An export is running: it has the server's attention.
    pub exporting: bool,
}

impl Moment {
    pub fn may_ask(self) -> bool {
        self.first_page_shown && self.range_has_today && self.visible && !self.loading && !self.exporting
    }
}

pub fn range_has(range: DateRange, today: NaiveDate) -> bool {
    range.start <= today && today <= range.end
}

/// How many conversations arrived since the shown page's `shown` total (none when it
/// shrank: deleted conversations are not news, and rows never move without a click).
pub fn new_since(shown: Option<u64>, asked: Option<u64>) -> u64 {
    match (shown, asked) {
        (Some(shown), Some(asked)) => asked.saturating_sub(shown),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_double_the_wait_up_to_five_minutes_and_a_success_resets_it() {
        let mut backoff = Backoff::new(Duration::from_secs(30));
        assert_eq!(backoff.next(), Duration::from_secs(30));
        let waits: Vec<u64> = (0..6).map(|_| backoff.failed().as_secs()).collect();
        assert_eq!(waits, [60, 120, 240, 300, 300, 300]);
        assert_eq!(backoff.succeeded(), Duration::from_secs(30));
        assert_eq!(backoff.failed(), Duration::from_secs(60), "doubling starts again from the interval");
    }

    #[test]
    fn an_interval_longer_than_the_cap_is_kept() {
        let mut backoff = Backoff::new(Duration::from_secs(600));
        assert_eq!(backoff.failed(), Duration::from_secs(600));
        let mut short = Backoff::new(Duration::from_millis(1000));
        assert_eq!(short.failed(), Duration::from_secs(2));
    }

    #[test]
    fn asks_only_on_a_visible_idle_first_page_of_a_range_with_today() {
        let ready = Moment { first_page_shown: true, range_has_today: true, visible: true, loading: false, exporting: false };
        assert!(ready.may_ask());
        assert!(!Moment { first_page_shown: false, ..ready }.may_ask());
        assert!(!Moment { range_has_today: false, ..ready }.may_ask());
        assert!(!Moment { visible: false, ..ready }.may_ask());
        assert!(!Moment { loading: true, ..ready }.may_ask());
        assert!(!Moment { exporting: true, ..ready }.may_ask());
    }

    #[test]
    fn today_in_range_and_new_counts() {
        let date = |text| crate::time::parse_date(text).expect("date");
        let range = DateRange { start: date("2026-11-01"), end: date("2026-11-30") };
        assert!(range_has(range, date("2026-11-30")));
        assert!(range_has(range, date("2026-11-01")));
        assert!(!range_has(range, date("2026-12-01")));
        assert_eq!(new_since(Some(120), Some(123)), 3);
        assert_eq!(new_since(Some(120), Some(118)), 0, "a shrinking total is no news");
        assert_eq!(new_since(None, Some(5)), 0);
        assert_eq!(new_since(Some(5), None), 0);
    }
}
