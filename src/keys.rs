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
