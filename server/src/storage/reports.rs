//! Reports, their timeline events and the files that go with them.

use chrono::NaiveDate;
use lapor_core::api::{Classification, EventKind, Field, NewReport};
use lapor_core::calendar::DueDate;
use lapor_core::privacy::Privacy;
use lapor_core::tracking::TrackingId;
use lapor_core::{Locale, Status};
use rusqlite::{Connection, OptionalExtension, Row, named_params};

use super::parsed;

/// A stored report as its views read it, with its agency's and category's names.
#[derive(Clone, Debug)]
pub struct ReportRow {
    pub id: i64,
    pub tracking_id: TrackingId,
    pub access_hash: String,
    pub classification: Classification,
    pub title: String,
    pub body: String,
    pub agency_name: Option<String>,
    pub category_name: Option<String>,
    pub privacy: Privacy,
    pub status: Status,
    pub submitted_at: String,
    pub due_date: NaiveDate,
    pub due_estimate: bool,
    pub rating: Option<u8>,
    pub supporters: u32,
}

impl ReportRow {
    fn read(row: &Row) -> rusqlite::Result<ReportRow> {
        Ok(ReportRow {
            id: row.get("id")?,
            tracking_id: parsed(row, "tracking_id", |t| TrackingId::parse(t).ok())?,
            access_hash: row.get("access_hash")?,
            classification: parsed(row, "classification", Classification::from_code)?,
            title: row.get("title")?,
            body: row.get("body")?,
            agency_name: row.get("agency_name")?,
            category_name: row.get("category_name")?,
            privacy: Privacy {
                anonymous: row.get("anonymous")?,
                confidential: row.get("confidential")?,
            },
            status: Status::from_code(&row.get::<_, String>("status")?),
            submitted_at: row.get("submitted_at")?,
            due_date: parsed(row, "due_date", lapor_core::date::parse)?,
            due_estimate: row.get("due_estimate")?,
            rating: row.get("rating")?,
            supporters: row.get("supporters")?,
        })
    }
}

/// The report with this tracking number, if there is one.
pub fn find_report(
    conn: &Connection,
    tracking: &TrackingId,
) -> rusqlite::Result<Option<ReportRow>> {
    conn.query_row(
        "SELECT r.id, r.tracking_id, r.access_hash, r.classification, r.title, r.body,
                a.name AS agency_name, c.name_id AS category_name, r.anonymous, r.confidential,
                r.status, r.submitted_at, r.due_date, r.due_estimate, r.rating,
                r.supporters
         FROM reports r
         LEFT JOIN agencies a ON a.id = r.agency_id
         LEFT JOIN categories c ON c.id = r.category_id
         WHERE r.tracking_id = :tracking_id",
        named_params! { ":tracking_id": tracking.compact() },
        ReportRow::read,
    )
    .optional()
}

/// Whether a report already has this tracking number.
pub fn tracking_id_taken(conn: &Connection, tracking: &TrackingId) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM reports WHERE tracking_id = :tracking_id)",
        named_params! { ":tracking_id": tracking.compact() },
        |r| r.get(0),
    )
}

/// The fields of `report` that name something this server does not have: a region, agency
/// or category, or an attachment that is unknown or already another report's.
pub fn unknown_references(conn: &Connection, report: &NewReport) -> rusqlite::Result<Vec<Field>> {
    let region = report
        .location
        .as_ref()
        .and_then(|l| l.region_id.as_deref());
    let known = conn.query_row(
        "SELECT
           :region IS NULL OR EXISTS (SELECT 1 FROM regions WHERE code = :region)
             AS region_known,
           :agency IS NULL OR EXISTS (SELECT 1 FROM agencies WHERE id = :agency)
             AS agency_known,
           :category IS NULL OR EXISTS (SELECT 1 FROM categories WHERE id = :category)
             AS category_known",
        named_params! {
            ":region": region,
            ":agency": report.agency_id,
            ":category": report.category_id,
        },
        |r| {
            Ok([
                (Field::RegionId, r.get::<_, bool>("region_known")?),
                (Field::AgencyId, r.get("agency_known")?),
                (Field::CategoryId, r.get("category_known")?),
            ])
        },
    )?;
    let mut unknown: Vec<Field> = known
        .into_iter()
        .filter(|(_, known)| !known)
        .map(|(field, _)| field)
        .collect();
    if !attachments_free(conn, &report.attachment_ids)? {
        unknown.push(Field::AttachmentIds);
    }
    Ok(unknown)
}

/// Whether every upload `ids` names exists and no report has taken it yet.
pub fn attachments_free(conn: &Connection, ids: &[String]) -> rusqlite::Result<bool> {
    let mut free = conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM attachments WHERE id = :id AND report_id IS NULL)",
    )?;
    for id in ids {
        if !free.query_row(named_params! { ":id": id }, |r| r.get::<_, bool>(0))? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A new report as stored: `report` already validated and normalised (an anonymous report
/// carries no reporter).
pub struct NewReportRow<'a> {
    pub tracking_id: TrackingId,
    pub access_hash: &'a str,
    pub report: &'a NewReport,
    pub locale: Locale,
    pub submitted_at: &'a str,
    pub due: DueDate,
}

/// Stores a new report with the status `received` and the timeline event that says so;
/// returns its row id.
pub fn insert_report(conn: &Connection, new: &NewReportRow) -> rusqlite::Result<i64> {
    let report = new.report;
    let location = report.location.clone().unwrap_or_default();
    let reporter = report.reporter.clone().unwrap_or_default();
    conn.prepare_cached(
        "INSERT INTO reports (tracking_id, access_hash, classification, title, body,
           incident_date, region_id, location_text, lat, lon, agency_id, category_id,
           field_inspection, anonymous, confidential, reporter_name, reporter_email,
           reporter_phone, locale, status, submitted_at, due_date, due_estimate)
         VALUES (:tracking_id, :access_hash, :classification, :title, :body,
           :incident_date, :region_id, :location_text, :lat, :lon, :agency_id, :category_id,
           :field_inspection, :anonymous, :confidential, :reporter_name, :reporter_email,
           :reporter_phone, :locale, :status, :submitted_at, :due_date, :due_estimate)",
    )?
    .execute(named_params! {
            ":tracking_id": new.tracking_id.compact(),
            ":access_hash": new.access_hash,
            ":classification": report.classification.code(),
            ":title": report.title,
            ":body": report.body,
            ":incident_date": report.incident_date.map(|d| d.to_string()),
            ":region_id": location.region_id,
            ":location_text": location.text,
            ":lat": location.lat,
            ":lon": location.lon,
            ":agency_id": report.agency_id,
            ":category_id": report.category_id,
            ":field_inspection": report.field_inspection,
            ":anonymous": report.anonymous,
            ":confidential": report.confidential,
            ":reporter_name": reporter.name,
            ":reporter_email": reporter.email,
            ":reporter_phone": reporter.phone,
            ":locale": new.locale.tag(),
            ":status": Status::Received.code(),
            ":submitted_at": new.submitted_at,
            ":due_date": new.due.date.to_string(),
            ":due_estimate": new.due.estimate,
    })?;
    let report_id = conn.last_insert_rowid();
    insert_event(
        conn,
        &NewEventRow {
            report_id,
            at: new.submitted_at,
            kind: EventKind::Status,
            status: &Status::Received,
            agency_id: None,
            message: None,
        },
    )?;
    Ok(report_id)
}

/// A new timeline event of report `report_id`.
pub struct NewEventRow<'a> {
    pub report_id: i64,
    pub at: &'a str,
    pub kind: EventKind,
    /// The report's status after the event.
    pub status: &'a Status,
    pub agency_id: Option<&'a str>,
    pub message: Option<&'a str>,
}

/// Stores a timeline event; returns its row id.
pub fn insert_event(conn: &Connection, new: &NewEventRow) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO events (report_id, at, kind, status, agency_id, message)
         VALUES (:report_id, :at, :kind, :status, :agency_id, :message)",
    )?
    .execute(named_params! {
            ":report_id": new.report_id,
            ":at": new.at,
            ":kind": new.kind.code(),
            ":status": new.status.code(),
            ":agency_id": new.agency_id,
            ":message": new.message,
    })?;
    Ok(conn.last_insert_rowid())
}

/// A stored file as a timeline lists it (not its bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRow {
    pub id: String,
    pub filename: String,
    pub content_type: String,
    pub size: u64,
}

/// A timeline event with its agency's name and its files.
#[derive(Clone, Debug, PartialEq)]
pub struct EventRow {
    pub id: i64,
    pub at: String,
    pub kind: EventKind,
    pub status: Status,
    pub agency_name: Option<String>,
    pub message: Option<String>,
    pub files: Vec<FileRow>,
}

/// The timeline of report `report_id` in the order it happened, each event with its files
/// in the order they were uploaded: one query, grouped here.
pub fn events_of(conn: &Connection, report_id: i64) -> rusqlite::Result<Vec<EventRow>> {
    let mut statement = conn.prepare_cached(
        "SELECT e.id AS event_id, e.at, e.kind, e.status, ag.name AS agency_name, e.message,
                f.id AS file_id, f.filename, f.content_type, f.size
         FROM events e
         LEFT JOIN agencies ag ON ag.id = e.agency_id
         LEFT JOIN attachments f ON f.event_id = e.id
         WHERE e.report_id = :report_id
         ORDER BY e.id, f.created_at, f.rowid",
    )?;
    let mut rows = statement.query(named_params! { ":report_id": report_id })?;
    let mut events: Vec<EventRow> = Vec::new();
    while let Some(row) = rows.next()? {
        let id: i64 = row.get("event_id")?;
        if events.last().is_none_or(|event| event.id != id) {
            events.push(EventRow {
                id,
                at: row.get("at")?,
                kind: EventKind::from_code(&row.get::<_, String>("kind")?),
                status: Status::from_code(&row.get::<_, String>("status")?),
                agency_name: row.get("agency_name")?,
                message: row.get("message")?,
                files: Vec::new(),
            });
        }
        if let Some(file_id) = row.get::<_, Option<String>>("file_id")? {
            let event = events.last_mut().expect("pushed above");
            event.files.push(FileRow {
                id: file_id,
                filename: row.get("filename")?,
                content_type: row.get("content_type")?,
                size: row.get("size")?,
            });
        }
    }
    Ok(events)
}

/// The uploads `ids` become files of report `report_id` (sent with it).
pub fn attach_to_report(conn: &Connection, report_id: i64, ids: &[String]) -> rusqlite::Result<()> {
    let mut statement =
        conn.prepare_cached("UPDATE attachments SET report_id = :report_id WHERE id = :id")?;
    for id in ids {
        statement.execute(named_params! { ":report_id": report_id, ":id": id })?;
    }
    Ok(())
}

/// The uploads `ids` not yet taken by a report become files of event `event_id` of report
/// `report_id`.
pub fn attach_to_event(
    conn: &Connection,
    report_id: i64,
    event_id: i64,
    ids: &[String],
) -> rusqlite::Result<()> {
    let mut statement = conn.prepare_cached(
        "UPDATE attachments SET event_id = :event_id, report_id = :report_id
         WHERE id = :id AND report_id IS NULL",
    )?;
    for id in ids {
        statement
            .execute(named_params! { ":event_id": event_id, ":report_id": report_id, ":id": id })?;
    }
    Ok(())
}

/// The reporter's rating of report `report_id`.
pub fn record_rating(
    conn: &Connection,
    report_id: i64,
    stars: u8,
    comment: Option<&str>,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE reports SET rating = :stars, rating_comment = :comment WHERE id = :id",
        named_params! { ":stars": stars, ":comment": comment, ":id": report_id },
    )?;
    Ok(())
}

pub fn set_status(conn: &Connection, report_id: i64, status: &Status) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE reports SET status = :status WHERE id = :id",
        named_params! { ":status": status.code(), ":id": report_id },
    )?;
    Ok(())
}

/// The agency report `report_id` now sits with.
pub fn set_agency(conn: &Connection, report_id: i64, agency_id: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE reports SET agency_id = :agency_id WHERE id = :id",
        named_params! { ":agency_id": agency_id, ":id": report_id },
    )?;
    Ok(())
}

pub fn agency_exists(conn: &Connection, agency_id: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM agencies WHERE id = :id)",
        named_params! { ":id": agency_id },
        |r| r.get(0),
    )
}

/// A report in the admin's list.
#[derive(Clone, Debug)]
pub struct ReportSummaryRow {
    pub tracking_id: TrackingId,
    pub title: String,
    pub status: Status,
    pub submitted_at: String,
    /// Files the reporter sent with the report.
    pub files: u32,
    /// Devices supporting it ("dukung").
    pub supporters: u32,
}

/// The order of the admin's list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdminOrder {
    Newest,
    /// The most supported first (then the newest), so popular problems surface.
    MostSupported,
}

/// The reports (at most `limit`) whose title contains `title_contains`, ignoring case
/// (`LIKE`; empty for all), in `order`.
pub fn reports_titled(
    conn: &Connection,
    title_contains: &str,
    order: AdminOrder,
    limit: u32,
) -> rusqlite::Result<Vec<ReportSummaryRow>> {
    let pattern = format!(
        "%{}%",
        title_contains
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let order = match order {
        AdminOrder::Newest => "r.id DESC",
        AdminOrder::MostSupported => "r.supporters DESC, r.id DESC",
    };
    let mut statement = conn.prepare_cached(&format!(
        "SELECT r.tracking_id, r.title, r.status, r.submitted_at, r.supporters,
           (SELECT COUNT(*) FROM attachments a WHERE a.report_id = r.id AND a.event_id IS NULL)
             AS files
         FROM reports r
         WHERE r.title LIKE :pattern ESCAPE '\\' ORDER BY {order} LIMIT :limit"
    ))?;
    let rows = statement.query_map(
        named_params! { ":pattern": pattern, ":limit": limit },
        |row| {
            Ok(ReportSummaryRow {
                tracking_id: parsed(row, "tracking_id", |t| TrackingId::parse(t).ok())?,
                title: row.get("title")?,
                status: Status::from_code(&row.get::<_, String>("status")?),
                submitted_at: row.get("submitted_at")?,
                files: row.get("files")?,
                supporters: row.get("supporters")?,
            })
        },
    )?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::test_database;
    use lapor_core::api::Location;

    fn report() -> NewReport {
        NewReport {
            classification: Classification::Complaint,
            title: "Jalan berlubang di depan pasar".into(),
            body: "Lubang besar sejak dua minggu, membahayakan pengendara motor.".into(),
            incident_date: lapor_core::date::parse("2026-03-01"),
            location: Some(Location {
                text: Some("Jl. Pemuda".into()),
                ..Location::default()
            }),
            agency_id: None,
            category_id: None,
            field_inspection: false,
            anonymous: true,
            confidential: false,
            reporter: None,
            attachment_ids: Vec::new(),
            locale: None,
        }
    }

    fn upload(conn: &Connection, id: &str, created_at: &str) {
        conn.execute(
            "INSERT INTO attachments (id, filename, content_type, size, data, created_at)
             VALUES (:id, :filename, 'image/jpeg', 3, x'FFD8FF', :created_at)",
            named_params! { ":id": id, ":filename": format!("{id}.jpg"), ":created_at": created_at },
        )
        .unwrap();
    }

    fn stored(conn: &Connection) -> (TrackingId, i64) {
        let tracking = TrackingId::from_random(0x12_3456_789A);
        let id = insert_report(
            conn,
            &NewReportRow {
                tracking_id: tracking,
                access_hash: "hash",
                report: &report(),
                locale: Locale::Id,
                submitted_at: "2026-03-02T01:00:00Z",
                due: DueDate {
                    date: lapor_core::date::parse("2026-03-16").unwrap(),
                    estimate: false,
                },
            },
        )
        .unwrap();
        (tracking, id)
    }

    #[test]
    fn a_stored_report_reads_back_by_its_tracking_number() {
        let conn = test_database();
        let (tracking, id) = stored(&conn);
        assert!(tracking_id_taken(&conn, &tracking).unwrap());
        let row = find_report(&conn, &tracking).unwrap().expect("stored");
        assert_eq!(row.id, id);
        assert_eq!(row.tracking_id, tracking);
        assert_eq!(row.status, Status::Received);
        assert_eq!(row.classification, Classification::Complaint);
        assert_eq!(row.due_date.to_string(), "2026-03-16");
        assert!(row.privacy.anonymous && !row.privacy.confidential);
        let other = TrackingId::from_random(1);
        assert!(find_report(&conn, &other).unwrap().is_none());
        assert!(!tracking_id_taken(&conn, &other).unwrap());
    }

    #[test]
    fn a_reports_events_come_back_in_order_with_their_files_from_one_query() {
        let conn = test_database();
        let (_, report_id) = stored(&conn);
        conn.execute(
            "INSERT INTO agencies (id, name, tier, search) VALUES ('dpu', 'DPU', 'kab', 'dpu')",
            [],
        )
        .unwrap();
        let event = |at: &str, kind: EventKind, status: Status, message: Option<&str>| {
            insert_event(
                &conn,
                &NewEventRow {
                    report_id,
                    at,
                    kind,
                    status: &status,
                    agency_id: message.map(|_| "dpu"),
                    message,
                },
            )
            .unwrap()
        };
        // The report was stored with its first event.
        let received = events_of(&conn, report_id).unwrap()[0].id;
        let response = event(
            "2026-03-03T01:00:00Z",
            EventKind::Response,
            Status::InProgress,
            Some("Tim dijadwalkan"),
        );
        let reply = event(
            "2026-03-04T01:00:00Z",
            EventKind::Reply,
            Status::InProgress,
            Some("Terima kasih"),
        );
        let resolved = event(
            "2026-03-05T01:00:00Z",
            EventKind::Response,
            Status::Resolved,
            Some("Sudah ditambal"),
        );
        // Uploaded out of order; each event lists its own files by upload time.
        upload(&conn, "after", "2026-03-05T00:30:00Z");
        upload(&conn, "before", "2026-03-05T00:10:00Z");
        upload(&conn, "survey", "2026-03-03T00:10:00Z");
        upload(&conn, "loose", "2026-03-03T00:20:00Z");
        attach_to_event(
            &conn,
            report_id,
            resolved,
            &["after".into(), "before".into()],
        )
        .unwrap();
        attach_to_event(&conn, report_id, response, &["survey".into()]).unwrap();
        // A file sent with the report itself belongs to no event.
        attach_to_report(&conn, report_id, &["loose".into()]).unwrap();

        let events = events_of(&conn, report_id).unwrap();
        let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
        assert_eq!(ids, [received, response, reply, resolved]);
        let kinds: Vec<&EventKind> = events.iter().map(|e| &e.kind).collect();
        assert_eq!(
            kinds,
            [
                &EventKind::Status,
                &EventKind::Response,
                &EventKind::Reply,
                &EventKind::Response
            ]
        );
        let files =
            |i: usize| -> Vec<&str> { events[i].files.iter().map(|f| f.id.as_str()).collect() };
        assert_eq!(files(0), Vec::<&str>::new());
        assert_eq!(files(1), ["survey"]);
        assert_eq!(files(2), Vec::<&str>::new());
        assert_eq!(files(3), ["before", "after"]);
        assert_eq!(events[1].message.as_deref(), Some("Tim dijadwalkan"));
        assert_eq!(events[1].agency_name.as_deref(), Some("DPU"));
        assert_eq!(events[0].agency_name, None);
        assert_eq!(events[3].status, Status::Resolved);
        assert_eq!(
            events[3].files[0],
            FileRow {
                id: "before".into(),
                filename: "before.jpg".into(),
                content_type: "image/jpeg".into(),
                size: 3,
            }
        );
        // Another report's timeline is not mixed in.
        assert!(events_of(&conn, report_id + 1).unwrap().is_empty());
    }

    #[test]
    fn unknown_references_name_their_fields() {
        let conn = test_database();
        let mut new = report();
        assert!(unknown_references(&conn, &new).unwrap().is_empty());
        new.agency_id = Some("nope".into());
        new.category_id = Some("nope".into());
        new.location = Some(Location {
            region_id: Some("99.99".into()),
            ..Location::default()
        });
        new.attachment_ids = vec!["missing".into()];
        assert_eq!(
            unknown_references(&conn, &new).unwrap(),
            [
                Field::RegionId,
                Field::AgencyId,
                Field::CategoryId,
                Field::AttachmentIds
            ]
        );
        upload(&conn, "free", "2026-03-01T00:00:00Z");
        new = report();
        new.attachment_ids = vec!["free".into()];
        assert!(unknown_references(&conn, &new).unwrap().is_empty());
        let (_, id) = stored(&conn);
        attach_to_report(&conn, id, &["free".into()]).unwrap();
        assert_eq!(
            unknown_references(&conn, &new).unwrap(),
            [Field::AttachmentIds]
        );
    }
}
