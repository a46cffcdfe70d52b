//! What the Open311 dialect reads: categories as services, reports as service requests.

use chrono::NaiveDate;
use lapor_core::Status;
use lapor_core::api::Classification;
use lapor_core::privacy::Privacy;
use lapor_core::tracking::TrackingId;
use rusqlite::types::Value;
use rusqlite::{Connection, named_params};

use super::{NamedValues, bind, in_list, parsed};

/// A category, which Open311 calls a service.
pub struct CategoryRow {
    pub id: String,
    pub name_id: String,
    pub name_en: String,
}

/// The most categories a list answers (the native list and Open311's services): the seed
/// holds ten, and a database changed by hand still gets a bounded answer.
pub const MAX_CATEGORIES: u32 = 200;

/// The categories in their display order, at most [`MAX_CATEGORIES`].
pub fn categories(conn: &Connection) -> rusqlite::Result<Vec<CategoryRow>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, name_id, name_en FROM categories ORDER BY position LIMIT :limit",
    )?;
    let rows = statement.query_map(named_params! { ":limit": MAX_CATEGORIES }, |row| {
        Ok(CategoryRow {
            id: row.get("id")?,
            name_id: row.get("name_id")?,
            name_en: row.get("name_en")?,
        })
    })?;
    rows.collect()
}

pub fn category_exists(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM categories WHERE id = :id)",
        named_params! { ":id": id },
        |r| r.get(0),
    )
}

/// The SQL form of `core`'s privacy rule for lists (`disclosure(…).listed`): a confidential
/// report is in no list. A test below checks the two agree for every kind of report.
pub(super) const LISTED: &str = "r.confidential = 0";

/// Whether a listed request is still open (its status is not final, `Status::is_final`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestState {
    Open,
    Closed,
}

/// Which service requests to read.
pub enum RequestFilter {
    /// These requests, whatever else is asked (the spec's rule); a confidential one is
    /// included, and its view shows only what the privacy rule allows.
    Ids(Vec<TrackingId>),
    /// A list: only what the privacy rule lets a list show, narrowed by these.
    Listed {
        /// Any of these services; empty for all.
        service_codes: Vec<String>,
        /// Submitted at or after / at or before (RFC 3339, compared as text).
        start: Option<String>,
        end: Option<String>,
        state: Option<RequestState>,
    },
}

impl RequestFilter {
    /// The `WHERE` clause and its named parameters.
    fn to_sql(&self) -> (String, NamedValues) {
        let mut named = NamedValues::new();
        let mut conditions = Vec::new();
        match self {
            RequestFilter::Ids(ids) => {
                let ids = ids.iter().map(|t| Value::Text(t.compact()));
                let list = in_list(&mut named, "id", ids);
                conditions.push(format!("r.tracking_id IN ({list})"));
            }
            RequestFilter::Listed {
                service_codes,
                start,
                end,
                state,
            } => {
                conditions.push(LISTED.to_owned());
                if !service_codes.is_empty() {
                    let codes = service_codes.iter().cloned().map(Value::Text);
                    let list = in_list(&mut named, "service", codes);
                    conditions.push(format!("r.category_id IN ({list})"));
                }
                if let Some(start) = start {
                    conditions.push("r.submitted_at >= :start".into());
                    named.push((":start".into(), Value::Text(start.clone())));
                }
                if let Some(end) = end {
                    conditions.push("r.submitted_at <= :end".into());
                    named.push((":end".into(), Value::Text(end.clone())));
                }
                if let Some(state) = state {
                    let finals = Status::KNOWN
                        .iter()
                        .filter(|s| s.is_final())
                        .map(|s| Value::Text(s.code().to_owned()));
                    let list = in_list(&mut named, "final", finals);
                    let not = if *state == RequestState::Open {
                        "NOT "
                    } else {
                        ""
                    };
                    conditions.push(format!("r.status {not}IN ({list})"));
                }
            }
        }
        (conditions.join(" AND "), named)
    }
}

/// A report as a GeoReport service request reads it, before the privacy rule cuts it.
#[derive(Clone, Debug)]
pub struct ServiceRequestRow {
    pub tracking_id: TrackingId,
    pub status: Status,
    pub privacy: Privacy,
    /// Only a complaint's place is public (`privacy::place_is_public`).
    pub classification: Option<Classification>,
    pub body: String,
    pub category_id: Option<String>,
    pub category_name: Option<String>,
    pub agency_name: Option<String>,
    pub submitted_at: String,
    /// When the latest event happened.
    pub updated_at: Option<String>,
    pub due_date: NaiveDate,
    pub location_text: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// The latest event's message.
    pub status_notes: Option<String>,
}

/// Page `page` (from 1) of `page_size` requests matching `filter`, newest first.
pub fn service_requests(
    conn: &Connection,
    filter: &RequestFilter,
    page: u32,
    page_size: u32,
) -> rusqlite::Result<Vec<ServiceRequestRow>> {
    let (condition, mut named) = filter.to_sql();
    let offset = i64::from(page.saturating_sub(1)) * i64::from(page_size);
    named.push((":limit".into(), Value::Integer(page_size.into())));
    named.push((":offset".into(), Value::Integer(offset)));
    let sql = format!(
        "SELECT r.tracking_id, r.status, r.confidential, r.anonymous, r.classification,
                r.body, r.category_id,
                c.name_id AS category_name, a.name AS agency_name, r.submitted_at, r.due_date,
                r.location_text, r.lat, r.lon,
                (SELECT e.at FROM events e WHERE e.report_id = r.id ORDER BY e.id DESC LIMIT 1)
                  AS updated_at,
                (SELECT e.message FROM events e WHERE e.report_id = r.id
                   AND e.message IS NOT NULL ORDER BY e.id DESC LIMIT 1) AS status_notes
         FROM reports r
         LEFT JOIN categories c ON c.id = r.category_id
         LEFT JOIN agencies a ON a.id = r.agency_id
         WHERE {condition} ORDER BY r.id DESC LIMIT :limit OFFSET :offset"
    );
    let mut statement = conn.prepare(&sql)?;
    let rows = statement.query_map(bind(&named).as_slice(), |row| {
        Ok(ServiceRequestRow {
            tracking_id: parsed(row, "tracking_id", |t| TrackingId::parse(t).ok())?,
            status: Status::from_code(&row.get::<_, String>("status")?),
            privacy: Privacy {
                anonymous: row.get("anonymous")?,
                confidential: row.get("confidential")?,
            },
            classification: Classification::from_code(&row.get::<_, String>("classification")?),
            body: row.get("body")?,
            category_id: row.get("category_id")?,
            category_name: row.get("category_name")?,
            agency_name: row.get("agency_name")?,
            submitted_at: row.get("submitted_at")?,
            updated_at: row.get("updated_at")?,
            due_date: parsed(row, "due_date", lapor_core::date::parse)?,
            location_text: row.get("location_text")?,
            lat: row.get("lat")?,
            lon: row.get("lon")?,
            status_notes: row.get("status_notes")?,
        })
    })?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::test_database;
    use lapor_core::privacy::{self, Viewer};

    #[test]
    fn the_sql_list_filter_is_cores_privacy_rule() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE reports (anonymous INTEGER, confidential INTEGER);")
            .unwrap();
        for anonymous in [false, true] {
            for confidential in [false, true] {
                conn.execute(
                    "INSERT INTO reports VALUES (:anonymous, :confidential)",
                    named_params! { ":anonymous": anonymous, ":confidential": confidential },
                )
                .unwrap();
                let privacy = Privacy {
                    anonymous,
                    confidential,
                };
                let listed: bool = conn
                    .query_row(
                        &format!(
                            "SELECT EXISTS (SELECT 1 FROM reports r
                             WHERE r.rowid = last_insert_rowid() AND {LISTED})"
                        ),
                        [],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert_eq!(
                    listed,
                    privacy::disclosure(privacy, Viewer::Public).listed,
                    "{privacy:?}"
                );
            }
        }
    }

    #[test]
    fn open_and_closed_are_cores_final_statuses_and_lists_leave_out_confidential_reports() {
        let conn = test_database();
        let mut ids = Vec::new();
        for (n, status) in Status::KNOWN
            .iter()
            .cloned()
            .chain([Status::Unknown("menunggu_dokumen".into())])
            .enumerate()
        {
            for confidential in [false, true] {
                let tracking = TrackingId::from_random((n as u64) * 2 + u64::from(confidential));
                conn.execute(
                    "INSERT INTO reports (tracking_id, access_hash, classification, title, body,
                       field_inspection, anonymous, confidential, status, submitted_at,
                       due_date, due_estimate)
                     VALUES (:tracking_id, 'h', 'complaint', 't', 'b', 0, 0, :confidential,
                       :status, '2026-03-01T00:00:00Z', '2026-03-16', 0)",
                    named_params! {
                        ":tracking_id": tracking.compact(),
                        ":confidential": confidential,
                        ":status": status.code(),
                    },
                )
                .unwrap();
                ids.push(tracking);
            }
        }
        let listed = |state| {
            let filter = RequestFilter::Listed {
                service_codes: Vec::new(),
                start: None,
                end: None,
                state,
            };
            service_requests(&conn, &filter, 1, 100).unwrap()
        };
        let all = listed(None);
        assert_eq!(all.len(), Status::KNOWN.len() + 1);
        assert!(all.iter().all(|r| !r.privacy.confidential));
        for (state, is_final) in [(RequestState::Open, false), (RequestState::Closed, true)] {
            let rows = listed(Some(state));
            assert!(!rows.is_empty());
            assert!(
                rows.iter().all(|r| r.status.is_final() == is_final),
                "{state:?}"
            );
        }
        assert_eq!(
            listed(Some(RequestState::Open)).len() + listed(Some(RequestState::Closed)).len(),
            all.len()
        );
        // By id, a confidential request is found (and cut by the privacy rule later).
        let found = service_requests(&conn, &RequestFilter::Ids(ids[..2].to_vec()), 1, 10).unwrap();
        assert_eq!(found.len(), 2);
        // Pages do not overlap.
        let first = service_requests(&conn, &RequestFilter::Ids(ids.clone()), 1, 3).unwrap();
        let second = service_requests(&conn, &RequestFilter::Ids(ids.clone()), 2, 3).unwrap();
        assert_eq!(first.len(), 3);
        assert!(
            first
                .iter()
                .all(|a| second.iter().all(|b| a.tracking_id != b.tracking_id))
        );
    }
}
