//! Traditional Chinese (zh-TW), Taiwan usage: 會話, 客戶, 搜尋, 匯出, 篩選, 設定, 資料,
//! 檢視, 使用者, 權杖, 筆. Also the language of Hong Kong and Macau tags (`Locale::parse`).
//! Full-width punctuation between words; dates and numbers as in zh-CN.

use super::{Catalog, ErrorText, Msg, TimeLeft, TimeUnit};

pub struct ZhTw;

impl Catalog for ZhTw {
    fn name(&self) -> &'static str {
        "繁體中文"
    }

    fn text(&self, msg: Msg) -> &'static str {
        use Msg::*;
        match msg {
            Brand => "Op 客服控制台",
            Language => "語言",
            Theme => "主題",
            ThemeSystem => "跟隨系統",
            ThemeLight => "淺色",
            ThemeDark => "深色",

            SearchForm => "搜尋會話",
            Nickname => "暱稱",
            Tag => "標籤",
            Operator => "客服",
            Title => "標題",
            StartDate => "開始日期",
            EndDate => "結束日期",
            DateRange => "日期範圍",
            Search => "搜尋",
            Reset => "重設",
            ExportCsv => "匯出 CSV",
            MoreFilters => "展開",
            FewerFilters => "收合",
            PresetToday => "今天",
            Preset7 => "近 7 天",
            Preset30 => "近 30 天",
            Preset90 => "近 90 天",
            PresetMonth => "本月",
            StartRequired => "請選擇開始日期",
            EndRequired => "請選擇結束日期",
            StartAfterEnd => "開始日期不能晚於結束日期",
            NickPlaceholder => "按 / 聚焦",

            Conversations => "會話列表",
            ColChatId => "會話 ID",
            ColCreated => "建立時間",
            ColUser => "使用者",
            ColAddress => "地址",
            ColStatus => "狀態",
            ColTitle => "標題",
            Copy => "複製",
            Copied => "已複製",
            Columns => "欄位設定",
            Density => "密度",
            Compact => "緊密",
            Comfortable => "寬鬆",

            PreviousPage => "上一頁",
            NextPage => "下一頁",
            RowsPerPage => "每頁筆數",
            JumpToPage => "跳至頁",
            Pagination => "分頁",

            Loading => "載入中…",
            JustNow => "剛剛",
            NoResults => "沒有符合條件的會話",
            NoResultsHint => "試試擴大日期範圍或清除篩選條件。",
            ErrorTitle => "載入失敗",
            Retry => "重試",
            Dismiss => "關閉",
            Cancel => "取消",
            ExportPaused => "匯出已暫停：",
            SaveWhatWeHave => "儲存已匯出部分",
            ExportProgress => "匯出進度",
            Crashed => "控制台發生內部錯誤，請重新載入。",
            PartNotLoaded => "控制台的這個部分無法載入。請檢查網路連線後重試；若控制台剛更新，請重新整理頁面。",

            SignInTitle => "登入客服控制台",
            SignInHint => "請輸入客服權杖（僅保存在目前分頁）。",
            Token => "客服權杖",
            SignIn => "登入",
            SignOut => "登出",
            SessionExpired => "登入已失效，請重新輸入權杖。",

            ChatDetails => "會話詳細資料",
            Close => "關閉",
            Back => "返回",
            PreviousChat => "上一個會話",
            NextChat => "下一個會話",
            SectionConversation => "會話",
            SectionChannel => "管道",
            SectionClient => "用戶端",
            SectionLocation => "位置",
            SectionLinked => "關聯會話",
            FieldUserId => "使用者 ID",
            FieldTags => "標籤",
            FieldServiceCount => "服務次數",
            FieldAddresses => "地址",
            FieldContacts => "聯絡人",
            FieldChatId => "會話 ID",
            FieldGroupId => "使用者群組 ID",
            FieldOperatorId => "客服 ID",
            FieldInGroup => "在群組中",
            FieldVersion => "版本",
            FieldClientType => "用戶端類型",
            FieldStatus => "狀態",
            FieldCompanyId => "公司 ID",
            FieldCreated => "建立時間",
            FieldSubtitle => "標題",
            FieldChannelId => "管道 ID",
            FieldFollowedChannels => "關注的管道",
            FieldClientId => "用戶端 ID",
            FieldLatLng => "緯度 / 經度",
            OpenMap => "在地圖中檢視",
            OpenLinked => "開啟關聯會話",
            Yes => "是",
            No => "否",
            Remark => "備註",
            StatusActive => "進行中",
            StatusEnded => "已結束",
            StatusQueued => "排隊中",
            StatusCode => "狀態碼",
            CopyByHand => "按 Ctrl+C 複製",
            ExportFilters => "匯出條件",
            ExportAsk => "先用新的篩選條件搜尋嗎？",
            ExportLastFilters => "上次搜尋",
            ExportNewFilters => "表單中的新條件",
            SearchAndExport => "搜尋並匯出",
            ExportLastSearch => "匯出上次搜尋",
            Resume => "繼續",
            SectionCustomer => "客戶",
            FieldDisplayNumber => "顯示號碼（已遮蔽）",
            FieldFullPhone => "完整號碼",
            TechnicalDetails => "技術資訊",
            ChartTitle => "會話數量趨勢",
            ZoomOut => "擴大範圍",
            HideChart => "隱藏圖表",
            ShowChart => "顯示圖表",
            CountsChanged => "載入期間數量有所變動",
            Refresh => "重新整理",
            NoTotal => "伺服器未傳回會話總數",
            ChartKeys => "← → 選擇，Shift+← → 擴展，Enter 搜尋",
            // — views —
            Views => "檢視",
            SaveCurrentView => "儲存目前檢視…",
            ManageViews => "管理檢視…",
            SaveView => "儲存檢視",
            ManageViewsTitle => "管理檢視",
            ViewName => "檢視名稱",
            Save => "儲存",
            NoSavedViews => "尚未儲存任何檢視。",
            SaveViewHint => "儲存篩選條件、每頁筆數和顯示的欄位。以快速日期選取的範圍會依使用當天重新計算。",
            DefaultView => "預設檢視",
            MoveUp => "上移",
            MoveDown => "下移",
            Delete => "刪除",
            Undo => "復原",
            ViewNameRequired => "請輸入檢視名稱",
            ViewNameTooLong => "檢視名稱最多 60 個字元",
            ViewNameTaken => "已有同名的檢視",
            ViewsFull => "最多可儲存 50 個檢視，請先刪除一個。",
            StorageFull => "瀏覽器的儲存空間已滿，未能儲存。先前儲存的檢視都還在。",
            StorageUnavailable => "此瀏覽器不允許本頁儲存資料，無法儲存檢視。",
            ViewsFromNewerVersion => "這些檢視由較新版本的控制台儲存，無法在此顯示或修改。",
            ShowNew => "顯示",
            HistoryTitle => "該客戶的會話",
            HistoryThisOne => "目前會話",
            HistoryWithinMinute => "1 分鐘內",
            HistoryNoNick => "沒有可用於搜尋的暱稱",
            HistoryNoUserId => "沒有使用者 ID，無法區分同名客戶",

            SelectRow => "選取此列",
            SelectPage => "全選本頁",
            Ids => "ID",
            ExportSelected => "匯出所選",
            ClearSelection => "清除選取",
            SelectionDropped => "已開始新的搜尋，先前的選取已清除。",
        }
    }

    fn results_count(&self, total: u64) -> String {
        format!("共 {total} 筆")
    }

    fn page_of(&self, page: u32, last: u32) -> String {
        format!("第 {page} / {last} 頁")
    }

    fn page_label(&self, page: u32) -> String {
        format!("第 {page} 頁")
    }

    fn conversations_count(&self, count: i64) -> String {
        format!("{count} 次會話")
    }

    fn customers_count(&self, count: usize, whole: bool) -> String {
        match whole {
            true => format!(" · {count} 位客戶"),
            false => format!(" · 本頁 {count} 位客戶"),
        }
    }

    fn export_progress(&self, written: u64, total: u64, left: Option<TimeLeft>) -> String {
        let left = match left {
            Some(TimeLeft::Seconds(s)) => format!(" · 約剩 {s} 秒"),
            Some(TimeLeft::Minutes(m)) => format!(" · 約剩 {m} 分鐘"),
            None => String::new(),
        };
        format!("已匯出 {written} / {total} 筆{left}")
    }

    fn export_saved(&self, file: &str, written: u64, total: Option<u64>, complete: bool) -> String {
        match (complete, total) {
            (true, _) => format!("已儲存 {file}（{written} 筆）"),
            (false, Some(total)) => format!("已儲存 {file}（部分：{written} / {total} 筆）"),
            (false, None) => format!("已儲存 {file}（部分：{written} 筆）"),
        }
    }

    fn export_total_changed(&self, before: u64, now: u64) -> String {
        format!("匯出期間結果總數有所變動：{before} → {now}。重複的會話已移除。")
    }

    fn export_short(&self, written: u64, total: u64) -> String {
        format!("已儲存 {written} / {total} 筆——伺服器傳回的會話少於它回報的數量。")
    }

    fn export_stalled(&self, written: u64) -> String {
        format!("匯出在 {written} 筆後停止：伺服器一再傳回已匯出的會話，檔案可能不完整。")
    }

    fn export_save_failed(&self, step: &str) -> String {
        format!("瀏覽器無法產生檔案（{step}）。")
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
            false => format!("{count} {unit}後"),
        }
    }

    fn config_error(&self, origin: &str, key: &str, problem: &str) -> String {
        format!("設定錯誤（{origin}）：`{key}` {problem}")
    }

    fn api_error(&self, error: ErrorText<'_>) -> String {
        match error {
            ErrorText::Network => "無法連線到伺服器，請檢查網路後重試。".into(),
            ErrorText::Timeout { seconds } => format!("伺服器在 {} 秒內沒有回應。", seconds),
            ErrorText::Aborted => "請求已取消。".into(),
            ErrorText::Http { status, summary } => format!("伺服器錯誤（HTTP {status}）：{summary}"),
            ErrorText::Decode { endpoint, detail } => format!("無法解析 {endpoint} 的回應：{detail}"),
            ErrorText::Server { code, message } => format!("伺服器傳回錯誤 {code}：{message}"),
            ErrorText::AuthExpired => "登入已失效，請重新登入。".into(),
            ErrorText::Blocked { status, summary } => format!("請求被伺服器或代理攔截（HTTP {status}）：{summary}"),
            ErrorText::HostThrew { callback, detail } => format!("宿主頁面的 {callback} 發生錯誤：{detail}"),
            ErrorText::HostNotAString { callback, what } => {
                format!("宿主頁面的 {callback} 傳回了 {what}，而不是字串。")
            }
        }
    }

    fn week_of(&self, monday: &str) -> String {
        format!("{monday} 當週")
    }

    fn bucket_name(&self, date: &str, count: u64) -> String {
        format!("{date}：{count} 筆會話")
    }

    fn bucket_retry(&self, date: &str) -> String {
        format!("重試 {date}")
    }

    fn buckets_failed(&self, failed: usize, reason: &str) -> String {
        format!("{failed} 個時段的數量未能載入：{reason}")
    }

    fn chart_cut(&self, first: &str, years: usize) -> String {
        format!("圖表從 {first} 年起，只顯示所選範圍的最後 {years} 年")
    }

    fn history_gap(&self, count: u64, unit: TimeUnit, earlier: bool) -> String {
        let unit = unit_name(unit);
        match earlier {
            true => format!("早 {count} {unit}"),
            false => format!("晚 {count} {unit}"),
        }
    }

    fn history_count(&self, count: usize, since: &str) -> String {
        format!("{since} 以來 {count} 次會話")
    }

    fn history_none(&self, since: &str) -> String {
        format!("{since} 以來該客戶沒有其他會話")
    }

    fn history_not_shown(&self, total: i64) -> String {
        format!("該客戶共有 {total} 次會話，更早的或使用其他暱稱的會話未顯示。")
    }

    fn view_saved(&self, name: &str) -> String {
        format!("已儲存檢視「{name}」")
    }

    fn view_deleted(&self, name: &str) -> String {
        format!("已刪除檢視「{name}」")
    }

    fn new_conversations(&self, count: u64) -> String {
        format!("{count} 筆新會話")
    }

    fn selected_count(&self, count: usize) -> String {
        format!("已選 {count} 筆")
    }
}

/// A unit of [`TimeUnit`] as a count of it is written.
fn unit_name(unit: TimeUnit) -> &'static str {
    match unit {
        TimeUnit::Minute => "分鐘",
        TimeUnit::Hour => "小時",
        TimeUnit::Day => "天",
        TimeUnit::Month => "個月",
        TimeUnit::Year => "年",
    }
}
