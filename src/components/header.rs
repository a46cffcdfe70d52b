use leptos::prelude::*;

use crate::app::link;
use leptos_router::components::A;

use crate::components::field::focus_by_id;
use crate::components::language_switch::LanguageSwitch;
use crate::config::Features;
use crate::i18n::use_i18n;

/// The site header: the name (and logo) from the config or instance, the main menu and the
/// language switch. Not shown in embed mode.
#[component]
pub fn Header(name: Signal<String>, logo: Option<String>, features: Features) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="skip-link" href="#main" on:click=|ev| { ev.prevent_default(); focus_by_id("main"); }>
            {move || i18n.t().skip_to_content}
        </a>
        <header class="site-header">
            <div class="site-header__inner">
                <A href=link("/") attr:class="site-name">
                    {logo.map(|src| view! { <img class="site-logo" src=src alt="" width="32" height="32"/> })}
                    {move || name.get()}
                </A>
                <LanguageSwitch/>
            </div>
            <nav class="site-nav" aria-label=move || i18n.t().nav_label>
                <A href=link("/lapor")>{move || i18n.t().nav_report}</A>
                <A href=link("/lacak")>{move || i18n.t().nav_track}</A>
                {features.my_reports.then(|| view! { <A href=link("/laporan-saya")>{move || i18n.t().nav_mine}</A> })}
                {features.faq.then(|| view! { <A href=link("/faq")>{move || i18n.t().nav_faq}</A> })}
            </nav>
        </header>
    }
}
