//! The report form's fields after the kind. What happened (title, story, date) is drawn with
//! the form; where, to whom, the service's questions, photos and how private come from a file
//! of their own (`parts.rs`), fetched when the citizen first touches the form.

use lapor_core::api::{Classification, Field};
use lapor_core::validation::{BODY_MAX, TITLE_MAX};
use leptos::prelude::*;

use super::agency::AgencySection;
use super::attachments::AttachmentsSection;
use super::attributes::AttributesSection;
use super::category::CategoryField;
use super::location::LocationSection;
use super::privacy::PrivacySection;
use crate::components::field::{FieldError, Problems, TextField, described_by, problem_for};
use crate::draft::Draft;
use crate::i18n::tr;

#[component]
fn DateField(
    draft: RwSignal<Draft>,
    problems: Problems,
    today: Signal<chrono::NaiveDate>,
) -> impl IntoView {
    let problem = problem_for(problems, Field::IncidentDate.path());
    view! {
        <div class="field" class:field--error=move || problem().is_some()>
            <label for="incident-date">{tr(|t| t.sub_date_label)}</label>
            <p class="hint" id="incident-date-hint">{tr(|t| t.sub_date_hint)}</p>
            <FieldError problems field={Field::IncidentDate.path()}/>
            <input type="date" id="incident-date" max=move || today.get().to_string()
                aria-describedby=described_by("incident-date", true, problems, Field::IncidentDate.path())
                aria-invalid=move || problem().is_some().then_some("true")
                prop:value=move || draft.with(|d| d.incident_date.clone())
                on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.incident_date = v); }/>
        </div>
    }
}

/// What happened: the first fields after the kind, drawn with the form itself, so a form whose
/// kind is preset (an agency's embed) takes its story before any further file arrives.
#[component]
pub fn WhatHappened(
    draft: RwSignal<Draft>,
    problems: Problems,
    today: Signal<chrono::NaiveDate>,
) -> impl IntoView {
    let complaint = move || draft.with(|d| d.classification == Some(Classification::Complaint));
    let text =
        move |get: fn(&Draft) -> &String| Signal::derive(move || draft.with(|d| get(d).clone()));
    view! {
        <TextField id="title" field={Field::Title.path()} label=|t| t.sub_title_label hint=|t| t.sub_title_hint
            max_chars=TITLE_MAX problems value=text(|d| &d.title)
            on_input=Callback::new(move |v| draft.update(|d| d.title = v))/>
        <TextField id="body" field={Field::Body.path()} label=|t| t.sub_body_label hint=|t| t.sub_body_hint
            multiline=true max_chars=BODY_MAX problems value=text(|d| &d.body)
            on_input=Callback::new(move |v| draft.update(|d| d.body = v))/>
        {move || complaint().then(|| view! { <DateField draft problems today/> })}
    }
}

/// Where, to whom, the service's own questions, photos and how private: from `parts.rs`.
#[component]
pub fn FormDetails(draft: RwSignal<Draft>, problems: Problems) -> impl IntoView {
    let features = expect_context::<crate::config::Config>().features;
    let backend = expect_context::<crate::api::Backend>().features();
    view! {
        <LocationSection draft problems/>
        {backend.directory.then(|| view! { <AgencySection draft problems/> })}
        <CategoryField draft problems/>
        <crate::components::similar_reports::SimilarReports draft/>
        <AttributesSection draft problems/>
        {(features.attachments && backend.reporter_actions).then(|| view! { <AttachmentsSection draft problems/> })}
        <PrivacySection draft problems/>
    }
}
