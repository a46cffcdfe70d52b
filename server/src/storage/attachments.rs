//! Uploaded files: stored (cleaned) before any report takes them, read back with what decides
//! who may read them.

use rusqlite::{Connection, OptionalExtension, named_params};

/// A cleaned upload, not yet part of a report.
pub struct NewUploadRow<'a> {
    pub id: &'a str,
    pub filename: &'a str,
    pub content_type: &'a str,
    pub data: &'a [u8],
    pub created_at: &'a str,
    /// The SHA-256 of the key that reads it back until a report takes it.
    pub upload_key_hash: &'a str,
}

pub fn insert_upload(conn: &Connection, new: &NewUploadRow) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO attachments
           (id, filename, content_type, size, data, created_at, upload_key_hash)
         VALUES (:id, :filename, :content_type, :size, :data, :created_at, :upload_key_hash)",
        named_params! {
            ":id": new.id,
            ":filename": new.filename,
            ":content_type": new.content_type,
            ":size": new.data.len() as u64,
            ":data": new.data,
            ":created_at": new.created_at,
            ":upload_key_hash": new.upload_key_hash,
        },
    )?;
    Ok(())
}

/// A stored file with what decides who may read it.
pub struct StoredFileRow {
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
    /// No report or event has taken it yet: only its uploader's key reads it.
    pub unattached: bool,
    pub upload_key_hash: Option<String>,
    /// It belongs to a confidential report (directly or through one of its events).
    pub confidential: bool,
}

pub fn stored_file(conn: &Connection, id: &str) -> rusqlite::Result<Option<StoredFileRow>> {
    conn.query_row(
        "SELECT a.filename, a.content_type, a.data, a.upload_key_hash,
                a.report_id IS NULL AND a.event_id IS NULL AS unattached,
                COALESCE((SELECT r.confidential FROM reports r WHERE r.id = COALESCE(
                    a.report_id, (SELECT e.report_id FROM events e WHERE e.id = a.event_id))), 0)
                  AS confidential
         FROM attachments a WHERE a.id = :id",
        named_params! { ":id": id },
        |row| {
            Ok(StoredFileRow {
                filename: row.get("filename")?,
                content_type: row.get("content_type")?,
                data: row.get("data")?,
                unattached: row.get("unattached")?,
                upload_key_hash: row.get("upload_key_hash")?,
                confidential: row.get("confidential")?,
            })
        },
    )
    .optional()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::test_database;

    #[test]
    fn an_upload_reads_back_unattached_with_its_key_hash() {
        let conn = test_database();
        insert_upload(
            &conn,
            &NewUploadRow {
                id: "f1",
                filename: "foto.jpg",
                content_type: "image/jpeg",
                data: b"\xFF\xD8\xFF",
                created_at: "2026-03-01T00:00:00Z",
                upload_key_hash: "abc",
            },
        )
        .unwrap();
        let file = stored_file(&conn, "f1").unwrap().expect("stored");
        assert_eq!(
            (file.filename.as_str(), file.content_type.as_str()),
            ("foto.jpg", "image/jpeg")
        );
        assert_eq!(file.data, b"\xFF\xD8\xFF");
        assert!(file.unattached && !file.confidential);
        assert_eq!(file.upload_key_hash.as_deref(), Some("abc"));
        let size: u64 = conn
            .query_row("SELECT size FROM attachments WHERE id = 'f1'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(size, 3);
        assert!(stored_file(&conn, "f2").unwrap().is_none());
    }
}
