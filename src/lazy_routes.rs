//! Routes whose code a release build loads only when they are visited.
//!
//! Each page below is a `LazyRoute`. In release builds its view function is a wasm-split point
//! (`wasm_split_helpers`, re-exported by Leptos), and `cargo xtask` cuts the wasm there, so the
//! first visit downloads the shell and the home page, not the form, the tracking page and the
//! FAQ. Debug builds (`trunk serve`, clippy) link everything into one wasm.
//!
//! A page whose code cannot be fetched (offline before it was ever cached) shows the usual
//! "needs a connection" message with a retry, instead of taking the app down.

use leptos::prelude::*;
use leptos_router::LazyRoute;

use crate::api::ApiError;
use crate::components::load_error::LoadError;
use crate::pages::not_found::NotFound;

/// A page's code could not be fetched.
#[derive(Debug)]
pub struct ChunkMissing;

impl From<leptos::wasm_split::SplitLoaderError> for ChunkMissing {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkMissing
    }
}

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

        #[cfg(not(debug_assertions))]
        #[leptos::wasm_split::wasm_split($load, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $load() -> Result<AnyView, ChunkMissing> {
            Ok($page().into_any())
        }

        #[cfg(debug_assertions)]
        async fn $load() -> Result<AnyView, ChunkMissing> {
            Ok($page().into_any())
        }
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
    /// Questions and answers.
    FaqRoute, faq_view, crate::pages::faq::FaqPage, enabled = faq
);
