//! Wire types of the chat info (field names and order as in the seed's example) and the
//! in-memory conversation that both endpoints read from.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::clock;
use crate::data::hostile;

/// `data.user` of a chat info. Shared by all chats of one user.
#[derive(Clone, Debug, Deserialize, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub tags: Vec<String>,
    pub phone: Option<String>,
    pub display_phone: Option<String>,
    pub nick_name: String,
    pub address: Vec<UserAddress>,
    pub service_count: u32,
    pub contacts: Vec<Contact>,
    pub user_name: String,
    pub user_id: String,
    pub icon: Option<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserAddress {
    pub user_address_id: String,
    pub address: String,
    pub remark: Option<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    pub name: String,
    pub phone: Option<String>,
    pub user_contact_id: String,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Channel {
    pub name: String,
    pub channel_id: String,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Serialize)]
pub struct Location {
    pub lng: f64,
    pub address: String,
    pub lat: f64,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Client {
    pub name: String,
    pub logo: Option<String>,
    pub client_id: i64,
}

/// `data` of a getChatInfo response.
#[derive(Clone, Debug, Deserialize, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatInfo {
    pub user: Arc<User>,
    pub operator_id: String,
    pub subtitle: String,
    pub channel: Arc<Channel>,
    pub ref_chat_id: Option<String>,
    pub location: Option<Location>,
    pub group_id: String,
    pub status: String,
    pub chat_id: String,
    pub is_in_group: bool,
    pub version_code: String,
    pub create_time: String,
    pub client_type: String,
    pub client: Arc<Client>,
    /// Documented in the seed's table but absent from its example, so optional: the
    /// verbatim seed chat info leaves both out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_name_list: Option<Arc<Vec<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_id: Option<String>,
}

/// The three states a conversation is seen in. The search row and the chat info name
/// them differently (the seeds show `交谈`/`聊天中` in the row and `Chat` in the info).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChatStatus {
    Talking,
    Ended,
    Queued,
}

impl ChatStatus {
    pub fn row_status(self) -> &'static str {
        match self {
            ChatStatus::Talking => "交谈",
            ChatStatus::Ended => "结束",
            ChatStatus::Queued => "排队",
        }
    }

    pub fn status_tip(self) -> &'static str {
        match self {
            ChatStatus::Talking => "聊天中",
            ChatStatus::Ended => "已结束",
            ChatStatus::Queued => "排队中",
        }
    }

    pub fn info_status(self) -> &'static str {
        match self {
            ChatStatus::Talking => "Chat",
            ChatStatus::Ended => "End",
            ChatStatus::Queued => "Queue",
        }
    }

    pub fn from_row_status(text: &str) -> Option<Self> {
        [ChatStatus::Talking, ChatStatus::Ended, ChatStatus::Queued]
            .into_iter()
            .find(|status| status.row_status() == text)
    }
}

/// One row of a chatSearchs response, borrowed from a [`Chat`].
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchRow<'a> {
    chat_id: &'a str,
    group_id: &'a str,
    create_time: i64,
    user_id: &'a str,
    message: &'a str,
    nick_name: &'a str,
    user_icon: Option<&'a str>,
    address: &'a str,
    status: &'static str,
    title: &'a str,
    status_tip: &'static str,
}

/// A chat as it goes on the wire. The typed form keeps the seed's field order; the hostile
/// scenario's retyped form is a JSON value (whose keys come out sorted).
#[derive(Serialize)]
#[serde(untagged)]
pub enum Wire<T> {
    Typed(T),
    Retyped(Value),
}

/// Lower-cased copies of the filterable fields, made once so that a search over 100,000
/// chats is a plain scan.
#[derive(Clone, Debug)]
struct SearchKeys {
    nick: String,
    title: String,
    operator: String,
    tags: Vec<String>,
}

/// One conversation: its chat info plus what only its search row shows.
#[derive(Debug)]
pub struct Chat {
    pub info: ChatInfo,
    pub created_ms: i64,
    /// The row's `userIcon`: a per-chat snapshot that can differ from `user.icon` (it does
    /// in the seeds, which were signed at different times).
    pub user_icon: Option<String>,
    pub message: String,
    pub status: ChatStatus,
    /// Hostile scenario: JSON types of this chat are scrambled on the way out.
    pub retyped: bool,
    /// Chaos scenario: the search row carries an empty `chatId` (the chat info keeps it).
    pub blank_row_id: bool,
    keys: SearchKeys,
}

impl Chat {
    pub fn new(
        info: ChatInfo,
        created_ms: i64,
        user_icon: Option<String>,
        message: String,
        status: ChatStatus,
        operator_nick: &str,
    ) -> Self {
        let keys = SearchKeys {
            nick: info.user.nick_name.to_lowercase(),
            title: info.subtitle.to_lowercase(),
            operator: operator_nick.to_lowercase(),
            tags: info.user.tags.iter().map(|tag| tag.to_lowercase()).collect(),
        };
        Chat { info, created_ms, user_icon, message, status, retyped: false, blank_row_id: false, keys }
    }

    pub fn id(&self) -> &str {
        &self.info.chat_id
    }

    /// A new conversation like this one (same customer, channel, operator, title) under
    /// `chat_id`, created at `created_ms` and still queued: what `/__sandbox/chats` adds.
    pub fn arriving(&self, chat_id: String, created_ms: i64) -> Chat {
        let mut info = self.info.clone();
        info.chat_id = chat_id;
        info.create_time = clock::format_ms(created_ms);
        info.ref_chat_id = None;
        info.status = ChatStatus::Queued.info_status().to_owned();
        Chat {
            info,
            created_ms,
            user_icon: self.user_icon.clone(),
            message: self.message.clone(),
            status: ChatStatus::Queued,
            retyped: false,
            blank_row_id: false,
            keys: self.keys.clone(),
        }
    }

    /// Filter predicates; `needle`s are already lower-cased.
    pub fn nick_contains(&self, needle: &str) -> bool {
        self.keys.nick.contains(needle)
    }

    pub fn title_contains(&self, needle: &str) -> bool {
        self.keys.title.contains(needle)
    }

    pub fn operator_contains(&self, needle: &str) -> bool {
        self.keys.operator.contains(needle)
    }

    pub fn any_tag_contains(&self, needle: &str) -> bool {
        self.keys.tags.iter().any(|tag| tag.contains(needle))
    }

    /// The chatSearchs row.
    pub fn row(&self) -> Wire<SearchRow<'_>> {
        let info = &self.info;
        let row = SearchRow {
            chat_id: if self.blank_row_id { "" } else { &info.chat_id },
            group_id: &info.group_id,
            create_time: self.created_ms,
            user_id: &info.user.user_id,
            message: &self.message,
            nick_name: &info.user.nick_name,
            user_icon: self.user_icon.as_deref(),
            // The row's address is where the conversation happened, i.e. the location's.
            address: info.location.as_ref().map_or("", |location| location.address.as_str()),
            status: self.status.row_status(),
            title: &info.subtitle,
            status_tip: self.status.status_tip(),
        };
        if !self.retyped {
            return Wire::Typed(row);
        }
        let mut json = serde_json::to_value(row).unwrap_or(Value::Null);
        hostile::retype_row(&mut json);
        Wire::Retyped(json)
    }

    /// The getChatInfo `data`.
    pub fn chat_info(&self) -> Wire<&ChatInfo> {
        if !self.retyped {
            return Wire::Typed(&self.info);
        }
        let mut json = serde_json::to_value(&self.info).unwrap_or(Value::Null);
        hostile::retype_info(&mut json, self.created_ms);
        Wire::Retyped(json)
    }
}

/// Both wire forms as JSON values, for assertions.
#[cfg(test)]
impl Chat {
    pub fn row_json(&self) -> Value {
        serde_json::to_value(self.row()).unwrap_or(Value::Null)
    }

    pub fn info_json(&self) -> Value {
        serde_json::to_value(self.chat_info()).unwrap_or(Value::Null)
    }
}
