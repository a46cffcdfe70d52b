//! The directory a report form needs: agencies, categories, regions, and the FAQ.

use axum::Json;
use axum::extract::State;
use lapor_core::Locale;
use lapor_core::api::{Agency, AgencyTier, Category, FaqEntry, Region, RegionLevel};
use lapor_core::text::search_key;
use rusqlite::params;
use serde::Deserialize;

use crate::AppState;
use crate::problem::{ApiError, ApiQuery, QueryParams};

const MAX_RESULTS: i64 = 20;

#[derive(Deserialize)]
pub struct AgencyQuery {
    q: Option<String>,
    parent: Option<String>,
}

impl QueryParams for AgencyQuery {
    const NAMES: &'static [&'static str] = &["q", "parent"];
}

fn tier_from_code(code: &str) -> AgencyTier {
    match code {
        "national" => AgencyTier::National,
        "province" => AgencyTier::Province,
        "regency" => AgencyTier::Regency,
        "opd" => AgencyTier::Opd,
        _ => AgencyTier::District,
    }
}

/// A `LIKE` pattern matching every word of the query, in order, anywhere in the search key.
fn like_pattern(q: &str) -> String {
    let words: Vec<String> = search_key(q)
        .split(' ')
        .map(|w| w.replace(['%', '_'], ""))
        .collect();
    format!("%{}%", words.join("%"))
}

pub async fn list_agencies(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<AgencyQuery>,
) -> Result<Json<Vec<Agency>>, ApiError> {
    let pattern = like_pattern(query.q.as_deref().unwrap_or(""));
    let agencies = state
        .with_db(move |conn| {
            let mut stmt = conn.prepare(
                "SELECT id, name, tier, parent_id FROM agencies
                 WHERE search LIKE ?1 AND (?2 IS NULL OR parent_id = ?2)
                 ORDER BY CASE tier WHEN 'national' THEN 0 WHEN 'province' THEN 1
                   WHEN 'regency' THEN 2 WHEN 'opd' THEN 3 ELSE 4 END, name",
            )?;
            stmt.query_map(params![pattern, query.parent], |r| {
                Ok(Agency {
                    id: r.get("id")?,
                    name: r.get("name")?,
                    tier: tier_from_code(&r.get::<_, String>("tier")?),
                    parent_id: r.get("parent_id")?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
        })
        .await?;
    Ok(Json(agencies))
}

/// No parameters.
#[derive(Deserialize)]
pub struct NoQuery {}

impl QueryParams for NoQuery {
    const NAMES: &'static [&'static str] = &[];
}

pub async fn list_categories(
    State(state): State<AppState>,
    ApiQuery(NoQuery {}): ApiQuery<NoQuery>,
) -> Result<Json<Vec<Category>>, ApiError> {
    let categories = state
        .with_db(|conn| {
            let mut stmt =
                conn.prepare("SELECT id, name_id, name_en FROM categories ORDER BY position")?;
            stmt.query_map([], |r| {
                Ok(Category {
                    id: r.get("id")?,
                    name_id: r.get("name_id")?,
                    name_en: r.get("name_en")?,
                    group: None,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
        })
        .await?;
    Ok(Json(categories))
}

#[derive(Deserialize)]
pub struct RegionQuery {
    q: Option<String>,
}

impl QueryParams for RegionQuery {
    const NAMES: &'static [&'static str] = &["q"];
}

pub async fn search_regions(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<RegionQuery>,
) -> Result<Json<Vec<Region>>, ApiError> {
    let q = search_key(query.q.as_deref().unwrap_or(""));
    if q.chars().count() < 2 {
        return Ok(Json(Vec::new()));
    }
    let pattern = like_pattern(&q);
    let prefix = format!("{q}%");
    let regions = state
        .with_db(move |conn| {
            // Names that start with the query first, then larger regions before smaller ones.
            let mut stmt = conn.prepare(
                "SELECT code, name, level, parents FROM regions WHERE search LIKE ?1
                 ORDER BY (search LIKE ?2) DESC, level, name LIMIT ?3",
            )?;
            stmt.query_map(params![pattern, prefix, MAX_RESULTS], |r| {
                let level: usize = r.get("level")?;
                let parents: String = r.get("parents")?;
                Ok(Region {
                    id: r.get("code")?,
                    name: r.get("name")?,
                    level: RegionLevel::from_depth(level),
                    parents: parents
                        .split('|')
                        .filter(|p| !p.is_empty())
                        .map(String::from)
                        .collect(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
        })
        .await?;
    Ok(Json(regions))
}

#[derive(Deserialize)]
pub struct FaqQuery {
    locale: Option<String>,
}

impl QueryParams for FaqQuery {
    const NAMES: &'static [&'static str] = &["locale"];
}

pub async fn list_faq(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<FaqQuery>,
) -> Result<Json<Vec<FaqEntry>>, ApiError> {
    let locale = query
        .locale
        .as_deref()
        .and_then(Locale::parse)
        .unwrap_or_default();
    let entries = state
        .with_db(move |conn| {
            let mut stmt = conn.prepare(
                "SELECT id, category, question, answer FROM faq WHERE locale = ?1 ORDER BY position",
            )?;
            stmt.query_map([locale.tag()], |r| {
                Ok(FaqEntry {
                    id: r.get("id")?,
                    category: r.get("category")?,
                    question: r.get("question")?,
                    answer: r.get("answer")?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
        })
        .await?;
    Ok(Json(entries))
}
