//! Updates by email: who may get them, and the durable queue of messages waiting for the
//! SMTP server (written in the transaction of the event they tell about).

use lapor_core::Locale;
use lapor_core::tracking::TrackingId;
use rusqlite::{Connection, OptionalExtension, Row, named_params};

use super::parsed;

/// Where a report's updates go: its reporter's email and language, if they left an email and
/// have not stopped the updates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdateRecipientRow {
    pub email: String,
    pub locale: Locale,
}

/// The reporter of report `report_id` who still wants updates by email; `None` for an
/// anonymous report, one without an email, or one whose updates were stopped.
pub fn update_recipient(
    conn: &Connection,
    report_id: i64,
) -> rusqlite::Result<Option<UpdateRecipientRow>> {
    conn.query_row(
        "SELECT reporter_email, locale FROM reports
         WHERE id = :id AND anonymous = 0 AND email_updates = 1
           AND reporter_email IS NOT NULL AND reporter_email <> ''",
        named_params! { ":id": report_id },
        |row| {
            Ok(UpdateRecipientRow {
                email: row.get("reporter_email")?,
                locale: row
                    .get::<_, Option<String>>("locale")?
                    .as_deref()
                    .and_then(Locale::parse)
                    .unwrap_or_default(),
            })
        },
    )
    .optional()
}

/// Stops the updates by email of the report with this tracking number; returns its
/// reporter's language, or `None` when there is no such report.
pub fn stop_email_updates(
    conn: &Connection,
    tracking: &TrackingId,
) -> rusqlite::Result<Option<Locale>> {
    conn.query_row(
        "UPDATE reports SET email_updates = 0 WHERE tracking_id = :tracking_id
         RETURNING locale",
        named_params! { ":tracking_id": tracking.compact() },
        |row| {
            Ok(row
                .get::<_, Option<String>>("locale")?
                .as_deref()
                .and_then(Locale::parse)
                .unwrap_or_default())
        },
    )
    .optional()
}

/// A message to send.
pub struct NewMailRow<'a> {
    pub report_id: i64,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    /// The unsubscribe link, also sent as the `List-Unsubscribe` header.
    pub unsubscribe_url: &'a str,
    /// Unix milliseconds.
    pub due_at: i64,
}

/// Queues a message; returns its row id.
pub fn queue_mail(conn: &Connection, new: &NewMailRow) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO mail_queue (report_id, recipient, subject, body, unsubscribe_url,
           attempts, next_attempt_at)
         VALUES (:report_id, :recipient, :subject, :body, :unsubscribe_url, 0, :due_at)",
        named_params! {
            ":report_id": new.report_id,
            ":recipient": new.recipient,
            ":subject": new.subject,
            ":body": new.body,
            ":unsubscribe_url": new.unsubscribe_url,
            ":due_at": new.due_at,
        },
    )?;
    Ok(conn.last_insert_rowid())
}

/// A queued message that is due.
#[derive(Clone, Debug)]
pub struct QueuedMailRow {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub unsubscribe_url: String,
    pub attempts: u32,
    /// The reporter stopped the updates after this one was queued: it is not sent.
    pub stopped: bool,
    pub tracking_id: TrackingId,
}

impl QueuedMailRow {
    fn read(row: &Row) -> rusqlite::Result<QueuedMailRow> {
        Ok(QueuedMailRow {
            id: row.get("id")?,
            recipient: row.get("recipient")?,
            subject: row.get("subject")?,
            body: row.get("body")?,
            unsubscribe_url: row.get("unsubscribe_url")?,
            attempts: row.get("attempts")?,
            stopped: !row.get::<_, bool>("email_updates")?,
            tracking_id: parsed(row, "tracking_id", |t| TrackingId::parse(t).ok())?,
        })
    }
}

/// The messages due at `now` (Unix milliseconds), oldest first, at most `limit`.
pub fn due_mail(conn: &Connection, now: i64, limit: u32) -> rusqlite::Result<Vec<QueuedMailRow>> {
    let mut statement = conn.prepare_cached(
        "SELECT m.id, m.recipient, m.subject, m.body, m.unsubscribe_url, m.attempts,
                r.email_updates, r.tracking_id
         FROM mail_queue m JOIN reports r ON r.id = m.report_id
         WHERE m.next_attempt_at <= :now
         ORDER BY m.next_attempt_at, m.id LIMIT :limit",
    )?;
    let rows = statement.query_map(
        named_params! { ":now": now, ":limit": limit },
        QueuedMailRow::read,
    )?;
    rows.collect()
}

/// The message left the queue: sent, refused for good, or no longer wanted.
pub fn remove_mail(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM mail_queue WHERE id = :id",
        named_params! { ":id": id },
    )?;
    Ok(())
}

/// The message could not be sent now: try again at `retry_at` (Unix milliseconds).
pub fn retry_mail(conn: &Connection, id: i64, retry_at: i64, error: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE mail_queue SET attempts = attempts + 1, next_attempt_at = :retry_at,
           last_error = :error WHERE id = :id",
        named_params! { ":id": id, ":retry_at": retry_at, ":error": error },
    )?;
    Ok(())
}
