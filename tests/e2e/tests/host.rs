//! The seams with the host page and the servers in between (issue 20): host listeners that
//! unmount, remove or throw; a WAF's 403 that is not an expired session; host callbacks
//! that answer the wrong thing, never answer, or change; a failed wasm load; the host's
//! last command; the `token` attribute.

use anyhow::{ensure, Context, Result};
use op_e2e::{english_config, Harness};
use serde_json::{json, Value};

/// The token the sandbox accepts in these tests.
const TOKEN: &str = "demo-token";
/// The seed conversations' nickname and year: 12 rows.
const SEED: &str = "{ nick: '阿洋', start: '2015-01-01', end: '2015-12-31' }";

/// An empty host page at `/portal/`; the tests add the consoles.
struct HostPage {
    dir: tempfile::TempDir,
}

impl HostPage {
    fn new() -> Result<Self> {
        let dir = tempfile::Builder::new().prefix("op-e2e-hostpage-").tempdir()?;
        let page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Host</title>\
                    <link rel=\"icon\" href=\"data:,\"></head><body></body></html>";
        std::fs::write(dir.path().join("index.html"), page)?;
        Ok(Self { dir })
    }

    async fn open(&self) -> Result<Harness> {
        let dir = self.dir.path().to_owned();
        let h = Harness::builder()
            .sandbox(|o| {
                o.token = Some(TOKEN.into());
                o.portal = Some(dir);
            })
            .start()
            .await?;
        h.goto("/portal/").await?;
        h.eval(PRELUDE, vec![]).await?;
        Ok(h)
    }
}

/// Records every `op-*` event on the page (`window.events`: `[target id, name, detail]`)
/// and every `console.warn` (`window.warnings`).
const PRELUDE: &str = r#"
window.events = [];
for (const name of ['op-chat-open', 'op-search', 'op-auth-expired', 'op-error']) {
  document.addEventListener(name, (e) => window.events.push([e.target.id, name, e.detail]));
}
window.warnings = [];
const warn = console.warn;
console.warn = (...args) => { window.warnings.push(args.join(' ')); warn.apply(console, args); };
"#;

/// Runs `body` (an async function body) in the page with `mount` from op-console.js in
/// scope; resolves to what it returns, or to `{ thrown: message }`.
async fn run(h: &Harness, body: &str) -> Result<Value> {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         import('/op-console.js').then(async ({{ mount }}) => {{ {body} }})
           .then((value) => done(value ?? null), (error) => done({{ thrown: String(error && error.message || error) }}));"
    );
    h.client().execute_async(&script, vec![]).await.with_context(|| format!("running {body}"))
}

/// Waits for an `op-*` event from the element `id`, after `skip` earlier ones of that name.
async fn wait_event(h: &Harness, id: &str, name: &str, skip: usize) -> Result<Value> {
    h.wait_until(&format!("`{name}` number {} from #{id}", skip + 1), || async {
        let events = h.eval("return window.events", vec![]).await?;
        let matching: Vec<Value> = events
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e[0] == id && e[1] == name)
            .map(|e| e[2].clone())
            .collect();
        Ok(matching.get(skip).cloned())
    })
    .await
}

async fn count_events(h: &Harness, id: &str, name: &str) -> Result<usize> {
    let events = h.eval("return window.events", vec![]).await?;
    Ok(events.as_array().into_iter().flatten().filter(|e| e[0] == id && e[1] == name).count())
}

/// The settled rows of the console in `#id`, or `None` while it loads.
async fn shadow_rows(h: &Harness, id: &str) -> Result<Option<usize>> {
    let rows = h
        .eval(
            "const t = document.getElementById(arguments[0])?.shadowRoot?.querySelector('table.opc-table');
             return t && t.getAttribute('aria-busy') === 'false' ? t.querySelectorAll('tr.opc-row').length : null;",
            vec![id.into()],
        )
        .await?;
    Ok(rows.as_u64().map(|n| n as usize))
}

async fn wait_rows(h: &Harness, id: &str, count: usize) -> Result<()> {
    h.wait_until(&format!("{count} rows in #{id}"), || async { Ok(shadow_rows(h, id).await?.filter(|n| *n == count).map(drop)) }).await
}

/// The text of the alert in the console `#id`, once there is one.
async fn wait_alert(h: &Harness, id: &str) -> Result<String> {
    h.wait_until(&format!("an alert in #{id}"), || async {
        let text = h
            .eval("return document.getElementById(arguments[0])?.shadowRoot?.querySelector('.opc-error[role=alert]')?.textContent ?? null", vec![id.into()])
            .await?;
        Ok(text.as_str().map(str::to_owned))
    })
    .await
}

/// Console errors other than the ones a test provoked on purpose (`expected` substrings).
async fn assert_only_expected_errors(h: &Harness, expected: &[&str]) -> Result<()> {
    let errors = h.console_errors().await?;
    // The sample avatars' hosts are unreachable from test machines; not the app's doing.
    let own_origin = format!("{}/", h.base_url());
    let unexpected: Vec<String> = errors
        .iter()
        .filter(|e| !e.is_failed_load_outside(&own_origin) && !expected.iter().any(|x| e.message.contains(x)))
        .map(ToString::to_string)
        .collect();
    ensure!(unexpected.is_empty(), "console errors:\n  {}", unexpected.join("\n  "));
    Ok(())
}

// ————————————————————————————————————————————————————————————————————————————————————
// Item 1: a host listener may unmount the console, remove its element, or throw.

/// What the victim's listener does with the console that fired the event.
const ACTIONS: [&str; 3] = ["unmount", "remove", "throw"];

/// Mounts the victim `#victim-N` for `action` with a listener for `event` that does it.
/// `unmount`: `mount()` into a div, the listener calls `handle.unmount()`; `remove`: an
/// `<op-chat-search>` the listener removes (its disconnect unmounts); `throw`: a div whose
/// listener throws. `token` is what getToken answers.
const MOUNT_VICTIM: &str = r#"
const [id, action, event, token] = ['__ID__', '__ACTION__', '__EVENT__', '__TOKEN__'];
const listener = (element) => () => {
  window.fired = (window.fired || 0) + 1;
  if (action === 'unmount') window.victim.unmount();
  else if (action === 'remove') element.remove();
  else throw new Error('host listener threw on purpose');
};
if (action === 'remove') {
  const element = document.createElement('op-chat-search');
  element.id = id;
  element.setAttribute('locale', 'en');
  element.getToken = async () => token;
  element.addEventListener(event, listener(element), { once: true });
  document.body.append(element);
  window.victim = element;
  while (!element.handle && element.isConnected) await new Promise((r) => setTimeout(r, 20));
} else {
  const element = document.createElement('div');
  element.id = id;
  document.body.append(element);
  element.addEventListener(event, listener(element), { once: true });
  window.victim = await mount(element, { locale: 'en', id, getToken: async () => token });
}
return 'ok';
"#;

/// Starts the witness console `#witness`, which must keep working whatever the victims' hosts do.
async fn witness(h: &Harness) -> Result<()> {
    let mounted = run(h, "const e = document.createElement('div'); e.id = 'witness'; document.body.append(e);
                          window.witness = await mount(e, { locale: 'en', id: 'witness', getToken: () => 'demo-token' }); return 'ok';").await?;
    ensure!(mounted == json!("ok"), "{mounted}");
    wait_rows(h, "witness", 20).await
}

/// The witness still searches (its wasm instance runs) and nothing panicked.
async fn assert_witness_works(h: &Harness, round: usize) -> Result<()> {
    let before = count_events(h, "witness", "op-search").await?;
    let seed = round.is_multiple_of(2);
    let filters = if seed { SEED.to_owned() } else { "{}".to_owned() };
    h.eval(&format!("window.witness.search({filters})"), vec![]).await?;
    let searched = wait_event(h, "witness", "op-search", before).await?;
    let expected = if seed { 12 } else { 20 };
    wait_rows(h, "witness", expected).await.with_context(|| format!("after {searched}"))?;
    h.assert_no_panic().await
}

/// For each action: a fresh victim, `trigger` (JS run after it mounted) makes it fire
/// `event`, the listener acts, and the witness keeps working.
async fn survive(event: &str, token: &str, before_mount: Option<Value>, trigger: &str) -> Result<()> {
    let page = HostPage::new()?;
    let h = page.open().await?;
    witness(&h).await?;
    for (round, action) in ACTIONS.into_iter().enumerate() {
        if let Some(fault) = &before_mount {
            h.queue_fault(fault.clone()).await?;
        }
        let id = format!("victim-{round}");
        let script = MOUNT_VICTIM.replace("__ID__", &id).replace("__ACTION__", action).replace("__EVENT__", event).replace("__TOKEN__", token);
        let mounted = run(&h, &script).await?;
        ensure!(mounted == json!("ok"), "mounting the victim for {action}: {mounted}");
        h.eval(trigger, vec![]).await?;
        h.wait_until(&format!("the {event} listener that does {action}"), || async {
            Ok(h.eval("return window.fired || 0", vec![]).await?.as_u64().filter(|n| *n as usize > round).map(drop))
        })
        .await?;
        assert_witness_works(&h, round).await.with_context(|| format!("after a {event} listener that does {action}"))?;
    }
    assert_only_expected_errors(&h, &["host listener threw on purpose", "/op/v2/"]).await
}

#[tokio::test]
async fn a_listener_of_op_chat_open_cannot_crash_the_page() -> Result<()> {
    let open = "window.victim.openChat('u0001d6ddfcbef27e45aeaee5bf7db6ac83b5')";
    survive("op-chat-open", TOKEN, None, open).await
}

#[tokio::test]
async fn a_listener_of_op_search_cannot_crash_the_page() -> Result<()> {
    // The victim's first search fires it.
    survive("op-search", TOKEN, None, "void 0").await
}

#[tokio::test]
async fn a_listener_of_op_error_cannot_crash_the_page() -> Result<()> {
    survive("op-error", TOKEN, Some(json!({ "endpoint": "chatSearchs", "fail": "http500" })), "void 0").await
}

#[tokio::test]
async fn a_listener_of_op_auth_expired_cannot_crash_the_page() -> Result<()> {
    // The sandbox refuses this token: the first search ends the session.
    survive("op-auth-expired", "refused-token", None, "void 0").await
}

// ————————————————————————————————————————————————————————————————————————————————————
// Item 2: a WAF's HTTP 403 is not an expired session; HTTP 401 is.

#[tokio::test]
async fn a_proxy_403_is_a_blocked_request_and_only_401_signs_out() -> Result<()> {
    let h = Harness::builder().signed_in().app_config(english_config()).start().await?;
    h.goto("/?start=2015-01-01&end=2015-12-31").await?;
    h.wait_for("tr[data-chat-id]").await?;
    h.fill("Nickname", "阿洋").await?;
    h.fill("Tag", "vip").await?;
    h.queue_fault(json!({ "endpoint": "chatSearchs", "fail": "waf403" })).await?;
    h.by_role("button", "Search").await?.click().await?;
    let alert = h.text(".opc-error[role=alert]").await?;
    ensure!(alert.contains("Blocked by the server or a proxy") && alert.contains("403"), "{alert}");
    let panel = h.eval("return !!document.querySelector('input[type=password]')", vec![]).await?;
    assert_eq!(panel, json!(false), "a WAF page does not sign the operator out");
    assert_eq!(h.field_value("Nickname").await?, "阿洋");
    assert_eq!(h.field_value("Tag").await?, "vip");

    // Retry sends the same search, with the token, and it goes through.
    h.clear_requests().await?;
    h.by_role("button", "Retry").await?.click().await?;
    h.wait_gone(".opc-error[role=alert]").await?;
    let sent = h.requests().await?.pop().context("Retry sent the search")?;
    assert_eq!(sent["body"]["userNick"], "阿洋", "{sent}");
    assert_eq!(sent["query"]["token"], op_e2e::E2E_TOKEN, "{sent}");

    // HTTP 401 (whatever its body) is an expired session: the sign-in panel.
    h.queue_fault(json!({ "endpoint": "chatSearchs", "fail": "http401" })).await?;
    h.by_role("button", "Search").await?.click().await?;
    h.by_label("Operator token").await?;
    h.assert_no_panic().await
}

// ————————————————————————————————————————————————————————————————————————————————————
// Item 6: host callbacks.

/// Mounts a console into a new `#id` div with `options` (a JS object literal).
async fn mount_with(h: &Harness, id: &str, options: &str) -> Result<Value> {
    run(h, &format!("const e = document.createElement('div'); e.id = '{id}'; document.body.append(e);
                    window['{id}'] = await mount(e, {options}); return 'ok';"))
    .await
}

async fn request_count(h: &Harness) -> Result<usize> {
    Ok(h.requests().await?.len())
}

#[tokio::test]
async fn wrong_answers_from_host_callbacks_are_host_errors_and_send_nothing() -> Result<()> {
    let page = HostPage::new()?;
    let h = page.open().await?;
    // Not a string: a typed host error naming the callback and what it gave; no request.
    let cases = [
        ("number", "getToken: () => 42", "getToken()", "number 42"),
        ("nothing", "getToken: () => undefined", "getToken()", "undefined"),
        ("rejected", "getToken: () => Promise.reject(new Error('portal session gone'))", "getToken()", "portal session gone"),
        ("badsign", "getToken: () => 'demo-token', sign: () => ({ value: 1 })", "sign()", "object"),
    ];
    for (id, options, callback, what) in cases {
        let before = request_count(&h).await?;
        let mounted = mount_with(&h, id, &format!("{{ locale: 'en', {options} }}")).await?;
        ensure!(mounted == json!("ok"), "{id}: {mounted}");
        let error = wait_event(&h, id, "op-error", 0).await?;
        assert_eq!(error["kind"], "host", "{id}: {error}");
        let message = error["message"].as_str().unwrap_or_default();
        ensure!(message.contains(callback) && message.contains(what), "{id}: {error}");
        let shown = wait_alert(&h, id).await?;
        ensure!(shown.contains(callback), "{id}: {shown}");
        assert_eq!(request_count(&h).await?, before, "{id}: no request goes out");
        assert_eq!(count_events(&h, id, "op-auth-expired").await?, 0, "{id}: not a session problem");
    }

    // An empty token is "signed out": op-auth-expired, and no request.
    let before = request_count(&h).await?;
    mount_with(&h, "empty", "{ locale: 'en', getToken: () => '' }").await?;
    wait_event(&h, "empty", "op-auth-expired", 0).await?;
    assert_eq!(request_count(&h).await?, before, "no request without a token");

    // A thenable that is not a native Promise is awaited like one.
    mount_with(&h, "thenable", "{ locale: 'en', getToken: () => ({ then(resolve) { setTimeout(() => resolve('demo-token'), 5); } }) }").await?;
    wait_rows(&h, "thenable", 20).await?;
    let sent = h.requests().await?.pop().context("a request")?;
    assert_eq!(sent["query"]["token"], TOKEN, "{sent}");
    h.assert_no_panic().await?;
    assert_only_expected_errors(&h, &[]).await
}

#[tokio::test]
async fn host_callbacks_are_bounded_bound_and_read_per_request() -> Result<()> {
    let page = HostPage::new()?;
    let h = page.open().await?;

    // A getToken() that never settles ends in a timeout error, not an endless skeleton.
    let started = std::time::Instant::now();
    mount_with(&h, "stuck", "{ locale: 'en', timeoutMs: 1000, getToken: () => new Promise(() => {}) }").await?;
    let error = wait_event(&h, "stuck", "op-error", 0).await?;
    assert_eq!(error["kind"], "timeout", "{error}");
    ensure!(started.elapsed() < std::time::Duration::from_secs(8), "bounded by timeoutMs");
    wait_alert(&h, "stuck").await?;

    // `this` is the handle for mount(), and a sign recipe object in the options is used.
    let mounted = mount_with(
        &h,
        "bound",
        "{ locale: 'en', sign: { mode: 'static', value: 'ABC123' },
           getToken: function () { window.tokenThis = this; return 'demo-token'; } }",
    )
    .await?;
    ensure!(mounted == json!("ok"), "{mounted}");
    wait_rows(&h, "bound", 20).await?;
    assert_eq!(h.eval("return window.tokenThis === window.bound", vec![]).await?, json!(true), "this = the handle");
    let sent = h.requests().await?.pop().context("a request")?;
    assert_eq!(sent["query"]["sign"], "ABC123", "the recipe from mount() options: {sent}");
    // A sign that is neither a function nor a recipe is named, not dropped.
    mount_with(&h, "badrecipe", "{ locale: 'en', getToken: () => 'demo-token', sign: 'ABC' }").await?;
    let error = wait_event(&h, "badrecipe", "op-error", 0).await?;
    assert_eq!(error["kind"], "config", "{error}");
    ensure!(error["message"].as_str().is_some_and(|m| m.contains("sign")), "{error}");

    // The element: `this` is the element; getToken assigned after it connected is used.
    let added = run(
        &h,
        "const e = document.createElement('op-chat-search'); e.id = 'late'; e.setAttribute('locale', 'en');
         document.body.append(e);
         await new Promise((r) => setTimeout(r, 50));
         e.getToken = function () { window.elementThis = this; window.lateCalls = (window.lateCalls || 0) + 1; return 'demo-token'; };
         return 'ok';",
    )
    .await?;
    ensure!(added == json!("ok"), "{added}");
    wait_rows(&h, "late", 20).await?;
    assert_eq!(h.eval("return window.elementThis === document.getElementById('late')", vec![]).await?, json!(true));
    // A replaced getToken is used from the next request on: the search and, after it, the
    // chart's count calls each ask it once (once the chart's calls for the last search are done).
    h.wait_until("the late console's chart", || async {
        let done = h.eval("return !document.getElementById('late').shadowRoot.querySelector('.opc-chart__slot')", vec![]).await?;
        Ok((done == json!(true)).then_some(()))
    })
    .await?;
    h.clear_requests().await?;
    h.eval("document.getElementById('late').getToken = () => { window.replacedCalls = (window.replacedCalls || 0) + 1; return 'demo-token'; }", vec![]).await?;
    h.eval(&format!("document.getElementById('late').search({SEED})"), vec![]).await?;
    wait_rows(&h, "late", 12).await?;
    h.wait_until("one getToken per request", || async {
        let asked = h.eval("return window.replacedCalls", vec![]).await?;
        let sent = h.requests().await?;
        let answered = sent.iter().all(|r| r["outcome"] == "answered");
        Ok((answered && !sent.is_empty() && asked == json!(sent.len())).then_some(()))
    })
    .await?;
    h.assert_no_panic().await?;
    assert_only_expected_errors(&h, &[]).await
}

// ————————————————————————————————————————————————————————————————————————————————————
// Item 10: a failed load, the host's last command, the `token` attribute.

#[tokio::test]
async fn a_failed_wasm_load_is_tried_again_on_the_next_mount() -> Result<()> {
    let page = HostPage::new()?;
    let h = page.open().await?;
    h.eval(
        "window.failures = 1;
         for (const name of ['instantiateStreaming', 'instantiate']) {
           const original = WebAssembly[name];
           WebAssembly[name] = function (...args) {
             if (window.failures > 0) { window.failures -= 1; return Promise.reject(new Error('simulated load failure')); }
             return original.apply(this, args);
           };
         }",
        vec![],
    )
    .await?;
    let first = mount_with(&h, "first", "{ locale: 'en', getToken: () => 'demo-token' }").await?;
    ensure!(first["thrown"].as_str().is_some_and(|m| m.contains("simulated load failure")), "the first load fails: {first}");
    let second = mount_with(&h, "second", "{ locale: 'en', getToken: () => 'demo-token' }").await?;
    assert_eq!(second, json!("ok"), "the next mount loads again");
    wait_rows(&h, "second", 20).await?;
    h.assert_no_panic().await
}

#[tokio::test]
async fn the_host_command_runs_once_not_again_when_the_page_is_rebuilt() -> Result<()> {
    let page = HostPage::new()?;
    let h = page.open().await?;
    // No token from the host: the console's own sign-in panel.
    mount_with(&h, "signin", "{ locale: 'en' }").await?;
    let token = h.by_label("Operator token").await?;
    h.set_value(&token, TOKEN).await?;
    h.by_role("button", "Sign in").await?.click().await?;
    wait_rows(&h, "signin", 20).await?;
    h.eval(&format!("window.signin.search({SEED})"), vec![]).await?;
    wait_rows(&h, "signin", 12).await?;

    // Signed out and in again: a new search page, with the default search, not the host's.
    h.by_role("button", "Sign out").await?.click().await?;
    let token = h.by_label("Operator token").await?;
    h.set_value(&token, TOKEN).await?;
    h.clear_requests().await?;
    h.by_role("button", "Sign in").await?.click().await?;
    wait_rows(&h, "signin", 20).await?;
    let searches = h.search_bodies().await?;
    ensure!(!searches.is_empty() && searches.iter().all(|b| b.get("userNick").is_none()), "replayed: {searches:?}");
    assert_eq!(h.field_value("Nickname").await?, "");
    h.assert_no_panic().await
}

#[tokio::test]
async fn the_token_attribute_works_and_warns_once() -> Result<()> {
    let page = HostPage::new()?;
    let h = page.open().await?;
    let added = run(
        &h,
        "for (const id of ['one', 'two']) {
           const e = document.createElement('op-chat-search'); e.id = id;
           e.setAttribute('locale', 'en'); e.setAttribute('token', 'demo-token');
           document.body.append(e);
         }
         return 'ok';",
    )
    .await?;
    ensure!(added == json!("ok"), "{added}");
    wait_rows(&h, "one", 20).await?;
    wait_rows(&h, "two", 20).await?;
    let warnings = h.eval("return window.warnings", vec![]).await?;
    let warnings: Vec<&str> = warnings.as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    assert_eq!(warnings.len(), 1, "one warning: {warnings:?}");
    ensure!(warnings[0].contains("visible in the DOM") && warnings[0].contains("getToken"), "{warnings:?}");
    assert_only_expected_errors(&h, &[]).await
}
