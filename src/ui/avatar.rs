use leptos::prelude::*;

use super::safety;
use crate::ctx::use_ctx;

/// How many avatar colours the stylesheet defines (`.opc-avatar--c0` …).
const COLOURS: u32 = 8;

/// A user's picture, or their initial on a colour when the URL is missing, unsafe,
/// malformed or fails to load. The colour comes from `user_id` when there is one, so that
/// two customers with the same nickname look different (the table and the drawer pass
/// it; a client's logo has none and falls back to the name). The image is decorative:
/// the name is always printed next to it. All may change (a table row shows another
/// page's user): a new address gets a fresh try.
#[component]
pub fn Avatar(
    #[prop(into)] url: Signal<Option<String>>,
    #[prop(into)] name: Signal<String>,
    #[prop(into, optional)] user_id: Signal<Option<String>>,
    #[prop(optional)] large: bool,
) -> impl IntoView {
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
        <span class=move || user_id.with(|id| name.with(|n| avatar_class(id.as_deref(), n)))
            class:opc-avatar--lg=large aria-hidden="true">
            // `loading` before `src`: attributes are set in this order, and an image whose
            // src comes first starts loading at once, even in rows far off screen.
            <img loading="lazy" decoding="async" referrerpolicy="no-referrer" alt="" hidden=move || shown().is_none() src=shown
                on:error=move |_| failed.set(checked.get_untracked()) />
            <span class="opc-avatar__initial">{move || name.with(|n| initial_of(n))}</span>
        </span>
    }
}

/// The avatar's classes: its colour comes from the user id, or the name without one.
pub fn avatar_class(user_id: Option<&str>, name: &str) -> String {
    format!("opc-avatar opc-avatar--c{}", colour_of(colour_key(user_id, name)))
}

/// The letter shown when there is no picture.
pub fn initial_of(name: &str) -> String {
    name.trim().chars().find(|c| c.is_alphanumeric()).map(|c| c.to_uppercase().collect()).unwrap_or_else(|| "?".into())
}

/// What the colour is derived from: the user id, or the name when the id is missing.
fn colour_key<'a>(user_id: Option<&'a str>, name: &'a str) -> &'a str {
    user_id.map(str::trim).filter(|id| !id.is_empty()).unwrap_or(name)
}

/// FNV-1a over the UTF-8 bytes, then MurmurHash3's finaliser, which lets every bit reach
/// the low ones: ids that differ in one character (as generated ids often do) land on
/// unrelated colours.
fn colour_of(key: &str) -> u32 {
    let mut hash = key.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    hash = (hash ^ (hash >> 16)).wrapping_mul(0x85eb_ca6b);
    hash = (hash ^ (hash >> 13)).wrapping_mul(0xc2b2_ae35);
    (hash ^ (hash >> 16)) % COLOURS
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
    }

    /// The seed's nickname 阿洋 belongs to two customers: their avatars differ.
    #[test]
    fn the_colour_follows_the_user_id_not_the_nickname() {
        let (first, second) = ("u00013058217037704c358367f6e1fd1da545", "u00019c9457f4020443e6b984a37022a4ecee");
        assert_ne!(colour_of(colour_key(Some(first), "阿洋")), colour_of(colour_key(Some(second), "阿洋")));
        assert_eq!(colour_key(Some(first), "阿洋"), first);
        assert_eq!(colour_key(Some("  "), "阿洋"), "阿洋", "a blank id falls back to the name");
        assert_eq!(colour_key(None, "阿洋"), "阿洋");
    }

    /// The stylesheet defines exactly the colours `colour_of` hands out: one missing would
    /// leave some avatars without a background, one extra would never be used.
    #[test]
    fn the_stylesheet_has_every_colour() {
        let css = include_str!("../../style/console.css");
        for n in 0..COLOURS {
            assert!(css.contains(&format!(".opc-avatar--c{n} {{")), "no .opc-avatar--c{n} in console.css");
        }
        assert!(!css.contains(&format!(".opc-avatar--c{COLOURS} ")), "console.css has more colours than COLOURS");
    }

    /// Ids one character apart spread over every colour the stylesheet has.
    #[test]
    fn similar_ids_use_every_colour() {
        let used: std::collections::BTreeSet<u32> = (0..64).map(|n| colour_of(&format!("u0001000000{n:02}"))).collect();
        assert_eq!(used, (0..COLOURS).collect());
    }
}
