//! The database behind the routes (schema and migrations in `db.rs`): one function per read
//! or write, rows read into structs by column name, parameters bound by name. Routes decide
//! what to do; this module only says how it is stored. Every function takes the caller's
//! connection or transaction, so a route's steps commit together.

mod attachments;
pub mod bench_seed;
mod listing;
mod mail_queue;
mod reports;
mod service_requests;

pub use attachments::{NewUploadRow, StoredFileRow, insert_upload, stored_file};
pub use listing::{ListedRow, add_support, listed_report_id, listed_reports, withdraw_support};
pub use mail_queue::{
    NewMailRow, QueuedMailRow, UpdateRecipientRow, due_mail, queue_mail, remove_mail, retry_mail,
    stop_email_updates, update_recipient,
};
pub use reports::{
    AdminOrder, EventRow, FileRow, NewEventRow, NewReportRow, ReportRow, ReportSummaryRow,
    agency_exists, attach_to_event, attach_to_report, attachments_free, events_of, find_report,
    insert_event, insert_report, record_rating, reports_titled, set_agency, set_status,
    tracking_id_taken, unknown_references,
};
pub use service_requests::{
    CategoryRow, RequestFilter, RequestState, ServiceRequestRow, categories, category_exists,
    service_requests,
};

use rusqlite::Row;
use rusqlite::types::{Type, Value};

/// A text column read through `parse`; a value it refuses is a conversion error naming the
/// column (the database holds something this server did not write).
fn parsed<T>(
    row: &Row,
    column: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    let raw: String = row.get(column)?;
    parse(&raw).ok_or_else(|| {
        let index = row.as_ref().column_index(column).unwrap_or(0);
        rusqlite::Error::FromSqlConversionFailure(
            index,
            Type::Text,
            format!("{column}: unexpected value {raw:?}").into(),
        )
    })
}

/// Named parameters built at run time (lists of ids), bound with [`bind`].
type NamedValues = Vec<(String, Value)>;

fn bind(values: &NamedValues) -> Vec<(&str, &dyn rusqlite::ToSql)> {
    values
        .iter()
        .map(|(name, value)| (name.as_str(), value as &dyn rusqlite::ToSql))
        .collect()
}

/// `:prefix0, :prefix1, …` for `values`, added to `named`: the body of an `IN (…)` list.
fn in_list(
    named: &mut NamedValues,
    prefix: &str,
    values: impl IntoIterator<Item = Value>,
) -> String {
    let mut names = Vec::new();
    for (i, value) in values.into_iter().enumerate() {
        let name = format!(":{prefix}{i}");
        names.push(name.clone());
        named.push((name, value));
    }
    names.join(", ")
}

/// A migrated, empty in-memory database for the storage tests.
#[cfg(test)]
fn test_database() -> rusqlite::Connection {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    crate::db::migrate(&mut conn).unwrap();
    conn
}
