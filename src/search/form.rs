//! The filter form (`Search conversations`). What the operator types lives in a draft
//! that only a valid submit turns into a search; a failed search leaves it untouched.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::ctx::use_ctx;
use crate::filters::{SearchFilters, TextFilter};
use crate::i18n::Msg;
use crate::model::search::{use_search, SearchState};
use crate::time::{format_date, parse_date, today_in, DateRange, Preset};

/// The form's fields as typed; dates as the `<input type=date>` strings, text filters in
/// [`TextFilter::ALL`] order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    texts: [String; TextFilter::ALL.len()],
    pub start: String,
    pub end: String,
}

/// Per-field problems that block a submit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DraftErrors {
    pub start: Option<Msg>,
    pub end: Option<Msg>,
}

impl Draft {
    pub fn from_filters(filters: &SearchFilters) -> Self {
        Self {
            texts: TextFilter::ALL.map(|f| filters.text(f).to_string()),
            start: format_date(filters.start),
            end: format_date(filters.end),
        }
    }

    /// Both dates are required and the start may not be after the end (end inclusive).
    pub fn validate(&self) -> Result<SearchFilters, DraftErrors> {
        let start = parse_date(&self.start);
        let end = parse_date(&self.end);
        let mut errors = DraftErrors {
            start: start.is_none().then_some(Msg::StartRequired),
            end: end.is_none().then_some(Msg::EndRequired),
        };
        match (start, end) {
            (Some(start), Some(end)) if start <= end => {
                let mut filters = SearchFilters::with_range(start, end);
                for filter in TextFilter::ALL {
                    filters.text_mut(filter).clone_from(self.text(filter));
                }
                Ok(filters)
            }
            (Some(_), Some(_)) => {
                errors.start = Some(Msg::StartAfterEnd);
                Err(errors)
            }
            _ => Err(errors),
        }
    }

    fn text(&self, filter: TextFilter) -> &String {
        &self.texts[filter as usize]
    }

    fn text_mut(&mut self, filter: TextFilter) -> &mut String {
        &mut self.texts[filter as usize]
    }
}

/// The chart's steering: the submitted filters over `range`, checked as typed dates are,
/// and searched as a submit (a new history entry, so Back zooms out again); the form then
/// shows the new dates, as after Back. A range the check refused would stay unsearched,
/// as a typed one does (the chart's, made of its buckets' dates, always passes).
pub fn search_range(state: SearchState, range: DateRange) {
    let mut draft = Draft::from_filters(&state.view.get_untracked().filters);
    draft.start = format_date(range.start);
    draft.end = format_date(range.end);
    if let Ok(filters) = draft.validate() {
        state.submit(filters);
    }
}

fn preset_label(preset: Preset) -> Msg {
    match preset {
        Preset::Today => Msg::PresetToday,
        Preset::Last7Days => Msg::Preset7,
        Preset::Last30Days => Msg::Preset30,
        Preset::Last90Days => Msg::Preset90,
        Preset::ThisMonth => Msg::PresetMonth,
    }
}

#[component]
pub fn FilterForm() -> impl IntoView {
    let ctx = use_ctx();
    let state = use_search();
    let export = crate::export::use_export();
    let draft = RwSignal::new(Draft::from_filters(&state.view.get_untracked().filters));
    let errors = RwSignal::new(DraftErrors::default());
    let expanded = RwSignal::new(false);
    let main_input = NodeRef::<html::Input>::new();
    let range_note = crate::views::RangeNote::from_context();

    // Back/Forward and Reset replace the draft with the view's filters; paging does not
    // (the memo only changes when the filters do), so unsubmitted typing survives it.
    let submitted = Memo::new(move |_| state.view.with(|v| v.filters.clone()));
    Effect::new(move |_| {
        state.form_epoch.track();
        draft.set(Draft::from_filters(&submitted.get()));
        errors.set(DraftErrors::default());
    });

    let submit = move || match draft.get_untracked().validate() {
        Ok(filters) => {
            errors.set(DraftErrors::default());
            state.submit(filters);
        }
        Err(found) => errors.set(found),
    };
    // Dates are checked as they change, so the message is there before any request.
    let revalidate = move || {
        if errors.with_untracked(|e| *e != DraftErrors::default()) {
            errors.set(draft.get_untracked().validate().err().unwrap_or_default());
        }
    };

    // The file holds the submitted search, as the table shows it; when the form says
    // something else, the export panel asks which one the operator means. A form that
    // is not valid shows why instead.
    let export_clicked = move || match draft.get_untracked().validate() {
        Ok(typed) => export.request(typed, state.view.get_untracked().filters, &state.columns.get_untracked()),
        Err(found) => errors.set(found),
    };

    focus_main_filter_on_slash(main_input);

    let text_field = move |filter: TextFilter| {
        let spec = filter.spec();
        let node_ref = if spec.leads { main_input } else { NodeRef::new() };
        view! {
            <label class="opc-field" class:opc-field--more=!spec.leads>
                <span class="opc-field__label">{move || ctx.t(spec.label)}</span>
                <input class="opc-input" type="search" node_ref=node_ref autocomplete="off"
                    aria-label=move || ctx.t(spec.label)
                    placeholder=move || if spec.leads { ctx.t(Msg::NickPlaceholder) } else { "" }
                    prop:value=move || draft.with(|d| d.text(filter).to_string())
                    on:input=move |ev| draft.update(|d| *d.text_mut(filter) = event_target_value(&ev)) />
            </label>
        }
    };
    let date_field = move |label: Msg, is_start: bool| {
        let error = move || errors.with(|e| if is_start { e.start } else { e.end });
        let id = if is_start { "opc-start-error" } else { "opc-end-error" };
        view! {
            <label class="opc-field">
                <span class="opc-field__label">{move || ctx.t(label)}</span>
                <input class="opc-input" type="date" required aria-label=move || ctx.t(label)
                    aria-invalid=move || error().is_some().to_string()
                    aria-describedby=move || error().map(|_| id)
                    prop:value=move || draft.with(|d| if is_start { d.start.clone() } else { d.end.clone() })
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        draft.update(|d| if is_start { d.start = value } else { d.end = value });
                        range_note.typed();
                        revalidate();
                    } />
                <span class="opc-field__error" id=id role="alert">{move || error().map(|m| ctx.t(m))}</span>
            </label>
        }
    };
    let presets = Preset::ALL
        .into_iter()
        .map(|preset| {
            let apply = move |_| {
                let range = preset.range(today_in(ctx.zone()));
                draft.update(|d| {
                    d.start = format_date(range.start);
                    d.end = format_date(range.end);
                });
                range_note.preset(preset);
                submit();
            };
            view! { <button type="button" class="opc-chip" on:click=apply>{move || ctx.t(preset_label(preset))}</button> }
        })
        .collect_view();

    view! {
        <form class="opc-filters" class:opc-filters--expanded=expanded novalidate
            aria-label=move || ctx.t(Msg::SearchForm)
            on:keydown=down_to_results
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }>
            <div class="opc-filters__grid">
                {TextFilter::placed(true).map(text_field).collect_view()}
                {date_field(Msg::StartDate, true)}
                {date_field(Msg::EndDate, false)}
                {TextFilter::placed(false).map(text_field).collect_view()}
            </div>
            <div class="opc-filters__bar">
                <div class="opc-filters__presets" role="group" aria-label=move || ctx.t(Msg::DateRange)>{presets}</div>
                <div class="opc-filters__actions">
                    <button type="button" class="opc-button opc-button--ghost opc-filters__toggle"
                        aria-expanded=move || expanded.get().to_string()
                        on:click=move |_| expanded.update(|e| *e = !*e)>
                        {move || ctx.t(if expanded.get() { Msg::FewerFilters } else { Msg::MoreFilters })}
                    </button>
                    <button type="button" class="opc-button" on:click=move |_| {
                        range_note.reset();
                        state.reset();
                    }>{move || ctx.t(Msg::Reset)}</button>
                    <button type="button" class="opc-button" disabled=move || export.busy().get()
                        on:click=move |_| export_clicked()>
                        {move || ctx.t(Msg::ExportCsv)}
                    </button>
                    <button type="submit" class="opc-button opc-button--primary">{move || ctx.t(Msg::Search)}</button>
                </div>
            </div>
        </form>
    }
}

/// ↓ in a text filter moves focus to the first result row, so that the results are one
/// key away after Enter. Not in date fields, where ↓ steps the date, nor in a field with a
/// suggestion list (`list` or an expanded combobox), nor while an IME composes (↓ then
/// picks a candidate).
fn down_to_results(ev: web_sys::KeyboardEvent) {
    if ev.key() != "ArrowDown" || ev.alt_key() || ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.is_composing() {
        return;
    }
    let Some(field) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
    if field.type_() != "search" || field.list().is_some() || field.get_attribute("aria-expanded").as_deref() == Some("true") {
        return;
    }
    let first_row = field.closest(".opc-search").ok().flatten().and_then(|screen| screen.query_selector("tr.opc-row").ok().flatten());
    if let Some(row) = first_row {
        ev.prevent_default();
        crate::keys::focus(&row);
    }
}

/// `/` focuses the main text filter (the nickname), unless the operator is typing somewhere else or the
/// key was meant for the page around an embedded console.
fn focus_main_filter_on_slash(main_input: NodeRef<html::Input>) {
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() != "/" || ev.ctrl_key() || ev.meta_key() || ev.alt_key() || crate::keys::typing_in_field(&ev) {
            return;
        }
        let Some(input) = main_input.get_untracked() else { return };
        if crate::keys::focus_is_near(&input) {
            ev.prevent_default();
            let _ = input.focus();
        }
    });
    on_cleanup(move || handle.remove());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(start: &str, end: &str) -> Draft {
        let mut draft = Draft { texts: Default::default(), start: start.into(), end: end.into() };
        *draft.text_mut(TextFilter::Nick) = " 阿洋 ".into();
        draft
    }

    #[test]
    fn valid_range_becomes_filters_as_typed() {
        let filters = draft("2015-04-17", "2015-12-26").validate().expect("valid");
        assert_eq!(filters.nick, " 阿洋 ", "kept as typed; the request trims");
        assert_eq!(format_date(filters.start), "2015-04-17");
        assert!(draft("2015-04-17", "2015-04-17").validate().is_ok(), "one-day range");
    }

    #[test]
    fn missing_and_reversed_dates_are_named() {
        assert_eq!(draft("", "2015-12-26").validate(), Err(DraftErrors { start: Some(Msg::StartRequired), end: None }));
        assert_eq!(draft("2015-04-17", "").validate(), Err(DraftErrors { start: None, end: Some(Msg::EndRequired) }));
        assert_eq!(draft("", "").validate(), Err(DraftErrors { start: Some(Msg::StartRequired), end: Some(Msg::EndRequired) }));
        assert_eq!(draft("2015-12-27", "2015-12-26").validate(), Err(DraftErrors { start: Some(Msg::StartAfterEnd), end: None }));
        assert_eq!(draft("2015-02-30", "2015-12-26").validate().map_err(|e| e.start), Err(Some(Msg::StartRequired)));
    }

    #[test]
    fn round_trip_through_filters() {
        let d = draft("2015-04-17", "2015-12-26");
        let filters = d.validate().expect("valid");
        assert_eq!(Draft::from_filters(&filters), d);
    }
}
