use lapor_core::api::ReportView;
use lapor_core::calendar::{Calendar, Remaining};
use lapor_core::tracking::TrackingId;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{Api, ApiError};
use crate::app::{InstanceResource, use_page_title};
use crate::components::load_error::LoadError;
use crate::components::tracking_form::{TrackingForm, tracking_error_text};
use crate::i18n::{Texts, format_date, use_i18n};
use crate::pages::home::status_text;

#[component]
pub fn TrackLookupPage() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(move || i18n.t().track_title);
    view! {
        <h1 tabindex="-1">{move || i18n.t().track_title}</h1>
        <TrackingForm id="tracking"/>
    }
}

pub fn classification_text(t: &'static Texts, c: lapor_core::api::Classification) -> &'static str {
    use lapor_core::api::Classification::*;
    match c {
        Complaint => t.class_complaint,
        Aspiration => t.class_aspiration,
        InformationRequest => t.class_information_request,
    }
}

/// `/lacak/:tracking`: the report's status, deadline and history.
#[component]
pub fn TrackReportPage() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(move || i18n.t().track_title);
    let params = use_params_map();
    let api = expect_context::<Api>();
    let tracking = move || TrackingId::parse(&params.read().get("tracking").unwrap_or_default());
    let report = LocalResource::new(move || {
        let api = api.clone();
        let tracking = tracking();
        async move {
            match tracking {
                Ok(id) => {
                    // Codes of reports made on this device are sent automatically.
                    let code = crate::my_reports::access_code(&id.to_string());
                    Some(api.report(&id.compact(), code.as_deref()).await)
                }
                Err(_) => None,
            }
        }
    });
    view! {
        <h1 tabindex="-1">{move || i18n.t().track_title}</h1>
        {move || match tracking() {
            Err(e) => view! {
                <p class="notice notice--error" role="alert">{tracking_error_text(i18n.t(), e)}</p>
                <TrackingForm id="tracking"/>
            }.into_any(),
            Ok(_) => match report.get() {
                None => view! { <p aria-live="polite">{i18n.t().loading}</p> }.into_any(),
                Some(None) => ().into_any(),
                Some(Some(Ok(view))) => view! { <ReportSummary report=view/> }.into_any(),
                Some(Some(Err(ApiError::NotFound))) => view! {
                    <p class="notice notice--error" role="alert">{i18n.t().track_not_found}</p>
                    <TrackingForm id="tracking"/>
                }.into_any(),
                Some(Some(Err(error))) => view! {
                    <LoadError error on_retry=move |_| report.refetch()/>
                }.into_any(),
            },
        }}
    }
}

#[component]
fn ReportSummary(report: ReportView) -> impl IntoView {
    let i18n = use_i18n();
    let instance = expect_context::<InstanceResource>();
    let due = report.due_date;
    let estimate = report.due_date_estimate;
    let remaining = move || {
        let instance = instance.get().and_then(Result::ok)?;
        let calendar = Calendar::from_years(&instance.calendar);
        Some(calendar.remaining(crate::clock::today(Some(&instance)), due))
    };
    let submitted = date_of(&report.submitted_at);
    let events = report.events.clone();
    let status = report.status.clone();
    let badge_class = format!("badge badge--{}", status.code());
    let final_status = status.is_final();
    view! {
        <dl class="summary">
            <dt>{move || i18n.t().track_label}</dt>
            <dd class="tracking-number">{report.tracking_id.clone()}</dd>
            <dt>{move || i18n.t().track_status}</dt>
            <dd><span class=badge_class>{move || status_text(i18n.t(), &status)}</span></dd>
            <dt>{move || i18n.t().track_classification}</dt>
            <dd>{move || classification_text(i18n.t(), report.classification)}</dd>
            <dt>{move || i18n.t().track_submitted}</dt>
            <dd>{move || submitted.map(|d| format_date(i18n.locale.get(), d))}</dd>
            <dt>{move || i18n.t().track_due}</dt>
            <dd>
                {move || format_date(i18n.locale.get(), due)}
                {move || (!final_status).then(|| remaining().map(|r| {
                    let t = i18n.t();
                    let text = match r {
                        Remaining::Left(n) => t.track_days_left.replace("{n}", &n.to_string()),
                        Remaining::Overdue(n) => t.track_overdue.replace("{n}", &n.to_string()),
                    };
                    format!(" ({text})")
                }))}
                {move || estimate.then(|| format!(" — {}", i18n.t().track_due_estimate))}
            </dd>
        </dl>
        {(!report.details_visible).then(|| view! {
            <p class="notice">{move || i18n.t().track_confidential_hidden}</p>
        })}
        <h2>{move || i18n.t().track_timeline}</h2>
        <ol class="timeline">
            {events.into_iter().rev().map(|event| {
                let day = date_of(&event.at);
                let status = event.status.clone();
                view! {
                    <li>
                        <p class="timeline__head">
                            <strong>{move || status_text(i18n.t(), &status)}</strong>
                            " · "
                            {move || day.map(|d| format_date(i18n.locale.get(), d))}
                            {event.agency.map(|a| format!(" · {a}"))}
                        </p>
                        {event.message.map(|m| view! { <p class="timeline__message">{m}</p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// The calendar date of an RFC 3339 timestamp, as written by the server (UTC).
fn date_of(timestamp: &str) -> Option<chrono::NaiveDate> {
    timestamp.get(..10)?.parse().ok()
}
