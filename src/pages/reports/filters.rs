//! The list's filters: words, status, classification, category, agency and region, applied
//! together (the page's URL then holds them). Filters the backend cannot apply (GeoReport's
//! `requests.json` knows only status and service) are not offered.

use lapor_core::Locale;
use lapor_core::Status;
use lapor_core::api::Classification;
use lapor_core::listing::{ListQuery, StatusFilter};
use leptos::prelude::*;
use leptos_router::components::A;

use super::places::{AGENCY_FIELD, REGION_FIELD};
use crate::api::Backend;
use crate::app::link;
use crate::components::deferred::deferred_or;
use crate::i18n::labels::{classification_text, status_text};
use crate::i18n::{Texts, tr, use_i18n};

/// A `<select>` of one filter; the empty value is "all".
#[component]
fn SelectFilter(
    id: &'static str,
    label: fn(&'static Texts) -> &'static str,
    /// `(value, words)` of each choice after "all".
    options: Signal<Vec<(String, String)>>,
    value: Signal<String>,
    on_change: Callback<String>,
) -> impl IntoView {
    view! {
        <div class="field field--inline">
            <label for=id>{tr(label)}</label>
            <select id=id on:change=move |ev| on_change.run(event_target_value(&ev))>
                <option value="" selected=move || value.with(String::is_empty)>{tr(|t| t.reports_any)}</option>
                {move || options.get().into_iter().map(|(code, words)| {
                    let selected = {
                        let code = code.clone();
                        move || value.with(|v| *v == code)
                    };
                    view! { <option value=code selected=selected>{words}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// The region and agency fields while their search is on its way: the same labels and boxes,
/// read-only. Focusing one fetches the search (the form's first touch) and the focus then moves
/// to the search's own field. The one focused is noted here: the field itself is gone by the
/// time the search is built (the first touch swaps these for the wait's own copy).
#[component]
fn PlacesWaiting(focused: RwSignal<Option<&'static str>>) -> impl IntoView {
    let field = move |id: &'static str, label: fn(&'static Texts) -> &'static str| {
        view! {
            <div class="field">
                <label for=id>{tr(label)}</label>
                <div class="combobox">
                    <input id=id type="text" readonly on:focus=move |_| focused.set(Some(id))/>
                </div>
            </div>
        }
    };
    view! {
        {field(AGENCY_FIELD, |t| t.track_agency)}
        {field(REGION_FIELD, |t| t.reports_region_label)}
    }
}

#[component]
pub fn Filters(query: Signal<ListQuery>, on_apply: Callback<ListQuery>) -> impl IntoView {
    let i18n = use_i18n();
    let api = expect_context::<Backend>();
    let features = api.features();
    // What the citizen is choosing; applied (page 1) on submit, reset when the URL changes.
    let draft = RwSignal::new(query.get_untracked());
    let places_wanted =
        RwSignal::new(query.with_untracked(|q| q.region.is_some() || q.agency.is_some()));
    // The place field focused while its search was on its way: focused again once it is here.
    let focused = RwSignal::new(None::<&'static str>);
    let waiting = move || view! { <PlacesWaiting focused/> };
    // The names of the chosen region and agency, with the code each names.
    let names = RwSignal::new((None::<(String, String)>, None::<(String, String)>));
    Effect::new(move |_| draft.set(query.get()));
    // A view restored from a URL has only the codes: their names are looked up once.
    Effect::new({
        let api = api.clone();
        move |_| {
            let (region, agency) = query.with(|q| (q.region.clone(), q.agency.clone()));
            let (known_region, known_agency) = names.get_untracked();
            let api = api.clone();
            leptos::task::spawn_local(async move {
                let unknown = |code: &String, known: &Option<(String, String)>| {
                    known.as_ref().is_none_or(|(named, _)| named != code)
                };
                if let Some(code) = region.filter(|c| unknown(c, &known_region))
                    && let Ok(Some(r)) = api.region(&code).await
                {
                    names.update(|n| n.0 = Some((code, r.name)));
                }
                if let Some(id) = agency.filter(|c| unknown(c, &known_agency))
                    && let Ok(Some(a)) = api.agency(&id).await
                {
                    names.update(|n| n.1 = Some((id, a.name)));
                }
            });
        }
    });
    let categories = crate::load::Loaded::new(move || {
        let api = api.clone();
        let locale = i18n.locale.get_untracked();
        async move { api.categories(locale).await.unwrap_or_default() }
    });
    let category_options = Signal::derive(move || {
        let locale = i18n.locale.get();
        categories
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|c| {
                let name = if locale == Locale::En {
                    c.name_en
                } else {
                    c.name_id
                };
                (c.id, name)
            })
            .collect()
    });
    let status_options = Signal::derive(move || {
        let t = i18n.t();
        let mut options = vec![
            ("open".to_owned(), t.reports_status_open.to_owned()),
            ("closed".to_owned(), t.reports_status_closed.to_owned()),
        ];
        if features.list_filters {
            options.extend(
                Status::KNOWN
                    .iter()
                    .map(|s| (s.code().to_owned(), status_text(t, s))),
            );
        }
        options
    });
    let class_options = Signal::derive(move || {
        Classification::ALL
            .into_iter()
            .map(|c| {
                (
                    c.code().to_owned(),
                    classification_text(i18n.t(), c).to_owned(),
                )
            })
            .collect()
    });
    let text = move |get: fn(&ListQuery) -> Option<String>| {
        Signal::derive(move || draft.with(|q| get(q).unwrap_or_default()))
    };
    let some = |v: String| (!v.is_empty()).then_some(v);
    let region = Signal::derive(move || {
        draft.with(|q| {
            q.region.clone().map(|code| {
                let name = names.with(|n| n.0.clone().filter(|(c, _)| *c == code));
                (code, name.map(|(_, name)| name))
            })
        })
    });
    let agency = Signal::derive(move || {
        draft.with(|q| {
            q.agency.clone().map(|code| {
                let name = names.with(|n| n.1.clone().filter(|(c, _)| *c == code));
                (code, name.map(|(_, name)| name))
            })
        })
    });
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut q = draft.get_untracked();
        q.page = 1;
        on_apply.run(q);
    };
    let touch = move || {
        if !places_wanted.get_untracked() {
            places_wanted.set(true);
        }
    };
    view! {
        <form class="filters" role="search" aria-labelledby="filters-heading" on:submit=apply
            on:focusin=move |_| touch() on:pointerdown=move |_| touch() on:wheel=move |_| touch()>
            <h2 id="filters-heading">{tr(|t| t.reports_filters)}</h2>
            {features.list_filters.then(|| view! {
                <div class="field">
                    <label for="reports-q">{tr(|t| t.reports_search_label)}</label>
                    <p class="hint" id="reports-q-hint">{tr(|t| t.reports_search_hint)}</p>
                    <input type="search" id="reports-q" aria-describedby="reports-q-hint"
                        maxlength=lapor_core::listing::MAX_QUERY_CHARS
                        prop:value=move || draft.with(|q| q.q.clone().unwrap_or_default())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|q| q.q = some(v)); }/>
                </div>
            })}
            <SelectFilter id="reports-status" label=|t| t.reports_status_label options=status_options
                value=text(|q| q.status.as_ref().map(|s| s.code().to_owned()))
                on_change=Callback::new(move |v: String| draft.update(|q| q.status = StatusFilter::from_code(&v)))/>
            {features.list_filters.then(|| view! {
                <SelectFilter id="reports-classification" label=|t| t.sub_kind_legend options=class_options
                    value=text(|q| q.classification.map(|c| c.code().to_owned()))
                    on_change=Callback::new(move |v: String| draft.update(|q| q.classification = Classification::from_code(&v)))/>
            })}
            <SelectFilter id="reports-category" label=|t| t.track_category options=category_options
                value=text(|q| q.category.clone())
                on_change=Callback::new(move |v: String| draft.update(|q| q.category = some(v)))/>
            {(features.list_filters && features.directory).then_some(move || {
                // The region and agency searches come from a file of their own on the first
                // touch of the filters (at once for a view that names either); until then
                // their fields hold their place, so nothing moves when they arrive.
                if places_wanted.get() {
                    let on_pick_agency = Callback::new(move |picked: Option<(String, String)>| {
                        names.update(|n| n.1 = picked.clone());
                        draft.update(|q| q.agency = picked.map(|p| p.0));
                    });
                    let on_pick_region = Callback::new(move |picked: Option<(String, String)>| {
                        names.update(|n| n.0 = picked.clone());
                        draft.update(|q| q.region = picked.map(|p| p.0));
                    });
                    deferred_or(
                        super::places::place_filters(agency, region, on_pick_agency, on_pick_region, focused),
                        waiting,
                        waiting,
                    )
                    .into_any()
                } else {
                    waiting().into_any()
                }
            })}
            <div class="actions">
                <button type="submit" class="button button--primary">{tr(|t| t.reports_apply)}</button>
                <A href=link("/laporan") attr:class="button button--link">{tr(|t| t.reports_clear)}</A>
            </div>
        </form>
    }
}
