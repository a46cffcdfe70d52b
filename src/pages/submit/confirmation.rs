//! The confirmation: the tracking number large and copyable, the access code with a warning,
//! the deadline in working days and as a date, the ways to keep them, and the offer to be
//! notified of updates (the only place the portal asks for notifications: after a report
//! was sent, never on a first visit).

use lapor_core::api::{Classification, ReportCreated};
use leptos::prelude::*;

use crate::app::link;
use leptos_router::components::A;
use wasm_bindgen::JsValue;

use crate::app::InstanceResource;
use crate::i18n::{fill, format_date, tr, use_i18n};

/// Shares through the Web Share API where the phone has it; elsewhere copies the link.
fn share(title: &str, text: &str, url: &str) -> bool {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return false;
    };
    let share = js_sys::Reflect::get(&navigator, &"share".into())
        .ok()
        .filter(|f| f.is_function());
    let Some(share) = share else { return false };
    let data = js_sys::Object::new();
    for (key, value) in [("title", title), ("text", text), ("url", url)] {
        let _ = js_sys::Reflect::set(&data, &key.into(), &JsValue::from_str(value));
    }
    js_sys::Function::from(share)
        .call1(&navigator, &data)
        .is_ok()
}

fn copy(text: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
}

/// The tracking number of a report just sent (or why there is none yet).
#[component]
pub fn SentNumber(tracking: String) -> impl IntoView {
    view! {
        <div class="panel panel--success">
            <h1 tabindex="-1">{tr(|t| t.done_title)}</h1>
            {if tracking.is_empty() {
                // A blackbox service, or a batch one whose number is not ready yet.
                view! { <p id="no-number">{tr(|t| t.conf_no_number)}</p> }.into_any()
            } else {
                view! {
                    <p>{tr(|t| t.done_tracking_label)}</p>
                    <p class="tracking-number tracking-number--large" id="tracking-number">{tracking}</p>
                }.into_any()
            }}
        </div>
    }
}

/// The access code of a report just sent, shown this once, with the warning to keep it.
#[component]
pub fn AccessCode(code: String) -> impl IntoView {
    (!code.is_empty()).then(|| {
        view! {
            <h2>{tr(|t| t.done_access_label)}</h2>
            <p class="access-code" id="access-code">{code}</p>
            <div class="notice notice--warning"><p>{tr(|t| t.done_access_warning)}</p></div>
        }
    })
}

/// "Notify me of updates": shown while the browser has not been asked; asks when pressed.
#[component]
fn NotifyOffer() -> impl IntoView {
    // `Some(allowed)` once the citizen answered.
    let i18n = use_i18n();
    let answer = RwSignal::new(None::<bool>);
    let not_asked = crate::updates::notification_permission().as_deref() == Some("default");
    let ask = move |_| {
        leptos::task::spawn_local(async move {
            answer.set(Some(
                crate::updates::request_notification_permission().await,
            ));
        });
    };
    not_asked.then(|| {
        view! {
            <div class="notify-offer">
                {move || answer.get().is_none().then(|| view! {
                    <button type="button" class="button button--secondary" on:click=ask>
                        {tr(|t| t.notify_ask)}
                    </button>
                })}
                <p role="status">{move || answer.get().map(|allowed| {
                    let t = i18n.t();
                    if allowed { t.notify_on } else { t.notify_refused }
                })}</p>
            </div>
        }
    })
}

#[component]
pub fn Confirmation(
    created: ReportCreated,
    classification: Classification,
    on_new: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let instance = expect_context::<InstanceResource>();
    let copied = RwSignal::new(false);
    let days = move || {
        let sla = instance
            .get()
            .and_then(Result::ok)
            .map(|i| i.sla)
            .unwrap_or_default();
        sla.resolution_days(classification, false)
    };
    let tracking = created.tracking_id.to_string();
    let track_href = format!("/lacak/{}", crate::api::encode(&tracking));
    let track_href_link = track_href.clone();
    let due = created.due_date;
    let share_tracking = tracking.clone();
    let copy_tracking = tracking.clone();
    let has_number = !tracking.is_empty();
    let access_code = created.access_code.clone();
    let numbered = move || {
        let track_href = track_href.clone();
        let (copy_tracking, share_tracking) = (copy_tracking.clone(), share_tracking.clone());
        view! {
            <div class="actions">
                <button type="button" class="button button--secondary" on:click=move |_| {
                    copy(&copy_tracking);
                    copied.set(true);
                }>{tr(|t| t.done_copy)}</button>
                <button type="button" class="button button--secondary" on:click={
                    let href = track_href.clone();
                    move |_| {
                        let url = web_sys::window()
                            .and_then(|w| w.location().origin().ok())
                            .map(|origin| format!("{origin}{}{href}", crate::app::base_path()))
                            .unwrap_or_default();
                        let text = fill(i18n.t().done_share_text, &[("tracking", &share_tracking)]);
                        if !share(i18n.t().done_title, &text, &url) {
                            copy(&format!("{text} {url}"));
                            copied.set(true);
                        }
                    }
                }>{tr(|t| t.done_share)}</button>
            </div>
            <p role="status">{move || copied.get().then(|| i18n.t().done_copied)}</p>
        }
    };
    view! {
        <SentNumber tracking=tracking.clone()/>
        {has_number.then(numbered.clone())}
        <AccessCode code=access_code.clone()/>
        <p id="due-date">
            {move || fill(i18n.t().done_due, &[
                ("date", &format_date(i18n.locale.get(), due)),
                ("n", &days().to_string()),
            ])}
        </p>
        {created.due_date_estimate.then(|| view! { <p class="hint">{tr(|t| t.done_due_estimate)}</p> })}
        {has_number.then(|| view! { <p class="hint">{tr(|t| t.done_saved_device)}</p> })}
        {has_number.then(NotifyOffer)}
        <div class="actions">
            {has_number.then(|| view! {
                <A href=link(&track_href_link) attr:class="button button--primary">{tr(|t| t.done_track_link)}</A>
            })}
            <button type="button" class="button button--link" on:click=move |_| on_new.run(())>
                {tr(|t| t.done_new)}
            </button>
        </div>
        // The deployer's short survey (`feedback_url`); nothing when there is none.
        {use_context::<crate::config::Config>().and_then(|c| c.feedback_url).map(|url| view! {
            <p id="feedback"><a href=url rel="noopener">{tr(|t| t.done_feedback)}</a></p>
        })}
    }
}
