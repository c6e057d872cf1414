//! The results table's columns, and the operator's remembered choice of which to show
//! and how dense the rows are.

use crate::i18n::Msg;
use crate::prefs::Prefs;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    ChatId,
    Created,
    User,
    Address,
    Status,
    Title,
}

impl Column {
    pub const ALL: [Column; 6] = [Self::ChatId, Self::Created, Self::User, Self::Address, Self::Status, Self::Title];

    pub fn header(self) -> Msg {
        match self {
            Self::ChatId => Msg::ColChatId,
            Self::Created => Msg::ColCreated,
            Self::User => Msg::ColUser,
            Self::Address => Msg::ColAddress,
            Self::Status => Msg::ColStatus,
            Self::Title => Msg::ColTitle,
        }
    }

    fn key(self) -> &'static str {
        match self {
            Self::ChatId => "chatId",
            Self::Created => "created",
            Self::User => "user",
            Self::Address => "address",
            Self::Status => "status",
            Self::Title => "title",
        }
    }
}

const HIDDEN_KEY: &str = "hiddenColumns";
const COMPACT_KEY: &str = "compact";

/// Columns shown, in table order, from a comma-separated list of hidden keys. At least
/// one column always stays visible.
pub fn visible_from(hidden: &str) -> Vec<Column> {
    let hidden: Vec<&str> = hidden.split(',').map(str::trim).collect();
    let visible: Vec<Column> = Column::ALL.into_iter().filter(|c| !hidden.contains(&c.key())).collect();
    if visible.is_empty() { Column::ALL.to_vec() } else { visible }
}

pub fn hidden_list(visible: &[Column]) -> String {
    Column::ALL.into_iter().filter(|c| !visible.contains(c)).map(Column::key).collect::<Vec<_>>().join(",")
}

pub fn load_visible(prefs: &Prefs) -> Vec<Column> {
    visible_from(&prefs.get(HIDDEN_KEY).unwrap_or_default())
}

pub fn save_visible(prefs: &Prefs, visible: &[Column]) {
    prefs.set(HIDDEN_KEY, &hidden_list(visible));
}

pub fn load_compact(prefs: &Prefs) -> bool {
    prefs.get(COMPACT_KEY).as_deref() == Some("1")
}

pub fn save_compact(prefs: &Prefs, compact: bool) {
    prefs.set(COMPACT_KEY, if compact { "1" } else { "0" });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_columns_round_trip() {
        let visible = visible_from("address,title");
        assert_eq!(visible, vec![Column::ChatId, Column::Created, Column::User, Column::Status]);
        assert_eq!(hidden_list(&visible), "address,title");
        assert_eq!(visible_from(""), Column::ALL.to_vec());
        assert_eq!(visible_from("chatId,created,user,address,status,title"), Column::ALL.to_vec(), "never zero columns");
        assert_eq!(visible_from("garbage,,user"), visible_from("user"));
    }
}
