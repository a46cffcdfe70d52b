//! The extra fields an Open311 service asks for (its definition's attributes), in their
//! `order`, each as its datatype says: a line, a number, a date and time, a text area, one
//! choice (a select) or several (checkboxes). Fields the form already asks for itself
//! (`draft::NATIVE_ATTRIBUTES`) are not asked twice; informational attributes are shown as
//! text. Required ones are checked before "check your answers".

use leptos::prelude::*;

use crate::api::{Attribute, Backend, Datatype};
use crate::components::field::{FieldProblem, Problem, Problems, attribute_input_id};
use crate::draft::{Draft, NATIVE_ATTRIBUTES};
use crate::i18n::{tr, use_i18n};

/// The problem field of an attribute, as the error summary names it.
pub fn problem_field(code: &str) -> String {
    lapor_core::api::Field::attribute(code)
}

/// The problems the form can see in the service's required fields, and a missing place when
/// the service needs one (asked here rather than learnt from the server's refusal or 500).
pub fn missing_required(draft: &Draft) -> Vec<FieldProblem> {
    let place = (draft.location_required && !draft.has_place()).then(|| FieldProblem {
        field: lapor_core::api::Field::LocationText.path().into(),
        problem: crate::components::field::Problem::Rule(lapor_core::validation::Rule::Required),
    });
    draft
        .required_attributes
        .iter()
        .filter(|code| draft.attribute(code).iter().all(|v| v.trim().is_empty()))
        .map(|code| FieldProblem {
            field: problem_field(code),
            problem: match draft.attribute_labels.iter().find(|(c, _)| c == code) {
                Some((_, label)) => Problem::RequiredNamed(label.clone()),
                None => Problem::Rule(lapor_core::validation::Rule::Required),
            },
        })
        .chain(place)
        .collect()
}

#[component]
fn AttributeField(
    attribute: Attribute,
    draft: RwSignal<Draft>,
    problems: Problems,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = attribute_input_id(&attribute.code);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let field = problem_field(&attribute.code);
    let message = move || {
        problems.with(|list| {
            list.iter()
                .find(|p| p.field == field)
                .map(|p| p.message(i18n.locale.get()))
        })
    };
    let code = attribute.code.clone();
    let value = {
        let code = code.clone();
        move || draft.with(|d| d.attribute(&code).first().cloned().unwrap_or_default())
    };
    let set = {
        let code = code.clone();
        move |v: String| draft.update(|d| d.set_attribute(&code, vec![v]))
    };
    let hint = attribute.datatype_description.clone();
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        let message = message.clone();
        move || {
            let mut ids = vec![hint_id.clone()];
            if message().is_some() {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        }
    };
    let required = attribute.required;
    let label = attribute.description.clone();
    let input = match attribute.datatype {
        Datatype::Text => view! {
            <textarea id=id.clone() rows="4" aria-describedby=described.clone() aria-required=required.then_some("true")
                prop:value=value.clone() on:input=move |ev| set(event_target_value(&ev))></textarea>
        }.into_any(),
        Datatype::SingleValueList => {
            let current = value.clone();
            view! {
                <select id=id.clone() aria-describedby=described.clone() aria-required=required.then_some("true")
                    on:change=move |ev| set(event_target_value(&ev))>
                    <option value="">{tr(|t| t.sub_attribute_choose)}</option>
                    {attribute.values.iter().map(|(key, name)| {
                        let (key, current) = (key.clone(), current.clone());
                        let selected = { let key = key.clone(); move || current() == key };
                        view! { <option value=key selected=selected>{name.clone()}</option> }
                    }).collect_view()}
                </select>
            }.into_any()
        }
        Datatype::MultiValueList => view! {
            <div role="group" aria-labelledby=format!("{id}-label") aria-describedby=described.clone()>
                {attribute.values.iter().enumerate().map(|(i, (key, name))| {
                    let box_id = format!("{id}-{i}");
                    let (key, code) = (key.clone(), code.clone());
                    let checked = { let (key, code) = (key.clone(), code.clone()); move || draft.with(|d| d.attribute(&code).contains(&key)) };
                    view! {
                        <div class="checkbox">
                            <input type="checkbox" id=box_id.clone() prop:checked=checked
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    draft.update(|d| {
                                        let mut values: Vec<String> = d.attribute(&code).into_iter().filter(|v| v != &key).collect();
                                        if on { values.push(key.clone()); }
                                        d.set_attribute(&code, values);
                                    });
                                }/>
                            <label for=box_id>{name.clone()}</label>
                        </div>
                    }
                }).collect_view()}
            </div>
        }.into_any(),
        datatype => {
            let kind = match datatype {
                Datatype::Number => "number",
                Datatype::Datetime => "datetime-local",
                _ => "text",
            };
            view! {
                <input id=id.clone() type=kind aria-describedby=described.clone() aria-required=required.then_some("true")
                    prop:value=value.clone() on:input=move |ev| set(event_target_value(&ev))/>
            }.into_any()
        }
    };
    let label_view = if attribute.datatype == Datatype::MultiValueList {
        view! { <p class="label" id=format!("{id}-label")>{label}</p> }.into_any()
    } else {
        view! { <label for=id.clone()>{label}</label> }.into_any()
    };
    view! {
        <div class="field">
            {label_view}
            <p class="hint" id=hint_id>
                {required.then(|| tr(|t| t.sub_attribute_required))}" "{hint}
            </p>
            {move || message().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
            {input}
        </div>
    }
}

#[component]
pub fn AttributesSection(draft: RwSignal<Draft>, problems: Problems) -> impl IntoView {
    let api = expect_context::<Backend>();
    let i18n = use_i18n();
    let definition = RwSignal::new(Vec::<Attribute>::new());
    let service = Memo::new(move |_| draft.with(|d| d.category_id.clone()));
    Effect::new(move |_| {
        let code = service.get();
        let api = api.clone();
        let locale = i18n.locale.get_untracked();
        leptos::task::spawn_local(async move {
            let fields = if code.is_empty() {
                Default::default()
            } else {
                api.attributes(&code, locale).await.unwrap_or_default()
            };
            let attributes = fields.attributes;
            // A later choice wins over a slower answer for an earlier one.
            if service.get_untracked() != code {
                return;
            }
            let asked = |a: &&Attribute| a.variable;
            let codes: Vec<String> = attributes
                .iter()
                .filter(asked)
                .map(|a| a.code.clone())
                .collect();
            let required_fields: Vec<&Attribute> = attributes
                .iter()
                .filter(asked)
                .filter(|a| a.required && !NATIVE_ATTRIBUTES.contains(&a.code.as_str()))
                .collect();
            let required: Vec<String> = required_fields.iter().map(|a| a.code.clone()).collect();
            let labels: Vec<(String, String)> = required_fields
                .iter()
                .map(|a| (a.code.clone(), a.description.clone()))
                .collect();
            draft.update(|d| {
                if d.attribute_codes != codes
                    || d.required_attributes != required
                    || d.attribute_labels != labels
                    || d.location_required != fields.needs_location
                    || d.fields_of != code
                {
                    d.attribute_codes = codes;
                    d.required_attributes = required;
                    d.attribute_labels = labels;
                    d.location_required = fields.needs_location;
                    d.fields_of.clone_from(&code);
                }
            });
            definition.set(attributes);
        });
    });
    move || {
        let shown: Vec<Attribute> = definition
            .get()
            .into_iter()
            .filter(|a| !NATIVE_ATTRIBUTES.contains(&a.code.as_str()))
            .collect();
        (!shown.is_empty()).then(|| {
            view! {
                <fieldset class="fieldset" id="attributes">
                    <legend>{tr(|t| t.sub_attributes_legend)}</legend>
                    {shown.into_iter().map(|a| if a.variable {
                        view! { <AttributeField attribute=a draft problems/> }.into_any()
                    } else {
                        view! { <p class="hint">{a.description}</p> }.into_any()
                    }).collect_view()}
                </fieldset>
            }
        })
    }
}
