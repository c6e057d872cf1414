//! Parts of the view that are not needed for the first results, loaded on first use.
//!
//! [`split_view!`] declares such a part as an async function returning its view. In the
//! split release build (feature `split`, `cargo xtask build`) the function and everything
//! only it uses go into a wasm chunk of their own, fetched on the first call; elsewhere
//! (tests, `trunk serve`) the function simply builds the view. [`Lazy`] shows the part once
//! it is there, and when its chunk fails to arrive (offline, a deploy in between), says so
//! in the operator's language with Retry.

use std::future::Future;

use leptos::prelude::*;

use crate::ctx::use_ctx;
use crate::i18n::Msg;

/// The chunk of a part could not be loaded (the loader logs the cause to the console).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartNotLoaded;

#[cfg(feature = "split")]
impl From<wasm_split_helpers::SplitLoaderError> for PartNotLoaded {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        Self
    }
}

/// `split_view! { chunk, fn name(arg: Type, …) { view } }` declares
/// `async fn name(arg: Type, …) -> Result<AnyView, PartNotLoaded>`: in the split build a
/// split point into the wasm chunk `chunk` (functions naming the same chunk share it), which
/// is fetched once and kept; unsplit, the view at once. `chunk, preload fetch_it, fn …`
/// also declares `async fn fetch_it()`, which fetches the chunk ahead of its first use.
macro_rules! split_view {
    ($(#[$doc:meta])* $chunk:ident, preload $preload:ident, $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
        $crate::ui::lazy::split_view!(@part [$(#[$doc])*] [$chunk, fallible, preload($preload)] $vis fn $name($($arg: $ty),*) $body);

        /// Fetches the chunk ahead of its first use; a failure is left to that use (and its Retry).
        #[cfg(not(feature = "split"))]
        async fn $preload() -> Result<(), $crate::ui::lazy::PartNotLoaded> {
            Ok(())
        }
    };
    ($(#[$doc:meta])* $chunk:ident, $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
        $crate::ui::lazy::split_view!(@part [$(#[$doc])*] [$chunk, fallible] $vis fn $name($($arg: $ty),*) $body);
    };
    // The part itself: a split point in the split build, the view at once elsewhere.
    (@part [$($attr:tt)*] [$($split:tt)*] $vis:vis fn $name:ident($($arg:ident: $ty:ty),*) $body:block) => {
        $($attr)*
        #[cfg(feature = "split")]
        #[wasm_split_helpers::wasm_split($($split)*)]
        $vis fn $name($($arg: $ty),*) -> Result<leptos::prelude::AnyView, $crate::ui::lazy::PartNotLoaded> {
            Ok($body)
        }

        $($attr)*
        #[cfg(not(feature = "split"))]
        $vis async fn $name($($arg: $ty),*) -> Result<leptos::prelude::AnyView, $crate::ui::lazy::PartNotLoaded> {
            Ok($body)
        }
    };
}
pub(crate) use split_view;

/// Shows what `load` (a [`split_view!`] function) gives once `when` has been true: nothing
/// while its chunk loads (at once when it is already there), the error with Retry when it
/// could not be loaded. `when` keeps a chunk from competing with the first results for the
/// network (or loads it on first use); unsplit, where there is nothing to fetch, the part
/// is built at once.
#[component]
pub fn Lazy<Load, Loading>(#[prop(into)] when: Signal<bool>, load: Load) -> impl IntoView
where
    Load: Fn() -> Loading + Send + Sync + 'static,
    Loading: Future<Output = Result<AnyView, PartNotLoaded>> + Send + 'static,
{
    let ctx = use_ctx();
    let wanted = Memo::new(move |was: Option<&bool>| cfg!(not(feature = "split")) || was == Some(&true) || when.get());
    let attempt = RwSignal::new(0_u32);
    move || {
        if !wanted.get() {
            return None;
        }
        attempt.track();
        let loading = load();
        Some(Suspend::new(async move {
            match loading.await {
                Ok(view) => view,
                Err(PartNotLoaded) => {
                    // One Retry tries every part that failed (they often share a chunk).
                    let retries = RETRIES.with(Clone::clone);
                    let seen = retries.get_untracked();
                    Effect::new({
                        let retries = retries.clone();
                        move |_| {
                            if retries.get() != seen {
                                attempt.update(|n| *n += 1);
                            }
                        }
                    });
                    view! {
                        <div class="opc-error opc-part-error" role="alert">
                            <p class="opc-error__message">{move || ctx.t(Msg::PartNotLoaded)}</p>
                            <button type="button" class="opc-button opc-button--primary" on:click=move |_| retries.update(|n| *n += 1)>
                                {move || ctx.t(Msg::Retry)}
                            </button>
                        </div>
                    }
                    .into_any()
                }
            }
        }))
    }
}

thread_local! {
    /// Retry clicks on any part that failed to load.
    static RETRIES: ArcRwSignal<u32> = ArcRwSignal::new(0);
}
