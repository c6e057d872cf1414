//! When generated conversations are created: spread from 2015 to yesterday with a share
//! in the last 30 days (so the app's default range always finds rows), busier on working
//! days than at weekends, and with a spike of a few days in the last two weeks, so that the
//! console's chart has something to show (issue 14).

use chrono::{DateTime, Datelike, Weekday};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::clock;

pub const DAY_MS: i64 = 24 * 3600 * 1000;

/// Share of conversations placed in the 30 days before the end of the window.
const RECENT_SHARE: f64 = 0.08;

/// Share placed in the spike: [`SPIKE_DAYS`] days ending [`SPIKE_ENDS_DAYS_AGO`] days
/// before the end of the window (inside the default 30-day range).
const SPIKE_SHARE: f64 = 0.015;
pub const SPIKE_DAYS: i64 = 2;
pub const SPIKE_ENDS_DAYS_AGO: i64 = 10;

/// How likely a drawn time is kept, by weekday in UTC+8 (the server's): the weekly rhythm.
fn keep_share(weekday: Weekday) -> f64 {
    match weekday {
        Weekday::Mon => 1.0,
        Weekday::Tue | Weekday::Wed => 0.9,
        Weekday::Thu | Weekday::Fri => 0.8,
        Weekday::Sat => 0.4,
        Weekday::Sun => 0.3,
    }
}

/// A creation time within `window` (epoch ms, end exclusive).
pub fn created_ms(rng: &mut ChaCha8Rng, window: (i64, i64)) -> i64 {
    let (start_ms, until_ms) = window;
    let roll: f64 = rng.random();
    if roll < SPIKE_SHARE {
        let spike_end = until_ms - SPIKE_ENDS_DAYS_AGO * DAY_MS;
        return rng.random_range(spike_end - SPIKE_DAYS * DAY_MS..spike_end);
    }
    let from = if roll < SPIKE_SHARE + RECENT_SHARE { until_ms - 30 * DAY_MS } else { start_ms };
    loop {
        let drawn = rng.random_range(from..until_ms);
        if rng.random_bool(keep_share(weekday(drawn))) {
            return drawn;
        }
    }
}

pub fn weekday(epoch_ms: i64) -> Weekday {
    DateTime::from_timestamp_millis(epoch_ms).map_or(Weekday::Mon, |t| t.with_timezone(&clock::zone()).weekday())
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::data::Dataset;
    use crate::options::Scenario;

    #[test]
    fn weekdays_are_busier_than_weekends_and_the_spike_stands_out() {
        let today = NaiveDate::from_ymd_opt(2026, 5, 20).expect("date");
        let dataset = Dataset::build(5000, 1, Scenario::Normal, today).expect("dataset");
        let until = clock::day_start_ms(today);
        // Conversations per day of the last 30, yesterday first.
        let mut per_day = [0_usize; 30];
        for chat in dataset.chats() {
            if let Ok(ago) = usize::try_from((until - 1 - chat.created_ms) / DAY_MS) {
                if let Some(day) = per_day.get_mut(ago) {
                    *day += 1;
                }
            }
        }
        let spike = SPIKE_ENDS_DAYS_AGO as usize..(SPIKE_ENDS_DAYS_AGO + SPIKE_DAYS) as usize;
        let mut others: Vec<usize> = per_day.iter().enumerate().filter(|(ago, _)| !spike.contains(ago)).map(|(_, n)| *n).collect();
        others.sort_unstable();
        let median = others[others.len() / 2];
        for ago in spike.clone() {
            assert!(per_day[ago] >= 2 * median, "spike day {ago} days ago: {} vs median {median}", per_day[ago]);
        }
        let (mut working, mut weekend) = ((0, 0), (0, 0));
        for (ago, count) in per_day.iter().enumerate().filter(|(ago, _)| !spike.contains(ago)) {
            let day = weekday(until - (ago as i64 + 1) * DAY_MS);
            let sum = if matches!(day, Weekday::Sat | Weekday::Sun) { &mut weekend } else { &mut working };
            *sum = (sum.0 + count, sum.1 + 1);
        }
        let average = |(sum, days): (usize, usize)| sum as f64 / days.max(1) as f64;
        assert!(average(working) > 1.6 * average(weekend), "working days {working:?}, weekends {weekend:?}");
    }
}
