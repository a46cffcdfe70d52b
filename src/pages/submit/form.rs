//! The report form: classification first, then the fields that kind of report needs.

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
fn DateField(draft: RwSignal<Draft>, problems: Problems, today: String) -> impl IntoView {
    let problem = problem_for(problems, Field::IncidentDate.path());
    view! {
        <div class="field" class:field--error=move || problem().is_some()>
            <label for="incident-date">{tr(|t| t.sub_date_label)}</label>
            <p class="hint" id="incident-date-hint">{tr(|t| t.sub_date_hint)}</p>
            <FieldError problems field={Field::IncidentDate.path()}/>
            <input type="date" id="incident-date" max=today
                aria-describedby=described_by("incident-date", true, problems, Field::IncidentDate.path())
                aria-invalid=move || problem().is_some().then_some("true")
                prop:value=move || draft.with(|d| d.incident_date.clone())
                on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.incident_date = v); }/>
        </div>
    }
}

#[component]
pub fn ReportForm(
    draft: RwSignal<Draft>,
    problems: Problems,
    today: chrono::NaiveDate,
    on_continue: Callback<()>,
    on_discard: Callback<()>,
) -> impl IntoView {
    let features = expect_context::<crate::config::Config>().features;
    let backend = expect_context::<crate::api::Backend>().features();
    let chosen = move || draft.with(|d| d.classification.is_some());
    let complaint = move || draft.with(|d| d.classification == Some(Classification::Complaint));
    let text =
        move |get: fn(&Draft) -> &String| Signal::derive(move || draft.with(|d| get(d).clone()));
    view! {
        <form id="report-form" novalidate on:submit=move |ev| { ev.prevent_default(); on_continue.run(()); }>
            <KindSection draft problems/>
            <div hidden=move || !chosen()>
                <TextField id="title" field={Field::Title.path()} label=|t| t.sub_title_label hint=|t| t.sub_title_hint
                    max_chars=TITLE_MAX problems value=text(|d| &d.title)
                    on_input=Callback::new(move |v| draft.update(|d| d.title = v))/>
                <TextField id="body" field={Field::Body.path()} label=|t| t.sub_body_label hint=|t| t.sub_body_hint
                    multiline=true max_chars=BODY_MAX problems value=text(|d| &d.body)
                    on_input=Callback::new(move |v| draft.update(|d| d.body = v))/>
                {move || complaint().then(|| view! { <DateField draft problems today=today.to_string()/> })}
                <LocationSection draft problems/>
                {backend.directory.then(|| view! { <AgencySection draft problems/> })}
                <CategoryField draft problems/>
                <crate::components::similar_reports::SimilarReports draft/>
                <AttributesSection draft problems/>
                {(features.attachments && backend.reporter_actions).then(|| view! { <AttachmentsSection draft problems/> })}
                <PrivacySection draft problems/>
            </div>
            <div class="actions">
                <button type="submit" class="button button--primary">{tr(|t| t.sub_continue)}</button>
                <button type="button" class="button button--link" on:click=move |_| on_discard.run(())>
                    {tr(|t| t.sub_discard)}
                </button>
            </div>
        </form>
    }
}
