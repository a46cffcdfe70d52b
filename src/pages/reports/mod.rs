//! `/laporan`: the public reports, newest first, filtered and paged by the URL's query (every
//! filter a parameter of `core::listing::ListQuery`, so a shared or embedded URL shows the
//! same view). A deployer's `default_region` applies when the URL names no region at all;
//! `region=` (empty) is "all regions".

mod filters;
mod places;
mod results;

use lapor_core::listing::{BadParameter, ListQuery, params};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::Backend;
use crate::app::use_page_title;
use crate::config::Config;
use crate::i18n::{tr, use_i18n};
use filters::Filters;
use results::Results;

/// The view a URL's query asks for.
pub fn view_query<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    default_region: Option<&str>,
) -> Result<ListQuery, BadParameter> {
    let pairs: Vec<(&str, &str)> = pairs
        .into_iter()
        .filter(|(name, _)| params::ALL.contains(name))
        .collect();
    let names_region = pairs.iter().any(|(name, _)| *name == params::REGION);
    let mut query = ListQuery::from_pairs(pairs)?;
    if !names_region {
        query.region = default_region.map(str::to_owned);
    }
    Ok(query)
}

/// The URL of a view: its query string, with `region=` when it shows every region where the
/// deployer set a default one.
pub fn view_path(query: &ListQuery, default_region: Option<&str>) -> String {
    let mut string = query.to_query_string();
    if query.region.is_none() && default_region.is_some() {
        if !string.is_empty() {
            string.push('&');
        }
        string.push_str("region=");
    }
    if string.is_empty() {
        "/laporan".to_owned()
    } else {
        format!("/laporan?{string}")
    }
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    use_page_title(|t| (t.nav_reports, t.desc_reports));
    let i18n = use_i18n();
    let api = expect_context::<Backend>();
    let default_region = expect_context::<Config>().default_region.clone();
    let default = StoredValue::new(default_region);
    let url = use_query_map();
    let query = Memo::new(move |_| {
        url.with(|m| {
            default.with_value(|d| {
                view_query(m.into_iter().map(|(k, v)| (k.as_ref(), v)), d.as_deref())
            })
        })
    });
    let navigate = use_navigate();
    let go = Callback::new(move |q: ListQuery| {
        let path = default.with_value(|d| view_path(&q, d.as_deref()));
        navigate(&path, Default::default());
    });
    let page = crate::load::Loaded::new(move || {
        let api = api.clone();
        let query = query.get();
        async move {
            match query {
                Ok(query) => Some(api.list_reports(&query).await),
                Err(_) => None,
            }
        }
    });
    let current = Signal::derive(move || query.get().unwrap_or_else(|_| ListQuery::first_page()));
    let path_of = Callback::new(move |q: ListQuery| {
        default.with_value(|d| crate::app::link(&view_path(&q, d.as_deref())))
    });
    view! {
        <h1 tabindex="-1">{tr(|t| t.nav_reports)}</h1>
        <p class="lead">{tr(|t| t.reports_lead)}</p>
        <Filters query=current on_apply=go/>
        {move || query.get().err().map(|bad| view! {
            <p class="notice notice--error" role="alert">{move || bad.message(i18n.locale.get()).to_owned()}</p>
        })}
        <Results query=current page=Signal::derive(move || page.get().flatten())
            on_retry=Callback::new(move |()| page.refetch()) path_of/>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lapor_core::listing::StatusFilter;

    #[test]
    fn a_url_restores_its_view_and_a_view_its_url() {
        let query = view_query(
            [
                ("status", "open"),
                ("q", "lampu mati"),
                ("page", "2"),
                ("embed", "1"),
                ("parent", "https://kendalkab.go.id"),
            ],
            None,
        )
        .unwrap();
        assert_eq!(query.status, Some(StatusFilter::Open));
        assert_eq!(query.q.as_deref(), Some("lampu mati"));
        assert_eq!(query.page, 2);
        assert_eq!(
            view_path(&query, None),
            "/laporan?status=open&q=lampu+mati&page=2"
        );
        assert_eq!(view_path(&ListQuery::first_page(), None), "/laporan");
        assert!(view_query([("page_size", "500")], None).is_err());
        assert_eq!(
            view_query([("sort", "old")], None).unwrap(),
            ListQuery::first_page()
        );
    }

    #[test]
    fn the_default_region_applies_until_the_url_names_one() {
        let default = Some("33.24");
        let plain = view_query([], default).unwrap();
        assert_eq!(plain.region.as_deref(), Some("33.24"));
        assert_eq!(view_path(&plain, default), "/laporan?region=33.24");
        let everywhere = view_query([("region", "")], default).unwrap();
        assert_eq!(everywhere.region, None);
        assert_eq!(view_path(&everywhere, default), "/laporan?region=");
        let elsewhere = view_query([("region", "33.74")], default).unwrap();
        assert_eq!(elsewhere.region.as_deref(), Some("33.74"));
    }
}
