use leptos::prelude::*;

use crate::app::use_page_title;
use crate::i18n::use_i18n;

#[component]
pub fn SubmitPage() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(move || i18n.t().submit_title);
    view! {
        <h1 tabindex="-1">{move || i18n.t().submit_title}</h1>
        <p>{move || i18n.t().submit_lead}</p>
    }
}
