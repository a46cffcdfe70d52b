//! "Check your answers": everything the citizen entered, each with a link back to change it.

use lapor_core::api::Classification;
use leptos::prelude::*;

use super::form::kind_id;
use super::location::coordinate;
use crate::api::ApiError;
use crate::components::combobox::tier_text;
use crate::draft::Draft;
use crate::i18n::labels::classification_text;
use crate::i18n::{Texts, fill, format_date, texts, tr, use_i18n};
use lapor_core::Locale;

fn submit_error_text(t: &'static Texts, error: &ApiError) -> String {
    match error {
        ApiError::Network => t.err_submit_network.to_owned(),
        e if e.is_server_fault() => t.err_submit_server.to_owned(),
        ApiError::Problem(p) => fill(
            t.err_submit_rejected,
            &[("detail", p.detail.as_deref().unwrap_or(&p.title))],
        ),
        ApiError::NotFound => t.err_submit_server.to_owned(),
        ApiError::Busy { .. } => t.error_busy.to_owned(),
    }
}

fn yes_no(locale: Locale, on: bool) -> String {
    let t = texts(locale);
    if on { t.review_yes } else { t.review_no }.to_owned()
}

#[component]
fn Row(
    label: fn(&'static Texts) -> &'static str,
    value: Signal<String>,
    target: &'static str,
    on_change: Callback<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="review__row">
            <dt>{move || label(i18n.t())}</dt>
            <dd class="review__value">{move || value.get()}</dd>
            <dd class="review__action">
                <a href=format!("#{target}") on:click=move |ev| { ev.prevent_default(); on_change.run(target); }>
                    {tr(|t| t.review_change)}
                    <span class="visually-hidden">" " {move || label(i18n.t())}</span>
                </a>
            </dd>
        </div>
    }
}

#[component]
pub fn Review(
    draft: RwSignal<Draft>,
    sending: Signal<bool>,
    error: Signal<Option<ApiError>>,
    /// It could not leave, and the device would not keep it in the outbox.
    not_kept: Signal<bool>,
    on_change: Callback<&'static str>,
    on_submit: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let or_none = move |value: String| {
        if value.trim().is_empty() {
            i18n.t().review_none.to_owned()
        } else {
            value
        }
    };
    let show = move |f: fn(Locale, &Draft) -> String| {
        Signal::derive(move || or_none(draft.with(|d| f(i18n.locale.get(), d))))
    };
    let kind = draft.with_untracked(|d| d.classification.unwrap_or(Classification::Complaint));
    let complaint = kind == Classification::Complaint;
    let location_label: fn(&'static Texts) -> &'static str = if complaint {
        |t| t.sub_location_incident
    } else {
        |t| t.sub_location_home
    };
    view! {
        <dl class="review">
            <Row label=|t| t.sub_kind_legend target=kind_id(kind) on_change
                value=show(|l, d| d.classification.map(|c| classification_text(texts(l), c).to_owned()).unwrap_or_default())/>
            <Row label=|t| t.sub_title_label target="title" on_change value=show(|_, d| d.title.trim().to_owned())/>
            <Row label=|t| t.sub_body_label target="body" on_change value=show(|_, d| d.body.trim().to_owned())/>
            {complaint.then(|| view! {
                <Row label=|t| t.sub_date_label target="incident-date" on_change value=show(|l, d| {
                    lapor_core::date::parse(&d.incident_date).map(|date| format_date(l, date)).unwrap_or_default()
                })/>
            })}
            <Row label=location_label target="region" on_change
                value=show(|_, d| {
                    let mut parts: Vec<String> = d.region.iter().map(|r| format!("{}, {}", r.name, r.parents.join(", "))).collect();
                    parts.extend(Some(d.location_text.trim().to_owned()).filter(|t| !t.is_empty()));
                    parts.extend(d.lat.zip(d.lon).map(|(a, b)| format!("{}, {}", coordinate(a), coordinate(b))));
                    parts.join(" · ")
                })/>
            <Row label=|t| t.sub_agency_legend target="agency-unknown" on_change value=show(|l, d| match &d.agency {
                Some(a) => format!("{} ({})", a.name, tier_text(texts(l), a.tier)),
                None => texts(l).review_agency_unknown.to_owned(),
            })/>
            <Row label=|t| t.sub_files_label target="attachments" on_change
                value=show(|_, d| d.attachments.iter().map(|a| a.filename.clone()).collect::<Vec<_>>().join(", "))/>
            <Row label=|t| t.sub_anonymous_label target="anonymous" on_change value=show(|l, d| yes_no(l, d.anonymous))/>
            <Row label=|t| t.sub_confidential_label target="confidential" on_change value=show(|l, d| yes_no(l, d.confidential))/>
            {move || (!draft.with(|d| d.anonymous)).then(|| view! {
                <Row label=|t| t.sub_contact_legend target="name" on_change value=show(|_, d| {
                    [&d.name, &d.email, &d.phone].iter().map(|v| v.trim()).filter(|v| !v.is_empty()).collect::<Vec<_>>().join(" · ")
                })/>
            })}
        </dl>
        {move || error.get().map(|e| view! {
            <div class="notice notice--error" role="alert"><p>{submit_error_text(i18n.t(), &e)}</p></div>
        })}
        {move || not_kept.get().then(|| view! {
            <div class="notice notice--error" role="alert"><p>{i18n.t().err_not_kept}</p></div>
        })}
        <div class="actions">
            <button type="button" class="button button--primary" disabled=move || sending.get()
                on:click=move |_| on_submit.run(())>
                {move || if sending.get() { i18n.t().review_sending } else { i18n.t().review_submit }}
            </button>
        </div>
    }
}
