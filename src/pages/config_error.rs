use lapor_core::Locale;
use leptos::prelude::*;

use crate::i18n::texts;

/// Shown instead of the app when `config.json` is missing or wrong: never a blank screen.
/// The details went to the console for the deployer.
#[component]
pub fn ConfigError() -> impl IntoView {
    // The browser's language, when its texts could be fetched (`main`).
    let locale = crate::i18n::browser_locale()
        .filter(|l| crate::i18n::ready(*l))
        .unwrap_or(Locale::Id);
    let t = texts(locale);
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", locale.tag());
    }
    document().set_title(t.config_error_title);
    view! {
        <main id="main" class="config-error">
            <h1>{t.config_error_title}</h1>
            <p>{t.config_error_body}</p>
        </main>
    }
}
