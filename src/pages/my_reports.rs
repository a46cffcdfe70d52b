//! `/laporan-saya`: reports sent or looked up on this device, with their last known status,
//! refreshable and removable (every copy). Only numbers, statuses and, for reports made or
//! kept here, access codes and the last view (`lapor_core::device_copy`). Reports whose status
//! changed since the citizen last looked are marked "Diperbarui" (`crate::updates`); opening
//! this page marks them seen.

use lapor_core::Status;
use leptos::prelude::*;

use crate::app::link;
use leptos_router::components::A;

use crate::api::Backend;
use crate::app::use_page_title;
use crate::components::outbox_list::OutboxList;
use crate::i18n::labels::status_text;
use crate::i18n::{tr, use_i18n};
use crate::saved_reports::{self, SavedReport};

#[component]
pub fn MyReportsPage() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(|t| (t.mine_title, t.desc_mine));
    let api = expect_context::<Backend>();
    let list = RwSignal::new(saved_reports::all());
    // A report leaving the outbox joins the list.
    let outbox = crate::outbox::use_outbox();
    Effect::new(move |_| {
        outbox.sent.track();
        list.set(saved_reports::all());
    });
    // Marks shown on this visit: those found before it and by a check while it is open. Seen
    // now, so the next visit (and the home page) no longer shows them.
    let updates = crate::updates::use_updates();
    let shown_updated = RwSignal::new(Vec::<String>::new());
    Effect::new(move |_| {
        let marked = updates.marked.get();
        if marked.is_empty() {
            return;
        }
        shown_updated.update(|shown| {
            shown.extend(marked.iter().map(|r| r.tracking_id.clone()));
        });
        list.set(saved_reports::all());
        for report in &marked {
            saved_reports::mark_seen(&report.tracking_id);
        }
        crate::updates::refresh_marks();
    });
    let refreshing = RwSignal::new(false);
    let refresh = move |_| {
        let api = api.clone();
        refreshing.set(true);
        leptos::task::spawn_local(async move {
            crate::updates::refresh_views(api, list.get_untracked()).await;
            // `remember_view` moves refreshed reports to the top; keep the list's order.
            let fresh = saved_reports::all();
            list.update(|l| {
                for item in l.iter_mut() {
                    if let Some(f) = fresh.iter().find(|f| f.tracking_id == item.tracking_id) {
                        item.last_status = f.last_status.clone();
                    }
                }
            });
            saved_reports::replace(list.get_untracked());
            refreshing.set(false);
        });
    };
    // Every copy goes: the entry, the stored view, and the service worker's cached answers.
    let remove = move |tracking: String| {
        list.update(|l| l.retain(|r| r.tracking_id != tracking));
        leptos::task::spawn_local(async move { saved_reports::forget(&tracking).await });
    };
    view! {
        <h1 tabindex="-1">{tr(|t| t.mine_title)}</h1>
        <p>{tr(|t| t.mine_lead)}</p>
        <OutboxList/>
        {move || if list.with(Vec::is_empty) {
            view! { <p class="notice">{i18n.t().mine_empty}</p> }.into_any()
        } else {
            view! {
                <button type="button" class="button button--secondary" disabled=move || refreshing.get() on:click=refresh.clone()>
                    {tr(|t| t.mine_refresh)}
                </button>
                <ul class="my-reports" aria-busy=move || refreshing.get().to_string()>
                    {move || list.get().into_iter().map(|r: SavedReport| {
                        let tracking = r.tracking_id.clone();
                        let (shown, hidden) = (r.tracking_id.clone(), r.tracking_id.clone());
                        let href = format!("/lacak/{}", crate::api::encode(&tracking));
                        let status = r.last_status.clone().map(|s| Status::from_code(&s));
                        let changed = shown_updated.with(|u| u.contains(&r.tracking_id));
                        view! {
                            <li class="my-report">
                                <A href=link(&href) attr:class="tracking-number">{shown}</A>
                                {changed.then(|| view! {
                                    <span class="badge badge--updated my-report__updated">{tr(|t| t.mine_updated)}</span>
                                })}
                                <span class="my-report__status">{move || match &status {
                                    Some(s) => status_text(i18n.t(), s),
                                    None => i18n.t().mine_unknown_status.to_owned(),
                                }}</span>
                                <button type="button" class="button button--link" on:click=move |_| remove(tracking.clone())>
                                    {tr(|t| t.mine_remove)}
                                    <span class="visually-hidden">" "{hidden}</span>
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}
