//! One page of the list: the reports with their support buttons, "nothing found" with the
//! way to report it, and the links to the previous and next pages.

use lapor_core::listing::{ListQuery, ReportPage};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::ApiError;
use crate::app::link;
use crate::components::load_error::LoadError;
use crate::components::report_card::ReportCard;
use crate::components::support::SupportButton;
use crate::i18n::{fill, tr, use_i18n};

/// After a page link, the results' heading gets focus (the page itself stays: no navigation
/// focus), so a screen reader hears where it is.
fn focus_results() {
    request_animation_frame(|| {
        crate::components::field::focus_by_id("reports-results");
    });
}

#[component]
pub fn Results(
    query: Signal<ListQuery>,
    page: Signal<Option<Result<ReportPage, ApiError>>>,
    on_retry: Callback<()>,
    /// The in-app URL of a view.
    path_of: Callback<ListQuery, String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let number = move || query.with(|q| q.page.max(1));
    let at_page = move |n: u32| {
        let mut q = query.get();
        q.page = n;
        path_of.run(q)
    };
    view! {
        <section aria-labelledby="reports-results" class="reports">
            <h2 id="reports-results" tabindex="-1">
                {move || fill(i18n.t().reports_page, &[("n", &number().to_string())])}
            </h2>
            {move || match page.get() {
                None => view! { <p role="status">{tr(|t| t.loading)}</p> }.into_any(),
                Some(Err(error)) => view! { <LoadError error on_retry/> }.into_any(),
                Some(Ok(found)) if found.items.is_empty() => view! {
                    <div class="notice reports__empty" role="status">
                        <p>{tr(|t| t.reports_empty)}</p>
                        <p>{tr(|t| t.reports_empty_hint)}</p>
                        <A href=link("/lapor") attr:class="button button--primary">{tr(|t| t.home_report_cta)}</A>
                    </div>
                }.into_any(),
                Some(Ok(found)) => {
                    let (more, current) = (found.more, found.page.max(1));
                    view! {
                        <ul class="report-list">
                            {found.items.into_iter().map(|report| {
                                let tracking = report.tracking_id.to_string();
                                let known = Some(report.supporters);
                                view! {
                                    <li>
                                        <ReportCard report>
                                            <SupportButton tracking known/>
                                        </ReportCard>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <nav class="pagination" aria-label=tr(|t| t.reports_pages)>
                            {(current > 1).then(|| view! {
                                <A href=at_page(current - 1) attr:rel="prev" on:click=move |_| focus_results()>
                                    {tr(|t| t.reports_prev)}
                                </A>
                            })}
                            {more.then(|| view! {
                                <A href=at_page(current + 1) attr:rel="next" on:click=move |_| focus_results()>
                                    {tr(|t| t.reports_next)}
                                </A>
                            })}
                        </nav>
                    }.into_any()
                }
            }}
        </section>
    }
}
