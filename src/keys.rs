//! Keyboard helpers shared by the screens. Shortcuts act only when focus is in the
//! console (or, standalone, on the bare page), never while the operator types elsewhere.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent};

/// True when the key went to a text field, where letters and `/` are text.
pub fn typing_in_field(ev: &KeyboardEvent) -> bool {
    let Some(target) = ev.composed_path().get(0).dyn_into::<Element>().ok() else { return false };
    let tag = target.tag_name().to_ascii_lowercase();
    let is_text_input = tag == "input"
        && !matches!(target.get_attribute("type").as_deref(), Some("checkbox" | "radio" | "button" | "submit"));
    is_text_input || tag == "textarea" || tag == "select" || target.dyn_ref::<HtmlElement>().is_some_and(|e| e.is_content_editable())
}

/// True when focus is inside the console that holds `inside`, or nowhere in particular
/// on a page where the console is not embedded in a shadow root.
pub fn focus_is_near(inside: &Element) -> bool {
    let Some(console) = inside.closest(".opc-app").ok().flatten() else { return false };
    let root = console.get_root_node();
    let embedded = root.dyn_ref::<web_sys::ShadowRoot>().is_some();
    let active = focused_element(&root);
    match active {
        Some(active) if console.contains(Some(&active)) => true,
        Some(active) => !embedded && active.tag_name().eq_ignore_ascii_case("body"),
        None => !embedded,
    }
}

/// The focused element as `root` sees it: a shadow root's own (focus inside it is not
/// the document's business), else the document's.
pub fn focused_element(root: &web_sys::Node) -> Option<Element> {
    match root.dyn_ref::<web_sys::ShadowRoot>() {
        Some(shadow) => shadow.active_element(),
        None => web_sys::window()?.document()?.active_element(),
    }
}

/// Focuses `element` if it is an `HtmlElement`.
pub fn focus(element: &Element) {
    if let Some(element) = element.dyn_ref::<HtmlElement>() {
        let _ = element.focus();
    }
}

/// Keeps Tab and Shift+Tab inside the dialog, also when focus had fallen back to the body.
pub fn trap_focus(ev: &KeyboardEvent, dialog: &Element) {
    let Ok(list) = dialog.query_selector_all("button:not([disabled]), a[href], input, select, summary, [tabindex='0']") else { return };
    // What a closed <details> holds cannot take focus: Tab would skip past it out of the dialog.
    let folded = |e: &Element| e.closest("details:not([open]) > :not(summary)").ok().flatten().is_some();
    let focusable: Vec<Element> =
        (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into().ok()).filter(|e| !folded(e)).collect();
    let (Some(first), Some(last)) = (focusable.first(), focusable.last()) else { return };
    let active = focused_element(&dialog.get_root_node());
    let outside = active.as_ref().is_none_or(|a| !dialog.contains(Some(a)));
    let at = |e: &Element| active.as_ref() == Some(e);
    if outside || (!ev.shift_key() && at(last)) {
        ev.prevent_default();
        focus(if ev.shift_key() { last } else { first });
    } else if ev.shift_key() && at(first) {
        ev.prevent_default();
        focus(last);
    }
}
