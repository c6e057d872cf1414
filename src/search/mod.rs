//! The search screen: filter form, selection bar, results table, pager, and the chat
//! drawer over them.
//! Their shared state and its rules are the model's [`SearchState`].

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;
mod form;
mod pager;
mod rows;
mod selection_bar;
mod table;

use leptos::prelude::*;

use crate::api::ApiError;
use crate::chat::ChatDrawer;
use crate::ctx::use_ctx;
use crate::export::{Export, ExportPanel};
use crate::host::HostCommand;
use crate::model::search::SearchState;

/// The whole screen: form, table, pager, and the drawer over them.
#[component]
pub fn SearchScreen() -> impl IntoView {
    let ctx = use_ctx();
    let state = SearchState::new(ctx);
    provide_context(state);
    provide_context(Export::new(ctx));
    let listener = state.follow_address_bar();
    on_cleanup(move || drop(listener));
    // An embedding host's `handle.search()` / `handle.openChat()`.
    if let Some(commands) = use_context::<RwSignal<Option<HostCommand>>>() {
        Effect::new(move |_| {
            commands.track();
            // Taken, not read: a search page built again (signed in again) must not replay
            // the host's last command; one sent before this page existed still runs, once.
            if let Some(command) = commands.try_update_untracked(Option::take).flatten() {
                state.run_host_command(command);
            }
        });
    }
    // Signed in again after an expired session (this screen was kept meanwhile): a
    // search that failed on the expiry is done again, so the screen is as it was.
    Effect::new(move |was_signed_in: Option<bool>| {
        let signed_in = ctx.signed_in.get();
        let failed_on_expiry = state.error.with_untracked(|e| matches!(e, Some(ApiError::AuthExpired { .. })));
        if was_signed_in == Some(false) && signed_in && failed_on_expiry {
            state.retry();
        }
        signed_in
    });
    // The default saved view, else the default range (or the linked view), is searched at once.
    let saved_views = crate::views::SavedViews::provide(ctx, state);
    if !saved_views.apply_default_on_load() {
        state.load();
    }

    view! {
        <section class="opc-search">
            <form::FilterForm />
            <ExportPanel />
            <crate::chart::Chart steer=Callback::new(move |range| form::search_range(state, range)) />
            <div class="opc-progress" class:opc-progress--on=move || state.slow.get() role="progressbar"
                aria-hidden=move || (!state.slow.get()).to_string() aria-label=move || ctx.t(crate::i18n::Msg::Loading)></div>
            <crate::live::LiveBanner />
            <selection_bar::SelectionBar />
            <table::ResultsTable />
            <pager::Pager />
        </section>
        <ChatDrawer />
    }
}
