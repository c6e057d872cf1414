//! A small in-memory cache of chat info, so flipping back and forth between chats
//! costs no request. Entries expire after a minute; the oldest go first when full.

use std::collections::VecDeque;

use crate::api::ChatInfo;

const TTL_MS: f64 = 60_000.0;
const CAPACITY: usize = 50;

#[derive(Default)]
pub struct ChatCache {
    entries: VecDeque<(String, f64, ChatInfo)>,
}

impl ChatCache {
    /// The cached info for `chat_id` if it is younger than a minute at `now_ms`.
    pub fn get(&self, chat_id: &str, now_ms: f64) -> Option<ChatInfo> {
        self.entries
            .iter()
            .find(|(id, at, _)| id == chat_id && now_ms - at < TTL_MS)
            .map(|(_, _, info)| info.clone())
    }

    pub fn put(&mut self, chat_id: &str, now_ms: f64, info: ChatInfo) {
        self.entries.retain(|(id, at, _)| id != chat_id && now_ms - at < TTL_MS);
        if self.entries.len() >= CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back((chat_id.to_string(), now_ms, info));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(id: &str) -> ChatInfo {
        ChatInfo { chat_id: Some(id.into()), ..ChatInfo::default() }
    }

    #[test]
    fn entries_expire_after_a_minute() {
        let mut cache = ChatCache::default();
        cache.put("a", 1_000.0, info("a"));
        assert_eq!(cache.get("a", 60_999.0), Some(info("a")));
        assert_eq!(cache.get("a", 61_000.0), None);
        assert_eq!(cache.get("b", 1_000.0), None);
    }

    #[test]
    fn capacity_is_bounded_and_refresh_replaces() {
        let mut cache = ChatCache::default();
        for i in 0..(CAPACITY + 10) {
            cache.put(&i.to_string(), 0.0, info(&i.to_string()));
        }
        assert_eq!(cache.entries.len(), CAPACITY);
        assert_eq!(cache.get("0", 0.0), None, "oldest evicted");
        cache.put("59", 1.0, info("new"));
        assert_eq!(cache.entries.len(), CAPACITY);
        assert_eq!(cache.get("59", 1.0), Some(info("new")));
    }
}
