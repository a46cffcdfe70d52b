//! SQLite: connection settings, versioned migrations, and first-run seeding.

use std::path::Path;

use chrono::{DateTime, SecondsFormat, Utc};
use lapor_core::retention;
use rusqlite::Connection;

/// Migrations in order; `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    // 1: the directory (agencies, categories, regions, FAQ) and reports with their events.
    r#"
    CREATE TABLE agencies (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        tier TEXT NOT NULL,
        parent_id TEXT REFERENCES agencies(id),
        search TEXT NOT NULL
    );
    CREATE TABLE categories (
        id TEXT PRIMARY KEY,
        name_id TEXT NOT NULL,
        name_en TEXT NOT NULL,
        position INTEGER NOT NULL
    );
    CREATE TABLE regions (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        level INTEGER NOT NULL,
        parents TEXT NOT NULL,
        search TEXT NOT NULL
    );
    CREATE TABLE faq (
        id TEXT NOT NULL,
        locale TEXT NOT NULL,
        category TEXT NOT NULL,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (id, locale)
    );
    CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        tracking_id TEXT NOT NULL UNIQUE,
        access_hash TEXT NOT NULL,
        classification TEXT NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        incident_date TEXT,
        region_id TEXT,
        location_text TEXT,
        lat REAL,
        lon REAL,
        agency_id TEXT,
        category_id TEXT,
        field_inspection INTEGER NOT NULL,
        anonymous INTEGER NOT NULL,
        confidential INTEGER NOT NULL,
        reporter_name TEXT,
        reporter_email TEXT,
        reporter_phone TEXT,
        locale TEXT,
        status TEXT NOT NULL,
        submitted_at TEXT NOT NULL,
        due_date TEXT NOT NULL,
        due_estimate INTEGER NOT NULL,
        rating INTEGER,
        rating_comment TEXT
    );
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        report_id INTEGER NOT NULL REFERENCES reports(id),
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        agency_id TEXT,
        message TEXT
    );
    CREATE INDEX events_by_report ON events(report_id);
    CREATE TABLE attachments (
        id TEXT PRIMARY KEY,
        report_id INTEGER REFERENCES reports(id),
        event_id INTEGER REFERENCES events(id),
        filename TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        data BLOB NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE idempotency (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        status INTEGER NOT NULL,
        response TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (scope, key)
    );
    "#,
    // 2: an upload is readable before it joins a report only with the key its uploader got
    // (stored as its SHA-256: the key is 128 random bits); unattached uploads found by age.
    r#"
    ALTER TABLE attachments ADD COLUMN upload_key_hash TEXT;
    CREATE INDEX attachments_unattached ON attachments(created_at)
        WHERE report_id IS NULL AND event_id IS NULL;
    "#,
    // 3: idempotency records keep their key only as a digest and their answer sealed (see
    // idempotency.rs); records written before, with a readable access code, are dropped.
    r#"
    DELETE FROM idempotency;
    "#,
    // 4: updates by email (mail.rs): a reporter may stop them, and the messages wait in a
    // durable queue, written in the transaction of the event they tell about, until the SMTP
    // server takes them.
    r#"
    ALTER TABLE reports ADD COLUMN email_updates INTEGER NOT NULL DEFAULT 1;
    CREATE TABLE mail_queue (
        id INTEGER PRIMARY KEY,
        report_id INTEGER NOT NULL REFERENCES reports(id),
        recipient TEXT NOT NULL,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        unsubscribe_url TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT
    );
    CREATE INDEX mail_queue_due ON mail_queue(next_attempt_at);
    "#,
    // 5: the public reports list (`routes/listing.rs`) and support ("dukung"). Each filter
    // has a partial index over the reports a list may show (`LISTED`: not confidential),
    // ending in the rowid, so a filter with newest-first is one walk down an index; text
    // search is FTS5 over title and body (accents and case folded by the tokenizer, as
    // `core::text::search_key` folds the words asked for). Supporters are kept as digests of
    // the device's key, one row per device and report, and counted on the report by triggers
    // so the admin's list can sort by them.
    r#"
    CREATE INDEX reports_listed_by_status ON reports(status) WHERE confidential = 0;
    CREATE INDEX reports_listed_by_classification ON reports(classification)
        WHERE confidential = 0;
    CREATE INDEX reports_listed_by_category ON reports(category_id) WHERE confidential = 0;
    CREATE INDEX reports_listed_by_agency ON reports(agency_id) WHERE confidential = 0;
    CREATE INDEX reports_listed_by_region ON reports(region_id) WHERE confidential = 0;
    CREATE VIRTUAL TABLE reports_fts USING fts5(
        title, body, content = 'reports', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
    );
    INSERT INTO reports_fts(reports_fts) VALUES ('rebuild');
    CREATE TRIGGER reports_fts_insert AFTER INSERT ON reports BEGIN
        INSERT INTO reports_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END;
    CREATE TRIGGER reports_fts_delete AFTER DELETE ON reports BEGIN
        INSERT INTO reports_fts(reports_fts, rowid, title, body)
            VALUES ('delete', old.id, old.title, old.body);
    END;
    CREATE TRIGGER reports_fts_update AFTER UPDATE OF title, body ON reports BEGIN
        INSERT INTO reports_fts(reports_fts, rowid, title, body)
            VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO reports_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END;
    ALTER TABLE reports ADD COLUMN supporters INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX reports_by_supporters ON reports(supporters);
    CREATE TABLE supports (
        report_id INTEGER NOT NULL REFERENCES reports(id),
        supporter TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (report_id, supporter)
    ) WITHOUT ROWID;
    CREATE TRIGGER supports_added AFTER INSERT ON supports BEGIN
        UPDATE reports SET supporters = supporters + 1 WHERE id = new.report_id;
    END;
    CREATE TRIGGER supports_withdrawn AFTER DELETE ON supports BEGIN
        UPDATE reports SET supporters = supporters - 1 WHERE id = old.report_id;
    END;
    "#,
    // 6: region and agency search by the start of words (`routes/directory.rs`): every name's
    // search key from each of its words on, in an index ordered as answers are (names that
    // start with the words first, then larger regions first), so a keystroke reads a few index
    // entries instead of scanning 91,599 names; a region's `context` holds the search keys of
    // the regions it lies in ("weleri kendal"). `seed::index_directory` fills them, also for a
    // database seeded before.
    r#"
    ALTER TABLE regions ADD COLUMN context TEXT NOT NULL DEFAULT '';
    CREATE TABLE region_keys (
        name_start INTEGER NOT NULL,
        level INTEGER NOT NULL,
        key TEXT NOT NULL,
        code TEXT NOT NULL REFERENCES regions(code),
        PRIMARY KEY (name_start, level, key, code)
    ) WITHOUT ROWID;
    CREATE TABLE agency_keys (
        key TEXT NOT NULL,
        id TEXT NOT NULL REFERENCES agencies(id),
        PRIMARY KEY (key, id)
    ) WITHOUT ROWID;
    "#,
    // 7: a search of several words checks the words after the first on the index itself:
    // every key carries its region's words (`seed::region_words`: the name's, then those of
    // the regions it lies in), so the regions it does not answer cost no table reads (2.5 ms
    // became 0.3 ms for "tanjung priok"). `regions.context` gives way to them; the index is
    // emptied for `seed::index_directory` to fill again on start.
    r#"
    DELETE FROM region_keys;
    ALTER TABLE region_keys ADD COLUMN words TEXT NOT NULL DEFAULT '';
    ALTER TABLE regions DROP COLUMN context;
    "#,
];

/// Opens the database with WAL and full sync (a 201 survives a kill -9), runs pending
/// migrations, and seeds an empty directory.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    let mut conn = Connection::open(path)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;",
    )?;
    migrate(&mut conn)?;
    crate::seed::seed_if_empty(&mut conn)?;
    Ok(conn)
}

/// Removes what the server keeps only for a while: uploads that joined no report within
/// [`SERVER_RETENTION_DAYS`](retention::SERVER_RETENTION_DAYS), as long as the outbox may
/// still send a report naming them. Run on a timer (`housekeeping.rs`); `now` in Unix
/// seconds; returns how many rows went.
pub fn purge_expired(conn: &Connection, now: i64) -> rusqlite::Result<usize> {
    let cutoff = DateTime::<Utc>::from_timestamp(now - retention::SERVER_RETENTION_SECS, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Secs, true);
    conn.execute(
        "DELETE FROM attachments WHERE report_id IS NULL AND event_id IS NULL AND created_at < ?1",
        [cutoff],
    )
}

/// Runs the migrations not yet run on `conn` (also the storage tests' in-memory databases).
pub(crate) fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let done: usize = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i + 1)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    #[test]
    fn migrations_are_recorded_and_not_run_twice() {
        let dir = std::env::temp_dir().join(format!("lapor-db-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.sqlite3");
        let _ = std::fs::remove_file(&path);
        drop(open(&path).unwrap());
        let conn = open(&path).unwrap();
        let v: usize = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, MIGRATIONS.len());
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn unattached_uploads_live_as_long_as_the_outbox_retries() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        let now: DateTime<Utc> = "2026-12-01T12:00:00Z".parse().unwrap();
        let ago = |days: i64| {
            (now - TimeDelta::days(days) + TimeDelta::seconds(1))
                .to_rfc3339_opts(SecondsFormat::Secs, true)
        };
        let keep = retention::SERVER_RETENTION_DAYS as i64;
        // Report 1 need not exist for this.
        conn.pragma_update(None, "foreign_keys", false).unwrap();
        for (id, report, created) in [
            ("two-days", None, ago(2)),
            ("almost-expired", None, ago(keep)),
            ("expired", None, ago(keep + 1)),
            ("attached-long-ago", Some(1), ago(400)),
        ] {
            conn.execute(
                "INSERT INTO attachments (id, report_id, filename, content_type, size, data,
                 created_at) VALUES (?1, ?2, 'a.jpg', 'image/jpeg', 1, x'00', ?3)",
                rusqlite::params![id, report, created],
            )
            .unwrap();
        }
        assert_eq!(purge_expired(&conn, now.timestamp()).unwrap(), 1);
        let mut left: Vec<String> = conn
            .prepare("SELECT id FROM attachments ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        left.sort();
        assert_eq!(left, ["almost-expired", "attached-long-ago", "two-days"]);
    }
}
