//! The list's region and agency filters: a search each (`Combobox`), in a file of their own
//! (split module `place_filters`) fetched on the first touch of the filters, so a first look
//! at the list does not carry the search's code.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::combobox::{Combobox, Picked, Source};
use crate::i18n::{Texts, tr};
use crate::split::split_point;

/// The ids of the agency and region searches (and of the fields holding their place).
pub(super) const AGENCY_FIELD: &str = "reports-agency";
pub(super) const REGION_FIELD: &str = "reports-region";

/// A region or agency picked by search, shown with a way back to "all".
#[component]
fn PlaceFilter(
    id: &'static str,
    source: Source,
    label: fn(&'static Texts) -> &'static str,
    all: fn(&'static Texts) -> &'static str,
    /// The code filtered by, and the name it was picked under (a restored URL has only the code).
    chosen: Signal<Option<(String, Option<String>)>>,
    on_pick: Callback<Option<(String, String)>>,
) -> impl IntoView {
    let hint = format!("{id}-chosen");
    let described = Signal::derive({
        let hint = hint.clone();
        move || chosen.with(Option::is_some).then(|| hint.clone())
    });
    view! {
        <div class="field">
            <label for=id>{tr(label)}</label>
            {move || chosen.get().map(|(code, name)| view! {
                <p class="filter-chosen" id=hint.clone()>
                    <span>{name.unwrap_or(code)}</span>" "
                    <button type="button" class="button button--link" on:click=move |_| on_pick.run(None)>
                        {tr(all)}
                    </button>
                </p>
            })}
            <Combobox id source described_by=described invalid=Signal::derive(|| false)
                on_pick=Callback::new(move |picked: Picked| on_pick.run(Some(match picked {
                    Picked::Region(r) => (r.id, r.name),
                    Picked::Agency(a) => (a.id, a.name),
                })))/>
        </div>
    }
}

split_point!(
    /// The agency and region filters; `focused` names the one focused while they were on their
    /// way, which then takes the focus.
    pub(super) fn place_filters(
        agency: Signal<Option<(String, Option<String>)>>,
        region: Signal<Option<(String, Option<String>)>>,
        on_pick_agency: Callback<Option<(String, String)>>,
        on_pick_region: Callback<Option<(String, String)>>,
        focused: RwSignal<Option<&'static str>>,
    ) -> AnyView {
        if let Some(id) = focused.get_untracked() {
            request_animation_frame(move || {
                if let Some(input) = document()
                    .get_element_by_id(id)
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = input.focus();
                }
            });
        }
        view! {
            <PlaceFilter id=AGENCY_FIELD source=Source::Agencies label=|t| t.track_agency
                all=|t| t.reports_agency_all chosen=agency on_pick=on_pick_agency/>
            <PlaceFilter id=REGION_FIELD source=Source::Regions label=|t| t.reports_region_label
                all=|t| t.reports_region_all chosen=region on_pick=on_pick_region/>
        }
        .into_any()
    }
);
