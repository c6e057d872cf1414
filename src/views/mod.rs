//! Saved views: named sets of filters, page size and visible columns that the operator
//! applies from the "Views" menu above the table, one of which may open on load.
//!
//! The search screen knows three hooks: [`SavedViews::provide`] (and
//! [`SavedViews::apply_default_on_load`]) when it is built, [`RangeNote`] from the
//! form's quick ranges, and [`ViewsMenu`] in the table's toolbar. The rest is here: the
//! pure list and its stored form (`model.rs`), `localStorage` (`store.rs`), the menu
//! button (`menu.rs`) and the two dialogs (`dialogs.rs`).

mod dialogs;
mod menu;
pub mod model;
mod store;

use leptos::prelude::*;

use crate::ctx::Ctx;
use crate::i18n::Msg;
use crate::model::search::{History, SearchState};
use crate::model::view_state::ViewState;
use crate::time::{today_in, Preset};
pub use menu::ViewsMenu;
use model::{ChangeError, RangeSpec, SavedView, ViewList};
use store::StoreError;

/// Why a change to the saved views did not happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Change(ChangeError),
    Store(StoreError),
}

impl Refusal {
    pub fn message(self) -> Msg {
        match self {
            Self::Change(error) => error.message(),
            Self::Store(error) => error.message(),
        }
    }
}

/// The saved views of this console and what applying one needs.
#[derive(Clone, Copy)]
pub struct SavedViews {
    list: RwSignal<ViewList>,
    /// Set at load when no change may be stored (a newer version's list).
    blocked: StoredValue<Option<StoreError>>,
    /// The quick range the submitted range was chosen with, if it was.
    range_preset: RwSignal<Option<Preset>>,
    state: SearchState,
    ctx: Ctx,
}

impl SavedViews {
    /// Reads this instance's views and makes them available to the screen's components.
    pub fn provide(ctx: Ctx, state: SearchState) -> Self {
        let (list, problem) = store::load(&ctx.prefs());
        // The range on load is the default one unless the address names another.
        let preset = if state.address_names_a_view() { None } else { default_preset(state, ctx) };
        let views = Self {
            list: RwSignal::new(list),
            blocked: StoredValue::new(problem.filter(|p| *p == StoreError::NewerVersion)),
            range_preset: RwSignal::new(preset),
            state,
            ctx,
        };
        provide_context(views);
        views
    }

    pub fn list(self) -> RwSignal<ViewList> {
        self.list
    }

    pub fn blocked(self) -> Option<StoreError> {
        self.blocked.get_value()
    }

    /// Changes the list with `change` and stores it; the list on screen changes only once
    /// it is stored, so a full or missing storage loses nothing saved before.
    pub fn change(self, change: impl FnOnce(&mut ViewList) -> Result<(), ChangeError>) -> Result<(), Refusal> {
        if let Some(error) = self.blocked() {
            return Err(Refusal::Store(error));
        }
        let mut next = self.list.get_untracked();
        change(&mut next).map_err(Refusal::Change)?;
        store::save(&self.ctx.prefs(), &next).map_err(Refusal::Store)?;
        self.list.set(next);
        Ok(())
    }

    /// The submitted search as a view named `name` (checked when it is added).
    pub fn current(self, name: &str) -> SavedView {
        let view = self.state.view.get_untracked();
        let range = crate::time::DateRange { start: view.filters.start, end: view.filters.end };
        let spec = RangeSpec::of(range, self.range_preset.get_untracked(), today_in(self.ctx.zone()));
        SavedView::new(name.to_string(), &view.filters, spec, view.size, self.state.columns.get_untracked())
    }

    /// Searches with `view` (its quick range worked out for today) and shows its columns.
    pub fn apply(self, view: &SavedView) {
        self.apply_with(view, History::Push);
    }

    /// The default view, when the address names no view (a link or Back always wins).
    /// True when it was applied, and its search started.
    pub fn apply_default_on_load(self) -> bool {
        if self.state.address_names_a_view() {
            return false;
        }
        let Some(view) = self.list.with_untracked(|l| l.default_view().cloned()) else { return false };
        // Replace: the entry the page was opened with becomes the default view's.
        self.apply_with(&view, History::Replace);
        true
    }

    fn apply_with(self, view: &SavedView, history: History) {
        let defaults = self.state.defaults();
        let filters = view.filters(today_in(self.ctx.zone()));
        // A size the configuration no longer offers falls back to its default.
        let size = if defaults.page_sizes.contains(&view.size) { view.size } else { defaults.page_size };
        self.range_preset.set(match view.range {
            RangeSpec::Relative(preset) => Some(preset),
            RangeSpec::Fixed(_) => None,
        });
        self.state.columns.set(view.columns.clone());
        self.state.form_epoch.update(|e| *e += 1);
        let next = ViewState { filters, page: 1, size, chat: None };
        self.state.navigate(next, history, true);
    }
}

/// What the form tells saved views about how its range was chosen, so that a saved view
/// keeps "Last 7 days" rather than today's dates. Taken when the form is built (event
/// handlers have no context to look it up); does nothing without saved views.
#[derive(Clone, Copy)]
pub struct RangeNote(Option<SavedViews>);

impl RangeNote {
    pub fn from_context() -> Self {
        Self(use_context::<SavedViews>())
    }

    /// A quick range was clicked.
    pub fn preset(self, preset: Preset) {
        self.set(Some(preset));
    }

    /// A date was typed.
    pub fn typed(self) {
        self.set(None);
    }

    /// Reset went back to the default range, a quick range when it is one.
    pub fn reset(self) {
        if let Some(views) = self.0 {
            views.range_preset.set(default_preset(views.state, views.ctx));
        }
    }

    fn set(self, preset: Option<Preset>) {
        if let Some(views) = self.0 {
            views.range_preset.set(preset);
        }
    }
}

/// The quick range that gives the configured default range today, if one does.
fn default_preset(state: SearchState, ctx: Ctx) -> Option<Preset> {
    let today = today_in(ctx.zone());
    let range = state.defaults().range;
    Preset::ALL.into_iter().find(|p| p.range(today) == range)
}

fn use_saved_views() -> SavedViews {
    expect_context::<SavedViews>()
}
