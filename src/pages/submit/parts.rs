//! The parts of the form that a first look does not need, in one file of their own (split
//! module `report_form`): the fields after the kind and "check your answers". (The confirmation,
//! which shows the access code once, never waits for a file.) The form fetches the file when the citizen first touches it (focus or
//! pointer), so by the time a kind is chosen its fields are here, and everything after it is
//! on the device before the connection can drop.

use leptos::prelude::*;

use super::details::FormDetails;
use super::review::Review;
use crate::api::ApiError;
use crate::components::field::Problems;
use crate::draft::Draft;
use crate::split::{ChunkMissing, split_point};

split_point!(
    [module report_form]
    fn form_details_code(draft: RwSignal<Draft>, problems: Problems, today: chrono::NaiveDate) -> AnyView {
        view! { <FormDetails draft problems today/> }.into_any()
    }
);

split_point!(
    [module report_form]
    fn review_code(
        draft: RwSignal<Draft>,
        sending: Signal<bool>,
        error: Signal<Option<ApiError>>,
        on_change: Callback<&'static str>,
        on_submit: Callback<()>,
    ) -> AnyView {
        view! { <Review draft sending error on_change on_submit/> }.into_any()
    }
);

pub(super) async fn form_details(
    draft: RwSignal<Draft>,
    problems: Problems,
    today: chrono::NaiveDate,
) -> Result<AnyView, ChunkMissing> {
    form_details_code(draft, problems, today).await
}

pub(super) async fn review(
    draft: RwSignal<Draft>,
    sending: Signal<bool>,
    error: Signal<Option<ApiError>>,
    on_change: Callback<&'static str>,
    on_submit: Callback<()>,
) -> Result<AnyView, ChunkMissing> {
    review_code(draft, sending, error, on_change, on_submit).await
}
