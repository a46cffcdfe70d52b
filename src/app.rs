//! The app shell: context (configuration, language, backend), the router, header and footer.

use lapor_core::api::Instance;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::api::{Api, ApiError};
use crate::components::{footer::Footer, header::Header};
use crate::config::Config;
use crate::i18n::{I18n, Texts, use_i18n};
use crate::pages::my_reports::MyReportsPage;
use crate::pages::track::{TrackLookupPage, TrackReportPage};
use crate::pages::{faq::FaqPage, home::HomePage, not_found::NotFound, submit::SubmitPage};

/// The backend's description of itself, loaded once and shared.
pub type InstanceResource = LocalResource<Result<Instance, ApiError>>;

#[component]
pub fn App(config: Config) -> impl IntoView {
    let i18n = I18n::new(config.default_locale());
    provide_context(i18n);
    let api = Api::new(&config.api_base);
    provide_context(api.clone());
    provide_context(config);
    let instance: InstanceResource = LocalResource::new(move || {
        let api = api.clone();
        async move { api.instance().await }
    });
    provide_context(instance);

    // Without a remembered choice or a deployer's default, the instance's first language wins
    // over the browser's.
    let config_default = expect_context::<Config>().default_locale();
    Effect::new(move |_| {
        if crate::storage::get(crate::i18n::LOCALE_KEY).is_some() || config_default.is_some() {
            return;
        }
        if let Some(Ok(instance)) = instance.get()
            && let Some(locale) = instance
                .locales
                .first()
                .and_then(|l| lapor_core::Locale::parse(l))
        {
            i18n.locale.set(locale);
        }
    });

    // The document's language follows the choice.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", i18n.locale.get().tag());
        }
    });

    let name = Signal::derive(move || match instance.get() {
        Some(Ok(instance)) => instance.name,
        _ => "Lapor".to_owned(),
    });

    view! {
        <Router>
            <Header name/>
            <FocusOnNavigation/>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/lapor") view=SubmitPage/>
                    <Route path=path!("/lacak") view=TrackLookupPage/>
                    <Route path=path!("/lacak/:tracking") view=TrackReportPage/>
                    <Route path=path!("/faq") view=FaqPage/>
                    <Route path=path!("/laporan-saya") view=MyReportsPage/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}

/// After a navigation inside the app, focus moves to the new page's heading so that screen
/// readers announce it; the first load keeps the browser's own focus.
#[component]
fn FocusOnNavigation() -> impl IntoView {
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            request_animation_frame(|| {
                if let Ok(Some(heading)) = document().query_selector("#main h1") {
                    use wasm_bindgen::JsCast;
                    if let Ok(heading) = heading.dyn_into::<web_sys::HtmlElement>() {
                        let _ = heading.focus();
                    }
                }
            });
        }
        path
    });
}

/// Sets the document title ("<page> · <instance name>") and meta description of a page,
/// following the language.
pub fn use_page_title(page: fn(&'static Texts) -> (&'static str, &'static str)) {
    let i18n = use_i18n();
    let instance = expect_context::<InstanceResource>();
    Effect::new(move |_| {
        let site = match instance.get() {
            Some(Ok(instance)) => instance.name,
            _ => "Lapor".to_owned(),
        };
        let (title, description) = page(i18n.t());
        document().set_title(&format!("{title} · {site}"));
        if let Ok(Some(meta)) = document().query_selector("meta[name=description]") {
            let _ = meta.set_attribute("content", description);
        }
    });
}
