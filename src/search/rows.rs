//! The results table's rows: built once per position with no reactive closure of their
//! own, and written by one painter per page.
//!
//! A page flip used to re-run some twenty render effects per row (every text, attribute,
//! avatar and badge was a closure over the row's memo), each woken through the async
//! executor and each passing its string to the DOM in a call of its own. Now a row is
//! plain structure, [`TableRows::find`] keeps a slot for each place a page changes in it,
//! and [`TableRows::paint`] compares each value with what its slot shows and sends only
//! the differences, all of them in one call (`table.js`). Rows past a shorter page's end
//! stay as hidden spares. Every row of the page is in the DOM, so find-in-page and the
//! table's semantics work as before; the markup is the components' (`Avatar`,
//! `StatusBadge`), whose rules the painter shares.

use chrono::FixedOffset;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

use super::table::{customer_marker, short_id};
use crate::api::SearchRow;
use crate::ctx::use_ctx;
use crate::i18n::{filter_summary, Locale, Msg};
use crate::model::columns::Column;
use crate::model::search::use_search;
use crate::ui::{avatar_class, badge, initial_of, or_dash, safety, CopyButton};

/// The row at `index` of the current page, as structure: the painter fills it. The copy
/// buttons read the page's value when they are clicked, so they subscribe to nothing.
#[component]
pub fn ResultRow(index: usize, columns: Vec<Column>, tab_stop: bool) -> impl IntoView {
    let ctx = use_ctx();
    let state = use_search();
    let value_at = move |field: fn(&SearchRow) -> Option<&str>| {
        Signal::derive(move || {
            state.result.with_untracked(|r| r.as_ref().and_then(|p| p.rows.get(index)).and_then(field).unwrap_or_default().to_string())
        })
    };
    let open = move || {
        let id = value_at(|r| r.chat_id.as_deref()).get_untracked();
        if !id.is_empty() {
            state.open_chat(id)
        }
    };
    let open_on_enter = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            open();
        }
    };
    let cell = move |column: Column| -> AnyView {
        match column {
            Column::ChatId => view! {
                <td role="cell" class="opc-col-chat">
                    <span class="opc-mono"></span>
                    <CopyButton text=value_at(|r| r.chat_id.as_deref()) what=Msg::ColChatId in_grid=true />
                </td>
            }
            .into_any(),
            Column::Created => view! { <td role="cell" class="opc-col-created opc-nowrap"></td> }.into_any(),
            Column::User => view! {
                <td role="cell" class="opc-col-user">
                    <span class="opc-user">
                        // `Avatar`'s markup; `loading` before `src` (see there).
                        <span class="opc-avatar" aria-hidden="true">
                            // A failed load hides it: `watch_images` (table.js).
                            <img loading="lazy" decoding="async" referrerpolicy="no-referrer" alt="" hidden />
                            <span class="opc-avatar__initial"></span>
                        </span>
                        <span class="opc-user__who">
                            <span class="opc-truncate"></span>
                            <span class="opc-customer" hidden>
                                <span class="opc-customer__id"></span>
                                <CopyButton text=value_at(|r| r.user_id.as_deref().map(str::trim)) what=Msg::FieldUserId in_grid=true />
                            </span>
                        </span>
                    </span>
                </td>
            }
            .into_any(),
            Column::Address => view! { <td role="cell" class="opc-col-address"><span class="opc-truncate"></span></td> }.into_any(),
            Column::Status => view! { <td role="cell" class="opc-col-status"><span class="opc-badge"></span></td> }.into_any(),
            Column::Title => view! { <td role="cell" class="opc-col-title"><span class="opc-truncate"></span></td> }.into_any(),
        }
    };
    view! {
        <tr role="row" class="opc-row" data-row="" tabindex=if tab_stop { "0" } else { "-1" } aria-selected="false"
            on:click=move |_| open() on:keydown=open_on_enter>
            // The checkbox's label fills the cell, an easier target, and keeps its clicks
            // from opening the drawer (a click on the cell itself still opens, like any cell).
            // `autocomplete="off"`: the browser keeps no state of it in history entries,
            // which it would save for every row's checkbox on each change of the address (a
            // page flip's `pushState`) and restore on Back. Which rows are picked is the
            // selection's to say, not the browser's.
            <td role="cell" class="opc-col-select">
                <label class="opc-check-hit" on:click=|ev: web_sys::MouseEvent| ev.stop_propagation()>
                    <input type="checkbox" class="opc-check" tabindex="-1" autocomplete="off" aria-label=ctx.t(Msg::SelectRow)
                        on:click=move |ev: web_sys::MouseEvent| state.select_row(index, ev.shift_key()) />
                </label>
            </td>
            {columns.into_iter().map(cell).collect_view()}
        </tr>
    }
}

/// Gives a row its tooltips (the full chat id, the customer's id, the server's status tip)
/// when the pointer or keyboard focus reaches it, and only then: kept up to date by the
/// painter they were three attribute writes and a formatted text per row on every page,
/// for tooltips mostly never shown. Each is written only if it differs.
pub fn show_tooltips(row: &Element, data: &SearchRow, locale: Locale) {
    let user_id = data.user_id.as_deref().map(str::trim).unwrap_or_default();
    let tips = [
        (".opc-col-chat .opc-mono", data.chat_id.clone()),
        (".opc-customer__id", Some(filter_summary(locale, Msg::FieldUserId, user_id))),
        (".opc-col-status .opc-badge", data.status_tip.clone().filter(|t| !t.trim().is_empty())),
    ];
    for (selector, tip) in tips {
        let Some(element) = row.query_selector(selector).ok().flatten() else { continue };
        if element.get_attribute("title") != tip {
            let _ = match &tip {
                Some(tip) => element.set_attribute("title", tip),
                None => element.remove_attribute("title"),
            };
        }
    }
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/search/table.js")]
extern "C" {
    fn write_slots(slots: &js_sys::Array, names: &js_sys::Array, changed: &[u32], lengths: &[u32], values: &str);
}

/// Where a value goes: an element's text, one of its attributes, whether it has a class,
/// or an image's address (set once its row is drawn, and shown or hidden with it:
/// `watch_images`).
#[derive(Clone, Copy)]
enum Target {
    Text,
    Attribute(&'static str),
    Class(&'static str),
    ImageSource,
}

/// A place the painter writes to: an index into [`Slots`].
#[derive(Clone, Copy)]
struct Slot(u32);

/// Every place the painter writes to in the table's rows, with what it last wrote there:
/// a page that shows the same value in a place writes nothing there. The elements and
/// what of them each slot is live on the JS side, for [`write_slots`].
#[derive(Default)]
pub struct Slots {
    elements: js_sys::Array,
    names: js_sys::Array,
    /// `None` until the slot is first written (the markup's own value is not known here:
    /// some places are built `hidden`), then the value written (`Some(None)`: no value).
    shown: Vec<Option<Option<String>>>,
}

impl Slots {
    fn add(&mut self, element: &Element, target: Target) -> Slot {
        self.elements.push(element);
        self.names.push(&match target {
            Target::Text => wasm_bindgen::JsValue::NULL,
            Target::Attribute(name) => name.into(),
            Target::Class(name) => format!(".{name}").into(),
            Target::ImageSource => "@src".into(),
        });
        self.shown.push(None);
        Slot(self.shown.len() as u32 - 1)
    }

    /// Slots for the `targets` of the first element under `root` that `selector` names
    /// (one query however many places of it a page writes).
    fn find_each<const N: usize>(&mut self, root: &Element, selector: &str, targets: [Target; N]) -> Option<[Slot; N]> {
        let element = root.query_selector(selector).ok().flatten()?;
        Some(targets.map(|target| self.add(&element, target)))
    }

    fn find(&mut self, root: &Element, selector: &str, target: Target) -> Option<Slot> {
        self.find_each(root, selector, [target]).map(|[slot]| slot)
    }
}

/// The writes of one page, sent to the DOM in one call by [`Batch::apply`].
struct Batch<'a> {
    slots: &'a mut Slots,
    changed: Vec<u32>,
    lengths: Vec<u32>,
    values: String,
}

/// The length of "no value" in [`write_slots`].
const NO_VALUE: u32 = u32::MAX;

impl<'a> Batch<'a> {
    fn new(slots: &'a mut Slots) -> Self {
        Batch { slots, changed: Vec::new(), lengths: Vec::new(), values: String::new() }
    }

    /// Writes `value` (`None`: no text, no attribute, no class) unless the slot shows it
    /// already; says whether it wrote.
    fn write(&mut self, slot: Slot, value: Option<&str>) -> bool {
        let shown = &mut self.slots.shown[slot.0 as usize];
        if shown.as_ref().is_some_and(|shown| shown.as_deref() == value) {
            return false;
        }
        match (shown.as_mut(), value) {
            // The slot's string is reused: a flip writes a thousand values or so, most about
            // as long as the ones they replace.
            (Some(Some(text)), Some(value)) => {
                text.clear();
                text.push_str(value);
            }
            _ => *shown = Some(value.map(str::to_owned)),
        }
        self.push(slot, value);
        true
    }

    /// A boolean attribute such as `hidden`, or a class.
    fn flag(&mut self, slot: Slot, on: bool) -> bool {
        self.write(slot, on.then_some(""))
    }

    fn push(&mut self, slot: Slot, value: Option<&str>) {
        self.changed.push(slot.0);
        match value {
            Some(value) => {
                self.lengths.push(value.encode_utf16().count() as u32);
                self.values.push_str(value);
            }
            None => self.lengths.push(NO_VALUE),
        }
    }

    fn apply(self) {
        if !self.changed.is_empty() {
            write_slots(&self.slots.elements, &self.slots.names, &self.changed, &self.lengths, &self.values);
        }
    }
}

/// The user cell's slots (`Avatar`'s, then the name and the customer marker).
struct UserSlots {
    avatar: Slot,
    image: Slot,
    initial: Slot,
    name: Slot,
    customer_hidden: Slot,
    marker: Slot,
}

/// What a page changes in one row. A hidden column has no slots.
struct RowSlots {
    /// Rows past the page's last are kept, hidden and without the `opc-row` class, for the
    /// next longer page: a flip across the last page (500 rows, then 12, then 500) only
    /// hides and shows rows instead of dropping and building them.
    spare: Slot,
    is_row: Slot,
    chat_id: Slot,
    selected: Slot,
    chat: Option<(Slot, Slot)>,
    created: Option<Slot>,
    user: Option<UserSlots>,
    address: Option<Slot>,
    status: Option<(Slot, Slot)>,
    title: Option<Slot>,
}

/// One row's element, its checkbox and its slots.
struct RowNodes {
    row: Element,
    checkbox: Option<HtmlInputElement>,
    slots: RowSlots,
}

impl RowNodes {
    /// The slots of a row built by [`ResultRow`].
    fn find(row: Element, slots: &mut Slots) -> Self {
        let chat = (|| {
            let short = slots.find(&row, ".opc-col-chat .opc-mono", Target::Text)?;
            let copy_hidden = slots.find(&row, ".opc-col-chat .opc-copy-wrap", Target::Attribute("hidden"))?;
            Some((short, copy_hidden))
        })();
        let created = slots.find(&row, ".opc-col-created", Target::Text);
        let user = (|| {
            let avatar = slots.find(&row, ".opc-avatar", Target::Attribute("class"))?;
            let image = slots.find(&row, ".opc-avatar img", Target::ImageSource)?;
            let initial = slots.find(&row, ".opc-avatar__initial", Target::Text)?;
            let name = slots.find(&row, ".opc-user__who > .opc-truncate", Target::Text)?;
            let customer_hidden = slots.find(&row, ".opc-customer", Target::Attribute("hidden"))?;
            let marker = slots.find(&row, ".opc-customer__id", Target::Text)?;
            Some(UserSlots { avatar, image, initial, name, customer_hidden, marker })
        })();
        let address = slots.find(&row, ".opc-col-address .opc-truncate", Target::Text);
        let status = slots
            .find_each(&row, ".opc-col-status .opc-badge", [Target::Text, Target::Attribute("class")])
            .map(|[label, class]| (label, class));
        let title = slots.find(&row, ".opc-col-title .opc-truncate", Target::Text);
        let row_slots = RowSlots {
            spare: slots.add(&row, Target::Attribute("hidden")),
            is_row: slots.add(&row, Target::Class("opc-row")),
            chat_id: slots.add(&row, Target::Attribute("data-chat-id")),
            selected: slots.add(&row, Target::Attribute("aria-selected")),
            chat,
            created,
            user,
            address,
            status,
            title,
        };
        RowNodes { checkbox: row.query_selector("input.opc-check").ok().flatten().and_then(|c| c.dyn_into().ok()), row, slots: row_slots }
    }

    /// The row's checkbox and look for whether it is picked, where they differ.
    fn show_picked(&self, picked: bool) {
        let Some(checkbox) = &self.checkbox else { return };
        if checkbox.checked() != picked {
            checkbox.set_checked(picked);
        }
        let classes = self.row.class_list();
        if classes.contains("opc-row--picked") != picked {
            let _ = classes.toggle_with_force("opc-row--picked", picked);
        }
    }
}

/// The rows of the table as the painter knows them: found once per build of the rows.
#[derive(Default)]
pub struct TableRows {
    rows: Vec<RowNodes>,
    slots: Slots,
}

impl TableRows {
    /// Every row [`ResultRow`] built in `tbody` (the state rows of an error, the empty
    /// message or the skeleton have no `data-row`).
    pub fn find(tbody: &Element) -> Self {
        let mut slots = Slots::default();
        let children = tbody.children();
        let rows = (0..children.length())
            .filter_map(|i| children.item(i))
            .filter(|row| row.has_attribute("data-row"))
            .map(|row| RowNodes::find(row, &mut slots))
            .collect();
        TableRows { rows, slots }
    }

    /// Shows `page` in the rows (position by position; the rows past its end become spare)
    /// and marks the row of `open_chat`.
    pub fn paint(&mut self, page: &[SearchRow], open_chat: Option<&str>, cx: PaintContext) {
        let mut batch = Batch::new(&mut self.slots);
        let mut lost_tab_stop = false;
        for (index, nodes) in self.rows.iter().enumerate() {
            match page.get(index) {
                Some(row) => {
                    batch.flag(nodes.slots.spare, false);
                    batch.flag(nodes.slots.is_row, true);
                    paint_row(&mut batch, &nodes.slots, row, open_chat, cx);
                }
                None => {
                    batch.flag(nodes.slots.is_row, false);
                    if batch.flag(nodes.slots.spare, true) && nodes.row.get_attribute("tabindex").as_deref() == Some("0") {
                        let _ = nodes.row.set_attribute("tabindex", "-1");
                        lost_tab_stop = true;
                    }
                    batch.write(nodes.slots.chat_id, None);
                }
            }
        }
        batch.apply();
        // The row Tab enters the table at went spare: the page's last row takes its place.
        if let Some(last) = page.len().checked_sub(1).and_then(|i| self.rows.get(i)).filter(|_| lost_tab_stop) {
            let _ = last.row.set_attribute("tabindex", "0");
        }
    }

    /// Shows which rows of `page` are picked (spare rows are not).
    pub fn show_picked(&self, picked: impl Fn(usize) -> bool) {
        for (index, nodes) in self.rows.iter().enumerate() {
            nodes.show_picked(picked(index));
        }
    }
}

/// What the painter needs besides the rows: fixed while the rows live (a language change
/// builds them again).
#[derive(Clone, Copy)]
pub struct PaintContext {
    pub locale: Locale,
    pub zone: FixedOffset,
    pub page_is_https: bool,
}

fn paint_row(batch: &mut Batch, slots: &RowSlots, row: &SearchRow, open_chat: Option<&str>, cx: PaintContext) {
    let chat_id = row.chat_id.as_deref().unwrap_or_default();
    batch.write(slots.chat_id, Some(chat_id));
    batch.write(slots.selected, Some(if !chat_id.is_empty() && open_chat == Some(chat_id) { "true" } else { "false" }));
    if let Some((short, copy_hidden)) = slots.chat {
        batch.write(short, Some(&short_id(chat_id)));
        batch.flag(copy_hidden, chat_id.is_empty());
    }
    if let Some(created) = slots.created {
        batch.write(created, Some(&or_dash(row.create_time.as_ref().map(|t| t.display(cx.zone)).as_deref())));
    }
    if let Some(user) = &slots.user {
        let name = or_dash(row.nick_name.as_deref());
        let user_id = row.user_id.as_deref().map(str::trim).unwrap_or_default();
        batch.write(user.avatar, Some(&avatar_class(Some(user_id), &name)));
        // A new address gets a fresh try (the image is shown again); the same one keeps
        // what its load showed (a failed load hides the image: `watch_images`).
        let src = row.user_icon.as_deref().and_then(|url| safety::image_url(url, cx.page_is_https));
        batch.write(user.image, src.as_deref());
        batch.write(user.initial, Some(&initial_of(&name)));
        batch.write(user.name, Some(&name));
        batch.flag(user.customer_hidden, user_id.is_empty());
        batch.write(user.marker, Some(&customer_marker(user_id)));
    }
    if let Some(address) = slots.address {
        batch.write(address, Some(&or_dash(row.address.as_deref())));
    }
    if let Some((label, class)) = slots.status {
        let (badge_class, text) = badge(row.status.as_deref().unwrap_or_default(), cx.locale);
        batch.write(label, Some(&text));
        batch.write(class, Some(badge_class));
    }
    if let Some(title) = slots.title {
        batch.write(title, Some(&or_dash(row.title.as_deref())));
    }
}
