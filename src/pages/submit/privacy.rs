//! Anonymous and confidential, each explained, and the optional contact details, which are
//! hidden and never sent when the report is anonymous.

use lapor_core::api::Field;
use leptos::prelude::*;

use crate::components::field::{Problems, TextField, TextOf};
use crate::draft::Draft;
use crate::i18n::{tr, use_i18n};

#[component]
fn Switch(
    id: &'static str,
    label: TextOf,
    hint: TextOf,
    checked: Signal<bool>,
    on_toggle: Callback<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="checkbox">
            <input type="checkbox" id=id aria-describedby=format!("{id}-hint")
                prop:checked=move || checked.get()
                on:change=move |ev| on_toggle.run(event_target_checked(&ev))/>
            <label for=id>{move || label(i18n.t())}</label>
            <p class="hint" id=format!("{id}-hint")>{move || hint(i18n.t())}</p>
        </div>
    }
}

#[component]
pub fn PrivacySection(draft: RwSignal<Draft>, problems: Problems) -> impl IntoView {
    let anonymous = Signal::derive(move || draft.with(|d| d.anonymous));
    // Confidentiality rests on access codes, which Open311 backends do not have.
    let confidential_possible = expect_context::<crate::api::Backend>()
        .features()
        .reporter_actions;
    let text =
        move |get: fn(&Draft) -> &String| Signal::derive(move || draft.with(|d| get(d).clone()));
    view! {
        <fieldset class="fieldset" id="privacy">
            <legend>{tr(|t| t.sub_privacy_legend)}</legend>
            <Switch id="anonymous" label=|t| t.sub_anonymous_label hint=|t| t.sub_anonymous_hint
                checked=anonymous on_toggle=Callback::new(move |on| draft.update(|d| d.anonymous = on))/>
            {confidential_possible.then(|| view! {
                <Switch id="confidential" label=|t| t.sub_confidential_label hint=|t| t.sub_confidential_hint
                    checked=Signal::derive(move || draft.with(|d| d.confidential))
                    on_toggle=Callback::new(move |on| draft.update(|d| d.confidential = on))/>
            })}
        </fieldset>
        <fieldset class="fieldset" id="contact">
            <legend>{tr(|t| t.sub_contact_legend)}</legend>
            {move || if anonymous.get() {
                view! { <p class="hint">{tr(|t| t.sub_contact_anonymous)}</p> }.into_any()
            } else {
                view! {
                    <p class="hint">{tr(|t| t.sub_contact_hint)}</p>
                    <TextField id="name" field={Field::ReporterName.path()} label=|t| t.sub_name_label problems
                        autocomplete="name" value=text(|d| &d.name)
                        on_input=Callback::new(move |v| draft.update(|d| d.name = v))/>
                    <TextField id="email" field={Field::ReporterEmail.path()} label=|t| t.sub_email_label problems
                        input_type="email" autocomplete="email" value=text(|d| &d.email)
                        on_input=Callback::new(move |v| draft.update(|d| d.email = v))/>
                    <TextField id="phone" field={Field::ReporterPhone.path()} label=|t| t.sub_phone_label problems
                        input_type="tel" autocomplete="tel" value=text(|d| &d.phone)
                        on_input=Callback::new(move |v| draft.update(|d| d.phone = v))/>
                }.into_any()
            }}
        </fieldset>
    }
}
