//! The report form: classification first, then the fields that kind of report needs
//! (`details.rs`: what happened at once, the rest from a file of their own).

use lapor_core::api::{Classification, Field};
use leptos::prelude::*;

use super::details::WhatHappened;
use crate::api::ApiError;
use crate::components::deferred::deferred;
use crate::components::field::{FieldError, Problems};
use crate::components::later::Later;
use crate::components::load_error::LoadError;
use crate::draft::Draft;
use crate::i18n::labels::classification_text;
use crate::i18n::{Texts, tr, use_i18n};

fn kind_hint(t: &'static Texts, c: Classification) -> &'static str {
    match c {
        Classification::Complaint => t.sub_kind_complaint_hint,
        Classification::Aspiration => t.sub_kind_aspiration_hint,
        Classification::InformationRequest => t.sub_kind_info_hint,
    }
}

/// The radio button of a classification.
pub fn kind_id(c: Classification) -> &'static str {
    match c {
        Classification::Complaint => "kind-complaint",
        Classification::Aspiration => "kind-aspiration",
        Classification::InformationRequest => "kind-information-request",
    }
}

#[component]
fn KindSection(draft: RwSignal<Draft>, problems: Problems) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="fieldset" id="kind">
            <legend class="legend--large">{tr(|t| t.sub_kind_legend)}</legend>
            <FieldError problems field={Field::Classification.path()}/>
            {Classification::ALL.into_iter().map(|c| {
                let id = kind_id(c);
                let hint_id = format!("{id}-hint");
                view! {
                    <div class="radio">
                        <input type="radio" name="classification" id=id value=c.code()
                            aria-describedby=hint_id.clone()
                            prop:checked=move || draft.with(|d| d.classification == Some(c))
                            on:change=move |_| draft.update(|d| d.classification = Some(c))/>
                        <label for=id>{move || classification_text(i18n.t(), c)}</label>
                        <p class="hint" id=hint_id>{move || kind_hint(i18n.t(), c)}</p>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

#[component]
pub fn ReportForm(
    draft: RwSignal<Draft>,
    problems: Problems,
    /// Today where the instance is: known once the instance is (a signal, so that its coming
    /// does not draw the form again under a citizen typing into it).
    today: Signal<chrono::NaiveDate>,
    /// Whether the fields after what happened are wanted: set by the first touch, and from
    /// the start for a draft kept on the device with its kind (the page keeps it across steps).
    details_wanted: RwSignal<bool>,
    on_continue: Callback<()>,
    on_discard: Callback<()>,
) -> impl IntoView {
    let chosen = move || draft.with(|d| d.classification.is_some());
    // The fields after what happened come from a file of their own (`parts.rs`), fetched when
    // the citizen first touches the form: landing on it costs only its first questions, even
    // with the kind preset (an agency's embed).
    // The first touch also fetches "my reports", which lists what waits in the outbox: on the
    // device before the connection can drop (an embed's preset kind alone is no reason).
    let touched = RwSignal::new(false);
    let touch = move || {
        if !touched.get_untracked() {
            touched.set(true);
            details_wanted.set(true);
            crate::lazy_routes::prepare_my_reports();
        }
    };
    let attempt = RwSignal::new(0_u32);
    let details = move || {
        attempt.track();
        details_wanted.get().then(|| {
            deferred(super::parts::form_details(draft, problems), move || {
                view! {
                    <LoadError error=ApiError::Network on_retry=move |()| attempt.update(|a| *a += 1)/>
                    <p class="hint">{tr(|t| t.sub_answers_kept)}</p>
                }
            })
        })
    };
    view! {
        <form id="report-form" novalidate
            on:submit=move |ev| { ev.prevent_default(); on_continue.run(()); }
            on:focusin=move |_| touch() on:pointerdown=move |_| touch() on:wheel=move |_| touch()>
            <KindSection draft problems/>
            // Everything after the kind question in a task of its own: the page's first render
            // stays short on a slow phone (the kind question takes a key sooner), and since it
            // is all below, nothing already drawn moves when it comes.
            <Later>
                <div hidden=move || !chosen()>
                    <WhatHappened draft problems today/>
                    {details}
                </div>
                <div class="actions">
                    <button type="submit" class="button button--primary">{tr(|t| t.sub_continue)}</button>
                    <button type="button" class="button button--link" on:click=move |_| on_discard.run(())>
                        {tr(|t| t.sub_discard)}
                    </button>
                </div>
            </Later>
        </form>
    }
}
