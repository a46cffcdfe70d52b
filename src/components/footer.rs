use leptos::prelude::*;

use crate::app::link;
use crate::config::Config;
use crate::i18n::tr;

/// The footer: what the portal is, the configured contact channel, and the data attribution.
#[component]
pub fn Footer() -> impl IntoView {
    let contact = expect_context::<Config>().contact;
    view! {
        <footer class="site-footer">
            {contact.map(|c| {
                let href = c.link.clone().unwrap_or_default();
                view! { <p class="contact"><a href=href>{format!("{}: {}", c.label, c.value)}</a></p> }
            })}
            <p><a href=link("/aksesibilitas")>{tr(|t| t.footer_accessibility)}</a></p>
            <p>{tr(|t| t.footer_note)}</p>
        </footer>
    }
}
