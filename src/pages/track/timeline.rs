//! The report's history, newest or oldest first, each agency response with its attachments.

use lapor_core::api::{EventKind, ReportEvent};
use leptos::prelude::*;

use super::summary::date_of;
use crate::api::Backend;
use crate::components::rich_text::RichText;
use crate::i18n::labels::status_text;
use crate::i18n::{Texts, format_date, tr, use_i18n};

fn kind_text(t: &'static Texts, kind: &EventKind) -> &'static str {
    match kind {
        EventKind::Response => t.track_kind_response,
        EventKind::Reply => t.track_kind_reply,
        EventKind::Rating => t.track_kind_rating,
        EventKind::Dispute => t.track_kind_dispute,
        EventKind::Status | EventKind::Unknown(_) => t.track_kind_status,
    }
}

#[component]
pub fn Timeline(events: Vec<ReportEvent>) -> impl IntoView {
    let i18n = use_i18n();
    let api = expect_context::<Backend>();
    let newest_first = RwSignal::new(true);
    let events = StoredValue::new(events);
    let ordered = move || {
        let mut list = events.get_value();
        if newest_first.get() {
            list.reverse();
        }
        list
    };
    view! {
        <h2>{tr(|t| t.track_timeline)}</h2>
        <div class="actions" role="group" aria-label=tr(|t| t.track_timeline)>
            <button type="button" class="button button--link" aria-pressed=move || newest_first.get().to_string()
                on:click=move |_| newest_first.set(true)>{tr(|t| t.track_newest_first)}</button>
            <button type="button" class="button button--link" aria-pressed=move || (!newest_first.get()).to_string()
                on:click=move |_| newest_first.set(false)>{tr(|t| t.track_oldest_first)}</button>
        </div>
        <ol class="timeline">
            {move || ordered().into_iter().map(|event| {
                let day = date_of(&event.at);
                let status = event.status.clone();
                let kind = event.kind.clone();
                let class = if kind == EventKind::Response { "timeline__event timeline__event--response" } else { "timeline__event" };
                let api = api.clone();
                view! {
                    <li class=class>
                        <p class="timeline__head">
                            <strong>{move || kind_text(i18n.t(), &kind)}</strong>
                            " · "
                            {move || status_text(i18n.t(), &status)}
                            " · "
                            {move || day.map(|d| format_date(i18n.locale.get(), d))}
                            {event.agency.map(|a| format!(" · {a}"))}
                        </p>
                        {event.message.map(|m| view! { <RichText text=m class="timeline__message"/> })}
                        {(!event.attachments.is_empty()).then(|| view! {
                            <ul class="timeline__files">
                                {event.attachments.into_iter().map(|a| {
                                    let href = api.attachment_url(&a.id);
                                    view! { <li><a href=href rel="noopener" target="_blank">{tr(|t| t.track_attachment)}": "{a.filename.clone()}</a></li> }
                                }).collect_view()}
                            </ul>
                        })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
