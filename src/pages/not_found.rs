use leptos::prelude::*;

use crate::app::link;
use leptos_router::components::A;

use crate::app::use_page_title;
use crate::i18n::use_i18n;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(|t| (t.not_found_title, t.desc_not_found));
    view! {
        <h1 tabindex="-1">{move || i18n.t().not_found_title}</h1>
        <p>{move || i18n.t().not_found_body}</p>
        <p><A href=link("/")>{move || i18n.t().nav_home}</A></p>
    }
}
