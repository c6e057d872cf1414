//! The drawer's content in the order an operator reads it: who the customer is, then the
//! conversation's essentials, then the technical ids folded away. Server strings are only
//! ever text nodes or checked URLs.

use leptos::prelude::*;

use crate::api::models::{Location, User};
use crate::api::ChatInfo;
use super::history::CustomerHistory;
use crate::ctx::use_ctx;
use crate::i18n::{conversations_count, filter_summary, Msg};
use crate::ui::safety::link_url;
use crate::ui::{or_dash, Avatar, CopyButton, StatusBadge, EMPTY_VALUE};

/// Whether "Technical details" was left open (remembered per instance).
const TECHNICAL_OPEN_KEY: &str = "drawerTechnicalOpen";

/// The map link for a location, from the `mapUrl` template; only `http(s)` results.
pub fn map_link(template: &str, location: &Location) -> Option<String> {
    let (lat, lng) = (location.lat?, location.lng?);
    let address: String = form_urlencoded::byte_serialize(location.address.as_deref().unwrap_or("").as_bytes()).collect();
    let url = template.replace("{lng}", &lng.to_string()).replace("{lat}", &lat.to_string()).replace("{address}", &address);
    link_url(&url)
}

/// One labelled value.
fn field(label: Msg, value: impl IntoView + 'static) -> impl IntoView {
    let ctx = use_ctx();
    view! {
        <div class="opc-kv">
            <dt>{move || ctx.t(label)}</dt>
            <dd>{value}</dd>
        </div>
    }
}

/// A value that may be `null` or blank, shown as [`EMPTY_VALUE`], with a copy button when present.
/// Emptiness is decided on the value, not on the text shown: a server value of "—" is a
/// value like any other.
fn copyable(label: Msg, value: Option<String>) -> impl IntoView {
    let value = value.filter(|v| !v.trim().is_empty());
    field(
        label,
        view! {
            <span class="opc-mono opc-break">{or_dash(value.as_deref())}</span>
            {value.map(|text| view! { <CopyButton text=text.trim().to_string() what=label /> })}
        },
    )
}

fn plain(label: Msg, value: Option<&str>) -> impl IntoView {
    field(label, view! { <span class="opc-break">{or_dash(value)}</span> })
}

fn chips(values: Vec<String>) -> AnyView {
    if values.is_empty() {
        return EMPTY_VALUE.into_any();
    }
    view! { <ul class="opc-chips">{values.into_iter().map(|v| view! { <li class="opc-chip opc-chip--static">{v}</li> }).collect_view()}</ul> }
        .into_any()
}

fn section(title: Msg, body: impl IntoView + 'static) -> impl IntoView {
    let ctx = use_ctx();
    view! {
        <section class="opc-section">
            <h3 class="opc-section__title">{move || ctx.t(title)}</h3>
            <dl class="opc-kvs">{body}</dl>
        </section>
    }
}

#[component]
pub fn ChatDetails(info: ChatInfo, on_follow: Callback<String>) -> impl IntoView {
    view! {
        <article class="opc-chat" data-chat-id=info.chat_id.clone().unwrap_or_default()>
            {customer(info.user.clone().unwrap_or_default(), info.channel_name_list.clone(), view! {
                <CustomerHistory info=info.clone() on_open=on_follow />
            })}
            {essentials(&info, on_follow)}
            {technical(&info)}
        </article>
    }
}

/// Who the customer is: name, how to reach them, tags, how often they came.
/// `history` is the customer's other conversations (DESIGN §6), at the end of the section.
fn customer(user: User, channels_followed: Vec<String>, history: impl IntoView + 'static) -> impl IntoView {
    let ctx = use_ctx();
    let nick = or_dash(user.nick_name.as_deref());
    let service_count = user.service_count;
    let addresses = if user.address.is_empty() {
        EMPTY_VALUE.into_any()
    } else {
        view! {
            <ul class="opc-list">
                {user.address.into_iter().map(|a| view! {
                    <li class="opc-break">
                        {or_dash(a.address.as_deref())}
                        {a.remark.filter(|r| !r.trim().is_empty()).map(|r| view! {
                            <span class="opc-muted">" · " {filter_summary(ctx.locale(), Msg::Remark, &r)}</span>
                        })}
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let contacts = if user.contacts.is_empty() {
        EMPTY_VALUE.into_any()
    } else {
        view! {
            <ul class="opc-list">
                {user.contacts.into_iter().map(|c| view! {
                    <li class="opc-break">{or_dash(c.name.as_deref())} " · " <span class="opc-mono">{or_dash(c.phone.as_deref())}</span></li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="opc-section opc-section--customer">
            <h3 class="opc-section__title">{move || ctx.t(Msg::SectionCustomer)}</h3>
            <div class="opc-chat__head">
                <Avatar url=user.icon.clone() name=nick.clone() user_id=user.user_id.clone() large=true />
                <div class="opc-chat__who">
                    <p class="opc-chat__nick opc-break">{nick.clone()}</p>
                    <p class="opc-muted opc-break">{or_dash(user.user_name.as_deref())}</p>
                </div>
            </div>
            <dl class="opc-kvs">
                {copyable(Msg::FieldUserId, user.user_id.clone())}
                {copyable(Msg::FieldDisplayNumber, user.display_phone.clone())}
                {copyable(Msg::FieldFullPhone, user.phone.clone())}
                {field(Msg::FieldContacts, contacts)}
                {field(Msg::FieldTags, chips(user.tags.clone()))}
                {field(Msg::FieldServiceCount, move || service_count.map(|n| conversations_count(ctx.locale(), n)).unwrap_or_else(|| EMPTY_VALUE.into()))}
                {field(Msg::FieldAddresses, addresses)}
                {field(Msg::FieldFollowedChannels, chips(channels_followed))}
            </dl>
            {history}
        </section>
    }
}

/// What this conversation is: when, in which state, about what, where from, linked to what.
fn essentials(info: &ChatInfo, on_follow: Callback<String>) -> impl IntoView {
    let ctx = use_ctx();
    let created = info.create_time.as_ref().map(|t| t.display(ctx.zone()));
    let channel = info.channel.clone().unwrap_or_default();
    let client = info.client.clone().unwrap_or_default();
    let location = info.location.clone().unwrap_or_default();
    let map = map_link(&ctx.config().map_url, &location);
    let ref_chat = info.ref_chat_id.clone().filter(|id| !id.trim().is_empty());
    let client_name = or_dash(client.name.as_deref());
    section(
        Msg::SectionConversation,
        view! {
            {field(Msg::FieldCreated, view! { <span class="opc-created">{or_dash(created.as_deref())}</span> })}
            {field(Msg::FieldStatus, view! { <StatusBadge status=info.status.clone() /> })}
            {plain(Msg::FieldSubtitle, info.subtitle.as_deref())}
            {plain(Msg::SectionChannel, channel.name.as_deref())}
            {field(Msg::SectionClient, view! {
                <span class="opc-chat__client">
                    <Avatar url=client.logo.clone() name=client_name.clone() />
                    <span class="opc-break">{client_name.clone()}</span>
                </span>
            })}
            {field(Msg::SectionLocation, view! {
                <span class="opc-break">{or_dash(location.address.as_deref())}</span>
                {map.map(|href| view! {
                    " " <a class="opc-link" href=href target="_blank" rel="noopener noreferrer">{move || ctx.t(Msg::OpenMap)} " ↗"</a>
                })}
            })}
            {field(Msg::SectionLinked, match ref_chat {
                Some(id) => view! {
                    <button type="button" class="opc-link opc-mono opc-break" title=move || ctx.t(Msg::OpenLinked)
                        on:click=move |_| on_follow.run(id.clone())>{id.clone()}</button>
                }.into_any(),
                None => EMPTY_VALUE.into_any(),
            })}
            {copyable(Msg::FieldChatId, info.chat_id.clone())}
        },
    )
}

/// The ids an operator needs only now and then, folded away; whether the section was left
/// open is remembered.
fn technical(info: &ChatInfo) -> impl IntoView {
    let ctx = use_ctx();
    let prefs = ctx.prefs();
    let open = prefs.get(TECHNICAL_OPEN_KEY).as_deref() == Some("true");
    let remember = move |ev: web_sys::Event| {
        let open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
        prefs.set(TECHNICAL_OPEN_KEY, if open { "true" } else { "false" });
    };
    let yes_no = info.is_in_group.map(|b| if b { Msg::Yes } else { Msg::No });
    let channel = info.channel.clone().unwrap_or_default();
    let client = info.client.clone().unwrap_or_default();
    let location = info.location.clone().unwrap_or_default();
    view! {
        <details class="opc-section opc-technical" open=open on:toggle=remember>
            <summary class="opc-section__title opc-technical__summary">{move || ctx.t(Msg::TechnicalDetails)}</summary>
            <dl class="opc-kvs">
                {copyable(Msg::FieldGroupId, info.group_id.clone())}
                {info.company_id.clone().map(|id| copyable(Msg::FieldCompanyId, Some(id)))}
                {copyable(Msg::FieldChannelId, channel.channel_id.clone())}
                {plain(Msg::FieldClientId, client.client_id.as_deref())}
                {plain(Msg::FieldVersion, info.version_code.as_deref())}
                {plain(Msg::FieldClientType, info.client_type.as_deref())}
                {copyable(Msg::FieldOperatorId, info.operator_id.clone())}
                {field(Msg::FieldInGroup, move || yes_no.map(|m| ctx.t(m)).unwrap_or(EMPTY_VALUE))}
                {field(Msg::FieldLatLng, match (location.lat, location.lng) {
                    (Some(lat), Some(lng)) => format!("{lat}, {lng}"),
                    _ => EMPTY_VALUE.into(),
                })}
            </dl>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DEFAULT_MAP_URL;

    #[test]
    fn map_links_from_the_seed_location() {
        let location = Location { address: Some("北京市海淀区软件园六号路".into()), lat: Some(40.050735), lng: Some(116.305801) };
        let link = map_link(DEFAULT_MAP_URL, &location).expect("link");
        assert!(link.starts_with("https://uri.amap.com/marker?position=116.305801,40.050735&name=%E5%8C%97"), "{link}");
        assert_eq!(map_link(DEFAULT_MAP_URL, &Location { lat: None, ..location.clone() }), None);
        assert_eq!(map_link("javascript:alert('{lat}')", &location), None);
        let hostile = Location { address: Some("\"><script>&x=1".into()), ..location };
        let link = map_link(DEFAULT_MAP_URL, &hostile).expect("link");
        assert!(link.ends_with("name=%22%3E%3Cscript%3E%26x%3D1"), "{link}");
    }
}
