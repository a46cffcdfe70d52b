//! `/aksesibilitas`: the accessibility statement — what was tested, known limits, how to get
//! help another way. Each part is the deployer's text from `config.json` (`accessibility`)
//! or the bundled one.

use leptos::prelude::*;

use crate::app::use_page_title;
use crate::components::field::TextOf;
use crate::components::rich_text::RichText;
use crate::config::{Config, Localised};
use crate::i18n::{tr, use_i18n};

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    use_page_title(|t| (t.a11y_title, t.desc_a11y));
    let statement = expect_context::<Config>().accessibility;
    view! {
        <h1 tabindex="-1">{tr(|t| t.a11y_title)}</h1>
        <p>{tr(|t| t.a11y_intro)}</p>
        <Part heading=|t| t.a11y_tested_heading configured=statement.tested bundled=|t| t.a11y_tested_default/>
        <Part heading=|t| t.a11y_limits_heading configured=statement.limits bundled=|t| t.a11y_limits_default/>
        <Part heading=|t| t.a11y_help_heading configured=statement.help bundled=|t| t.a11y_help_default/>
    }
}

/// One part of the statement: the configured text in the reader's language, else the bundled.
#[component]
fn Part(heading: TextOf, configured: Option<Localised>, bundled: TextOf) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || match &configured {
        Some(text) => text.get(i18n.locale.get()).to_owned(),
        None => bundled(i18n.t()).to_owned(),
    };
    view! {
        <section>
            <h2>{move || heading(i18n.t())}</h2>
            {move || view! { <RichText text=text()/> }}
        </section>
    }
}
