//! The 12 conversations of the seed documents, served verbatim.
//!
//! The fixture holds the seeds' example responses unchanged; chat infos for the 11 rows the
//! seed does not show are derived from their rows (same instant, nickname, address, title),
//! with the example's operator, channel and client.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Deserialize;

use crate::clock;
use crate::data::model::{Chat, ChatInfo, ChatStatus, Location, User};

/// The seed example responses plus the few facts needed to derive the rest.
pub const FIXTURE: &str = include_str!("../../fixtures/seed.json");

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("fixtures/seed.json is not valid: {0}")]
    Json(#[from] serde_json::Error),
    #[error("fixtures/seed.json: no derived profile for user {0}")]
    MissingUser(String),
    #[error("fixtures/seed.json: no coordinates for address {0}")]
    MissingLocation(String),
    #[error("fixtures/seed.json: unknown status {0}")]
    UnknownStatus(String),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Fixture {
    chat_searchs: Example<Vec<SeedRow>>,
    get_chat_info: Example<ChatInfo>,
    derived: Derived,
}

#[derive(Deserialize)]
struct Example<T> {
    data: T,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SeedRow {
    chat_id: String,
    group_id: String,
    create_time: i64,
    user_id: String,
    message: String,
    nick_name: String,
    user_icon: Option<String>,
    address: String,
    status: String,
    title: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Derived {
    operator_nick_name: String,
    version_code: String,
    client_type: String,
    channel_name_list: Vec<String>,
    company_id: String,
    users: HashMap<String, DerivedUser>,
    locations: HashMap<String, Coordinates>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DerivedUser {
    user_name: String,
    tags: Vec<String>,
    phone: Option<String>,
    display_phone: Option<String>,
}

#[derive(Deserialize)]
struct Coordinates {
    lng: f64,
    lat: f64,
}

/// The seed conversations, newest first (the order of the seed's example).
pub fn seed_chats() -> Result<Vec<Chat>, SeedError> {
    let fixture: Fixture = serde_json::from_str(FIXTURE)?;
    let example = fixture.get_chat_info.data;
    let rows = fixture.chat_searchs.data;
    let derived = fixture.derived;
    let users = seed_users(&rows, &example, &derived)?;
    let channel_names = Arc::new(derived.channel_name_list.clone());

    let mut chats = Vec::with_capacity(rows.len());
    for (index, row) in rows.iter().enumerate() {
        let status = ChatStatus::from_row_status(&row.status)
            .ok_or_else(|| SeedError::UnknownStatus(row.status.clone()))?;
        let info = if row.chat_id == example.chat_id {
            example.clone()
        } else {
            let user = users.get(&row.user_id).cloned().ok_or_else(|| SeedError::MissingUser(row.user_id.clone()))?;
            // The seed example links a chat to the same user's previous one; do the same.
            let ref_chat_id = rows[index + 1..]
                .iter()
                .find(|older| older.user_id == row.user_id)
                .map(|older| older.chat_id.clone());
            ChatInfo {
                user,
                operator_id: example.operator_id.clone(),
                subtitle: row.title.clone(),
                channel: example.channel.clone(),
                ref_chat_id,
                location: seed_location(&row.address, &derived)?,
                group_id: row.group_id.clone(),
                status: status.info_status().to_owned(),
                chat_id: row.chat_id.clone(),
                is_in_group: false,
                version_code: derived.version_code.clone(),
                create_time: clock::format_ms(row.create_time),
                client_type: derived.client_type.clone(),
                client: example.client.clone(),
                channel_name_list: Some(channel_names.clone()),
                company_id: Some(derived.company_id.clone()),
            }
        };
        chats.push(Chat::new(
            info,
            row.create_time,
            row.user_icon.clone(),
            row.message.clone(),
            status,
            &derived.operator_nick_name,
        ));
    }
    Ok(chats)
}

/// One profile per seed user: the example's own user as is, the other built from the
/// derived facts and its newest row.
fn seed_users(rows: &[SeedRow], example: &ChatInfo, derived: &Derived) -> Result<HashMap<String, Arc<User>>, SeedError> {
    let mut users = HashMap::new();
    for row in rows {
        if users.contains_key(&row.user_id) {
            continue;
        }
        let user = if row.user_id == example.user.user_id {
            example.user.clone()
        } else {
            let profile = derived.users.get(&row.user_id).ok_or_else(|| SeedError::MissingUser(row.user_id.clone()))?;
            Arc::new(User {
                tags: profile.tags.clone(),
                phone: profile.phone.clone(),
                display_phone: profile.display_phone.clone(),
                nick_name: row.nick_name.clone(),
                address: Vec::new(),
                service_count: rows.iter().filter(|other| other.user_id == row.user_id).count() as u32,
                contacts: Vec::new(),
                user_name: profile.user_name.clone(),
                user_id: row.user_id.clone(),
                icon: row.user_icon.clone(),
            })
        };
        users.insert(row.user_id.clone(), user);
    }
    Ok(users)
}

fn seed_location(address: &str, derived: &Derived) -> Result<Option<Location>, SeedError> {
    if address.is_empty() {
        return Ok(None);
    }
    let at = derived.locations.get(address).ok_or_else(|| SeedError::MissingLocation(address.to_owned()))?;
    Ok(Some(Location { lng: at.lng, address: address.to_owned(), lat: at.lat }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn fixture_json() -> Value {
        serde_json::from_str(FIXTURE).expect("fixture is JSON")
    }

    /// The fixture text without whitespace outside strings: the seeds' JSON as a server
    /// would send it, in the seeds' field order.
    fn compact_fixture() -> String {
        let (mut compact, mut in_string, mut escaped) = (String::new(), false, false);
        for c in FIXTURE.chars() {
            if in_string {
                in_string = escaped || c != '"';
                escaped = !escaped && c == '\\';
            } else if c.is_whitespace() {
                continue;
            } else {
                in_string = c == '"';
            }
            compact.push(c);
        }
        compact
    }

    #[test]
    fn rows_are_the_seed_rows_verbatim() {
        let chats = seed_chats().expect("seed loads");
        let rows: Vec<Value> = chats.iter().map(Chat::row_json).collect();
        assert_eq!(Value::Array(rows), fixture_json()["chatSearchs"]["data"]);
        // Byte for byte, field order included.
        let text = serde_json::to_string(&chats.iter().map(Chat::row).collect::<Vec<_>>()).expect("serialises");
        assert!(compact_fixture().contains(&format!("\"data\":{text},\"page\"")), "{text}");
    }

    #[test]
    fn the_example_chat_info_is_verbatim() {
        let chats = seed_chats().expect("seed loads");
        let example = &fixture_json()["getChatInfo"]["data"];
        let chat = chats.iter().find(|chat| chat.id() == "u0001d6ddfcbef27e45aeaee5bf7db6ac83b5").expect("seed chat");
        assert_eq!(&chat.info_json(), example);
        let text = serde_json::to_string(&chat.chat_info()).expect("serialises");
        assert!(compact_fixture().contains(&format!("\"data\":{text},\"page\":null")), "{text}");
    }

    #[test]
    fn derived_chat_infos_agree_with_their_rows() {
        let chats = seed_chats().expect("seed loads");
        for chat in &chats {
            let row = chat.row_json();
            let info = chat.info_json();
            assert_eq!(info["chatId"], row["chatId"]);
            assert_eq!(info["groupId"], row["groupId"]);
            assert_eq!(info["user"]["userId"], row["userId"]);
            assert_eq!(info["user"]["nickName"], row["nickName"]);
            assert_eq!(info["subtitle"], row["title"]);
            assert_eq!(info["createTime"], Value::from(clock::format_ms(chat.created_ms)));
            let address = info["location"]["address"].as_str().unwrap_or("");
            assert_eq!(Value::from(address), row["address"]);
        }
        // Each user's service count is its number of seed chats (the example says 4).
        let second = chats.iter().find(|c| c.info.user.user_id == "u00019c9457f4020443e6b984a37022a4ecee").expect("user");
        assert_eq!(second.info.user.service_count, 8);
        // refChatId points at the same user's previous chat, and that chat exists.
        let ids: Vec<&str> = chats.iter().map(Chat::id).collect();
        for chat in &chats {
            if let Some(reference) = &chat.info.ref_chat_id {
                assert!(ids.contains(&reference.as_str()), "{reference} exists");
            }
        }
    }
}
