use lapor_core::Locale;
use leptos::prelude::*;

use crate::i18n::{tr, use_i18n};

/// Buttons naming each language in itself; the current one is marked as pressed.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="language-switch" role="group" aria-label=tr(|t| t.language)>
            {Locale::ALL
                .into_iter()
                .map(|locale| {
                    view! {
                        <button
                            type="button"
                            lang=locale.tag()
                            aria-pressed=move || (i18n.locale.get() == locale).to_string()
                            on:click=move |_| i18n.set(locale)
                        >
                            {locale.own_name()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
