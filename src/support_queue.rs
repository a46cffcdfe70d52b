//! Support ("dukung") from this device: which public reports it supports, each with its own
//! random key, and the choices the server does not have yet.
//!
//! The key is the device's identity for that one report: it is sent as the `Idempotency-Key`
//! of every `PUT`/`DELETE …/support`, so a double tap, a retry or a queued send counts once,
//! and no two reports' supports can be linked to one device. A choice made offline (or when
//! the request failed on the way) stays `pending` in `localStorage` and is sent on app start
//! and when the connection comes back; the outbox (`crate::outbox`) is for reports only.

use std::collections::BTreeMap;

use lapor_core::Locale;
use lapor_core::listing::Support;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::{ApiError, Backend};
use crate::split::split_point;
use crate::storage::{self, keys};

/// This device's support of one report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Supported {
    /// The device's key for this report (sent as the `Idempotency-Key`).
    pub key: String,
    /// What the citizen chose last.
    pub supported: bool,
    /// The server does not have that choice yet: sent on the next flush.
    #[serde(default)]
    pub pending: bool,
    /// Whether the server's last answer counted this device (so a known count includes it).
    #[serde(default)]
    pub counted: bool,
    /// The count the server last answered, and when (ms since the epoch).
    #[serde(default)]
    pub supporters: Option<u32>,
    #[serde(default)]
    pub answered_at: f64,
}

/// How old a list's counts may be: the native list is cacheable for 30 s
/// (`Cache-Control: max-age=30`), so a device's own answer younger than this is fresher.
const LIST_MAX_AGE_MS: f64 = 60_000.0;

/// Marks a kept value with a choice to send; what `flush_on_start_and_online` looks for
/// without reading the JSON (that code is fetched only when something is waiting).
const PENDING_MARK: &str = "\"pending\":true";

fn load() -> BTreeMap<String, Supported> {
    storage::persisted(keys::SUPPORTS)
        .load()
        .unwrap_or_default()
}

fn save(all: &BTreeMap<String, Supported>) {
    storage::persisted(keys::SUPPORTS).save(all);
}

/// Whether this device keeps any support choice (read without the JSON code: the support
/// button's code is fetched at once only then, else when the button is first pressed).
pub fn any_kept() -> bool {
    storage::text(keys::SUPPORTS).is_some_and(|kept| !matches!(kept.trim(), "" | "{}"))
}

/// This device's support of `tracking`, if it ever supported it.
pub fn of(tracking: &str) -> Option<Supported> {
    load().remove(tracking)
}

/// The count to show at `now`: the fresher of the view's (`known`, from a list that may be
/// cached) and the device's last answer, corrected by a choice the server has not counted yet.
pub fn shown_count(known: Option<u32>, mine: Option<&Supported>, now: f64) -> Option<u32> {
    let Some(mine) = mine else {
        return known;
    };
    let answered_lately = now - mine.answered_at < LIST_MAX_AGE_MS;
    let base = if answered_lately {
        mine.supporters.or(known)?
    } else {
        known.or(mine.supporters)?
    };
    Some(match (mine.supported, mine.counted) {
        (true, false) => base + 1,
        (false, true) => base.saturating_sub(1),
        _ => base,
    })
}

/// Records the citizen's choice for `tracking` (a new key on the first one), to be sent.
pub fn choose(tracking: &str, supported: bool, known: Option<u32>) -> Supported {
    let mut all = load();
    let entry = all.entry(tracking.to_owned()).or_insert_with(|| Supported {
        key: crate::api::new_idempotency_key(),
        supported: false,
        pending: false,
        counted: false,
        supporters: known,
        answered_at: 0.0,
    });
    entry.supported = supported;
    entry.pending = true;
    let chosen = entry.clone();
    save(&all);
    chosen
}

/// Whether a failed send is tried again later (no connection, a busy or failing server).
fn worth_retrying(error: &ApiError) -> bool {
    matches!(error, ApiError::Network | ApiError::Busy { .. }) || error.is_server_fault()
}

/// Records the server's answer to a send in the device's entry, as it is now (another tap or
/// tab may have changed it meanwhile): done, still waiting, or refused (then the device no
/// longer claims to support it).
///
/// The choice stays pending while the server's state is not the latest choice: two sends of
/// one report can overlap (the flush when the connection returns, and a tap), and the answer
/// to the earlier request may arrive last.
fn record(entry: &mut Supported, result: &Result<Support, ApiError>, now: f64) {
    match result {
        Ok(answer) => {
            entry.supporters = Some(answer.supporters);
            entry.answered_at = now;
            entry.counted = answer.supported;
            entry.pending = entry.supported != answer.supported;
        }
        Err(error) if worth_retrying(error) => {}
        Err(_) => {
            entry.pending = false;
            entry.supported = entry.counted;
        }
    }
}

/// How many times one call sends again when an answer left the server behind the latest
/// choice (see [`record`]); beyond that, the next flush does.
const RESENDS: usize = 2;

/// Sends the choice kept for `tracking` and records the answer ([`record`]).
pub async fn send(api: &Backend, tracking: &str, locale: Locale) -> Result<Support, ApiError> {
    let mut resends = 0;
    loop {
        let Some(sent) = of(tracking) else {
            return Err(ApiError::NotFound);
        };
        let result = api
            .support(tracking, sent.supported, &sent.key, locale)
            .await;
        let mut all = load();
        let behind = all.get_mut(tracking).is_some_and(|entry| {
            record(entry, &result, js_sys::Date::now());
            result.is_ok() && entry.pending
        });
        save(&all);
        if !behind || resends == RESENDS {
            return result;
        }
        resends += 1;
    }
}

split_point!(
    /// Sends every choice still waiting, one report at a time; stops at the first failure
    /// worth retrying (the connection is gone again).
    fn send_pending(api: Backend, locale: Locale) -> std::pin::Pin<Box<dyn Future<Output = ()>>> {
        Box::pin(async move {
            let waiting: Vec<String> = load()
                .into_iter()
                .filter(|(_, s)| s.pending)
                .map(|(tracking, _)| tracking)
                .collect();
            for tracking in waiting {
                if let Err(error) = send(&api, &tracking, locale).await
                    && worth_retrying(&error)
                {
                    break;
                }
            }
        }) as std::pin::Pin<Box<dyn Future<Output = ()>>>
    }
);

/// Sends waiting supports now, when there are any (the sending code is fetched only then).
pub fn flush(api: Backend, locale: Locale) {
    if !storage::text(keys::SUPPORTS).is_some_and(|kept| kept.contains(PENDING_MARK)) {
        return;
    }
    leptos::task::spawn_local(async move {
        if let Ok(sending) = send_pending(api, locale).await {
            sending.await;
        }
    });
}

/// On app start and whenever the connection comes back, sends what waits.
pub fn flush_on_start_and_online(api: Backend, online: Signal<bool>, locale: Signal<Locale>) {
    if !api.features().support {
        return;
    }
    Effect::new(move |_| {
        if online.get() {
            flush(api.clone(), locale.get_untracked());
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answered at 1,000,000 ms.
    fn mine(supported: bool, counted: bool, supporters: Option<u32>) -> Supported {
        Supported {
            key: "k".into(),
            supported,
            pending: supported != counted,
            counted,
            supporters,
            answered_at: 1_000_000.0,
        }
    }

    #[test]
    fn the_count_shown_includes_a_choice_not_yet_sent_once() {
        let later = 1_000_000.0 + 2.0 * LIST_MAX_AGE_MS;
        assert_eq!(shown_count(Some(4), None, later), Some(4));
        assert_eq!(shown_count(None, None, later), None);
        // Supported offline: the server's 4 does not include it yet.
        let offline = Supported {
            answered_at: 0.0,
            ..mine(true, false, None)
        };
        assert_eq!(shown_count(Some(4), Some(&offline), later), Some(5));
        // Counted by the server: its answer already includes it; the fresher count wins.
        let counted = mine(true, true, Some(5));
        assert_eq!(shown_count(Some(9), Some(&counted), later), Some(9));
        assert_eq!(shown_count(None, Some(&counted), later), Some(5));
        // Withdrawn offline after being counted.
        let withdrawn = mine(false, true, Some(5));
        assert_eq!(shown_count(Some(5), Some(&withdrawn), later), Some(4));
        let withdrawn = mine(false, true, Some(0));
        assert_eq!(shown_count(None, Some(&withdrawn), later), Some(0));
    }

    #[test]
    fn a_fresh_answer_beats_a_list_that_may_be_cached() {
        // The list (cached before the tap) says 0; the device's answer a moment ago said 1.
        let counted = mine(true, true, Some(1));
        let just_now = 1_000_000.0 + 5_000.0;
        assert_eq!(shown_count(Some(0), Some(&counted), just_now), Some(1));
        let later = 1_000_000.0 + 2.0 * LIST_MAX_AGE_MS;
        assert_eq!(shown_count(Some(3), Some(&counted), later), Some(3));
    }

    #[test]
    fn a_kept_choice_is_found_by_its_mark() {
        let mut all = BTreeMap::new();
        all.insert("K7M-2QX-9PD".to_owned(), mine(true, false, None));
        let json = serde_json::to_string(&all).unwrap();
        assert!(json.contains(PENDING_MARK), "{json}");
        all.insert("K7M-2QX-9PD".to_owned(), mine(true, true, Some(1)));
        assert!(!serde_json::to_string(&all).unwrap().contains(PENDING_MARK));
    }

    #[test]
    fn an_earlier_answer_arriving_last_leaves_the_latest_choice_pending() {
        // Supported offline; the flush's PUT and the undo's DELETE overlap, and the server
        // answers the DELETE first, then the PUT.
        let mut entry = mine(false, false, Some(4));
        record(
            &mut entry,
            &Ok(Support {
                supported: false,
                supporters: 4,
            }),
            1.0,
        );
        assert!(!entry.pending);
        record(
            &mut entry,
            &Ok(Support {
                supported: true,
                supporters: 5,
            }),
            2.0,
        );
        assert!(entry.counted);
        assert!(
            entry.pending,
            "the server counts a support the citizen withdrew"
        );
        // The resend's answer agrees with the choice: done.
        record(
            &mut entry,
            &Ok(Support {
                supported: false,
                supporters: 4,
            }),
            3.0,
        );
        assert!(!entry.pending);
        assert_eq!(entry.supporters, Some(4));
    }

    #[test]
    fn a_refusal_withdraws_the_claim_and_a_lost_connection_keeps_it_waiting() {
        let mut entry = mine(true, false, Some(4));
        entry.pending = true;
        record(&mut entry, &Err(ApiError::Network), 1.0);
        assert!(entry.pending && entry.supported);
        record(&mut entry, &Err(ApiError::NotFound), 2.0);
        assert!(!entry.pending && !entry.supported);
    }
}
