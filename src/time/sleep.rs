//! Waiting on the browser's timers.

/// Waits `duration` of real time on the browser's timers (a backoff between tries, an
/// answer from the server in a test).
pub async fn sleep(duration: std::time::Duration) {
    let timer = js_sys::Promise::new(&mut |resolve, _| {
        leptos::prelude::set_timeout(
            move || {
                let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
            },
            duration,
        );
    });
    let _ = wasm_bindgen_futures::JsFuture::from(timer).await;
}
