//! The "Save view" and "Manage views" dialogs. Name errors show next to the name; a
//! storage that is full or missing is said in the dialog, which then stays open with
//! what the operator typed.

use std::time::Duration;

use leptos::html;
use leptos::prelude::*;

use super::model::SavedView;
use super::use_saved_views;
use crate::ctx::use_ctx;
use crate::i18n::{view_deleted, view_saved, Msg};
use crate::ui::Modal;

#[component]
pub fn SaveDialog(open: RwSignal<bool>, return_focus: NodeRef<html::Button>, status: RwSignal<String>) -> impl IntoView {
    let ctx = use_ctx();
    let views = use_saved_views();
    let body = move || {
        let name = RwSignal::new(String::new());
        let error = RwSignal::new(None::<Msg>);
        let submit = move |ev: web_sys::SubmitEvent| {
            ev.prevent_default();
            let view = views.current(&name.get_untracked());
            match views.change(|list| list.add(view)) {
                Ok(()) => {
                    let saved = views.list().with_untracked(|l| l.views().last().map(|v| v.name.clone())).unwrap_or_default();
                    status.set(view_saved(ctx.app_locale.get_untracked(), &saved));
                    open.set(false);
                }
                Err(refusal) => error.set(Some(refusal.message())),
            }
        };
        view! {
            <form class="opc-modal__body" novalidate on:submit=submit>
                <p class="opc-muted">{move || ctx.t(Msg::SaveViewHint)}</p>
                <label class="opc-field">
                    <span class="opc-field__label">{move || ctx.t(Msg::ViewName)}</span>
                    <input class="opc-input" type="text" autofocus aria-label=move || ctx.t(Msg::ViewName)
                        aria-invalid=move || error.with(Option::is_some).to_string()
                        aria-describedby=move || error.with(Option::is_some).then_some("opc-view-name-error")
                        prop:value=name on:input=move |ev| {
                            name.set(event_target_value(&ev));
                            error.set(None);
                        } />
                    <span class="opc-field__error" id="opc-view-name-error" role="alert">{move || error.get().map(|m| ctx.t(m))}</span>
                </label>
                <div class="opc-modal__actions">
                    <button type="button" class="opc-button" on:click=move |_| open.set(false)>{move || ctx.t(Msg::Cancel)}</button>
                    <button type="submit" class="opc-button opc-button--primary">{move || ctx.t(Msg::Save)}</button>
                </div>
            </form>
        }
    };
    view! { <Modal open title=Msg::SaveView return_focus>{body}</Modal> }
}

/// Which control of a row gets focus back after the list is drawn again.
#[derive(Clone, Copy)]
enum Part {
    Name,
    Default,
    Up,
    Down,
}

impl Part {
    fn class(self) -> &'static str {
        match self {
            Self::Name => "opc-views__name",
            Self::Default => "opc-views__default",
            Self::Up => "opc-views__up",
            Self::Down => "opc-views__down",
        }
    }
}

#[component]
pub fn ManageDialog(open: RwSignal<bool>, return_focus: NodeRef<html::Button>) -> impl IntoView {
    let ctx = use_ctx();
    let views = use_saved_views();
    let body = move || {
        let problem = RwSignal::new(views.blocked().map(|b| b.message()));
        // The last deleted view and where it was, for Undo.
        let deleted = RwSignal::new(None::<(usize, SavedView)>);
        let list_ref = NodeRef::<html::Ul>::new();
        let undo_ref = NodeRef::<html::Button>::new();
        // Rows are drawn again on every change: focus goes back to the same control of
        // the same view (or, at an end of the list, to its other arrow).
        let refocus = move |index: usize, part: Part| {
            set_timeout(
                move || {
                    let Some(list) = list_ref.get_untracked() else { return };
                    let selector = format!("[data-index=\"{index}\"] .{}", part.class());
                    let fallback = match part {
                        Part::Up => Part::Down,
                        Part::Down => Part::Up,
                        other => other,
                    };
                    let fallback = format!("[data-index=\"{index}\"] .{}", fallback.class());
                    let usable = |s: &str| list.query_selector(s).ok().flatten().filter(|e| !e.has_attribute("disabled"));
                    if let Some(target) = usable(&selector).or_else(|| usable(&fallback)) {
                        crate::keys::focus(&target);
                    }
                },
                Duration::ZERO,
            );
        };
        let act = move |result: Result<(), super::Refusal>, focus: Option<(usize, Part)>| match result {
            Ok(()) => {
                problem.set(None);
                if let Some((index, part)) = focus {
                    refocus(index, part);
                }
            }
            Err(refusal) => problem.set(Some(refusal.message())),
        };
        let undo = move |_| {
            let Some((index, view)) = deleted.get_untracked() else { return };
            let restored = views.change(|list| list.restore(index, view));
            if restored.is_ok() {
                deleted.set(None);
            }
            let at = views.list().with_untracked(|l| index.min(l.views().len().saturating_sub(1)));
            act(restored, Some((at, Part::Name)));
        };
        let row = move |index: usize, saved: SavedView, count: usize| {
            let error = RwSignal::new(None::<Msg>);
            let error_id = format!("opc-view-error-{index}");
            let original = saved.name.clone();
            let rename = move |value: String| {
                if value.trim() == original {
                    return error.set(None);
                }
                match views.change(|list| list.rename(index, &value)) {
                    Ok(()) => act(Ok(()), Some((index, Part::Name))),
                    Err(super::Refusal::Change(change)) => error.set(Some(change.message())),
                    Err(refusal) => act(Err(refusal), None),
                }
            };
            let rename_on_enter = rename.clone();
            let shift = move |to: usize, part: Part| {
                let moved = views.change(|list| {
                    list.move_to(index, to);
                    Ok(())
                });
                act(moved, Some((to, part)));
            };
            let delete = move |_| {
                let removed = views.list().with_untracked(|l| l.views().get(index).cloned());
                let Some(removed) = removed else { return };
                let result = views.change(|list| {
                    list.remove(index);
                    Ok(())
                });
                if result.is_ok() {
                    deleted.set(Some((index, removed)));
                    // Undo is where the keyboard is most likely to want to go next.
                    set_timeout(move || { if let Some(undo) = undo_ref.get_untracked() { let _ = undo.focus(); } }, Duration::ZERO);
                }
                act(result, None);
            };
            view! {
                <li class="opc-views__row" role="group" aria-label=saved.name.clone() data-index=index>
                    <input class="opc-input opc-views__name" type="text" value=saved.name.clone()
                        aria-label=move || ctx.t(Msg::ViewName)
                        aria-invalid=move || error.with(Option::is_some).to_string()
                        aria-describedby=move || error.with(Option::is_some).then(|| error_id.clone())
                        on:change=move |ev| rename(event_target_value(&ev))
                        on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Enter" {
                            ev.prevent_default();
                            rename_on_enter(event_target_value(&ev));
                        } />
                    <label class="opc-check">
                        <input type="checkbox" class="opc-views__default" prop:checked=saved.default
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                let changed = views.change(|list| {
                                    list.set_default(index, on);
                                    Ok(())
                                });
                                act(changed, Some((index, Part::Default)));
                            } />
                        {move || ctx.t(Msg::DefaultView)}
                    </label>
                    <button type="button" class="opc-button opc-button--ghost opc-views__up" disabled=index == 0
                        on:click=move |_| shift(index - 1, Part::Up)>
                        {move || ctx.t(Msg::MoveUp)}
                    </button>
                    <button type="button" class="opc-button opc-button--ghost opc-views__down" disabled=index + 1 == count
                        on:click=move |_| shift(index + 1, Part::Down)>
                        {move || ctx.t(Msg::MoveDown)}
                    </button>
                    <button type="button" class="opc-button opc-button--ghost" on:click=delete>{move || ctx.t(Msg::Delete)}</button>
                    <span class="opc-field__error opc-views__error" id=format!("opc-view-error-{index}") role="alert">
                        {move || error.get().map(|m| ctx.t(m))}
                    </span>
                </li>
            }
        };
        let rows = move || {
            views.list().with(|list| {
                let count = list.views().len();
                list.views().iter().enumerate().map(|(i, v)| row(i, v.clone(), count)).collect_view()
            })
        };
        view! {
            <div class="opc-modal__body">
                <p class="opc-field__error" role="alert">{move || problem.get().map(|m| ctx.t(m))}</p>
                <p class="opc-muted" hidden=move || views.list().with(|l| !l.views().is_empty())>{move || ctx.t(Msg::NoSavedViews)}</p>
                <ul class="opc-views__manage" node_ref=list_ref>{rows}</ul>
                <p class="opc-views__undo" role="status">
                    {move || deleted.with(|d| d.as_ref().map(|(_, view)| view_deleted(ctx.locale(), &view.name)))}
                    <button type="button" class="opc-button opc-button--ghost" node_ref=undo_ref
                        hidden=move || deleted.with(Option::is_none) on:click=undo>{move || ctx.t(Msg::Undo)}</button>
                </p>
                <div class="opc-modal__actions">
                    <button type="button" class="opc-button" on:click=move |_| open.set(false)>{move || ctx.t(Msg::Close)}</button>
                </div>
            </div>
        }
    };
    view! { <Modal open title=Msg::ManageViewsTitle return_focus>{body}</Modal> }
}
