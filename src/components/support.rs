//! "Dukung": one tap supports a public report from this device, a second one withdraws it.
//! The choice is kept and keyed by `crate::support_queue`, so a double tap, a retry or a send
//! queued offline counts once. Nothing on a backend without support (Open311).
//!
//! The button's code (reading and keeping this device's choices) is a file of its own: a
//! report's page and the public list draw at once with the button in place but not yet
//! working, and it works as soon as that file is here (offline before it was ever kept, the
//! count alone is shown).

use leptos::prelude::*;

use crate::api::Backend;
use crate::components::deferred::deferred_or;
use crate::i18n::{fill, use_i18n};
use crate::split::split_point;
use crate::support_queue::{self, shown_count};

/// Taps closer together than this are one (a double tap).
const DOUBLE_TAP_MS: f64 = 500.0;

#[derive(Clone, Copy, PartialEq)]
enum Note {
    None,
    Queued,
    Failed,
}

/// The support button of one report with its count. `known` is the count the page has (a
/// list's), if any.
#[component]
pub fn SupportButton(
    tracking: String,
    #[prop(optional_no_strip)] known: Option<u32>,
) -> impl IntoView {
    if !expect_context::<Backend>().features().support {
        return ().into_any();
    }
    let i18n = use_i18n();
    let count = move || {
        known.map(|n| {
            view! {
                <span class="support__count">{fill(i18n.t().reports_supporters, &[("n", &n.to_string())])}</span>
            }
        })
    };
    deferred_or(
        support_button(tracking, known),
        move || {
            view! {
                <div class="support">
                    <button type="button" class="button button--secondary support__button"
                        aria-disabled="true">
                        {move || i18n.t().support_button}
                    </button>
                    {count}
                    <p class="support__note" role="status"></p>
                </div>
            }
        },
        move || view! { <div class="support">{count}</div> },
    )
    .into_any()
}

split_point!(
    fn support_button(tracking: String, known: Option<u32>) -> AnyView {
        view! { <WorkingSupportButton tracking known/> }.into_any()
    }
);

/// The button once its code is here.
#[component]
fn WorkingSupportButton(tracking: String, known: Option<u32>) -> impl IntoView {
    let api = expect_context::<Backend>();
    let i18n = use_i18n();
    let mine = RwSignal::new(support_queue::of(&tracking));
    let count = RwSignal::new(known);
    let busy = RwSignal::new(false);
    let note = RwSignal::new(Note::None);
    let last_tap = StoredValue::new(f64::NEG_INFINITY);
    let supported = move || mine.with(|m| m.as_ref().is_some_and(|m| m.supported));
    let tracking = StoredValue::new(tracking);
    let api = StoredValue::new(api);
    let on_click = move |_| {
        let now = js_sys::Date::now();
        if busy.get_untracked() || now - last_tap.get_value() < DOUBLE_TAP_MS {
            return;
        }
        last_tap.set_value(now);
        let id = tracking.get_value();
        let want = !supported();
        mine.set(Some(support_queue::choose(
            &id,
            want,
            count.get_untracked(),
        )));
        busy.set(true);
        note.set(Note::None);
        let api = api.get_value();
        let locale = i18n.locale.get_untracked();
        leptos::task::spawn_local(async move {
            let result = support_queue::send(&api, &id, locale).await;
            mine.set(support_queue::of(&id));
            match result {
                Ok(answer) => count.set(Some(answer.supporters)),
                Err(_) if mine.with_untracked(|m| m.as_ref().is_some_and(|m| m.pending)) => {
                    note.set(Note::Queued)
                }
                Err(_) => note.set(Note::Failed),
            }
            busy.set(false);
        });
    };
    let shown = move || mine.with(|m| shown_count(count.get(), m.as_ref(), js_sys::Date::now()));
    view! {
        <div class="support">
            <button type="button" class="button button--secondary support__button"
                class:support__button--on=supported
                aria-disabled=move || busy.get().then_some("true")
                on:click=on_click>
                {move || if supported() { i18n.t().support_undo } else { i18n.t().support_button }}
            </button>
            {move || shown().map(|n| view! {
                <span class="support__count">{fill(i18n.t().reports_supporters, &[("n", &n.to_string())])}</span>
            })}
            <p class="support__note" role="status">
                {move || match note.get() {
                    Note::Queued => Some(i18n.t().support_queued),
                    Note::Failed => Some(i18n.t().support_failed),
                    Note::None => supported().then(|| i18n.t().support_done),
                }}
            </p>
        </div>
    }
}
