use lapor_core::tracking::TrackingError;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::i18n::{Texts, tr, use_i18n};

pub fn tracking_error_text(t: &'static Texts, error: TrackingError) -> &'static str {
    match error {
        TrackingError::Empty => t.track_err_empty,
        TrackingError::WrongLength => t.track_err_length,
        TrackingError::InvalidCharacter(_) => t.track_err_char,
        TrackingError::CheckFailed => t.track_err_check,
    }
}

/// The tracking-number box: forgiving parsing, typos caught by the check character before the
/// server is asked, then `/lacak/<number>`.
#[component]
pub fn TrackingForm(#[prop(into)] id: String) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let api = expect_context::<crate::api::Backend>();
    let value = RwSignal::new(String::new());
    let error = RwSignal::new(None::<TrackingError>);
    let input_id = id.clone();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || match error.get() {
            Some(_) => format!("{hint_id} {error_id}"),
            None => hint_id.clone(),
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match api.report_number(&value.get_untracked()) {
            Ok(tracking) => {
                error.set(None);
                navigate(
                    &format!("/lacak/{}", crate::api::encode(&tracking)),
                    Default::default(),
                );
            }
            Err(e) => error.set(Some(e)),
        }
    };
    view! {
        <form class="tracking-form" on:submit=on_submit novalidate>
            <label for=input_id.clone()>{tr(|t| t.track_label)}</label>
            <p class="hint" id=hint_id>{tr(|t| t.track_hint)}</p>
            {
                let error_id = error_id.clone();
                move || error.get().map(|e| view! {
                    <p class="field-error" id=error_id.clone()>{tracking_error_text(i18n.t(), e)}</p>
                })
            }
            <div class="tracking-form__row">
                <input
                    id=input_id
                    name="tracking"
                    type="text"
                    inputmode="text"
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    aria-describedby=described_by
                    aria-invalid=move || error.get().is_some().then_some("true")
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
                <button type="submit" class="button">{tr(|t| t.track_button)}</button>
            </div>
        </form>
    }
}
