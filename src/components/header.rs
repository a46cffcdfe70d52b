use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::field::focus_by_id;
use crate::components::language_switch::LanguageSwitch;
use crate::i18n::use_i18n;

/// The site header: the instance's name, the main menu and the language switch.
#[component]
pub fn Header(name: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="skip-link" href="#main" on:click=|ev| { ev.prevent_default(); focus_by_id("main"); }>
            {move || i18n.t().skip_to_content}
        </a>
        <header class="site-header">
            <div class="site-header__inner">
                <A href="/" attr:class="site-name">{move || name.get()}</A>
                <LanguageSwitch/>
            </div>
            <nav class="site-nav" aria-label=move || i18n.t().nav_label>
                <A href="/lapor">{move || i18n.t().nav_report}</A>
                <A href="/lacak">{move || i18n.t().nav_track}</A>
                <A href="/laporan-saya">{move || i18n.t().nav_mine}</A>
                <A href="/faq">{move || i18n.t().nav_faq}</A>
            </nav>
        </header>
    }
}
