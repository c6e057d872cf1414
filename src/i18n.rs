//! The console's two languages. Every fixed text the view shows is a [`Msg`]; texts with
//! numbers in them are functions below. English accessible names are a contract
//! (DESIGN §6): tests find controls by them. The rules for words and punctuation are at
//! the top of the catalog.

use chrono::FixedOffset;

use crate::time::zone_label;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locale {
    ZhCn,
    En,
}

impl Locale {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "zh-CN" | "zh" | "zh-cn" => Some(Self::ZhCn),
            "en" | "en-US" | "en-GB" => Some(Self::En),
            _ => None,
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Self::ZhCn => "zh-CN",
            Self::En => "en",
        }
    }

    /// A (zh-CN, en) pair in this locale.
    fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Self::ZhCn => zh,
            Self::En => en,
        }
    }
}

// One word per thing. Every text of the console, in both languages, follows these rules
// (`one_word_per_thing` below checks them):
//
// - The thing operators search is a *conversation* (zh-CN 会话) — never "chat" in English
//   ("session" is the operator's sign-in only), never 聊天/对话 in zh-CN. "Chat" survives in English only inside names
//   fixed by DESIGN §6 or by the API: the identifier is the "Chat ID" (the API's `chatId`;
//   also "Linked chat ID") and the drawer is the dialog "Chat details".
// - Its heading is its *title* (标题): the search row's `title` and the chat info's
//   `subtitle` are the same text, so both are "Title".
// - The person who wrote in is the *customer* (客户: "8 customers", "Conversations with
//   this customer"); "User"/用户 stays only where it names the API's data — the column
//   "User" (a DESIGN §6 name) and "User ID" (`userId`). The person answering is the
//   *operator* (客服).
// - Statuses are the catalog's words (`ui::status`): Queued / Active / Ended, 排队中 /
//   进行中 / 已结束; the wire values (排队, Chat, …) only where the console does not know them.
// - zh-CN uses full-width punctuation between words — "：", "（…）", "，" — never ASCII ":"
//   or "(…)"; a label and its value are joined by [`filter_summary`], not by hand.
// - Times are shown in the configured zone, and a column of times says which
//   ([`with_zone`]: "Created (UTC+8)", "创建时间（UTC+8）").

macro_rules! messages {
    ($($name:ident => $zh:literal, $en:literal;)*) => {
        /// A fixed text of the view.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg { $($name),* }

        impl Msg {
            /// Every text, for tests that check the catalog's rules.
            #[cfg(test)]
            pub const ALL: &[Msg] = &[$(Self::$name),*];

            pub fn text(self, locale: Locale) -> &'static str {
                match self { $(Self::$name => locale.pick($zh, $en)),* }
            }
        }
    };
}

messages! {
    Brand => "Op 客服控制台", "Op Console";
    Language => "语言", "Language";
    Theme => "主题", "Theme";
    ThemeSystem => "跟随系统", "System";
    ThemeLight => "浅色", "Light";
    ThemeDark => "深色", "Dark";

    SearchForm => "搜索会话", "Search conversations";
    Nickname => "昵称", "Nickname";
    Tag => "标签", "Tag";
    Operator => "客服", "Operator";
    Title => "标题", "Title";
    StartDate => "开始日期", "Start date";
    EndDate => "结束日期", "End date";
    DateRange => "日期范围", "Date range";
    Search => "搜索", "Search";
    Reset => "重置", "Reset";
    ExportCsv => "导出 CSV", "Export CSV";
    MoreFilters => "展开", "Expand";
    FewerFilters => "收起", "Collapse";
    PresetToday => "今天", "Today";
    Preset7 => "近 7 天", "Last 7 days";
    Preset30 => "近 30 天", "Last 30 days";
    Preset90 => "近 90 天", "Last 90 days";
    PresetMonth => "本月", "This month";
    StartRequired => "请选择开始日期", "Choose a start date";
    EndRequired => "请选择结束日期", "Choose an end date";
    StartAfterEnd => "开始日期不能晚于结束日期", "The start date must not be after the end date";
    NickPlaceholder => "按 / 聚焦", "Press / to focus";

    Conversations => "会话列表", "Conversations";
    ColChatId => "会话 ID", "Chat ID";
    ColCreated => "创建时间", "Created";
    ColUser => "用户", "User";
    ColAddress => "地址", "Address";
    ColStatus => "状态", "Status";
    ColTitle => "标题", "Title";
    Copy => "复制", "Copy";
    Copied => "已复制", "Copied";
    Columns => "列设置", "Columns";
    Density => "密度", "Density";
    Compact => "紧凑", "Compact";
    Comfortable => "宽松", "Comfortable";
    Open => "查看", "Open";

    PreviousPage => "上一页", "Previous page";
    NextPage => "下一页", "Next page";
    RowsPerPage => "每页条数", "Rows per page";
    JumpToPage => "跳至页", "Go to page";
    Pagination => "分页", "Pagination";

    Loading => "加载中…", "Loading…";
    NoResults => "没有符合条件的会话", "No conversations match";
    NoResultsHint => "试试扩大日期范围或清除筛选条件。", "Try a wider date range or clear the filters.";
    ErrorTitle => "加载失败", "Could not load";
    Retry => "重试", "Retry";
    Dismiss => "关闭", "Dismiss";
    Cancel => "取消", "Cancel";
    ExportPaused => "导出已暂停：", "Export paused:";
    SaveWhatWeHave => "保存已导出部分", "Save what we have";
    ExportProgress => "导出进度", "Export progress";
    ExportSaveFailed => "浏览器无法生成文件", "The browser could not create the file";
    Crashed => "控制台遇到内部错误，请重新加载。", "The console hit an internal error. Reload to continue.";

    SignInTitle => "登录客服控制台", "Sign in to Op Console";
    SignInHint => "请输入客服令牌（仅保存在当前标签页）。", "Enter your operator token (kept in this tab only).";
    Token => "客服令牌", "Operator token";
    SignIn => "登录", "Sign in";
    SignOut => "退出", "Sign out";
    SessionExpired => "登录已失效，请重新输入令牌。", "Your session has expired. Enter a token again.";

    ChatDetails => "会话详情", "Chat details";
    Close => "关闭", "Close";
    Back => "返回", "Back";
    PreviousChat => "上一个会话", "Previous conversation";
    NextChat => "下一个会话", "Next conversation";
    SectionConversation => "会话", "Conversation";
    SectionChannel => "渠道", "Channel";
    SectionClient => "客户端", "Client";
    SectionLocation => "位置", "Location";
    SectionLinked => "关联会话", "Linked conversation";
    FieldUserId => "用户 ID", "User ID";
    FieldUserName => "用户名", "User name";
    FieldTags => "标签", "Tags";
    FieldServiceCount => "服务次数", "Service count";
    FieldAddresses => "地址", "Addresses";
    FieldContacts => "联系人", "Contacts";
    FieldChatId => "会话 ID", "Chat ID";
    FieldGroupId => "用户组 ID", "Group ID";
    FieldOperatorId => "客服 ID", "Operator ID";
    FieldInGroup => "在群组中", "In group";
    FieldVersion => "版本", "Version";
    FieldClientType => "客户端类型", "Client type";
    FieldStatus => "状态", "Status";
    FieldCompanyId => "公司 ID", "Company ID";
    FieldCreated => "创建时间", "Created";
    // The chat info's `subtitle` is the search row's `title`: one thing, one word.
    FieldSubtitle => "标题", "Title";
    FieldChannelId => "渠道 ID", "Channel ID";
    FieldFollowedChannels => "关注的渠道", "Channels followed";
    FieldClientId => "客户端 ID", "Client ID";
    FieldLatLng => "纬度 / 经度", "Latitude / longitude";
    OpenMap => "在地图中查看", "Open in map";
    OpenLinked => "打开关联会话", "Open linked conversation";
    Yes => "是", "Yes";
    No => "否", "No";
    Remark => "备注", "Remark";
    StatusActive => "进行中", "Active";
    StatusEnded => "已结束", "Ended";
    // — visual —
    StatusQueued => "排队中", "Queued";
    StatusCode => "状态码", "Status code";
    CopyByHand => "按 Ctrl+C 复制", "Press Ctrl+C to copy";
    // — export —
    ExportFilters => "导出条件", "Filters in the file";
    ExportAsk => "先用新的筛选条件搜索吗？", "Search with the new filters first?";
    ExportLastFilters => "上次搜索", "Last search";
    ExportNewFilters => "表单中的新条件", "New filters in the form";
    SearchAndExport => "搜索并导出", "Search and export";
    ExportLastSearch => "导出上次搜索", "Export the last search";
    Resume => "继续", "Resume";
    // — drawer —
    SectionCustomer => "客户", "Customer";
    // `displayPhone` is the masked number shown to operators, `phone` the real one.
    FieldDisplayNumber => "显示号码（脱敏）", "Display number (masked)";
    FieldFullPhone => "完整号码", "Phone (full number)";
    TechnicalDetails => "技术信息", "Technical details";
}

/// "12 results" / "共 12 条".
pub fn results_count(locale: Locale, total: u64) -> String {
    match locale {
        Locale::ZhCn => format!("共 {total} 条"),
        Locale::En if total == 1 => "1 result".into(),
        Locale::En => format!("{total} results"),
    }
}

/// "Page 3 of 9" / "第 3 / 9 页".
pub fn page_of(locale: Locale, page: u32, last: u32) -> String {
    match locale {
        Locale::ZhCn => format!("第 {page} / {last} 页"),
        Locale::En => format!("Page {page} of {last}"),
    }
}

/// The accessible name of a numbered page button.
pub fn page_label(locale: Locale, page: u32) -> String {
    match locale {
        Locale::ZhCn => format!("第 {page} 页"),
        Locale::En => format!("Page {page}"),
    }
}

/// "4 conversations" / "4 次会话".
pub fn conversations_count(locale: Locale, count: i64) -> String {
    match locale {
        Locale::ZhCn => format!("{count} 次会话"),
        Locale::En if count == 1 => "1 conversation".into(),
        Locale::En => format!("{count} conversations"),
    }
}

/// "Exported 1500 of 5012 · about 12 s left" (minutes from a minute on).
pub fn export_progress(locale: Locale, written: u64, total: u64, seconds_left: Option<u64>) -> String {
    let left = seconds_left.map(|s| match (locale, s) {
        (Locale::ZhCn, 0..60) => format!(" · 约剩 {s} 秒"),
        (Locale::ZhCn, _) => format!(" · 约剩 {} 分钟", s.div_ceil(60)),
        (Locale::En, 0..60) => format!(" · about {s} s left"),
        (Locale::En, _) => format!(" · about {} min left", s.div_ceil(60)),
    });
    let left = left.unwrap_or_default();
    match locale {
        Locale::ZhCn => format!("已导出 {written} / {total} 条{left}"),
        Locale::En => format!("Exported {written} of {total}{left}"),
    }
}

/// The result line; `complete` is false for a partial file (Save what we have, or fewer
/// rows than the server reported); `total` is `None` when the server reported none.
pub fn export_saved(locale: Locale, file: &str, written: u64, total: Option<u64>, complete: bool) -> String {
    match (locale, complete, total) {
        (Locale::ZhCn, true, _) => format!("已保存 {file}（{written} 条）"),
        (Locale::ZhCn, false, Some(total)) => format!("已保存 {file}（部分：{written} / {total} 条）"),
        (Locale::ZhCn, false, None) => format!("已保存 {file}（部分：{written} 条）"),
        (Locale::En, true, _) => format!("Saved {file} ({written} rows)"),
        (Locale::En, false, Some(total)) => format!("Saved {file} (partial: {written} of {total} rows)"),
        (Locale::En, false, None) => format!("Saved {file} (partial: {written} rows)"),
    }
}

pub fn export_total_changed(locale: Locale, before: u64, now: u64) -> String {
    match locale {
        Locale::ZhCn => format!("导出期间结果总数发生了变化：{before} → {now}。重复的会话已去除。"),
        Locale::En => format!("The number of results changed during the export: {before} → {now}. Duplicates were dropped."),
    }
}

/// "Nickname: 阿洋" / "昵称：阿洋": a label and its value, with the language's colon (the
/// empty state's list of filters, the density button, a remark).
pub fn filter_summary(locale: Locale, label: Msg, value: &str) -> String {
    match locale {
        Locale::ZhCn => format!("{}：{value}", label.text(locale)),
        Locale::En => format!("{}: {value}", label.text(locale)),
    }
}

// — visual —

/// A label with the zone its times are in: "Created (UTC+8)" / "创建时间（UTC+8）".
pub fn with_zone(locale: Locale, label: Msg, zone: FixedOffset) -> String {
    let zone = zone_label(zone);
    match locale {
        Locale::ZhCn => format!("{}（{zone}）", label.text(locale)),
        Locale::En => format!("{} ({zone})", label.text(locale)),
    }
}

/// How long ago something was, roughly: "3 hours ago" / "3 小时前" (and "in 2 days" / "2
/// 天后" for a time ahead of the browser's clock). Units end at the largest that fits;
/// months are 30 days and years 365.
pub fn relative_time(locale: Locale, seconds_ago: i64) -> String {
    const MINUTE: (u64, &str, &str) = (60, "minute", "分钟");
    const UNITS: [(u64, &str, &str); 5] = [(31_536_000, "year", "年"), (2_592_000, "month", "个月"), (86_400, "day", "天"), (3_600, "hour", "小时"), MINUTE];
    let span = seconds_ago.unsigned_abs();
    if span < 60 {
        return locale.pick("刚刚", "just now").to_string();
    }
    let (size, en, zh) = UNITS.into_iter().find(|(size, _, _)| span >= *size).unwrap_or(MINUTE);
    let n = span / size;
    let plural = if n == 1 { "" } else { "s" };
    match (locale, seconds_ago >= 0) {
        (Locale::ZhCn, true) => format!("{n} {zh}前"),
        (Locale::ZhCn, false) => format!("{n} {zh}后"),
        (Locale::En, true) => format!("{n} {en}{plural} ago"),
        (Locale::En, false) => format!("in {n} {en}{plural}"),
    }
}

// — table —

/// " · 8 customers" after the total when a nickname search finds several (never one)
/// customers; `whole` says whether the page holds the whole result or the count is this
/// page's.
pub fn customers_count(locale: Locale, count: usize, whole: bool) -> String {
    match (locale, whole) {
        (Locale::ZhCn, true) => format!(" · {count} 位客户"),
        (Locale::ZhCn, false) => format!(" · 本页 {count} 位客户"),
        (Locale::En, true) => format!(" · {count} customers"),
        (Locale::En, false) => format!(" · {count} customers on this page"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        ];
        texts.extend(errors.iter().map(|e| e.message(locale)));
        texts
    }

    #[test]
    fn one_word_per_thing() {
        for msg in Msg::ALL {
            let (zh, en) = (msg.text(Locale::ZhCn), msg.text(Locale::En));
            // "Chat" only inside the names fixed by DESIGN §6 and the API's chatId.
            let rest = en.to_lowercase().replace("chat id", "").replace("chat details", "");
            assert!(!rest.contains("chat"), "{msg:?}: {en:?} calls a conversation a chat");
            assert!(!en.to_lowercase().contains("subtitle") && !zh.contains("副标题"), "{msg:?}: the title is \"Title\"/标题");
            assert!(!zh.contains("聊天") && !zh.contains("对话"), "{msg:?}: {zh:?}: a conversation is 会话");
        }
        for text in texts_with_values(Locale::En) {
            let rest = text.to_lowercase().replace("chat id", "").replace("chat details", "");
            assert!(!rest.contains("chat"), "{text:?} calls a conversation a chat");
        }
    }

    #[test]
    fn chinese_punctuation_is_full_width() {
        let texts: Vec<String> = Msg::ALL.iter().map(|m| m.text(Locale::ZhCn).to_string()).chain(texts_with_values(Locale::ZhCn)).collect();
        for text in texts {
            // "Ctrl+C", "HTTP 502" and the host's callbacks `getToken()`/`sign()` are ASCII
            // words; the punctuation around words is not.
            let prose = text.replace("getToken()", "").replace("sign()", "");
            assert!(!prose.contains([':', '(', ')', ';', '?', '!']), "{text:?} mixes ASCII punctuation into zh-CN");
            assert!(!text.contains(", "), "{text:?}: a zh-CN comma is \"，\"");
        }
        assert_eq!(filter_summary(Locale::ZhCn, Msg::Density, Msg::Compact.text(Locale::ZhCn)), "密度：紧凑");
        assert_eq!(filter_summary(Locale::En, Msg::Density, Msg::Compact.text(Locale::En)), "Density: Compact");
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
        assert_eq!(Locale::parse("en"), Some(Locale::En));
        assert_eq!(Locale::parse("de"), None);
        assert_eq!(Locale::parse(Locale::En.tag()), Some(Locale::En));
    }
}

// — export —

/// Why a saved file holds fewer rows than the search matches, when the server is the
/// reason: it sent fewer than its total, or kept sending rows already written.
pub fn export_short(locale: Locale, written: u64, total: u64) -> String {
    match locale {
        Locale::ZhCn => format!("已保存 {written} / {total} 条——服务器返回的会话少于它报告的数量。"),
        Locale::En => format!("{written} of {total} rows saved — the server returned fewer than it reported."),
    }
}

pub fn export_stalled(locale: Locale, written: u64) -> String {
    match locale {
        Locale::ZhCn => format!("导出在 {written} 条后停止：服务器一再返回已导出的会话，文件可能不完整。"),
        Locale::En => format!("The export stopped after {written} rows: the server kept sending rows already exported, so the file may be incomplete."),
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
