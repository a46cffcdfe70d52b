//! A searchable, keyboard-navigable picker (the ARIA 1.2 combobox pattern) over the backend's
//! regions or agencies. Searches are debounced and stale answers are dropped.

use std::time::Duration;

use lapor_core::api::{Agency, AgencyTier, Region};
use leptos::prelude::*;

use crate::api::Backend;
use crate::i18n::{Texts, fill, use_i18n};

const DEBOUNCE: Duration = Duration::from_millis(250);

/// What the picker searches.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Regions,
    Agencies,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Picked {
    Region(Region),
    Agency(Agency),
}

pub fn tier_text(t: &'static Texts, tier: AgencyTier) -> &'static str {
    match tier {
        AgencyTier::National => t.tier_national,
        AgencyTier::Province => t.tier_province,
        AgencyTier::Regency => t.tier_regency,
        AgencyTier::Opd => t.tier_opd,
        AgencyTier::District => t.tier_district,
    }
}

impl Picked {
    pub fn label(&self) -> String {
        match self {
            Picked::Region(r) => r.name.clone(),
            Picked::Agency(a) => a.name.clone(),
        }
    }

    /// The parents of a region, or the tier of an agency.
    pub fn detail(&self, t: &'static Texts) -> String {
        match self {
            Picked::Region(r) => r.parents.join(", "),
            Picked::Agency(a) => tier_text(t, a.tier).to_owned(),
        }
    }
}

async fn search(api: &Backend, source: Source, query: &str) -> Vec<Picked> {
    match source {
        Source::Regions => api
            .regions(query)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(Picked::Region)
            .collect(),
        Source::Agencies => api
            .agencies(query)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(Picked::Agency)
            .collect(),
    }
}

#[component]
pub fn Combobox(
    id: &'static str,
    source: Source,
    /// `aria-describedby` of the input (hint and error).
    described_by: Signal<Option<String>>,
    invalid: Signal<bool>,
    on_pick: Callback<Picked>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = expect_context::<Backend>();
    let query = RwSignal::new(String::new());
    let results = RwSignal::new(Vec::<Picked>::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let searched = RwSignal::new(false);
    let generation = StoredValue::new(0u32);
    let listbox = format!("{id}-listbox");
    let option_id = move |i: usize| format!("{id}-option-{i}");

    let api = StoredValue::new(api);
    let run_search = move |text: String| {
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        let api = api.get_value();
        set_timeout(
            move || {
                if generation.get_value() != mine {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let found = if text.trim().chars().count() >= 2 || source == Source::Agencies {
                        search(&api, source, &text).await
                    } else {
                        Vec::new()
                    };
                    if generation.get_value() == mine {
                        results.set(found);
                        active.set(None);
                        searched
                            .set(text.trim().chars().count() >= 2 || source == Source::Agencies);
                        open.set(true);
                    }
                });
            },
            DEBOUNCE,
        );
    };
    let pick = move |index: usize| {
        if let Some(item) = results.with(|r| r.get(index).cloned()) {
            open.set(false);
            query.set(String::new());
            on_pick.run(item);
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let count = results.with(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => {
                ev.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % count)));
            }
            "ArrowUp" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = Some(a.map_or(count - 1, |i| (i + count - 1) % count)));
            }
            "Enter" => {
                ev.prevent_default();
                if let Some(i) = active.get_untracked().filter(|_| open.get_untracked()) {
                    pick(i);
                }
            }
            "Escape" => open.set(false),
            _ => {}
        }
    };
    let status = move || {
        if !searched.get() {
            return String::new();
        }
        match results.with(Vec::len) {
            0 => match source {
                Source::Regions => i18n.t().sub_region_none.to_owned(),
                Source::Agencies => i18n.t().sub_agency_none.to_owned(),
            },
            n => fill(i18n.t().sub_region_count, &[("n", &n.to_string())]),
        }
    };
    let expanded = move || (open.get() && results.with(|r| !r.is_empty())).to_string();
    view! {
        <div class="combobox">
            <input id=id type="text" role="combobox" autocomplete="off"
                aria-autocomplete="list" aria-controls=listbox.clone() aria-expanded=expanded
                aria-activedescendant=move || active.get().map(option_id)
                aria-describedby=move || described_by.get()
                aria-invalid=move || invalid.get().then_some("true")
                prop:value=move || query.get()
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    query.set(text.clone());
                    run_search(text);
                }
                on:focus=move |_| if source == Source::Agencies && results.with(Vec::is_empty) {
                    run_search(query.get_untracked());
                }
                on:keydown=on_keydown
                on:blur=move |_| set_timeout(move || open.set(false), Duration::from_millis(200))/>
            <ul id=listbox role="listbox" class="combobox__list" hidden=move || expanded() != "true">
                {move || results.get().into_iter().enumerate().map(|(i, item)| {
                    let detail = item.detail(i18n.t());
                    view! {
                        <li id=option_id(i) role="option" class="combobox__option"
                            aria-selected=move || (active.get() == Some(i)).to_string()
                            on:mousedown=move |ev| { ev.prevent_default(); pick(i); }>
                            <span class="combobox__label">{item.label()}</span>
                            <span class="combobox__detail">{detail}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="visually-hidden" role="status">{status}</p>
        </div>
    }
}
