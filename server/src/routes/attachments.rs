//! `POST /attachments` (one file, its type checked by content, its metadata removed) and
//! `GET /attachments/{id}`.
//!
//! An upload joins a report when the report names it. Until then it is readable only with
//! the key its upload answer carried (`X-Upload-Key`), so the portal is no anonymous file
//! host; each client has a daily quota, and a disk short of space refuses new files (507).

use axum::Json;
use axum::body::Body;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lapor_core::Locale;
use lapor_core::api::Uploaded;
use lapor_core::refusal::Refusal;

use super::instance::{ACCEPTED_TYPES, ATTACHMENT_MAX_BYTES};
use super::{check_rate, client_ip, now, random_u64, same_secret, sha256_hex};
use crate::AppState;
use crate::problem::{ApiError, request_locale};
use crate::quota;
use crate::scrub::{self, Unclean};
use crate::storage::{self, NewUploadRow, StoredFileRow};

/// The header that proves an unattached upload is the asker's own.
pub use lapor_core::api::headers::UPLOAD_KEY as UPLOAD_KEY_HEADER;

/// The real type of a file, from its first bytes; the name and the declared type are ignored.
pub fn sniff_type(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some("image/jpeg"),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some("image/png"),
        [
            b'R',
            b'I',
            b'F',
            b'F',
            _,
            _,
            _,
            _,
            b'W',
            b'E',
            b'B',
            b'P',
            ..,
        ] => Some("image/webp"),
        [b'%', b'P', b'D', b'F', b'-', ..] => Some("application/pdf"),
        _ => None,
    }
}

fn clean_filename(name: Option<&str>) -> String {
    let base = name
        .unwrap_or("lampiran")
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("lampiran");
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(120).collect();
    if cleaned.trim().is_empty() {
        "lampiran".into()
    } else {
        cleaned
    }
}

fn malformed(locale: Locale, why: String) -> ApiError {
    ApiError::refused(Refusal::MalformedUpload, locale).because(why)
}

fn too_large(locale: Locale) -> ApiError {
    let max_mb = ATTACHMENT_MAX_BYTES / (1024 * 1024);
    ApiError::refused(Refusal::FileTooLarge { max_mb }, locale)
}

fn type_not_accepted(locale: Locale) -> ApiError {
    ApiError::refused(Refusal::FileTypeNotAccepted, locale).because(ACCEPTED_TYPES.join(", "))
}

/// 422 for a file whose metadata cannot be removed: it is not stored with it.
fn cannot_clean(locale: Locale, why: Unclean) -> ApiError {
    let refusal = match why {
        Unclean::Damaged => Refusal::DamagedFile,
        Unclean::Encrypted => Refusal::LockedPdf,
    };
    ApiError::refused(refusal, locale)
}

pub async fn upload(
    State(state): State<AppState>,
    parts: Parts,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<Uploaded>), ApiError> {
    check_rate(&state, &parts)?;
    let locale = request_locale(&parts.headers);
    quota::ensure_free_disk(
        &state.config.data_dir,
        state.config.min_free_disk_bytes,
        locale,
    )?;
    let mut multipart = multipart.map_err(|e| malformed(locale, e.body_text()))?;
    let multipart_error = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large(locale)
        } else {
            malformed(locale, e.body_text())
        }
    };
    let mut found = None;
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        if field.name() == Some("file") {
            let filename = clean_filename(field.file_name());
            let bytes = field.bytes().await.map_err(multipart_error)?;
            found = Some((filename, bytes));
            break;
        }
    }
    let Some((filename, bytes)) = found else {
        return Err(ApiError::refused(Refusal::MissingFile, locale));
    };
    if bytes.len() as u64 > ATTACHMENT_MAX_BYTES {
        return Err(too_large(locale));
    }
    let Some(content_type) = sniff_type(&bytes).filter(|t| ACCEPTED_TYPES.contains(t)) else {
        return Err(type_not_accepted(locale));
    };
    let cleaned = tokio::task::spawn_blocking(move || scrub::scrub(content_type, &bytes))
        .await
        .map_err(ApiError::internal)?
        .map_err(|why| cannot_clean(locale, why))?;
    let size = cleaned.len() as u64;
    let (created_at, unix_now) = now();
    state
        .limits
        .daily_uploads
        .take(client_ip(&state, &parts), size, unix_now)
        .map_err(|seconds| quota::quota_exceeded(locale, seconds))?;
    let id = format!("{:016x}{:016x}", random_u64(), random_u64());
    let key = format!("{:016x}{:016x}", random_u64(), random_u64());
    let key_hash = sha256_hex(key.as_bytes());
    let stored_id = id.clone();
    let stored_name = filename.clone();
    state
        .with_db(move |conn| {
            storage::insert_upload(
                conn,
                &NewUploadRow {
                    id: &stored_id,
                    filename: &stored_name,
                    content_type,
                    data: &cleaned,
                    created_at: &created_at,
                    upload_key_hash: &key_hash,
                },
            )
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Uploaded {
            id,
            filename,
            content_type: content_type.into(),
            size,
            key: Some(key),
        }),
    ))
}

/// `Content-Disposition` for a stored file: images shown in place, anything else (PDFs)
/// downloaded. The name comes twice: an ASCII fallback in which nothing but letters, digits
/// and `._-()` and spaces survive (no quote, backslash or `;` can end the parameter), and
/// the exact name percent-encoded (RFC 6266, RFC 8187).
pub fn content_disposition(content_type: &str, filename: &str) -> String {
    let kind = if content_type.starts_with("image/") {
        "inline"
    } else {
        "attachment"
    };
    let fallback: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || " ._-()".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "{kind}; filename=\"{fallback}\"; filename*=UTF-8''{}",
        lapor_core::text::percent_encode(filename, false)
    )
}

pub async fn download(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let found = state
        .with_db(move |conn| storage::stored_file(conn, &id))
        .await?;
    let not_found = || ApiError::refused(Refusal::AttachmentNotFound, request_locale(&headers));
    let Some(StoredFileRow {
        filename,
        content_type,
        data,
        unattached,
        upload_key_hash: key_hash,
        confidential,
    }) = found
    else {
        return Err(not_found());
    };
    if unattached {
        // Only its uploader may read a file no report has taken yet; to anyone else it does
        // not exist.
        let given = headers
            .get(UPLOAD_KEY_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(|key| sha256_hex(key.trim().as_bytes()));
        match (given, key_hash) {
            (Some(given), Some(stored)) if same_secret(&given, &stored) => {}
            _ => return Err(not_found()),
        }
    }
    let disposition = HeaderValue::from_str(&content_disposition(&content_type, &filename))
        .map_err(ApiError::internal)?;
    let mut response = (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_str(&content_type).map_err(ApiError::internal)?,
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("sandbox"),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        Body::from(data),
    )
        .into_response();
    // A confidential report's files are details the privacy rule hides from everyone but the
    // code holder, whose view named them: no browser, worker or proxy may keep a copy.
    if confidential {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    if unattached {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        response
            .headers_mut()
            .insert(header::VARY, HeaderValue::from_static(UPLOAD_KEY_HEADER));
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_content_not_the_name() {
        assert_eq!(
            sniff_type(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]),
            Some("image/jpeg")
        );
        assert_eq!(sniff_type(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff_type(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff_type(b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(sniff_type(b"<html><script>"), None);
        assert_eq!(sniff_type(b"MZ\x90\0"), None);
    }

    #[test]
    fn file_names_cannot_break_out_of_the_disposition_header() {
        let d = content_disposition("application/pdf", "a\";b=c; filename*=x\\.pdf");
        assert_eq!(
            d,
            "attachment; filename=\"a__b_c_ filename__x_.pdf\"; \
             filename*=UTF-8''a%22%3Bb%3Dc%3B%20filename%2A%3Dx%5C.pdf"
        );
        let d = content_disposition("image/jpeg", "jalan rusak é.jpg");
        assert!(
            d.starts_with("inline; filename=\"jalan rusak _.jpg\"; "),
            "{d}"
        );
        assert!(
            d.ends_with("filename*=UTF-8''jalan%20rusak%20%C3%A9.jpg"),
            "{d}"
        );
    }

    #[test]
    fn file_names_lose_paths_and_control_characters() {
        assert_eq!(
            clean_filename(Some("C:\\Users\\x\\foto jalan.jpg")),
            "foto jalan.jpg"
        );
        assert_eq!(clean_filename(Some("../../etc/passwd")), "passwd");
        assert_eq!(clean_filename(Some("a\u{0}b.pdf")), "ab.pdf");
        assert_eq!(clean_filename(None), "lampiran");
    }
}
