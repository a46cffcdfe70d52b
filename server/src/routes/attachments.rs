//! `POST /attachments` (one file, its type checked by content) and `GET /attachments/{id}`.

use axum::Json;
use axum::body::Body;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::instance::{ACCEPTED_TYPES, ATTACHMENT_MAX_BYTES};
use super::{check_rate, now, random_u64};
use crate::AppState;
use crate::problem::ApiError;

#[derive(Serialize)]
pub struct Uploaded {
    id: String,
    filename: String,
    content_type: String,
    size: u64,
}

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

pub async fn upload(
    State(state): State<AppState>,
    parts: Parts,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<Uploaded>), ApiError> {
    check_rate(&state, &parts)?;
    let mut multipart = multipart.map_err(|e| {
        ApiError::new(StatusCode::BAD_REQUEST, "Malformed upload").detail(e.body_text())
    })?;
    let too_large = || {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "File too large").detail(format!(
            "A file may have at most {ATTACHMENT_MAX_BYTES} bytes."
        ))
    };
    let multipart_error = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            ApiError::new(StatusCode::BAD_REQUEST, "Malformed upload").detail(e.body_text())
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
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "Missing file")
            .detail("Send one file in a multipart field named `file`."));
    };
    if bytes.len() as u64 > ATTACHMENT_MAX_BYTES {
        return Err(too_large());
    }
    let Some(content_type) = sniff_type(&bytes).filter(|t| ACCEPTED_TYPES.contains(t)) else {
        return Err(
            ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "File type not accepted")
                .detail(format!("Accepted types: {}.", ACCEPTED_TYPES.join(", "))),
        );
    };
    let id = format!("{:016x}{:016x}", random_u64(), random_u64());
    let size = bytes.len() as u64;
    let (created_at, _) = now();
    let row = (id.clone(), filename.clone(), content_type, size);
    state
        .with_db(move |conn| {
            conn.execute(
                "INSERT INTO attachments (id, filename, content_type, size, data, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![row.0, row.1, row.2, row.3, bytes.as_ref(), created_at],
            )?;
            // Uploads no report used within a day are removed.
            conn.execute(
                "DELETE FROM attachments WHERE report_id IS NULL AND event_id IS NULL
                 AND created_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 day')",
                [],
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
        }),
    ))
}

pub async fn download(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let found = state
        .with_db(move |conn| {
            conn.query_row(
                "SELECT filename, content_type, data FROM attachments WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Vec<u8>>(2)?,
                    ))
                },
            )
            .optional()
        })
        .await?;
    let Some((filename, content_type, data)) = found else {
        return Err(ApiError::new(StatusCode::NOT_FOUND, "Attachment not found"));
    };
    let disposition = format!(
        "inline; filename=\"{}\"",
        filename
            .replace(['"', '\\'], "_")
            .chars()
            .filter(char::is_ascii)
            .collect::<String>()
    );
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
        ],
        Body::from(data),
    )
        .into_response())
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
