//! `/lapor`: from "I have a problem" to a tracking number. The form, then "check your
//! answers", then the confirmation. The draft is saved on the device as the user types and is
//! sent with one Idempotency-Key, so a retry can never create a second report.

mod agency;
mod attachments;
mod attributes;
mod category;
mod confirmation;
mod details;
mod form;
mod location;
mod parts;
mod privacy;
mod review;
mod send;

use lapor_core::api::{Classification, Field, ReportCreated};
use lapor_core::validation;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use wasm_bindgen::JsCast;

use crate::api::{ApiError, Backend};
use crate::app::{InstanceResource, use_page_title};
use crate::components::deferred::deferred;
use crate::components::field::{ErrorSummary, FieldProblem, Problem};
use crate::components::load_error::LoadError;
use crate::draft::Draft;
use crate::i18n::{tr, use_i18n};
use crate::outbox::{self, use_outbox};
use confirmation::{AccessCode, SentNumber};
use form::ReportForm;

#[derive(Clone, PartialEq)]
enum Step {
    Form,
    Review,
    Done(ReportCreated, Classification),
    /// Kept in the outbox under this key until it can be sent.
    Queued(String),
}

/// Moves focus to an element after the next render (headings, the error summary, fields).
fn focus_later(selector: String) {
    request_animation_frame(move || {
        if let Ok(Some(el)) = document().query_selector(&selector)
            && let Ok(el) = el.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = el.focus();
            el.scroll_into_view();
        }
    });
}

/// Shows the problems in the error summary and moves focus to it.
fn show_problems(
    problems: RwSignal<Vec<FieldProblem>>,
    summary: NodeRef<leptos::html::Div>,
    list: Vec<FieldProblem>,
) {
    problems.set(list);
    request_animation_frame(move || {
        if let Some(el) = summary.get_untracked() {
            let _ = el.focus();
            el.scroll_into_view();
        }
    });
}

/// Problems the client can see before sending, with the shared `core` rules.
fn check(
    draft: &Draft,
    today: chrono::NaiveDate,
    max_files: u32,
    backend: crate::api::Features,
) -> Vec<FieldProblem> {
    let Some(report) = draft.to_report(Default::default()) else {
        return vec![FieldProblem {
            field: Field::Classification.path().into(),
            problem: Problem::ChooseKind,
        }];
    };
    let mut problems: Vec<FieldProblem> = validation::validate_report(&report, today, max_files)
        .into_iter()
        .map(|v| FieldProblem {
            field: v.field.path().into(),
            problem: Problem::Rule(v.rule),
        })
        .collect();
    // Without a directory (Open311) the service is the one way to route a report.
    if !backend.directory && draft.category_id.is_empty() {
        problems.push(FieldProblem {
            field: Field::CategoryId.path().into(),
            problem: Problem::Rule(validation::Rule::Required),
        });
    }
    problems.extend(attributes::missing_required(draft));
    problems
}

/// `?classification=`, `?category=` and `?agency=` preset a blank draft (links and embeds), as
/// does the deployer's default agency. `untouched` is the draft as preset, while the citizen
/// has not changed it: nothing of theirs, so not kept (the next visit's first paint then takes
/// input again).
fn apply_preselection(
    draft: RwSignal<Draft>,
    api: &Backend,
    untouched: StoredValue<Option<Draft>>,
) {
    let query = use_query_map().get_untracked();
    if !draft.with_untracked(Draft::is_blank) {
        return;
    }
    if let Some(c) = query
        .get("classification")
        .as_deref()
        .and_then(Classification::from_code)
    {
        draft.update(|d| d.classification = Some(c));
    }
    if let Some(category) = query.get("category") {
        draft.update(|d| d.category_id = category);
    }
    untouched.set_value(Some(draft.get_untracked()));
    let configured = use_context::<crate::config::Config>().and_then(|c| c.default_agency);
    if let Some(agency_id) = query.get("agency").or(configured) {
        let api = api.clone();
        leptos::task::spawn_local(async move {
            if let Ok(found) = api.agency(&agency_id).await {
                let as_preset = draft.with_untracked(|d| {
                    untouched
                        .try_with_value(|u| u.as_ref() == Some(d))
                        .unwrap_or(false)
                });
                draft.update(|d| d.agency = found);
                if as_preset {
                    untouched.try_set_value(Some(draft.get_untracked()));
                }
            }
        });
    }
}

#[component]
pub fn SubmitPage() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(|t| (t.submit_title, t.desc_submit));
    let api = expect_context::<Backend>();
    let instance = expect_context::<InstanceResource>();
    let draft = RwSignal::new(Draft::load());
    // A draft kept on the device with its kind shows all its fields at once; a blank or preset
    // one fetches the fields after what happened on the citizen's first touch.
    let details_wanted =
        RwSignal::new(draft.with_untracked(|d| !d.is_blank() && d.classification.is_some()));
    let untouched = StoredValue::new(None::<Draft>);
    apply_preselection(draft, &api, untouched);
    // What was typed into index.html's first paint and not handed over yet, after the presets
    // (a link's category and agency stay).
    draft.update_untracked(Draft::take_first_paint);
    // Every change is kept on the device at once; a form as a link preset it is not.
    Effect::new(move |_| {
        draft.with(|d| {
            if untouched.with_value(|u| u.as_ref() == Some(d)) {
                Draft::forget();
            } else {
                d.save();
            }
        });
    });
    let api_features = api.features();
    let online = crate::pwa::use_pwa().online;
    let step = RwSignal::new(Step::Form);
    let problems = RwSignal::new(Vec::<FieldProblem>::new());
    let sending = RwSignal::new(false);
    let send_error = RwSignal::new(None::<ApiError>);
    let summary = NodeRef::<leptos::html::Div>::new();
    let today = move || crate::clock::today(instance.get().and_then(Result::ok).as_ref());
    let max_files = move || {
        instance
            .get()
            .and_then(Result::ok)
            .map_or(5, |i| i.attachments.max_files)
    };

    let go_on = move || {
        let found = draft.with_untracked(|d| check(d, today(), max_files(), api_features));
        if found.is_empty() {
            // The code that sends arrives while the citizen checks the answers, not on
            // landing: a visit that only opens the form does not pay for it. Offline, the
            // report waits in the outbox, which fetches it when it leaves.
            if online.get_untracked() {
                outbox::prepare_sending();
            }
            problems.set(Vec::new());
            send_error.set(None);
            step.set(Step::Review);
            focus_later("#main h1".into());
        } else {
            show_problems(problems, summary, found);
        }
    };
    // "Next" pressed while the chosen service's fields are still on their way (a quick tap
    // after choosing it): the check waits for them, so a place the service needs is asked for.
    let waiting = RwSignal::new(false);
    Effect::new(move |_| {
        if waiting.get() && !draft.with(Draft::fields_pending) {
            waiting.set(false);
            go_on();
        }
    });
    let on_continue = Callback::new(move |()| {
        if draft.with_untracked(Draft::fields_pending) {
            waiting.set(true);
        } else {
            go_on();
        }
    });
    let on_change = Callback::new(move |target: &'static str| {
        step.set(Step::Form);
        focus_later(format!("#{target}"));
    });
    let outbox = use_outbox();
    // The outbox sent it while the citizen watched: show the confirmation here.
    Effect::new(move |_| {
        if let Step::Queued(key) = step.get()
            && let Some(sent) = outbox
                .sent
                .with(|s| s.iter().find(|x| x.key == key).cloned())
        {
            outbox.sent.update(|s| s.retain(|x| x.key != key));
            step.set(Step::Done(sent.created, sent.classification));
            focus_later("#main h1".into());
        }
    });
    // Sending (or queueing) is in the review's own file (`send.rs`): only the review sends.
    let flow = send::Flow {
        api: api.clone(),
        draft,
        step,
        problems,
        sending,
        send_error,
        summary,
        online: online.into(),
        outbox,
        i18n,
        not_kept: RwSignal::new(false),
    };
    let on_discard = Callback::new(move |()| {
        draft.set(Draft::discard());
        problems.set(Vec::new());
    });
    let on_new = Callback::new(move |()| {
        step.set(Step::Form);
        focus_later("#main h1".into());
    });

    move || {
        match step.get() {
        Step::Form => view! {
            <h1 tabindex="-1">{tr(|t| t.submit_title)}</h1>
            <p class="lead">{tr(|t| t.sub_lead)}</p>
            <ErrorSummary problems=problems.into() node_ref=summary/>
            <ReportForm draft problems=problems.into() today=Signal::derive(today) details_wanted on_continue on_discard/>
        }
        .into_any(),
        Step::Review => view! {
            <h1 tabindex="-1">{tr(|t| t.review_title)}</h1>
            {deferred(parts::review(flow.clone(), on_change), move || {
                view! { <LoadError error=ApiError::Network on_retry=move |()| step.set(Step::Review)/> }
            })}
        }
        .into_any(),
        Step::Done(created, classification) => {
            let (tracking, code) = (created.tracking_id.to_string(), created.access_code.clone());
            deferred(parts::confirmation(created, classification, on_new), move || view! {
                <SentNumber tracking=tracking.clone()/>
                <AccessCode code=code.clone()/>
            })
            .into_any()
        }
        Step::Queued(key) => view! {
            <h1 tabindex="-1">{tr(|t| t.queued_title)}</h1>
            // A server failing on its side is never told as the citizen's connection.
            <p class="lead">{move || {
                let server = outbox.entries.with(|list| {
                    list.iter().any(|e| e.key() == key && e.server_faults > 0)
                });
                if server { i18n.t().queued_server_lead } else { i18n.t().queued_lead }
            }}</p>
            {deferred(parts::outbox_list(), || ())}
        }
        .into_any(),
    }
    }
}
