use leptos::prelude::*;

use crate::api::ApiError;
use crate::ctx::use_ctx;
use crate::i18n::Msg;

/// An error in the operator's language, with Retry when trying again can help.
#[component]
pub fn ErrorBox(error: ApiError, on_retry: Callback<()>) -> impl IntoView {
    let ctx = use_ctx();
    let retryable = error.retryable();
    let message = move || error.message(ctx.locale());
    view! {
        <div class="opc-error" role="alert">
            <strong class="opc-error__title">{move || ctx.t(Msg::ErrorTitle)}</strong>
            <p class="opc-error__message">{message}</p>
            <Show when=move || retryable>
                <button type="button" class="opc-button opc-button--primary" on:click=move |_| on_retry.run(())>
                    {move || ctx.t(Msg::Retry)}
                </button>
            </Show>
        </div>
    }
}

/// Grey placeholder rows while the first page loads, so the layout does not jump.
#[component]
pub fn SkeletonRows(columns: usize, #[prop(default = 8)] rows: usize) -> impl IntoView {
    (0..rows)
        .map(|_| {
            view! {
                <tr class="opc-skeleton" aria-hidden="true">
                    {(0..columns).map(|_| view! { <td><span class="opc-skeleton__bar"></span></td> }).collect_view()}
                </tr>
            }
        })
        .collect_view()
}
