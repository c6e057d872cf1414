use leptos::prelude::*;

use super::safety;
use crate::app::use_ctx;

/// How many avatar colours the stylesheet defines (`.opc-avatar--c0` …).
const COLOURS: u32 = 8;

/// A user's picture, or their initial on a colour derived from the name when the URL is
/// missing, unsafe, malformed or fails to load. The image is decorative: the name is
/// always printed next to it.
#[component]
pub fn Avatar(url: Option<String>, #[prop(into)] name: String, #[prop(optional)] large: bool) -> impl IntoView {
    let ctx = use_ctx();
    let src = url.as_deref().and_then(|u| safety::image_url(u, ctx.page_is_https()));
    let failed = RwSignal::new(false);
    let initial = initial_of(&name);
    let colour = format!("opc-avatar opc-avatar--c{}", colour_of(&name));
    view! {
        <span class=colour class:opc-avatar--lg=large aria-hidden="true">
            {move || match (&src, failed.get()) {
                (Some(src), false) => view! {
                    // `loading` before `src`: attributes are set in this order, and an image
                    // whose src comes first starts loading at once, even in rows far off screen.
                    <img loading="lazy" decoding="async" referrerpolicy="no-referrer" alt="" src=src.clone()
                        on:error=move |_| failed.set(true) />
                }.into_any(),
                _ => view! { <span class="opc-avatar__initial">{initial.clone()}</span> }.into_any(),
            }}
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
