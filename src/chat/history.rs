//! "Conversations with this customer": the drawer's list of the open conversation's
//! customer's other conversations (DESIGN §6).
//!
//! The API has no search by user id, so the list is a `chatSearchs` walk by the customer's
//! nickname over a window anchored on the open conversation (its day minus `historyDays`,
//! to today), keeping only rows of the open conversation's `userId`: nicknames are not
//! unique. The walk starts once the drawer's own content is painted, is cancelled with it,
//! and is cached for the drawer's lifetime ([`provide_cache`]).

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use chrono::{Duration, FixedOffset, NaiveDate};
use leptos::prelude::*;
use web_sys::AbortSignal;

use crate::api::models::CreateTime;
use crate::api::{ApiClient, ApiError, ChatInfo, SearchPage, SearchQuery, SearchRow};
use crate::ctx::{request_series, use_ctx};
use crate::filters::SearchFilters;
use crate::i18n::{history_count, history_gap, history_none, history_not_shown, Msg};
use crate::time::{format_date, today_in, DateRange};
use crate::ui::{or_dash, ErrorBox, StatusBadge};

/// Rows per page of the walk.
const PAGE_SIZE: u32 = 100;
/// Pages the walk reads at most: a common nickname must not cost an unbounded walk.
const MAX_PAGES: u32 = 5;

/// What is searched: the cache's key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryKey {
    pub user_id: String,
    pub nick: String,
    pub window: DateRange,
}

/// Why there is nothing to search by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsearchable {
    NoNickname,
    NoUserId,
}

impl Unsearchable {
    fn message(self) -> Msg {
        match self {
            Self::NoNickname => Msg::HistoryNoNick,
            Self::NoUserId => Msg::HistoryNoUserId,
        }
    }
}

/// The search for the customer of `info`: their nickname over `days` days before the open
/// conversation's day (in `zone`) to `today`. A conversation without a readable time is
/// anchored on today.
pub fn history_key(info: &ChatInfo, zone: FixedOffset, today: NaiveDate, days: u32) -> Result<HistoryKey, Unsearchable> {
    let user = info.user.clone().unwrap_or_default();
    let nick = user.nick_name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()).ok_or(Unsearchable::NoNickname)?;
    let user_id = user.user_id.filter(|id| !id.trim().is_empty()).ok_or(Unsearchable::NoUserId)?;
    let day = info.create_time.as_ref().and_then(|t| t.instant(zone)).map_or(today, |t| t.date_naive());
    let start = day - Duration::days(i64::from(days));
    Ok(HistoryKey { user_id, nick, window: DateRange { start, end: today.max(day) } })
}

/// One page of the walk.
fn page_query(key: &HistoryKey, page: u32) -> SearchQuery {
    let filters = SearchFilters { nick: key.nick.clone(), ..SearchFilters::with_range(key.window.start, key.window.end) };
    SearchQuery { filters, page, size: PAGE_SIZE }
}

/// Whether a page follows `page` (number `page_num`): not after a short page; else the
/// server's `next` when it sent one, else what its total allows.
fn more_after(page_num: u32, page: &SearchPage) -> bool {
    if page.rows.len() < PAGE_SIZE as usize {
        return false;
    }
    match page.page.as_ref().and_then(|p| p.next) {
        Some(next) => next,
        None => page.reported_total().is_none_or(|total| u64::from(page_num) * u64::from(PAGE_SIZE) < total),
    }
}

/// The rows of `user_id` only: another customer with the same nickname never shows.
fn of_customer(rows: Vec<SearchRow>, user_id: &str) -> impl Iterator<Item = SearchRow> + '_ {
    rows.into_iter().filter(move |row| row.user_id.as_deref() == Some(user_id))
}

/// What a walk found: the customer's rows, and whether it stopped at [`MAX_PAGES`] with
/// more to read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Found {
    pub rows: Vec<SearchRow>,
    pub capped: bool,
}

async fn walk(client: &ApiClient, key: &HistoryKey, cancel: Option<&AbortSignal>) -> Result<Found, ApiError> {
    let mut rows = Vec::new();
    for page_num in 1..=MAX_PAGES {
        let page = client.search(&page_query(key, page_num), cancel).await?;
        let more = more_after(page_num, &page);
        rows.extend(of_customer(page.rows, &key.user_id));
        if !more {
            return Ok(Found { rows, capped: false });
        }
    }
    Ok(Found { rows, capped: true })
}

/// The walks of one drawer's lifetime. A complete walk also answers a narrower window of
/// the same customer (a later start, the same end), so stepping through one customer's
/// conversations does not walk again for each.
#[derive(Default)]
pub struct HistoryCache {
    entries: Vec<(HistoryKey, Found)>,
}

impl HistoryCache {
    pub fn get(&self, key: &HistoryKey, zone: FixedOffset) -> Option<Found> {
        if let Some((_, found)) = self.entries.iter().find(|(k, _)| k == key) {
            return Some(found.clone());
        }
        let covers = |k: &HistoryKey| {
            k.user_id == key.user_id && k.nick == key.nick && k.window.end == key.window.end && k.window.start <= key.window.start
        };
        let (_, found) = self.entries.iter().find(|(k, found)| !found.capped && covers(k))?;
        let inside = |row: &SearchRow| row_day(row, zone).is_some_and(|day| day >= key.window.start);
        Some(Found { rows: found.rows.iter().filter(|row| inside(row)).cloned().collect(), capped: false })
    }

    pub fn put(&mut self, key: HistoryKey, found: Found) {
        self.entries.retain(|(k, _)| *k != key);
        self.entries.push((key, found));
    }
}

fn row_day(row: &SearchRow, zone: FixedOffset) -> Option<NaiveDate> {
    row.create_time.as_ref()?.instant(zone).map(|t| t.date_naive())
}

/// The drawer's cache of walks, shared by the sections it shows.
#[derive(Clone, Copy)]
pub struct SharedHistoryCache(StoredValue<Rc<RefCell<HistoryCache>>, LocalStorage>);

/// Called once by the drawer: its walks are cached for as long as it exists.
pub fn provide_cache() {
    provide_context(SharedHistoryCache(StoredValue::new_local(Rc::default())));
}

/// One line of the list.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub chat_id: String,
    pub time: Option<CreateTime>,
    pub status: Option<String>,
    pub title: Option<String>,
    /// Seconds from the open conversation to this one; `None` when a time is unreadable.
    pub gap: Option<i64>,
    pub is_open: bool,
}

/// The list newest first, each conversation once, the open one always in it (also when the
/// walk could not reach it).
pub fn listing(rows: Vec<SearchRow>, open: &ChatInfo, zone: FixedOffset) -> Vec<Item> {
    let open_id = open.chat_id.clone().unwrap_or_default();
    let open_at = open.create_time.as_ref().and_then(|t| t.instant(zone));
    let at = |time: &Option<CreateTime>| time.as_ref().and_then(|t| t.instant(zone));
    let found = rows.into_iter().filter_map(|row| {
        let chat_id = row.chat_id.filter(|id| !id.trim().is_empty())?;
        Some(Item { is_open: chat_id == open_id, chat_id, time: row.create_time, status: row.status, title: row.title, gap: None })
    });
    let open_item =
        Item { chat_id: open_id.clone(), time: open.create_time.clone(), status: open.status.clone(), title: open.subtitle.clone(), gap: None, is_open: true };
    // Placed one by one (at most 501 items) rather than sorted: the same order — newest first,
    // unreadable times last, ties as they came — without a sort's code in the wasm.
    let mut items: Vec<Item> = Vec::new();
    for mut item in found.chain([open_item]) {
        if items.iter().any(|placed| placed.chat_id == item.chat_id) {
            continue;
        }
        let item_at = at(&item.time);
        item.gap = item_at.zip(open_at).map(|(item_at, open_at)| (item_at - open_at).num_seconds());
        let index = items.partition_point(|placed| at(&placed.time) >= item_at);
        items.insert(index, item);
    }
    items
}

/// What the section shows.
#[derive(Clone)]
enum Section {
    Loading,
    Ready(Arc<Vec<Item>>),
    Failed(ApiError),
}

/// The section, for the open conversation `info`; `on_open` opens another conversation
/// in the drawer (as a followed link: pushed, with Back). Nothing when `historyDays` is 0.
#[component]
pub fn CustomerHistory(info: ChatInfo, on_open: Callback<String>) -> impl IntoView {
    let ctx = use_ctx();
    let days = ctx.config().history_days;
    if days == 0 {
        return ().into_any();
    }
    let zone = ctx.zone();
    let key = history_key(&info, zone, today_in(zone), days);
    let since = key.as_ref().map(|k| format_date(k.window.start)).unwrap_or_default();
    let service_count = info.user.as_ref().and_then(|u| u.service_count);
    let body = match key {
        Err(reason) => view! { <p class="opc-muted">{move || ctx.t(reason.message())}</p> }.into_any(),
        Ok(key) => {
            let section = RwSignal::new(Section::Loading);
            let load = loader(key, info, section);
            // After the drawer's own content is painted: it never waits for this walk.
            crate::perf::after_paint(load);
            view! {
                {move || match section.get() {
                    Section::Loading => view! {
                        <div class="opc-history__skeleton" aria-busy="true">
                            {(0..3).map(|_| view! { <span class="opc-skeleton__bar"></span> }).collect_view()}
                        </div>
                    }.into_any(),
                    Section::Failed(error) => view! {
                        <ErrorBox error on_retry=Callback::new(move |_| load()) />
                    }.into_any(),
                    Section::Ready(items) => {
                        let locale = ctx.locale();
                        let others = items.iter().filter(|i| !i.is_open).count();
                        let summary = if others == 0 { history_none(locale, &since) } else { history_count(locale, items.len(), &since) };
                        let hidden = service_count.filter(|total| *total > items.len() as i64).map(|total| history_not_shown(locale, total));
                        view! {
                            <p class="opc-history__count">{summary}</p>
                            {hidden.map(|text| view! { <p class="opc-muted opc-history__hidden">{text}</p> })}
                            {(others > 0).then(|| view! {
                                <ol class="opc-history__list">
                                    {items.iter().cloned().map(|item| history_item(item, on_open)).collect_view()}
                                </ol>
                            })}
                        }.into_any()
                    }
                }}
            }
            .into_any()
        }
    };
    view! {
        <section class="opc-history" aria-label=move || ctx.t(Msg::HistoryTitle)>
            <h4 class="opc-history__title">{move || ctx.t(Msg::HistoryTitle)}</h4>
            {body}
        </section>
    }
    .into_any()
}

/// Starts (or, after a failure, retries) the walk of `key`, answered from the drawer's
/// cache when it can be. Aborted when the section goes away (the drawer moved or closed).
fn loader(key: HistoryKey, open: ChatInfo, section: RwSignal<Section>) -> impl Fn() + Copy + 'static {
    let ctx = use_ctx();
    let zone = ctx.zone();
    let cache = use_context::<SharedHistoryCache>().map(|c| c.0.get_value()).unwrap_or_default();
    let series = request_series();
    let job = StoredValue::new_local((key, open, cache));
    move || {
        // `try_`: the section may be gone by the time a frame or a click arrives.
        let (Some((key, open, cache)), Some(latest)) = (job.try_get_value(), series.try_get_value()) else { return };
        let show = move |found: Found| {
            section.set(Section::Ready(Arc::new(listing(found.rows, &open, zone))));
            crate::perf::after_paint(|| crate::perf::mark("opc:history-rendered"));
        };
        if let Some(found) = cache.borrow().get(&key, zone) {
            return show(found);
        }
        section.set(Section::Loading);
        let ticket = latest.begin();
        let client = ctx.client();
        leptos::task::spawn_local(async move {
            let outcome = walk(&client, &key, ticket.signal()).await;
            if !latest.is_current(&ticket) {
                return;
            }
            match outcome {
                Ok(found) => {
                    cache.borrow_mut().put(key, found.clone());
                    show(found);
                }
                Err(ApiError::Aborted) => {}
                Err(error) => {
                    section.set(Section::Failed(error.clone()));
                    ctx.report(&error);
                }
            }
        });
    }
}

fn history_item(item: Item, on_open: Callback<String>) -> impl IntoView {
    let ctx = use_ctx();
    let locale = ctx.locale();
    let time = item.time.as_ref().map(|t| t.display(ctx.zone()));
    let gap = if item.is_open { ctx.t(Msg::HistoryThisOne).to_string() } else { item.gap.map(|s| history_gap(locale, s)).unwrap_or_default() };
    let content = view! {
        <span class="opc-history__time opc-mono">{or_dash(time.as_deref())}</span>
        <StatusBadge status=item.status.clone() />
        <span class="opc-history__text opc-break">{or_dash(item.title.as_deref())}</span>
        <span class="opc-history__gap opc-muted">{gap}</span>
    };
    let chat_id = item.chat_id;
    if item.is_open {
        view! { <li class="opc-history__item opc-history__item--open" aria-current="true" data-chat-id=chat_id>{content}</li> }.into_any()
    } else {
        let target = chat_id.clone();
        view! {
            <li class="opc-history__item" data-chat-id=chat_id>
                <button type="button" class="opc-history__open" on:click=move |_| on_open.run(target.clone())>{content}</button>
            </li>
        }
        .into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::models::{PageInfo, User};
    use crate::time::parse_offset;

    const SEED_USER: &str = "u00013058217037704c358367f6e1fd1da545";
    const OTHER_AYANG: &str = "u00019c9457f4020443e6b984a37022a4ecee";

    fn zone() -> FixedOffset {
        parse_offset("+08:00").expect("zone")
    }

    fn day(text: &str) -> NaiveDate {
        crate::time::parse_date(text).expect("date")
    }

    fn open(create_time: &str) -> ChatInfo {
        ChatInfo {
            chat_id: Some("open".into()),
            create_time: time(create_time),
            status: Some("End".into()),
            subtitle: Some("Get帮你搞定一切".into()),
            user: Some(User { user_id: Some(SEED_USER.into()), nick_name: Some(" 阿洋 ".into()), service_count: Some(4), ..User::default() }),
            ..ChatInfo::default()
        }
    }

    /// A chat info's `createTime`, as the lenient decoder reads it.
    fn time(text: &str) -> Option<CreateTime> {
        match chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S") {
            Ok(local) => Some(CreateTime::ServerLocal(local)),
            Err(_) if text.is_empty() => None,
            Err(_) => Some(CreateTime::Unparsed(text.into())),
        }
    }

    fn row(id: &str, user: &str, ms: i64) -> SearchRow {
        SearchRow { chat_id: Some(id.into()), user_id: Some(user.into()), create_time: Some(CreateTime::EpochMs(ms)), ..SearchRow::default() }
    }

    #[test]
    fn the_window_is_anchored_on_the_open_conversation_in_the_server_zone() {
        // 2015-12-15 00:54:15 in UTC+8 is still 2015-12-14 in UTC: the server's day counts.
        let key = history_key(&open("2015-12-15 00:54:15"), zone(), day("2026-11-30"), 365).expect("key");
        assert_eq!(key, HistoryKey { user_id: SEED_USER.into(), nick: "阿洋".into(), window: DateRange { start: day("2014-12-15"), end: day("2026-11-30") } });
        let epoch = ChatInfo { create_time: Some(CreateTime::EpochMs(1_450_112_055_023)), ..open("") };
        assert_eq!(history_key(&epoch, zone(), day("2026-11-30"), 365).map(|k| k.window.start), Ok(day("2014-12-15")));
        assert_eq!(history_key(&open("x"), zone(), day("2026-11-30"), 10).map(|k| k.window), Ok(DateRange { start: day("2026-11-20"), end: day("2026-11-30") }), "unreadable: today");
        // A conversation "from the future" (a clock behind the server's) keeps itself in view.
        assert_eq!(history_key(&open("2026-12-02 10:00:00"), zone(), day("2026-11-30"), 1).map(|k| k.window.end), Ok(day("2026-12-02")));
    }

    #[test]
    fn nothing_to_search_by() {
        let mut info = open("2015-12-15 00:54:15");
        info.user.as_mut().expect("user").nick_name = Some("  ".into());
        assert_eq!(history_key(&info, zone(), day("2026-11-30"), 365), Err(Unsearchable::NoNickname));
        info.user = None;
        assert_eq!(history_key(&info, zone(), day("2026-11-30"), 365), Err(Unsearchable::NoNickname));
        let mut info = open("2015-12-15 00:54:15");
        info.user.as_mut().expect("user").user_id = Some(String::new());
        assert_eq!(history_key(&info, zone(), day("2026-11-30"), 365), Err(Unsearchable::NoUserId));
    }

    #[test]
    fn the_walk_asks_pages_of_a_hundred_by_nickname() {
        let key = history_key(&open("2015-12-15 00:54:15"), zone(), day("2026-11-30"), 365).expect("key");
        assert_eq!(
            page_query(&key, 2).body(),
            r#"{"userNick":"阿洋","startTime":"2014-12-15","endTime":"2026-11-30","pageNum":2,"pageSize":100}"#
        );
        let page = |rows: usize, total: Option<i64>, next: Option<bool>| SearchPage {
            rows: vec![SearchRow::default(); rows],
            page: Some(PageInfo { total, next, ..PageInfo::default() }),
        };
        assert!(!more_after(1, &page(99, Some(500), Some(true))), "a short page is the last");
        assert!(more_after(1, &page(100, Some(101), None)));
        assert!(!more_after(1, &page(100, Some(100), None)));
        assert!(more_after(3, &page(100, None, None)), "no total: go on while pages are full");
        assert!(!more_after(1, &page(100, Some(500), Some(false))), "the server's next wins");
    }

    #[test]
    fn only_the_open_conversations_customer_is_kept() {
        let rows = vec![row("a", SEED_USER, 3), row("b", OTHER_AYANG, 2), SearchRow { user_id: None, ..row("c", "", 1) }, row("d", SEED_USER, 1)];
        let kept: Vec<_> = of_customer(rows, SEED_USER).filter_map(|r| r.chat_id).collect();
        assert_eq!(kept, ["a", "d"]);
    }

    #[test]
    fn listed_newest_first_with_gaps_and_the_open_one_marked() {
        let info = open("2015-12-15 00:54:15");
        let open_ms = 1_450_112_055_000;
        const DAY: i64 = 86_400_000;
        let rows = vec![
            row("older", SEED_USER, open_ms - 3 * DAY),
            row("newer", SEED_USER, open_ms + 2 * 3_600_000),
            row("older", SEED_USER, open_ms - 3 * DAY),
            SearchRow { create_time: None, ..row("undated", SEED_USER, 0) },
        ];
        let items = listing(rows.clone(), &info, zone());
        let order: Vec<(&str, Option<i64>, bool)> = items.iter().map(|i| (i.chat_id.as_str(), i.gap, i.is_open)).collect();
        assert_eq!(
            order,
            [("newer", Some(7200), false), ("open", Some(0), true), ("older", Some(-3 * 86_400), false), ("undated", None, false)],
            "the open one is added from the chat info when the walk did not reach it"
        );
        let with_open = [vec![row("open", SEED_USER, open_ms)], rows].concat();
        assert_eq!(listing(with_open, &info, zone()).iter().filter(|i| i.chat_id == "open").count(), 1);
    }

    #[test]
    fn the_cache_is_per_customer_nickname_and_window() {
        let zone = zone();
        let key = |user: &str, nick: &str, start: &str| HistoryKey {
            user_id: user.into(),
            nick: nick.into(),
            window: DateRange { start: day(start), end: day("2026-11-30") },
        };
        let at = |date: &str| clock_ms(date);
        let found = Found { rows: vec![row("new", SEED_USER, at("2016-06-01")), row("old", SEED_USER, at("2015-03-01"))], capped: false };
        let mut cache = HistoryCache::default();
        cache.put(key(SEED_USER, "阿洋", "2015-01-01"), found.clone());
        assert_eq!(cache.get(&key(SEED_USER, "阿洋", "2015-01-01"), zone), Some(found.clone()));
        assert_eq!(cache.get(&key(OTHER_AYANG, "阿洋", "2015-01-01"), zone), None, "another customer");
        assert_eq!(cache.get(&key(SEED_USER, "阿洋洋", "2015-01-01"), zone), None, "another nickname");
        assert_eq!(cache.get(&key(SEED_USER, "阿洋", "2014-01-01"), zone), None, "a wider window walks again");
        let narrower = cache.get(&key(SEED_USER, "阿洋", "2016-01-01"), zone).expect("a narrower window is answered");
        assert_eq!(narrower.rows.iter().filter_map(|r| r.chat_id.as_deref()).collect::<Vec<_>>(), ["new"]);
        // A walk that stopped at its page limit may lack rows of any narrower window.
        cache.put(key(OTHER_AYANG, "阿洋", "2015-01-01"), Found { capped: true, ..found });
        assert_eq!(cache.get(&key(OTHER_AYANG, "阿洋", "2016-01-01"), zone), None);
    }

    fn clock_ms(date: &str) -> i64 {
        day(date).and_hms_opt(12, 0, 0).expect("time").and_utc().timestamp_millis()
    }
}
