//! What the server keeps only for a while goes on a timer: idempotency records and uploads
//! that joined no report, each after `lapor_core::retention::SERVER_RETENTION_DAYS`. At start
//! it also wraps the access-code digests of reports made before codes were salted.

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

/// How many legacy digests one database round wraps (each costs an Argon2 hash, off the lock).
const WRAP_BATCH: usize = 50;

/// Wraps every bare legacy access-code digest in Argon2 (`secrets::wrap_legacy_digest`), a
/// batch at a time, hashing off the database lock. Returns how many were wrapped.
pub async fn wrap_legacy_digests(state: &AppState) -> rusqlite::Result<usize> {
    let mut wrapped = 0;
    loop {
        let batch: Vec<(i64, String)> = state
            .with_db(|conn| {
                let mut stmt = conn.prepare(
                    "SELECT id, access_hash FROM reports
                     WHERE length(access_hash) = 64 AND access_hash NOT GLOB '*[^0-9a-f]*'
                     LIMIT :limit",
                )?;
                stmt.query_map(
                    rusqlite::named_params! { ":limit": WRAP_BATCH as i64 },
                    |r| Ok((r.get::<_, i64>("id")?, r.get::<_, String>("access_hash")?)),
                )?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .await?;
        if batch.is_empty() {
            return Ok(wrapped);
        }
        let rewrapped = tokio::task::spawn_blocking(move || {
            batch
                .into_iter()
                .filter(|(_, digest)| crate::secrets::is_legacy_digest(digest))
                .map(|(id, digest)| {
                    (
                        id,
                        digest.clone(),
                        crate::secrets::wrap_legacy_digest(&digest),
                    )
                })
                .collect::<Vec<_>>()
        })
        .await
        .expect("hashing does not panic");
        if rewrapped.is_empty() {
            return Ok(wrapped);
        }
        wrapped += rewrapped.len();
        state
            .with_db(move |conn| {
                let tx = conn.transaction()?;
                for (id, digest, wrapped) in &rewrapped {
                    tx.execute(
                        "UPDATE reports SET access_hash = :wrapped
                         WHERE id = :id AND access_hash = :digest",
                        rusqlite::named_params! { ":wrapped": wrapped, ":id": id, ":digest": digest },
                    )?;
                }
                tx.commit()
            })
            .await?;
    }
}

/// Starts the purge timer on the runtime; it stops with the process.
pub fn start(state: &AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(e) = wrap_legacy_digests(&state).await {
            eprintln!("lapor-server: wrapping legacy access-code digests failed: {e}");
        }
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
