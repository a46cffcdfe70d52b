//! The outbox as a list: what waits to be sent and its state (waiting, sending, or refused by
//! the backend with its reason), "send now", and for each report "change" (back into the
//! form, when no other draft is being written) or "delete".

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::app::link;
use crate::i18n::{fill, use_i18n};
use crate::outbox::{Queued, files, use_outbox};
use crate::pages::submit::draft::Draft;

#[component]
pub fn OutboxList() -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let busy_draft = RwSignal::new(false);
    let navigate = use_navigate();
    let edit = move |key: String| {
        if !Draft::load().is_blank() {
            busy_draft.set(true);
            return;
        }
        if let Some(entry) = outbox.take(&key) {
            entry.draft.save();
            navigate(&link("/lapor"), Default::default());
        }
    };
    let delete = move |key: String| {
        if let Some(entry) = outbox.take(&key) {
            leptos::task::spawn_local(async move {
                for file in &entry.draft.queued_files {
                    files::forget(file).await;
                }
            });
        }
    };
    move || {
        (!outbox.entries.with(Vec::is_empty)).then(|| {
            let edit = edit.clone();
            view! {
                <section class="outbox" aria-labelledby="outbox-heading">
                    <h2 id="outbox-heading">{i18n.t().outbox_title}</h2>
                    <p>{i18n.t().outbox_lead}</p>
                    {move || busy_draft.get().then(|| view! {
                        <p class="notice notice--warning" role="alert">{i18n.t().outbox_draft_busy}</p>
                    })}
                    <ul class="my-reports">
                        {outbox.entries.get().into_iter().map(|entry: Queued| {
                            let key = entry.key().to_owned();
                            let (edit_key, delete_key) = (key.clone(), key);
                            let edit = edit.clone();
                            let title = entry.draft.title.trim().to_owned();
                            let title = if title.is_empty() { i18n.t().outbox_untitled.to_owned() } else { title };
                            let files = entry.draft.queued_files.len();
                            let refused = entry.refused.clone();
                            let state = match &refused {
                                Some(reason) => fill(i18n.t().outbox_refused, &[("reason", reason)]),
                                None if outbox.sending.get() => i18n.t().outbox_sending.to_owned(),
                                None => i18n.t().outbox_waiting.to_owned(),
                            };
                            view! {
                                <li class="my-report outbox__item" class:outbox__item--refused=refused.is_some()>
                                    <span class="outbox__title">{title}</span>
                                    <span class="my-report__status">{state}</span>
                                    {(files > 0).then(|| view! {
                                        <span class="hint">{fill(i18n.t().outbox_files, &[("n", &files.to_string())])}</span>
                                    })}
                                    <button type="button" class="button button--link" on:click=move |_| edit(edit_key.clone())>
                                        {i18n.t().outbox_edit}
                                    </button>
                                    <button type="button" class="button button--link" on:click=move |_| delete(delete_key.clone())>
                                        {i18n.t().outbox_remove}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <button type="button" class="button button--secondary" disabled=move || outbox.sending.get()
                        on:click=move |_| outbox.flush()>
                        {i18n.t().outbox_send_now}
                    </button>
                </section>
            }
        })
    }
}
