//! Counts already asked for, per console instance and in memory only. A closed bucket (all
//! of its days before today) keeps its count for ten minutes; the bucket holding today is
//! always asked again, as conversations keep arriving in it.

use chrono::NaiveDate;

use super::buckets::Bucket;

/// How long a closed bucket's count is reused.
pub const KEEP_MS: f64 = 10.0 * 60.0 * 1000.0;

/// Counts keyed by the exact request body that asked for them (text filters as sent, the
/// bucket's dates, page 1 of size 1): equal bodies are the same question. A list, not a
/// map: it holds a few searches' buckets (stale ones go), and the wasm stays smaller.
#[derive(Debug, Default)]
pub struct CountCache {
    counts: Vec<(String, u64, f64)>,
}

impl CountCache {
    /// The count for `body`, when `bucket` is closed on `today` and the count is younger
    /// than [`KEEP_MS`] at `now_ms`.
    pub fn get(&self, body: &str, bucket: &Bucket, today: NaiveDate, now_ms: f64) -> Option<u64> {
        if bucket.is_open(today) {
            return None;
        }
        self.counts.iter().find(|(asked, _, at)| asked == body && now_ms - at < KEEP_MS && now_ms >= *at).map(|(_, count, _)| *count)
    }

    /// Remembers `count` for `body` (an open bucket's too: harmless, never read) and
    /// forgets what has gone stale, so the map stays small.
    pub fn put(&mut self, body: String, count: u64, now_ms: f64) {
        self.counts.retain(|(asked, _, at)| now_ms - *at < KEEP_MS && *asked != body);
        self.counts.push((body, count, now_ms));
    }

    /// Forgets everything (Refresh after counts changed while loading).
    pub fn clear(&mut self) {
        self.counts.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::buckets::{buckets, Unit};
    use crate::time::{parse_date, DateRange};

    fn day(text: &str) -> NaiveDate {
        parse_date(text).expect("date")
    }

    fn bucket(start: &str, end: &str) -> Bucket {
        Bucket { unit: Unit::Day, named: day(start), start: day(start), end: day(end) }
    }

    #[test]
    fn closed_buckets_are_reused_for_ten_minutes() {
        let today = day("2026-11-30");
        let mut cache = CountCache::default();
        let past = bucket("2026-11-28", "2026-11-28");
        cache.put("body-28".into(), 42, 1_000.0);
        assert_eq!(cache.get("body-28", &past, today, 1_000.0), Some(42));
        assert_eq!(cache.get("body-28", &past, today, 1_000.0 + KEEP_MS - 1.0), Some(42));
        assert_eq!(cache.get("body-28", &past, today, 1_000.0 + KEEP_MS), None, "ten minutes is stale");
        assert_eq!(cache.get("other filters", &past, today, 1_000.0), None, "another question");
        assert_eq!(cache.get("body-28", &past, today, 0.0), None, "a clock that went back");
    }

    #[test]
    fn the_bucket_holding_today_is_always_asked() {
        let today = day("2026-11-30");
        let mut cache = CountCache::default();
        cache.put("today".into(), 3, 1_000.0);
        assert_eq!(cache.get("today", &bucket("2026-11-30", "2026-11-30"), today, 1_001.0), None);
        // A week or month holding today, and a bucket in the future, are open as well.
        assert_eq!(cache.get("today", &bucket("2026-11-30", "2026-12-06"), today, 1_001.0), None);
        assert_eq!(cache.get("today", &bucket("2026-12-01", "2026-12-01"), today, 1_001.0), None);
        let weeks = buckets(DateRange { start: day("2025-12-01"), end: today });
        let closed = weeks.iter().filter(|b| cache.get("today", b, today, 1_001.0).is_some()).count();
        assert_eq!(closed, weeks.len() - 1, "every week but today's may be reused");
    }

    #[test]
    fn stale_entries_go_and_refresh_forgets_all() {
        let today = day("2026-11-30");
        let past = bucket("2026-11-01", "2026-11-01");
        let mut cache = CountCache::default();
        cache.put("old".into(), 1, 0.0);
        cache.put("new".into(), 2, KEEP_MS + 1.0);
        assert_eq!(cache.counts.len(), 1, "the stale entry went");
        assert_eq!(cache.get("new", &past, today, KEEP_MS + 2.0), Some(2));
        cache.clear();
        assert_eq!(cache.get("new", &past, today, KEEP_MS + 2.0), None);
    }
}
