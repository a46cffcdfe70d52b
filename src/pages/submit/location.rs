//! Where it happened (complaints) or where the reporter lives (the others): a region from the
//! whole country, a free-text detail, and coordinates only when the citizen taps for them.

use lapor_core::api::{Classification, Field};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::components::combobox::{Combobox, Picked, Source};
use crate::components::field::{FieldError, Problems, TextField, described_by, problem_for};
use crate::draft::Draft;
use crate::i18n::{fill, tr, use_i18n};

/// A coordinate with six decimals (about 10 cm), written without float formatting, which
/// would cost the wasm more than this whole page.
pub fn coordinate(value: f64) -> String {
    let micro = (value * 1e6).round() as i64;
    let sign = if micro < 0 { "-" } else { "" };
    let micro = micro.unsigned_abs();
    format!("{sign}{}.{:06}", micro / 1_000_000, micro % 1_000_000)
}

#[derive(Clone, Copy, PartialEq)]
enum GeoState {
    Idle,
    Denied,
    Unavailable,
}

/// Asks the browser for the position once; `done` gets coordinates or the error code.
fn locate(done: impl FnOnce(Result<(f64, f64), u16>) + 'static) {
    let Some(geolocation) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
        done(Err(2));
        return;
    };
    let done = std::rc::Rc::new(std::cell::RefCell::new(Some(done)));
    let on_error_done = done.clone();
    let success = Closure::once_into_js(move |position: web_sys::Position| {
        let c = position.coords();
        if let Some(done) = done.borrow_mut().take() {
            done(Ok((c.latitude(), c.longitude())));
        }
    });
    let failure = Closure::once_into_js(move |error: web_sys::PositionError| {
        if let Some(done) = on_error_done.borrow_mut().take() {
            done(Err(error.code()));
        }
    });
    if geolocation
        .get_current_position_with_error_callback(
            success.unchecked_ref(),
            Some(failure.unchecked_ref()),
        )
        .is_err()
    {
        // The callbacks never run; nothing else to do.
    }
}

#[component]
pub fn LocationSection(draft: RwSignal<Draft>, problems: Problems) -> impl IntoView {
    let i18n = use_i18n();
    let complaint = move || draft.with(|d| d.classification == Some(Classification::Complaint));
    let geo = RwSignal::new(GeoState::Idle);
    let geolocation = expect_context::<crate::config::Config>()
        .features
        .geolocation;
    // Backends without a region directory (Open311) get the place as text or coordinates.
    let directory = expect_context::<crate::api::Backend>().features().directory;
    let region_problem = problem_for(problems, Field::RegionId.path());
    let region_described = Signal::derive(described_by(
        "region",
        true,
        problems,
        Field::RegionId.path(),
    ));
    let on_pick = Callback::new(move |picked: Picked| {
        if let Picked::Region(region) = picked {
            draft.update(|d| d.region = Some(region));
        }
    });
    let use_location = move |_| {
        geo.set(GeoState::Idle);
        locate(move |result| match result {
            Ok((lat, lon)) => draft.update(|d| {
                d.lat = Some((lat * 1e6).round() / 1e6);
                d.lon = Some((lon * 1e6).round() / 1e6);
            }),
            Err(1) => geo.set(GeoState::Denied),
            Err(_) => geo.set(GeoState::Unavailable),
        });
    };
    view! {
        <fieldset class="fieldset" id="location">
            <legend>{move || if complaint() { i18n.t().sub_location_incident } else { i18n.t().sub_location_home }}</legend>
            {directory.then(|| view! {
            <div class="field" class:field--error=move || region_problem().is_some()>
                <label for="region">{move || if complaint() { i18n.t().sub_region_label_incident } else { i18n.t().sub_region_label_home }}</label>
                <p class="hint" id="region-hint">
                    {tr(|t| t.sub_location_hint)}
                    {move || draft.with(|d| d.region.as_ref().map(|r| view! {
                        " "<strong class="region-chosen">{format!("✔ {} — {}", r.name, r.parents.join(", "))}</strong>
                    }))}
                </p>
                <FieldError problems field={Field::RegionId.path()}/>
                {move || draft.with(|d| d.region.is_some()).then(|| view! {
                    <button type="button" class="button button--link" on:click=move |_| draft.update(|d| d.region = None)>
                        {tr(|t| t.sub_location_clear)}
                    </button>
                })}
                <Combobox id="region" source=Source::Regions described_by=region_described
                    invalid=Signal::derive(move || region_problem().is_some()) on_pick/>
            </div>
            })}
            <TextField id="location-text" field={Field::LocationText.path()} label=|t| t.sub_location_detail
                hint=|t| t.sub_location_detail_hint problems
                value=Signal::derive(move || draft.with(|d| d.location_text.clone()))
                on_input=Callback::new(move |v| draft.update(|d| d.location_text = v))/>
            <div class="field" hidden=!geolocation>
                <button type="button" id="use-location" class="button button--secondary" on:click=use_location>
                    {tr(|t| t.sub_geo_button)}
                </button>
                <FieldError problems field={Field::Lat.path()}/>
                <p role="status" class="hint">
                    {move || match geo.get() {
                        GeoState::Denied => Some(i18n.t().sub_geo_denied.to_owned()),
                        GeoState::Unavailable => Some(i18n.t().sub_geo_unavailable.to_owned()),
                        GeoState::Idle => draft.with(|d| d.lat.zip(d.lon)).map(|(lat, lon)| {
                            fill(i18n.t().sub_geo_set, &[("lat", &coordinate(lat)), ("lon", &coordinate(lon))])
                        }),
                    }}
                </p>
                {move || draft.with(|d| d.lat.is_some()).then(|| view! {
                    <button type="button" class="button button--link"
                        on:click=move |_| draft.update(|d| { d.lat = None; d.lon = None; })>
                        {tr(|t| t.sub_geo_remove)}
                    </button>
                })}
            </div>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn coordinates_have_six_decimals() {
        assert_eq!(super::coordinate(-6.9232417), "-6.923242");
        assert_eq!(super::coordinate(110.2), "110.200000");
        assert_eq!(super::coordinate(-0.0000004), "0.000000");
    }
}
