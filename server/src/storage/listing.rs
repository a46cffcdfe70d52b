//! The public reports list and support ("dukung"): which reports a list query finds, newest
//! first, and who supports a report (as digests of devices' keys).
//!
//! Only reports the privacy rule lets a list show are read ([`LISTED`], the SQL form of
//! `core::privacy`'s rule, checked against it in `service_requests.rs`); nothing about a
//! reporter is read at all. Each filter has an index over listed reports (migration 5 in
//! `db.rs`), so a filter with newest-first is one index walk; text search goes through the
//! FTS5 table `reports_fts`.

use chrono::NaiveDate;
use lapor_core::api::Classification;
use lapor_core::listing::{ListQuery, StatusFilter};
use lapor_core::privacy::Privacy;
use lapor_core::tracking::TrackingId;
use lapor_core::{Locale, Status};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, named_params};

use super::service_requests::LISTED;
use super::{NamedValues, bind, in_list, parsed};

/// A listed report as its summary reads it: no reporter columns are selected.
#[derive(Clone, Debug)]
pub struct ListedRow {
    pub tracking_id: TrackingId,
    pub title: String,
    pub body: String,
    pub status: Status,
    pub classification: Option<Classification>,
    pub privacy: Privacy,
    pub agency_name: Option<String>,
    pub category_name: Option<String>,
    pub region_name: Option<String>,
    /// The region's parents' names, nearest first.
    pub region_parents: Vec<String>,
    pub submitted_at: String,
    pub due_date: NaiveDate,
    pub supporters: u32,
}

/// The FTS5 query for `words` (already search keys: letters and digits only): every word,
/// as a word or the start of one.
fn match_expression(words: &[String]) -> String {
    words
        .iter()
        .map(|word| format!("\"{}\"*", word.replace('"', "")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The agency `id` and every agency under it (a regency's offices and districts), `id`
/// first; nothing for no agency.
fn agency_and_below(conn: &Connection, id: Option<&str>) -> rusqlite::Result<Vec<String>> {
    let Some(id) = id else {
        return Ok(Vec::new());
    };
    let mut statement = conn.prepare_cached(
        "WITH RECURSIVE under(id) AS (
           SELECT :agency UNION SELECT a.id FROM agencies a JOIN under u ON a.parent_id = u.id
         ) SELECT id FROM under",
    )?;
    let rows = statement.query_map(named_params! { ":agency": id }, |r| r.get(0))?;
    rows.collect()
}

/// The `WHERE` clause of `query` (with its agency resolved to `agencies`, from
/// [`agency_and_below`]) and its named parameters.
fn conditions(query: &ListQuery, agencies: &[String]) -> (String, NamedValues) {
    let mut named = NamedValues::new();
    let mut conditions = vec![LISTED.to_owned()];
    match &query.status {
        Some(StatusFilter::One(status)) => {
            conditions.push("r.status = :status".into());
            named.push((":status".into(), Value::Text(status.code().to_owned())));
        }
        Some(group) => {
            // A group is most of the reports: walking newest-first and skipping the rest is
            // faster than the status index (the unary + keeps SQLite from choosing it).
            let finals = StatusFilter::Closed.codes().into_iter().map(Value::Text);
            let list = in_list(&mut named, "final", finals);
            let not = if *group == StatusFilter::Open {
                "NOT "
            } else {
                ""
            };
            conditions.push(format!("+r.status {not}IN ({list})"));
        }
        None => {}
    }
    if let Some(classification) = query.classification {
        conditions.push("r.classification = :classification".into());
        named.push((
            ":classification".into(),
            Value::Text(classification.code().to_owned()),
        ));
    }
    if let Some(category) = &query.category {
        conditions.push("r.category_id = :category".into());
        named.push((":category".into(), Value::Text(category.clone())));
    }
    match agencies {
        [] => {}
        [agency] => {
            conditions.push("r.agency_id = :agency".into());
            named.push((":agency".into(), Value::Text(agency.clone())));
        }
        many => {
            // An agency with others under it holds many reports: walking newest-first is
            // faster than merging several index ranges and sorting them.
            let list = in_list(&mut named, "agency", many.iter().cloned().map(Value::Text));
            conditions.push(format!("+r.agency_id IN ({list})"));
        }
    }
    if let Some(region) = &query.region {
        // The region and every region under it, by whole dotted segments: codes are digits
        // and dots, so [code, code + "/") holds exactly `code` and `code.…` ('/' follows
        // '.' and precedes the digits): `33.24` holds `33.24.12.2001`, `33.2` not `33.24`.
        // Only a complaint's place is public (`privacy::place_is_public`): the others' is
        // where their reporter lives, which a filter must not reveal by what it finds.
        conditions.push(
            "r.region_id >= :region AND r.region_id < :region_end \
             AND r.classification = :public_place_kind"
                .into(),
        );
        named.push((":region".into(), Value::Text(region.clone())));
        named.push((":region_end".into(), Value::Text(format!("{region}/"))));
        named.push((
            ":public_place_kind".into(),
            Value::Text(Classification::Complaint.code().to_owned()),
        ));
    }
    let words = query.words();
    if !words.is_empty() {
        conditions
            .push("r.id IN (SELECT rowid FROM reports_fts WHERE reports_fts MATCH :words)".into());
        named.push((":words".into(), Value::Text(match_expression(&words))));
    }
    (conditions.join(" AND "), named)
}

/// The page of listed reports `query` asks for, newest first, and whether more follow.
/// Category names in `locale`.
pub fn listed_reports(
    conn: &Connection,
    query: &ListQuery,
    locale: Locale,
) -> rusqlite::Result<(Vec<ListedRow>, bool)> {
    let agencies = agency_and_below(conn, query.agency.as_deref())?;
    let (condition, mut named) = conditions(query, &agencies);
    let page_size = i64::from(query.page_size.max(1));
    named.push((":limit".into(), Value::Integer(page_size + 1)));
    named.push((
        ":offset".into(),
        Value::Integer(i64::try_from(query.offset()).unwrap_or(i64::MAX)),
    ));
    named.push((
        ":english".into(),
        Value::Integer(i64::from(locale == Locale::En)),
    ));
    let sql = format!(
        "SELECT r.tracking_id, r.title, r.body, r.status, r.classification, r.anonymous,
                r.confidential, a.name AS agency_name,
                CASE WHEN :english THEN c.name_en ELSE c.name_id END AS category_name,
                g.name AS region_name, g.parents AS region_parents, r.submitted_at,
                r.due_date, r.supporters
         FROM reports r
         LEFT JOIN agencies a ON a.id = r.agency_id
         LEFT JOIN categories c ON c.id = r.category_id
         LEFT JOIN regions g ON g.code = r.region_id
         WHERE {condition} ORDER BY r.id DESC LIMIT :limit OFFSET :offset"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map(bind(&named).as_slice(), |row| {
        let parents: Option<String> = row.get("region_parents")?;
        Ok(ListedRow {
            tracking_id: parsed(row, "tracking_id", |t| TrackingId::parse(t).ok())?,
            title: row.get("title")?,
            body: row.get("body")?,
            status: Status::from_code(&row.get::<_, String>("status")?),
            classification: Classification::from_code(&row.get::<_, String>("classification")?),
            privacy: Privacy {
                anonymous: row.get("anonymous")?,
                confidential: row.get("confidential")?,
            },
            agency_name: row.get("agency_name")?,
            category_name: row.get("category_name")?,
            region_name: row.get("region_name")?,
            region_parents: parents
                .filter(|p| !p.is_empty())
                .map(|p| p.split('|').map(str::to_owned).collect())
                .unwrap_or_default(),
            submitted_at: row.get("submitted_at")?,
            due_date: parsed(row, "due_date", lapor_core::date::parse)?,
            supporters: row.get("supporters")?,
        })
    })?;
    let mut rows = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    let more = rows.len() as i64 > page_size;
    rows.truncate(page_size as usize);
    Ok((rows, more))
}

/// A report that may be supported: its row id, if `tracking` names a listed report.
pub fn listed_report_id(conn: &Connection, tracking: &TrackingId) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        &format!("SELECT r.id FROM reports r WHERE r.tracking_id = :tracking_id AND {LISTED}"),
        named_params! { ":tracking_id": tracking.compact() },
        |r| r.get(0),
    )
    .optional()
}

/// Records `supporter` (a digest) as supporting report `report_id`; a second time changes
/// nothing. Returns the report's supporters.
pub fn add_support(
    conn: &Connection,
    report_id: i64,
    supporter: &str,
    at: &str,
) -> rusqlite::Result<u32> {
    conn.execute(
        "INSERT OR IGNORE INTO supports (report_id, supporter, created_at)
         VALUES (:report_id, :supporter, :at)",
        named_params! { ":report_id": report_id, ":supporter": supporter, ":at": at },
    )?;
    supporters(conn, report_id)
}

/// `supporter` no longer supports report `report_id` (if it did). Returns the supporters.
pub fn withdraw_support(
    conn: &Connection,
    report_id: i64,
    supporter: &str,
) -> rusqlite::Result<u32> {
    conn.execute(
        "DELETE FROM supports WHERE report_id = :report_id AND supporter = :supporter",
        named_params! { ":report_id": report_id, ":supporter": supporter },
    )?;
    supporters(conn, report_id)
}

fn supporters(conn: &Connection, report_id: i64) -> rusqlite::Result<u32> {
    conn.query_row(
        "SELECT supporters FROM reports WHERE id = :id",
        named_params! { ":id": report_id },
        |r| r.get(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::test_database;

    #[test]
    fn an_agency_holds_the_agencies_under_it() {
        let mut conn = test_database();
        crate::seed::seed_if_empty(&mut conn).unwrap();
        assert!(agency_and_below(&conn, None).unwrap().is_empty());
        assert_eq!(
            agency_and_below(&conn, Some("kendal-dpupr")).unwrap(),
            ["kendal-dpupr"]
        );
        let kendal = agency_and_below(&conn, Some("kab-kendal")).unwrap();
        assert_eq!(kendal[0], "kab-kendal");
        assert!(kendal.contains(&"kendal-dpupr".to_owned()));
        assert!(kendal.contains(&"kendal-kec-weleri".to_owned()));
        assert!(!kendal.contains(&"kota-semarang".to_owned()));
        let province = agency_and_below(&conn, Some("prov-jateng")).unwrap();
        assert!(province.contains(&"kendal-kec-weleri".to_owned()));
        assert!(province.contains(&"kota-semarang".to_owned()));
    }

    #[test]
    fn every_word_is_a_quoted_prefix() {
        assert_eq!(
            match_expression(&["lampu".into(), "mati".into()]),
            "\"lampu\"* \"mati\"*"
        );
    }

    #[test]
    fn filters_newest_first_use_an_index_not_a_sort() {
        let conn = test_database();
        for query in [
            "category=infrastruktur",
            "agency=kendal-dpupr",
            "classification=complaint",
            "status=received",
            "",
        ] {
            let query = ListQuery::from_pairs(query.split_once('=')).unwrap();
            let agencies = agency_and_below(&conn, query.agency.as_deref()).unwrap();
            let (condition, named) = conditions(&query, &agencies);
            let sql = format!(
                "EXPLAIN QUERY PLAN SELECT r.id FROM reports r WHERE {condition}
                 ORDER BY r.id DESC LIMIT 21"
            );
            let mut statement = conn.prepare(&sql).unwrap();
            let plan: Vec<String> = statement
                .query_map(bind(&named).as_slice(), |r| r.get::<_, String>(3))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let plan = plan.join("\n");
            assert!(!plan.contains("TEMP B-TREE"), "{query:?} sorts:\n{plan}");
        }
    }
}
