//! Mounting components in the browser for `wasm-bindgen-test`s, with the context an
//! [`App`](crate::app::App) would provide.

use std::alloc::{GlobalAlloc, Layout, System};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::client::fixed_token;
use crate::config::SignRecipe;
use crate::api::ApiClient;
use crate::ctx::Ctx;
use crate::config::Config;
use crate::host::HostEvents;
use crate::prefs::Prefs;

/// A mounted test view; unmounted and removed from the page when dropped.
pub struct Mounted {
    pub root: web_sys::HtmlElement,
    _handle: Box<dyn std::any::Any>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}

impl Mounted {
    pub fn text(&self) -> String {
        self.root.inner_text()
    }

    pub fn all(&self, css: &str) -> Vec<web_sys::Element> {
        let Ok(list) = self.root.query_selector_all(css) else { return Vec::new() };
        (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into().ok()).collect()
    }
}

/// Mounts `view` in a fresh element, with a console context built from `config` (a
/// `config.json`-style object on top of the defaults; URL sync off unless it says so).
pub fn mount(config: serde_json::Value, view: impl FnOnce(Ctx) -> AnyView + 'static) -> Mounted {
    let mut config = Config::default()
        .merged(&serde_json::json!({ "urlSync": "none" }), "test")
        .and_then(|c| c.merged(&config, "test"))
        .expect("test config is valid");
    config.sign = SignRecipe::None;
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let root: web_sys::HtmlElement = document.create_element("div").expect("a div").unchecked_into();
    // First in the page, in view: after the runner's report, or a failed test's view (a
    // panic drops nothing), it would be pushed out of the window, where lazy images never
    // load and `content-visibility` skips rows.
    document.body().expect("a body").prepend_with_node_1(&root).expect("prepended");
    let scope = format!("test-{}", js_sys::Math::random());
    let handle = leptos::mount::mount_to(root.clone(), move || {
        let config = Rc::new(config);
        let client = ApiClient::new(config.clone(), fixed_token(Some("browser-test".into())), Rc::new(SignRecipe::None));
        let ctx = Ctx::provide(config, client, HostEvents::default(), Prefs::new(&scope), true);
        view(ctx)
    });
    Mounted { root, _handle: Box::new(handle) }
}

/// Lets effects and async tasks run.
pub async fn let_effects_run() {
    for _ in 0..3 {
        leptos::task::tick().await;
    }
}

/// The op-sandbox that `cargo xtask test` starts for the browser tests; its address is
/// baked in at build time (`OPC_SANDBOX_URL`), as a wasm test cannot read the environment.
pub fn sandbox() -> &'static str {
    match option_env!("OPC_SANDBOX_URL") {
        Some(url) => url,
        None => panic!("OPC_SANDBOX_URL is set by `cargo xtask test`, which starts op-sandbox for these tests"),
    }
}

/// The bytes held by live allocations of the wasm heap. Memory tests compare it, not the
/// wasm memory's size: that grows in 64 KiB pages when the allocator finds no free block
/// that fits, which depends on the order allocations came and went in, and so on timing
/// (a run on a slower machine grew two pages where this one grew none); live bytes
/// return to the same count once the work is done, on any machine.
pub fn live_heap_bytes() -> i64 {
    LIVE_BYTES.load(Ordering::Relaxed) as i64
}

static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting what is live.
struct CountingAllocator;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

// SAFETY: every call is passed on to the system allocator unchanged; only a count is kept.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        counted(unsafe { System.alloc(layout) }, layout.size())
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        counted(unsafe { System.alloc_zeroed(layout) }, layout.size())
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        unsafe { System.dealloc(block, layout) };
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = counted(unsafe { System.realloc(block, layout, new_size) }, new_size);
        if !moved.is_null() {
            LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        moved
    }
}

/// Counts `size` bytes as live if the allocator gave `block` (null: it failed).
fn counted(block: *mut u8, size: usize) -> *mut u8 {
    if !block.is_null() {
        LIVE_BYTES.fetch_add(size, Ordering::Relaxed);
    }
    block
}
