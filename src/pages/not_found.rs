use leptos::prelude::*;

use crate::app::link;
use leptos_router::components::A;

use crate::app::use_page_title;
use crate::i18n::tr;

#[component]
pub fn NotFound() -> impl IntoView {
    use_page_title(|t| (t.not_found_title, t.desc_not_found));
    view! {
        <h1 tabindex="-1">{tr(|t| t.not_found_title)}</h1>
        <p>{tr(|t| t.not_found_body)}</p>
        <p><A href=link("/")>{tr(|t| t.nav_home)}</A></p>
    }
}
