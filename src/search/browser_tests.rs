//! The search screen's parts in a real browser: form validation, table rendering of the
//! seed rows, the URL codec against the real address bar, and stale answers.

use leptos::prelude::*;
use serde_json::json;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

use super::form::FilterForm;
use super::table::ResultsTable;
use crate::model::search::{History, SearchState};
use crate::model::view_state::ViewState;
use crate::model::AddressBar;
use crate::api::models::Envelope;
use crate::api::Endpoint;
use crate::config::UrlSync as Mode;
use crate::test_support::{let_effects_run, live_heap_bytes, mount, Mounted};
use crate::time::parse_date;

const SEARCH_SEED: &str = include_str!("../../tests/fixtures/search-seed.json");

/// Mounts `part` with a fresh search state in context, which it also returns.
fn mount_part(part: fn() -> AnyView) -> (Mounted, SearchState) {
    let state = std::rc::Rc::new(std::cell::Cell::new(None));
    let slot = state.clone();
    let mounted = mount(json!({ "locale": "en" }), move |ctx| {
        let search = SearchState::new(ctx);
        provide_context(search);
        provide_context(crate::export::Export::new(ctx));
        crate::views::SavedViews::provide(ctx, search);
        slot.set(Some(search));
        part()
    });
    (mounted, state.get().expect("state created"))
}

fn input(mounted: &Mounted, label: &str) -> web_sys::HtmlInputElement {
    use wasm_bindgen::JsCast;
    mounted
        .all(&format!("input[aria-label='{label}']"))
        .pop()
        .and_then(|e| e.dyn_into().ok())
        .unwrap_or_else(|| panic!("no input {label}"))
}

fn type_into(field: &web_sys::HtmlInputElement, value: &str) {
    field.set_value(value);
    let event = web_sys::Event::new("input").expect("event");
    field.dispatch_event(&event).expect("dispatched");
}

fn click(mounted: &Mounted, css: &str) {
    use wasm_bindgen::JsCast;
    let button: web_sys::HtmlElement = mounted.all(css).pop().and_then(|e| e.dyn_into().ok()).expect("button");
    button.click();
}

#[wasm_bindgen_test]
async fn form_validation_blocks_the_submit() {
    let (mounted, state) = mount_part(|| view! { <FilterForm /> }.into_any());
    let_effects_run().await;
    let before = state.view.get_untracked();

    type_into(&input(&mounted, "Start date"), "");
    click(&mounted, "button[type=submit]");
    let_effects_run().await;
    assert!(mounted.text().contains("Choose a start date"), "{}", mounted.text());
    assert_eq!(input(&mounted, "Start date").get_attribute("aria-invalid").as_deref(), Some("true"));

    type_into(&input(&mounted, "Start date"), "2015-12-31");
    type_into(&input(&mounted, "End date"), "2015-01-01");
    click(&mounted, "button[type=submit]");
    let_effects_run().await;
    assert!(mounted.text().contains("The start date must not be after the end date"));
    assert_eq!(state.view.get_untracked(), before, "nothing was submitted");

    // Fixing the dates clears the message as the operator types.
    type_into(&input(&mounted, "Start date"), "2015-01-01");
    type_into(&input(&mounted, "End date"), "2015-12-31");
    let_effects_run().await;
    assert!(!mounted.text().contains("must not be after"));
    type_into(&input(&mounted, "Nickname"), "阿洋");
    click(&mounted, "button[type=submit]");
    let_effects_run().await;
    let view = state.view.get_untracked();
    assert_eq!(view.filters.nick, "阿洋");
    assert_eq!(view.filters.start, parse_date("2015-01-01").expect("date"));
}

#[wasm_bindgen_test]
async fn seed_rows_render_with_fallbacks() {
    let (mounted, state) = mount_part(|| view! { <ResultsTable /> }.into_any());
    let page = Envelope::decode(Endpoint::ChatSearchs, SEARCH_SEED).and_then(Envelope::into_search_page).expect("seed");
    state.result.set(Some(page));
    let_effects_run().await;
    let rows = mounted.all("tr.opc-row");
    assert_eq!(rows.len(), 12);
    assert_eq!(rows[0].get_attribute("data-chat-id").as_deref(), Some("u0001d6ddfcbef27e45aeaee5bf7db6ac83b5"));
    let first = rows[0].text_content().unwrap_or_default();
    for expected in ["2015-12-15 00:54:15", "阿洋", "北京市海淀区软件园六号路", "Active", "Get帮你搞定一切", "…ac83b5", "…a545"] {
        assert!(first.contains(expected), "{expected:?} missing in {first}");
    }
    assert!(rows[1].text_content().unwrap_or_default().contains("Ended"));
    assert!(rows[4].text_content().unwrap_or_default().contains("—"), "empty address");
    // Rows 7 and 8 have an avatar URL with another URL pasted into its path; 11 and 12 a
    // bare `/?attname=`: all fall back to the initial without loading anything.
    let_avatars_come().await;
    for i in [6, 7, 10, 11] {
        assert!(rows[i].query_selector("img[src]:not([hidden])").ok().flatten().is_none(), "row {i} loads a broken avatar");
        assert!(rows[i].text_content().unwrap_or_default().starts_with('…'));
    }
    // (Its host is not reachable from the test machines: the image may have failed, and
    // hidden itself, by now.)
    assert!(rows[0].query_selector("img[src]").ok().flatten().is_some(), "a well-formed avatar is loaded");
    assert!(rows[0].query_selector(".opc-customer:not([hidden]) .opc-customer__id").ok().flatten().is_some(), "the customer marker shows");
    // The tooltips are written when the pointer reaches the row.
    let full_id = || rows[0].query_selector(".opc-mono").ok().flatten().and_then(|e| e.get_attribute("title"));
    assert_eq!(full_id(), None);
    let over = web_sys::CustomEventInit::new();
    over.set_bubbles(true);
    let over = web_sys::CustomEvent::new_with_event_init_dict("pointerover", &over).expect("an event");
    rows[0].query_selector(".opc-mono").ok().flatten().expect("the chat id").dispatch_event(&over).expect("dispatched");
    assert_eq!(full_id().as_deref(), Some("u0001d6ddfcbef27e45aeaee5bf7db6ac83b5"));
    let marker = rows[0].query_selector(".opc-customer__id").ok().flatten().and_then(|e| e.get_attribute("title"));
    assert_eq!(marker.as_deref(), Some("User ID: u00013058217037704c358367f6e1fd1da545"));

    // Clicking a row opens it.
    use wasm_bindgen::JsCast;
    rows[2].clone().dyn_into::<web_sys::HtmlElement>().expect("row").click();
    let_effects_run().await;
    assert_eq!(state.view.get_untracked().chat.as_deref(), Some("u0001c5ae29e6320b450e9107f3d7cd065eb3"));
}

/// These tests load no style sheet, so no row has `content-visibility` and none is told it
/// is drawn: the avatars' addresses come with the painter's fallback, a second later.
async fn let_avatars_come() {
    crate::time::sleep(std::time::Duration::from_millis(1200)).await;
}

#[wasm_bindgen_test]
async fn a_new_page_rewrites_the_same_rows() {
    let (mounted, state) = mount_part(|| view! { <ResultsTable /> }.into_any());
    let seed = Envelope::decode(Endpoint::ChatSearchs, SEARCH_SEED).and_then(Envelope::into_search_page).expect("seed");
    state.result.set(Some(seed.clone()));
    let_effects_run().await;
    let before = mounted.all("tr.opc-row");
    let seventh_id = before[6].get_attribute("data-chat-id");
    // Row 7 has a malformed avatar (initial shown); on the next page its slot holds row 1's
    // user, whose picture must load: a slot forgets the failure of its previous user.
    assert!(before[6].query_selector("img[src]:not([hidden])").ok().flatten().is_none());

    let mut next = seed;
    next.rows.rotate_left(6);
    next.rows.truncate(8);
    state.result.set(Some(next));
    let_effects_run().await;
    let_avatars_come().await;
    let after = mounted.all("tr.opc-row");
    assert_eq!(after.len(), 8, "surplus rows removed");
    for (i, row) in after.iter().enumerate() {
        assert!(row.is_same_node(Some(&before[i])), "row {i} was rebuilt instead of rewritten");
    }
    assert_eq!(after[0].get_attribute("data-chat-id"), seventh_id);
    assert_eq!(after[6].get_attribute("data-chat-id").as_deref(), Some("u0001d6ddfcbef27e45aeaee5bf7db6ac83b5"));
    let text = after[6].text_content().unwrap_or_default();
    for expected in ["2015-12-15 00:54:15", "阿洋", "北京市海淀区软件园六号路", "Active", "Get帮你搞定一切", "…ac83b5", "…a545"] {
        assert!(text.contains(expected), "{expected:?} missing in {text}");
    }
    assert!(after[6].query_selector("img[src]").ok().flatten().is_some(), "the new user's avatar is loaded");
    assert!(after[0].query_selector("img[src]:not([hidden])").ok().flatten().is_none(), "the malformed avatar moved to row 1");

    // The four rows past the shorter page stay as hidden spares (no row class, no id)...
    let spares = mounted.all("tbody tr[data-row][hidden]");
    assert_eq!(spares.len(), 4, "rows past the page's end are kept hidden");
    assert!(spares.iter().all(|r| !r.class_list().contains("opc-row") && r.get_attribute("data-chat-id").is_none()));
    for (i, spare) in spares.iter().enumerate() {
        assert!(spare.is_same_node(Some(&before[8 + i])), "spare {i} is the row that was there");
    }
    // ...and a full page again shows them instead of building rows.
    let seed = Envelope::decode(Endpoint::ChatSearchs, SEARCH_SEED).and_then(Envelope::into_search_page).expect("seed");
    state.result.set(Some(seed));
    let_effects_run().await;
    let again = mounted.all("tr.opc-row");
    assert_eq!(again.len(), 12);
    for (i, row) in again.iter().enumerate() {
        assert!(row.is_same_node(Some(&before[i])), "row {i} was built again instead of shown");
        assert!(!row.has_attribute("hidden"));
    }
    assert_eq!(again[0].get_attribute("data-chat-id").as_deref(), Some("u0001d6ddfcbef27e45aeaee5bf7db6ac83b5"));
    assert!(mounted.all("tbody tr[hidden]").is_empty());
}

/// The painter sends a page's values to the DOM as one string with each value's length in
/// UTF-16 units: a value that starts with a byte order mark (which a decoder may drop) or
/// holds characters of two UTF-16 units must land whole, and so must every value after it.
#[wasm_bindgen_test]
async fn every_value_lands_whole_whatever_its_characters() {
    let (mounted, state) = mount_part(|| view! { <ResultsTable /> }.into_any());
    let mut page = Envelope::decode(Endpoint::ChatSearchs, SEARCH_SEED).and_then(Envelope::into_search_page).expect("seed");
    page.rows[0].chat_id = Some("\u{FEFF}bom-first".into());
    page.rows[0].nick_name = Some("😀 \u{FEFF}Ann 𠀋".into());
    page.rows[0].title = Some("\u{FEFF}".into());
    page.rows[1].address = Some("🇨🇳 北京 \u{1F600}".into());
    state.result.set(Some(page));
    let_effects_run().await;
    let rows = mounted.all("tr.opc-row");
    assert_eq!(rows[0].get_attribute("data-chat-id").as_deref(), Some("\u{FEFF}bom-first"));
    let text = |row: usize, css: &str| rows[row].query_selector(css).ok().flatten().and_then(|e| e.text_content()).unwrap_or_default();
    assert_eq!(text(0, ".opc-user__who > .opc-truncate"), "😀 \u{FEFF}Ann 𠀋");
    assert_eq!(text(0, ".opc-col-title .opc-truncate"), "\u{FEFF}");
    assert_eq!(text(1, ".opc-col-address .opc-truncate"), "🇨🇳 北京 \u{1F600}");
    // The values after them are untouched.
    assert_eq!(rows[1].get_attribute("data-chat-id").as_deref(), Some("u00011d5bcc1b15364568a9d264acaca8866c"));
    assert_eq!(text(1, ".opc-col-title .opc-truncate"), "Get帮你搞定一切");
    assert_eq!(text(2, ".opc-user__who > .opc-truncate"), "阿洋");
}

/// An avatar that fails to load hides itself, and the initial shows; the next page's
/// address in its slot is then set (a load of its own).
#[wasm_bindgen_test]
async fn a_failed_avatar_gives_way_to_the_initial() {
    let (mounted, state) = mount_part(|| view! { <ResultsTable /> }.into_any());
    let mut page = Envelope::decode(Endpoint::ChatSearchs, SEARCH_SEED).and_then(Envelope::into_search_page).expect("seed");
    // Nothing listens on port 9 of the test machine: the load fails at once.
    page.rows[0].user_icon = Some("http://127.0.0.1:9/a.png".into());
    state.result.set(Some(page.clone()));
    let_effects_run().await;
    let_avatars_come().await;
    let image = || mounted.all("tr.opc-row")[0].query_selector(".opc-avatar img").ok().flatten().expect("the avatar image");
    let mut waited = 0;
    while !image().has_attribute("hidden") && waited < 50 {
        crate::time::sleep(std::time::Duration::from_millis(100)).await;
        waited += 1;
    }
    assert_eq!(image().get_attribute("src").as_deref(), Some("http://127.0.0.1:9/a.png"));
    assert!(image().has_attribute("hidden"), "the failed image is hidden");

    page.rows[0].user_icon = Some("http://127.0.0.1:9/b.png".into());
    state.result.set(Some(page));
    let_effects_run().await;
    let_avatars_come().await;
    assert_eq!(image().get_attribute("src").as_deref(), Some("http://127.0.0.1:9/b.png"));
}

fn location() -> web_sys::Location {
    web_sys::window().expect("window").location()
}

fn history_length() -> u32 {
    web_sys::window().and_then(|w| w.history().ok()).and_then(|h| h.length().ok()).unwrap_or(0)
}

fn set_address(url: &str) {
    let history = web_sys::window().and_then(|w| w.history().ok()).expect("history");
    history.replace_state_with_url(&JsValue::NULL, "", Some(url)).expect("replaceState");
}

#[wasm_bindgen_test]
fn url_codec_in_the_address_bar() {
    let (_mounted, state) = mount_part(|| ().into_any());
    let defaults = state.defaults();
    let path = location().pathname().expect("path");

    set_address(&format!("{path}?tab=chats&op_page=3&op_nick=%E9%98%BF%E6%B4%8B&page=9"));
    let sync = AddressBar::new(Mode::Query, "op_");
    let view = sync.read(&defaults);
    assert_eq!((view.page, view.filters.nick.as_str()), (3, "阿洋"));

    let next = ViewState { page: 2, chat: Some("c1".into()), ..view };
    let length = history_length();
    sync.write(&next, &defaults, History::Push);
    assert_eq!(history_length(), length + 1, "a push adds an entry");
    let search = location().search().expect("search");
    assert!(search.starts_with("?tab=chats&page=9&op_nick="), "host parameters first and untouched: {search}");
    assert!(search.contains("op_page=2") && search.contains("op_chat=c1"), "{search}");
    assert_eq!(sync.read(&defaults), next);
    sync.write(&ViewState { page: 4, ..next.clone() }, &defaults, History::Replace);
    assert_eq!(history_length(), length + 1, "a replace adds none");

    // Hash mode keeps a hash router's route and the page's query.
    set_address(&format!("{path}?keep=1#/admin/chats?x=1"));
    let hash = AddressBar::new(Mode::Hash, "");
    hash.write(&next, &defaults, History::Replace);
    assert_eq!(location().search().expect("search"), "?keep=1");
    let fragment = location().hash().expect("hash");
    assert!(fragment.starts_with("#/admin/chats?x=1&nick="), "{fragment}");
    assert_eq!(hash.read(&defaults), next);

    // `none` never touches the address.
    set_address(&format!("{path}?keep=2"));
    AddressBar::new(Mode::None, "").write(&next, &defaults, History::Push);
    assert_eq!(location().search().expect("search"), "?keep=2");
    set_address(&path);
}

/// The minimal reproduction of the retention that `patches/reactive_graph` fixes: rows built
/// again and again under a long-lived signal, each reading it through an attribute closure.
/// Unpatched reactive_graph 0.2.16 keeps every dropped row's subscription in `data` (and
/// its allocation through the subscription's `Weak`): ~75 B per row per rebuild, 3.7 MB here.
#[wasm_bindgen_test]
async fn dropped_views_release_their_subscriptions() {
    let data = RwSignal::new(0_u32);
    let rebuild = RwSignal::new(());
    let _mounted = mount(json!({}), move |_| {
        view! {
            <table><tbody>
                {move || {
                    rebuild.track();
                    (0..100).map(|i| view! { <tr data-x=move || data.with(|d| format!("{d}-{i}"))></tr> }).collect_view()
                }}
            </tbody></table>
        }
        .into_any()
    });
    let_effects_run().await;
    let rebuild_rows = |times: usize| async move {
        for _ in 0..times {
            rebuild.set(());
            let_effects_run().await;
        }
    };
    // Warm-up: the subscriber sets reach their working size.
    rebuild_rows(50).await;
    let before = live_heap_bytes();
    rebuild_rows(500).await;
    let grown = live_heap_bytes() - before;
    assert!(grown <= 8 * 1024, "500 rebuilds of 100 rows left {grown} more bytes live on the wasm heap");
}

/// Page flips through the whole screen against the sandbox leave no memory behind: each
/// flip rewrites every row, and a view or memo that kept something per flip (as some
/// reactive_graph 0.2 patterns do, see ARCHITECTURE) would grow the wasm heap with it.
#[wasm_bindgen_test]
async fn flipping_pages_does_not_grow_memory() {
    use wasm_bindgen::JsCast;
    let api = format!("{}/op/v2", crate::test_support::sandbox());
    let config = json!({ "locale": "en", "apiBase": api, "pageSizes": [100], "defaultPageSize": 100, "defaultRangeDays": 3660 });
    let mounted = mount(config, |_| view! { <super::SearchScreen /> }.into_any());
    let first_row = || mounted.all("table.opc-table[aria-busy='false'] tr.opc-row").first().and_then(|r| r.get_attribute("data-chat-id"));
    let settled_on = |shown: Option<String>| async move {
        for _ in 0..1000 {
            crate::time::sleep(std::time::Duration::from_millis(5)).await;
            let now = first_row();
            if now.is_some() && now != shown {
                return;
            }
        }
        panic!("no new page of results");
    };
    let mounted = &mounted;
    let enabled = |label: &str| -> Option<web_sys::HtmlButtonElement> {
        mounted.all(&format!("button[aria-label='{label}']")).pop().and_then(|e| e.dyn_into().ok()).filter(|b: &web_sys::HtmlButtonElement| !b.disabled())
    };
    let flip = |forward: bool| async move {
        let shown = first_row();
        enabled(if forward { "Next page" } else { "Previous page" }).expect("a page to go to").click();
        settled_on(shown).await;
    };
    // Twenty pages forward, twenty back: full pages, as an operator pages through.
    let paging = |n: usize| (n / 20).is_multiple_of(2);
    settled_on(None).await;
    // Warm-up: every lazily built structure reaches its working size.
    for n in 0..30 {
        flip(paging(n)).await;
    }
    let before = live_heap_bytes();
    for n in 0..60 {
        flip(paging(n)).await;
    }
    let grown = live_heap_bytes() - before;
    // Before rows were kept, this was 30 kB per flip.
    assert!(grown <= 8 * 1024, "60 flips of full pages left {grown} more bytes live on the wasm heap");

    // Across the last page the row count changes on every flip (100 ⇄ 12): 88 rows become
    // spares and are shown again (search/rows.rs).
    let last_page = mounted.all("button.opc-pager__page[data-page]").into_iter().max_by_key(|b| {
        b.get_attribute("data-page").and_then(|n| n.parse::<u32>().ok()).unwrap_or(0)
    });
    let shown = first_row();
    last_page.and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()).expect("a last-page button").click();
    settled_on(shown).await;
    let across_last = |n: usize| n.is_multiple_of(2);
    for n in 0..20 {
        flip(!across_last(n)).await;
    }
    let before = live_heap_bytes();
    for n in 0..60 {
        flip(!across_last(n)).await;
    }
    let grown = live_heap_bytes() - before;
    assert!(grown <= 8 * 1024, "60 flips across the last page left {grown} more bytes live on the wasm heap");

    // A search with no result and the full one again, in turn: each time the rows are
    // dropped (the table shows the empty message) and built again (100 ⇄ 0 rows).
    let nick = input(mounted, "Nickname");
    let search = |text: &'static str| {
        let nick = nick.clone();
        async move {
            let shown = first_row();
            type_into(&nick, text);
            click(mounted, "form button[type=submit]");
            for _ in 0..1000 {
                crate::time::sleep(std::time::Duration::from_millis(5)).await;
                let landed = if text.is_empty() {
                    first_row().is_some() && first_row() != shown
                } else {
                    !mounted.all("table.opc-table[aria-busy='false'] .opc-empty").is_empty()
                };
                if landed {
                    return;
                }
            }
            panic!("the search for {text:?} did not land");
        }
    };
    for _ in 0..10 {
        search("nobody-has-this-name").await;
        search("").await;
    }
    let before = live_heap_bytes();
    for _ in 0..30 {
        search("nobody-has-this-name").await;
        search("").await;
    }
    let grown = live_heap_bytes() - before;
    assert!(grown <= 8 * 1024, "30 searches emptying and filling the table left {grown} more bytes live on the wasm heap");
}
