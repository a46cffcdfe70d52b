//! The parts of the form that a first look does not need, in one file of their own (split
//! module `report_form`): the fields after what happened (where, to whom, the service's
//! questions, photos, privacy), "check your answers", the confirmation and the outbox a report
//! offline waits in. Only the review leads to the last two, so their code is always here by
//! then (the confirmation's fallback, `SentNumber` and `AccessCode`, is in the page's own file
//! all the same: the access code is shown once). The form fetches the file when the citizen
//! first touches it (focus, pointer or wheel), so by the time a kind is chosen its fields are
//! here, and everything after it is on the device before the connection can drop. A form whose
//! kind is preset (an agency's embed) waits for that touch too: its first look is the kind and
//! what happened, drawn with the form.

use lapor_core::api::{Classification, ReportCreated};
use leptos::prelude::*;

use super::confirmation::Confirmation;
use super::details::FormDetails;
use super::review::Review;
use super::send::Flow;
use crate::components::field::Problems;
use crate::components::outbox_list::OutboxList;
use crate::draft::Draft;
use crate::split::split_point;

split_point!(
    [module report_form]
    pub(super) fn form_details(draft: RwSignal<Draft>, problems: Problems) -> AnyView {
        view! { <FormDetails draft problems/> }.into_any()
    }
);

split_point!(
    [module report_form]
    pub(super) fn review(flow: Flow, on_change: Callback<&'static str>) -> AnyView {
        let (draft, sending, error) = (flow.draft, flow.sending.into(), flow.send_error.into());
        let not_kept = flow.not_kept.into();
        let on_submit = Callback::new(move |()| flow.submit());
        view! { <Review draft sending error not_kept on_change on_submit/> }.into_any()
    }
);

split_point!(
    [module report_form]
    pub(super) fn confirmation(
        created: ReportCreated,
        classification: Classification,
        on_new: Callback<()>,
    ) -> AnyView {
        view! { <Confirmation created classification on_new/> }.into_any()
    }
);

split_point!(
    [module report_form]
    pub(super) fn outbox_list() -> AnyView {
        view! { <OutboxList/> }.into_any()
    }
);
