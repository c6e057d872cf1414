//! What the operator sees: every button and link keeps a readable label when hovered,
//! focused or pressed (both themes); statuses in the operator's language with distinct
//! colours; one word per thing and a time column that says its zone; a copy button that
//! never claims a copy that did not happen.

use anyhow::{bail, Context, Result};
use op_e2e::{english_config, Harness, Key};
use serde_json::{json, Value};

const SEED_CHAT: &str = "u0001d6ddfcbef27e45aeaee5bf7db6ac83b5";
const SEED_QUERY: &str = "/?nick=%E9%98%BF%E6%B4%8B&start=2015-01-01&end=2015-12-31";
const ALL_TIME: &str = "/?start=2015-01-01&end=2026-12-31";

async fn english() -> Result<Harness> {
    Harness::builder().app_config(english_config()).start().await
}

async fn chinese() -> Result<Harness> {
    Harness::builder().app_config(json!({ "locale": "zh-CN", "token": "e2e-token" })).start().await
}

/// Text contrast of the elements matching `arguments[0]` (and of their descendants that
/// hold text), as the browser computes their styles now: the text colour over the
/// effective background (the element's and its ancestors' backgrounds, composited until
/// an opaque one). Disabled and hidden elements are left out (WCAG exempts the former).
/// Returns the ones below `arguments[1]`.
const LOW_CONTRAST_JS: &str = r#"
const [selector, minimum] = arguments;
const parse = (c) => {
  const m = /^rgba?\(([^)]*)\)$/.exec(c.trim());
  if (!m) throw new Error('unexpected colour ' + c);
  const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
};
const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
const up = (e) => e.parentElement || (e.parentNode && e.parentNode.host) || null;
const background = (el) => {
  const layers = [];
  for (let e = el; e; e = up(e)) {
    const c = parse(getComputedStyle(e).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] >= 1) break;
  }
  let bg = [255, 255, 255, 1];
  for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
  return bg;
};
const luminance = (c) => {
  const [r, g, b] = c.slice(0, 3).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
const describe = (el) => el.tagName.toLowerCase() + (el.className && el.className.baseVal === undefined ? '.' + el.className.trim().split(/\s+/).join('.') : '')
  + ' "' + (el.getAttribute('aria-label') || el.textContent).trim().slice(0, 40) + '"';
const low = [];
let checked = 0;
for (const el of document.querySelectorAll(selector)) {
  if (el.disabled || el.getAttribute('aria-disabled') === 'true' || el.getClientRects().length === 0) continue;
  const carriers = [el, ...el.querySelectorAll('*')].filter((e) =>
    e.getClientRects().length > 0 && Array.from(e.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim()));
  for (const t of carriers) {
    const style = getComputedStyle(t);
    const bg = background(t);
    const fg = over(parse(style.color), bg);
    const r = ratio(fg, bg);
    checked++;
    if (r < minimum) low.push({ element: describe(el), text: t.textContent.trim().slice(0, 40), color: style.color, background: 'rgb(' + bg.slice(0, 3).map(Math.round).join(', ') + ')', ratio: Math.round(r * 100) / 100 });
  }
}
return { checked, low };
"#;

/// Runs [`LOW_CONTRAST_JS`]; fails if nothing with text matched.
async fn low_contrast(h: &Harness, selector: &str) -> Result<Vec<Value>> {
    let found = h.eval(LOW_CONTRAST_JS, vec![selector.into(), 4.5.into()]).await?;
    if found["checked"].as_u64().unwrap_or(0) == 0 {
        bail!("no text found in `{selector}`: {found}");
    }
    Ok(found["low"].as_array().cloned().unwrap_or_default())
}

/// Every button and link of the search page, the pager and the drawer.
const INTERACTIVE: &str = "button, a[href], summary, [role=button]";

/// 21.1: `:hover`, `:focus-visible` and `:active`, forced with the DevTools Protocol on
/// every button and link at once (axe-core only sees the resting state), keep a text
/// contrast of at least 4.5:1 in both themes. Before the fix, a hovered Search button and
/// a hovered current page had accent text on an accent background (1:1).
#[tokio::test]
async fn buttons_and_links_stay_readable_when_hovered_focused_or_pressed() -> Result<()> {
    let h = english().await?;
    // Page 2 of many (Previous enabled, a current page in the middle), with the drawer open
    // on the seed chat (copy buttons, the map link, the linked chat).
    h.goto(&format!("{ALL_TIME}&page=2&chat={SEED_CHAT}")).await?;
    h.wait_rows("page 2", |rows| rows.len() == 20).await?;
    h.wait_for(&format!("[role=dialog] .opc-chat[data-chat-id='{SEED_CHAT}']")).await?;
    h.wait_for(".opc-pager__page[aria-current=page]").await?;
    h.cdp("DOM.enable", json!({})).await?;
    h.cdp("CSS.enable", json!({})).await?;
    let mut failures = Vec::new();
    for theme in ["light", "dark"] {
        h.set_theme("Theme", theme).await?;
        let root = h.cdp("DOM.getDocument", json!({ "depth": 0 })).await?;
        let root = root["root"]["nodeId"].clone();
        let nodes = h.cdp("DOM.querySelectorAll", json!({ "nodeId": root, "selector": INTERACTIVE })).await?;
        let nodes = nodes["nodeIds"].as_array().cloned().context("DOM.querySelectorAll gave no nodeIds")?;
        assert!(nodes.len() > 30, "the search page, pager and drawer have more than 30 buttons and links: {}", nodes.len());
        for state in ["hover", "focus-visible", "active"] {
            for node in &nodes {
                h.cdp("CSS.forcePseudoState", json!({ "nodeId": node, "forcedPseudoClasses": [state] })).await?;
            }
            for low in low_contrast(&h, INTERACTIVE).await? {
                failures.push(format!("{theme} :{state} {low}"));
            }
            for node in &nodes {
                h.cdp("CSS.forcePseudoState", json!({ "nodeId": node, "forcedPseudoClasses": [] })).await?;
            }
        }
        // The resting state too, so a fix of one state cannot break another.
        for low in low_contrast(&h, INTERACTIVE).await? {
            failures.push(format!("{theme} at rest {low}"));
        }
    }
    assert!(failures.is_empty(), "text contrast below 4.5:1:\n  {}", failures.join("\n  "));
    h.assert_no_console_errors().await?;
    Ok(())
}

/// The status cells' texts and tooltips (written when the pointer reaches a row), and the
/// wire values of the same rows.
async fn status_cells(h: &Harness) -> Result<Vec<(String, String, String)>> {
    let cells = h
        .eval(
            "return Array.from(document.querySelectorAll('tr.opc-row .opc-col-status .opc-badge'))
               .map(b => { b.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
                           return [b.textContent.trim(), b.getAttribute('title') || '', b.className]; });",
            vec![],
        )
        .await?;
    let cells = cells.as_array().context("badges")?;
    Ok(cells
        .iter()
        .map(|c| (c[0].as_str().unwrap_or_default().into(), c[1].as_str().unwrap_or_default().into(), c[2].as_str().unwrap_or_default().into()))
        .collect())
}

/// 21.3 in one language: the table shows the catalog's words with `statusTip` as the
/// tooltip and one colour per status, readable in both themes; the drawer too.
async fn statuses_in(h: &Harness, words: [&str; 3], theme_label: &str) -> Result<()> {
    // 100 rows of the generated data hold every status (the sandbox's own test says so).
    h.goto(&format!("{ALL_TIME}&size=100")).await?;
    h.wait_rows("100 rows", |rows| rows.len() == 100).await?;
    let cells = status_cells(h).await?;
    let wire = ["排队", "交谈", "结束", "Queue", "Chat", "End"];
    for (text, tip, _) in &cells {
        assert!(words.contains(&text.as_str()), "a status shown as {text:?}, not one of {words:?}");
        assert!(!wire.contains(&text.as_str()));
        assert!(["排队中", "聊天中", "已结束"].contains(&tip.as_str()), "the tooltip is the row's statusTip: {tip:?}");
    }
    let mut classes: Vec<(String, String)> = Vec::new();
    for word in words {
        let (_, _, class) = cells.iter().find(|(text, _, _)| text == word).with_context(|| format!("no {word:?} row in 100"))?;
        if let Some((other, _)) = classes.iter().find(|(_, c)| c == class) {
            bail!("{word:?} and {other:?} look the same ({class})");
        }
        classes.push((word.to_string(), class.clone()));
    }
    for theme in ["light", "dark"] {
        h.set_theme(theme_label, theme).await?;
        let low = low_contrast(h, ".opc-badge").await?;
        assert!(low.is_empty(), "status badges below 4.5:1 in the {theme} theme: {low:?}");
        let colours = h
            .eval(
                "return ['queued', 'active', 'ended'].map(k => {
                   const b = document.querySelector('tr.opc-row .opc-badge--' + k);
                   return b ? getComputedStyle(b).backgroundColor + ' ' + getComputedStyle(b).color : k + ' missing';
                 });",
                vec![],
            )
            .await?;
        let colours: Vec<&str> = colours.as_array().context("colours")?.iter().filter_map(Value::as_str).collect();
        assert!(colours[0] != colours[1] && colours[1] != colours[2] && colours[0] != colours[2], "{theme}: {colours:?}");
    }
    // The drawer: the seed chat info says "Chat".
    h.goto(&format!("{SEED_QUERY}&chat={SEED_CHAT}")).await?;
    h.wait_for(&format!("[role=dialog] .opc-chat[data-chat-id='{SEED_CHAT}']")).await?;
    // Its own status (the customer's other conversations have badges of their own).
    let badges = h.eval("return Array.from(document.querySelectorAll('[role=dialog] dd .opc-badge')).map(b => b.textContent.trim())", vec![]).await?;
    let badges: Vec<&str> = badges.as_array().context("badges")?.iter().filter_map(Value::as_str).collect();
    assert!(!badges.is_empty() && badges.iter().all(|b| *b == words[1]), "the drawer's status: {badges:?}");
    h.wait_for("[role=dialog] .opc-history__list").await?;
    let listed = h.eval("return Array.from(document.querySelectorAll('.opc-history .opc-badge')).map(b => b.textContent.trim())", vec![]).await?;
    let listed: Vec<&str> = listed.as_array().context("listed badges")?.iter().filter_map(Value::as_str).collect();
    assert!(listed.len() == 4 && listed.iter().all(|b| words.contains(b)), "the customer's conversations' statuses: {listed:?}");
    let values = h.eval("return Array.from(document.querySelectorAll('[role=dialog] dd')).map(d => d.textContent.trim())", vec![]).await?;
    let values: Vec<&str> = values.as_array().context("values")?.iter().filter_map(Value::as_str).collect();
    assert!(!values.iter().any(|v| wire.contains(v)), "a wire status in the drawer: {values:?}");
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn statuses_speak_english() -> Result<()> {
    statuses_in(&english().await?, ["Queued", "Active", "Ended"], "Theme").await
}

#[tokio::test]
async fn statuses_speak_chinese() -> Result<()> {
    statuses_in(&chinese().await?, ["排队中", "进行中", "已结束"], "主题").await
}

/// Hovers the first row's time cell (as the pointer would: `pointerover` on the cell) and
/// returns its text and tooltip.
async fn hover_created(h: &Harness) -> Result<(String, String)> {
    let cell = h.wait_for("tr.opc-row td.opc-col-created").await?;
    let shown = h
        .eval(
            "const cell = arguments[0];
             cell.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
             return [cell.textContent.trim(), cell.getAttribute('title') || ''];",
            vec![serde_json::to_value(&cell)?],
        )
        .await?;
    Ok((shown[0].as_str().unwrap_or_default().into(), shown[1].as_str().unwrap_or_default().into()))
}

/// Whole years from `shown` (`YYYY-MM-DD HH:mm:ss` at `offset` hours) to now, counted in
/// 365-day years as the console does.
fn years_since(shown: &str, offset: i32) -> Result<i64> {
    let zone = chrono::FixedOffset::east_opt(offset * 3600).context("zone")?;
    let local = chrono::NaiveDateTime::parse_from_str(shown, "%Y-%m-%d %H:%M:%S")?;
    let then = local.and_local_timezone(zone).single().context("instant")?;
    Ok((chrono::Utc::now() - then.with_timezone(&chrono::Utc)).num_days() / 365)
}

/// 21.8: the time column says its zone, from the config's `timeZone`; hovering a time
/// says how long ago it was, in the operator's language; the drawer's "Subtitle" is the
/// table's "Title"; zh-CN joins labels and values with "：".
#[tokio::test]
async fn times_say_their_zone_and_how_long_ago() -> Result<()> {
    let h = english().await?;
    h.goto(SEED_QUERY).await?;
    h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    h.by_role("columnheader", "Created (UTC+8)").await?;
    let (shown, tip) = hover_created(&h).await?;
    assert_eq!(tip, format!("{} years ago", years_since(&shown, 8)?), "the tooltip of {shown}");
    // The column menu still names the column plainly.
    h.wait_for(".opc-menu summary").await?.click().await?;
    let names = h.eval("return Array.from(document.querySelectorAll('.opc-menu label')).map(l => l.textContent.trim())", vec![]).await?;
    assert!(names.as_array().context("labels")?.contains(&json!("Created")), "{names}");
    h.goto(&format!("{SEED_QUERY}&chat={SEED_CHAT}")).await?;
    let text = h.text("[role=dialog] .opc-chat").await?;
    assert!(!text.contains("Subtitle") && text.contains("Title"), "the drawer calls the title a title: {text}");
    h.assert_no_console_errors().await?;
    drop(h);

    let h = chinese().await?;
    h.goto(SEED_QUERY).await?;
    h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    h.by_role("columnheader", "创建时间（UTC+8）").await?;
    let (shown, tip) = hover_created(&h).await?;
    assert_eq!(tip, format!("{} 年前", years_since(&shown, 8)?), "the tooltip of {shown}");
    let density = h.text(".opc-table-tools button[aria-pressed]").await?;
    assert!(density.starts_with("密度：") && !density.contains(':'), "full-width colon in zh-CN: {density}");
    h.assert_no_console_errors().await?;
    drop(h);

    // Another zone in the config: the header and the times follow it.
    let h = Harness::builder().app_config(json!({ "locale": "en", "token": "e2e-token", "timeZone": "-05:30" })).start().await?;
    h.goto(SEED_QUERY).await?;
    h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    h.by_role("columnheader", "Created (UTC-5:30)").await?;
    let text = h.text(&format!("tr.opc-row[data-chat-id='{SEED_CHAT}'] td.opc-col-created")).await?;
    assert_eq!(text, "2015-12-14 11:24:15", "the seed row at UTC-5:30");
    Ok(())
}

/// Replaces `navigator.clipboard` in the page (`arguments[0]`: "reject" or "missing") and
/// records whether any copy button ever says "Copied"/"已复制".
const BREAK_CLIPBOARD_JS: &str = r#"
const clipboard = arguments[0] === 'reject'
  ? { writeText: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')) }
  : undefined;
Object.defineProperty(Navigator.prototype, 'clipboard', { configurable: true, get: () => clipboard });
window.__claimed = [];
new MutationObserver(() => {
  for (const b of document.querySelectorAll('.opc-copy')) {
    const label = b.getAttribute('aria-label') || '';
    if (/^(Copied|已复制)/.test(label)) window.__claimed.push(label);
  }
}).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['aria-label'], childList: true });
"#;

/// The hint, the selected field and what was claimed, once the hint shows.
async fn by_hand(h: &Harness, hint: &str) -> Result<Value> {
    h.wait_for(".opc-copy__hint").await?;
    assert_eq!(h.text(".opc-copy__hint").await?, hint);
    h.eval(
        "const f = document.querySelector('.opc-copy__field');
         return { focused: document.activeElement === f, value: f.value, start: f.selectionStart, end: f.selectionEnd,
                  claimed: window.__claimed, dialog: !!document.querySelector('[role=dialog]') };",
        vec![],
    )
    .await
}

/// 20.7: Copy says "Copied" only when the browser copied; when it refuses or has no
/// clipboard API (plain http, not localhost) the value is selected in a field with
/// "Press Ctrl+C to copy", and the click throws nothing.
#[tokio::test]
async fn copy_never_claims_a_copy_that_did_not_happen() -> Result<()> {
    let h = english().await?;
    h.goto(SEED_QUERY).await?;
    h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    let copy = |chat: &str| format!("tr.opc-row[data-chat-id='{chat}'] .opc-copy");

    // A browser that copies: "Copied", and the clipboard holds the whole id.
    h.cdp("Browser.grantPermissions", json!({ "origin": h.base_url(), "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"] })).await?;
    h.wait_for(&copy(SEED_CHAT)).await?.click().await?;
    h.wait_for(&format!("{}[aria-label='Copied Chat ID']", copy(SEED_CHAT))).await?;
    let pasted = h.client().execute_async("navigator.clipboard.readText().then(arguments[0], e => arguments[0]('failed: ' + e))", vec![]).await?;
    assert_eq!(pasted, json!(SEED_CHAT));
    assert_eq!(h.eval("return document.querySelectorAll('.opc-copy__hint').length", vec![]).await?, json!(0), "no hint after a copy");

    // A browser that refuses: no "Copied", the id selected with a hint; no drawer opened.
    h.goto(SEED_QUERY).await?;
    let rows = h.wait_rows("seed rows", |rows| rows.len() == 12).await?;
    h.eval(BREAK_CLIPBOARD_JS, vec!["reject".into()]).await?;
    h.wait_for(&copy(&rows[1])).await?.click().await?;
    let state = by_hand(&h, "Press Ctrl+C to copy").await?;
    assert_eq!(state["value"], json!(rows[1]), "the whole id, not the shortened one: {state}");
    assert_eq!((state["focused"].clone(), state["start"].clone(), state["end"].clone()), (json!(true), json!(0), json!(rows[1].len())), "{state}");
    assert_eq!(state["claimed"], json!([]), "claimed a copy: {state}");
    assert_eq!(state["dialog"], json!(false), "the click opened the drawer");
    // Ctrl+C copies the selection: now it did happen.
    h.press(&(Key::Control + "c")).await?;
    h.wait_for(&format!("{}[aria-label='Copied Chat ID']", copy(&rows[1]))).await?;
    h.wait_gone(".opc-copy__hint").await?;
    h.assert_no_console_errors().await?;
    drop(h);

    // No clipboard API at all, in Chinese, in the drawer: the click throws nothing; Esc
    // closes the hint, not the drawer.
    let h = chinese().await?;
    h.goto(&format!("{SEED_QUERY}&chat={SEED_CHAT}")).await?;
    h.wait_for(&format!("[role=dialog] .opc-chat[data-chat-id='{SEED_CHAT}']")).await?;
    h.eval(BREAK_CLIPBOARD_JS, vec!["missing".into()]).await?;
    h.wait_for("[role=dialog] .opc-copy[aria-label='复制 会话 ID']").await?.click().await?;
    let state = by_hand(&h, "按 Ctrl+C 复制").await?;
    assert_eq!(state["value"], json!(SEED_CHAT), "{state}");
    assert_eq!(state["focused"], json!(true), "{state}");
    assert_eq!(state["claimed"], json!([]), "claimed a copy: {state}");
    h.press(&Key::Escape).await?;
    h.wait_gone(".opc-copy__hint").await?;
    h.wait_for("[role=dialog]").await?;
    assert_eq!(h.focused().await?, json!("复制 会话 ID"), "focus back on the button");
    h.assert_no_console_errors().await?;
    Ok(())
}
