//! `/lacak` and `/lacak/:tracking`: find a report by its number and follow it.

mod actions;
mod device;
mod photos;
mod summary;
mod timeline;

use lapor_core::api::ReportView;
use lapor_core::device_copy::device_copy;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{ApiError, Backend};
use crate::app::use_page_title;
use crate::components::deferred::deferred;
use crate::components::later::Later;
use crate::components::load_error::LoadError;
use crate::components::support::SupportButton;
use crate::components::tracking_form::{TrackingForm, tracking_error_text};
use crate::i18n::{fill, tr, use_i18n};
use crate::saved_reports::{self, fetched_label, remember_view};
use crate::split::split_point;
use actions::{AccessForm, Actions};
use device::DeviceCopyChoice;
use summary::ReportSummary;
use timeline::Timeline;

#[component]
pub fn TrackLookupPage() -> impl IntoView {
    use_page_title(|t| (t.track_title, t.desc_track));
    view! {
        <h1 tabindex="-1">{tr(|t| t.track_title)}</h1>
        <TrackingForm id="tracking"/>
    }
}

/// `/lacak/:tracking`: the report's status, deadline and history.
#[component]
pub fn TrackReportPage() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(|t| (t.track_title, t.desc_track));
    let params = use_params_map();
    let api = expect_context::<Backend>();
    let number_of = {
        let api = api.clone();
        move |typed: &str| api.report_number(typed)
    };
    let tracking =
        Memo::new(move |_| number_of(&params.read().get("tracking").unwrap_or_default()));
    // Codes of reports made on this device are used automatically.
    let saved_code = move |t: &Result<String, _>| {
        t.as_ref()
            .ok()
            .and_then(|id| saved_reports::access_code(id))
    };
    let code = RwSignal::new(saved_code(&tracking.get_untracked()));
    let wrong_code = RwSignal::new(false);
    // Another number in the same page (a link from "my reports"): its own saved code.
    Effect::new(move |first: Option<()>| {
        let t = tracking.get();
        if first.is_some() {
            code.set(saved_code(&t));
        }
    });
    let report = crate::load::Loaded::new(move || {
        let api = api.clone();
        let tracking = tracking.get();
        let code = code.get();
        async move {
            let id = tracking.ok()?;
            let result = api.report(&id, code.as_deref()).await;
            Some((id, result))
        }
    });
    // What an answer changes on this device happens once per answer, not on every render.
    Effect::new(move |_| match report.get().flatten() {
        Some((_, Ok(view))) => remember_view(&view, code.get_untracked()),
        Some((_, Err(ApiError::Problem(p)))) if p.status == 403 => {
            // A wrong code: say so, and show what the number alone may show.
            wrong_code.set(true);
            code.set(None);
        }
        _ => {}
    });
    let loaded = move || {
        let (id, result) = report.get()??;
        Some(match result {
            Ok(view) => Ok(view),
            Err(ApiError::Problem(p)) if p.status == 403 => return None,
            Err(error) => Err((error, saved_reports::stored_view(&id))),
        })
    };
    let on_view = Callback::new(move |(view, new_code): (ReportView, Option<String>)| {
        if new_code.is_some() {
            wrong_code.set(false);
            code.set(new_code);
        } else {
            remember_view(&view, code.get_untracked());
            report.refetch();
        }
    });
    view! {
        <h1 tabindex="-1">{tr(|t| t.track_title)}</h1>
        {move || match tracking.get() {
            Err(e) => view! {
                <p class="notice notice--error" role="alert">{tracking_error_text(i18n.t(), e)}</p>
                <TrackingForm id="tracking"/>
            }.into_any(),
            Ok(_) => match loaded() {
                None => view! { <p role="status">{i18n.t().loading}</p> }.into_any(),
                Some(Ok(view)) => view! {
                    <ReportDetails view code=code.into() wrong_code=wrong_code.into() on_view
                        on_refresh=Callback::new(move |()| report.refetch())/>
                }.into_any(),
                Some(Err((ApiError::NotFound, _))) => view! {
                    <p class="notice notice--error" role="alert">{i18n.t().track_not_found}</p>
                    <TrackingForm id="tracking"/>
                }.into_any(),
                Some(Err((error, cached))) => view! {
                    <LoadError error on_retry=move |_| report.refetch()/>
                    {cached.map(|c| view! {
                        <p class="notice">{move || fill(i18n.t().track_offline_copy, &[("time", &fetched_label(&c.fetched_at, i18n.locale.get()))])}</p>
                        <ReportSummary report=c.view.clone()/>
                        <Timeline events=c.view.events.clone()/>
                    })}
                }.into_any(),
            },
        }}
    }
}

#[component]
fn ReportDetails(
    view: ReportView,
    code: Signal<Option<String>>,
    wrong_code: Signal<bool>,
    on_view: Callback<(ReportView, Option<String>)>,
    on_refresh: Callback<()>,
) -> impl IntoView {
    // Backends without access codes (Open311) have no confidential details, replies or ratings.
    let actions = expect_context::<Backend>().features().reporter_actions;
    let needs_code = actions && code.get_untracked().is_none();
    // Something of this report is, or could be, kept on this device: the citizen decides.
    let device_choice = actions
        && (code.get_untracked().is_some()
            || saved_reports::is_kept(&view.tracking_id.to_string())
            || device_copy(view.confidential, false).listed);
    view! {
        <ReportSummary report=view.clone()/>
        // Support ("dukung") only for a report anyone may see: never a confidential one.
        {(!view.confidential).then(|| view! { <SupportButton tracking=view.tracking_id.to_string() known=view.supporters/> })}
        <button type="button" class="button button--secondary" on:click=move |_| on_refresh.run(())>
            {tr(|t| t.track_refresh)}
        </button>
        // Below the status and deadline: drawn a task later, so a first visit's render is two
        // short tasks rather than one long one.
        <Later>
            {needs_code.then(|| view! {
                <AccessForm tracking=view.tracking_id.to_string() confidential=view.confidential wrong=wrong_code on_view/>
            })}
            <Timeline events=view.events.clone()/>
            {code.get_untracked().filter(|_| actions).map(|code| view! { <ReporterActions report=view.clone() code on_view/> })}
            {device_choice.then(|| view! { <DeviceCopyChoice view=view.clone() code/> })}
        </Later>
    }
}

/// What the reporter can do with the access code (reply, rate, say it is not resolved), from a
/// file of its own: most visitors of a report come by a shared link, without the code, and
/// never download it. Offline before that file was ever kept, a notice says why it is missing;
/// refreshing the report tries again.
#[component]
fn ReporterActions(
    report: ReportView,
    code: String,
    on_view: Callback<(ReportView, Option<String>)>,
) -> impl IntoView {
    deferred(reporter_actions(report, code, on_view), || {
        view! { <p class="notice" role="status">{tr(|t| t.track_actions_need_network)}</p> }
    })
}

split_point!(
    fn reporter_actions(
        report: ReportView,
        code: String,
        on_view: Callback<(ReportView, Option<String>)>,
    ) -> AnyView {
        view! { <Actions report code on_view/> }.into_any()
    }
);
