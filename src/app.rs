//! The app shell: context (configuration, language, backend), the router, header and footer.

use lapor_core::Locale;
use lapor_core::api::Instance;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::api::{ApiError, Backend};
use crate::components::connection::ConnectionNotices;
use crate::components::later::Later;
use crate::components::sent_notices::SentNotices;
use crate::components::{footer::Footer, header::Header};
use crate::config::Config;
use crate::i18n::{I18n, Texts, use_i18n};
use crate::lazy_routes::{
    AccessibilityRoute, FaqRoute, MyReportsRoute, ReportsRoute, SubmitRoute, TrackReportRoute,
};
use crate::pages::track::TrackLookupPage;
use crate::pages::{home::HomePage, not_found::NotFound};
use leptos_router::Lazy;

/// The backend's description of itself, loaded once and shared.
pub type InstanceResource = crate::load::Loaded<Result<Instance, ApiError>>;

#[component]
pub fn App(
    config: Config,
    /// The language the visit starts in (`i18n::start_locale`), its texts fetched by `main`.
    start: Locale,
) -> impl IntoView {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let embed = crate::embed::parse(&search, &config);
    let mut theme = config.theme.clone();
    if embed.accent.is_some() {
        theme.accent = embed.accent.clone();
    }
    crate::theme::apply(&theme);
    if let Some(root) = document().document_element() {
        let classes = root.class_list();
        if embed.embedded {
            let _ = classes.add_1("embedded");
        }
        if embed.transparent {
            let _ = classes.add_1("transparent");
        }
    }
    if let Some(parent) = embed.parent.clone() {
        crate::embed::report_height(parent);
    }
    let i18n = I18n::new(start);
    provide_context(i18n);
    let embedded = embed.embedded;
    let embed_locale = embed.locale;
    provide_context(embed);
    let base = base_path();
    let features = config.features.clone();
    let configured_name = config.name.clone();
    let logo = config.logo.clone();
    let api = Backend::from_config(&config);
    provide_context(api.clone());
    let pwa = crate::pwa::start();
    let outbox = crate::outbox::Outbox::start(api.clone(), pwa.online.into());
    crate::support_queue::flush_on_start_and_online(
        api.clone(),
        pwa.online.into(),
        i18n.locale.into(),
    );
    let warm = std::iter::once("config.json".to_owned())
        .chain(api.instance_url())
        .chain(crate::i18n::ready(Locale::En).then(crate::i18n::english_url))
        .collect();
    // Not needed for the first render: after it, in a task of its own.
    set_timeout(
        move || crate::pwa::register_service_worker(pwa, warm, move || outbox.flush()),
        std::time::Duration::ZERO,
    );
    provide_context(config);
    let instance: InstanceResource = crate::load::Loaded::new(move || {
        let api = api.clone();
        async move { api.instance().await }
    });
    provide_context(instance);

    // Without the embedding site's language, a remembered choice or a deployer's default, the
    // instance's first language wins over the browser's; the browser's only when the instance
    // names none.
    let config_default = expect_context::<Config>().default_locale();
    Effect::new(move |_| {
        if embed_locale.is_some()
            || crate::storage::text(crate::storage::keys::LOCALE).is_some()
            || config_default.is_some()
        {
            return;
        }
        let first = match instance.get() {
            None => return,
            Some(Ok(instance)) => instance.locales.first().and_then(|l| Locale::parse(l)),
            Some(Err(_)) => None,
        };
        if let Some(locale) = first.or_else(crate::i18n::browser_locale) {
            i18n.show(locale);
        }
    });

    // The document's language follows the choice.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", i18n.locale.get().tag());
        }
    });

    let name = Signal::derive(move || match (&configured_name, instance.get()) {
        (Some(name), _) => name.clone(),
        (None, Some(Ok(instance))) => instance.name,
        _ => "Lapor".to_owned(),
    });

    let is_routing = RwSignal::new(false);
    view! {
        <Router base=base set_is_routing=is_routing>
            {(!embedded).then(|| view! { <Header name logo=logo.clone() features=features.clone()/> })}
            <Later>
                <ConnectionNotices/>
                <SentNotices/>
            </Later>
            <FocusOnNavigation/>
            // A page whose code is still on its way (release builds load routes on demand).
            <main id="main" tabindex="-1" aria-busy=move || is_routing.get().then_some("true")>
                // The page in a task of its own after the shell's: two shorter tasks at start.
                // index.html's first paint stays until it is in.
                <Later>
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=HomePage/>
                        <Route path=path!("/lapor") view={Lazy::<SubmitRoute>::new()}/>
                        <Route path=path!("/laporan") view={Lazy::<ReportsRoute>::new()}/>
                        <Route path=path!("/lacak") view=TrackLookupPage/>
                        <Route path=path!("/lacak/:tracking") view={Lazy::<TrackReportRoute>::new()}/>
                        <Route path=path!("/faq") view={Lazy::<FaqRoute>::new()}/>
                        <Route path=path!("/aksesibilitas") view={Lazy::<AccessibilityRoute>::new()}/>
                        <Route path=path!("/laporan-saya") view={Lazy::<MyReportsRoute>::new()}/>
                    </Routes>
                </Later>
            </main>
            {(!embedded).then(|| view! { <Later><Footer/></Later> })}
        </Router>
    }
}

/// The path the portal is served under, from the document's `<base href>`: `""` at the site
/// root, `"/lapor"` under a sub-path. The same build works in both places.
pub fn base_path() -> String {
    document()
        .base_uri()
        .ok()
        .flatten()
        .and_then(|uri| web_sys::Url::new(&uri).ok())
        .map(|url| url.pathname().trim_end_matches('/').to_owned())
        .unwrap_or_default()
}

thread_local! {
    static BASE: String = base_path();
}

/// An in-app link: the router does not prefix absolute `href`s with its base, so links do.
pub fn link(path: &str) -> String {
    BASE.with(|base| format!("{base}{path}"))
}

/// After a navigation inside the app, focus moves to the new page's heading so that screen
/// readers announce it; the first load keeps the browser's own focus.
#[component]
fn FocusOnNavigation() -> impl IntoView {
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            focus_heading_when_ready(FOCUS_WAIT_FRAMES);
        }
        path
    });
}

/// How many frames focus waits for a lazy route's code (about ten seconds).
const FOCUS_WAIT_FRAMES: u32 = 600;

/// Focuses the new page's heading once it is there: while a lazy route's code is on its way
/// `#main` is `aria-busy`, and its heading is still the old page's.
fn focus_heading_when_ready(frames_left: u32) {
    request_animation_frame(move || {
        let busy = document()
            .get_element_by_id("main")
            .is_some_and(|main| main.get_attribute("aria-busy").is_some());
        if busy && frames_left > 0 {
            return focus_heading_when_ready(frames_left - 1);
        }
        if let Ok(Some(heading)) = document().query_selector("#main h1") {
            use wasm_bindgen::JsCast;
            if let Ok(heading) = heading.dyn_into::<web_sys::HtmlElement>() {
                let _ = heading.focus();
            }
        }
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
