//! What the server keeps only for a while goes on a timer: idempotency records and uploads
//! that joined no report, each after `lapor_core::retention::SERVER_RETENTION_DAYS`.

use std::time::Duration;

use crate::AppState;

/// How often the purge runs (it also runs once at start).
pub const EVERY: Duration = Duration::from_secs(60 * 60);

/// One purge at `now` (Unix seconds); returns how many idempotency records and uploads went.
pub fn purge(conn: &rusqlite::Connection, now: i64) -> rusqlite::Result<(usize, usize)> {
    Ok((
        crate::idempotency::purge_expired(conn, now)?,
        crate::db::purge_expired(conn, now)?,
    ))
}

/// Starts the purge timer on the runtime; it stops with the process.
pub fn start(state: &AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        loop {
            let purged = state
                .with_db(|conn| purge(conn, chrono::Utc::now().timestamp()))
                .await;
            if let Err(e) = purged {
                eprintln!("lapor-server: purge failed: {e}");
            }
            tokio::time::sleep(EVERY).await;
        }
    });
}
