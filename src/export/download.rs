//! The file itself: CSV chunks kept as Blob parts while the walk goes on, and one Blob
//! of them offered as a download at the end.

use wasm_bindgen::{JsCast, JsValue};

/// What the browser refused while the file was being made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveStep {
    /// Joining the parts into one Blob (out of memory, for example).
    Blob,
    /// `URL.createObjectURL`.
    ObjectUrl,
    /// The console's root is gone or refused the download link.
    Link,
}

/// How long the object URL stays valid after the click: the download starts
/// asynchronously, and revoking the URL before the browser has read it fails the download.
const REVOKE_AFTER: std::time::Duration = std::time::Duration::from_secs(10);

/// One chunk of CSV as a part of the file. A Blob right away, so the chunk's JS string can
/// be collected (Chromium keeps blob data out of the JS heap) and memory stays near the
/// file's size; should the browser refuse to make one, the string itself is a valid part
/// and no row is lost.
pub fn part(chunk: &str) -> JsValue {
    let text = JsValue::from_str(chunk);
    web_sys::Blob::new_with_str_sequence(&js_sys::Array::of1(&text)).map(JsValue::from).unwrap_or(text)
}

/// Joins `parts` into one Blob and clicks a download link for it inside `holder` (the
/// console's own root, which may be a shadow root: nothing is added to the host's page).
pub fn save(parts: &js_sys::Array, file: &str, holder: Option<&web_sys::HtmlElement>) -> Result<(), SaveStep> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_blob_sequence_and_options(parts, &options).map_err(|_| SaveStep::Blob)?;
    let holder = holder.ok_or(SaveStep::Link)?;
    let link = holder
        .owner_document()
        .and_then(|document| document.create_element("a").ok())
        .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or(SaveStep::Link)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| SaveStep::ObjectUrl)?;
    link.set_href(&url);
    link.set_download(file);
    if holder.append_child(&link).is_err() {
        let _ = web_sys::Url::revoke_object_url(&url);
        return Err(SaveStep::Link);
    }
    link.click();
    link.remove();
    leptos::prelude::set_timeout(move || drop(web_sys::Url::revoke_object_url(&url)), REVOKE_AFTER);
    Ok(())
}
