//! Op Console: the app crate. See ARCHITECTURE.md for the map.

pub mod api;
pub mod config;
pub mod i18n;
pub mod time;

use leptos::prelude::*;

/// Starts the standalone console on `document.body`.
pub fn boot() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    view! {
        <div class="opc-app">
            <header class="opc-header"><h1 class="opc-brand">"Op Console"</h1></header>
            <main class="opc-main">
                <form class="opc-filters" aria-label="Search conversations"></form>
            </main>
        </div>
    }
}
