//! One public report in a list (the reports page, similar reports on the form): its title
//! linking to its tracking page, a short excerpt, status badge, agency, region, date and the
//! working days left or overdue. Only what a `ReportSummary` holds, which the privacy rule
//! already cut: nothing about who reported it.

use lapor_core::Status;
use lapor_core::calendar::Calendar;
use lapor_core::listing::ReportSummary;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::{InstanceResource, link};
use crate::i18n::labels::status_text;
use crate::i18n::{format_date, use_i18n};

/// The status badge's style: known statuses by name, anything else neutral.
pub fn badge_class(status: &Status) -> &'static str {
    match status {
        Status::Received => "badge badge--received",
        Status::Verified => "badge badge--verified",
        Status::Forwarded => "badge badge--forwarded",
        Status::InProgress => "badge badge--in-progress",
        Status::Resolved => "badge badge--resolved",
        Status::Closed => "badge badge--closed",
        Status::Rejected => "badge badge--rejected",
        Status::Unknown(_) => "badge badge--unknown",
    }
}

/// Where a report's tracking page is.
pub fn tracking_href(tracking: &str) -> String {
    link(&format!("/lacak/{}", crate::api::encode(tracking)))
}

/// `level` is the heading level of the title (2 in a page's list, 3 inside a section);
/// `children` go below (a support button, an action).
#[component]
pub fn ReportCard(
    report: ReportSummary,
    #[prop(default = 2)] level: u8,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    let instance = expect_context::<InstanceResource>();
    let tracking = report.tracking_id.to_string();
    let href = tracking_href(&tracking);
    let number = tracking.clone();
    let title = view! { <A href=href attr:class="report-card__link">{report.title.clone()}</A> };
    let title = if level <= 2 {
        view! { <h2 class="report-card__title">{title}</h2> }.into_any()
    } else {
        view! { <h3 class="report-card__title">{title}</h3> }.into_any()
    };
    let status = report.status.clone();
    let badge = badge_class(&status);
    let final_status = status.is_final();
    let submitted = report
        .submitted_at
        .get(..10)
        .and_then(lapor_core::date::parse);
    let due = report
        .due_date
        .as_deref()
        .and_then(lapor_core::date::parse)
        .filter(|_| !final_status);
    let overdue = report.overdue;
    // Working days from the instance's calendar, as the tracking page counts them.
    let remaining = move || {
        let due = due?;
        let instance = instance.get().and_then(Result::ok)?;
        let calendar = Calendar::from_years(&instance.calendar);
        let remaining = calendar.remaining(crate::clock::today(Some(&instance)), due);
        Some(lapor_core::words::words(i18n.locale.get()).remaining(remaining))
    };
    let place: Vec<String> = [report.agency.clone(), report.region.clone()]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect();
    view! {
        <article class="report-card" data-tracking=tracking.clone()>
            {title}
            <p class="report-card__meta">
                <span class=badge>{move || status_text(i18n.t(), &status)}</span>
                " "<span class="tracking-number">{number}</span>
                {submitted.map(|d| view! { " · "<span>{move || format_date(i18n.locale.get(), d)}</span> })}
            </p>
            {(!place.is_empty()).then(|| view! { <p class="report-card__place">{place.join(" · ")}</p> })}
            {(!report.excerpt.is_empty()).then(|| view! { <p class="report-card__excerpt">{report.excerpt.clone()}</p> })}
            {move || remaining().map(|text| view! {
                <p class="report-card__due" class:report-card__due--overdue=overdue>{text}</p>
            })}
            {children.map(|c| c())}
        </article>
    }
}
