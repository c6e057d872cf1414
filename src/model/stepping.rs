//! The drawer's Previous/Next (`k`/`j`) through the results: within the page at hand,
//! and across pages, where the first or last row of the neighbouring page opens once it
//! has arrived. Steps replace the history entry, page crossings included (DESIGN §6
//! History).

use leptos::prelude::*;

use super::search::{History, SearchState};
use super::view_state::ViewState;

/// Which row to open once a neighbouring page has arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    First,
    Last,
}

/// Stepping through the results from the open chat; one per drawer.
#[derive(Clone, Copy)]
pub struct Stepper {
    state: SearchState,
    /// A page crossing waiting for its page. While it fails, the crossing stays pending:
    /// the drawer keeps its chat and shows the page's error with Retry (the rows at hand
    /// are the old page's, so no further step is taken meanwhile).
    pending_edge: RwSignal<Option<Edge>>,
}

impl Stepper {
    /// A stepper over `state`'s results, which opens the first or last row of a page
    /// that a crossing asked for once it has arrived.
    pub fn new(state: SearchState) -> Self {
        let stepper = Self { state, pending_edge: RwSignal::new(None) };
        Effect::new(move |_| {
            let arrived = state.result.with(Option::is_some) && !state.loading.get() && state.error.with(Option::is_none);
            if let (true, Some(edge)) = (arrived, stepper.pending_edge.get_untracked()) {
                stepper.pending_edge.set(None);
                let ids = state.chat_ids();
                let target = if edge == Edge::First { ids.first() } else { ids.last() };
                if let Some(id) = target {
                    state.step_to_chat(id.clone());
                }
            }
        });
        stepper
    }

    /// The drawer closed: a crossing still pending is dropped.
    pub fn cancel(self) {
        self.pending_edge.set(None);
    }

    /// Steps to the next (`forward`) or previous chat, crossing to the neighbouring page
    /// at either end of this one. False when there was nothing to step from: no chat
    /// open, or a crossing still pending.
    pub fn step(self, forward: bool) -> bool {
        let state = self.state;
        let Some(current) = state.view.with_untracked(|v| v.chat.clone()) else { return false };
        if self.pending_edge.get_untracked().is_some() {
            return false;
        }
        let ids = state.chat_ids();
        match ids.iter().position(|id| *id == current) {
            Some(i) if forward && i + 1 < ids.len() => state.step_to_chat(ids[i + 1].clone()),
            Some(i) if !forward && i > 0 => state.step_to_chat(ids[i - 1].clone()),
            Some(_) => {
                let view = state.view.get_untracked();
                let next_page = if forward { state.has_next_page().then(|| view.page + 1) } else { view.page.checked_sub(1).filter(|p| *p >= 1) };
                if let Some(page) = next_page {
                    self.pending_edge.set(Some(if forward { Edge::First } else { Edge::Last }));
                    state.navigate(ViewState { page, ..view }, History::Replace, false);
                }
            }
            None => {}
        }
        true
    }

    /// Whether [`Stepper::step`] in that direction would go anywhere (tracked).
    pub fn can_step(self, forward: bool) -> bool {
        let state = self.state;
        let Some(current) = state.view.with(|v| v.chat.clone()) else { return false };
        if self.pending_edge.with(Option::is_some) {
            return false;
        }
        state.result.track();
        let ids = state.chat_ids();
        let page = state.view.with(|v| v.page);
        match ids.iter().position(|id| *id == current) {
            Some(i) if forward => i + 1 < ids.len() || state.has_next_page(),
            Some(i) => i > 0 || page > 1,
            None => false,
        }
    }
}
