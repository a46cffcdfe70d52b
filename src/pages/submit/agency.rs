//! The target agency, with an explicit "I don't know" (admins route it).

use lapor_core::api::Field;
use leptos::prelude::*;

use crate::components::combobox::{Combobox, Picked, Source, tier_text};
use crate::components::field::{FieldError, Problems};
use crate::draft::Draft;
use crate::i18n::{tr, use_i18n};

#[component]
pub fn AgencySection(draft: RwSignal<Draft>, problems: Problems) -> impl IntoView {
    let i18n = use_i18n();
    // "I know the agency" is chosen explicitly; a chosen agency implies it.
    let knows = RwSignal::new(false);
    Effect::new(move |_| {
        if draft.with(|d| d.agency.is_some()) {
            knows.set(true);
        }
    });
    let on_pick = Callback::new(move |picked: Picked| {
        if let Picked::Agency(agency) = picked {
            draft.update(|d| d.agency = Some(agency));
        }
    });
    view! {
        <fieldset class="fieldset">
            <legend>{tr(|t| t.sub_agency_legend)}</legend>
            <FieldError problems field={Field::AgencyId.path()}/>
            <div class="radio">
                <input type="radio" id="agency-unknown" name="agency-known"
                    prop:checked=move || !knows.get()
                    on:change=move |_| { knows.set(false); draft.update(|d| d.agency = None); }/>
                <label for="agency-unknown">{tr(|t| t.sub_agency_unknown)}</label>
            </div>
            <div class="radio">
                <input type="radio" id="agency-known" name="agency-known"
                    prop:checked=move || knows.get() on:change=move |_| knows.set(true)/>
                <label for="agency-known">{tr(|t| t.sub_agency_known)}</label>
            </div>
            {move || knows.get().then(|| view! {
                <div class="field conditional">
                    <label for="agency">{tr(|t| t.sub_agency_search)}</label>
                    <p class="hint" id="agency-hint">
                        {move || draft.with(|d| d.agency.as_ref().map(|a| format!("✔ {} ({})", a.name, tier_text(i18n.t(), a.tier))))}
                    </p>
                    <Combobox id="agency" source=Source::Agencies
                        described_by=Signal::derive(|| Some("agency-hint".to_owned()))
                        invalid=Signal::derive(|| false) on_pick/>
                </div>
            })}
        </fieldset>
    }
}
