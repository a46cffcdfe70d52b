use lapor_core::api::FaqEntry;
use lapor_core::faq::default_faq;
use lapor_core::text::matches_all_words;
use leptos::prelude::*;

use crate::api::Api;
use crate::app::use_page_title;
use crate::i18n::use_i18n;

/// `/faq`: the backend's questions (the bundled set when it has none), searchable.
#[component]
pub fn FaqPage() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(move || i18n.t().faq_title);
    let api = expect_context::<Api>();
    let entries = LocalResource::new(move || {
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
    view! {
        <h1 tabindex="-1">{move || i18n.t().faq_title}</h1>
        <div class="field">
            <label for="faq-search">{move || i18n.t().faq_search_label}</label>
            <input id="faq-search" type="search" prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))/>
        </div>
        {move || match visible() {
            None => view! { <p>{i18n.t().loading}</p> }.into_any(),
            Some(list) if list.is_empty() => view! {
                <p class="notice" role="status">{i18n.t().faq_no_results}</p>
            }.into_any(),
            Some(list) => view! {
                <div class="faq-list">
                    {list.into_iter().map(|e| view! {
                        <details id=e.id.clone() class="faq-item">
                            <summary>{e.question}</summary>
                            <p>{e.answer}</p>
                        </details>
                    }).collect_view()}
                </div>
            }.into_any(),
        }}
    }
}
