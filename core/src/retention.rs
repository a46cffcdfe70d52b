//! How long a report may be retried, and so how long the server must remember it.
//!
//! The outbox on a citizen's device retries a report with the same `Idempotency-Key` (and the
//! same uploaded attachment ids) for at most [`RETRY_WINDOW_DAYS`]. A server must keep its
//! idempotency records and its not-yet-attached uploads at least that long, or a retry after
//! a lost answer would create the report twice, or be refused for "unknown" photos. Both sides
//! read these constants; nothing else spells the number.

/// Days from a report's first sending attempt during which the outbox retries it with the same
/// key. After that the outbox stops retrying by itself and asks the citizen.
pub const RETRY_WINDOW_DAYS: u32 = 30;

/// Days a server keeps idempotency records and unattached uploads: the retry window plus a
/// day's margin for clocks and time zones.
pub const SERVER_RETENTION_DAYS: u32 = RETRY_WINDOW_DAYS + 1;

/// [`SERVER_RETENTION_DAYS`] in seconds, for comparisons with Unix times.
pub const SERVER_RETENTION_SECS: i64 = SERVER_RETENTION_DAYS as i64 * 24 * 60 * 60;

/// [`RETRY_WINDOW_DAYS`] in milliseconds, for comparisons with the browser's `Date.now()`.
pub const RETRY_WINDOW_MS: f64 = RETRY_WINDOW_DAYS as f64 * 24.0 * 60.0 * 60.0 * 1000.0;

// A server that forgot sooner than the outbox retries would duplicate reports: not a build.
const _: () = assert!(SERVER_RETENTION_DAYS > RETRY_WINDOW_DAYS);
