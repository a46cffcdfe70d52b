//! Routes whose code a release build loads only when they are visited.
//!
//! Each page below is a `LazyRoute` whose view function is a split point (`crate::split`), so
//! the first visit downloads the shell and the home page, not the form, the tracking page,
//! the public reports list, the FAQ and the accessibility statement.
//!
//! A page whose code cannot be fetched (offline before it was ever cached) shows the usual
//! "needs a connection" message with a retry, instead of taking the app down.

use leptos::prelude::*;
use leptos_router::LazyRoute;

use crate::api::ApiError;
use crate::components::load_error::LoadError;
use crate::pages::not_found::NotFound;
use crate::split::{ChunkMissing, split_point};

fn page_or_retry(page: Result<AnyView, ChunkMissing>) -> AnyView {
    page.unwrap_or_else(|ChunkMissing| {
        view! {
            <LoadError
                error=ApiError::Network
                on_retry=move |()| {
                    let _ = window().location().reload();
                }
            />
        }
        .into_any()
    })
}

macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident, $load:ident, $page:path $(, enabled = $feature:ident)?) => {
        $(#[$doc])*
        pub struct $route {
            enabled: bool,
        }

        impl LazyRoute for $route {
            fn data() -> Self {
                let enabled = true;
                $(let enabled = enabled
                    && use_context::<crate::config::Config>()
                        .is_none_or(|config| config.features.$feature);)?
                Self { enabled }
            }

            async fn view(this: Self) -> AnyView {
                if this.enabled {
                    page_or_retry($load().await)
                } else {
                    NotFound().into_any()
                }
            }
        }

        split_point!(fn $load() -> AnyView { $page().into_any() });
    };
}

lazy_page!(
    /// The report form.
    SubmitRoute, submit_view, crate::pages::submit::SubmitPage
);
lazy_page!(
    /// One report's tracking page.
    TrackReportRoute, track_report_view, crate::pages::track::TrackReportPage
);
lazy_page!(
    /// The public reports list.
    ReportsRoute, reports_view, crate::pages::reports::ReportsPage
);
lazy_page!(
    /// Questions and answers.
    FaqRoute, faq_view, crate::pages::faq::FaqPage, enabled = faq
);
lazy_page!(
    /// The accessibility statement.
    AccessibilityRoute, accessibility_view, crate::pages::accessibility::AccessibilityPage
);
