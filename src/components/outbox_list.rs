//! The outbox as a list: what waits to be sent and its state (waiting, sending, the backend
//! busy, refused by the backend with what to change, or no longer retried after the retry
//! window), "send now", "try again", and for each report "change" (back into the form, when
//! no other draft is being written) or "delete".

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::app::link;
use crate::components::field::field_label;
use crate::draft::Draft;
use crate::i18n::{fill, use_i18n};
use crate::outbox::{Queued, State, files, use_outbox};

/// The agency's other channels, when the instance names any: a way to be heard while its
/// server fails.
fn other_channels() -> impl IntoView {
    let i18n = use_i18n();
    let instance = expect_context::<crate::app::InstanceResource>();
    move || {
        let channels = instance.get().and_then(Result::ok)?.channels;
        (!channels.is_empty()).then(|| {
            view! {
                <div class="outbox__channels">
                    <span>{i18n.t().outbox_other_channels}</span>
                    <ul>
                        {channels.into_iter().map(|c| view! {
                            <li>{format!("{}: {}", c.label, c.value)}</li>
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

#[component]
pub fn OutboxList() -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    // What waits, as the device holds it now (the app reads it only when something is sent).
    outbox.refresh();
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
                for file in &entry.draft.kept_files() {
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
                            let t = i18n.t();
                            let key = entry.key().to_owned();
                            let (edit_key, delete_key, again_key) = (key.clone(), key.clone(), key);
                            let edit = edit.clone();
                            let title = entry.draft.title.trim().to_owned();
                            let title = if title.is_empty() { t.outbox_untitled.to_owned() } else { title };
                            let files = entry.draft.queued_files.len();
                            let missing = entry.draft.missing_files.join(", ");
                            let state = entry.state(js_sys::Date::now());
                            let text = match state {
                                // What to change, field by field, when the backend said.
                                State::Refused if !entry.refused_fields.is_empty() => t.outbox_refused_fields.to_owned(),
                                State::Refused => {
                                    let reason = entry.refused.clone().filter(|r| !r.trim().is_empty());
                                    fill(t.outbox_refused, &[("reason", reason.as_deref().unwrap_or(t.outbox_incomplete))])
                                }
                                State::Expired => fill(t.outbox_expired, &[("days", &lapor_core::retention::RETRY_WINDOW_DAYS.to_string())]),
                                _ if outbox.sending.get() => t.outbox_sending.to_owned(),
                                State::Busy(_) => t.outbox_busy.to_owned(),
                                State::ServerProblem(_) => fill(t.outbox_server_problem, &[("n", &entry.server_faults.to_string())]),
                                State::Ready => t.outbox_waiting.to_owned(),
                            };
                            let fields = entry.refused_fields.iter().map(|f| {
                                let label = field_label(t, &f.field).unwrap_or(&f.field);
                                view! { <li>{format!("{label}: {}", f.message)}</li> }
                            }).collect_view();
                            view! {
                                <li class="my-report outbox__item" class:outbox__item--refused=matches!(state, State::Refused | State::Expired)>
                                    <span class="outbox__title">{title}</span>
                                    <span class="my-report__status">{text}</span>
                                    {(!entry.refused_fields.is_empty()).then(|| view! { <ul class="outbox__fields">{fields}</ul> })}
                                    {matches!(state, State::ServerProblem(_)).then(other_channels)}
                                    {(files > 0).then(|| view! {
                                        <span class="hint">{fill(t.outbox_files, &[("n", &files.to_string())])}</span>
                                    })}
                                    {(!missing.is_empty()).then(|| view! {
                                        <span class="hint" role="status">{fill(t.outbox_files_missing, &[("names", &missing)])}</span>
                                    })}
                                    {(state == State::Expired).then(|| view! {
                                        <button type="button" class="button button--link" on:click=move |_| outbox.try_again(&again_key)>
                                            {t.outbox_try_again}
                                        </button>
                                    })}
                                    <button type="button" class="button button--link" on:click=move |_| edit(edit_key.clone())>
                                        {t.outbox_edit}
                                    </button>
                                    <button type="button" class="button button--link" on:click=move |_| delete(delete_key.clone())>
                                        {t.outbox_remove}
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
