//! The category (optional), or with an Open311 backend the service (required), grouped under
//! the backend's headings when it gives them.

use lapor_core::Locale;
use lapor_core::api::Category;
use lapor_core::api::Field;
use leptos::prelude::*;

use crate::api::Backend;
use crate::components::field::{FieldError, Problems};
use crate::draft::Draft;
use crate::i18n::{Texts, tr, use_i18n};

/// Categories under their group headings, in the backend's order of first appearance.
fn grouped(categories: Vec<Category>) -> Vec<(Option<String>, Vec<Category>)> {
    let mut groups: Vec<(Option<String>, Vec<Category>)> = Vec::new();
    for c in categories {
        match groups.iter_mut().find(|(g, _)| *g == c.group) {
            Some((_, list)) => list.push(c),
            None => groups.push((c.group.clone(), vec![c])),
        }
    }
    groups
}

#[component]
pub fn CategoryField(draft: RwSignal<Draft>, problems: Problems) -> impl IntoView {
    let i18n = use_i18n();
    let api = expect_context::<Backend>();
    let service = !api.features().directory;
    let label: fn(&'static Texts) -> &'static str = if service {
        |t| t.sub_service_label
    } else {
        |t| t.sub_category_label
    };
    let categories = crate::load::Loaded::new(move || {
        let api = api.clone();
        let locale = i18n.locale.get_untracked();
        async move { api.categories(locale).await.unwrap_or_default() }
    });
    let option = move |c: Category| {
        let id = c.id.clone();
        let selected = move || draft.with(|d| d.category_id == id);
        let name = match i18n.locale.get_untracked() {
            Locale::Id => c.name_id.clone(),
            Locale::En => c.name_en.clone(),
        };
        view! { <option value=c.id.clone() selected=selected>{name}</option> }
    };
    view! {
        <div class="field">
            <label for="category">{tr(label)}</label>
            {service.then(|| view! { <p class="hint" id="category-hint">{tr(|t| t.sub_service_hint)}</p> })}
            <FieldError problems field={Field::CategoryId.path()}/>
            <select id="category" aria-describedby=service.then_some("category-hint")
                aria-required=service.then_some("true")
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    draft.update(|d| d.category_id = value);
                }>
                <option value="" selected=move || draft.with(|d| d.category_id.is_empty())>
                    {tr(|t| t.sub_category_none)}
                </option>
                {move || {
                    i18n.locale.track();
                    grouped(categories.get().unwrap_or_default()).into_iter().map(|(group, list)| match group {
                        Some(group) => view! {
                            <optgroup label=group>{list.into_iter().map(option).collect_view()}</optgroup>
                        }.into_any(),
                        None => list.into_iter().map(option).collect_view().into_any(),
                    }).collect_view()
                }}
            </select>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn category(id: &str, group: Option<&str>) -> Category {
        Category {
            id: id.into(),
            name_id: id.into(),
            name_en: id.into(),
            group: group.map(Into::into),
        }
    }

    #[test]
    fn keeps_groups_in_order_of_first_appearance() {
        let groups = grouped(vec![
            category("a", Some("street")),
            category("b", Some("sanitation")),
            category("c", Some("street")),
            category("d", None),
        ]);
        let shape: Vec<(Option<&str>, Vec<&str>)> = groups
            .iter()
            .map(|(g, l)| (g.as_deref(), l.iter().map(|c| c.id.as_str()).collect()))
            .collect();
        assert_eq!(
            shape,
            vec![
                (Some("street"), vec!["a", "c"]),
                (Some("sanitation"), vec!["b"]),
                (None, vec!["d"]),
            ]
        );
    }
}
