use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::{tr, use_i18n};

/// A failed load: what went wrong in the visitor's language, and a retry.
#[component]
pub fn LoadError(error: ApiError, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let pwa = crate::pwa::use_pwa();
    let message = move || match &error {
        ApiError::Network if !pwa.online.get() => i18n.t().offline_needs_network,
        ApiError::Network => i18n.t().error_network,
        ApiError::NotFound => i18n.t().track_not_found,
        ApiError::Problem(_) => i18n.t().error_server,
        ApiError::Busy { .. } => i18n.t().error_busy,
    };
    view! {
        <div class="notice notice--error" role="alert">
            <p>{message}</p>
            <button type="button" class="button button--secondary" on:click=move |_| on_retry.run(())>
                {tr(|t| t.retry)}
            </button>
        </div>
    }
}
