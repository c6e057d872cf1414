//! The console's languages. Every fixed text the view shows is a [`Msg`]; texts with
//! numbers or values in them are the [`Catalog`] functions, reached through the free
//! functions below. Each language is one file (`en.rs`, `zh_cn.rs`, `zh_tw.rs`) that
//! implements [`Catalog`]: its `text` is an exhaustive `match` over [`Msg`] and the trait
//! has no default methods, so a text missing in any language does not compile. English
//! accessible names are a contract (DESIGN §6): tests find controls by them. The rules
//! for words and punctuation are below; `tests::one_word_per_thing` checks them.
//! ARCHITECTURE.md, "How to add a language", is the recipe.

use chrono::FixedOffset;

use crate::time::zone_label;

mod en;
mod zh_cn;
mod zh_tw;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locale {
    ZhCn,
    ZhTw,
    En,
}

impl Locale {
    /// Every language, in the order the language select lists them.
    pub const ALL: [Locale; 3] = [Self::ZhCn, Self::ZhTw, Self::En];

    /// A language tag (config `locale`, the `locale` attribute, the select, the remembered
    /// choice), without regard to case. Traditional Chinese is taken for Taiwan, Hong Kong
    /// and Macau and for the `Hant` script; other Chinese is Simplified.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "zh-cn" | "zh" | "zh-hans" | "zh-hans-cn" | "zh-sg" => Some(Self::ZhCn),
            "zh-tw" | "zh-hant" | "zh-hant-tw" | "zh-hk" | "zh-hant-hk" | "zh-mo" => Some(Self::ZhTw),
            "en" | "en-us" | "en-gb" => Some(Self::En),
            _ => None,
        }
    }

    /// The tag written to `lang`, the select's value and the remembered choice.
    pub fn tag(self) -> &'static str {
        match self {
            Self::ZhCn => "zh-CN",
            Self::ZhTw => "zh-TW",
            Self::En => "en",
        }
    }

    /// This language's texts.
    pub fn catalog(self) -> &'static dyn Catalog {
        match self {
            Self::ZhCn => &zh_cn::ZhCn,
            Self::ZhTw => &zh_tw::ZhTw,
            Self::En => &en::En,
        }
    }

    /// The tags a configuration may name, for its error message: `"zh-CN", "zh-TW" or "en"`.
    pub fn choices() -> String {
        let tags: Vec<String> = Self::ALL.iter().map(|l| format!("\"{}\"", l.tag())).collect();
        match tags.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        }
    }
}

// One word per thing. Every text of the console, in every language, follows these rules
// (`one_word_per_thing` below checks them):
//
// - The thing operators search is a *conversation* (zh-CN 会话, zh-TW 會話) — never "chat"
//   in English ("session" is the operator's sign-in only), never 聊天/对话 (聊天/對話). "Chat"
//   survives in English only inside names fixed by DESIGN §6 or by the API: the identifier
//   is the "Chat ID" (the API's `chatId`; also "Linked chat ID") and the drawer is the
//   dialog "Chat details".
// - Its heading is its *title* (标题/標題): the search row's `title` and the chat info's
//   `subtitle` are the same text, so both are "Title".
// - The person who wrote in is the *customer* (客户/客戶: "8 customers", "Conversations with
//   this customer"); "User"/用户/使用者 stays only where it names the API's data — the column
//   "User" (a DESIGN §6 name) and "User ID" (`userId`). The person answering is the
//   *operator* (客服).
// - Statuses are the catalog's words (`ui::status`): Queued / Active / Ended, 排队中 /
//   进行中 / 已结束, 排隊中 / 進行中 / 已結束; the wire values (排队, Chat, …) only where the
//   console does not know them.
// - Chinese uses full-width punctuation between words — "：", "（…）", "，" — never ASCII
//   ":" or "(…)"; a label and its value are joined by [`filter_summary`], not by hand.
// - zh-TW is Taiwan usage in Traditional characters: 搜尋, 匯出, 篩選, 設定, 資料, 檢視,
//   重新整理, 使用者; never a Simplified character.
// - Times are shown in the configured zone, and a column of times says which
//   ([`with_zone`]: "Created (UTC+8)", "创建时间（UTC+8）").

macro_rules! messages {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// A fixed text of the view. Its words are in each language's `Catalog::text`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg { $($(#[$doc])* $name),* }

        impl Msg {
            /// Every text, for tests that check the catalogs.
            #[cfg(test)]
            pub const ALL: &[Msg] = &[$(Self::$name),*];
        }
    };
}

messages! {
    Brand,
    Language,
    Theme,
    ThemeSystem,
    ThemeLight,
    ThemeDark,

    SearchForm,
    Nickname,
    Tag,
    Operator,
    Title,
    StartDate,
    EndDate,
    DateRange,
    Search,
    Reset,
    ExportCsv,
    MoreFilters,
    FewerFilters,
    PresetToday,
    Preset7,
    Preset30,
    Preset90,
    PresetMonth,
    StartRequired,
    EndRequired,
    StartAfterEnd,
    NickPlaceholder,

    Conversations,
    ColChatId,
    ColCreated,
    ColUser,
    ColAddress,
    ColStatus,
    ColTitle,
    Copy,
    Copied,
    Columns,
    Density,
    Compact,
    Comfortable,

    PreviousPage,
    NextPage,
    RowsPerPage,
    JumpToPage,
    Pagination,

    Loading,
    /// A time less than a minute from now, either way.
    JustNow,
    NoResults,
    NoResultsHint,
    ErrorTitle,
    Retry,
    Dismiss,
    Cancel,
    ExportPaused,
    SaveWhatWeHave,
    ExportProgress,
    Crashed,
    /// A part of the console loaded on first use (a chunk of the split build) did not arrive.
    PartNotLoaded,

    SignInTitle,
    SignInHint,
    Token,
    SignIn,
    SignOut,
    SessionExpired,

    ChatDetails,
    Close,
    Back,
    PreviousChat,
    NextChat,
    SectionConversation,
    SectionChannel,
    SectionClient,
    SectionLocation,
    SectionLinked,
    FieldUserId,
    FieldTags,
    FieldServiceCount,
    FieldAddresses,
    FieldContacts,
    FieldChatId,
    FieldGroupId,
    FieldOperatorId,
    FieldInGroup,
    FieldVersion,
    FieldClientType,
    FieldStatus,
    FieldCompanyId,
    FieldCreated,
    // The chat info's `subtitle` is the search row's `title`: one thing, one word.
    FieldSubtitle,
    FieldChannelId,
    FieldFollowedChannels,
    FieldClientId,
    FieldLatLng,
    OpenMap,
    OpenLinked,
    Yes,
    No,
    Remark,
    StatusActive,
    StatusEnded,
    // — visual —
    StatusQueued,
    StatusCode,
    CopyByHand,
    // — export —
    ExportFilters,
    ExportAsk,
    ExportLastFilters,
    ExportNewFilters,
    SearchAndExport,
    ExportLastSearch,
    Resume,
    // — drawer —
    SectionCustomer,
    // `displayPhone` is the masked number shown to operators, `phone` the real one.
    FieldDisplayNumber,
    FieldFullPhone,
    TechnicalDetails,
    // — chart —
    ChartTitle,
    ZoomOut,
    HideChart,
    ShowChart,
    CountsChanged,
    Refresh,
    NoTotal,
    ChartKeys,
    // — history —
    HistoryTitle,
    /// The open conversation's item in the customer's list.
    HistoryThisOne,
    /// A conversation less than a minute from the open one, either way.
    HistoryWithinMinute,
    HistoryNoNick,
    HistoryNoUserId,
    // — views —
    Views,
    SaveCurrentView,
    ManageViews,
    SaveView,
    ManageViewsTitle,
    ViewName,
    Save,
    NoSavedViews,
    SaveViewHint,
    DefaultView,
    MoveUp,
    MoveDown,
    Delete,
    Undo,
    ViewNameRequired,
    ViewNameTooLong,
    ViewNameTaken,
    ViewsFull,
    StorageFull,
    StorageUnavailable,
    ViewsFromNewerVersion,
    // — live —
    ShowNew,

    // — selection —
    SelectRow,
    SelectPage,
    /// After `Copy`: "Copy IDs".
    Ids,
    ExportSelected,
    ClearSelection,
    SelectionDropped,
}

impl Msg {
    pub fn text(self, locale: Locale) -> &'static str {
        locale.catalog().text(self)
    }
}

/// How much of an export is left, as [`export_progress`] says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeLeft {
    Seconds(u64),
    /// From a minute on, rounded up.
    Minutes(u64),
}

/// A failed call to the Op API, as the catalogs word it: `api::ApiError::message` maps
/// every error to one (an exhaustive `match`, so a new error asks for its words). Values
/// are quoted as they came: the server's texts, JavaScript's, an endpoint's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorText<'a> {
    Network,
    Timeout { seconds: u32 },
    Aborted,
    Http { status: u16, summary: &'a str },
    Blocked { status: u16, summary: &'a str },
    Decode { endpoint: &'a str, detail: &'a str },
    Server { code: i64, message: &'a str },
    AuthExpired,
    /// A host callback (`getToken()`, `sign()`) threw or was rejected.
    HostThrew { callback: &'a str, detail: &'a str },
    /// A host callback answered something other than a string.
    HostNotAString { callback: &'a str, what: &'a str },
}

/// The unit of a [`relative_time`]: the largest that fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    Minute,
    Hour,
    Day,
    /// 30 days.
    Month,
    /// 365 days.
    Year,
}

/// Every text of one language. No method has a default: a language that lacks one does
/// not compile. The free functions of this module are the way in for the view.
pub trait Catalog: Sync {
    /// The language's own name, as the language select lists it in every language.
    fn name(&self) -> &'static str;
    /// The fixed texts: an exhaustive `match`.
    fn text(&self, msg: Msg) -> &'static str;
    /// "12 results".
    fn results_count(&self, total: u64) -> String;
    /// "Page 3 of 9".
    fn page_of(&self, page: u32, last: u32) -> String;
    /// The accessible name of a numbered page button: "Page 3".
    fn page_label(&self, page: u32) -> String;
    /// "4 conversations" (a customer's service count).
    fn conversations_count(&self, count: i64) -> String;
    /// " · 8 customers" after the total; `whole` is false when only this page was counted.
    fn customers_count(&self, count: usize, whole: bool) -> String;
    /// "Exported 1500 of 5012 · about 12 s left".
    fn export_progress(&self, written: u64, total: u64, left: Option<TimeLeft>) -> String;
    /// The result line of a saved file; see [`export_saved`].
    fn export_saved(&self, file: &str, written: u64, total: Option<u64>, complete: bool) -> String;
    fn export_total_changed(&self, before: u64, now: u64) -> String;
    /// A saved file shorter than the total the server reported.
    fn export_short(&self, written: u64, total: u64) -> String;
    /// An export stopped because the server kept sending rows already written.
    fn export_stalled(&self, written: u64) -> String;
    /// The browser would not make the file; `step` is a browser API's name.
    fn export_save_failed(&self, step: &str) -> String;
    /// A label and its value with the language's colon: "Nickname: 阿洋".
    fn labelled(&self, label: &str, value: &str) -> String;
    /// A label and the zone of its times: "Created (UTC+8)".
    fn with_zone(&self, label: &str, zone: &str) -> String;
    /// "3 hours ago" (`past`) or "in 3 hours".
    fn time_ago(&self, count: u64, unit: TimeUnit, past: bool) -> String;
    /// A configuration value the console cannot use; `problem` is the (English) rule it broke.
    fn config_error(&self, origin: &str, key: &str, problem: &str) -> String;
    /// A failed call to the Op API (`ApiError::message` says which).
    fn api_error(&self, error: ErrorText<'_>) -> String;
    /// A week bucket of the chart by its Monday: "Week of 2026-11-23".
    fn week_of(&self, monday: &str) -> String;
    /// A chart bar's accessible name (DESIGN §6): "2026-11-28: 42 conversations".
    fn bucket_name(&self, date: &str, count: u64) -> String;
    /// The Retry of a chart bar whose count failed: "Retry 2026-11-28".
    fn bucket_retry(&self, date: &str) -> String;
    /// Under the chart: "3 counts could not be loaded: {reason}".
    fn buckets_failed(&self, failed: usize, reason: &str) -> String;
    /// Under a chart of a range longer than its bars can hold, which keep the range's last
    /// `years`: "The chart starts at 1965, the last 62 years of the range".
    fn chart_cut(&self, first: &str, years: usize) -> String;
    /// How far a conversation is from the open one: "3 days earlier" / "2 hours later".
    fn history_gap(&self, count: u64, unit: TimeUnit, earlier: bool) -> String;
    /// "4 conversations since 2014-12-15" (the open one included).
    fn history_count(&self, count: usize, since: &str) -> String;
    /// Only the open conversation was found since `since`.
    fn history_none(&self, since: &str) -> String;
    /// The customer's `serviceCount` is more than the list holds.
    fn history_not_shown(&self, total: i64) -> String;
    /// "View “Mine” saved".
    fn view_saved(&self, name: &str) -> String;
    /// "View “Mine” deleted", next to its Undo.
    fn view_deleted(&self, name: &str) -> String;
    /// The live banner: "3 new conversations".
    fn new_conversations(&self, count: u64) -> String;
    /// The selection bar's count: "3 selected".
    fn selected_count(&self, count: usize) -> String;
}

/// A week bucket of the chart: `Week of 2026-11-23` / `2026-11-23 当周` (its Monday).
pub fn week_of(locale: Locale, monday: &str) -> String {
    locale.catalog().week_of(monday)
}

/// A chart bar's accessible name, from its date as [`week_of`] or the chart says it:
/// "2026-11-28: 42 conversations", "2026-11-28：42 条会话".
pub fn bucket_name(locale: Locale, date: &str, count: u64) -> String {
    locale.catalog().bucket_name(date, count)
}

/// The Retry of a chart bar whose count could not be loaded.
pub fn bucket_retry(locale: Locale, date: &str) -> String {
    locale.catalog().bucket_retry(date)
}

/// Under the chart when some counts failed: how many, and why (the first failure's words).
pub fn buckets_failed(locale: Locale, failed: usize, reason: &str) -> String {
    locale.catalog().buckets_failed(failed, reason)
}

pub fn chart_cut(locale: Locale, first: &str, years: usize) -> String {
    locale.catalog().chart_cut(first, years)
}

/// "12 results" / "共 12 条".
pub fn results_count(locale: Locale, total: u64) -> String {
    locale.catalog().results_count(total)
}

/// "Page 3 of 9" / "第 3 / 9 页".
pub fn page_of(locale: Locale, page: u32, last: u32) -> String {
    locale.catalog().page_of(page, last)
}

/// The accessible name of a numbered page button.
pub fn page_label(locale: Locale, page: u32) -> String {
    locale.catalog().page_label(page)
}

/// "4 conversations" / "4 次会话".
pub fn conversations_count(locale: Locale, count: i64) -> String {
    locale.catalog().conversations_count(count)
}

/// "Exported 1500 of 5012 · about 12 s left" (minutes from a minute on).
pub fn export_progress(locale: Locale, written: u64, total: u64, seconds_left: Option<u64>) -> String {
    let left = seconds_left.map(|s| if s < 60 { TimeLeft::Seconds(s) } else { TimeLeft::Minutes(s.div_ceil(60)) });
    locale.catalog().export_progress(written, total, left)
}

/// The result line; `complete` is false for a partial file (Save what we have, or fewer
/// rows than the server reported); `total` is `None` when the server reported none.
pub fn export_saved(locale: Locale, file: &str, written: u64, total: Option<u64>, complete: bool) -> String {
    locale.catalog().export_saved(file, written, total, complete)
}

pub fn export_total_changed(locale: Locale, before: u64, now: u64) -> String {
    locale.catalog().export_total_changed(before, now)
}

/// Why a saved file holds fewer rows than the search matches, when the server is the
/// reason: it sent fewer than its total, or kept sending rows already written.
pub fn export_short(locale: Locale, written: u64, total: u64) -> String {
    locale.catalog().export_short(written, total)
}

pub fn export_stalled(locale: Locale, written: u64) -> String {
    locale.catalog().export_stalled(written)
}

/// "Nickname: 阿洋" / "昵称：阿洋": a label and its value, with the language's colon (the
/// empty state's list of filters, the density button, a remark).
pub fn filter_summary(locale: Locale, label: Msg, value: &str) -> String {
    locale.catalog().labelled(label.text(locale), value)
}

/// A label with the zone its times are in: "Created (UTC+8)" / "创建时间（UTC+8）".
pub fn with_zone(locale: Locale, label: Msg, zone: FixedOffset) -> String {
    locale.catalog().with_zone(label.text(locale), &zone_label(zone))
}

/// How long ago something was, roughly: "3 hours ago" / "3 小时前" (and "in 2 days" / "2
/// 天后" for a time ahead of the browser's clock). Units end at the largest that fits;
/// months are 30 days and years 365.
pub fn relative_time(locale: Locale, seconds_ago: i64) -> String {
    match largest_unit(seconds_ago.unsigned_abs()) {
        Some((count, unit)) => locale.catalog().time_ago(count, unit, seconds_ago >= 0),
        None => Msg::JustNow.text(locale).to_string(),
    }
}

/// `seconds` in the largest unit that fits (months of 30 days, years of 365), as (count,
/// unit); `None` under a minute.
fn largest_unit(seconds: u64) -> Option<(u64, TimeUnit)> {
    const UNITS: [(u64, TimeUnit); 5] = [
        (31_536_000, TimeUnit::Year),
        (2_592_000, TimeUnit::Month),
        (86_400, TimeUnit::Day),
        (3_600, TimeUnit::Hour),
        (60, TimeUnit::Minute),
    ];
    UNITS.into_iter().find(|(size, _)| seconds >= *size).map(|(size, unit)| (seconds / size, unit))
}

/// " · 8 customers" after the total when a nickname search finds several (never one)
/// customers; `whole` says whether the page holds the whole result or the count is this
/// page's.
pub fn customers_count(locale: Locale, count: usize, whole: bool) -> String {
    locale.catalog().customers_count(count, whole)
}

// — history —

/// How far a conversation is from the open one: "3 days earlier" / "早 3 天", "2 hours
/// later" / "晚 2 小时"; `seconds` is the other one's time minus the open one's.
pub fn history_gap(locale: Locale, seconds: i64) -> String {
    match largest_unit(seconds.unsigned_abs()) {
        Some((count, unit)) => locale.catalog().history_gap(count, unit, seconds < 0),
        None => Msg::HistoryWithinMinute.text(locale).to_string(),
    }
}

/// "4 conversations since 2014-12-15" / "2014-12-15 以来 4 次会话" (the open one included).
pub fn history_count(locale: Locale, count: usize, since: &str) -> String {
    locale.catalog().history_count(count, since)
}

/// Only the open conversation was found.
pub fn history_none(locale: Locale, since: &str) -> String {
    locale.catalog().history_none(since)
}

/// The customer's `serviceCount` is more than the list holds.
pub fn history_not_shown(locale: Locale, total: i64) -> String {
    locale.catalog().history_not_shown(total)
}

pub fn view_saved(locale: Locale, name: &str) -> String {
    locale.catalog().view_saved(name)
}

pub fn view_deleted(locale: Locale, name: &str) -> String {
    locale.catalog().view_deleted(name)
}

pub fn new_conversations(locale: Locale, count: u64) -> String {
    locale.catalog().new_conversations(count)
}

// — selection —

/// The selection bar's count: "3 selected" / "已选 3 条".
pub fn selected_count(locale: Locale, count: usize) -> String {
    locale.catalog().selected_count(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ApiError;

    #[test]
    fn contract_names_in_english() {
        assert_eq!(Msg::SearchForm.text(Locale::En), "Search conversations");
        assert_eq!(Msg::ChatDetails.text(Locale::En), "Chat details");
        assert_eq!(Msg::RowsPerPage.text(Locale::En), "Rows per page");
        assert_eq!(results_count(Locale::En, 12), "12 results");
        assert_eq!(results_count(Locale::ZhCn, 12), "共 12 条");
        assert_eq!(conversations_count(Locale::En, 4), "4 conversations");
        assert_eq!(Msg::ExportCsv.text(Locale::En), "Export CSV");
        assert_eq!(Msg::ExportCsv.text(Locale::ZhCn), "导出 CSV");
    }

    #[test]
    fn messages_in_both_languages_quote_the_server() {
        let e = ApiError::Server { code: 404, message: "会话不存在".into() };
        assert_eq!(e.message(Locale::ZhCn), "服务器返回错误 404：会话不存在");
        assert_eq!(e.message(Locale::En), "The server said 404: 会话不存在");
        let blocked = ApiError::Blocked { status: 403, summary: "Access denied".into() };
        assert_eq!(blocked.message(Locale::En), "Blocked by the server or a proxy (HTTP 403): Access denied");
        assert_eq!(blocked.message(Locale::ZhCn), "请求被服务器或代理拦截（HTTP 403）：Access denied");
        let host = ApiError::Host { callback: crate::api::error::HostCallback::GetToken, failure: crate::api::error::HostFailure::NotAString("undefined".into()) };
        assert_eq!(host.message(Locale::En), "The host page's getToken() returned undefined, not a string.");
        assert_eq!(host.kind(), "host");
        let t = ApiError::Timeout(15000);
        assert!(t.message(Locale::En).contains("15 s"));
        assert!(t.message(Locale::ZhCn).contains("15 秒"));
    }

    #[test]
    fn export_lines_in_both_languages() {
        assert_eq!(export_progress(Locale::En, 500, 5_012, Some(12)), "Exported 500 of 5012 · about 12 s left");
        assert_eq!(export_progress(Locale::En, 500, 100_012, Some(125)), "Exported 500 of 100012 · about 3 min left");
        assert_eq!(export_progress(Locale::ZhCn, 500, 5_012, None), "已导出 500 / 5012 条");
        assert_eq!(export_progress(Locale::ZhCn, 0, 0, Some(61)), "已导出 0 / 0 条 · 约剩 2 分钟");
        assert_eq!(export_saved(Locale::En, "c.csv", 12, Some(12), true), "Saved c.csv (12 rows)");
        assert_eq!(export_saved(Locale::En, "c.csv", 500, Some(612), false), "Saved c.csv (partial: 500 of 612 rows)");
        assert_eq!(export_saved(Locale::ZhCn, "c.csv", 500, Some(612), false), "已保存 c.csv（部分：500 / 612 条）");
        assert_eq!(export_saved(Locale::En, "c.csv", 500, None, false), "Saved c.csv (partial: 500 rows)");
        assert_eq!(export_saved(Locale::ZhCn, "c.csv", 500, None, false), "已保存 c.csv（部分：500 条）");
    }

    /// A sample of every text with a number or a value in it, in `locale`.
    fn texts_with_values(locale: Locale) -> Vec<String> {
        let zone = crate::time::parse_offset("+08:00").expect("zone");
        let mut texts = vec![
            bucket_name(locale, "2026-11-28", 42),
            bucket_name(locale, &week_of(locale, "2026-11-23"), 1),
            bucket_retry(locale, "2026-11-28"),
            buckets_failed(locale, 3, "timeout"),
            chart_cut(locale, "1965", 62),
            results_count(locale, 12),
            page_of(locale, 3, 9),
            page_label(locale, 3),
            conversations_count(locale, 4),
            export_progress(locale, 500, 5_012, Some(75)),
            export_saved(locale, "c.csv", 500, Some(612), false),
            export_saved(locale, "c.csv", 12, Some(12), true),
            export_total_changed(locale, 5, 6),
            filter_summary(locale, Msg::Nickname, "阿洋"),
            with_zone(locale, Msg::ColCreated, zone),
            relative_time(locale, 3 * 3600),
            relative_time(locale, -2 * 86_400),
            relative_time(locale, 45 * 86_400),
            relative_time(locale, 11 * 365 * 86_400),
            relative_time(locale, 90),
            customers_count(locale, 8, true),
            customers_count(locale, 3, false),
            export_short(locale, 500, 778),
            export_stalled(locale, 500),
            locale.catalog().export_save_failed("Blob"),
            view_saved(locale, "Mine"),
            view_deleted(locale, "Mine"),
            new_conversations(locale, 3),
            new_conversations(locale, 1),
            crate::config::ConfigError::new("config.json", "locale", "must be a string").message(locale),
            history_gap(locale, -3 * 86_400),
            history_gap(locale, 2 * 3600),
            history_count(locale, 4, "2014-12-15"),
            history_none(locale, "2014-12-15"),
            history_not_shown(locale, 9),
        ];
        let errors = [
            crate::api::ApiError::Network("x".into()),
            crate::api::ApiError::Timeout(15_000),
            crate::api::ApiError::Http { status: 502, summary: "Bad gateway".into() },
            crate::api::ApiError::Server { code: 404, message: "会话不存在".into() },
            crate::api::ApiError::Host {
                callback: crate::api::error::HostCallback::GetToken,
                failure: crate::api::error::HostFailure::NotAString("undefined".into()),
            },
            crate::api::ApiError::Blocked { status: 403, summary: "Access denied".into() },
            crate::api::ApiError::Aborted,
            crate::api::ApiError::Decode { endpoint: crate::api::Endpoint::ChatSearchs, detail: "x".into() },
            crate::api::ApiError::AuthExpired { code: 401, message: String::new() },
            crate::api::ApiError::Host {
                callback: crate::api::error::HostCallback::Sign,
                failure: crate::api::error::HostFailure::Threw("x".into()),
            },
        ];
        texts.extend(errors.iter().map(|e| e.message(locale)));
        texts
    }

    /// Every fixed text and a sample of every text with values, in `locale`.
    fn all_texts(locale: Locale) -> Vec<String> {
        Msg::ALL.iter().map(|m| m.text(locale).to_string()).chain(texts_with_values(locale)).collect()
    }

    /// The words of one Chinese script: the conversation, the customer, and characters
    /// that belong to the other script only.
    struct ChineseWords {
        conversation: &'static str,
        customer: &'static str,
        forbidden: &'static [&'static str],
    }

    fn chinese_words(locale: Locale) -> Option<ChineseWords> {
        match locale {
            Locale::ZhCn => Some(ChineseWords { conversation: "会话", customer: "客户", forbidden: &["聊天", "对话", "副标题", "會", "話", "戶"] }),
            // Taiwan usage; a Simplified character in a zh-TW text is a copy left untranslated.
            Locale::ZhTw => Some(ChineseWords {
                conversation: "會話",
                customer: "客戶",
                forbidden: &[
                    "聊天", "對話", "对话", "副標題", "搜索", "导出", "导", "会", "话", "户", "设", "数", "据", "页", "条", "载", "关", "闭",
                    "时", "间", "号", "开", "态", "标", "签", "组", "复", "紧", "应", "响", "请", "输", "网", "络", "连", "务", "检", "视", "录",
                    "显", "备", "实", "进", "结", "确", "认", "择", "语", "题", "浅", "随", "详", "类", "线", "错", "误", "档", "归", "删", "选",
                    "渠道", "用户", "信息", "文件", "设置", "刷新", "加载", "保存已", "令牌",
                ],
            }),
            Locale::En => None,
        }
    }

    #[test]
    fn one_word_per_thing() {
        for locale in Locale::ALL {
            for text in all_texts(locale) {
                match chinese_words(locale) {
                    None => {
                        // "Chat" only inside the names fixed by DESIGN §6 and the API's (chatId,
                        // the endpoints' names).
                        let rest = text.to_lowercase().replace("chat id", "").replace("chat details", "").replace("chatsearchs", "");
                        assert!(!rest.contains("chat"), "{text:?} calls a conversation a chat");
                        assert!(!text.to_lowercase().contains("subtitle"), "{text:?}: the title is \"Title\"");
                    }
                    Some(words) => {
                        // The server's own words are quoted as they came.
                        let ours = text.replace("会话不存在", "");
                        for word in words.forbidden {
                            assert!(!ours.contains(word), "{}: {text:?} has {word:?}", locale.tag());
                        }
                    }
                }
            }
            if let Some(words) = chinese_words(locale) {
                assert!(Msg::SectionConversation.text(locale) == words.conversation, "{}: a conversation is {}", locale.tag(), words.conversation);
                assert!(Msg::SectionCustomer.text(locale) == words.customer, "{}: a customer is {}", locale.tag(), words.customer);
                assert_eq!(Msg::Operator.text(locale), "客服", "{}: the operator is 客服", locale.tag());
                assert!(conversations_count(locale, 4).contains(words.conversation));
                assert!(customers_count(locale, 8, true).contains(words.customer));
            }
        }
    }

    #[test]
    fn chinese_punctuation_is_full_width() {
        for locale in [Locale::ZhCn, Locale::ZhTw] {
            for text in all_texts(locale) {
                // "Ctrl+C", "HTTP 502" and the host's callbacks `getToken()`/`sign()` are ASCII
                // words; the punctuation around words is not.
                let prose = text.replace("getToken()", "").replace("sign()", "");
                assert!(!prose.contains([':', '(', ')', ';', '?', '!']), "{text:?} mixes ASCII punctuation into {}", locale.tag());
                assert!(!text.contains(", "), "{text:?}: a Chinese comma is \"，\"");
            }
        }
        assert_eq!(filter_summary(Locale::ZhCn, Msg::Density, Msg::Compact.text(Locale::ZhCn)), "密度：紧凑");
        assert_eq!(filter_summary(Locale::ZhTw, Msg::Density, Msg::Compact.text(Locale::ZhTw)), "密度：緊密");
        assert_eq!(filter_summary(Locale::En, Msg::Density, Msg::Compact.text(Locale::En)), "Density: Compact");
    }

    /// Every language has every text: none is empty, and none is left in English where
    /// zh-CN translates it (a language copied from `en.rs` and not finished fails here).
    /// The compiler already insists that each language *has* each text.
    #[test]
    fn every_language_is_complete() {
        for locale in Locale::ALL {
            for msg in Msg::ALL {
                let text = msg.text(locale);
                assert!(!text.trim().is_empty(), "{}: {msg:?} is empty", locale.tag());
                let translated_in_zh_cn = msg.text(Locale::ZhCn) != msg.text(Locale::En);
                if locale != Locale::En && translated_in_zh_cn {
                    assert_ne!(text, msg.text(Locale::En), "{}: {msg:?} is still English", locale.tag());
                }
            }
            let english = all_texts(Locale::En);
            for (text, en) in texts_with_values(locale).iter().zip(texts_with_values(Locale::En)) {
                assert!(!text.trim().is_empty());
                if locale != Locale::En {
                    assert_ne!(text, &en, "{}: still English", locale.tag());
                }
            }
            assert_eq!(all_texts(locale).len(), english.len());
            assert!(!locale.catalog().name().is_empty());
            assert_eq!(Locale::parse(locale.tag()), Some(locale), "{} reads back", locale.tag());
        }
        let names: std::collections::HashSet<_> = Locale::ALL.iter().map(|l| l.catalog().name()).collect();
        assert_eq!(names.len(), Locale::ALL.len(), "the select tells the languages apart");
    }

    #[test]
    fn traditional_chinese_in_taiwan_usage() {
        let tw = Locale::ZhTw;
        assert_eq!(Msg::SearchForm.text(tw), "搜尋會話");
        assert_eq!(Msg::ExportCsv.text(tw), "匯出 CSV");
        assert_eq!(Msg::Columns.text(tw), "欄位設定");
        assert_eq!(results_count(tw, 12), "共 12 筆");
        assert_eq!(page_of(tw, 3, 9), "第 3 / 9 頁");
        assert_eq!(page_label(tw, 3), "第 3 頁");
        assert_eq!(with_zone(tw, Msg::ColCreated, crate::time::parse_offset("+08:00").expect("zone")), "建立時間（UTC+8）");
        assert_eq!(relative_time(tw, 3 * 3600 + 1200), "3 小時前");
        assert_eq!(relative_time(tw, -2 * 86_400), "2 天後");
        assert_eq!(relative_time(tw, 5), "剛剛");
        assert_eq!(export_progress(tw, 500, 5_012, Some(61)), "已匯出 500 / 5012 筆 · 約剩 2 分鐘");
        assert_eq!(export_saved(tw, "c.csv", 500, Some(612), false), "已儲存 c.csv（部分：500 / 612 筆）");
        let e = ApiError::Server { code: 404, message: "会话不存在".into() };
        assert_eq!(e.message(tw), "伺服器傳回錯誤 404：会话不存在", "the server's words as they came");
        assert_eq!(ApiError::Timeout(15_000).message(tw), "伺服器在 15 秒內沒有回應。");
    }

    #[test]
    fn time_columns_say_their_zone() {
        let zone = |text| crate::time::parse_offset(text).expect("zone");
        assert_eq!(with_zone(Locale::En, Msg::ColCreated, zone("+08:00")), "Created (UTC+8)");
        assert_eq!(with_zone(Locale::ZhCn, Msg::ColCreated, zone("+08:00")), "创建时间（UTC+8）");
        assert_eq!(with_zone(Locale::En, Msg::ColCreated, zone("-05:30")), "Created (UTC-5:30)");
        assert_eq!(with_zone(Locale::En, Msg::ColCreated, zone("Z")), "Created (UTC)");
    }

    #[test]
    fn relative_times() {
        assert_eq!(relative_time(Locale::En, 3 * 3600 + 1200), "3 hours ago");
        assert_eq!(relative_time(Locale::ZhCn, 3 * 3600 + 1200), "3 小时前");
        assert_eq!(relative_time(Locale::En, 59), "just now");
        assert_eq!(relative_time(Locale::ZhCn, -30), "刚刚");
        assert_eq!(relative_time(Locale::En, 60), "1 minute ago");
        assert_eq!(relative_time(Locale::En, 86_400), "1 day ago");
        assert_eq!(relative_time(Locale::En, 45 * 86_400), "1 month ago");
        assert_eq!(relative_time(Locale::ZhCn, 11 * 365 * 86_400), "11 年前");
        assert_eq!(relative_time(Locale::En, -2 * 86_400), "in 2 days");
        assert_eq!(relative_time(Locale::ZhCn, -2 * 86_400), "2 天后");
        assert_eq!(relative_time(Locale::En, i64::MIN), relative_time(Locale::En, i64::MIN), "no overflow");
    }

    #[test]
    fn customer_counts_in_both_languages() {
        assert_eq!(results_count(Locale::En, 16) + &customers_count(Locale::En, 8, true), "16 results · 8 customers");
        assert_eq!(customers_count(Locale::En, 3, false), " · 3 customers on this page");
        assert_eq!(customers_count(Locale::ZhCn, 8, true), " · 8 位客户");
        assert_eq!(customers_count(Locale::ZhCn, 8, false), " · 本页 8 位客户");
    }

    #[test]
    fn locales_parse() {
        assert_eq!(Locale::parse("zh-CN"), Some(Locale::ZhCn));
        assert_eq!(Locale::parse("zh-Hans"), Some(Locale::ZhCn));
        for tag in ["zh-TW", "zh-tw", "zh-Hant", "zh-HK", "zh-Hant-TW", " zh-MO "] {
            assert_eq!(Locale::parse(tag), Some(Locale::ZhTw), "{tag}");
        }
        assert_eq!(Locale::choices(), "\"zh-CN\", \"zh-TW\" or \"en\"");
        assert_eq!(Locale::parse("en"), Some(Locale::En));
        assert_eq!(Locale::parse("de"), None);
        assert_eq!(Locale::parse(Locale::En.tag()), Some(Locale::En));
    }
}

#[cfg(test)]
mod export_texts {
    use super::*;

    #[test]
    fn short_and_stalled_exports_say_so_in_both_languages() {
        assert_eq!(export_short(Locale::En, 500, 778), "500 of 778 rows saved — the server returned fewer than it reported.");
        assert_eq!(export_short(Locale::ZhCn, 500, 778), "已保存 500 / 778 条——服务器返回的会话少于它报告的数量。");
        assert!(export_stalled(Locale::En, 500).starts_with("The export stopped after 500 rows"));
        assert!(export_stalled(Locale::ZhCn, 500).starts_with("导出在 500 条后停止"));
    }
}

#[cfg(test)]
mod chart_texts {
    use super::*;

    #[test]
    fn bar_names_as_the_contract_says() {
        assert_eq!(bucket_name(Locale::En, "2026-11-28", 42), "2026-11-28: 42 conversations");
        assert_eq!(bucket_name(Locale::En, "2026-11-28", 1), "2026-11-28: 1 conversation");
        assert_eq!(bucket_name(Locale::ZhCn, "2026-11-28", 42), "2026-11-28：42 条会话");
        assert_eq!(bucket_name(Locale::ZhTw, "2026-11-28", 42), "2026-11-28：42 筆會話");
        assert_eq!(bucket_name(Locale::En, &week_of(Locale::En, "2026-11-23"), 0), "Week of 2026-11-23: 0 conversations");
        assert_eq!(bucket_name(Locale::ZhCn, &week_of(Locale::ZhCn, "2026-11-23"), 7), "2026-11-23 当周：7 条会话");
        assert_eq!(bucket_name(Locale::En, "2026-11", 9), "2026-11: 9 conversations");
        assert_eq!(bucket_retry(Locale::En, "2026-11-28"), "Retry 2026-11-28");
        assert_eq!(buckets_failed(Locale::En, 1, "x"), "1 count could not be loaded: x");
        assert_eq!(chart_cut(Locale::ZhCn, "1965", 62), "图表从 1965 年起，只显示所选范围的最后 62 年");
        assert_eq!(Msg::ChartTitle.text(Locale::En), "Conversations over time");
        assert_eq!(Msg::ChartTitle.text(Locale::ZhCn), "会话数量趋势");
        for (msg, name) in [(Msg::ZoomOut, "Zoom out"), (Msg::HideChart, "Hide chart"), (Msg::ShowChart, "Show chart")] {
            assert_eq!(msg.text(Locale::En), name);
        }
    }
}

#[cfg(test)]
mod history_texts {
    use super::*;

    #[test]
    fn gaps_in_every_language() {
        const DAY: i64 = 86_400;
        assert_eq!(history_gap(Locale::En, -3 * DAY - 600), "3 days earlier");
        assert_eq!(history_gap(Locale::En, 2 * 3600 + 59), "2 hours later");
        assert_eq!(history_gap(Locale::En, -DAY), "1 day earlier");
        assert_eq!(history_gap(Locale::En, 400 * DAY), "1 year later");
        assert_eq!(history_gap(Locale::En, 45 * DAY), "1 month later");
        assert_eq!(history_gap(Locale::En, 30), "within a minute");
        assert_eq!(history_gap(Locale::ZhCn, -3 * DAY - 600), "早 3 天");
        assert_eq!(history_gap(Locale::ZhCn, 2 * 3600), "晚 2 小时");
        assert_eq!(history_gap(Locale::ZhCn, -90), "早 1 分钟");
        assert_eq!(history_gap(Locale::ZhCn, 0), "1 分钟内");
        assert_eq!(history_gap(Locale::ZhTw, 2 * 3600), "晚 2 小時");
        assert_eq!(history_gap(Locale::ZhTw, -45 * DAY), "早 1 個月");
        assert_eq!(history_gap(Locale::En, i64::MIN), "292471208677 years earlier", "no overflow");
    }

    #[test]
    fn counts_in_every_language() {
        assert_eq!(history_count(Locale::En, 4, "2014-12-15"), "4 conversations since 2014-12-15");
        assert_eq!(history_count(Locale::En, 1, "2014-12-15"), "1 conversation since 2014-12-15");
        assert_eq!(history_count(Locale::ZhCn, 4, "2014-12-15"), "2014-12-15 以来 4 次会话");
        assert_eq!(history_count(Locale::ZhTw, 4, "2014-12-15"), "2014-12-15 以來 4 次會話");
        assert_eq!(
            history_not_shown(Locale::En, 9),
            "The customer has 9 in total; older ones or ones under another nickname are not shown."
        );
        assert_eq!(history_not_shown(Locale::ZhCn, 9), "该客户共有 9 次会话，更早的或使用其他昵称的会话未显示。");
        assert_eq!(history_none(Locale::En, "2014-12-15"), "No other conversations with this customer since 2014-12-15");
        assert_eq!(Msg::HistoryTitle.text(Locale::En), "Conversations with this customer");
        assert_eq!(Msg::HistoryTitle.text(Locale::ZhCn), "该客户的会话");
        assert_eq!(Msg::HistoryTitle.text(Locale::ZhTw), "該客戶的會話");
        assert_eq!(Msg::HistoryThisOne.text(Locale::En), "this conversation");
    }
}

#[cfg(test)]
mod views_and_live_texts {
    use super::*;

    #[test]
    fn view_and_live_texts_in_every_language() {
        assert_eq!(view_deleted(Locale::En, "Mine"), "View “Mine” deleted");
        assert_eq!(view_saved(Locale::ZhCn, "我的"), "已保存视图“我的”");
        assert_eq!(view_saved(Locale::ZhTw, "我的"), "已儲存檢視「我的」");
        assert_eq!(new_conversations(Locale::En, 3), "3 new conversations");
        assert_eq!(new_conversations(Locale::En, 1), "1 new conversation");
        assert_eq!(new_conversations(Locale::ZhCn, 3), "3 条新会话");
        assert_eq!(new_conversations(Locale::ZhTw, 3), "3 筆新會話");
    }
}
