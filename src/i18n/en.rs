//! English. Accessible names here are test contracts (DESIGN §6): change them only with
//! the contract.

use super::{Catalog, ErrorText, Msg, TimeLeft, TimeUnit};

pub struct En;

impl Catalog for En {
    fn name(&self) -> &'static str {
        "English"
    }

    fn text(&self, msg: Msg) -> &'static str {
        use Msg::*;
        match msg {
            Brand => "Op Console",
            Language => "Language",
            Theme => "Theme",
            ThemeSystem => "System",
            ThemeLight => "Light",
            ThemeDark => "Dark",

            SearchForm => "Search conversations",
            Nickname => "Nickname",
            Tag => "Tag",
            Operator => "Operator",
            Title => "Title",
            StartDate => "Start date",
            EndDate => "End date",
            DateRange => "Date range",
            Search => "Search",
            Reset => "Reset",
            ExportCsv => "Export CSV",
            MoreFilters => "Expand",
            FewerFilters => "Collapse",
            PresetToday => "Today",
            Preset7 => "Last 7 days",
            Preset30 => "Last 30 days",
            Preset90 => "Last 90 days",
            PresetMonth => "This month",
            StartRequired => "Choose a start date",
            EndRequired => "Choose an end date",
            StartAfterEnd => "The start date must not be after the end date",
            NickPlaceholder => "Press / to focus",

            Conversations => "Conversations",
            ColChatId => "Chat ID",
            ColCreated => "Created",
            ColUser => "User",
            ColAddress => "Address",
            ColStatus => "Status",
            ColTitle => "Title",
            Copy => "Copy",
            Copied => "Copied",
            Columns => "Columns",
            Density => "Density",
            Compact => "Compact",
            Comfortable => "Comfortable",

            PreviousPage => "Previous page",
            NextPage => "Next page",
            RowsPerPage => "Rows per page",
            JumpToPage => "Go to page",
            Pagination => "Pagination",

            Loading => "Loading…",
            JustNow => "just now",
            NoResults => "No conversations match",
            NoResultsHint => "Try a wider date range or clear the filters.",
            ErrorTitle => "Could not load",
            Retry => "Retry",
            Dismiss => "Dismiss",
            Cancel => "Cancel",
            ExportPaused => "Export paused:",
            SaveWhatWeHave => "Save what we have",
            ExportProgress => "Export progress",
            Crashed => "The console hit an internal error. Reload to continue.",
            PartNotLoaded => "This part of the console could not be loaded. Check the connection and retry; if the console was updated meanwhile, reload the page.",

            SignInTitle => "Sign in to Op Console",
            SignInHint => "Enter your operator token (kept in this tab only).",
            Token => "Operator token",
            SignIn => "Sign in",
            SignOut => "Sign out",
            SessionExpired => "Your session has expired. Enter a token again.",

            ChatDetails => "Chat details",
            Close => "Close",
            Back => "Back",
            PreviousChat => "Previous conversation",
            NextChat => "Next conversation",
            SectionConversation => "Conversation",
            SectionChannel => "Channel",
            SectionClient => "Client",
            SectionLocation => "Location",
            SectionLinked => "Linked conversation",
            FieldUserId => "User ID",
            FieldTags => "Tags",
            FieldServiceCount => "Service count",
            FieldAddresses => "Addresses",
            FieldContacts => "Contacts",
            FieldChatId => "Chat ID",
            FieldGroupId => "Group ID",
            FieldOperatorId => "Operator ID",
            FieldInGroup => "In group",
            FieldVersion => "Version",
            FieldClientType => "Client type",
            FieldStatus => "Status",
            FieldCompanyId => "Company ID",
            FieldCreated => "Created",
            FieldSubtitle => "Title",
            FieldChannelId => "Channel ID",
            FieldFollowedChannels => "Channels followed",
            FieldClientId => "Client ID",
            FieldLatLng => "Latitude / longitude",
            OpenMap => "Open in map",
            OpenLinked => "Open linked conversation",
            Yes => "Yes",
            No => "No",
            Remark => "Remark",
            StatusActive => "Active",
            StatusEnded => "Ended",
            StatusQueued => "Queued",
            StatusCode => "Status code",
            CopyByHand => "Press Ctrl+C to copy",
            ExportFilters => "Filters in the file",
            ExportAsk => "Search with the new filters first?",
            ExportLastFilters => "Last search",
            ExportNewFilters => "New filters in the form",
            SearchAndExport => "Search and export",
            ExportLastSearch => "Export the last search",
            Resume => "Resume",
            SectionCustomer => "Customer",
            FieldDisplayNumber => "Display number (masked)",
            FieldFullPhone => "Phone (full number)",
            TechnicalDetails => "Technical details",
            ChartTitle => "Conversations over time",
            ZoomOut => "Zoom out",
            HideChart => "Hide chart",
            ShowChart => "Show chart",
            CountsChanged => "Counts changed while loading",
            Refresh => "Refresh",
            NoTotal => "The server did not say how many conversations match",
            ChartKeys => "← → choose, Shift+← → extend, Enter searches",
            // — views —
            Views => "Views",
            SaveCurrentView => "Save current view…",
            ManageViews => "Manage views…",
            SaveView => "Save view",
            ManageViewsTitle => "Manage views",
            ViewName => "View name",
            Save => "Save",
            NoSavedViews => "No saved views yet.",
            SaveViewHint => "Saves the filters, rows per page and visible columns. A range picked with a quick range is worked out again on the day the view is used.",
            DefaultView => "Default view",
            MoveUp => "Move up",
            MoveDown => "Move down",
            Delete => "Delete",
            Undo => "Undo",
            ViewNameRequired => "Enter a name for the view",
            ViewNameTooLong => "A view name can have at most 60 characters",
            ViewNameTaken => "A view with this name already exists",
            ViewsFull => "You can keep at most 50 views. Delete one first.",
            StorageFull => "The browser's storage is full, so nothing was saved. The views saved before are all kept.",
            StorageUnavailable => "This browser does not let the page store data, so views cannot be saved.",
            ViewsFromNewerVersion => "These views were saved by a newer version of Op Console and cannot be shown or changed here.",
            ShowNew => "Show",
            HistoryTitle => "Conversations with this customer",
            HistoryThisOne => "this conversation",
            HistoryWithinMinute => "within a minute",
            HistoryNoNick => "No nickname to search by",
            HistoryNoUserId => "No user ID to tell this customer from others with the same nickname",

            SelectRow => "Select row",
            SelectPage => "Select all on this page",
            Ids => "IDs",
            ExportSelected => "Export selected",
            ClearSelection => "Clear selection",
            SelectionDropped => "New search: the selection was cleared.",
        }
    }

    fn results_count(&self, total: u64) -> String {
        match total {
            1 => "1 result".into(),
            _ => format!("{total} results"),
        }
    }

    fn page_of(&self, page: u32, last: u32) -> String {
        format!("Page {page} of {last}")
    }

    fn page_label(&self, page: u32) -> String {
        format!("Page {page}")
    }

    fn conversations_count(&self, count: i64) -> String {
        match count {
            1 => "1 conversation".into(),
            _ => format!("{count} conversations"),
        }
    }

    fn customers_count(&self, count: usize, whole: bool) -> String {
        match whole {
            true => format!(" · {count} customers"),
            false => format!(" · {count} customers on this page"),
        }
    }

    fn export_progress(&self, written: u64, total: u64, left: Option<TimeLeft>) -> String {
        let left = match left {
            Some(TimeLeft::Seconds(s)) => format!(" · about {s} s left"),
            Some(TimeLeft::Minutes(m)) => format!(" · about {m} min left"),
            None => String::new(),
        };
        format!("Exported {written} of {total}{left}")
    }

    fn export_saved(&self, file: &str, written: u64, total: Option<u64>, complete: bool) -> String {
        match (complete, total) {
            (true, _) => format!("Saved {file} ({written} rows)"),
            (false, Some(total)) => format!("Saved {file} (partial: {written} of {total} rows)"),
            (false, None) => format!("Saved {file} (partial: {written} rows)"),
        }
    }

    fn export_total_changed(&self, before: u64, now: u64) -> String {
        format!("The number of results changed during the export: {before} → {now}. Duplicates were dropped.")
    }

    fn export_short(&self, written: u64, total: u64) -> String {
        format!("{written} of {total} rows saved — the server returned fewer than it reported.")
    }

    fn export_stalled(&self, written: u64) -> String {
        format!("The export stopped after {written} rows: the server kept sending rows already exported, so the file may be incomplete.")
    }

    fn export_save_failed(&self, step: &str) -> String {
        format!("The browser could not create the file ({step}).")
    }

    fn labelled(&self, label: &str, value: &str) -> String {
        format!("{label}: {value}")
    }

    fn with_zone(&self, label: &str, zone: &str) -> String {
        format!("{label} ({zone})")
    }

    fn time_ago(&self, count: u64, unit: TimeUnit, past: bool) -> String {
        let unit = unit_name(unit);
        let plural = if count == 1 { "" } else { "s" };
        match past {
            true => format!("{count} {unit}{plural} ago"),
            false => format!("in {count} {unit}{plural}"),
        }
    }

    fn config_error(&self, origin: &str, key: &str, problem: &str) -> String {
        format!("Configuration error ({origin}): `{key}` {problem}")
    }

    fn api_error(&self, error: ErrorText<'_>) -> String {
        match error {
            ErrorText::Network => "Cannot reach the server. Check the connection and try again.".into(),
            ErrorText::Timeout { seconds } => format!("The server did not answer within {} s.", seconds),
            ErrorText::Aborted => "The request was cancelled.".into(),
            ErrorText::Http { status, summary } => format!("Server error (HTTP {status}): {summary}"),
            ErrorText::Decode { endpoint, detail } => format!("Could not read the {endpoint} answer: {detail}"),
            ErrorText::Server { code, message } => format!("The server said {code}: {message}"),
            ErrorText::AuthExpired => "Your session has expired. Please sign in again.".into(),
            ErrorText::Blocked { status, summary } => format!("Blocked by the server or a proxy (HTTP {status}): {summary}"),
            ErrorText::HostThrew { callback, detail } => format!("The host page's {callback} failed: {detail}"),
            ErrorText::HostNotAString { callback, what } => {
                format!("The host page's {callback} returned {what}, not a string.")
            }
        }
    }

    fn week_of(&self, monday: &str) -> String {
        format!("Week of {monday}")
    }

    fn bucket_name(&self, date: &str, count: u64) -> String {
        match count {
            1 => format!("{date}: 1 conversation"),
            _ => format!("{date}: {count} conversations"),
        }
    }

    fn bucket_retry(&self, date: &str) -> String {
        format!("Retry {date}")
    }

    fn buckets_failed(&self, failed: usize, reason: &str) -> String {
        match failed {
            1 => format!("1 count could not be loaded: {reason}"),
            _ => format!("{failed} counts could not be loaded: {reason}"),
        }
    }

    fn chart_cut(&self, first: &str, years: usize) -> String {
        format!("The chart starts at {first}, the last {years} years of the range")
    }

    fn history_gap(&self, count: u64, unit: TimeUnit, earlier: bool) -> String {
        let plural = if count == 1 { "" } else { "s" };
        let unit = unit_name(unit);
        match earlier {
            true => format!("{count} {unit}{plural} earlier"),
            false => format!("{count} {unit}{plural} later"),
        }
    }

    fn history_count(&self, count: usize, since: &str) -> String {
        match count {
            1 => format!("1 conversation since {since}"),
            _ => format!("{count} conversations since {since}"),
        }
    }

    fn history_none(&self, since: &str) -> String {
        format!("No other conversations with this customer since {since}")
    }

    fn history_not_shown(&self, total: i64) -> String {
        format!("The customer has {total} in total; older ones or ones under another nickname are not shown.")
    }

    fn view_saved(&self, name: &str) -> String {
        format!("View “{name}” saved")
    }

    fn view_deleted(&self, name: &str) -> String {
        format!("View “{name}” deleted")
    }

    fn new_conversations(&self, count: u64) -> String {
        match count {
            1 => "1 new conversation".into(),
            _ => format!("{count} new conversations"),
        }
    }

    fn selected_count(&self, count: usize) -> String {
        format!("{count} selected")
    }
}

/// A unit of [`TimeUnit`] as a count of it is written.
fn unit_name(unit: TimeUnit) -> &'static str {
    match unit {
        TimeUnit::Minute => "minute",
        TimeUnit::Hour => "hour",
        TimeUnit::Day => "day",
        TimeUnit::Month => "month",
        TimeUnit::Year => "year",
    }
}
