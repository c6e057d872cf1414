use leptos::prelude::*;

use super::safety;
use crate::app::use_ctx;

/// How many avatar colours the stylesheet defines (`.opc-avatar--c0` …).
const COLOURS: u32 = 8;

/// A user's picture, or their initial on a colour derived from the name when the URL is
/// missing, unsafe, malformed or fails to load. The image is decorative: the name is
/// always printed next to it. Both may change (a table row shows another page's user):
/// a new address gets a fresh try.
#[component]
pub fn Avatar(#[prop(into)] url: Signal<Option<String>>, #[prop(into)] name: Signal<String>, #[prop(optional)] large: bool) -> impl IntoView {
    let https = use_ctx().page_is_https();
    let checked = Memo::new(move |_| url.with(|u| u.as_deref().and_then(|u| safety::image_url(u, https))));
    // The address that failed to load, if the current one did.
    let failed = RwSignal::new(None::<String>);
    let shown = move || checked.get().filter(|src| failed.with(|f| f.as_ref() != Some(src)));
    // Both the image and the initial are always there, the image without `src` (so
    // nothing is requested) and `hidden` when it is not shown: switching between them
    // then changes attributes only. Views swapped in and out would each leave their
    // subscription behind in the memos above, for as long as the row lives (reactive_graph
    // 0.2 does not unsubscribe dropped views; see ARCHITECTURE, "Short-lived views").
    view! {
        <span class=move || name.with(|n| format!("opc-avatar opc-avatar--c{}", colour_of(n))) class:opc-avatar--lg=large aria-hidden="true">
            // `loading` before `src`: attributes are set in this order, and an image whose
            // src comes first starts loading at once, even in rows far off screen.
            <img loading="lazy" decoding="async" referrerpolicy="no-referrer" alt="" hidden=move || shown().is_none() src=shown
                on:error=move |_| failed.set(checked.get_untracked()) />
            <span class="opc-avatar__initial">{move || name.with(|n| initial_of(n))}</span>
        </span>
    }
}

fn initial_of(name: &str) -> String {
    name.trim().chars().find(|c| c.is_alphanumeric()).map(|c| c.to_uppercase().collect()).unwrap_or_else(|| "?".into())
}

fn colour_of(name: &str) -> u32 {
    name.chars().fold(0u32, |h, c| h.wrapping_mul(31).wrapping_add(c as u32)) % COLOURS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials() {
        assert_eq!(initial_of("阿洋"), "阿");
        assert_eq!(initial_of("  bob"), "B");
        assert_eq!(initial_of("<script>"), "S");
        assert_eq!(initial_of(""), "?");
        assert_eq!(initial_of("😀😀"), "?");
        assert!(colour_of("阿洋") < COLOURS);
    }
}
