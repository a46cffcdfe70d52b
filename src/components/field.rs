//! Form fields with labels, hints, live character counts, and errors beside them and in a
//! summary at the top (the GOV.UK pattern).

use lapor_core::Locale;
use lapor_core::api::Field;
use lapor_core::validation::{Rule, Violation};
use leptos::prelude::*;

use crate::i18n::{Texts, fill, texts, tr, use_i18n};

/// What is wrong with a field: a shared `core` rule, a rule of the form itself, or the
/// server's own words.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    Rule(Rule),
    /// A required field the form knows only by the backend's label (an Open311 service's).
    RequiredNamed(String),
    ChooseKind,
    Server(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldProblem {
    /// The API's field path, e.g. `title` or `reporter.email`.
    pub field: String,
    pub problem: Problem,
}

impl FieldProblem {
    pub fn message(&self, locale: Locale) -> String {
        match &self.problem {
            // Named for its field ("Isi judul laporan."), as the server's field errors are.
            Problem::Rule(rule) => match Field::from_path(&self.field) {
                Some(field) => Violation { field, rule: *rule }.message(locale),
                None => rule.message(locale),
            },
            Problem::RequiredNamed(label) => lapor_core::validation::required_named(label, locale),
            Problem::ChooseKind => texts(locale).err_choose_kind.into(),
            Problem::Server(text) => text.clone(),
        }
    }
}

/// The input that answers for an API field, for error links and "change" links.
pub fn input_id(field: &str) -> &'static str {
    if Field::attribute_code(field).is_some() {
        return "attributes";
    }
    match Field::from_path(field) {
        Some(Field::Classification) => "kind-complaint",
        Some(Field::Title) => "title",
        Some(Field::Body) => "body",
        Some(Field::IncidentDate) => "incident-date",
        Some(Field::RegionId) => "region",
        Some(Field::LocationText) => "location-text",
        Some(Field::Lat | Field::Lon) => "use-location",
        Some(Field::AgencyId) => "agency-unknown",
        Some(Field::CategoryId) => "category",
        Some(Field::ReporterName) => "name",
        Some(Field::ReporterEmail) => "email",
        Some(Field::ReporterPhone) => "phone",
        Some(Field::AttachmentIds) => "attachments",
        Some(Field::Message | Field::Stars | Field::Comment) | None => "report-form",
    }
}

/// The element of an Open311 service field (codes may hold any character): its input, or
/// for a list of checkboxes their group, whose first box is `{id}-0`.
pub fn attribute_input_id(code: &str) -> String {
    let safe: String = code
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("attr-{safe}")
}

/// Where an error link about `field` goes, best first: a service field's own input, its
/// first box (a list of checkboxes), then the section; any other field's input.
fn link_targets(field: &str) -> Vec<String> {
    match Field::attribute_code(field) {
        Some(code) => {
            let id = attribute_input_id(code);
            vec![id.clone(), format!("{id}-0"), input_id(field).to_owned()]
        }
        None => vec![input_id(field).to_owned()],
    }
}

/// The label the form shows for an API field, to name it in messages away from the form.
pub fn field_label(t: &'static Texts, field: &str) -> Option<&'static str> {
    if Field::attribute_code(field).is_some() {
        return Some(t.sub_attributes_legend);
    }
    Some(match Field::from_path(field)? {
        Field::Classification => t.sub_kind_legend,
        Field::Title => t.sub_title_label,
        Field::Body => t.sub_body_label,
        Field::IncidentDate => t.sub_date_label,
        Field::RegionId | Field::Lat | Field::Lon => t.sub_location_incident,
        Field::LocationText => t.sub_location_detail,
        Field::AgencyId => t.sub_agency_legend,
        Field::CategoryId => t.sub_category_label,
        Field::ReporterName => t.sub_name_label,
        Field::ReporterEmail => t.sub_email_label,
        Field::ReporterPhone => t.sub_phone_label,
        Field::AttachmentIds => t.sub_files_label,
        Field::Message | Field::Stars | Field::Comment => return None,
    })
}

pub type Problems = Signal<Vec<FieldProblem>>;

/// Focuses and reveals an element. In-page links cannot rely on the browser: with the
/// document's `<base>`, `#id` would resolve to the site root.
pub fn focus_by_id(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        el.scroll_into_view();
        let _ = el.focus();
    }
}

/// The first problem of `field`, if any, as a reactive message.
pub fn problem_for(problems: Problems, field: &'static str) -> impl Fn() -> Option<String> + Copy {
    let i18n = use_i18n();
    move || {
        problems.with(|list| {
            list.iter()
                .find(|p| p.field == field)
                .map(|p| p.message(i18n.locale.get()))
        })
    }
}

/// The message beside a field.
#[component]
pub fn FieldError(problems: Problems, field: &'static str) -> impl IntoView {
    let message = problem_for(problems, field);
    let id = format!("{}-error", input_id(field));
    move || message().map(|m| view! { <p class="field-error" id=id.clone()>{m}</p> })
}

/// `aria-describedby` for an input: its hint, and its error when there is one.
pub fn described_by(
    id: &'static str,
    has_hint: bool,
    problems: Problems,
    field: &'static str,
) -> impl Fn() -> Option<String> {
    let message = problem_for(problems, field);
    move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(format!("{id}-hint"));
        }
        if message().is_some() {
            ids.push(format!("{id}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// All problems at the top of the form, each linking to its field; focused when shown.
#[component]
pub fn ErrorSummary(problems: Problems, node_ref: NodeRef<leptos::html::Div>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="error-summary" tabindex="-1" node_ref=node_ref
            role="alert" aria-labelledby="error-summary-title"
            style:display=move || if problems.with(Vec::is_empty) { "none" } else { "block" }>
            <h2 id="error-summary-title">{tr(|t| t.err_summary_title)}</h2>
            <ul>
                {move || problems.get().into_iter().map(|p| {
                    let targets = link_targets(&p.field);
                    let href = format!("#{}", targets[0]);
                    let focus = move || {
                        let found = targets.iter().find(|id| document().get_element_by_id(id).is_some());
                        if let Some(id) = found {
                            focus_by_id(id);
                        }
                    };
                    view! {
                        <li>
                            <a href=href on:click=move |ev| { ev.prevent_default(); focus(); }>
                                {move || p.message(i18n.locale.get())}
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}

pub type TextOf = fn(&'static Texts) -> &'static str;

/// A labelled text input or textarea with an optional hint and live character count.
#[component]
pub fn TextField(
    id: &'static str,
    field: &'static str,
    label: TextOf,
    #[prop(optional)] hint: Option<TextOf>,
    value: Signal<String>,
    on_input: Callback<String>,
    problems: Problems,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] max_chars: Option<usize>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let message = problem_for(problems, field);
    let invalid = move || message().is_some().then_some("true");
    let described = described_by(id, hint.is_some() || max_chars.is_some(), problems, field);
    let count = move || {
        max_chars.map(|max| {
            let n = value.with(|v| v.trim().chars().count());
            fill(
                i18n.t().sub_chars,
                &[("n", &n.to_string()), ("max", &max.to_string())],
            )
        })
    };
    let over = move || max_chars.is_some_and(|max| value.with(|v| v.trim().chars().count()) > max);
    let control = if multiline {
        view! {
            <textarea id=id name=id rows="8" aria-invalid=invalid aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id name=id type=input_type autocomplete=autocomplete aria-invalid=invalid
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))/>
        }
        .into_any()
    };
    view! {
        <div class="field" class:field--error=move || message().is_some()>
            <label for=id>{move || label(i18n.t())}</label>
            {(hint.is_some() || max_chars.is_some()).then(|| view! {
                <p class="hint" id=format!("{id}-hint")>
                    {move || hint.map(|h| h(i18n.t()))}
                    " "
                    <span class="char-count" class:char-count--over=over>{count}</span>
                </p>
            })}
            <FieldError problems field/>
            {control}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_field_ids_are_safe_for_any_code() {
        assert_eq!(attribute_input_id("WHISHETN"), "attr-WHISHETN");
        assert_eq!(attribute_input_id("a b/c"), "attr-a-b-c");
    }

    #[test]
    fn a_service_fields_problem_names_it_by_its_label() {
        let problem = FieldProblem {
            field: Field::attribute("POLE"),
            problem: Problem::RequiredNamed("Nomor tiang".into()),
        };
        assert_eq!(problem.message(Locale::Id), "Nomor tiang: wajib diisi.");
        assert_eq!(
            problem.message(Locale::En),
            "Nomor tiang: this is required."
        );
    }
}
