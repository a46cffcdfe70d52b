//! The report at a glance: status badge (colour and text), progress through the lifecycle,
//! kind, agency, category, dates, and the deadline in working days.

use lapor_core::Status;
use lapor_core::api::ReportView;
use lapor_core::calendar::{Calendar, Remaining};
use leptos::prelude::*;

use crate::app::InstanceResource;
use crate::components::report_card::badge_class;
use crate::components::rich_text::RichText;
use crate::i18n::labels::{classification_text, status_text};
use crate::i18n::{Texts, fill, format_date, tr, use_i18n};

/// The calendar date of an RFC 3339 timestamp.
pub fn date_of(timestamp: &str) -> Option<chrono::NaiveDate> {
    lapor_core::date::parse(timestamp.get(..10)?)
}

#[component]
fn Progress(status: Status) -> impl IntoView {
    let i18n = use_i18n();
    let current = status.lifecycle_step();
    let finished = matches!(status, Status::Resolved | Status::Closed);
    view! {
        <h2>{tr(|t| t.track_progress)}</h2>
        {current.is_none().then(|| {
            let status = status.clone();
            view! { <p class="notice">{move || fill(i18n.t().track_off_path, &[("status", &status_text(i18n.t(), &status))])}</p> }
        })}
        <ol class="progress">
            {Status::LIFECYCLE.iter().enumerate().map(|(i, step)| {
                let done = current.is_some_and(|c| i < c || (finished && i == c));
                let is_current = current == Some(i) && !finished;
                let step = step.clone();
                view! {
                    <li class="progress__step" class:progress__step--done=done class:progress__step--current=is_current
                        aria-current=is_current.then_some("step")>
                        {move || status_text(i18n.t(), &step)}
                        <span class="visually-hidden">
                            {move || if done { format!(" ({})", i18n.t().track_step_done) }
                                else if is_current { format!(" ({})", i18n.t().track_step_current) }
                                else { String::new() }}
                        </span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

fn remaining_text(t: &'static Texts, r: Remaining) -> String {
    match r {
        Remaining::Left(n) => fill(t.track_days_left, &[("n", &n.to_string())]),
        Remaining::Overdue(n) => fill(t.track_overdue, &[("n", &n.to_string())]),
    }
}

#[component]
pub fn ReportSummary(report: ReportView) -> impl IntoView {
    let i18n = use_i18n();
    let instance = expect_context::<InstanceResource>();
    let status = report.status.clone();
    let badge_status = status.clone();
    let final_status = status.is_final();
    // What the privacy rule left out (a confidential report seen without its code; GeoReport
    // has no kind of report) is not shown at all.
    let submitted = report.submitted_at.as_deref().and_then(date_of);
    let agency = report.agency.clone();
    let category = report.category.clone();
    let visible = report.details_visible;
    let classification = report.classification.map(|kind| {
        view! {
            <dt>{tr(|t| t.track_classification)}</dt>
            <dd>{move || classification_text(i18n.t(), kind)}</dd>
        }
    });
    let due = report.due_date.map(|due| {
        let remaining = move || {
            let instance = instance.get().and_then(Result::ok)?;
            let calendar = Calendar::from_years(&instance.calendar);
            Some(calendar.remaining(crate::clock::today(Some(&instance)), due))
        };
        view! {
            <dt>{tr(|t| t.track_due)}</dt>
            <dd id="due">
                {move || format_date(i18n.locale.get(), due)}
                {move || (!final_status).then(|| remaining().map(|r| format!(" ({})", remaining_text(i18n.t(), r))))}
                {report.due_date_estimate.then(|| view! { <span class="hint">{move || format!(" — {}", i18n.t().track_due_estimate)}</span> })}
            </dd>
        }
    });
    view! {
        <dl class="summary">
            <dt>{tr(|t| t.track_label)}</dt>
            <dd class="tracking-number">{report.tracking_id.to_string()}</dd>
            <dt>{tr(|t| t.track_status)}</dt>
            <dd><span class=badge_class(&status)>{move || status_text(i18n.t(), &badge_status)}</span></dd>
            {classification}
            {visible.then(|| view! {
                <dt>{tr(|t| t.track_agency)}</dt>
                <dd>{move || agency.clone().unwrap_or_else(|| i18n.t().track_not_routed.to_owned())}</dd>
                <dt>{tr(|t| t.track_category)}</dt>
                <dd>{move || category.clone().unwrap_or_else(|| "—".to_owned())}</dd>
            })}
            {submitted.map(|submitted| view! {
                <dt>{tr(|t| t.track_submitted)}</dt>
                <dd>{move || format_date(i18n.locale.get(), submitted)}</dd>
            })}
            {due}
        </dl>
        {(!visible).then(|| view! { <p class="notice">{tr(|t| t.track_confidential_hidden)}</p> })}
        {report.title.clone().map(|title| view! { <h2 class="report-title">{title}</h2> })}
        {report.body.clone().map(|body| view! { <RichText text=body class="report-body"/> })}
        <Progress status=report.status.clone()/>
    }
}
