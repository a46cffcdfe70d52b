//! "Your report has been sent": shown wherever the citizen is when a report leaves the
//! outbox, with its tracking number, until dismissed.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::link;
use crate::i18n::{fill, use_i18n};
use crate::outbox::use_outbox;

#[component]
pub fn SentNotices() -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    view! {
        <div role="status" class="sent-notices">
            {move || outbox.sent.get().into_iter().map(|sent| {
                let tracking = sent.created.tracking_id.to_string();
                let href = link(&format!("/lacak/{tracking}"));
                let key = sent.key.clone();
                let title = if sent.title.is_empty() { i18n.t().outbox_untitled.to_owned() } else { sent.title.clone() };
                view! {
                    <div class="notice notice--success">
                        <p>
                            {fill(i18n.t().sent_notice, &[("title", &title)])}" "
                            <A href=href attr:class="tracking-number">{tracking}</A>
                        </p>
                        <button type="button" class="button button--link"
                            on:click=move |_| outbox.sent.update(|s| s.retain(|x| x.key != key))>
                            {i18n.t().dismiss}
                        </button>
                    </div>
                }
            }).collect_view()}
        </div>
    }
}
