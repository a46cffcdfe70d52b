//! What the reporter can do with the access code: open a confidential report, answer a
//! response (with photos), say a resolved report is not resolved ("belum selesai", with
//! photos), rate a resolved report. Replies, disputes and ratings keep one Idempotency-Key
//! until they succeed, so a retry never doubles them.

use lapor_core::api::{NewDispute, NewRating, NewReply, ReportView, SlaPolicy};
use lapor_core::calendar::Calendar;
use lapor_core::permissions::{self, Refusal, ReportFacts};
use lapor_core::tracking::normalize_access_code;
use leptos::prelude::*;

use crate::api::{ApiError, Backend};
use crate::app::InstanceResource;
use crate::i18n::{Texts, fill, tr, use_i18n};

use super::photos::{PhotoPicker, Photos};

fn failure_text(t: &'static Texts, error: &ApiError) -> String {
    let detail = match error {
        ApiError::Network => t.error_network.to_owned(),
        ApiError::NotFound => t.track_not_found.to_owned(),
        ApiError::Problem(p) | ApiError::Busy { problem: p, .. } => p
            .errors
            .first()
            .map(|e| e.message.clone())
            .or_else(|| p.detail.clone())
            .unwrap_or_else(|| p.title.clone()),
    };
    fill(t.track_action_failed, &[("detail", &detail)])
}

/// Asks for the access code of a confidential report, or to unlock replies and ratings.
#[component]
pub fn AccessForm(
    tracking: String,
    confidential: bool,
    wrong: Signal<bool>,
    on_view: Callback<(ReportView, Option<String>)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = expect_context::<Backend>();
    let value = RwSignal::new(String::new());
    let failed = RwSignal::new(false);
    // Too many tries in a row (the backend throttles guessing): say so, not "wrong code".
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let api = api.clone();
        let tracking = tracking.clone();
        let Some(code) = normalize_access_code(&value.get_untracked()) else {
            failed.set(true);
            return;
        };
        leptos::task::spawn_local(async move {
            let result = api.report(&tracking.replace('-', ""), Some(&code)).await;
            busy.set(matches!(result, Err(ApiError::Busy { .. })));
            match result {
                Ok(view) => {
                    failed.set(false);
                    on_view.run((view, Some(code)));
                }
                Err(_) => failed.set(true),
            }
        });
    };
    let show_error = move || failed.get() || wrong.get();
    view! {
        <form class="access-form" on:submit=on_submit novalidate>
            <h2>{tr(|t| t.track_access_label)}</h2>
            {(!confidential).then(|| view! { <p>{tr(|t| t.track_access_needed)}</p> })}
            <label for="access-code-input">{tr(|t| t.track_access_label)}</label>
            <p class="hint" id="access-code-hint">{tr(|t| t.track_access_hint)}</p>
            {move || show_error().then(|| view! {
                <p class="field-error" id="access-code-error" role="alert">
                    {if busy.get() { i18n.t().error_busy } else { i18n.t().track_access_wrong }}
                </p>
            })}
            <div class="tracking-form__row">
                <input id="access-code-input" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false"
                    aria-describedby=move || if show_error() { "access-code-hint access-code-error" } else { "access-code-hint" }
                    aria-invalid=move || show_error().then_some("true")
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                <button type="submit" class="button">{tr(|t| t.track_access_button)}</button>
            </div>
        </form>
    }
}

#[component]
pub fn Actions(
    report: ReportView,
    code: String,
    on_view: Callback<(ReportView, Option<String>)>,
) -> impl IntoView {
    // The same rules the server applies (core::permissions): no reply form after the reply
    // window or on a closed report, and the reason instead.
    let instance = expect_context::<InstanceResource>();
    let i18n = use_i18n();
    let rules = {
        let report = report.clone();
        move || {
            let instance = instance.get().and_then(Result::ok);
            let (calendar, sla) = match &instance {
                Some(i) => (Calendar::from_years(&i.calendar), i.sla),
                None => (Calendar::indonesia_default(), SlaPolicy::default()),
            };
            let facts = ReportFacts::of_view(&report, crate::clock::offset(instance.as_ref()));
            let today = crate::clock::today(instance.as_ref());
            (
                permissions::can_reply(&facts, today, &calendar, &sla),
                permissions::can_rate(&facts).is_ok(),
                permissions::can_dispute(&facts, today, &calendar, &sla),
            )
        }
    };
    let rules = Memo::new(move |_| rules());
    let can_reply = move || rules.get().0.is_ok();
    let can_rate = move || rules.get().1;
    let can_dispute = move || rules.get().2.is_ok();
    // Why a resolved report can no longer be disputed.
    let dispute_refusal = move || match rules.get().2 {
        Err(refusal @ (Refusal::DisputeWindowClosed { .. } | Refusal::DisputedTooOften { .. })) => {
            Some(refusal.message(i18n.locale.get()))
        }
        _ => None,
    };
    // Why there is no reply form, when the citizen could expect one.
    let reply_refusal = move || match rules.get().0 {
        Err(refusal @ (Refusal::ReplyWindowClosed { .. } | Refusal::Finished)) => {
            Some(refusal.message(i18n.locale.get()))
        }
        _ => None,
    };
    let tracking = report.tracking_id.path_segment();
    view! {
        {move || reply_refusal().map(|message| view! { <p class="hint" id="reply-closed">{message}</p> })}
        {
            let (tracking, code) = (tracking.clone(), code.clone());
            move || can_reply().then(|| view! { <ReplyForm tracking=tracking.clone() code=code.clone() on_view/> })
        }
        {move || dispute_refusal().map(|message| view! { <p class="hint" id="dispute-closed">{message}</p> })}
        {
            let (tracking, code) = (tracking.clone(), code.clone());
            move || can_dispute().then(|| view! { <DisputeForm tracking=tracking.clone() code=code.clone() on_view/> })
        }
        // A rated report shows its rating where the form was.
        {move || (can_rate() || report.rating.is_some()).then(|| view! { <RatingForm tracking=tracking.clone() code=code.clone() rating=report.rating on_view/> })}
    }
}

#[component]
fn ReplyForm(
    tracking: String,
    code: String,
    on_view: Callback<(ReportView, Option<String>)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = expect_context::<Backend>();
    let message = RwSignal::new(String::new());
    let photos = Photos::new();
    let key = StoredValue::new(crate::api::new_idempotency_key());
    let sending = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<(), ApiError>>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (api, tracking, code) = (api.clone(), tracking.clone(), code.clone());
        let reply = NewReply {
            message: message.get_untracked(),
            attachment_ids: photos.ids(),
        };
        sending.set(true);
        leptos::task::spawn_local(async move {
            let result = api
                .reply(
                    &tracking,
                    &code,
                    &key.get_value(),
                    &reply,
                    i18n.locale.get_untracked(),
                )
                .await;
            sending.set(false);
            match result {
                Ok(view) => {
                    key.set_value(crate::api::new_idempotency_key());
                    message.set(String::new());
                    photos.clear();
                    outcome.set(Some(Ok(())));
                    on_view.run((view, None));
                }
                Err(e) => outcome.set(Some(Err(e))),
            }
        });
    };
    view! {
        <form class="reply-form" on:submit=on_submit novalidate>
            <h2>{tr(|t| t.track_reply_heading)}</h2>
            <label for="reply">{tr(|t| t.track_reply_label)}</label>
            <textarea id="reply" rows="4" prop:value=move || message.get()
                on:input=move |ev| message.set(event_target_value(&ev))></textarea>
            <PhotoPicker id="reply-photos" photos/>
            <p role="status">{move || match outcome.get() {
                Some(Ok(())) => i18n.t().track_reply_sent.to_owned(),
                Some(Err(e)) => failure_text(i18n.t(), &e),
                None => String::new(),
            }}</p>
            <button type="submit" class="button" disabled=move || sending.get() || photos.sending()>{tr(|t| t.track_reply_button)}</button>
        </form>
    }
}

/// "Belum selesai": why a resolved report is not resolved, with photos; sent, the report
/// is back in progress and the timeline shows the dispute.
#[component]
fn DisputeForm(
    tracking: String,
    code: String,
    on_view: Callback<(ReportView, Option<String>)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = expect_context::<Backend>();
    let message = RwSignal::new(String::new());
    let photos = Photos::new();
    let key = StoredValue::new(crate::api::new_idempotency_key());
    let sending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (api, tracking, code) = (api.clone(), tracking.clone(), code.clone());
        let dispute = NewDispute {
            message: message.get_untracked(),
            attachment_ids: photos.ids(),
        };
        sending.set(true);
        leptos::task::spawn_local(async move {
            let result = api
                .dispute(
                    &tracking,
                    &code,
                    &key.get_value(),
                    &dispute,
                    i18n.locale.get_untracked(),
                )
                .await;
            sending.set(false);
            match result {
                Ok(view) => on_view.run((view, None)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="dispute-form" on:submit=on_submit novalidate>
            <h2>{tr(|t| t.track_dispute_heading)}</h2>
            <p>{tr(|t| t.track_dispute_intro)}</p>
            <label for="dispute">{tr(|t| t.track_dispute_label)}</label>
            <textarea id="dispute" rows="4" prop:value=move || message.get()
                on:input=move |ev| message.set(event_target_value(&ev))></textarea>
            <PhotoPicker id="dispute-photos" photos/>
            <p role="status">{move || error.get().map(|e| failure_text(i18n.t(), &e))}</p>
            <button type="submit" class="button" disabled=move || sending.get() || photos.sending()>{tr(|t| t.track_dispute_button)}</button>
        </form>
    }
}

#[component]
fn RatingForm(
    tracking: String,
    code: String,
    rating: Option<u8>,
    on_view: Callback<(ReportView, Option<String>)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = expect_context::<Backend>();
    let stars = RwSignal::new(0u8);
    let comment = RwSignal::new(String::new());
    let key = StoredValue::new(crate::api::new_idempotency_key());
    let error = RwSignal::new(None::<ApiError>);
    if let Some(n) = rating {
        return view! {
            <p class="notice" id="rating-done">{move || fill(i18n.t().track_rated, &[("n", &n.to_string())])}</p>
        }
        .into_any();
    }
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (api, tracking, code) = (api.clone(), tracking.clone(), code.clone());
        let body = NewRating {
            stars: stars.get_untracked(),
            comment: Some(comment.get_untracked()).filter(|c| !c.trim().is_empty()),
        };
        leptos::task::spawn_local(async move {
            match api
                .rate(
                    &tracking,
                    &code,
                    &key.get_value(),
                    &body,
                    i18n.locale.get_untracked(),
                )
                .await
            {
                Ok(view) => on_view.run((view, None)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="rating-form" on:submit=on_submit novalidate>
            <h2>{tr(|t| t.track_rating_heading)}</h2>
            <fieldset class="fieldset stars">
                <legend>{tr(|t| t.track_rating_legend)}</legend>
                {(1..=5u8).map(|n| {
                    let id = format!("stars-{n}");
                    view! {
                        <span class="star">
                            <input type="radio" name="stars" id=id.clone() value=n.to_string()
                                prop:checked=move || stars.get() == n on:change=move |_| stars.set(n)/>
                            <label for=id>{move || fill(i18n.t().track_rating_star, &[("n", &n.to_string())])}</label>
                        </span>
                    }
                }).collect_view()}
            </fieldset>
            <label for="rating-comment">{tr(|t| t.track_rating_comment)}</label>
            <textarea id="rating-comment" rows="3" prop:value=move || comment.get()
                on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
            <p role="status">{move || error.get().map(|e| failure_text(i18n.t(), &e))}</p>
            <button type="submit" class="button">{tr(|t| t.track_rating_button)}</button>
        </form>
    }
    .into_any()
}
