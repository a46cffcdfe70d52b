//! "Sudah ada yang melaporkan?": on the form, once the draft has a title and a category or a
//! region, up to three open public reports that look like the same problem, each with its
//! support button, and "Bukan, lanjutkan laporan saya". Never in the way: nothing is
//! required, the draft is never touched.
//!
//! Only the draft's category and region are sent (the public list of open, recent reports
//! there); the title is matched against that list on the device (`core::listing::similar`),
//! so what a citizen writes, public or confidential, never leaves the device for this. The
//! list is fetched again only when the category or region changes, after a pause.
//!
//! The panel's code (the list's types, report cards, support) is a split point of its own
//! (`crate::split`): a release build fetches it only once the draft first has a title and a
//! category or a region, so landing on the form does not download it. When it cannot be
//! fetched (offline) the panel simply does not appear; the form never waits for it.

use std::time::Duration;

use lapor_core::listing::{ListQuery, MAX_PAGE_SIZE, ReportSummary, StatusFilter, similar};
use leptos::prelude::*;

use crate::api::Backend;
use crate::components::report_card::ReportCard;
use crate::components::support::SupportButton;
use crate::draft::Draft;
use crate::i18n::tr;
use crate::split::split_point;

/// How long the draft's category and region must stay put before the list is asked.
const DEBOUNCE: Duration = Duration::from_millis(400);

/// How deep a draft's region is asked: the district (kecamatan, `33.24.15`), so a report
/// filed a village away, or for the district as a whole, is still "the same place".
const REGION_DEPTH: usize = 3;

/// What the public list is asked for a draft: open reports of its category and district, as
/// many as one page holds. `None` until it has a title and a category or a region.
pub fn candidates_query(draft: &Draft) -> Option<ListQuery> {
    let region = draft.region.as_ref().map(|r| {
        r.id.split('.')
            .take(REGION_DEPTH)
            .collect::<Vec<_>>()
            .join(".")
    });
    let category = Some(draft.category_id.trim().to_owned()).filter(|c| !c.is_empty());
    if draft.title.trim().is_empty() || (region.is_none() && category.is_none()) {
        return None;
    }
    Some(ListQuery {
        status: Some(StatusFilter::Open),
        category,
        region,
        page_size: MAX_PAGE_SIZE,
        ..ListQuery::first_page()
    })
}

/// The panel, from its own file once the draft first asks for matches (a failed fetch is
/// tried again when the category or region changes).
#[component]
pub fn SimilarReports(draft: RwSignal<Draft>) -> impl IntoView {
    let asked = Memo::new(move |_| draft.with(candidates_query));
    let panel = StoredValue::new_local(None::<AnyView>);
    let ready = RwSignal::new(false);
    let fetching = StoredValue::new(false);
    // The panel belongs to this component, not to the effect below (whose reruns clean up).
    let owner = Owner::current().expect("a component has an owner");
    Effect::new(move |_| {
        if asked.with(Option::is_none) || fetching.get_value() || ready.get_untracked() {
            return;
        }
        fetching.set_value(true);
        owner.with(|| {
            leptos::task::spawn_local_scoped_with_cancellation(async move {
                if let Ok(view) = similar_reports_panel(draft).await {
                    panel.set_value(Some(view));
                    ready.set(true);
                }
                fetching.set_value(false);
            });
        });
    });
    move || {
        ready
            .get()
            .then(|| panel.try_update_value(Option::take).flatten())
    }
}

split_point!(
    fn similar_reports_panel(draft: RwSignal<Draft>) -> AnyView {
        view! { <SimilarReportsPanel draft/> }.into_any()
    }
);

#[component]
fn SimilarReportsPanel(draft: RwSignal<Draft>) -> impl IntoView {
    let api = StoredValue::new(expect_context::<Backend>());
    let asked = Memo::new(move |_| draft.with(candidates_query));
    // The list for the query last answered, and the queries the citizen said "no" to.
    let candidates = RwSignal::new(None::<(ListQuery, Vec<ReportSummary>)>);
    let dismissed = RwSignal::new(Vec::<ListQuery>::new());
    let generation = StoredValue::new(0u32);
    Effect::new(move |_| {
        let Some(query) = asked.get() else {
            return;
        };
        if candidates.with_untracked(|c| c.as_ref().is_some_and(|(q, _)| *q == query)) {
            return;
        }
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        set_timeout(
            move || {
                if generation.get_value() != mine {
                    return;
                }
                let api = api.get_value();
                leptos::task::spawn_local(async move {
                    // A list that cannot be had (offline) shows nothing: never in the way.
                    let found = api.list_reports(&query).await.map(|p| p.items);
                    if generation.get_value() == mine {
                        candidates.set(Some((query, found.unwrap_or_default())));
                    }
                });
            },
            DEBOUNCE,
        );
    });
    let shown = Memo::new(move |_| {
        let query = asked.get()?;
        if dismissed.with(|d| d.contains(&query)) {
            return None;
        }
        let title = draft.with(|d| d.title.clone());
        candidates.with(|c| {
            let (for_query, list) = c.as_ref()?;
            let found: Vec<ReportSummary> = similar(&title, list).into_iter().cloned().collect();
            (*for_query == query && !found.is_empty()).then_some(found)
        })
    });
    let dismiss = move |_| {
        if let Some(query) = asked.get_untracked() {
            dismissed.update(|d| d.push(query));
        }
        crate::components::field::focus_by_id("category");
    };
    view! {
        <div aria-live="polite">
            {move || shown.get().map(|found| view! {
                <section class="similar notice" aria-labelledby="similar-heading">
                    <h2 id="similar-heading">{tr(|t| t.similar_heading)}</h2>
                    <p>{tr(|t| t.similar_lead)}</p>
                    <ul class="report-list">
                        {found.into_iter().map(|report| {
                            let tracking = report.tracking_id.to_string();
                            let known = Some(report.supporters);
                            view! { <li><ReportCard report level=3><SupportButton tracking known/></ReportCard></li> }
                        }).collect_view()}
                    </ul>
                    <button type="button" class="button button--secondary" on:click=dismiss>
                        {tr(|t| t.similar_continue)}
                    </button>
                </section>
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lapor_core::api::{Region, RegionLevel};

    fn draft(title: &str, category: &str, region: Option<&str>) -> Draft {
        Draft {
            title: title.into(),
            body: "Isi yang tidak pernah dikirim untuk pencocokan.".into(),
            category_id: category.into(),
            region: region.map(|id| Region {
                id: id.into(),
                name: "Penyangkringan".into(),
                level: RegionLevel::from_depth(4),
                parents: Vec::new(),
            }),
            ..Draft::default()
        }
    }

    #[test]
    fn only_the_category_and_district_are_asked_once_there_is_a_title() {
        assert_eq!(candidates_query(&draft("", "infrastruktur", None)), None);
        assert_eq!(candidates_query(&draft("Lampu mati", "", None)), None);
        let query =
            candidates_query(&draft("Lampu mati", "infrastruktur", Some("33.24.15.2001"))).unwrap();
        assert_eq!(
            query.to_query_string(),
            "status=open&category=infrastruktur&region=33.24.15&page_size=50"
        );
        let by_place = candidates_query(&draft("Lampu mati", " ", Some("33.24"))).unwrap();
        assert_eq!(
            by_place.to_query_string(),
            "status=open&region=33.24&page_size=50"
        );
    }
}
