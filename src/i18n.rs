//! The console's two languages. Every fixed text the view shows is a [`Msg`]; texts with
//! numbers in them are functions below. English accessible names are a contract
//! (DESIGN §6): tests find controls by them.

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

macro_rules! messages {
    ($($name:ident => $zh:literal, $en:literal;)*) => {
        /// A fixed text of the view.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg { $($name),* }

        impl Msg {
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
    FieldSubtitle => "副标题", "Subtitle";
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

/// The result line; `complete` is false after Save what we have.
pub fn export_saved(locale: Locale, file: &str, written: u64, total: u64, complete: bool) -> String {
    match (locale, complete) {
        (Locale::ZhCn, true) => format!("已保存 {file}（{written} 条）"),
        (Locale::ZhCn, false) => format!("已保存 {file}（部分：{written} / {total} 条）"),
        (Locale::En, true) => format!("Saved {file} ({written} rows)"),
        (Locale::En, false) => format!("Saved {file} (partial: {written} of {total} rows)"),
    }
}

pub fn export_total_changed(locale: Locale, before: u64, now: u64) -> String {
    match locale {
        Locale::ZhCn => format!("导出期间结果总数发生了变化：{before} → {now}。重复的会话已去除。"),
        Locale::En => format!("The number of results changed during the export: {before} → {now}. Duplicates were dropped."),
    }
}

/// "Nickname: 阿洋" for the empty state's list of active filters.
pub fn filter_summary(locale: Locale, label: Msg, value: &str) -> String {
    match locale {
        Locale::ZhCn => format!("{}：{value}", label.text(locale)),
        Locale::En => format!("{}: {value}", label.text(locale)),
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
        assert_eq!(export_saved(Locale::En, "c.csv", 12, 12, true), "Saved c.csv (12 rows)");
        assert_eq!(export_saved(Locale::En, "c.csv", 500, 612, false), "Saved c.csv (partial: 500 of 612 rows)");
        assert_eq!(export_saved(Locale::ZhCn, "c.csv", 500, 612, false), "已保存 c.csv（部分：500 / 612 条）");
    }

    #[test]
    fn locales_parse() {
        assert_eq!(Locale::parse("zh-CN"), Some(Locale::ZhCn));
        assert_eq!(Locale::parse("en"), Some(Locale::En));
        assert_eq!(Locale::parse("de"), None);
        assert_eq!(Locale::parse(Locale::En.tag()), Some(Locale::En));
    }
}
