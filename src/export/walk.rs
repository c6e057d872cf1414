//! Which page comes next, which rows of a page are new, and when the walk is over. Pure,
//! so the bookkeeping that decides what ends up in the file is unit-tested natively; the
//! controller only fetches pages and feeds them in.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::api::{SearchPage, SearchQuery, SearchRow};
use crate::config::MAX_PAGE_SIZE;
use crate::filters::SearchFilters;


/// Pages in a row that add no new row before the walk gives up: a server that ignores
/// `pageNum` sends the same rows again and again, and without a total nothing else would
/// end the walk. One such page can be honest (many new chats arriving at the top push a
/// whole page of seen rows down), two in a row are not.
const IDLE_PAGES: u32 = 2;

/// The progress of a walk, as the panel shows it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Rows written to the file so far (duplicates not counted).
    pub written: u64,
    /// The total the last page reported; 0 before the first page. When no page reported
    /// one, the rows written so far.
    pub total: u64,
    /// A page reported the total (servers may leave it out or send a negative one).
    pub total_known: bool,
    /// (total when the export started, total now) once they differ.
    pub total_changed: Option<(u64, u64)>,
}

/// How a finished walk ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every row the server had: up to its total, or to its last page when it gave none.
    Complete,
    /// The pages ran out before the total the server reported (the smaller one, when the
    /// total changed meanwhile): fewer rows than promised.
    Short,
    /// The server kept sending rows already written ([`IDLE_PAGES`] pages in a row).
    Stalled,
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
    /// Hashes of the pages that held rows without an id: such rows cannot be told apart
    /// one by one, but a page sent again whole can.
    pages_seen: HashSet<u64>,
    first_total: Option<u64>,
    /// The largest page the server has sent: its real page size as far as it can be
    /// known. A server may cap the size below what was asked without saying so (or while
    /// echoing the size asked), and then counts `pageNum` in its own size.
    page_size: u64,
    /// Pages in a row that added no new row.
    idle: u32,
    progress: Progress,
    outcome: Option<Outcome>,
}

impl Walk {
    pub fn new(filters: SearchFilters) -> Self {
        Self {
            // Pages as large as the server gives: the fewest requests for a given total.
            query: SearchQuery { filters, page: 1, size: MAX_PAGE_SIZE },
            seen: HashSet::new(),
            pages_seen: HashSet::new(),
            first_total: None,
            page_size: 0,
            idle: 0,
            progress: Progress::default(),
            outcome: None,
        }
    }

    pub fn query(&self) -> &SearchQuery {
        &self.query
    }

    pub fn progress(&self) -> Progress {
        self.progress
    }

    pub fn done(&self) -> bool {
        self.outcome.is_some()
    }

    /// How the walk ended; `None` while it goes on.
    pub fn outcome(&self) -> Option<Outcome> {
        self.outcome
    }

    /// Takes in the answer to [`Walk::query`]: returns the rows not written before (rows
    /// without a chat id cannot be told apart, so they are all kept, unless their whole
    /// page is one sent before) and moves on to the next page, or ends the walk.
    pub fn take<'a>(&mut self, page: &'a SearchPage) -> Vec<&'a SearchRow> {
        let anonymous = page.rows.iter().any(|row| row_id(row).is_none());
        let repeated_page = anonymous && !self.pages_seen.insert(page_hash(&page.rows));
        let fresh: Vec<&SearchRow> = if repeated_page {
            Vec::new()
        } else {
            page.rows.iter().filter(|row| row_id(row).is_none_or(|id| self.seen.insert(id_hash(id)))).collect()
        };
        self.progress.written += fresh.len() as u64;

        let info = page.page.as_ref();
        let reported_total = info.and_then(|p| p.total).and_then(|n| u64::try_from(n).ok());
        match reported_total {
            Some(total) => {
                let first = *self.first_total.get_or_insert(total);
                self.progress.total = total;
                self.progress.total_known = true;
                if first != total {
                    self.progress.total_changed = Some((first, total));
                }
            }
            // Nothing to compare against: the total is what has come so far.
            None => self.progress.total = self.progress.written,
        }

        // The position is computed in the server's page size as far as it has shown it
        // (an underestimate costs at most one more request; an overestimate would skip
        // rows). The walk ends at an empty page or once the position reaches the total,
        // not on a short page alone (rows that fail to decode are dropped from a page);
        // only a server that reports no total ends it with a page shorter than its largest.
        let rows = page.rows.len() as u64;
        self.page_size = self.page_size.max(rows);
        let reached = u64::from(self.query.page - 1) * self.page_size + rows;
        self.idle = if fresh.is_empty() && rows > 0 { self.idle + 1 } else { 0 };
        let over = rows == 0
            || match reported_total {
                Some(total) => reached >= total,
                None => rows < self.page_size,
            };
        self.outcome = if self.idle >= IDLE_PAGES {
            Some(Outcome::Stalled)
        } else if over {
            Some(self.ending())
        } else {
            None
        };
        self.query.page += 1;
        fresh
    }

    /// Complete, or Short when fewer rows came than the server's total (the smaller of
    /// the first and the last, so that a total that grew or shrank meanwhile, which the
    /// panel tells apart, does not count as missing rows).
    fn ending(&self) -> Outcome {
        match self.first_total {
            Some(first) if self.progress.written < first.min(self.progress.total) => Outcome::Short,
            _ => Outcome::Complete,
        }
    }
}

/// The chat id that tells a row apart: an empty or blank id is no id.
fn row_id(row: &SearchRow) -> Option<&str> {
    row.chat_id.as_deref().map(str::trim).filter(|id| !id.is_empty())
}

fn id_hash(id: &str) -> u64 {
    // `DefaultHasher::new()` uses fixed keys: the same id always gives the same hash.
    let mut hasher = DefaultHasher::new();
    id.hash(&mut hasher);
    hasher.finish()
}

/// A hash of everything the rows hold (their `Debug` text, streamed into the hasher
/// without a copy), so a page sent again is known without keeping it.
fn page_hash(rows: &[SearchRow]) -> u64 {
    struct Feed<'a>(&'a mut DefaultHasher);
    impl std::fmt::Write for Feed<'_> {
        fn write_str(&mut self, text: &str) -> std::fmt::Result {
            self.0.write(text.as_bytes());
            Ok(())
        }
    }
    let mut hasher = DefaultHasher::new();
    // Writing into a hasher cannot fail.
    let _ = write!(Feed(&mut hasher), "{rows:?}");
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
        assert_eq!(walk.outcome(), Some(Outcome::Complete));
        assert_eq!(walk.progress(), Progress { written: 1_200, total: 1_200, total_known: true, total_changed: None });
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
        assert_eq!(walk.outcome(), Some(Outcome::Complete));
        assert_eq!(walk.progress(), Progress { total_known: true, ..Progress::default() });
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
        assert_eq!(walk.outcome(), Some(Outcome::Complete), "every row there was at the start");
        assert_eq!(walk.progress(), Progress { written: 1_000, total: 1_003, total_known: true, total_changed: Some((1_000, 1_003)) });
    }

    #[test]
    fn a_shrinking_total_ends_the_walk_early_and_is_told() {
        let mut walk = Walk::new(filters());
        walk.take(&page(0..500, 1_200, Some(500)));
        walk.take(&page(500..900, 900, Some(500)));
        assert_eq!(walk.outcome(), Some(Outcome::Complete));
        assert_eq!(walk.progress().total_changed, Some((1_200, 900)));
    }

    #[test]
    fn rows_without_an_id_are_all_kept() {
        let mut walk = Walk::new(filters());
        let anonymous = SearchPage {
            rows: vec![SearchRow::default(), SearchRow::default(), row(1), row(1)],
            page: Some(PageInfo { total: Some(4), ..PageInfo::default() }),
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
        let bare = |ids: std::ops::Range<u32>| SearchPage { rows: ids.map(row).collect(), page: None };
        let mut walk = Walk::new(filters());
        walk.take(&bare(0..500));
        assert!(!walk.done(), "a full page: there may be more");
        walk.take(&bare(500..700));
        assert_eq!(walk.outcome(), Some(Outcome::Complete));
        assert_eq!(walk.progress(), Progress { written: 700, total: 700, total_known: false, total_changed: None });
        let mut walk = Walk::new(filters());
        walk.take(&bare(0..0));
        assert!(walk.done());
    }

    /// Feeds `walk` the page `serve` gives for each page number it asks for, for at most
    /// `limit` pages (a walk that never ends fails the test instead of hanging it), and
    /// returns the number of pages taken.
    fn run(walk: &mut Walk, limit: u32, mut serve: impl FnMut(u32) -> SearchPage) -> u32 {
        let mut pages = 0;
        while !walk.done() {
            assert!(pages < limit, "still walking after {limit} pages: {:?}", walk.progress());
            walk.take(&serve(walk.query().page));
            pages += 1;
        }
        pages
    }

    #[test]
    fn a_server_repeating_the_same_page_cannot_loop_forever() {
        let mut walk = Walk::new(filters());
        let pages = run(&mut walk, 10, |_| page(0..500, 2_000, Some(500)));
        assert_eq!(pages, 3, "the first page, then two that add nothing");
        assert_eq!(walk.outcome(), Some(Outcome::Stalled));
        assert_eq!(walk.progress().written, 500);
    }

    #[test]
    fn a_server_without_a_total_sending_full_pages_whatever_the_page_number_is_stopped() {
        for total in [None, Some(-1)] {
            let mut walk = Walk::new(filters());
            let pages = run(&mut walk, 10, |_| SearchPage {
                rows: (0..500).map(row).collect(),
                page: total.map(|total| PageInfo { total: Some(total), ..PageInfo::default() }),
                });
            assert_eq!(pages, 3, "total {total:?}");
            assert_eq!(walk.outcome(), Some(Outcome::Stalled));
            assert_eq!(walk.progress(), Progress { written: 500, total: 500, total_known: false, total_changed: None });
        }
    }

    #[test]
    fn a_repeated_page_of_rows_without_ids_is_stopped_too() {
        let mut walk = Walk::new(filters());
        let pages = run(&mut walk, 10, |_| SearchPage { rows: vec![SearchRow::default(); 500], page: None });
        assert_eq!(pages, 3);
        assert_eq!(walk.outcome(), Some(Outcome::Stalled));
        assert_eq!(walk.progress().written, 500, "the first page's rows are all kept, its repeats are not");
    }

    #[test]
    fn one_page_of_seen_rows_is_not_yet_a_stall() {
        // 500 new chats at the top push page 2 onto page 1's rows; page 3 goes on.
        let mut walk = Walk::new(filters());
        walk.take(&page(0..500, 1_000, Some(500)));
        assert!(walk.take(&page(0..500, 1_500, Some(500))).is_empty());
        assert!(!walk.done());
        assert_eq!(walk.take(&page(500..1_000, 1_500, Some(500))).len(), 500);
        assert_eq!(walk.outcome(), Some(Outcome::Complete));
    }

    #[test]
    fn empty_and_blank_ids_are_no_ids() {
        let mut walk = Walk::new(filters());
        let with_id = |id: &str| SearchRow { chat_id: Some(id.into()), title: Some(format!("row {id:?}")), ..SearchRow::default() };
        let anonymous = SearchPage {
            rows: vec![with_id(""), with_id(""), with_id("  "), SearchRow::default(), row(1), row(1)],
            page: Some(PageInfo { total: Some(5), ..PageInfo::default() }),
        };
        assert_eq!(walk.take(&anonymous).len(), 5, "every row without a usable id is kept, c1 once");
        assert_eq!(walk.outcome(), Some(Outcome::Complete));
    }

    #[test]
    fn fewer_rows_than_the_total_is_short() {
        let mut walk = Walk::new(filters());
        walk.take(&page(0..500, 778, Some(500)));
        assert!(!walk.done());
        walk.take(&page([], 778, Some(500)));
        assert_eq!(walk.outcome(), Some(Outcome::Short));
        assert_eq!(walk.progress(), Progress { written: 500, total: 778, total_known: true, total_changed: None });
        // A short last page ends the walk too, still short.
        let mut walk = Walk::new(filters());
        walk.take(&page(0..500, 1_200, Some(500)));
        walk.take(&page(500..1_000, 1_200, Some(500)));
        walk.take(&page(1_000..1_150, 1_200, Some(500)));
        assert!(!walk.done(), "a short page is not the end while the total says more");
        walk.take(&page([], 1_200, Some(500)));
        assert_eq!(walk.outcome(), Some(Outcome::Short));
    }

    #[test]
    fn a_server_capping_the_page_size_silently_is_walked_to_the_end() {
        // Pages of 100 for pageSize 500, the size asked echoed back or left out, counted
        // in pages of 100: with a total, and without one.
        for (total, echoed) in [(Some(1_000), Some(500)), (Some(1_000), None), (None, Some(500)), (None, None)] {
            let mut walk = Walk::new(filters());
            let pages = run(&mut walk, 20, |n| {
                let first = (n - 1) * 100;
                SearchPage {
                    rows: (first..(first + 100).min(1_000)).map(row).collect(),
                    page: Some(PageInfo { total, page_size: echoed, ..PageInfo::default() }),
                        }
            });
            assert_eq!(walk.progress().written, 1_000, "total {total:?}, pageSize {echoed:?}");
            assert_eq!(walk.outcome(), Some(Outcome::Complete));
            assert!(pages <= 11, "{pages} pages");
        }
    }
}
