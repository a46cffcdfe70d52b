//! The directory a report form needs: agencies, categories, regions, and the FAQ.
//!
//! Region and agency search find names by the start of their words, accents, case and
//! punctuation ignored (`core::text::search_key`): "weler" finds Weleri, "kendal" Kabupaten
//! Kendal, "pekerjaan umum kendal" the public works agency of Kendal. The first word of the
//! search is looked up in the word index `seed::index_directory` fills (each name's search key
//! from each of its words on), so a keystroke reads a few index entries, not every name. Every
//! list is bounded: searches by a `limit` parameter with a maximum, the seeded lists by a cap.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use lapor_core::Locale;
use lapor_core::api::{Agency, AgencyTier, Category, FaqEntry, Region, RegionLevel};
use lapor_core::refusal::Refusal;
use lapor_core::text::search_key;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, named_params};
use serde::Deserialize;

use crate::problem::{ApiError, ApiQuery, QueryParams, request_locale};
use crate::{AppState, storage};

/// Regions answered when no `limit` is given: a screenful of suggestions.
pub const DEFAULT_REGIONS: u32 = 20;
/// The most regions one search answers.
pub const MAX_REGIONS: u32 = 50;
/// Agencies answered when no `limit` is given.
pub const DEFAULT_AGENCIES: u32 = 50;
/// The most agencies one search answers.
pub const MAX_AGENCIES: u32 = 100;
/// FAQ entries are a handful from the seed and take no `limit` (nor do categories, bounded
/// by `storage::MAX_CATEGORIES`); a database changed by hand still never makes one answer
/// larger than this.
pub const MAX_FAQ_ENTRIES: u32 = 200;
/// Fewer letters than this find no region (every village would match).
const MIN_REGION_QUERY_CHARS: usize = 2;

/// The `limit` asked for, or `default`; outside `1..=max` it is refused, naming the bounds.
fn limit(asked: Option<u32>, default: u32, max: u32, locale: Locale) -> Result<u32, ApiError> {
    match asked {
        None => Ok(default),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::refused(
            Refusal::ParameterOutOfRange {
                name: "limit".into(),
                min: 1,
                max: max.into(),
            },
            locale,
        )),
    }
}

/// The words of a search, folded as names are in the index.
fn words_of(q: Option<&str>) -> Vec<String> {
    search_key(q.unwrap_or(""))
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

/// The end of the index range of keys starting with `prefix` (keys compare as UTF-8 bytes).
fn after_prefix(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

/// A `LIKE` pattern for a word starting with `word` inside `' ' || key` (a search key holds
/// letters, digits and single spaces only, so nothing needs escaping).
fn word_start(word: &str) -> String {
    format!("% {word}%")
}

#[derive(Deserialize)]
pub struct AgencyQuery {
    q: Option<String>,
    parent: Option<String>,
    /// One agency by its id (a pre-selected agency, however many there are).
    id: Option<String>,
    limit: Option<u32>,
}

impl QueryParams for AgencyQuery {
    const NAMES: &'static [&'static str] = &["q", "parent", "id", "limit"];
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

fn agency_from_row(r: &Row) -> rusqlite::Result<Agency> {
    Ok(Agency {
        id: r.get("id")?,
        name: r.get("name")?,
        tier: tier_from_code(&r.get::<_, String>("tier")?),
        parent_id: r.get("parent_id")?,
    })
}

/// Agencies with a word starting with each word of the search (all of them without one),
/// under `parent` if given: national ones first, then by tier and name; at most `limit`.
fn find_agencies(
    conn: &Connection,
    words: &[String],
    parent: Option<&str>,
    id: Option<&str>,
    limit: u32,
) -> rusqlite::Result<Vec<Agency>> {
    let mut named: Vec<(String, Value)> = vec![
        (":parent".into(), parent.map(String::from).into()),
        (":id".into(), id.map(String::from).into()),
        (":limit".into(), i64::from(limit).into()),
    ];
    let (from, filter) = match words.split_first() {
        None => ("agencies a".to_owned(), String::new()),
        Some((first, rest)) => {
            named.push((":first".into(), first.clone().into()));
            named.push((":first_end".into(), after_prefix(first).into()));
            let mut filter = String::from(" AND k.key >= :first AND k.key < :first_end");
            for (i, word) in rest.iter().enumerate() {
                filter.push_str(&format!(" AND (' ' || a.search) LIKE :word{i}"));
                named.push((format!(":word{i}"), word_start(word).into()));
            }
            (
                "agency_keys k JOIN agencies a ON a.id = k.id".to_owned(),
                filter,
            )
        }
    };
    let sql = format!(
        "SELECT a.id, a.name, a.tier, a.parent_id FROM {from}
         WHERE (:parent IS NULL OR a.parent_id = :parent) AND (:id IS NULL OR a.id = :id){filter}
         GROUP BY a.id
         ORDER BY CASE a.tier WHEN 'national' THEN 0 WHEN 'province' THEN 1
           WHEN 'regency' THEN 2 WHEN 'opd' THEN 3 ELSE 4 END, a.name
         LIMIT :limit"
    );
    let params: Vec<(&str, &dyn rusqlite::ToSql)> = named
        .iter()
        .map(|(name, value)| (name.as_str(), value as &dyn rusqlite::ToSql))
        .collect();
    let mut stmt = conn.prepare_cached(&sql)?;
    stmt.query_map(params.as_slice(), agency_from_row)?
        .collect()
}

pub async fn list_agencies(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<AgencyQuery>,
) -> Result<Json<Vec<Agency>>, ApiError> {
    let limit = limit(
        query.limit,
        DEFAULT_AGENCIES,
        MAX_AGENCIES,
        request_locale(&headers),
    )?;
    let words = words_of(query.q.as_deref());
    let agencies = state
        .with_db(move |conn| {
            find_agencies(
                conn,
                &words,
                query.parent.as_deref(),
                query.id.as_deref(),
                limit,
            )
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
    let categories = state.with_db(|conn| storage::categories(conn)).await?;
    Ok(Json(
        categories
            .into_iter()
            .map(|c| Category {
                id: c.id,
                name_id: c.name_id,
                name_en: c.name_en,
                group: None,
            })
            .collect(),
    ))
}

#[derive(Deserialize)]
pub struct RegionQuery {
    q: Option<String>,
    /// One region by its code (a view restored from a URL names its region by code).
    id: Option<String>,
    limit: Option<u32>,
}

impl QueryParams for RegionQuery {
    const NAMES: &'static [&'static str] = &["q", "id", "limit"];
}

fn region_from_row(r: &Row) -> rusqlite::Result<Region> {
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
}

/// Regions found by the words of a search, best first, at most `limit`:
/// 1. names that start with the search ("kendal" → Kendal, and Kabupaten Kendal, whose
///    designation does not count), then names with a later word starting with it;
/// 2. within each, larger regions first (provinces, regencies, districts, villages);
/// 3. then by name.
///
/// The first word must start a word of the name; further words may start a word of the name
/// or of a region it lies in ("weleri kendal"), and such matches come after those that are all
/// in the name.
fn find_regions(conn: &Connection, words: &[String], limit: u32) -> rusqlite::Result<Vec<Region>> {
    let codes = match words {
        [] => Vec::new(),
        [word] => regions_by_key(conn, word, &[true, false], limit as usize)?,
        [first, rest @ ..] => {
            // Typing a place's name of several words: enough names that start with them
            // answer without looking further.
            let starting = regions_by_key(conn, &words.join(" "), &[true], limit as usize)?;
            if starting.len() == limit as usize {
                starting
            } else {
                regions_by_words(conn, first, rest, limit)?
            }
        }
    };
    let mut read =
        conn.prepare_cached("SELECT code, name, level, parents FROM regions WHERE code = :code")?;
    codes
        .iter()
        .map(|code| read.query_row(named_params! { ":code": code }, region_from_row))
        .collect()
}

fn region_by_code(conn: &Connection, code: &str) -> rusqlite::Result<Option<Region>> {
    conn.prepare_cached("SELECT code, name, level, parents FROM regions WHERE code = :code")?
        .query_row(named_params! { ":code": code }, region_from_row)
        .optional()
}

/// Regions with a key starting with `prefix` (one word, or words as they follow in a name):
/// a walk down the index in the order of the answer, group by group (keys where a name
/// starts, if `name_starts` holds `true`, then those at a later word, if it holds `false`),
/// that stops at `limit` regions.
fn regions_by_key(
    conn: &Connection,
    prefix: &str,
    name_starts: &[bool],
    limit: usize,
) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT code FROM region_keys
         WHERE name_start = :name_start AND level = :level AND key >= :from AND key < :to
         ORDER BY key",
    )?;
    let to = after_prefix(prefix);
    let mut codes: Vec<String> = Vec::new();
    for &name_start in name_starts {
        for level in 1..=4 {
            let mut rows = stmt.query(named_params! {
                ":name_start": name_start,
                ":level": level,
                ":from": prefix,
                ":to": to,
            })?;
            while let Some(row) = rows.next()? {
                let code: String = row.get("code")?;
                if !codes.contains(&code) {
                    codes.push(code);
                    if codes.len() == limit {
                        return Ok(codes);
                    }
                }
            }
        }
    }
    Ok(codes)
}

/// Several words: the regions with a name word starting with the first, the others checked
/// on the index itself against their names and the regions they lie in
/// (`seed::region_words`), ranked as [`find_regions`] says.
fn regions_by_words(
    conn: &Connection,
    first: &str,
    rest: &[String],
    limit: u32,
) -> rusqlite::Result<Vec<String>> {
    let phrase = std::iter::once(first)
        .chain(rest.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ");
    let mut named: Vec<(String, Value)> = vec![
        (":first".into(), first.to_owned().into()),
        (":first_end".into(), after_prefix(first).into()),
        (":phrase".into(), phrase.clone().into()),
        (":phrase_end".into(), after_prefix(&phrase).into()),
        (":limit".into(), i64::from(limit).into()),
    ];
    let (mut in_name, mut anywhere) = (Vec::new(), Vec::new());
    for (i, word) in rest.iter().enumerate() {
        in_name.push(format!("k.words LIKE :in_name{i}"));
        anywhere.push(format!("k.words LIKE :anywhere{i}"));
        named.push((
            format!(":in_name{i}"),
            format!("{}/%", word_start(word)).into(),
        ));
        named.push((format!(":anywhere{i}"), word_start(word).into()));
    }
    let sql = format!(
        "SELECT k.code,
           MIN(CASE WHEN k.name_start = 1 AND k.key >= :phrase AND k.key < :phrase_end THEN 0
             WHEN {} THEN 1 ELSE 2 END) AS rank
         FROM region_keys k
         WHERE k.name_start IN (0, 1) AND k.level IN (1, 2, 3, 4)
           AND k.key >= :first AND k.key < :first_end AND {}
         GROUP BY k.code
         ORDER BY rank, k.level, k.words
         LIMIT :limit",
        in_name.join(" AND "),
        anywhere.join(" AND "),
    );
    let params: Vec<(&str, &dyn rusqlite::ToSql)> = named
        .iter()
        .map(|(name, value)| (name.as_str(), value as &dyn rusqlite::ToSql))
        .collect();
    let mut stmt = conn.prepare_cached(&sql)?;
    stmt.query_map(params.as_slice(), |r| r.get("code"))?
        .collect()
}

pub async fn search_regions(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<RegionQuery>,
) -> Result<Json<Vec<Region>>, ApiError> {
    let limit = limit(
        query.limit,
        DEFAULT_REGIONS,
        MAX_REGIONS,
        request_locale(&headers),
    )?;
    if let Some(code) = query.id {
        let region = state
            .with_db(move |conn| region_by_code(conn, &code))
            .await?;
        return Ok(Json(region.into_iter().collect()));
    }
    let words = words_of(query.q.as_deref());
    let phrase = words.join(" ");
    if phrase.chars().count() < MIN_REGION_QUERY_CHARS {
        return Ok(Json(Vec::new()));
    }
    let key = (phrase, limit);
    if let Some(regions) = state.region_answers.get(&key) {
        return Ok(Json(regions));
    }
    let regions = state
        .with_db(move |conn| find_regions(conn, &words, limit))
        .await?;
    state.region_answers.keep(key, &regions);
    Ok(Json(regions))
}

/// Region search's recent answers, by the search's words and limit. The regions are the
/// seed's and do not change while the server runs (`db::open` seeds them before it serves),
/// and the citizens of one area type the same names letter by letter: most keystrokes are
/// answered without the database, which one connection serves to every request. Bounded:
/// emptied when full, so memory stays small whatever is typed.
#[derive(Default)]
pub struct RegionAnswers(std::sync::Mutex<std::collections::HashMap<(String, u32), Vec<Region>>>);

/// How many searches [`RegionAnswers`] keeps, each of at most [`KEPT_QUERY_BYTES`] and
/// [`MAX_REGIONS`] regions: a few MB at most.
const KEPT_REGION_ANSWERS: usize = 4096;
const KEPT_QUERY_BYTES: usize = 64;

impl RegionAnswers {
    fn get(&self, key: &(String, u32)) -> Option<Vec<Region>> {
        let kept = self.0.lock().unwrap_or_else(|p| p.into_inner());
        kept.get(key).cloned()
    }

    fn keep(&self, key: (String, u32), regions: &[Region]) {
        // What a citizen types is a place's name; a longer text is not worth its memory.
        if key.0.len() > KEPT_QUERY_BYTES {
            return;
        }
        let mut kept = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if kept.len() >= KEPT_REGION_ANSWERS {
            kept.clear();
        }
        kept.insert(key, regions.to_vec());
    }
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
                "SELECT id, category, question, answer FROM faq WHERE locale = :locale
                 ORDER BY position LIMIT :limit",
            )?;
            stmt.query_map(
                named_params! { ":locale": locale.tag(), ":limit": MAX_FAQ_ENTRIES },
                |r| {
                    Ok(FaqEntry {
                        id: r.get("id")?,
                        category: r.get("category")?,
                        question: r.get("question")?,
                        answer: r.get("answer")?,
                    })
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>()
        })
        .await?;
    Ok(Json(entries))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A migrated database with a few regions and agencies, indexed as the seed does.
    fn directory() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrate(&mut conn).unwrap();
        let tx = conn.transaction().unwrap();
        for (code, name, level, parents) in [
            ("33", "Jawa Tengah", 1, ""),
            ("33.24", "Kabupaten Kendal", 2, "Jawa Tengah"),
            ("33.24.12", "Weleri", 3, "Kabupaten Kendal|Jawa Tengah"),
            (
                "33.24.12.2007",
                "Weleri",
                4,
                "Weleri|Kabupaten Kendal|Jawa Tengah",
            ),
            (
                "33.24.12.2001",
                "Penyangkringan",
                4,
                "Weleri|Kabupaten Kendal|Jawa Tengah",
            ),
            ("33.24.15", "Kendal", 3, "Kabupaten Kendal|Jawa Tengah"),
            (
                "33.24.15.1001",
                "Kendalrejo",
                4,
                "Kendal|Kabupaten Kendal|Jawa Tengah",
            ),
            ("33.09.21.2009", "Karangkendal", 4, "X|Kabupaten Boyolali"),
            (
                "32.09.10.2012",
                "Desa Kendal Jaya",
                4,
                "Y|Kabupaten Cirebon",
            ),
        ] {
            tx.execute(
                "INSERT INTO regions (code, name, level, parents, search)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![code, name, level, parents, search_key(name)],
            )
            .unwrap();
        }
        crate::seed::index_directory(&tx).unwrap();
        tx.commit().unwrap();
        conn
    }

    fn names(conn: &Connection, q: &str, limit: u32) -> Vec<String> {
        find_regions(conn, &words_of(Some(q)), limit)
            .unwrap()
            .into_iter()
            .map(|r| format!("{} {}", r.name, r.id))
            .collect()
    }

    #[test]
    fn kept_answers_are_each_searchs_own_and_bounded() {
        let conn = directory();
        let answers = RegionAnswers::default();
        let found = find_regions(&conn, &words_of(Some("kendal")), 5).unwrap();
        assert!(!found.is_empty());
        answers.keep(("kendal".into(), 5), &found);
        assert_eq!(answers.get(&("kendal".into(), 5)), Some(found));
        assert_eq!(
            answers.get(&("kendal".into(), 1)),
            None,
            "another limit, another answer"
        );
        assert_eq!(answers.get(&("kenda".into(), 5)), None);
        let long = "desa ".repeat(20);
        answers.keep((long.clone(), 5), &[]);
        assert_eq!(answers.get(&(long, 5)), None, "a long text is not kept");
        for i in 0..KEPT_REGION_ANSWERS + 10 {
            answers.keep((format!("q{i}"), 5), &[]);
        }
        assert!(answers.0.lock().unwrap().len() <= KEPT_REGION_ANSWERS);
    }

    #[test]
    fn names_starting_with_the_search_come_first_then_larger_regions() {
        let conn = directory();
        assert_eq!(
            names(&conn, "KENDAL", 20),
            [
                "Kabupaten Kendal 33.24",
                "Kendal 33.24.15",
                "Kendalrejo 33.24.15.1001",
                "Desa Kendal Jaya 32.09.10.2012",
            ],
            "a word inside a name counts, not a part of a word (Karangkendal)"
        );
        assert_eq!(
            names(&conn, "wéler", 20),
            ["Weleri 33.24.12", "Weleri 33.24.12.2007"]
        );
        assert_eq!(names(&conn, "kendal", 2).len(), 2, "the limit holds");
    }

    #[test]
    fn later_words_may_name_the_regions_a_place_lies_in() {
        let conn = directory();
        assert_eq!(
            names(&conn, "weleri kendal", 20),
            ["Weleri 33.24.12", "Weleri 33.24.12.2007"]
        );
        assert_eq!(names(&conn, "Kab. Kendal", 20), ["Kabupaten Kendal 33.24"]);
        assert_eq!(
            names(&conn, "kendal jaya", 20)[0],
            "Desa Kendal Jaya 32.09.10.2012",
            "all words in the name before words found in its parents"
        );
        assert!(names(&conn, "weleri boyolali", 20).is_empty());
        assert!(
            names(&conn, "kendal weleri", 20).is_empty(),
            "the first word names the place itself"
        );
    }

    #[test]
    fn word_keys_skip_a_regencys_designation() {
        use crate::seed::word_keys;
        assert_eq!(
            word_keys("kabupaten kendal"),
            [("kabupaten kendal".into(), true), ("kendal".into(), true)]
        );
        assert_eq!(
            word_keys("kota administrasi jakarta pusat"),
            [
                ("kota administrasi jakarta pusat".into(), true),
                ("administrasi jakarta pusat".into(), false),
                ("jakarta pusat".into(), true),
                ("pusat".into(), false),
            ]
        );
        assert_eq!(
            word_keys("kotabaru hilir"),
            [("kotabaru hilir".into(), true), ("hilir".into(), false)]
        );
    }
}
