//! The status catalog: every wire value the Op API uses for a conversation's status, its
//! label in each language and its colour. The table, the drawer (both through
//! [`StatusBadge`]) and the CSV export read statuses only through [`StatusKind`], so a
//! status speaks the operator's language everywhere and the wire value is never shown
//! raw unless the console does not know it.

use leptos::prelude::*;

use crate::ctx::use_ctx;
use crate::i18n::{Locale, Msg};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    /// Waiting for an operator.
    Queued,
    /// An operator is talking with the user.
    Active,
    Ended,
    /// A value the console does not know: shown as sent, on a neutral badge.
    Other,
}

impl StatusKind {
    /// Search rows say `排队`/`交谈`/`结束` (their `statusTip` `排队中`/`聊天中`/`已结束`),
    /// chat info says `Queue`/`Chat`/`End` (API document and sandbox); the English words
    /// are matched without regard to case.
    pub fn of(status: &str) -> Self {
        let status = status.trim();
        let is = |words: &[&str]| words.iter().any(|w| w.eq_ignore_ascii_case(status));
        if is(&["排队", "排队中", "Queue", "Queued"]) {
            Self::Queued
        } else if is(&["交谈", "聊天中", "进行中", "Chat", "Active"]) {
            Self::Active
        } else if is(&["结束", "已结束", "End", "Ended", "Closed"]) {
            Self::Ended
        } else {
            Self::Other
        }
    }

    /// The label of a known status; `None` for [`StatusKind::Other`].
    pub fn label(self) -> Option<Msg> {
        match self {
            Self::Queued => Some(Msg::StatusQueued),
            Self::Active => Some(Msg::StatusActive),
            Self::Ended => Some(Msg::StatusEnded),
            Self::Other => None,
        }
    }

    fn class(self) -> &'static str {
        match self {
            Self::Queued => "opc-badge opc-badge--queued",
            Self::Active => "opc-badge opc-badge--active",
            Self::Ended => "opc-badge opc-badge--ended",
            Self::Other => "opc-badge",
        }
    }
}

/// What the operator reads for the wire value `status`: its label in `locale`, or the
/// value itself (trimmed) when the console does not know it.
pub fn status_text(status: &str, locale: Locale) -> &str {
    match StatusKind::of(status).label() {
        Some(label) => label.text(locale),
        None => status.trim(),
    }
}

/// A badge's classes and words for the wire value `status` (the table's rows write the
/// same into their own spans: see search/rows.rs).
pub fn badge(status: &str, locale: Locale) -> (&'static str, String) {
    let label = match status_text(status, locale) {
        "" => super::EMPTY_VALUE.to_string(),
        text => text.to_string(),
    };
    (StatusKind::of(status).class(), label)
}

/// A coloured status badge in the operator's language, with the server's `statusTip`
/// (search rows have one) as the tooltip. An unknown status is shown exactly as sent.
#[component]
pub fn StatusBadge(#[prop(into)] status: Signal<Option<String>>, #[prop(into, default = None.into())] tip: Signal<Option<String>>) -> impl IntoView {
    let ctx = use_ctx();
    // One closure for class, tooltip and word, which a table row's page flip changes
    // together; the span is updated in place, not rebuilt.
    move || {
        let (class, label) = badge(&status.get().unwrap_or_default(), ctx.locale());
        let title = tip.get().filter(|t| !t.trim().is_empty());
        view! { <span class=class title=title>{label}</span> }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_values_of_rows_and_chat_info() {
        for (wire, kind) in [
            ("排队", StatusKind::Queued),
            ("排队中", StatusKind::Queued),
            ("Queue", StatusKind::Queued),
            ("交谈", StatusKind::Active),
            ("聊天中", StatusKind::Active),
            ("Chat", StatusKind::Active),
            ("chat", StatusKind::Active),
            ("结束", StatusKind::Ended),
            ("已结束", StatusKind::Ended),
            (" End ", StatusKind::Ended),
            ("转接", StatusKind::Other),
            ("", StatusKind::Other),
        ] {
            assert_eq!(StatusKind::of(wire), kind, "{wire:?}");
        }
    }

    #[test]
    fn every_language_has_its_own_words() {
        for wire in ["排队", "Queue"] {
            assert_eq!(status_text(wire, Locale::En), "Queued");
            assert_eq!(status_text(wire, Locale::ZhCn), "排队中");
            assert_eq!(status_text(wire, Locale::ZhTw), "排隊中");
        }
        for wire in ["交谈", "Chat"] {
            assert_eq!(status_text(wire, Locale::En), "Active");
            assert_eq!(status_text(wire, Locale::ZhCn), "进行中");
            assert_eq!(status_text(wire, Locale::ZhTw), "進行中");
        }
        for wire in ["结束", "End"] {
            assert_eq!(status_text(wire, Locale::En), "Ended");
            assert_eq!(status_text(wire, Locale::ZhCn), "已结束");
            assert_eq!(status_text(wire, Locale::ZhTw), "已結束");
        }
    }

    #[test]
    fn unknown_values_are_shown_as_sent_on_a_neutral_badge() {
        assert_eq!(status_text(" 转接 ", Locale::En), "转接");
        assert_eq!(status_text("Transferred", Locale::ZhCn), "Transferred");
        assert_eq!(status_text("", Locale::En), "");
        assert_eq!(StatusKind::of("转接").class(), "opc-badge");
        let classes = [StatusKind::Queued, StatusKind::Active, StatusKind::Ended, StatusKind::Other].map(StatusKind::class);
        for (i, class) in classes.iter().enumerate() {
            assert!(!classes[i + 1..].contains(class), "{class} is used twice");
        }
    }
}
