use leptos::prelude::*;

use crate::app::use_ctx;
use crate::i18n::Msg;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Active,
    Ended,
    Other,
}

impl StatusKind {
    /// The seeds use 交谈/聊天中 and 结束/已结束 in rows and `Chat` in chat info.
    pub fn of(status: &str) -> Self {
        match status.trim() {
            "交谈" | "聊天中" | "Chat" | "chat" | "Active" => Self::Active,
            "结束" | "已结束" | "End" | "Ended" | "end" | "Closed" => Self::Ended,
            _ => Self::Other,
        }
    }
}

/// A coloured status badge; the server's own word is kept as the tooltip, and an
/// unknown status is shown exactly as sent.
#[component]
pub fn StatusBadge(#[prop(into)] status: Signal<Option<String>>, #[prop(into, default = None.into())] tip: Signal<Option<String>>) -> impl IntoView {
    let ctx = use_ctx();
    // One closure for class, tooltip and word, which a table row's page flip changes
    // together; the span is updated in place, not rebuilt.
    move || {
        let raw = status.get().unwrap_or_default();
        let kind = StatusKind::of(&raw);
        let class = match kind {
            StatusKind::Active => "opc-badge opc-badge--active",
            StatusKind::Ended => "opc-badge opc-badge--ended",
            StatusKind::Other => "opc-badge",
        };
        let tip = tip.get().unwrap_or_default();
        let title = [raw.as_str(), tip.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" · ");
        let label = match kind {
            StatusKind::Active => ctx.t(Msg::StatusActive).to_string(),
            StatusKind::Ended => ctx.t(Msg::StatusEnded).to_string(),
            StatusKind::Other if raw.trim().is_empty() => "—".to_string(),
            StatusKind::Other => raw,
        };
        view! { <span class=class title=title>{label}</span> }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_statuses() {
        assert_eq!(StatusKind::of("交谈"), StatusKind::Active);
        assert_eq!(StatusKind::of("聊天中"), StatusKind::Active);
        assert_eq!(StatusKind::of("Chat"), StatusKind::Active);
        assert_eq!(StatusKind::of("结束"), StatusKind::Ended);
        assert_eq!(StatusKind::of("已结束"), StatusKind::Ended);
        assert_eq!(StatusKind::of("排队"), StatusKind::Other);
    }
}
