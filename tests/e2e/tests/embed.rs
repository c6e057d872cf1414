//! Embedding (DESIGN §5): the example admin portal, `<op-chat-search>` and `mount()` from
//! `op-console.js`, style isolation measured by computed styles on both sides of the shadow
//! root, host events, the host's `getToken()` Promise, two instances on one page, the host's
//! address left alone, and an unmount that leaves nothing running.

use std::path::{Path, PathBuf};

use anyhow::{bail, ensure, Context, Result};
use op_e2e::{Harness, Key};
use serde_json::{json, Value};

/// The token the sandbox accepts in these tests; the example portal's session hands it out.
const PORTAL_TOKEN: &str = "demo-token";

fn example_portal() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/portal")
}

/// The example portal at `/portal/`, against a sandbox that wants the portal's token, under
/// the strict CSP of DESIGN §5 (a violation would be a console error).
async fn portal() -> Result<Harness> {
    Harness::builder()
        .sandbox(|o| {
            o.token = Some(PORTAL_TOKEN.into());
            o.portal = Some(example_portal());
            o.csp = true;
        })
        .start()
        .await
}

/// A bare host page (no CSS of its own, no script: the tests add the console) at `/portal/`.
/// It holds a host text box, and "decoys": light-DOM elements with the console's own class
/// names, which the console's stylesheet must not reach.
struct BarePage {
    dir: tempfile::TempDir,
}

const BARE_PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Host</title><link rel="icon" href="data:,"></head>
<body>
  <label>Host search <input id="host-input"></label>
  <div id="decoy" class="opc-app"><h1 class="opc-brand">Decoy</h1>
    <button class="opc-button opc-button--primary">Decoy</button>
    <table class="opc-table"><tr class="opc-row"><td>decoy</td></tr></table></div>
</body></html>"#;

impl BarePage {
    fn new() -> Result<Self> {
        let dir = tempfile::Builder::new().prefix("op-e2e-host-").tempdir()?;
        std::fs::write(dir.path().join("index.html"), BARE_PAGE)?;
        Ok(Self { dir })
    }

    async fn harness(&self) -> Result<Harness> {
        let dir = self.dir.path().to_owned();
        Harness::builder()
            .sandbox(|o| {
                o.token = Some(PORTAL_TOKEN.into());
                o.portal = Some(dir);
            })
            .start()
            .await
    }
}

/// Adds `<op-chat-search>` elements to the page, each with its attributes, a `getToken`
/// that answers the portal token through a Promise, and waits for `op-console.js`.
const ADD_ELEMENTS: &str = r#"
const [elements, done] = [arguments[0], arguments[arguments.length - 1]];
import('/op-console.js').then(() => {
  for (const attributes of elements) {
    const element = document.createElement('op-chat-search');
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    element.getToken = () => Promise.resolve('demo-token');
    document.body.append(element);
  }
  done('ok');
}, (error) => done(String(error)));
"#;

async fn add_elements(h: &Harness, elements: Value) -> Result<()> {
    let answer = h.client().execute_async(ADD_ELEMENTS, vec![elements]).await?;
    ensure!(answer == json!("ok"), "loading op-console.js failed: {answer}");
    Ok(())
}

/// The settled result rows (chat ids) in the shadow root of the element matching
/// `arguments[0]`, or null while it loads.
const SHADOW_ROWS: &str = r#"
const table = document.querySelector(arguments[0])?.shadowRoot?.querySelector('table.opc-table');
if (!table || table.getAttribute('aria-busy') !== 'false') return null;
return Array.from(table.querySelectorAll('tr.opc-row')).map((row) => row.dataset.chatId);
"#;

async fn wait_shadow_rows(h: &Harness, host: &str) -> Result<Vec<String>> {
    h.wait_until(&format!("result rows in {host}"), || async {
        let rows = h.eval(SHADOW_ROWS, vec![host.into()]).await?;
        Ok(rows.as_array().filter(|rows| !rows.is_empty()).map(|rows| rows.iter().filter_map(|r| r.as_str().map(str::to_owned)).collect()))
    })
    .await
}

/// Computed styles that host CSS could break, of the console's parts in the shadow root
/// of `arguments[0]` (or of the light-DOM decoys when `arguments[1]` is true).
const STYLES: &str = r#"
const [host, light] = arguments;
const root = light ? document.querySelector(host) : document.querySelector(host).shadowRoot;
const parts = {
  app: light ? root : root.querySelector('.opc-app'),
  brand: root.querySelector('.opc-brand'),
  primary: root.querySelector('button.opc-button--primary'),
  table: root.querySelector('table.opc-table'),
  cell: root.querySelector('td'),
  input: root.querySelector('input'),
};
const properties = ['display', 'font-family', 'font-size', 'line-height', 'color', 'background-color',
  'text-transform', 'margin-top', 'padding-top', 'border-top-width', 'border-top-style', 'box-sizing'];
const styles = {};
for (const [name, element] of Object.entries(parts)) {
  if (!element) continue;
  const computed = getComputedStyle(element);
  styles[name] = Object.fromEntries(properties.map((p) => [p, computed.getPropertyValue(p)]));
}
return styles;
"#;

async fn styles(h: &Harness, host: &str, light: bool) -> Result<Value> {
    h.eval(STYLES, vec![host.into(), light.into()]).await
}

/// The `op-*` events the example portal logged (`window.portalEvents`), as `[name, detail]`.
async fn portal_events(h: &Harness) -> Result<Vec<(String, Value)>> {
    let events = h.eval("return window.portalEvents || []", vec![]).await?;
    let events = events.as_array().context("portalEvents is an array")?;
    Ok(events.iter().map(|e| (e["name"].as_str().unwrap_or_default().to_owned(), e["detail"].clone())).collect())
}

/// The text of the portal's event log panel (as written: the portal's CSS upper-cases it).
async fn event_log(h: &Harness) -> Result<String> {
    Ok(h.eval("return document.querySelector('#event-log').textContent", vec![]).await?.as_str().unwrap_or_default().to_owned())
}

async fn wait_event(h: &Harness, name: &str) -> Result<Value> {
    h.wait_until(&format!("a `{name}` event"), || async {
        Ok(portal_events(h).await?.into_iter().rev().find(|(n, _)| n == name).map(|(_, detail)| detail))
    })
    .await
}

#[tokio::test]
async fn portal_embeds_the_console_and_styles_stay_apart() -> Result<()> {
    let h = portal().await?;
    h.goto("/portal/").await?;
    let rows = wait_shadow_rows(&h, "#portal-console").await?;
    assert_eq!(rows.len(), 20, "the default page size");
    h.by_role("form", "Search conversations").await?;

    // In: the portal's resets, fonts, `!important` rules and 10px root change nothing in
    // the console, compared with the same console on a page without any CSS.
    let in_portal = styles(&h, "#portal-console", false).await?;
    let bare = BarePage::new()?;
    let plain = bare.harness().await?;
    plain.goto("/portal/").await?;
    add_elements(&plain, json!([{ "id": "plain", "locale": "en" }])).await?;
    wait_shadow_rows(&plain, "#plain").await?;
    let on_plain_page = styles(&plain, "#plain", false).await?;
    assert_eq!(in_portal, on_plain_page, "host CSS reached into the console");
    assert_eq!(in_portal["app"]["font-size"], "14px");
    assert!(!in_portal["app"]["font-family"].as_str().unwrap_or_default().contains("Comic"), "{in_portal}");
    assert_ne!(in_portal["primary"]["background-color"], "rgb(255, 105, 180)", "hotpink from the portal");

    // Out: the portal keeps its own look, and the console added no stylesheet to the page.
    let page = h
        .eval(
            "const s = (e) => getComputedStyle(e);
             return { font: s(document.body).fontFamily, bg: s(document.body).backgroundColor,
                      table: s(document.querySelector('.portal-table')).borderTopWidth,
                      sheets: Array.from(document.styleSheets).map((sheet) => new URL(sheet.href).pathname) };",
            vec![],
        )
        .await?;
    assert!(page["font"].as_str().unwrap_or_default().contains("Comic Sans"), "{page}");
    assert_eq!(page["bg"], "rgb(253, 246, 227)");
    assert_eq!(page["table"], "5px");
    assert_eq!(page["sheets"], json!(["/portal/portal.css"]), "only the portal's stylesheet is in the document");

    // Out, on elements that even carry the console's class names: same styles before and
    // after the console arrived.
    let before = {
        let fresh = bare.harness().await?;
        fresh.goto("/portal/").await?;
        styles(&fresh, "#decoy", true).await?
    };
    let after = styles(&plain, "#decoy", true).await?;
    assert_eq!(before, after, "the console's CSS reached the host page");
    assert_eq!(after["app"]["font-size"], "16px", "the decoy keeps the browser default: {after}");

    // The portal's event log panel shows what the console reported.
    wait_event(&h, "op-search").await?;
    assert!(event_log(&h).await?.contains("op-search"));
    h.assert_no_console_errors().await?;
    plain.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn host_events_and_a_get_token_promise_for_every_request() -> Result<()> {
    let h = portal().await?;
    h.goto("/portal/").await?;
    wait_shadow_rows(&h, "#portal-console").await?;

    // op-search: the filters and the total the pager shows.
    let searched = wait_event(&h, "op-search").await?;
    let total = searched["total"].as_u64().context("a numeric total")?;
    let status = h.text_in_shadow("#portal-console", ".opc-pager__total").await?;
    assert!(status.contains(&total.to_string()), "{status} vs {searched}");
    assert_eq!(searched["filters"]["nick"], "");
    assert!(searched["filters"]["start"].as_str().is_some_and(|d| d.len() == 10), "{searched}");

    // op-chat-open: a click on a row.
    let first = h.eval("return document.querySelector('#portal-console').shadowRoot.querySelector('tr.opc-row').dataset.chatId", vec![]).await?;
    h.eval("document.querySelector('#portal-console').shadowRoot.querySelector('tr.opc-row td').click()", vec![]).await?;
    let opened = wait_event(&h, "op-chat-open").await?;
    assert_eq!(opened["chatId"], first);
    h.by_role("dialog", "Chat details").await?;

    // getToken() (a Promise) is asked for every request: change the portal's session and
    // the next request carries the new token; the sandbox refuses it, so the console tells
    // the host with op-auth-expired (the host owns the token: no sign-in panel appears).
    let requests = h.requests().await?;
    ensure!(requests.len() >= 2, "a search and a chat info: {requests:?}");
    assert!(requests.iter().all(|r| r["query"]["token"] == PORTAL_TOKEN), "{requests:?}");
    h.eval("sessionStorage.setItem('portalToken', 'expired-token')", vec![]).await?;
    h.eval("document.querySelector('#portal-console').search({ nick: '阿洋', start: '2015-01-01', end: '2015-12-31' })", vec![]).await?;
    wait_event(&h, "op-auth-expired").await?;
    let last = h.requests().await?.pop().context("the search was sent")?;
    assert_eq!(last["query"]["token"], "expired-token");
    assert_eq!(last["body"]["userNick"], "阿洋", "handle.search() filters: {last}");
    let error = wait_event(&h, "op-error").await?;
    assert_eq!(error["kind"], "auth", "{error}");
    let logged = event_log(&h).await?;
    assert!(!logged.contains(PORTAL_TOKEN) && !logged.contains("expired-token"), "no token in event details: {logged}");
    ensure!(h.all_by_role("textbox", Some("Token")).await?.is_empty(), "no sign-in panel when the host owns the token");

    // A new token from the portal, and the same handle searches again successfully.
    h.eval("sessionStorage.setItem('portalToken', 'demo-token')", vec![]).await?;
    h.eval("document.querySelector('#portal-console').search({ nick: '阿洋', start: '2015-01-01', end: '2015-12-31' })", vec![]).await?;
    h.wait_until("the 12 seed rows", || async {
        let rows = h.eval(SHADOW_ROWS, vec!["#portal-console".into()]).await?;
        Ok(rows.as_array().filter(|rows| rows.len() == 12).map(drop))
    })
    .await?;
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn two_instances_live_side_by_side() -> Result<()> {
    let bare = BarePage::new()?;
    let h = bare.harness().await?;
    h.goto("/portal/").await?;
    add_elements(&h, json!([{ "id": "first", "locale": "en" }, { "id": "second", "locale": "zh-CN", "default-page-size": "10" }])).await?;
    assert_eq!(wait_shadow_rows(&h, "#first").await?.len(), 20);
    assert_eq!(wait_shadow_rows(&h, "#second").await?.len(), 10);
    h.by_role("form", "Search conversations").await?;
    h.by_role("form", "搜索会话").await?;

    // A search in one leaves the other as it was.
    h.eval("document.querySelector('#first').search({ nick: '阿洋', start: '2015-01-01', end: '2015-12-31' })", vec![]).await?;
    h.wait_until("the seed rows in the first console", || async {
        let rows = h.eval(SHADOW_ROWS, vec!["#first".into()]).await?;
        Ok(rows.as_array().filter(|rows| rows.len() == 12).map(drop))
    })
    .await?;
    assert_eq!(wait_shadow_rows(&h, "#second").await?.len(), 10);

    // Remembered settings are kept per instance (scoped by the element's id).
    let stored = h.eval("return { first: localStorage.getItem('opc:first:locale'), second: localStorage.getItem('opc:second:locale'), shared: localStorage.getItem('opc:locale') }", vec![]).await?;
    assert_eq!(stored, json!({ "first": "en", "second": "zh-CN", "shared": null }));
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn the_host_address_is_left_alone_unless_asked() -> Result<()> {
    let bare = BarePage::new()?;
    let h = bare.harness().await?;
    let host_url = "/portal/?tab=7&nick=host#section";
    h.goto(host_url).await?;
    let history = h.eval("return history.length", vec![]).await?;
    add_elements(&h, json!([{ "id": "quiet", "locale": "en" }])).await?;
    wait_shadow_rows(&h, "#quiet").await?;
    h.eval("document.querySelector('#quiet').search({ nick: '阿洋', start: '2015-01-01', end: '2015-12-31' })", vec![]).await?;
    h.eval("document.querySelector('#quiet').openChat('u0001d6ddfcbef27e45aeaee5bf7db6ac83b5')", vec![]).await?;
    h.by_role("dialog", "Chat details").await?;
    assert_eq!(h.client().current_url().await?.as_str(), h.url(host_url), "url-sync none by default");
    assert_eq!(h.eval("return history.length", vec![]).await?, history, "no history entries either");

    // url-sync="query" with a prefix: the console's parameters join the host's, which stay.
    add_elements(&h, json!([{ "id": "linked", "locale": "en", "url-sync": "query", "url-prefix": "c_" }])).await?;
    wait_shadow_rows(&h, "#linked").await?;
    h.eval("document.querySelector('#linked').search({ nick: 'bob', start: '2015-01-01', end: '2015-12-31' })", vec![]).await?;
    h.wait_until("c_nick in the address", || async { Ok(h.query_param("c_nick").await?.filter(|v| v == "bob")) }).await?;
    assert_eq!(h.query_param("tab").await?.as_deref(), Some("7"));
    assert_eq!(h.query_param("nick").await?.as_deref(), Some("host"), "the host's own `nick` is not the console's");
    assert_eq!(h.client().current_url().await?.fragment(), Some("section"));

    // url-sync="hash": parameters in the fragment; the query string is untouched.
    let query = h.client().current_url().await?.query().map(str::to_owned);
    add_elements(&h, json!([{ "id": "hashed", "locale": "en", "url-sync": "hash", "url-prefix": "h_" }])).await?;
    wait_shadow_rows(&h, "#hashed").await?;
    h.eval("document.querySelector('#hashed').search({ tag: 'vip', start: '2015-01-01', end: '2015-12-31' })", vec![]).await?;
    h.wait_until("h_tag in the fragment", || async {
        let url = h.client().current_url().await?;
        Ok(url.fragment().filter(|f| f.contains("h_tag=vip")).map(drop))
    })
    .await?;
    assert_eq!(h.client().current_url().await?.query().map(str::to_owned), query);
    h.assert_no_console_errors().await?;
    Ok(())
}

/// Counts what the page has running: pending timeouts, intervals, fetches in flight (and
/// aborted ones), and listeners on `window` and `document`. Installed before any script.
const LEDGER: &str = r#"
(() => {
  const ledger = { timeouts: new Set(), intervals: new Set(), fetches: 0, aborted: 0, listeners: new Map() };
  window.__ledger = ledger;
  const { setTimeout, clearTimeout, setInterval, clearInterval, fetch } = window;
  window.setTimeout = function (callback, ms, ...rest) {
    const id = setTimeout.call(window, (...args) => { ledger.timeouts.delete(id); if (typeof callback === 'function') callback(...args); }, ms, ...rest);
    ledger.timeouts.add(id);
    return id;
  };
  window.clearTimeout = (id) => { ledger.timeouts.delete(id); clearTimeout.call(window, id); };
  window.setInterval = function (...args) { const id = setInterval.apply(window, args); ledger.intervals.add(id); return id; };
  window.clearInterval = (id) => { ledger.intervals.delete(id); clearInterval.call(window, id); };
  window.fetch = function (...args) {
    ledger.fetches += 1;
    return fetch.apply(window, args).then(
      (response) => { ledger.fetches -= 1; return response; },
      (error) => { ledger.fetches -= 1; if (error && error.name === 'AbortError') ledger.aborted += 1; throw error; });
  };
  for (const target of [window, document]) {
    const add = target.addEventListener, remove = target.removeEventListener;
    const name = target === window ? 'window' : 'document';
    target.addEventListener = function (type, listener, options) {
      const key = `${name}:${type}`;
      if (!ledger.listeners.has(key)) ledger.listeners.set(key, new Set());
      ledger.listeners.get(key).add(listener);
      return add.call(this, type, listener, options);
    };
    target.removeEventListener = function (type, listener, options) {
      ledger.listeners.get(`${name}:${type}`)?.delete(listener);
      return remove.call(this, type, listener, options);
    };
  }
})();
"#;

const LEDGER_NOW: &str = r#"
const l = window.__ledger;
const listeners = {};
for (const [key, set] of l.listeners) if (set.size) listeners[key] = set.size;
let consoleNodes = document.querySelectorAll('[class^="opc-"]:not(#decoy, #decoy *)').length;
for (const host of document.querySelectorAll('*')) if (host.shadowRoot) consoleNodes += host.shadowRoot.querySelectorAll('*').length;
return { timeouts: l.timeouts.size, intervals: l.intervals.size, fetches: l.fetches, aborted: l.aborted, listeners, consoleNodes };
"#;

/// Mounts with the JS API into `#mounted` (created) and keeps the handle in `window.handle`.
const MOUNT: &str = r#"
const done = arguments[arguments.length - 1];
import('/op-console.js').then(async ({ mount }) => {
  const element = document.createElement('div');
  element.id = 'mounted';
  document.body.append(element);
  window.handle = await mount(element, { locale: 'en', id: 'api', getToken: async () => 'demo-token' });
  done('ok');
}).catch((error) => done(String(error)));
"#;

#[tokio::test]
async fn unmount_leaves_nothing_behind() -> Result<()> {
    let bare = BarePage::new()?;
    let h = bare.harness().await?;
    h.cdp("Page.addScriptToEvaluateOnNewDocument", json!({ "source": LEDGER })).await?;
    h.goto("/portal/").await?;
    let idle = h.eval(LEDGER_NOW, vec![]).await?;
    assert_eq!(idle, json!({ "timeouts": 0, "intervals": 0, "fetches": 0, "aborted": 0, "listeners": {}, "consoleNodes": 0 }));

    // mount() / handle.unmount() while a search is in flight and the drawer was open.
    let answer = h.client().execute_async(MOUNT, vec![]).await?;
    ensure!(answer == json!("ok"), "mount failed: {answer}");
    wait_shadow_rows(&h, "#mounted").await?;
    h.eval("window.handle.openChat('u0001d6ddfcbef27e45aeaee5bf7db6ac83b5')", vec![]).await?;
    h.by_role("dialog", "Chat details").await?;
    // The chart's count calls for the first search are done: the one request in flight at
    // unmount is the slow search below.
    wait_chart_counted(&h, "#mounted").await?;
    h.queue_fault(json!({ "endpoint": "chatSearchs", "delayMs": 5000 })).await?;
    h.eval("window.handle.search({ nick: 'slow' })", vec![]).await?;
    // The ledger sees the console at work: the request, its deadline timer, the console's
    // window listeners (shortcuts), so the zeros below mean something.
    h.wait_until("the slow search in flight", || async {
        let now = h.eval(LEDGER_NOW, vec![]).await?;
        let busy = now["fetches"] == 1 && now["timeouts"].as_u64() >= Some(1);
        let listening = now["listeners"].as_object().is_some_and(|l| l.contains_key("window:keydown"));
        Ok((busy && listening && now["consoleNodes"].as_u64() > Some(0)).then_some(()))
    })
    .await?;
    h.eval("window.handle.unmount()", vec![]).await?;
    assert_settled(&h, 1).await?;
    // The handle of a console that is gone does nothing, and says nothing.
    h.eval("window.handle.search({ nick: 'late' }); window.handle.openChat('x'); window.handle.unmount();", vec![]).await?;
    assert_settled(&h, 1).await?;

    // Removing <op-chat-search> is the element's unmount.
    add_elements(&h, json!([{ "id": "removed", "locale": "en" }])).await?;
    wait_shadow_rows(&h, "#removed").await?;
    wait_chart_counted(&h, "#removed").await?;
    h.eval("document.querySelector('#removed').remove()", vec![]).await?;
    assert_settled(&h, 1).await?;
    h.assert_no_console_errors().await?;
    Ok(())
}

/// Unmounting in the middle of a drawer resize: the drag's listeners go with the console,
/// so the pointer's later moves and release touch nothing disposed (a panic there would
/// stop every console on the page), and a new console mounts fine.
#[tokio::test]
async fn unmount_in_the_middle_of_a_drawer_resize() -> Result<()> {
    let bare = BarePage::new()?;
    let h = bare.harness().await?;
    h.goto("/portal/").await?;
    let answer = h.client().execute_async(MOUNT, vec![]).await?;
    ensure!(answer == json!("ok"), "mount failed: {answer}");
    wait_shadow_rows(&h, "#mounted").await?;
    h.eval("window.handle.openChat('u0001d6ddfcbef27e45aeaee5bf7db6ac83b5')", vec![]).await?;
    h.by_role("dialog", "Chat details").await?;
    h.eval(
        "const handle = document.querySelector('#mounted').shadowRoot.querySelector('.opc-drawer__handle');
         const pointer = (type, x) => new PointerEvent(type, { bubbles: true, composed: true, clientX: x, pointerId: 1, isPrimary: true });
         handle.dispatchEvent(pointer('pointerdown', 800));
         handle.dispatchEvent(pointer('pointermove', 780));
         window.handle.unmount();
         document.querySelector('#mounted').remove();
         for (const type of ['pointermove', 'pointerup', 'pointercancel']) window.dispatchEvent(pointer(type, 700));",
        vec![],
    )
    .await?;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    h.assert_no_console_errors().await?;
    let answer = h.client().execute_async(MOUNT, vec![]).await?;
    ensure!(answer == json!("ok"), "mounting again failed: {answer}");
    wait_shadow_rows(&h, "#mounted").await?;
    h.assert_no_console_errors().await?;
    Ok(())
}

/// The drawer's "Conversations with this customer" inside the shadow root with `url-sync`
/// none: an item opens its conversation and the drawer's Back returns, the address untouched.
#[tokio::test]
async fn customer_history_works_inside_the_shadow_root() -> Result<()> {
    const SEED_CHAT: &str = "u0001d6ddfcbef27e45aeaee5bf7db6ac83b5";
    const OLDEST: &str = "u0001c8e9ee5e3ca14457b7487eb7a7459864";
    let bare = BarePage::new()?;
    let h = bare.harness().await?;
    h.goto("/portal/").await?;
    add_elements(&h, json!([{ "id": "quiet", "locale": "en" }])).await?;
    wait_shadow_rows(&h, "#quiet").await?;
    let address = h.client().current_url().await?;
    h.eval(&format!("document.querySelector('#quiet').openChat('{SEED_CHAT}')"), vec![]).await?;
    h.by_role("region", "Conversations with this customer").await?;
    assert_eq!(h.text_in_shadow("#quiet", ".opc-history__count").await?, "4 conversations since 2014-12-15");
    h.eval(
        &format!("document.querySelector('#quiet').shadowRoot.querySelector(\".opc-history__item[data-chat-id='{OLDEST}'] button\").click()"),
        vec![],
    )
    .await?;
    let shown = || async {
        h.eval("return document.querySelector('#quiet').shadowRoot.querySelector('.opc-chat')?.dataset.chatId ?? null", vec![]).await
    };
    h.wait_until("the oldest conversation in the drawer", || async { Ok((shown().await? == json!(OLDEST)).then_some(())) }).await?;
    h.by_role("button", "Back").await?.click().await?;
    h.wait_until("back on the seed conversation", || async { Ok((shown().await? == json!(SEED_CHAT)).then_some(())) }).await?;
    assert_eq!(h.client().current_url().await?, address, "url-sync none: the address is the host's");

    // The `history-days` attribute: 0 turns the section off.
    add_elements(&h, json!([{ "id": "off", "locale": "en", "history-days": "0" }])).await?;
    wait_shadow_rows(&h, "#off").await?;
    h.eval(&format!("document.querySelector('#off').openChat('{SEED_CHAT}')"), vec![]).await?;
    h.text_in_shadow("#off", ".opc-chat").await?;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let sections = h.eval("return document.querySelector('#off').shadowRoot.querySelectorAll('.opc-history').length", vec![]).await?;
    assert_eq!(sections, json!(0));
    h.assert_no_console_errors().await?;
    Ok(())
}

/// The example portal links its console to the address (`url-sync="query"`): a reload
/// of the portal keeps the search.
#[tokio::test]
async fn the_portal_keeps_its_search_over_a_reload() -> Result<()> {
    let h = portal().await?;
    h.goto("/portal/").await?;
    wait_shadow_rows(&h, "#portal-console").await?;
    h.eval("document.querySelector('#portal-console').search({ nick: '阿洋', start: '2015-01-01', end: '2015-12-31' })", vec![]).await?;
    let seed_rows = || async {
        h.wait_until("the 12 seed rows", || async {
            let rows = h.eval(SHADOW_ROWS, vec!["#portal-console".into()]).await?;
            Ok(rows.as_array().filter(|rows| rows.len() == 12).map(drop))
        })
        .await
    };
    seed_rows().await?;
    h.wait_until("the search in the address", || async { Ok(h.query_param("nick").await?.filter(|n| n == "阿洋")) }).await?;
    h.client().refresh().await?;
    seed_rows().await?;
    assert_eq!(h.field_value("Nickname").await?, "阿洋");
    h.assert_no_console_errors().await?;
    Ok(())
}

/// Waits until every bar of the chart in the shadow root of `host` has its count (no
/// count call of it is in flight any more).
async fn wait_chart_counted(h: &Harness, host: &str) -> Result<()> {
    h.wait_until(&format!("the chart of {host} counted"), || async {
        let script = "const root = document.querySelector(arguments[0])?.shadowRoot;
                      return !!root?.querySelector('.opc-chart__bar') && !root.querySelector('.opc-chart__slot');";
        Ok((h.eval(script, vec![host.into()]).await? == json!(true)).then_some(()))
    })
    .await
}

/// Nothing of a console is left: no nodes, timers, requests or listeners (`aborted`
/// requests so far, which must have been cancelled rather than left to finish).
async fn assert_settled(h: &Harness, aborted: u64) -> Result<()> {
    let expected = json!({ "timeouts": 0, "intervals": 0, "fetches": 0, "aborted": aborted, "listeners": {}, "consoleNodes": 0 });
    // The abort settles the fetch promise on a later task: give it a moment, no more.
    let started = std::time::Instant::now();
    loop {
        let now = h.eval(LEDGER_NOW, vec![]).await?;
        if now == expected {
            return Ok(());
        }
        if started.elapsed() > std::time::Duration::from_secs(1) {
            bail!("after unmount: {now}, expected {expected}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn shortcuts_act_only_when_focus_is_in_the_console() -> Result<()> {
    let bare = BarePage::new()?;
    let h = bare.harness().await?;
    h.goto("/portal/").await?;
    add_elements(&h, json!([{ "id": "keys", "locale": "en" }])).await?;
    wait_shadow_rows(&h, "#keys").await?;

    // `/` in the host's own text box is a character for the host.
    h.client().find(op_e2e::Locator::Css("#host-input")).await?.click().await?;
    h.press("a/b").await?;
    assert_eq!(h.eval("return document.querySelector('#host-input').value", vec![]).await?, "a/b");
    assert_eq!(h.focused().await?, "INPUT");
    assert_eq!(h.eval("return document.activeElement.id", vec![]).await?, "host-input");

    // Focus in the console (a result row): `/` goes to its Nickname box, Esc closes its drawer.
    h.eval("document.querySelector('#keys').shadowRoot.querySelector('tr.opc-row').focus()", vec![]).await?;
    h.press("/").await?;
    assert_eq!(h.focused().await?, "Nickname");
    h.eval("document.querySelector('#keys').shadowRoot.querySelector('tr.opc-row td').click()", vec![]).await?;
    h.by_role("dialog", "Chat details").await?;
    h.press(&Key::Escape).await?;
    h.wait_until("the drawer closed", || async { Ok(h.all_by_role("dialog", Some("Chat details")).await?.is_empty().then_some(())) }).await?;
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn a_bad_option_is_shown_and_reported_with_its_key() -> Result<()> {
    let bare = BarePage::new()?;
    let h = bare.harness().await?;
    h.goto("/portal/").await?;
    h.eval(
        "window.errors = []; document.addEventListener('op-error', (e) => window.errors.push(e.detail));",
        vec![],
    )
    .await?;
    add_elements(&h, json!([{ "id": "broken", "locale": "fr" }])).await?;
    let shown = h
        .wait_until("the configuration problem", || async {
            let text = h.eval("return document.querySelector('#broken').shadowRoot?.querySelector('[role=alert]')?.textContent ?? null", vec![]).await?;
            Ok(text.as_str().map(str::to_owned))
        })
        .await?;
    assert!(shown.contains("locale"), "{shown}");
    let errors = h.eval("return window.errors", vec![]).await?;
    assert_eq!(errors[0]["kind"], "config", "{errors}");
    assert!(errors[0]["message"].as_str().is_some_and(|m| m.contains("locale")), "{errors}");

    // Mistakes of the page's developer are thrown as Errors that say what to do.
    let thrown = h
        .client()
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const { mount } = await import('/op-console.js');
             const bad = await mount(document.createElement('input'), {}).then(() => 'mounted', (e) => e instanceof Error && e.message);
             const host = document.body.appendChild(document.createElement('div'));
             const handle = await mount(host, { locale: 'en', token: 'demo-token' });
             let filters = 'accepted';
             try { handle.search('bob'); } catch (e) { filters = e instanceof Error && e.message; }
             handle.unmount();
             done([bad, filters]);",
            vec![],
        )
        .await?;
    assert!(thrown[0].as_str().is_some_and(|m| m.contains("<input> cannot have a shadow root")), "{thrown}");
    assert!(thrown[1].as_str().is_some_and(|m| m.starts_with("op-console: search(filters)")), "{thrown}");
    Ok(())
}

trait ShadowText {
    async fn text_in_shadow(&self, host: &str, css: &str) -> Result<String>;
}

impl ShadowText for Harness {
    /// The text of the first element matching `css` in the shadow root of `host` (waits).
    async fn text_in_shadow(&self, host: &str, css: &str) -> Result<String> {
        self.wait_until(&format!("`{css}` in {host}"), || async {
            let text = self
                .eval("return document.querySelector(arguments[0])?.shadowRoot?.querySelector(arguments[1])?.textContent ?? null", vec![host.into(), css.into()])
                .await?;
            Ok(text.as_str().map(str::to_owned))
        })
        .await
    }
}
