//! How much a client and the disk may still take: a daily upload quota per client (bytes and
//! files, `--upload-daily-bytes`, `--upload-daily-files`), so the portal is no free file
//! hosting, and a guard that refuses new uploads and reports while the data folder's disk has
//! less free space than `--min-free-disk` (a clear 507 rather than a full disk and a broken
//! database).

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::path::Path;
use std::sync::Mutex;

use lapor_core::Locale;
use lapor_core::refusal::Refusal;

use crate::problem::ApiError;

const DAY_SECS: i64 = 24 * 60 * 60;

/// Clients counted at most in one day; past that, new clients share one count, so that a
/// flood of addresses cannot grow the map without bound (nor escape the quota).
const MAX_CLIENTS: usize = 100_000;

/// What each client uploaded on the current UTC day.
pub struct DailyUploads {
    max_bytes: u64,
    max_files: u32,
    used: Mutex<Usage>,
}

/// The day counted (days since 1970, UTC) and each client's bytes and files on it.
#[derive(Default)]
struct Usage {
    day: i64,
    clients: HashMap<IpAddr, (u64, u32)>,
}

impl DailyUploads {
    pub fn new(max_bytes: u64, max_files: u32) -> DailyUploads {
        DailyUploads {
            max_bytes,
            max_files,
            used: Mutex::new(Usage::default()),
        }
    }

    /// Counts one file of `bytes` for `client` at `now` (Unix seconds), or says in how many
    /// seconds (the end of the UTC day) it may upload again. A refused file counts nothing.
    pub fn take(&self, client: IpAddr, bytes: u64, now: i64) -> Result<(), u64> {
        let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        let Usage { day, clients } = &mut *used;
        let today = now.div_euclid(DAY_SECS);
        if *day != today {
            *day = today;
            clients.clear();
        }
        let key = if clients.len() >= MAX_CLIENTS && !clients.contains_key(&client) {
            IpAddr::V6(Ipv6Addr::UNSPECIFIED)
        } else {
            client
        };
        let (sum, files) = clients.entry(key).or_insert((0, 0));
        if *files >= self.max_files || sum.saturating_add(bytes) > self.max_bytes {
            return Err(((today + 1) * DAY_SECS - now).max(1) as u64);
        }
        *sum += bytes;
        *files += 1;
        Ok(())
    }
}

/// 429 for a client over its daily upload quota, in the request's language.
pub fn quota_exceeded(locale: Locale, seconds: u64) -> ApiError {
    ApiError::refused(Refusal::DailyUploadLimit { seconds }, locale)
}

/// 507 unless the disk holding `data_dir` has at least `min_free` bytes available. A disk
/// whose free space cannot be read is taken as full: refusing is safer than a broken database.
pub fn ensure_free_disk(data_dir: &Path, min_free: u64, locale: Locale) -> Result<(), ApiError> {
    if min_free == 0 {
        return Ok(());
    }
    match fs4::available_space(data_dir) {
        Ok(free) if free >= min_free => Ok(()),
        Ok(_) => Err(disk_full(locale)),
        Err(err) => {
            eprintln!("free space of {}: {err}", data_dir.display());
            Err(disk_full(locale))
        }
    }
}

fn disk_full(locale: Locale) -> ApiError {
    ApiError::refused(Refusal::StorageFull, locale)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOON: i64 = 20_000 * DAY_SECS + 12 * 3600;

    #[test]
    fn a_client_is_held_to_its_daily_files_and_bytes() {
        let quota = DailyUploads::new(100, 3);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        assert_eq!(quota.take(a, 60, NOON), Ok(()));
        // Too many bytes: refused until midnight UTC, and nothing counted.
        assert_eq!(quota.take(a, 50, NOON), Err(12 * 3600));
        assert_eq!(quota.take(a, 20, NOON), Ok(()));
        assert_eq!(quota.take(a, 20, NOON), Ok(()));
        // A fourth file, however small.
        assert_eq!(quota.take(a, 0, NOON + 1), Err(12 * 3600 - 1));
        // Others are not affected, and the next day starts afresh.
        assert_eq!(quota.take(b, 100, NOON), Ok(()));
        assert_eq!(quota.take(a, 100, NOON + 12 * 3600), Ok(()));
    }

    #[test]
    fn a_full_disk_is_a_507_in_the_request_language() {
        let dir = std::env::temp_dir();
        assert!(ensure_free_disk(&dir, 1, Locale::Id).is_ok());
        assert!(ensure_free_disk(&dir, 0, Locale::Id).is_ok());
        let err = ensure_free_disk(&dir, u64::MAX, Locale::En).unwrap_err();
        assert_eq!(err.status, axum::http::StatusCode::INSUFFICIENT_STORAGE);
        assert_eq!(err.title, "Server storage full");
        let err = ensure_free_disk(&dir, u64::MAX, Locale::Id).unwrap_err();
        assert_eq!(err.title, "Penyimpanan server penuh");
    }
}
