//! The conversations the server answers from: the seed conversations plus a generated,
//! deterministic set, sorted newest first once at startup.

mod generate;
mod hostile;
pub mod rhythm;
pub mod model;
pub mod seed;
mod words;

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::clock;
use crate::options::Scenario;
pub use generate::GenerateParams;
pub use model::Chat;
pub use seed::SeedError;

/// All conversations, newest first, and an index by chat id.
#[derive(Debug)]
pub struct Dataset {
    chats: Vec<Chat>,
    by_id: HashMap<String, usize>,
    /// How many conversations [`Dataset::add_arrivals`] made: keeps their ids unique.
    arrived: u64,
}

impl Dataset {
    /// The seed conversations plus `count` generated ones created before `today` (UTC+8).
    ///
    /// Anchoring on the day rather than the instant keeps the data identical for every
    /// server started on the same day with the same seed.
    pub fn build(count: usize, seed: u64, scenario: Scenario, today: NaiveDate) -> Result<Self, SeedError> {
        let mut chats = seed::seed_chats()?;
        let params = GenerateParams {
            count,
            seed,
            hostile: scenario == Scenario::Hostile,
            until_ms: clock::day_start_ms(today),
        };
        let mut generated = generate::generate(&params, &chats);
        if scenario == Scenario::Chaos {
            crate::chaos::blank_some_ids(&mut generated, seed);
        }
        chats.extend(generated);
        let chats = newest_first(chats);
        let by_id = chats.iter().enumerate().map(|(index, chat)| (chat.id().to_owned(), index)).collect();
        Ok(Dataset { chats, by_id, arrived: 0 })
    }

    /// Every conversation, newest first.
    pub fn chats(&self) -> &[Chat] {
        &self.chats
    }

    pub fn get(&self, chat_id: &str) -> Option<&Chat> {
        self.by_id.get(chat_id).map(|&index| &self.chats[index])
    }

    /// Adds `count` new conversations created at `now_ms` (a millisecond apart, the last
    /// one newest), each like one of the newest conversations so far; returns their ids,
    /// newest first. For tests of live updates.
    pub fn add_arrivals(&mut self, count: usize, now_ms: i64) -> Vec<String> {
        let mut arrivals = Vec::with_capacity(count);
        for i in 0..count.min(self.chats.len()) {
            let id = format!("u0001new{:08x}{:016x}", self.arrived, now_ms);
            self.arrived += 1;
            let created_ms = now_ms.saturating_sub((count - 1 - i) as i64);
            arrivals.push(self.chats[i].arriving(id, created_ms));
        }
        arrivals.reverse();
        let ids: Vec<String> = arrivals.iter().map(|chat| chat.id().to_owned()).collect();
        arrivals.append(&mut self.chats);
        // Arrivals are dated now, later than anything generated: still newest first.
        self.chats = newest_first(arrivals);
        self.by_id = self.chats.iter().enumerate().map(|(index, chat)| (chat.id().to_owned(), index)).collect();
        ids
    }
}

/// Sorts by creation time, newest first (ties by id, for determinism). Sorting positions
/// and then moving each chat once is much cheaper than sorting the large chats themselves.
fn newest_first(chats: Vec<Chat>) -> Vec<Chat> {
    let mut order: Vec<usize> = (0..chats.len()).collect();
    order.sort_by(|&a, &b| chats[b].created_ms.cmp(&chats[a].created_ms).then_with(|| chats[a].id().cmp(chats[b].id())));
    let mut slots: Vec<Option<Chat>> = chats.into_iter().map(Some).collect();
    order.into_iter().filter_map(|index| slots[index].take()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};
    use std::sync::Arc;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("valid date")
    }

    const DEFAULT_SEED_FOR_TESTS: u64 = crate::options::DEFAULT_SEED;

    fn build(count: usize, seed: u64, scenario: Scenario) -> Dataset {
        Dataset::build(count, seed, scenario, day("2026-05-20")).expect("dataset builds")
    }

    fn snapshot(dataset: &Dataset) -> Vec<(serde_json::Value, serde_json::Value)> {
        dataset.chats().iter().map(|chat| (chat.row_json(), chat.info_json())).collect()
    }

    #[test]
    fn same_seed_same_data_other_seed_other_data() {
        let first = build(400, 7, Scenario::Normal);
        let again = build(400, 7, Scenario::Normal);
        let other = build(400, 8, Scenario::Normal);
        assert_eq!(snapshot(&first), snapshot(&again));
        assert_ne!(snapshot(&first), snapshot(&other));
        assert_eq!(first.chats().len(), 412);
    }

    #[test]
    fn ids_are_unique_and_indexed() {
        let dataset = build(3000, 1, Scenario::Normal);
        let ids: HashSet<&str> = dataset.chats().iter().map(Chat::id).collect();
        assert_eq!(ids.len(), dataset.chats().len());
        for chat in dataset.chats() {
            assert_eq!(dataset.get(chat.id()).map(Chat::id), Some(chat.id()));
        }
        assert!(dataset.get("u0001-none").is_none());
    }

    #[test]
    fn sorted_newest_first_and_within_range() {
        let dataset = build(3000, 1, Scenario::Normal);
        let until = clock::day_start_ms(day("2026-05-20"));
        let since = clock::day_start_ms(day("2015-01-01"));
        assert!(dataset.chats().windows(2).all(|pair| pair[0].created_ms >= pair[1].created_ms));
        assert!(dataset.chats().iter().all(|chat| (since..until).contains(&chat.created_ms)));
        let recent = dataset.chats().iter().filter(|chat| chat.created_ms >= until - 30 * 24 * 3600 * 1000).count();
        assert!(recent * 20 >= dataset.chats().len(), "at least 5% in the last 30 days, got {recent}");
    }

    #[test]
    fn generated_data_is_varied_and_linked() {
        let dataset = build(3000, 1, Scenario::Normal);
        let chats = dataset.chats();
        let users: HashSet<&str> = chats.iter().map(|chat| chat.info.user.user_id.as_str()).collect();
        assert!(users.len() > 300 && users.len() < 2000, "users are reused: {}", users.len());
        // Customers come 1 to 30 times, over at most two years (one spike of up to 30).
        assert!(chats.iter().all(|chat| (1..=30).contains(&chat.info.user.service_count)));
        assert!(chats.iter().any(|chat| chat.info.user.service_count >= 20), "some customer has many conversations");
        assert!(chats.iter().any(|chat| chat.info.user.address.len() >= 6 && chat.info.user.contacts.len() >= 5));
        assert!(chats.iter().any(|chat| chat.info.user.phone.is_none()));
        assert!(chats.iter().any(|chat| chat.info.user.icon.as_deref() == Some("")));
        assert!(chats.iter().any(|chat| chat.info.location.is_none()));
        for status in ["交谈", "结束", "排队"] {
            assert!(chats.iter().any(|chat| chat.status.row_status() == status), "{status}");
        }
        let mut linked = 0;
        for chat in chats {
            if let Some(reference) = chat.info.ref_chat_id.as_deref().filter(|id| !id.is_empty()) {
                let older = dataset.get(reference).expect("refChatId points at an existing chat");
                assert_eq!(older.info.user.user_id, chat.info.user.user_id);
                assert!(older.created_ms <= chat.created_ms);
                linked += 1;
            }
            // serviceCount is the user's number of chats.
            let count = chats.iter().filter(|other| Arc::ptr_eq(&other.info.user, &chat.info.user)).count();
            assert_eq!(chat.info.user.service_count as usize, count);
            if let Some(location) = &chat.info.location {
                assert!((18.0..54.0).contains(&location.lat) && (73.0..136.0).contains(&location.lng), "in China");
            }
        }
        assert!(linked > 1000);
    }

    #[test]
    fn customers_come_back_over_two_years_and_some_share_a_nickname() {
        let dataset = build(5000, DEFAULT_SEED_FOR_TESTS, Scenario::Normal);
        let mut spans: HashMap<&str, (i64, i64, &str)> = HashMap::new();
        for chat in dataset.chats().iter().filter(|chat| chat.id().len() > 0) {
            let user = &chat.info.user;
            let span = spans.entry(user.user_id.as_str()).or_insert((chat.created_ms, chat.created_ms, user.nick_name.as_str()));
            span.0 = span.0.min(chat.created_ms);
            span.1 = span.1.max(chat.created_ms);
        }
        let two_years = 2 * 365 * 24 * 3600 * 1000;
        assert!(spans.values().all(|(first, last, _)| last - first <= two_years), "each customer within two years");
        assert!(spans.values().any(|(first, last, _)| last - first > 400 * 24 * 3600 * 1000), "some customer over more than a year");
        let mut by_nick: HashMap<&str, HashSet<&str>> = HashMap::new();
        for (user, (_, _, nick)) in &spans {
            by_nick.entry(nick).or_default().insert(user);
        }
        let shared = by_nick.values().filter(|users| users.len() > 1).count();
        assert!(shared >= 5, "several nicknames are shared by customers with different ids: {shared}");
        let ayang = dataset.chats().iter().filter(|chat| chat.info.user.nick_name.contains("阿洋")).count();
        assert_eq!(ayang, 12, "the seed's two 阿洋 stay alone");
    }

    #[test]
    fn arrivals_are_newest_and_findable() {
        let mut dataset = build(300, 1, Scenario::Normal);
        let now = clock::day_start_ms(day("2026-05-20")) + 3_600_000;
        let ids = dataset.add_arrivals(3, now);
        assert_eq!(ids.len(), 3);
        let newest: Vec<&str> = dataset.chats().iter().take(3).map(Chat::id).collect();
        assert_eq!(newest, ids.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(dataset.chats()[0].created_ms, now);
        assert!(dataset.chats().windows(2).all(|pair| pair[0].created_ms >= pair[1].created_ms));
        for id in &ids {
            assert_eq!(dataset.get(id).map(Chat::id), Some(id.as_str()));
        }
        let more = dataset.add_arrivals(2, now + 1000);
        assert!(more.iter().all(|id| !ids.contains(id)), "ids stay unique");
        assert_eq!(dataset.chats().len(), 312 + 5);
    }

    #[test]
    fn hostile_data_carries_payloads_and_wrong_types() {
        let dataset = build(600, 1, Scenario::Hostile);
        let all: String = dataset.chats().iter().map(|chat| format!("{}{}", chat.row_json(), chat.info_json())).collect();
        // As JSON text: a newline is written as the two characters \n.
        for payload in ["<script>window.__pwned=1</script>", "javascript:window.__pwned=1", "\u{202e}", "\\n"] {
            assert!(all.contains(payload), "{payload}");
        }
        assert!(dataset.chats().iter().any(|chat| chat.retyped));
        assert!(dataset.chats().iter().any(|chat| chat.info.user.nick_name.chars().count() > hostile::LONG_TEXT_CHARS));
        // The seed conversations stay as they are.
        let seed = dataset.get("u0001d6ddfcbef27e45aeaee5bf7db6ac83b5").expect("seed chat");
        assert_eq!(seed.info.user.nick_name, "阿洋");
    }
}
