//! SQLite: connection settings, versioned migrations, and first-run seeding.

use std::path::Path;

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

fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
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
}
