use lapor_core::Status;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::{InstanceResource, use_page_title};
use crate::components::tracking_form::TrackingForm;
use crate::i18n::{Texts, use_i18n};

pub fn status_text(t: &'static Texts, status: &Status) -> String {
    match status {
        Status::Received => t.status_received.into(),
        Status::Verified => t.status_verified.into(),
        Status::Forwarded => t.status_forwarded.into(),
        Status::InProgress => t.status_in_progress.into(),
        Status::Resolved => t.status_resolved.into(),
        Status::Closed => t.status_closed.into(),
        Status::Rejected => t.status_rejected.into(),
        Status::Unknown(raw) => raw.clone(),
    }
}

/// The three things people come for, how the process works, and the other channels.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(move || i18n.t().nav_home);
    let instance = expect_context::<InstanceResource>();
    let channels = move || {
        instance.get().and_then(Result::ok).map(|instance| {
            instance
                .channels
                .into_iter()
                .map(|c| {
                    let href = c.link.clone().unwrap_or_default();
                    view! { <li><a href=href>{format!("{}: {}", c.label, c.value)}</a></li> }
                })
                .collect_view()
        })
    };
    view! {
        <section class="hero">
            <h1 tabindex="-1">{move || i18n.t().home_title}</h1>
            <p class="lead">{move || i18n.t().home_lead}</p>
        </section>
        <div class="cards">
            <section class="card">
                <h2>{move || i18n.t().home_report_cta}</h2>
                <p>{move || i18n.t().home_report_hint}</p>
                <A href="/lapor" attr:class="button button--primary">{move || i18n.t().home_report_cta}</A>
            </section>
            <section class="card">
                <h2>{move || i18n.t().home_track_heading}</h2>
                <TrackingForm id="home-tracking"/>
            </section>
            <section class="card">
                <h2>{move || i18n.t().home_faq_heading}</h2>
                <p>{move || i18n.t().home_faq_hint}</p>
                <A href="/faq">{move || i18n.t().nav_faq}</A>
            </section>
        </div>
        <section>
            <h2>{move || i18n.t().home_how_heading}</h2>
            <ol class="steps">
                {move || {
                    let t = i18n.t();
                    Status::LIFECYCLE.iter().map(|s| view! { <li>{status_text(t, s)}</li> }).collect_view()
                }}
            </ol>
        </section>
        <section>
            <h2>{move || i18n.t().home_channels_heading}</h2>
            <ul class="channels">{channels}</ul>
        </section>
    }
}
