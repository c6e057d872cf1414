//! Which page comes next, which rows of a page are new, and when the walk is over. Pure,
//! so the bookkeeping that decides what ends up in the file is unit-tested natively; the
//! controller only fetches pages and feeds them in.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::api::{SearchFilters, SearchPage, SearchQuery, SearchRow};

/// The server's page-size cap: the fewest requests for a given total.
pub const PAGE_SIZE: u32 = 500;

/// The progress of a walk, as the panel shows it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Rows written to the file so far (duplicates not counted).
    pub written: u64,
    /// The total the last page reported; 0 before the first page.
    pub total: u64,
    /// (total when the export started, total now) once they differ.
    pub total_changed: Option<(u64, u64)>,
}

#[derive(Debug)]
pub struct Walk {
    /// The page to fetch next.
    query: SearchQuery,
    /// Hashes of the chat ids written so far. New chats arriving during the export shift
    /// rows across page boundaries, and a row must not appear twice. 8 bytes per row
    /// instead of the id's ~40 keeps 100,000 rows well under the file's size; two ids
    /// colliding in 64 bits is out of reach at these counts.
    seen: HashSet<u64>,
    first_total: Option<u64>,
    progress: Progress,
    done: bool,
}

impl Walk {
    pub fn new(filters: SearchFilters) -> Self {
        Self {
            query: SearchQuery { filters, page: 1, size: PAGE_SIZE },
            seen: HashSet::new(),
            first_total: None,
            progress: Progress::default(),
            done: false,
        }
    }

    pub fn query(&self) -> &SearchQuery {
        &self.query
    }

    pub fn progress(&self) -> Progress {
        self.progress
    }

    pub fn done(&self) -> bool {
        self.done
    }

    /// Takes in the answer to [`Walk::query`]: returns the rows not written before (rows
    /// without a chat id cannot be told apart, so they are all kept) and moves on to the
    /// next page, or ends the walk.
    pub fn take<'a>(&mut self, page: &'a SearchPage) -> Vec<&'a SearchRow> {
        let fresh: Vec<&SearchRow> =
            page.rows.iter().filter(|row| row.chat_id.as_deref().is_none_or(|id| self.seen.insert(id_hash(id)))).collect();
        self.progress.written += fresh.len() as u64;

        let info = page.page.as_ref();
        let positive = |n: Option<i64>| n.and_then(|n| u64::try_from(n).ok());
        let reported_total = positive(info.and_then(|p| p.total));
        match reported_total {
            Some(total) => {
                let first = *self.first_total.get_or_insert(total);
                self.progress.total = total;
                if first != total {
                    self.progress.total_changed = Some((first, total));
                }
            }
            // Nothing to compare against: the total is what has come so far.
            None => self.progress.total = self.progress.written,
        }

        // A server may cap the page size below what was asked; it says so in `pageSize`,
        // and the next page number then counts in its size, so the position is computed
        // with it. The walk ends at an empty page or once the position reaches the total,
        // not on a short page alone (rows that fail to decode are dropped from a page);
        // only a server that reports no total ends it with a short page.
        let size = positive(info.and_then(|p| p.page_size)).filter(|s| *s > 0).unwrap_or(u64::from(self.query.size));
        let reached = u64::from(self.query.page - 1) * size + page.rows.len() as u64;
        self.done = page.rows.is_empty()
            || match reported_total {
                Some(total) => reached >= total,
                None => (page.rows.len() as u64) < size,
            };
        self.query.page += 1;
        fresh
    }
}

fn id_hash(id: &str) -> u64 {
    // `DefaultHasher::new()` uses fixed keys: the same id always gives the same hash.
    let mut hasher = DefaultHasher::new();
    id.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::models::PageInfo;
    use crate::time::parse_date;

    fn filters() -> SearchFilters {
        SearchFilters::with_range(parse_date("2015-01-01").expect("date"), parse_date("2015-12-31").expect("date"))
    }

    fn row(id: u32) -> SearchRow {
        SearchRow { chat_id: Some(format!("c{id}")), ..SearchRow::default() }
    }

    /// A page of the ids `ids`, reporting `total` and `page_size`.
    fn page(ids: impl IntoIterator<Item = u32>, total: i64, page_size: Option<i64>) -> SearchPage {
        SearchPage {
            rows: ids.into_iter().map(row).collect(),
            page: Some(PageInfo { total: Some(total), page_size, ..PageInfo::default() }),
            foot: None,
        }
    }

    fn ids(rows: &[&SearchRow]) -> Vec<String> {
        rows.iter().filter_map(|r| r.chat_id.clone()).collect()
    }

    #[test]
    fn walks_pages_of_500_until_the_total() {
        let mut walk = Walk::new(filters());
        assert_eq!((walk.query().page, walk.query().size), (1, 500));
        assert_eq!(walk.query().filters, filters());
        assert_eq!(walk.take(&page(0..500, 1_200, Some(500))).len(), 500);
        assert!(!walk.done());
        assert_eq!(walk.query().page, 2);
        assert_eq!(walk.take(&page(500..1_000, 1_200, Some(500))).len(), 500);
        assert!(!walk.done());
        assert_eq!(walk.take(&page(1_000..1_200, 1_200, Some(500))).len(), 200);
        assert!(walk.done());
        assert_eq!(walk.progress(), Progress { written: 1_200, total: 1_200, total_changed: None });
    }

    #[test]
    fn an_exact_multiple_of_the_page_size_needs_no_empty_page() {
        let mut walk = Walk::new(filters());
        walk.take(&page(0..500, 1_000, Some(500)));
        walk.take(&page(500..1_000, 1_000, Some(500)));
        assert!(walk.done());
    }

    #[test]
    fn no_results_is_a_header_only_file() {
        let mut walk = Walk::new(filters());
        assert!(walk.take(&page([], 0, Some(500))).is_empty());
        assert!(walk.done());
        assert_eq!(walk.progress(), Progress::default());
    }

    #[test]
    fn duplicates_across_page_boundaries_are_dropped_and_the_change_told() {
        let mut walk = Walk::new(filters());
        // Newest first: rows c0..c499 of 1,000. Then 3 new chats arrive at the top, so
        // page 2 now starts 3 rows earlier, with the last 3 rows of page 1 again.
        walk.take(&page(0..500, 1_000, Some(500)));
        let second = page(497..997, 1_003, Some(500));
        let fresh = walk.take(&second);
        assert_eq!(fresh.len(), 497, "the 3 repeated rows are dropped");
        assert_eq!(ids(&fresh)[0], "c500");
        assert!(!walk.done(), "1,003 rows now: one more page");
        let last = page(997..1_000, 1_003, Some(500));
        assert_eq!(ids(&walk.take(&last)), ["c997", "c998", "c999"]);
        assert!(walk.done());
        assert_eq!(walk.progress(), Progress { written: 1_000, total: 1_003, total_changed: Some((1_000, 1_003)) });
    }

    #[test]
    fn a_shrinking_total_ends_the_walk_early_and_is_told() {
        let mut walk = Walk::new(filters());
        walk.take(&page(0..500, 1_200, Some(500)));
        walk.take(&page(500..900, 900, Some(500)));
        assert!(walk.done());
        assert_eq!(walk.progress().total_changed, Some((1_200, 900)));
    }

    #[test]
    fn rows_without_an_id_are_all_kept() {
        let mut walk = Walk::new(filters());
        let anonymous = SearchPage {
            rows: vec![SearchRow::default(), SearchRow::default(), row(1), row(1)],
            page: Some(PageInfo { total: Some(4), ..PageInfo::default() }),
            foot: None,
        };
        assert_eq!(walk.take(&anonymous).len(), 3);
    }

    #[test]
    fn a_server_capping_the_page_size_is_walked_in_its_size() {
        let mut walk = Walk::new(filters());
        walk.take(&page(0..100, 250, Some(100)));
        assert!(!walk.done(), "a short page is not the end when the total says more");
        walk.take(&page(100..200, 250, Some(100)));
        assert!(!walk.done());
        walk.take(&page(200..250, 250, Some(100)));
        assert!(walk.done());
        assert_eq!(walk.progress().written, 250);
    }

    #[test]
    fn without_a_total_the_walk_goes_on_to_a_short_page() {
        let bare = |ids: std::ops::Range<u32>| SearchPage { rows: ids.map(row).collect(), page: None, foot: None };
        let mut walk = Walk::new(filters());
        walk.take(&bare(0..500));
        assert!(!walk.done(), "a full page: there may be more");
        walk.take(&bare(500..700));
        assert!(walk.done());
        assert_eq!(walk.progress(), Progress { written: 700, total: 700, total_changed: None });
        let mut walk = Walk::new(filters());
        walk.take(&bare(0..0));
        assert!(walk.done());
    }

    #[test]
    fn a_server_repeating_the_same_page_cannot_loop_forever() {
        let mut walk = Walk::new(filters());
        let mut pages = 0;
        while !walk.done() {
            walk.take(&page(0..500, 2_000, Some(500)));
            pages += 1;
        }
        assert_eq!(pages, 4);
        assert_eq!(walk.progress().written, 500);
    }
}
