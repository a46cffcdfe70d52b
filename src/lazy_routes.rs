//! Routes whose code a release build loads only when they are visited.
//!
//! Each page below is a `LazyRoute` whose view function is a split point (`crate::split`), so
//! the first visit downloads the shell, the home page and the page it lands on (the start-up
//! script fetches an entry route's files as one bundle beside the main module:
//! `xtask/src/split.rs`), not the form, the tracking page, the public reports list, "my
//! reports", the FAQ and the accessibility statement of the routes it does not show.
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
    ($(#[$doc:meta])* $route:ident, $load:ident $([preload $preload:ident])?, $page:path $(, enabled = $feature:ident)?) => {
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

        split_point!($([preload $preload])? fn $load() -> AnyView { $page().into_any() });
    };
}

lazy_page!(
    /// Reports sent or followed from this device, and the outbox.
    MyReportsRoute, my_reports_view [preload fetch_my_reports_code],
    crate::pages::my_reports::MyReportsPage, enabled = my_reports
);
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

/// Fetches "my reports" ahead of its first visit. The form does when the citizen first touches
/// it: a report that waits in the outbox is then listed there after a reload, even offline.
pub fn prepare_my_reports() {
    leptos::task::spawn_local(async {
        let _ = fetch_my_reports_code().await;
    });
}
