//! Idempotent writes: a retry with the same `Idempotency-Key` and body gets the first answer
//! again, with another body a conflict. Records live [`SERVER_RETENTION_DAYS`], longer than a
//! device's outbox retries ([`lapor_core::retention`]); the key is stored only as a digest and
//! the answer (which holds a report's access code) sealed under a key derived from it.
//!
//! [`SERVER_RETENTION_DAYS`]: lapor_core::retention::SERVER_RETENTION_DAYS

use lapor_core::retention::SERVER_RETENTION_SECS;
use rusqlite::{Connection, OptionalExtension, named_params};

use crate::secrets::ReplayKey;

/// A stored answer to a request made earlier with the same key.
pub enum Replay {
    /// The same request: here is its answer.
    Same(String),
    /// The key was used with another body.
    Conflict,
}

/// One request's idempotency record: where it is stored and what it must match.
pub struct Idempotent {
    scope: String,
    key: ReplayKey,
    digest: String,
}

impl Idempotent {
    /// `scope` keeps keys of different resources apart (`report`, `reply:K7M2QX9PD`).
    pub fn new(scope: impl Into<String>, idempotency_key: &str, body: &[u8]) -> Idempotent {
        let key = ReplayKey::derive(idempotency_key);
        let digest = key.request_digest(body);
        Idempotent {
            scope: scope.into(),
            key,
            digest,
        }
    }

    /// The earlier answer to this key, if any.
    pub fn earlier(&self, conn: &Connection) -> rusqlite::Result<Option<Replay>> {
        let row: Option<(String, String)> = conn
            .query_row(
                "SELECT request_hash, response FROM idempotency WHERE scope = :scope AND key = :key",
                named_params! { ":scope": self.scope, ":key": self.key.lookup },
                |r| Ok((r.get("request_hash")?, r.get("response")?)),
            )
            .optional()?;
        Ok(row.map(|(digest, sealed)| match self.key.open(&sealed) {
            Some(answer) if digest == self.digest => Replay::Same(answer),
            _ => Replay::Conflict,
        }))
    }

    /// Records `answer` (sealed) in the caller's transaction, with the write it answers.
    pub fn record(&self, conn: &Connection, status: u16, answer: &str) -> rusqlite::Result<()> {
        conn.execute(
            "INSERT INTO idempotency (scope, key, request_hash, status, response, created_at)
             VALUES (:scope, :key, :request_hash, :status, :response, :created_at)",
            named_params! {
                ":scope": self.scope,
                ":key": self.key.lookup,
                ":request_hash": self.digest,
                ":status": status,
                ":response": self.key.seal(answer),
                ":created_at": crate::routes::now().0,
            },
        )?;
        Ok(())
    }
}

/// Deletes records older than the retention; run on a timer (see `lib.rs`). `now` in Unix
/// seconds. Returns how many went.
pub fn purge_expired(conn: &Connection, now: i64) -> rusqlite::Result<usize> {
    let cutoff = chrono::DateTime::from_timestamp(now - SERVER_RETENTION_SECS, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    conn.execute(
        "DELETE FROM idempotency WHERE created_at < :cutoff",
        named_params! { ":cutoff": cutoff },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE idempotency (scope TEXT NOT NULL, key TEXT NOT NULL,
               request_hash TEXT NOT NULL, status INTEGER NOT NULL, response TEXT NOT NULL,
               created_at TEXT NOT NULL, PRIMARY KEY (scope, key));",
        )
        .unwrap();
        conn
    }

    #[test]
    fn a_retry_gets_the_first_answer_and_nothing_readable_is_stored() {
        let conn = table();
        let first = Idempotent::new("report", "key-1", b"{\"title\":\"Lampu\"}");
        assert!(first.earlier(&conn).unwrap().is_none());
        first
            .record(&conn, 201, r#"{"access_code":"ABCD2345"}"#)
            .unwrap();
        let stored: String = conn
            .query_row(
                "SELECT key || response || request_hash FROM idempotency",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(
            !stored.contains("ABCD2345") && !stored.contains("key-1"),
            "{stored}"
        );
        let again = Idempotent::new("report", "key-1", b"{\"title\":\"Lampu\"}");
        assert!(
            matches!(again.earlier(&conn).unwrap(), Some(Replay::Same(a)) if a.contains("ABCD2345"))
        );
        let other_body = Idempotent::new("report", "key-1", b"{\"title\":\"Jalan\"}");
        assert!(matches!(
            other_body.earlier(&conn).unwrap(),
            Some(Replay::Conflict)
        ));
        let other_scope = Idempotent::new("reply:X", "key-1", b"{\"title\":\"Lampu\"}");
        assert!(other_scope.earlier(&conn).unwrap().is_none());
    }

    #[test]
    fn records_outlive_the_outbox_retry_window_then_go() {
        let conn = table();
        Idempotent::new("report", "k", b"x")
            .record(&conn, 201, "{}")
            .unwrap();
        let now = chrono::Utc::now().timestamp();
        let day = 24 * 60 * 60;
        let window = i64::from(lapor_core::retention::RETRY_WINDOW_DAYS) * day;
        assert_eq!(purge_expired(&conn, now + window).unwrap(), 0);
        assert_eq!(
            purge_expired(&conn, now + SERVER_RETENTION_SECS + 60).unwrap(),
            1
        );
    }
}
