//! Results over time (issue 14) against the real sandbox: bar counts equal the sandbox's
//! totals per bucket; a click, a drag and the keyboard steer the range (URL and form),
//! Back zooms out again; the cache; cancelled calls; failures stay in the chart; Hide/Show
//! is remembered; axe-core in both themes and as a sparkline; Chinese names; embedded.

use std::time::Duration;

use anyhow::{ensure, Context, Result};
use chrono::{Datelike, NaiveDate};
use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
use op_e2e::{english_config, Harness, Key};
use op_sandbox::data::rhythm;
use serde_json::{json, Value};

const TITLE: &str = "Conversations over time";

async fn english() -> Result<Harness> {
    Harness::builder().app_config(english_config()).start().await
}

/// Today in the server's zone (UTC+8): the default range ends here.
fn today() -> NaiveDate {
    op_sandbox::clock::today()
}

fn days_ago(days: i64) -> NaiveDate {
    today() - chrono::Duration::days(days)
}

/// The chart's bars (and Retry gaps) once every bucket has one and the table is not
/// loading, by accessible name, oldest first; in the shadow root of `host` if given.
const BARS: &str = r#"
const host = arguments[0];
const root = host ? document.querySelector(host)?.shadowRoot : document;
const plot = root?.querySelector('.opc-chart__plot');
if (!plot || plot.querySelector('.opc-chart__slot') || plot.classList.contains('opc-chart__plot--loading')) return null;
return Array.from(plot.querySelectorAll('.opc-chart__bar, .opc-chart__retry')).map((b) => b.getAttribute('aria-label'));
"#;

async fn bars_in(h: &Harness, host: Option<&str>, what: &str, check: impl Fn(&[String]) -> bool) -> Result<Vec<String>> {
    h.wait_until(what, || async {
        let names = h.eval(BARS, vec![host.into()]).await?;
        let names: Option<Vec<String>> = names.as_array().map(|a| a.iter().filter_map(|n| n.as_str().map(str::to_owned)).collect());
        Ok(names.filter(|names| check(names)))
    })
    .await
}

/// The settled bars, once there are `count` and the first is for `first` (its date text).
async fn bars(h: &Harness, count: usize, first: &str) -> Result<Vec<String>> {
    bars_in(h, None, &format!("{count} bars from {first}"), |names| names.len() == count && names[0].contains(first)).await
}

/// "2026-11-28: 42 conversations" → ("2026-11-28", 42); weeks keep "Week of ".
fn parse_bar(name: &str) -> Result<(String, u64)> {
    let (date, rest) = name.split_once(": ").with_context(|| format!("a bar name: {name:?}"))?;
    let count = rest.split(' ').next().and_then(|n| n.parse().ok()).with_context(|| format!("a count in {name:?}"))?;
    Ok((date.to_owned(), count))
}

async fn range_in_url(h: &Harness, start: NaiveDate, end: NaiveDate) -> Result<()> {
    let (start, end) = (start.to_string(), end.to_string());
    h.wait_until(&format!("the address to say {start}..{end}"), || async {
        let now = (h.query_param("start").await?, h.query_param("end").await?);
        Ok((now == (Some(start.clone()), Some(end.clone()))).then_some(()))
    })
    .await?;
    assert_eq!(h.field_value("Start date").await?, start, "the form shows the chosen start");
    assert_eq!(h.field_value("End date").await?, end);
    Ok(())
}

/// The table's total ("123 results · 45 customers" → 123), once it settled.
async fn table_total(h: &Harness) -> Result<u64> {
    h.wait_rows("the table", |_| true).await?;
    let status = h.text(".opc-pager__total").await?;
    status.split(' ').next().and_then(|n| n.parse().ok()).with_context(|| format!("a total in {status:?}"))
}

async fn body_dates(call: &Value) -> (String, String) {
    (call["body"]["startTime"].as_str().unwrap_or("").to_owned(), call["body"]["endTime"].as_str().unwrap_or("").to_owned())
}

#[tokio::test]
async fn bars_count_what_the_sandbox_holds() -> Result<()> {
    let h = english().await?;
    h.goto("/").await?;
    h.by_role("figure", TITLE).await?;
    let start = days_ago(29);
    let names = bars(&h, 30, &start.to_string()).await?;
    for (i, name) in names.iter().enumerate() {
        let day = (start + chrono::Duration::days(i as i64)).to_string();
        let (date, count) = parse_bar(name)?;
        assert_eq!(date, day, "one bar per day, oldest first");
        assert_eq!(count, h.true_total(json!({ "startTime": day, "endTime": day })).await?, "{name}");
    }
    // The sandbox's spike is the tallest bar: the demo shows what the chart is for.
    let tallest = names.iter().map(|n| parse_bar(n)).collect::<Result<Vec<_>>>()?.into_iter().max_by_key(|(_, n)| *n).context("bars")?;
    let spike: Vec<String> = (0..rhythm::SPIKE_DAYS).map(|d| days_ago(rhythm::SPIKE_ENDS_DAYS_AGO + d + 1).to_string()).collect();
    assert!(spike.contains(&tallest.0), "tallest {tallest:?}, spike {spike:?}");

    // One call per bucket, page 1 of size 1, all after the table's own search.
    let requests = h.requests().await?;
    let table = requests.iter().find(|r| r["count"] != json!(true)).context("the table's search")?;
    let calls: Vec<&Value> = requests.iter().filter(|r| r["count"] == json!(true)).collect();
    assert_eq!(calls.len(), 30);
    for call in &calls {
        assert!(call["id"].as_u64() > table["id"].as_u64(), "counting starts after the table's page");
        assert_eq!((&call["body"]["pageNum"], &call["body"]["pageSize"]), (&json!(1), &json!(1)));
        let (from, to) = body_dates(call).await;
        assert_eq!(from, to, "a day's call");
    }
    let sum: u64 = names.iter().map(|n| parse_bar(n).map(|(_, c)| c)).sum::<Result<u64>>()?;
    assert_eq!(sum, table_total(&h).await?);
    assert!(h.all_by_role("button", Some("Refresh")).await?.is_empty(), "nothing changed while loading");

    // A year: ISO weeks, named by their Monday, the first cut at the range's start.
    let start = days_ago(364);
    h.goto(&format!("/?start={start}&end={}", today())).await?;
    let monday = |d: NaiveDate| d - chrono::Duration::days(i64::from(d.weekday().num_days_from_monday()));
    let weeks = ((monday(today()) - monday(start)).num_days() / 7 + 1) as usize;
    let names = bars(&h, weeks, &format!("Week of {}", monday(start))).await?;
    let first_sunday = monday(start) + chrono::Duration::days(6);
    assert_eq!(parse_bar(&names[0])?.1, h.true_total(json!({ "startTime": start.to_string(), "endTime": first_sunday.to_string() })).await?);
    let sum: u64 = names.iter().map(|n| parse_bar(n).map(|(_, c)| c)).sum::<Result<u64>>()?;
    assert_eq!(sum, table_total(&h).await?, "the weeks add up to the table's total");
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn a_click_searches_the_bars_day_back_zooms_out_and_zoom_out_doubles() -> Result<()> {
    let h = english().await?;
    h.goto("/").await?;
    let names = bars(&h, 30, &days_ago(29).to_string()).await?;
    assert!(h.all_by_role("button", Some("Zoom out")).await?.is_empty(), "the default range is not zoomed in");
    let day = days_ago(11);
    let name = names.iter().find(|n| n.starts_with(&day.to_string())).context("the bar of the day")?;
    let (_, count) = parse_bar(name)?;
    h.by_role("button", name).await?.click().await?;
    range_in_url(&h, day, day).await?;
    assert_eq!(bars(&h, 1, &day.to_string()).await?, vec![name.clone()]);
    assert_eq!(table_total(&h).await?, count, "the table shows the bar's conversations");

    // Back to the default range, which the address did not name.
    h.client().back().await?;
    bars(&h, 30, &days_ago(29).to_string()).await?;
    assert_eq!(h.query_param("start").await?, None);
    assert_eq!(h.field_value("Start date").await?, days_ago(29).to_string());
    assert_eq!(h.field_value("End date").await?, today().to_string());

    h.client().forward().await?;
    range_in_url(&h, day, day).await?;
    h.by_role("button", "Zoom out").await?.click().await?;
    range_in_url(&h, day, day + chrono::Duration::days(1)).await?;
    h.by_role("button", "Zoom out").await?.click().await?;
    range_in_url(&h, day - chrono::Duration::days(1), day + chrono::Duration::days(2)).await?;
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn dragging_across_bars_searches_their_span() -> Result<()> {
    let h = english().await?;
    h.goto("/").await?;
    let names = bars(&h, 30, &days_ago(29).to_string()).await?;
    let from = h.by_role("button", &names[9]).await?;
    let to = h.by_role("button", &names[3]).await?;
    let drag = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement { element: from, duration: None, x: 0.0, y: 0.0 })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::MoveToElement { element: to, duration: Some(Duration::from_millis(300)), x: 0.0, y: 0.0 })
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    h.client().perform_actions(drag).await?;
    // Dragged right to left: the span is the same.
    range_in_url(&h, days_ago(26), days_ago(20)).await?;
    bars(&h, 7, &days_ago(26).to_string()).await?;
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn the_keyboard_moves_chooses_and_extends() -> Result<()> {
    let h = english().await?;
    h.goto("/").await?;
    let names = bars(&h, 30, &days_ago(29).to_string()).await?;
    // Tab from the chart's last tool reaches the bars: one tab stop for all of them.
    h.eval("document.querySelector('.opc-chart__tools button:last-child').focus()", vec![]).await?;
    h.press(&Key::Tab).await?;
    assert_eq!(h.focused().await?, json!(names[0]));
    h.press(&format!("{}{}", &*Key::Right, &*Key::Right)).await?;
    assert_eq!(h.focused().await?, json!(names[2]));
    h.press(&Key::Left).await?;
    assert_eq!(h.focused().await?, json!(names[1]));
    h.press(&Key::Enter).await?;
    range_in_url(&h, days_ago(28), days_ago(28)).await?;
    // Focus follows to the new bars.
    let one = bars(&h, 1, &days_ago(28).to_string()).await?;
    h.wait_until("focus on the new bar", || async { Ok((h.focused().await? == json!(one[0])).then_some(())) }).await?;

    h.client().back().await?;
    let names = bars(&h, 30, &days_ago(29).to_string()).await?;
    h.eval("document.querySelector('.opc-chart__tools button:last-child').focus()", vec![]).await?;
    h.press(&Key::Tab).await?;
    h.press(&Key::Right).await?;
    let shift_right = format!("{}{}", &*Key::Shift, &*Key::Right);
    for _ in 0..3 {
        h.press(&shift_right).await?;
    }
    assert_eq!(h.focused().await?, json!(names[4]));
    let chosen = h.eval("return document.querySelectorAll('.opc-chart__bar--chosen').length", vec![]).await?;
    assert_eq!(chosen, json!(4), "Shift+arrows extend the selection");
    h.press(&Key::Enter).await?;
    range_in_url(&h, days_ago(28), days_ago(25)).await?;
    bars(&h, 4, &days_ago(28).to_string()).await?;
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn the_same_search_again_asks_only_for_the_bucket_holding_today() -> Result<()> {
    let h = english().await?;
    h.goto("/").await?;
    bars(&h, 30, &days_ago(29).to_string()).await?;
    h.wait_until("every count answered", || async {
        let calls = h.count_calls().await?;
        Ok((calls.len() == 30 && calls.iter().all(|c| c["outcome"] == "answered")).then_some(()))
    })
    .await?;
    h.clear_requests().await?;
    h.by_role("button", "Search").await?.click().await?;
    h.wait_until("the search again", || async { Ok((!h.search_bodies().await?.is_empty()).then_some(())) }).await?;
    bars(&h, 30, &days_ago(29).to_string()).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let calls = h.count_calls().await?;
    assert_eq!(calls.len(), 1, "closed days come from the cache: {calls:?}");
    assert_eq!(body_dates(&calls[0]).await, (today().to_string(), today().to_string()));
    Ok(())
}

#[tokio::test]
async fn a_quick_second_search_cancels_the_first_ones_counts() -> Result<()> {
    let h = english().await?;
    // The first search's counts are slow: four of them are still out when the operator
    // searches again.
    h.goto("/__sandbox/hint").await?;
    h.queue_fault(json!({ "endpoint": "counts", "delayMs": 4000, "count": 4 })).await?;
    // That page (JSON) has no favicon: its 404 is not the console's.
    tokio::time::sleep(Duration::from_millis(300)).await;
    h.console_errors().await?;
    h.goto("/").await?;
    h.wait_rows("the first search's rows", |rows| !rows.is_empty()).await?;
    let first = |calls: &[Value]| calls.iter().filter(|c| c["body"].get("userNick").is_none()).cloned().collect::<Vec<_>>();
    h.wait_until("four count calls out", || async { Ok((first(&h.count_calls().await?).len() == 4).then_some(())) }).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(first(&h.count_calls().await?).len(), 4, "at most four in flight");

    h.fill("Nickname", "阿洋").await?;
    h.by_role("button", "Search").await?.click().await?;
    bars_in(&h, None, "the second search's bars", |names| names.len() == 30).await?;
    h.wait_until("the first search's calls cancelled", || async {
        let calls = first(&h.count_calls().await?);
        let outcomes: Vec<&Value> = calls.iter().map(|c| &c["outcome"]).collect();
        ensure!(outcomes.iter().all(|o| **o == "cancelled"), "outcomes {outcomes:?}");
        Ok(Some(()))
    })
    .await?;
    let calls = h.count_calls().await?;
    assert_eq!(first(&calls).len(), 4, "the rest of the first search was never asked");
    assert_eq!(calls.len(), 4 + 30);
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn failed_counts_are_gaps_with_retry_and_the_table_is_untouched() -> Result<()> {
    let h = english().await?;
    h.goto("/__sandbox/hint").await?;
    h.queue_fault(json!({ "endpoint": "counts", "fail": "html502", "count": 3 })).await?;
    h.goto("/").await?;
    let rows = h.wait_rows("the table", |rows| rows.len() == 20).await?;
    let names = bars_in(&h, None, "27 bars and 3 gaps", |names| names.len() == 30).await?;
    let retries: Vec<&String> = names.iter().filter(|n| n.starts_with("Retry ")).collect();
    assert_eq!(retries.len(), 3, "{names:?}");
    let note = h.text(".opc-chart__failed").await?;
    assert!(note.starts_with("3 counts could not be loaded: "), "{note}");
    assert!(h.all_by_role("button", Some("Refresh")).await?.is_empty(), "gaps are not a changed total");
    assert_eq!(h.rows_now().await?, Some(rows), "the table is as it was");
    assert!(h.client().find_all(fantoccini::Locator::Css(".opc-error")).await?.is_empty(), "no error box");

    h.by_role("button", retries[0]).await?.click().await?;
    let names = bars_in(&h, None, "one gap filled", |names| names.iter().filter(|n| n.starts_with("Retry ")).count() == 2).await?;
    let date = retries[0].trim_start_matches("Retry ");
    let filled = names.iter().find(|n| n.starts_with(date)).context("the retried bar")?;
    assert_eq!(parse_bar(filled)?.1, h.true_total(json!({ "startTime": date, "endTime": date })).await?);
    Ok(())
}

/// A range longer than the bars can hold keeps its last 62 years, and says so under the
/// chart (the table's results go back further); a range of 62 years says nothing.
#[tokio::test]
async fn a_range_longer_than_the_bars_says_where_the_chart_starts() -> Result<()> {
    let h = english().await?;
    let end = today();
    let first = end.year() - 61;
    h.goto(&format!("/?start=1900-01-01&end={end}")).await?;
    let names = bars(&h, 62, &format!("{first}:")).await?;
    assert!(names.last().is_some_and(|n| n.starts_with(&format!("{}:", end.year()))), "{names:?}");
    assert_eq!(h.text(".opc-chart__cut").await?, format!("The chart starts at {first}, the last 62 years of the range"));

    h.goto(&format!("/?start={first}-01-01&end={end}")).await?;
    bars(&h, 62, &format!("{first}:")).await?;
    assert_eq!(h.eval("return document.querySelector('.opc-chart__cut').textContent", vec![]).await?, json!(""));
    h.assert_no_console_errors().await?;
    Ok(())
}

#[tokio::test]
async fn hidden_and_shown_are_remembered() -> Result<()> {
    let h = english().await?;
    h.goto("/").await?;
    bars(&h, 30, &days_ago(29).to_string()).await?;
    h.by_role("button", "Hide chart").await?.click().await?;
    h.wait_gone(".opc-chart__plot").await?;
    h.by_role("button", "Show chart").await?;

    h.clear_requests().await?;
    h.goto("/").await?;
    h.wait_rows("rows", |rows| !rows.is_empty()).await?;
    h.by_role("button", "Show chart").await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(h.count_calls().await?.is_empty(), "a hidden chart asks nothing");

    h.by_role("button", "Show chart").await?.click().await?;
    bars(&h, 30, &days_ago(29).to_string()).await?;
    h.goto("/").await?;
    h.by_role("button", "Hide chart").await?;
    bars(&h, 30, &days_ago(29).to_string()).await?;
    Ok(())
}

#[tokio::test]
async fn accessible_in_both_themes_and_as_a_sparkline() -> Result<()> {
    let h = english().await?;
    h.goto("/").await?;
    bars(&h, 30, &days_ago(29).to_string()).await?;
    for theme in ["light", "dark"] {
        h.set_theme("Theme", theme).await?;
        h.assert_accessible(&format!("the chart ({theme})"), None, &[]).await?;
    }
    let plot_height = || async {
        let height = h.eval("return document.querySelector('.opc-chart__plot').getBoundingClientRect().height", vec![]).await?;
        height.as_f64().context("a height")
    };
    ensure!(plot_height().await? > 60.0, "a full chart at 1024 px");
    // Below 480 px of the console's width: one line.
    h.client().set_window_size(420, 800).await?;
    h.wait_until("the sparkline", || async { Ok((plot_height().await? <= 32.0).then_some(())) }).await?;
    let head = h.eval("return document.querySelector('.opc-chart__head').getBoundingClientRect().top - document.querySelector('.opc-chart__plot').getBoundingClientRect().top", vec![]).await?;
    assert!(head.as_f64().is_some_and(|d| d.abs() < 32.0), "caption and bars share the line: {head}");
    h.assert_accessible("the sparkline (dark)", None, &[]).await?;
    Ok(())
}

#[tokio::test]
async fn chinese_names() -> Result<()> {
    let h = Harness::signed_in().await?;
    h.goto("/").await?;
    h.by_role("figure", "会话数量趋势").await?;
    let names = bars(&h, 30, &days_ago(29).to_string()).await?;
    let (date, rest) = names[0].split_once('：').context("a full-width colon")?;
    assert_eq!(date, days_ago(29).to_string());
    assert!(rest.ends_with(" 条会话"), "{rest}");
    h.by_role("button", "隐藏图表").await?;
    Ok(())
}

/// Two consoles on the example portal: the portal's own and a second one with other
/// filters (a nickname, a week, another URL prefix); each chart counts its own search.
#[tokio::test]
async fn two_embedded_consoles_count_their_own_filters() -> Result<()> {
    let portal = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/portal");
    let h = Harness::builder()
        .sandbox(|o| {
            o.token = Some("demo-token".into());
            o.portal = Some(portal);
        })
        .start()
        .await?;
    let week = (days_ago(6), today());
    h.goto(&format!("/portal/?b_start={}&b_end={}", week.0, week.1)).await?;
    h.eval(
        "const second = document.createElement('op-chat-search');
         second.id = 'second'; second.setAttribute('locale', 'en'); second.setAttribute('url-sync', 'query');
         second.setAttribute('url-prefix', 'b_');
         second.getToken = () => 'demo-token';
         document.querySelector('#portal-console').after(second);",
        vec![],
    )
    .await?;
    let first = bars_in(&h, Some("#portal-console"), "the portal console's 30 bars", |n| n.len() == 30).await?;
    let second = bars_in(&h, Some("#second"), "the second console's 7 bars", |n| n.len() == 7).await?;
    assert!(second[0].starts_with(&week.0.to_string()), "{second:?}");
    for (names, start) in [(&first, days_ago(29)), (&second, week.0)] {
        for (i, name) in names.iter().enumerate().step_by(5) {
            let day = (start + chrono::Duration::days(i as i64)).to_string();
            assert_eq!(parse_bar(name)?, (day.clone(), h.true_total(json!({ "startTime": day, "endTime": day })).await?));
        }
    }
    h.assert_no_console_errors().await?;
    Ok(())
}

/// Retakes the README's `docs/screenshots/chart.png`:
/// `cargo test -p op-e2e --test chart -- --ignored screenshot`.
#[tokio::test]
#[ignore = "writes docs/screenshots/chart.png"]
async fn screenshot_for_the_readme() -> Result<()> {
    let h = english().await?;
    h.client().set_window_size(1280, 860).await?;
    h.goto("/").await?;
    bars(&h, 30, &days_ago(29).to_string()).await?;
    h.set_theme("Theme", "light").await?;
    h.eval("document.activeElement && document.activeElement.blur()", vec![]).await?;
    h.screenshot(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots/chart.png")).await
}
