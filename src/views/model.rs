//! Saved views as data, with no browser in sight: what a view holds, the rules for its
//! name, the list's operations, and the versioned form kept in `localStorage`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::filters::{SearchFilters, TextFilter};
use crate::i18n::Msg;
use crate::model::columns::{hidden_list, visible_from, Column};
use crate::time::{format_date, parse_date, DateRange, Preset};

/// How many views one console keeps.
pub const MAX_VIEWS: usize = 50;
/// The longest name, in characters, after trimming.
pub const MAX_NAME_CHARS: usize = 60;
/// The stored format's version; a list written by a later version is not overwritten.
pub const FORMAT_VERSION: u32 = 1;

/// A view's date range: a quick range is kept as such and worked out on the day the view
/// is applied ("Last 7 days" stays the last seven days); typed dates stay as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeSpec {
    Relative(Preset),
    Fixed(DateRange),
}

impl RangeSpec {
    pub fn resolve(self, today: NaiveDate) -> DateRange {
        match self {
            Self::Relative(preset) => preset.range(today),
            Self::Fixed(range) => range,
        }
    }

    /// The spec of the submitted `range`: relative when it was chosen with `preset` and
    /// still is what that preset gives `today` (a preset clicked yesterday, or dates typed
    /// since, make it fixed).
    pub fn of(range: DateRange, preset: Option<Preset>, today: NaiveDate) -> Self {
        match preset {
            Some(preset) if preset.range(today) == range => Self::Relative(preset),
            _ => Self::Fixed(range),
        }
    }
}

/// One saved view: the filters, page size and visible columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedView {
    pub name: String,
    /// Applied on load when the address names no view.
    pub default: bool,
    /// The text filters in [`TextFilter::ALL`] order, as typed.
    pub texts: [String; TextFilter::ALL.len()],
    pub range: RangeSpec,
    pub size: u32,
    pub columns: Vec<Column>,
}

impl SavedView {
    pub fn new(name: String, filters: &SearchFilters, range: RangeSpec, size: u32, columns: Vec<Column>) -> Self {
        Self { name, default: false, texts: TextFilter::ALL.map(|f| filters.text(f).to_string()), range, size, columns }
    }

    /// The filters this view searches with when today is `today`.
    pub fn filters(&self, today: NaiveDate) -> SearchFilters {
        let range = self.range.resolve(today);
        let mut filters = SearchFilters::with_range(range.start, range.end);
        for (filter, text) in TextFilter::ALL.into_iter().zip(&self.texts) {
            filters.text_mut(filter).clone_from(text);
        }
        filters
    }
}

/// Why a name cannot be used; shown next to the name field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameError {
    Empty,
    TooLong,
    Taken,
}

impl NameError {
    pub fn message(self) -> Msg {
        match self {
            Self::Empty => Msg::ViewNameRequired,
            Self::TooLong => Msg::ViewNameTooLong,
            Self::Taken => Msg::ViewNameTaken,
        }
    }
}

/// Why a change to the list was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeError {
    Name(NameError),
    /// [`MAX_VIEWS`] are kept already.
    Full,
}

impl ChangeError {
    pub fn message(self) -> Msg {
        match self {
            Self::Name(error) => error.message(),
            Self::Full => Msg::ViewsFull,
        }
    }
}

/// The saved views of one console, in the operator's order; at most one is the default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ViewList {
    views: Vec<SavedView>,
}

impl ViewList {
    pub fn views(&self) -> &[SavedView] {
        &self.views
    }

    pub fn default_view(&self) -> Option<&SavedView> {
        self.views.iter().find(|v| v.default)
    }

    /// `name` trimmed, if it is 1–60 characters and no other view (than the one at
    /// `except`) has it, letter case aside.
    pub fn check_name(&self, name: &str, except: Option<usize>) -> Result<String, NameError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(NameError::Empty);
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(NameError::TooLong);
        }
        let folded = name.to_lowercase();
        if self.views.iter().enumerate().any(|(i, v)| Some(i) != except && v.name.to_lowercase() == folded) {
            return Err(NameError::Taken);
        }
        Ok(name.to_string())
    }

    /// Adds `view` at the end under its checked name.
    pub fn add(&mut self, mut view: SavedView) -> Result<(), ChangeError> {
        view.name = self.check_name(&view.name, None).map_err(ChangeError::Name)?;
        if self.views.len() >= MAX_VIEWS {
            return Err(ChangeError::Full);
        }
        if view.default {
            self.views.iter_mut().for_each(|v| v.default = false);
        }
        self.views.push(view);
        Ok(())
    }

    pub fn rename(&mut self, index: usize, name: &str) -> Result<(), ChangeError> {
        let name = self.check_name(name, Some(index)).map_err(ChangeError::Name)?;
        if let Some(view) = self.views.get_mut(index) {
            view.name = name;
        }
        Ok(())
    }

    /// Takes the view at `index` out; [`ViewList::restore`] puts it back (Undo).
    pub fn remove(&mut self, index: usize) -> Option<SavedView> {
        (index < self.views.len()).then(|| self.views.remove(index))
    }

    /// Puts a deleted view back where it was (or at the end, if the list shrank since),
    /// unless its name was taken meanwhile or the list is full.
    pub fn restore(&mut self, index: usize, view: SavedView) -> Result<(), ChangeError> {
        self.check_name(&view.name, None).map_err(ChangeError::Name)?;
        if self.views.len() >= MAX_VIEWS {
            return Err(ChangeError::Full);
        }
        if view.default {
            self.views.iter_mut().for_each(|v| v.default = false);
        }
        self.views.insert(index.min(self.views.len()), view);
        Ok(())
    }

    /// Makes the view at `index` the default (no other is), or no longer the default.
    pub fn set_default(&mut self, index: usize, on: bool) {
        for (i, view) in self.views.iter_mut().enumerate() {
            view.default = if i == index { on } else { view.default && !on };
        }
    }

    /// Moves the view at `from` to `to` (both within the list); false if nothing moved.
    pub fn move_to(&mut self, from: usize, to: usize) -> bool {
        if from == to || from >= self.views.len() || to >= self.views.len() {
            return false;
        }
        let view = self.views.remove(from);
        self.views.insert(to, view);
        true
    }
}

/// Why the stored list could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    /// Written by a later version: kept as it is, never overwritten.
    NewerVersion(u32),
    /// Not a list of views at all (edited by hand, another program's key).
    Unreadable,
}

/// Views are read one by one (as JSON values first), so a damaged one spoils no other.
#[derive(Serialize, Deserialize)]
struct StoredList<V> {
    version: u32,
    #[serde(default = "Vec::new")]
    views: Vec<V>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredView {
    name: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    default: bool,
    /// The text filters that are set, by their URL parameter (`nick`, `tag`, …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    filters: BTreeMap<String, String>,
    range: StoredRange,
    size: u32,
    /// Hidden rather than visible columns, so a column added later shows in old views.
    #[serde(default)]
    hidden_columns: String,
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum StoredRange {
    Relative { preset: String },
    Fixed { start: String, end: String },
}

fn preset_key(preset: Preset) -> &'static str {
    match preset {
        Preset::Today => "today",
        Preset::Last7Days => "last7Days",
        Preset::Last30Days => "last30Days",
        Preset::Last90Days => "last90Days",
        Preset::ThisMonth => "thisMonth",
    }
}

impl StoredView {
    fn from_view(view: &SavedView) -> Self {
        let filters = TextFilter::ALL
            .into_iter()
            .zip(&view.texts)
            .filter(|(_, text)| !text.is_empty())
            .map(|(filter, text)| (filter.spec().param.to_string(), text.clone()))
            .collect();
        let range = match view.range {
            RangeSpec::Relative(preset) => StoredRange::Relative { preset: preset_key(preset).into() },
            RangeSpec::Fixed(range) => StoredRange::Fixed { start: format_date(range.start), end: format_date(range.end) },
        };
        Self {
            name: view.name.clone(),
            default: view.default,
            filters,
            range,
            size: view.size,
            hidden_columns: hidden_list(&view.columns),
        }
    }

    fn into_view(self) -> Option<SavedView> {
        let range = match self.range {
            StoredRange::Relative { preset } => RangeSpec::Relative(Preset::ALL.into_iter().find(|p| preset_key(*p) == preset)?),
            StoredRange::Fixed { start, end } => {
                let (start, end) = (parse_date(&start)?, parse_date(&end)?);
                RangeSpec::Fixed(DateRange { start: start.min(end), end: end.max(start) })
            }
        };
        Some(SavedView {
            name: self.name,
            default: self.default,
            texts: TextFilter::ALL.map(|filter| self.filters.get(filter.spec().param).cloned().unwrap_or_default()),
            range,
            size: self.size,
            columns: visible_from(&self.hidden_columns),
        })
    }
}

/// The stored text of `list`.
pub fn encode(list: &ViewList) -> String {
    let views = list.views.iter().map(StoredView::from_view).collect();
    serde_json::to_string(&StoredList { version: FORMAT_VERSION, views }).unwrap_or_default()
}

/// Reads a stored list. A view that cannot be read (a damaged entry) is left out; names
/// are checked again so that the list's rules hold whatever the storage held.
pub fn decode(text: &str) -> Result<ViewList, DecodeError> {
    let stored: StoredList<serde_json::Value> = serde_json::from_str(text).map_err(|_| DecodeError::Unreadable)?;
    if stored.version > FORMAT_VERSION {
        return Err(DecodeError::NewerVersion(stored.version));
    }
    let mut list = ViewList::default();
    for view in stored.views.into_iter().filter_map(|v| serde_json::from_value::<StoredView>(v).ok()?.into_view()) {
        // A duplicate or over-long name, or a 51st view, is dropped rather than failing all.
        let _ = list.add(view);
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        parse_date(text).expect("date")
    }

    fn range(start: &str, end: &str) -> DateRange {
        DateRange { start: date(start), end: date(end) }
    }

    fn view(name: &str, range: RangeSpec) -> SavedView {
        let mut filters = SearchFilters::with_range(date("2026-01-01"), date("2026-01-31"));
        filters.nick = "阿洋".into();
        filters.tag = "vip".into();
        SavedView::new(name.into(), &filters, range, 50, vec![Column::ChatId, Column::User])
    }

    fn fixed() -> RangeSpec {
        RangeSpec::Fixed(range("2026-01-01", "2026-01-31"))
    }

    #[test]
    fn relative_ranges_are_worked_out_on_the_day_fixed_ones_are_not() {
        let saved = view("Week", RangeSpec::Relative(Preset::Last7Days));
        let later = saved.filters(date("2026-03-15"));
        assert_eq!((format_date(later.start), format_date(later.end)), ("2026-03-09".into(), "2026-03-15".into()));
        assert_eq!(later.nick, "阿洋");
        assert_eq!(later.tag, "vip");
        let typed = view("January", fixed()).filters(date("2026-03-15"));
        assert_eq!((format_date(typed.start), format_date(typed.end)), ("2026-01-01".into(), "2026-01-31".into()));
    }

    #[test]
    fn a_range_is_relative_only_while_its_preset_still_gives_it() {
        let today = date("2026-03-15");
        let week = Preset::Last7Days.range(today);
        assert_eq!(RangeSpec::of(week, Some(Preset::Last7Days), today), RangeSpec::Relative(Preset::Last7Days));
        assert_eq!(RangeSpec::of(week, None, today), RangeSpec::Fixed(week), "typed dates stay absolute");
        let yesterday = date("2026-03-14");
        assert_eq!(RangeSpec::of(week, Some(Preset::Last7Days), yesterday), RangeSpec::Fixed(week), "a stale preset");
    }

    #[test]
    fn names_are_trimmed_bounded_and_unique_in_any_case() {
        let mut list = ViewList::default();
        list.add(view("  Mine  ", fixed())).expect("added");
        assert_eq!(list.views()[0].name, "Mine");
        assert_eq!(list.add(view("mINE", fixed())), Err(ChangeError::Name(NameError::Taken)));
        assert_eq!(list.add(view("   ", fixed())), Err(ChangeError::Name(NameError::Empty)));
        assert_eq!(list.add(view(&"字".repeat(61), fixed())), Err(ChangeError::Name(NameError::TooLong)));
        list.add(view(&"字".repeat(60), fixed())).expect("60 characters fit");
        assert_eq!(list.check_name(" MINE ", Some(0)), Ok("MINE".into()), "a view may keep its own name");
        assert_eq!(list.rename(1, "mine"), Err(ChangeError::Name(NameError::Taken)));
        list.rename(0, " Ours ").expect("renamed");
        assert_eq!(list.views()[0].name, "Ours");
    }

    #[test]
    fn at_most_fifty_views() {
        let mut list = ViewList::default();
        for i in 0..MAX_VIEWS {
            list.add(view(&format!("v{i}"), fixed())).expect("room");
        }
        assert_eq!(list.add(view("one more", fixed())), Err(ChangeError::Full));
        let removed = list.remove(3).expect("removed");
        assert_eq!(list.views().len(), MAX_VIEWS - 1);
        list.restore(3, removed).expect("undo");
        assert_eq!(list.views()[3].name, "v3", "back where it was");
    }

    #[test]
    fn one_default_at_most_and_reordering() {
        let mut list = ViewList::default();
        for name in ["a", "b", "c"] {
            list.add(view(name, fixed())).expect("added");
        }
        list.set_default(1, true);
        assert_eq!(list.default_view().map(|v| v.name.as_str()), Some("b"));
        list.set_default(2, true);
        assert_eq!(list.views().iter().filter(|v| v.default).count(), 1);
        assert_eq!(list.default_view().map(|v| v.name.as_str()), Some("c"));
        list.set_default(0, false);
        assert_eq!(list.default_view().map(|v| v.name.as_str()), Some("c"), "unsetting another leaves the default");
        list.set_default(2, false);
        assert_eq!(list.default_view(), None);
        assert!(list.move_to(2, 0));
        assert_eq!(list.views().iter().map(|v| v.name.as_str()).collect::<Vec<_>>(), ["c", "a", "b"]);
        assert!(!list.move_to(0, 3), "out of range");
        // A deleted default that comes back is the default again, and the only one.
        list.set_default(0, true);
        let removed = list.remove(0).expect("removed");
        list.set_default(1, true);
        list.restore(0, removed).expect("undo");
        assert_eq!(list.views().iter().filter(|v| v.default).map(|v| v.name.as_str()).collect::<Vec<_>>(), ["c"]);
    }

    #[test]
    fn stored_form_round_trips_and_is_versioned() {
        let mut list = ViewList::default();
        list.add(view("Week", RangeSpec::Relative(Preset::Last7Days))).expect("added");
        list.add(view("January", fixed())).expect("added");
        list.set_default(1, true);
        let text = encode(&list);
        assert!(text.starts_with(r#"{"version":1,"#), "{text}");
        assert!(text.contains(r#""range":{"preset":"last7Days"}"#), "{text}");
        assert!(text.contains(r#""range":{"start":"2026-01-01","end":"2026-01-31"}"#), "{text}");
        assert!(text.contains(r#""hiddenColumns":"created,address,status,title""#), "{text}");
        assert!(text.contains(r#""filters":{"nick":"阿洋","tag":"vip"}"#), "{text}");
        assert_eq!(decode(&text), Ok(list));
    }

    #[test]
    fn damaged_or_newer_lists() {
        assert_eq!(decode("not json"), Err(DecodeError::Unreadable));
        assert_eq!(decode(r#"{"views":[]}"#), Err(DecodeError::Unreadable), "no version");
        assert_eq!(decode(r#"{"version":2,"views":[{"name":"x","whatever":1}]}"#), Err(DecodeError::NewerVersion(2)));
        let text = r#"{"version":1,"views":[
            {"name":"ok","range":{"preset":"today"},"size":20},
            {"name":"bad preset","range":{"preset":"yesterday"},"size":20},
            {"name":"bad date","range":{"start":"2026-02-30","end":"2026-03-01"},"size":20},
            {"name":"OK","range":{"preset":"today"},"size":20},
            {"name":"reversed","range":{"start":"2026-03-01","end":"2026-02-01"},"size":10,"hiddenColumns":"garbage"},
            42
        ]}"#;
        let list = decode(text).expect("readable");
        let names: Vec<&str> = list.views().iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["ok", "reversed"], "damaged entries and a duplicate name are left out");
        assert_eq!(list.views()[1].range, RangeSpec::Fixed(range("2026-02-01", "2026-03-01")));
        assert_eq!(list.views()[1].columns, Column::ALL.to_vec());
    }
}
