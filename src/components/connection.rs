//! The connection notices under the header: "you are offline" while the browser says so, and
//! the offer to load a new version once one is installed. Nothing reloads by itself: only the
//! citizen's click does, and the draft is saved on every keystroke before that.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::pwa::{apply_update, use_pwa};

#[component]
pub fn ConnectionNotices() -> impl IntoView {
    let i18n = use_i18n();
    let pwa = use_pwa();
    view! {
        <div role="status" class="connection">
            {move || (!pwa.online.get()).then(|| view! {
                <p class="notice notice--offline">{i18n.t().offline_notice}</p>
            })}
        </div>
        {move || pwa.update_ready.get().then(|| view! {
            <div class="update" role="region" aria-label=i18n.t().update_reload>
                <div class="notice notice--update">
                    <p>{i18n.t().update_ready}</p>
                    <button type="button" class="button button--secondary" on:click=|_| apply_update()>
                        {i18n.t().update_reload}
                    </button>
                </div>
            </div>
        })}
    }
}
