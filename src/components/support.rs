//! "Dukung": one tap supports a public report from this device, a second one withdraws it.
//! The choice is kept and keyed by `crate::support_queue`, so a double tap, a retry or a send
//! queued offline counts once. Nothing on a backend without support (Open311).
//!
//! The button's code (reading and keeping this device's choices) is a file of its own,
//! fetched at once only by a device that supports some report (to show its choice), else
//! when the button is first pressed; that press then counts. Offline before the file was ever
//! kept, a press says that supporting needs a connection, and the next press tries again.

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
    // A device that supports reports needs the code at once, to show its choices; any other
    // fetches it when the button is first pressed, and the press then counts.
    let kept = support_queue::any_kept();
    let pressed = RwSignal::new(false);
    let attempt = RwSignal::new(0_u32);
    let count = move || {
        known.map(|n| {
            view! {
                <span class="support__count">{fill(i18n.t().reports_supporters, &[("n", &n.to_string())])}</span>
            }
        })
    };
    // The button before its code is here: pressing it fetches the code (again, after a
    // failure), which then does what the press asked.
    let stand_in = move |missing: bool| {
        view! {
            <div class="support">
                <button type="button" class="button button--secondary support__button"
                    aria-disabled=move || (pressed.get() && !missing).then_some("true")
                    on:click=move |_| {
                        if !pressed.get_untracked() {
                            pressed.set(true);
                        } else if missing {
                            attempt.update(|a| *a += 1);
                        }
                    }>
                    {move || i18n.t().support_button}
                </button>
                {count}
                <p class="support__note" role="status">
                    {missing.then(|| i18n.t().support_needs_network)}
                </p>
            </div>
        }
    };
    let tracking = StoredValue::new(tracking);
    (move || {
        attempt.track();
        if !kept && !pressed.get() {
            return stand_in(false).into_any();
        }
        let act_now = pressed.get_untracked();
        deferred_or(
            support_button(tracking.get_value(), known, act_now),
            move || stand_in(false),
            move || stand_in(true),
        )
        .into_any()
    })
    .into_any()
}

split_point!(
    fn support_button(tracking: String, known: Option<u32>, act_now: bool) -> AnyView {
        view! { <WorkingSupportButton tracking known act_now/> }.into_any()
    }
);

/// The button once its code is here.
#[component]
fn WorkingSupportButton(
    tracking: String,
    known: Option<u32>,
    /// The stand-in was pressed: the press counts now.
    act_now: bool,
) -> impl IntoView {
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
    let toggle = move || {
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
    if act_now {
        toggle();
    }
    let shown = move || mine.with(|m| shown_count(count.get(), m.as_ref(), js_sys::Date::now()));
    view! {
        <div class="support">
            <button type="button" class="button button--secondary support__button"
                class:support__button--on=supported
                aria-disabled=move || busy.get().then_some("true")
                on:click=move |_| toggle()>
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
