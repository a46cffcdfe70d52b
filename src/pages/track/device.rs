//! "Keep on this device" and "remove from this device": the citizen's choice over what a
//! shared phone keeps of a report (`lapor_core::device_copy` says what is kept without it).

use lapor_core::api::ReportView;
use lapor_core::device_copy::device_copy;
use leptos::prelude::*;

use crate::i18n::tr;
use crate::saved_reports::{self, SavedReport, remember_view};

#[component]
pub fn DeviceCopyChoice(view: ReportView, code: Signal<Option<String>>) -> impl IntoView {
    let id = view.tracking_id.to_string();
    let kept = RwSignal::new(saved_reports::is_kept(&id));
    let removed = RwSignal::new(false);
    // Only viewed, what the device keeps anyway (a public report's number and view).
    let listed = device_copy(view.confidential, false).listed;
    let keep = {
        let view = view.clone();
        move |_| {
            let code = code.get_untracked();
            saved_reports::remember(SavedReport {
                tracking_id: view.tracking_id.to_string(),
                access_code: code.clone(),
                last_status: Some(view.status.code().to_owned()),
                kept: true,
            });
            remember_view(&view, code);
            kept.set(true);
            removed.set(false);
        }
    };
    let remove = move |_| {
        let id = id.clone();
        leptos::task::spawn_local(async move {
            saved_reports::forget(&id).await;
            kept.set(false);
            removed.set(true);
        });
    };
    let remove_button = move || {
        view! {
            <button type="button" class="button button--secondary" on:click=remove.clone()>
                {tr(|t| t.device_remove)}
            </button>
        }
    };
    let body = move || {
        if removed.get() {
            view! { <p role="status">{tr(|t| t.device_removed)}</p> }.into_any()
        } else if kept.get() {
            view! {
                <p>{tr(|t| t.device_kept)}</p>
                {remove_button.clone()()}
            }
            .into_any()
        } else {
            let can_keep = code.get().is_some();
            view! {
                {can_keep.then(|| view! {
                    <p>{tr(|t| t.device_keep_risk)}</p>
                    <button type="button" class="button button--secondary" on:click=keep.clone()>
                        {tr(|t| t.device_keep)}
                    </button>
                })}
                {listed.then(remove_button.clone())}
            }
            .into_any()
        }
    };
    view! {
        <section class="device-copy" aria-labelledby="device-copy-heading">
            <h2 id="device-copy-heading">{tr(|t| t.device_heading)}</h2>
            {body}
        </section>
    }
}
