//! The deterministic generated dataset: `count` conversations created as `rhythm.rs` says
//! (from 2015-01-01 to yesterday with a share in the last 30 days, so that the app's default
//! date range always finds rows, a weekly rhythm and a spike). Each is then given a customer
//! who comes back over two years (1 to 30 conversations; some customers share a nickname).

use std::sync::Arc;

use chrono::NaiveDate;
use rand::seq::{IndexedRandom, IteratorRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::clock;
use crate::data::hostile;
use crate::data::model::{Channel, Chat, ChatInfo, ChatStatus, Client, Contact, Location, User, UserAddress};
use crate::data::words::{self, City};

use crate::data::rhythm::{self, DAY_MS};

/// How long one customer keeps coming back: two years.
const CUSTOMER_SPAN_MS: i64 = 2 * 365 * DAY_MS;
/// The most conversations one customer has.
const MAX_CHATS_PER_CUSTOMER: usize = 30;
/// Share of customers who take the nickname of an earlier one.
const SHARED_NICKNAME_SHARE: f64 = 0.08;

/// Customers by the start of their span (epoch ms, user index), and each user's eagerness
/// (the chance to take a conversation when drawn), by user index.
struct Roster {
    by_start: Vec<(i64, usize)>,
    eagerness: Vec<f64>,
}

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct GenerateParams {
    pub count: usize,
    pub seed: u64,
    pub hostile: bool,
    /// Epoch milliseconds; every conversation is older than this.
    pub until_ms: i64,
}

/// A user while its chats are still being drawn (its service count is not known yet).
struct UserDraft {
    user: User,
    home: &'static City,
    groups: Vec<String>,
    channels: Vec<Arc<Channel>>,
    channel_names: Option<Arc<Vec<String>>>,
    chats: Vec<usize>,
}

/// A conversation before its user is final.
struct ChatDraft {
    user: usize,
    chat_id: String,
    group_id: String,
    created_ms: i64,
    status: ChatStatus,
    title: String,
    message: String,
    location: Option<Location>,
    operator: usize,
    channel: Arc<Channel>,
    channel_names: Option<Arc<Vec<String>>>,
    client: usize,
    client_type: &'static str,
    version_code: &'static str,
    is_in_group: bool,
    retyped: bool,
}

/// Draws every random value of the dataset from one seeded ChaCha stream, in a fixed
/// order, so the same parameters always give the same data.
struct Generator {
    rng: ChaCha8Rng,
    hostile: bool,
}

/// Generates the conversations. `known` are the seed conversations: their channel and
/// client are reused so that seed and generated data look alike.
pub fn generate(params: &GenerateParams, known: &[Chat]) -> Vec<Chat> {
    let mut generator = Generator { rng: ChaCha8Rng::seed_from_u64(params.seed), hostile: params.hostile };
    generator.chats(params, known)
}

/// Things many chats share: operators (id, nickname), channels, clients (with company id).
struct Tables {
    operators: Vec<(String, &'static str)>,
    channels: Vec<Arc<Channel>>,
    clients: Vec<(Arc<Client>, String)>,
}

impl Generator {
    fn chats(&mut self, params: &GenerateParams, known: &[Chat]) -> Vec<Chat> {
        let tables = self.tables(known);
        let start_ms = clock::day_start_ms(NaiveDate::from_ymd_opt(2015, 1, 1).expect("valid date"));
        // Keep at least a month of room even if the clock is wrong.
        let window = (start_ms, params.until_ms.max(start_ms + 31 * DAY_MS));
        let user_count = (params.count * 2 / 7).max(1);
        let mut users: Vec<UserDraft> = (0..user_count).map(|_| self.user(&tables.channels)).collect();
        self.share_nicknames(&mut users);
        let roster = self.roster(user_count, window);
        let mut drafts = Vec::with_capacity(params.count);
        for index in 0..params.count {
            let created_ms = rhythm::created_ms(&mut self.rng, window);
            let user = self.customer_at(created_ms, &roster, &users);
            users[user].chats.push(index);
            let draft = self.chat(&users[user], user, created_ms, window.1, &tables);
            drafts.push(draft);
        }
        let ref_ids = self.ref_chat_ids(&mut users, &drafts);
        let users: Vec<Arc<User>> = users
            .iter()
            .map(|draft| Arc::new(User { service_count: draft.chats.len() as u32, ..draft.user.clone() }))
            .collect();
        drafts
            .into_iter()
            .zip(ref_ids)
            .map(|(draft, ref_chat_id)| finish(draft, ref_chat_id, &users, &tables))
            .collect()
    }

    fn tables(&mut self, known: &[Chat]) -> Tables {
        let operators = words::OPERATORS.iter().map(|nick| (format!("o0001{}", self.hex32()), *nick)).collect();
        let mut channels = Vec::new();
        let mut clients = Vec::new();
        if let Some(seed) = known.first() {
            channels.push(seed.info.channel.clone());
            clients.push((seed.info.client.clone(), format!("c0001{}", self.hex32())));
        }
        for name in words::CHANNELS {
            let name = self.text(name.to_string());
            channels.push(Arc::new(Channel { name, channel_id: self.hex32() }));
        }
        for (name, client_id) in words::CLIENTS {
            let name = self.text(name.to_string());
            let logo = self.image_url();
            let logo = self.url(logo);
            clients.push((Arc::new(Client { name, logo, client_id: *client_id }), format!("c0001{}", self.hex32())));
        }
        Tables { operators, channels, clients }
    }

    /// Links most chats to the same user's previous one (as the seed does); a few links
    /// are blank strings, which the app must treat as none.
    fn ref_chat_ids(&mut self, users: &mut [UserDraft], drafts: &[ChatDraft]) -> Vec<Option<String>> {
        let mut previous: Vec<Option<usize>> = vec![None; drafts.len()];
        for user in users {
            user.chats.sort_by_key(|&chat| drafts[chat].created_ms);
            for pair in user.chats.windows(2) {
                previous[pair[1]] = Some(pair[0]);
            }
        }
        previous
            .iter()
            .map(|previous| match previous {
                Some(older) if self.rng.random_bool(0.85) => Some(drafts[*older].chat_id.clone()),
                Some(_) if self.rng.random_bool(0.3) => Some(String::new()),
                _ => None,
            })
            .collect()
    }

    fn user(&mut self, channels: &[Arc<Channel>]) -> UserDraft {
        let user_id = format!("u0001{}", self.hex32());
        let nick_name = self.nick();
        let nick_name = self.text(nick_name);
        let phone = self.rng.random_bool(0.8).then(|| self.phone());
        let display_phone = match &phone {
            Some(phone) => Some(format!("{}****{}", &phone[..3], &phone[7..])),
            // As in the seed: without a phone number the id is displayed.
            None => Some(user_id.clone()),
        };
        let home = self.pick_city();
        // A few users have very many addresses and contacts.
        let heavy = self.rng.random_bool(0.03);
        let address = self.addresses(home, heavy);
        let contacts = self.contacts(heavy);
        let tags = self.tags();
        let stem = self.pick(words::USER_NAME_STEMS);
        let user_name = match self.rng.random_range(0..10) {
            0..=4 => format!("wx_{}", &self.hex32()[..8]),
            5..=7 => format!("{stem}{}", self.rng.random_range(1..1000)),
            _ => format!("user{}", self.rng.random_range(100_000..1_000_000)),
        };
        let icon = self.image_url();
        let icon = self.url(icon);
        let follow_count = self.rng.random_range(1..=3);
        let followed: Vec<Arc<Channel>> = channels.iter().cloned().choose_multiple(&mut self.rng, follow_count);
        let channel_names = self
            .rng
            .random_bool(0.95)
            .then(|| Arc::new(followed.iter().map(|channel| channel.name.clone()).collect()));
        let group_count = self.rng.random_range(1..=3);
        let groups = (0..group_count).map(|_| self.group_id()).collect();
        UserDraft {
            user: User {
                tags,
                phone,
                display_phone,
                nick_name,
                address,
                service_count: 0,
                contacts,
                user_name,
                user_id,
                icon,
            },
            home,
            groups,
            channels: followed,
            channel_names,
            chats: Vec::new(),
        }
    }

    fn addresses(&mut self, home: &'static City, heavy: bool) -> Vec<UserAddress> {
        let count = if heavy { self.rng.random_range(6..=15) } else { self.rng.random_range(0..=2) };
        (0..count)
            .map(|_| {
                let city = if self.rng.random_bool(0.7) { home } else { self.pick_city() };
                UserAddress {
                    user_address_id: format!("a0001{}", self.hex32()),
                    address: self.street_address(city),
                    remark: self.rng.random_bool(0.9).then(|| self.pick(words::ADDRESS_REMARKS).to_owned()),
                }
            })
            .collect()
    }

    fn contacts(&mut self, heavy: bool) -> Vec<Contact> {
        let count = if heavy { self.rng.random_range(5..=12) } else { self.rng.random_range(0..=2) };
        (0..count)
            .map(|_| {
                let name = if self.rng.random_bool(0.5) { self.pick(words::CONTACT_NAMES).to_owned() } else { self.real_name() };
                Contact {
                    name: self.text(name),
                    phone: self.rng.random_bool(0.9).then(|| self.phone()),
                    user_contact_id: format!("k0001{}", self.hex32()),
                }
            })
            .collect()
    }

    /// Up to three tags; one user in ten also has the seed users' "getTest".
    fn tags(&mut self) -> Vec<String> {
        let count = self.rng.random_range(0..=3);
        let mut tags: Vec<String> = words::TAGS.choose_multiple(&mut self.rng, count).map(|tag| tag.to_string()).collect();
        if self.rng.random_bool(0.1) && !tags.iter().any(|tag| tag == "getTest") {
            tags.push("getTest".to_owned());
        }
        tags.into_iter().map(|tag| self.text(tag)).collect()
    }

    /// Some customers take the nickname of another (different user ids, one nickname), as
    /// the two 阿洋 of the seed do: the drawer must tell them apart by id.
    fn share_nicknames(&mut self, users: &mut [UserDraft]) {
        for index in 1..users.len() {
            if self.rng.random_bool(SHARED_NICKNAME_SHARE) {
                let other = self.rng.random_range(0..index);
                users[index].user.nick_name = users[other].user.nick_name.clone();
            }
        }
    }

    /// When each customer comes: a span of [`CUSTOMER_SPAN_MS`] starting anywhere from a
    /// span before the data to its end, and how eagerly within it (most rarely, a few
    /// often).
    fn roster(&mut self, user_count: usize, window: (i64, i64)) -> Roster {
        let (start_ms, until_ms) = window;
        let mut by_start: Vec<(i64, usize)> =
            (0..user_count).map(|user| (self.rng.random_range(start_ms - CUSTOMER_SPAN_MS..until_ms), user)).collect();
        by_start.sort_unstable();
        let eagerness = (0..user_count).map(|_| 0.02 + 0.98 * self.rng.random::<f64>().powi(5)).collect();
        Roster { by_start, eagerness }
    }

    /// The customer of a conversation created at `created_ms`: one whose span holds it,
    /// drawn by eagerness, never one who has [`MAX_CHATS_PER_CUSTOMER`] already.
    fn customer_at(&mut self, created_ms: i64, roster: &Roster, users: &[UserDraft]) -> usize {
        let has_room = |user: usize| users[user].chats.len() < MAX_CHATS_PER_CUSTOMER;
        let first = roster.by_start.partition_point(|(start, _)| *start <= created_ms - CUSTOMER_SPAN_MS);
        let end = roster.by_start.partition_point(|(start, _)| *start <= created_ms);
        if first < end {
            for _ in 0..64 {
                let user = roster.by_start[self.rng.random_range(first..end)].1;
                if has_room(user) && self.rng.random_bool(roster.eagerness[user]) {
                    return user;
                }
            }
        }
        // Nobody came forward (or nobody's span holds this time): the next customer in
        // order of their spans who has room.
        let count = roster.by_start.len();
        (0..count).map(|k| roster.by_start[(first + k) % count].1).find(|&user| has_room(user)).unwrap_or(roster.by_start[first % count].1)
    }

    /// Draws one conversation of `user` created at `created_ms`; `until_ms` is the end of
    /// the data (its age sets how likely it is still open).
    fn chat(&mut self, user: &UserDraft, user_index: usize, created_ms: i64, until_ms: i64, tables: &Tables) -> ChatDraft {
        let age_days = (until_ms - created_ms) / DAY_MS;
        let roll: f64 = self.rng.random();
        let status = match age_days {
            0 if roll < 0.55 => ChatStatus::Talking,
            0 if roll < 0.7 => ChatStatus::Queued,
            1..=6 if roll < 0.1 => ChatStatus::Talking,
            1..=6 if roll < 0.13 => ChatStatus::Queued,
            // Now and then a conversation nobody closed.
            _ if roll < 0.01 => ChatStatus::Talking,
            _ => ChatStatus::Ended,
        };
        // Like the seed, a chat that opened its own group is named after it.
        let (chat_id, group_id) = if self.rng.random_bool(0.1) {
            let group = self.group_id();
            (format!("u0001{group}"), group)
        } else {
            let group = user.groups.choose(&mut self.rng).cloned().unwrap_or_default();
            (format!("u0001{}", self.hex32()), group)
        };
        let title = self.pick(words::TITLES).to_owned();
        let title = self.text(title);
        let message = if self.rng.random_bool(0.7) { String::new() } else { self.pick(words::MESSAGES).to_owned() };
        let message = self.text(message);
        let location = self.rng.random_bool(0.85).then(|| {
            let city = if self.rng.random_bool(0.8) { user.home } else { self.pick_city() };
            let address = self.street_address(city);
            Location {
                lng: round6(city.lng + self.rng.random_range(-0.15..0.15)),
                address: self.text(address),
                lat: round6(city.lat + self.rng.random_range(-0.15..0.15)),
            }
        });
        ChatDraft {
            user: user_index,
            chat_id,
            group_id,
            created_ms,
            status,
            title,
            message,
            location,
            operator: self.rng.random_range(0..tables.operators.len()),
            // Every user follows at least one channel.
            channel: user.channels[self.rng.random_range(0..user.channels.len())].clone(),
            channel_names: user.channel_names.clone(),
            client: self.rng.random_range(0..tables.clients.len()),
            client_type: self.pick(words::CLIENT_TYPES),
            version_code: self.pick(words::VERSION_CODES),
            is_in_group: self.rng.random_bool(0.1),
            retyped: self.hostile && self.rng.random_bool(0.2),
        }
    }

    fn hex32(&mut self) -> String {
        format!("{:032x}", self.rng.random::<u128>())
    }

    /// An 18-digit group id, as in the seeds.
    fn group_id(&mut self) -> String {
        self.rng.random_range(100_000_000_000_000_000_u64..1_000_000_000_000_000_000).to_string()
    }

    fn pick(&mut self, pool: &[&'static str]) -> &'static str {
        pool.choose(&mut self.rng).copied().unwrap_or_default()
    }

    fn pick_city(&mut self) -> &'static City {
        words::CITIES.choose(&mut self.rng).unwrap_or(&words::CITIES[0])
    }

    fn real_name(&mut self) -> String {
        format!("{}{}", self.pick(words::SURNAMES), self.pick(words::GIVEN))
    }

    fn nick(&mut self) -> String {
        match self.rng.random_range(0..20) {
            0..=8 => self.real_name(),
            9..=11 => format!("小{}", self.pick(words::GIVEN)),
            12 => format!("阿{}", self.pick(words::GIVEN)),
            _ => self.pick(words::HANDLES).to_owned(),
        }
    }

    fn phone(&mut self) -> String {
        let prefix = self.pick(&["138", "139", "150", "158", "186", "188", "135", "177", "199"]);
        format!("{prefix}{:08}", self.rng.random_range(0..100_000_000))
    }

    fn street_address(&mut self, city: &City) -> String {
        let district = self.pick(city.districts);
        let street = self.pick(city.streets);
        let number = self.rng.random_range(1..400);
        if self.rng.random_bool(0.4) {
            let building = self.rng.random_range(1..30);
            let room = self.rng.random_range(101..2400);
            format!("{}{district}{street}{number}号{building}栋{room}室", city.prefix)
        } else {
            format!("{}{district}{street}{number}号", city.prefix)
        }
    }

    /// An avatar or logo URL shaped like the seed's: mostly a signed Qiniu image URL, some
    /// wrapping another URL or missing the file name (as in the seed), some empty or null.
    fn image_url(&mut self) -> Option<String> {
        let expires = self.rng.random_range(1_600_000_000..1_700_000_000);
        let signature: String = (0..27)
            .map(|_| *b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".choose(&mut self.rng).unwrap_or(&b'A') as char)
            .collect();
        let query = format!(
            "?attname=&imageView2/1/w/200/h/200&e={expires}&token=1pd5YXbBmYR7QQqodYuItP927L99-O4qNLAynsmp:{signature}="
        );
        match self.rng.random_range(0..100) {
            0..=71 => Some(format!("{}{}.png{query}", words::IMAGE_HOST, self.hex32())),
            72..=79 => Some(format!("{}http://wx.qlogo.cn/mmopen/{}{}/0{query}", words::IMAGE_HOST, self.hex32(), self.hex32())),
            80..=85 => Some(format!("{}{query}", words::IMAGE_HOST)),
            86..=93 => Some(String::new()),
            _ => None,
        }
    }

    fn text(&mut self, text: String) -> String {
        if self.hostile {
            hostile::spoil_text(&mut self.rng, text)
        } else {
            text
        }
    }

    fn url(&mut self, url: Option<String>) -> Option<String> {
        if self.hostile {
            hostile::spoil_url(&mut self.rng, url)
        } else {
            url
        }
    }
}

/// The final conversation, once its user's chat count and its link are known.
fn finish(draft: ChatDraft, ref_chat_id: Option<String>, users: &[Arc<User>], tables: &Tables) -> Chat {
    let user = &users[draft.user];
    let (client, company_id) = &tables.clients[draft.client];
    let (operator_id, operator_nick) = &tables.operators[draft.operator];
    let info = ChatInfo {
        user: user.clone(),
        operator_id: operator_id.clone(),
        subtitle: draft.title,
        channel: draft.channel,
        ref_chat_id,
        location: draft.location,
        group_id: draft.group_id,
        status: draft.status.info_status().to_owned(),
        chat_id: draft.chat_id,
        is_in_group: draft.is_in_group,
        version_code: draft.version_code.to_owned(),
        create_time: clock::format_ms(draft.created_ms),
        client_type: draft.client_type.to_owned(),
        client: client.clone(),
        channel_name_list: draft.channel_names,
        company_id: Some(company_id.clone()),
    };
    let mut chat = Chat::new(info, draft.created_ms, user.icon.clone(), draft.message, draft.status, operator_nick);
    chat.retyped = draft.retyped;
    chat
}

fn round6(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}
