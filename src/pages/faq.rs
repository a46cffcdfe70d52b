//! `/faq`: the backend's questions (the bundled set when it has none), grouped by category,
//! searchable without minding accents or case, each deep-linkable as `/faq#<id>`.

use lapor_core::api::FaqEntry;
use lapor_core::faq::default_faq;
use lapor_core::text::matches_all_words;
use leptos::prelude::*;

use crate::app::link;
use leptos_router::components::A;

use crate::api::Backend;
use crate::app::use_page_title;
use crate::components::field::focus_by_id;
use crate::i18n::{tr, use_i18n};

/// Entries grouped by category, in the order categories first appear.
pub fn group(entries: Vec<FaqEntry>) -> Vec<(String, Vec<FaqEntry>)> {
    let mut groups: Vec<(String, Vec<FaqEntry>)> = Vec::new();
    for entry in entries {
        match groups.iter_mut().find(|(c, _)| *c == entry.category) {
            Some((_, list)) => list.push(entry),
            None => groups.push((entry.category.clone(), vec![entry])),
        }
    }
    groups
}

fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_owned())
        .unwrap_or_default()
}

#[component]
pub fn FaqPage() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(|t| (t.faq_title, t.desc_faq));
    let api = expect_context::<Backend>();
    let entries = crate::load::Loaded::new(move || {
        let api = api.clone();
        let locale = i18n.locale.get();
        async move {
            match api.faq(locale).await {
                Ok(entries) if !entries.is_empty() => entries,
                _ => default_faq(locale),
            }
        }
    });
    let query = RwSignal::new(String::new());
    let target = location_hash();
    let visible = move || -> Option<Vec<FaqEntry>> {
        let q = query.get();
        Some(
            entries
                .get()?
                .into_iter()
                .filter(|e| matches_all_words(&format!("{} {}", e.question, e.answer), &q))
                .collect(),
        )
    };
    // A deep link opens its answer; once the list is there, bring it into view.
    let deep_link = target.clone();
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) || deep_link.is_empty() || entries.get().is_none() {
            return done.unwrap_or(false);
        }
        let id = format!("q-{deep_link}");
        request_animation_frame(move || focus_by_id(&id));
        true
    });
    view! {
        <h1 tabindex="-1">{tr(|t| t.faq_title)}</h1>
        <div class="field">
            <label for="faq-search">{tr(|t| t.faq_search_label)}</label>
            <input id="faq-search" type="search" prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))/>
        </div>
        {move || match visible() {
            None => view! { <p role="status">{i18n.t().loading}</p> }.into_any(),
            Some(list) if list.is_empty() => view! {
                <div class="notice" role="status">
                    <p>{i18n.t().faq_no_results}</p>
                    <p>
                        <A href=link("/lapor")>{i18n.t().faq_no_results_report}</A>
                        " · "
                        <A href=link("/#channels")>{i18n.t().faq_no_results_channels}</A>
                    </p>
                </div>
            }.into_any(),
            Some(list) => {
                let target = target.clone();
                view! {
                    <div class="faq-list">
                        {group(list).into_iter().map(|(category, items)| {
                            let target = target.clone();
                            view! {
                                <h2>{category}</h2>
                                {items.into_iter().map(|e| {
                                    let open = e.id == target;
                                    let id = e.id.clone();
                                    view! {
                                        <details id=e.id.clone() class="faq-item" open=open>
                                            <summary id=format!("q-{}", e.id) on:click=move |_| {
                                                // The address names the question, so it can be shared.
                                                if let Some(w) = web_sys::window() {
                                                    let path = w.location().pathname().unwrap_or_default();
                                                    let _ = w.history().and_then(|h| {
                                                        h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("{path}#{id}")))
                                                    });
                                                }
                                            }>{e.question}</summary>
                                            <p>{e.answer}</p>
                                        </details>
                                    }
                                }).collect_view()}
                            }
                        }).collect_view()}
                    </div>
                }.into_any()
            }
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_keep_the_order_categories_first_appear_in() {
        let e = |id: &str, category: &str| FaqEntry {
            id: id.into(),
            category: category.into(),
            question: String::new(),
            answer: String::new(),
        };
        let groups = group(vec![
            e("a", "Privasi"),
            e("b", "Tentang"),
            e("c", "Privasi"),
        ]);
        let shape: Vec<(&str, Vec<&str>)> = groups
            .iter()
            .map(|(c, l)| (c.as_str(), l.iter().map(|e| e.id.as_str()).collect()))
            .collect();
        assert_eq!(
            shape,
            vec![("Privasi", vec!["a", "c"]), ("Tentang", vec!["b"])]
        );
    }
}
