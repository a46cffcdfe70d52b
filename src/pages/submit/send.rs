//! Sending the checked report, or keeping it in the outbox when it cannot leave now. Only the
//! review sends, so this code is in the review's file (`parts.rs`, split module `report_form`),
//! which is on the device before the review can show: queueing works offline all the same.

use lapor_core::Locale;
use leptos::prelude::*;

use super::{Step, focus_later, show_problems};
use crate::api::{ApiError, Backend};
use crate::components::field::{FieldProblem, Problem};
use crate::draft::Draft;
use crate::i18n::I18n;
use crate::outbox::{self, Outbox, worth_retrying};

/// What the form's page gives the review to send its report with.
#[derive(Clone)]
pub(super) struct Flow {
    pub api: Backend,
    pub draft: RwSignal<Draft>,
    pub step: RwSignal<Step>,
    pub problems: RwSignal<Vec<FieldProblem>>,
    pub sending: RwSignal<bool>,
    pub send_error: RwSignal<Option<ApiError>>,
    pub summary: NodeRef<leptos::html::Div>,
    pub online: Signal<bool>,
    pub outbox: Outbox,
    pub i18n: I18n,
    /// The last send could not leave and the device would not keep it.
    pub not_kept: RwSignal<bool>,
}

impl Flow {
    /// Keeps the report in the outbox, which sends it when it can. If the device will not
    /// keep it (storage full or blocked), the report stays on this page, with why.
    fn queue(&self, current: Draft, locale: Locale, failed: Option<&ApiError>) {
        let key = current.idempotency_key.clone();
        if !self.outbox.enqueue(current.clone(), locale, failed) {
            self.draft.set(current);
            self.not_kept.set(true);
            return;
        }
        self.draft.set(Draft::discard());
        self.step.set(Step::Queued(key));
        focus_later("#main h1".into());
    }

    /// "Send": sends the draft, or queues it offline or when the backend cannot take it now.
    pub fn submit(&self) {
        let locale = self.i18n.locale.get_untracked();
        let draft = self.draft;
        let mut current = draft.get_untracked();
        let Some(classification) = current.classification else {
            return;
        };
        if !self.online.get_untracked() {
            self.not_kept.set(false);
            self.queue(current, locale, None);
            return;
        }
        let flow = self.clone();
        self.sending.set(true);
        self.send_error.set(None);
        self.not_kept.set(false);
        leptos::task::spawn_local(async move {
            let saved = move |d: &Draft| draft.set(d.clone());
            let result = outbox::send(&flow.api, &mut current, locale, saved).await;
            flow.sending.set(false);
            match result {
                Ok(created) => {
                    outbox::remember(&created);
                    draft.set(Draft::discard());
                    flow.step.set(Step::Done(created, classification));
                    focus_later("#main h1".into());
                }
                Err(error) if worth_retrying(&error) => flow.queue(current, locale, Some(&error)),
                Err(ApiError::Problem(p)) if !p.errors.is_empty() => {
                    flow.step.set(Step::Form);
                    show_problems(
                        flow.problems,
                        flow.summary,
                        p.errors
                            .into_iter()
                            .map(|e| FieldProblem {
                                field: e.field,
                                problem: Problem::Server(e.message),
                            })
                            .collect(),
                    );
                }
                Err(error) => flow.send_error.set(Some(error)),
            }
        });
    }
}
