//! The bar above the table while rows are selected: "N selected", Copy IDs (one chat id
//! per line), Export selected (the kept rows, in Export CSV's format and columns, with no
//! request) and Clear selection; and the note that a new search dropped a selection.

use leptos::prelude::*;

use crate::ctx::use_ctx;
use crate::export::use_export;
use crate::i18n::{selected_count, Msg};
use crate::model::search::use_search;
use crate::ui::lazy::split_view;
use crate::ui::{CopyButton, Lazy};

/// In the split build's `after_results` chunk, loaded once the first results are there.
#[component]
pub fn SelectionBar() -> impl IntoView {
    let when = use_search().first_results_settled();
    view! { <Lazy when load=selection_bar /> }
}

split_view! {
    after_results, fn selection_bar() {
        view! { <Bar /> }.into_any()
    }
}

#[component]
fn Bar() -> impl IntoView {
    let ctx = use_ctx();
    let state = use_search();
    let export = use_export();
    let count = Memo::new(move |_| state.selection.with(|s| s.len()));
    let picked = move || count.get() > 0;
    let failed = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        count.track();
        failed.set(None);
    });
    let export_selected = move |_| {
        let filters = state.view.with_untracked(|v| v.filters.clone());
        let columns = state.columns.get_untracked();
        let saved = state.selection.with_untracked(|s| export.save_rows(&filters, &columns, s.rows()));
        failed.set(saved.err().map(|error| error.message(ctx.locale())));
    };
    let clear = move |ev: web_sys::MouseEvent| {
        state.clear_selection();
        // The buttons go with the selection: focus goes back to the table, where the
        // selecting happened.
        let root = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok()).and_then(|e| e.closest(".opc-search").ok().flatten());
        if let Some(row) = root.and_then(|r| r.query_selector("tr.opc-row[tabindex='0']").ok().flatten()) {
            crate::keys::focus(&row);
        }
    };
    view! {
        <div class="opc-selection" class:opc-selection--on=move || picked() || state.selection_dropped.get()>
            // Live regions stay in the page so that their changes are announced.
            <span class="opc-selection__count" role="status">{move || picked().then(|| selected_count(ctx.locale(), count.get()))}</span>
            <Show when=picked>
                <CopyButton text=Signal::derive(move || state.selection.with(|s| s.id_lines())) what=Msg::Ids with_text=true />
                <button type="button" class="opc-button" on:click=export_selected>{move || ctx.t(Msg::ExportSelected)}</button>
                <button type="button" class="opc-button opc-button--ghost" on:click=clear>{move || ctx.t(Msg::ClearSelection)}</button>
            </Show>
            <span class="opc-selection__note" role="status">
                {move || state.selection_dropped.get().then(|| ctx.t(Msg::SelectionDropped))}
                {move || failed.get()}
            </span>
        </div>
    }
}
