//! Row selection: the conversations the operator picked, by chat id, each with the row's
//! data as it was when picked, so that Copy IDs and Export selected need no request.
//! Positions are the current page's; the ids outlive the page, so a selection survives
//! page flips and page-size changes, and is dropped when the search itself changes.

use std::collections::HashSet;

use crate::api::SearchRow;
use crate::filters::SearchFilters;

/// How much of a page is selected: the header checkbox's three states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageChoice {
    None,
    Some,
    All,
}

#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// The picked rows, in the order they were picked.
    rows: Vec<SearchRow>,
    ids: HashSet<String>,
    /// The chat id a Shift+click range starts from: the last row toggled.
    anchor: Option<String>,
}

/// A row's chat id when it has one: a row without one cannot be selected (nothing would
/// find it again).
fn id_of(row: &SearchRow) -> Option<&str> {
    row.chat_id.as_deref().filter(|id| !id.is_empty())
}

impl Selection {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn contains(&self, chat_id: &str) -> bool {
        self.ids.contains(chat_id)
    }

    /// Whether the row is selected (a row without a chat id never is).
    pub fn has(&self, row: &SearchRow) -> bool {
        id_of(row).is_some_and(|id| self.contains(id))
    }

    /// The picked rows, as they were when picked, in that order.
    pub fn rows(&self) -> &[SearchRow] {
        &self.rows
    }

    /// The chat ids, one per line (Copy IDs).
    pub fn id_lines(&self) -> String {
        self.rows.iter().filter_map(id_of).collect::<Vec<_>>().join("\n")
    }

    fn set(&mut self, row: &SearchRow, on: bool) {
        let Some(id) = id_of(row) else { return };
        if on {
            if self.ids.insert(id.to_string()) {
                self.rows.push(row.clone());
            }
        } else if self.ids.remove(id) {
            self.rows.retain(|r| id_of(r) != Some(id));
        }
    }

    /// Space or a click on row `index` of `page`: flips it, and it becomes the anchor of
    /// the next Shift+click.
    pub fn toggle(&mut self, page: &[SearchRow], index: usize) {
        let Some(row) = page.get(index) else { return };
        let on = !self.has(row);
        self.set(row, on);
        self.anchor = id_of(row).map(str::to_string);
    }

    /// Shift+click on row `index`: every row from the anchor to it takes the state the
    /// clicked row is given (selected unless it was). Without an anchor on this page, a
    /// plain toggle.
    pub fn extend_to(&mut self, page: &[SearchRow], index: usize) {
        let anchor = self.anchor.as_deref().and_then(|anchor| page.iter().position(|r| id_of(r) == Some(anchor)));
        let (Some(anchor), Some(row)) = (anchor, page.get(index)) else {
            return self.toggle(page, index);
        };
        let on = !self.has(row);
        for row in &page[anchor.min(index)..=anchor.max(index)] {
            self.set(row, on);
        }
        self.anchor = id_of(row).map(str::to_string);
    }

    /// Select all on this page (`on`), or none of it.
    pub fn set_page(&mut self, page: &[SearchRow], on: bool) {
        if on {
            page.iter().for_each(|row| self.set(row, true));
        } else {
            // One pass over the picked rows, not one per row of the page.
            let before = self.ids.len();
            for id in page.iter().filter_map(id_of) {
                self.ids.remove(id);
            }
            if self.ids.len() != before {
                let ids = &self.ids;
                self.rows.retain(|r| id_of(r).is_some_and(|id| ids.contains(id)));
            }
        }
    }

    /// How much of `page` is selected (rows without a chat id do not count).
    pub fn page_choice(&self, page: &[SearchRow]) -> PageChoice {
        let (mut picked, mut selectable) = (0, 0);
        for id in page.iter().filter_map(id_of) {
            selectable += 1;
            picked += usize::from(self.contains(id));
        }
        match picked {
            0 => PageChoice::None,
            n if n == selectable => PageChoice::All,
            _ => PageChoice::Some,
        }
    }

    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// The view moves from the search `previous` to `next`: another search drops the
    /// selection (its rows may not be among the new results); a page or page-size change
    /// keeps it. True when something was dropped, which the operator is told.
    pub fn follow(&mut self, previous: &SearchFilters, next: &SearchFilters) -> bool {
        if previous.same_search(next) || self.is_empty() {
            return false;
        }
        self.clear();
        true
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn rows(ids: std::ops::Range<usize>) -> Vec<SearchRow> {
        ids.map(|i| SearchRow { chat_id: Some(format!("c{i}")), title: Some(format!("title {i}")), ..SearchRow::default() }).collect()
    }

    fn ids(selection: &Selection) -> Vec<String> {
        selection.rows().iter().filter_map(|r| r.chat_id.clone()).collect()
    }

    #[test]
    fn toggles_and_shift_ranges() {
        let page = rows(0..10);
        let mut selection = Selection::default();
        selection.toggle(&page, 2);
        selection.extend_to(&page, 5);
        assert_eq!(ids(&selection), ["c2", "c3", "c4", "c5"]);
        // Backwards from the new anchor (c5), over selected rows: they are unselected.
        selection.extend_to(&page, 4);
        assert_eq!(ids(&selection), ["c2", "c3"], "the clicked row was selected: the range is cleared");
        selection.extend_to(&page, 0);
        assert_eq!(ids(&selection), ["c2", "c3", "c0", "c1", "c4"], "anchor c4 to c0, all selected");
        selection.toggle(&page, 3);
        assert_eq!(ids(&selection), ["c2", "c0", "c1", "c4"]);
        assert_eq!(selection.id_lines(), "c2\nc0\nc1\nc4");
    }

    #[test]
    fn a_range_without_an_anchor_on_the_page_is_a_toggle() {
        let mut selection = Selection::default();
        selection.toggle(&rows(0..10), 1);
        selection.extend_to(&rows(10..20), 5);
        assert_eq!(ids(&selection), ["c1", "c15"]);
    }

    #[test]
    fn the_header_checkbox_has_three_states() {
        let page = rows(0..4);
        let mut selection = Selection::default();
        assert_eq!(selection.page_choice(&page), PageChoice::None);
        selection.toggle(&page, 0);
        assert_eq!(selection.page_choice(&page), PageChoice::Some);
        selection.set_page(&page, true);
        assert_eq!(selection.page_choice(&page), PageChoice::All);
        assert_eq!(selection.len(), 4, "the row already selected is not picked twice");
        selection.set_page(&page, false);
        assert_eq!(selection.page_choice(&page), PageChoice::None);
        assert!(selection.is_empty());
        let mut odd = page.clone();
        odd.push(SearchRow::default());
        selection.set_page(&odd, true);
        assert_eq!(selection.page_choice(&odd), PageChoice::All, "a row without a chat id cannot be selected and does not count");
        assert_eq!(selection.len(), 4);
    }

    #[test]
    fn selection_survives_pages_and_page_sizes() {
        let mut selection = Selection::default();
        // Page 1 at 20 rows, then page 2: both pages' picks stay.
        selection.toggle(&rows(0..20), 19);
        selection.toggle(&rows(20..40), 0);
        // At 50 rows a page, the same conversations are shown as selected.
        let bigger = rows(0..50);
        assert!(selection.has(&bigger[19]) && selection.has(&bigger[20]) && !selection.has(&bigger[21]));
        assert_eq!(selection.page_choice(&bigger), PageChoice::Some);
        // The data kept is the row as it was picked.
        assert_eq!(selection.rows()[0].title.as_deref(), Some("title 19"));
    }

    #[test]
    fn a_new_search_clears_it() {
        let day = |d| NaiveDate::from_ymd_opt(2015, 1, d).expect("date");
        let search = SearchFilters::with_range(day(1), day(31));
        let mut selection = Selection::default();
        selection.toggle(&rows(0..3), 0);
        let mut padded = search.clone();
        padded.nick = "  ".into();
        assert!(!selection.follow(&search, &padded), "the same search (blank filters are not sent)");
        assert_eq!(selection.len(), 1);
        let mut other = search.clone();
        other.nick = "阿洋".into();
        assert!(selection.follow(&search, &other), "another search drops it, and says so");
        assert!(selection.is_empty());
        assert!(!selection.follow(&other, &search), "nothing to drop, nothing to say");
    }
}
