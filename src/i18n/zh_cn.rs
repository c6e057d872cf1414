//! Simplified Chinese (zh-CN), the default language. Full-width punctuation between words.

use super::{Catalog, ErrorText, Msg, TimeLeft, TimeUnit};

pub struct ZhCn;

impl Catalog for ZhCn {
    fn name(&self) -> &'static str {
        "简体中文"
    }

    fn text(&self, msg: Msg) -> &'static str {
        use Msg::*;
        match msg {
            Brand => "Op 客服控制台",
            Language => "语言",
            Theme => "主题",
            ThemeSystem => "跟随系统",
            ThemeLight => "浅色",
            ThemeDark => "深色",

            SearchForm => "搜索会话",
            Nickname => "昵称",
            Tag => "标签",
            Operator => "客服",
            Title => "标题",
            StartDate => "开始日期",
            EndDate => "结束日期",
            DateRange => "日期范围",
            Search => "搜索",
            Reset => "重置",
            ExportCsv => "导出 CSV",
            MoreFilters => "展开",
            FewerFilters => "收起",
            PresetToday => "今天",
            Preset7 => "近 7 天",
            Preset30 => "近 30 天",
            Preset90 => "近 90 天",
            PresetMonth => "本月",
            StartRequired => "请选择开始日期",
            EndRequired => "请选择结束日期",
            StartAfterEnd => "开始日期不能晚于结束日期",
            NickPlaceholder => "按 / 聚焦",

            Conversations => "会话列表",
            ColChatId => "会话 ID",
            ColCreated => "创建时间",
            ColUser => "用户",
            ColAddress => "地址",
            ColStatus => "状态",
            ColTitle => "标题",
            Copy => "复制",
            Copied => "已复制",
            Columns => "列设置",
            Density => "密度",
            Compact => "紧凑",
            Comfortable => "宽松",

            PreviousPage => "上一页",
            NextPage => "下一页",
            RowsPerPage => "每页条数",
            JumpToPage => "跳至页",
            Pagination => "分页",

            Loading => "加载中…",
            JustNow => "刚刚",
            NoResults => "没有符合条件的会话",
            NoResultsHint => "试试扩大日期范围或清除筛选条件。",
            ErrorTitle => "加载失败",
            Retry => "重试",
            Dismiss => "关闭",
            Cancel => "取消",
            ExportPaused => "导出已暂停：",
            SaveWhatWeHave => "保存已导出部分",
            ExportProgress => "导出进度",
            Crashed => "控制台遇到内部错误，请重新加载。",
            PartNotLoaded => "控制台的这一部分未能加载。请检查网络后重试；如果控制台刚刚更新，请刷新页面。",

            SignInTitle => "登录客服控制台",
            SignInHint => "请输入客服令牌（仅保存在当前标签页）。",
            Token => "客服令牌",
            SignIn => "登录",
            SignOut => "退出",
            SessionExpired => "登录已失效，请重新输入令牌。",

            ChatDetails => "会话详情",
            Close => "关闭",
            Back => "返回",
            PreviousChat => "上一个会话",
            NextChat => "下一个会话",
            SectionConversation => "会话",
            SectionChannel => "渠道",
            SectionClient => "客户端",
            SectionLocation => "位置",
            SectionLinked => "关联会话",
            FieldUserId => "用户 ID",
            FieldTags => "标签",
            FieldServiceCount => "服务次数",
            FieldAddresses => "地址",
            FieldContacts => "联系人",
            FieldChatId => "会话 ID",
            FieldGroupId => "用户组 ID",
            FieldOperatorId => "客服 ID",
            FieldInGroup => "在群组中",
            FieldVersion => "版本",
            FieldClientType => "客户端类型",
            FieldStatus => "状态",
            FieldCompanyId => "公司 ID",
            FieldCreated => "创建时间",
            FieldSubtitle => "标题",
            FieldChannelId => "渠道 ID",
            FieldFollowedChannels => "关注的渠道",
            FieldClientId => "客户端 ID",
            FieldLatLng => "纬度 / 经度",
            OpenMap => "在地图中查看",
            OpenLinked => "打开关联会话",
            Yes => "是",
            No => "否",
            Remark => "备注",
            StatusActive => "进行中",
            StatusEnded => "已结束",
            StatusQueued => "排队中",
            StatusCode => "状态码",
            CopyByHand => "按 Ctrl+C 复制",
            ExportFilters => "导出条件",
            ExportAsk => "先用新的筛选条件搜索吗？",
            ExportLastFilters => "上次搜索",
            ExportNewFilters => "表单中的新条件",
            SearchAndExport => "搜索并导出",
            ExportLastSearch => "导出上次搜索",
            Resume => "继续",
            SectionCustomer => "客户",
            FieldDisplayNumber => "显示号码（脱敏）",
            FieldFullPhone => "完整号码",
            TechnicalDetails => "技术信息",
            ChartTitle => "会话数量趋势",
            ZoomOut => "扩大范围",
            HideChart => "隐藏图表",
            ShowChart => "显示图表",
            CountsChanged => "加载期间数量发生了变化",
            Refresh => "刷新",
            NoTotal => "服务器未返回会话总数",
            ChartKeys => "← → 选择，Shift+← → 扩展，Enter 搜索",
            // — views —
            Views => "视图",
            SaveCurrentView => "保存当前视图…",
            ManageViews => "管理视图…",
            SaveView => "保存视图",
            ManageViewsTitle => "管理视图",
            ViewName => "视图名称",
            Save => "保存",
            NoSavedViews => "还没有保存的视图。",
            SaveViewHint => "保存筛选条件、每页条数和显示的列。用快捷日期选择的范围会按使用当天重新计算。",
            DefaultView => "默认视图",
            MoveUp => "上移",
            MoveDown => "下移",
            Delete => "删除",
            Undo => "撤销",
            ViewNameRequired => "请输入视图名称",
            ViewNameTooLong => "视图名称最多 60 个字符",
            ViewNameTaken => "已有同名视图",
            ViewsFull => "最多保存 50 个视图，请先删除一个。",
            StorageFull => "浏览器的存储空间已满，未能保存。之前保存的视图都还在。",
            StorageUnavailable => "此浏览器不允许本页保存数据，视图无法保存。",
            ViewsFromNewerVersion => "这些视图由更新版本的控制台保存，此处无法显示或修改。",
            ShowNew => "显示",
            HistoryTitle => "该客户的会话",
            HistoryThisOne => "当前会话",
            HistoryWithinMinute => "1 分钟内",
            HistoryNoNick => "没有可用于搜索的昵称",
            HistoryNoUserId => "没有用户 ID，无法区分同名客户",

            SelectRow => "选择此行",
            SelectPage => "全选本页",
            Ids => "ID",
            ExportSelected => "导出所选",
            ClearSelection => "清除选择",
            SelectionDropped => "已开始新的搜索，之前的选择已清除。",
        }
    }

    fn results_count(&self, total: u64) -> String {
        format!("共 {total} 条")
    }

    fn page_of(&self, page: u32, last: u32) -> String {
        format!("第 {page} / {last} 页")
    }

    fn page_label(&self, page: u32) -> String {
        format!("第 {page} 页")
    }

    fn conversations_count(&self, count: i64) -> String {
        format!("{count} 次会话")
    }

    fn customers_count(&self, count: usize, whole: bool) -> String {
        match whole {
            true => format!(" · {count} 位客户"),
            false => format!(" · 本页 {count} 位客户"),
        }
    }

    fn export_progress(&self, written: u64, total: u64, left: Option<TimeLeft>) -> String {
        let left = match left {
            Some(TimeLeft::Seconds(s)) => format!(" · 约剩 {s} 秒"),
            Some(TimeLeft::Minutes(m)) => format!(" · 约剩 {m} 分钟"),
            None => String::new(),
        };
        format!("已导出 {written} / {total} 条{left}")
    }

    fn export_saved(&self, file: &str, written: u64, total: Option<u64>, complete: bool) -> String {
        match (complete, total) {
            (true, _) => format!("已保存 {file}（{written} 条）"),
            (false, Some(total)) => format!("已保存 {file}（部分：{written} / {total} 条）"),
            (false, None) => format!("已保存 {file}（部分：{written} 条）"),
        }
    }

    fn export_total_changed(&self, before: u64, now: u64) -> String {
        format!("导出期间结果总数发生了变化：{before} → {now}。重复的会话已去除。")
    }

    fn export_short(&self, written: u64, total: u64) -> String {
        format!("已保存 {written} / {total} 条——服务器返回的会话少于它报告的数量。")
    }

    fn export_stalled(&self, written: u64) -> String {
        format!("导出在 {written} 条后停止：服务器一再返回已导出的会话，文件可能不完整。")
    }

    fn export_save_failed(&self, step: &str) -> String {
        format!("浏览器无法生成文件（{step}）。")
    }

    fn labelled(&self, label: &str, value: &str) -> String {
        format!("{label}：{value}")
    }

    fn with_zone(&self, label: &str, zone: &str) -> String {
        format!("{label}（{zone}）")
    }

    fn time_ago(&self, count: u64, unit: TimeUnit, past: bool) -> String {
        let unit = unit_name(unit);
        match past {
            true => format!("{count} {unit}前"),
            false => format!("{count} {unit}后"),
        }
    }

    fn config_error(&self, origin: &str, key: &str, problem: &str) -> String {
        format!("配置错误（{origin}）：`{key}` {problem}")
    }

    fn api_error(&self, error: ErrorText<'_>) -> String {
        match error {
            ErrorText::Network => "无法连接服务器，请检查网络后重试。".into(),
            ErrorText::Timeout { seconds } => format!("服务器在 {} 秒内没有响应。", seconds),
            ErrorText::Aborted => "请求已取消。".into(),
            ErrorText::Http { status, summary } => format!("服务器错误（HTTP {status}）：{summary}"),
            ErrorText::Decode { endpoint, detail } => format!("无法解析 {endpoint} 的响应：{detail}"),
            ErrorText::Server { code, message } => format!("服务器返回错误 {code}：{message}"),
            ErrorText::AuthExpired => "登录已失效，请重新登录。".into(),
            ErrorText::Blocked { status, summary } => format!("请求被服务器或代理拦截（HTTP {status}）：{summary}"),
            ErrorText::HostThrew { callback, detail } => format!("宿主页面的 {callback} 出错：{detail}"),
            ErrorText::HostNotAString { callback, what } => {
                format!("宿主页面的 {callback} 返回了 {what}，而不是字符串。")
            }
        }
    }

    fn week_of(&self, monday: &str) -> String {
        format!("{monday} 当周")
    }

    fn bucket_name(&self, date: &str, count: u64) -> String {
        format!("{date}：{count} 条会话")
    }

    fn bucket_retry(&self, date: &str) -> String {
        format!("重试 {date}")
    }

    fn buckets_failed(&self, failed: usize, reason: &str) -> String {
        format!("{failed} 个时段的数量未能加载：{reason}")
    }

    fn chart_cut(&self, first: &str, years: usize) -> String {
        format!("图表从 {first} 年起，只显示所选范围的最后 {years} 年")
    }

    fn history_gap(&self, count: u64, unit: TimeUnit, earlier: bool) -> String {
        let unit = unit_name(unit);
        match earlier {
            true => format!("早 {count} {unit}"),
            false => format!("晚 {count} {unit}"),
        }
    }

    fn history_count(&self, count: usize, since: &str) -> String {
        format!("{since} 以来 {count} 次会话")
    }

    fn history_none(&self, since: &str) -> String {
        format!("{since} 以来该客户没有其他会话")
    }

    fn history_not_shown(&self, total: i64) -> String {
        format!("该客户共有 {total} 次会话，更早的或使用其他昵称的会话未显示。")
    }

    fn view_saved(&self, name: &str) -> String {
        format!("已保存视图“{name}”")
    }

    fn view_deleted(&self, name: &str) -> String {
        format!("已删除视图“{name}”")
    }

    fn new_conversations(&self, count: u64) -> String {
        format!("{count} 条新会话")
    }

    fn selected_count(&self, count: usize) -> String {
        format!("已选 {count} 条")
    }
}

/// A unit of [`TimeUnit`] as a count of it is written.
fn unit_name(unit: TimeUnit) -> &'static str {
    match unit {
        TimeUnit::Minute => "分钟",
        TimeUnit::Hour => "小时",
        TimeUnit::Day => "天",
        TimeUnit::Month => "个月",
        TimeUnit::Year => "年",
    }
}
