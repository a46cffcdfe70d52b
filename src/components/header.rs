use leptos::prelude::*;

use crate::app::link;
use leptos_router::components::A;

use crate::components::field::focus_by_id;
use crate::components::language_switch::LanguageSwitch;
use crate::config::Features;
use crate::i18n::tr;

/// The site header: the name (and logo) from the config or instance, the main menu and the
/// language switch. Not shown in embed mode.
#[component]
pub fn Header(name: Signal<String>, logo: Option<String>, features: Features) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main" on:click=|ev| { ev.prevent_default(); focus_by_id("main"); }>
            {tr(|t| t.skip_to_content)}
        </a>
        <header class="site-header">
            <div class="site-header__inner">
                <A href=link("/") attr:class="site-name">
                    {logo.map(|src| view! { <img class="site-logo" src=src alt="" width="32" height="32"/> })}
                    {move || name.get()}
                </A>
                <LanguageSwitch/>
            </div>
            <nav class="site-nav" aria-label=tr(|t| t.nav_label)>
                <A href=link("/lapor")>{tr(|t| t.nav_report)}</A>
                <A href=link("/lacak")>{tr(|t| t.nav_track)}</A>
                <A href=link("/laporan")>{tr(|t| t.nav_reports)}</A>
                {features.my_reports.then(|| view! { <A href=link("/laporan-saya")>{tr(|t| t.nav_mine)}</A> })}
                {features.faq.then(|| view! { <A href=link("/faq")>{tr(|t| t.nav_faq)}</A> })}
            </nav>
        </header>
    }
}
