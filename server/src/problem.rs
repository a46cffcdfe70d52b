//! Errors as RFC 9457 problem+json, with per-field errors for validation failures, the JSON
//! extractor that turns malformed bodies into the same shape, and the query extractor that
//! refuses unknown and overlong parameters. The server's own refusals (limits, timeouts, bad
//! queries) speak the request's language.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lapor_core::Locale;
use lapor_core::api::{FieldError, Problem};
use serde::de::DeserializeOwned;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub title: &'static str,
    pub detail: Option<String>,
    pub errors: Vec<FieldError>,
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, title: &'static str) -> ApiError {
        ApiError {
            status,
            title,
            detail: None,
            errors: Vec::new(),
            retry_after: None,
        }
    }

    pub fn detail(mut self, detail: impl Into<String>) -> ApiError {
        self.detail = Some(detail.into());
        self
    }

    /// The one answer for unknown and malformed tracking numbers alike.
    pub fn report_not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "Report not found")
    }

    pub fn validation(errors: Vec<FieldError>) -> ApiError {
        ApiError {
            errors,
            ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "Validation failed")
        }
    }

    /// 429: this client sent too many requests of one kind (writes, lookups).
    pub fn too_many_requests(locale: Locale, seconds: u64) -> ApiError {
        let (title, detail) = match locale {
            Locale::Id => (
                "Terlalu banyak permintaan",
                format!("Tunggu {seconds} detik, lalu coba lagi."),
            ),
            Locale::En => (
                "Too many requests",
                format!("Wait {seconds} seconds, then try again."),
            ),
        };
        ApiError {
            retry_after: Some(seconds),
            ..ApiError::new(StatusCode::TOO_MANY_REQUESTS, title).detail(detail)
        }
    }

    /// 429: too many wrong secrets (access codes, tokens, keys) from this client or for this
    /// target; even the right one waits.
    pub fn too_many_failures(locale: Locale, seconds: u64) -> ApiError {
        let (title, detail) = match locale {
            Locale::Id => (
                "Terlalu banyak percobaan yang salah",
                format!("Demi keamanan, coba lagi setelah {seconds} detik."),
            ),
            Locale::En => (
                "Too many wrong attempts",
                format!("For safety, try again after {seconds} seconds."),
            ),
        };
        ApiError {
            retry_after: Some(seconds),
            ..ApiError::new(StatusCode::TOO_MANY_REQUESTS, title).detail(detail)
        }
    }

    /// 429 (this client) or 503 (the whole server): too many uploads are being received.
    pub fn uploads_busy(locale: Locale, seconds: u64, whole_server: bool) -> ApiError {
        let status = if whole_server {
            StatusCode::SERVICE_UNAVAILABLE
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        let (title, detail) = match (locale, whole_server) {
            (Locale::Id, false) => (
                "Terlalu banyak unggahan sekaligus",
                format!("Tunggu unggahan lain selesai, lalu coba lagi setelah {seconds} detik."),
            ),
            (Locale::En, false) => (
                "Too many uploads at once",
                format!("Let the other uploads finish, then try again after {seconds} seconds."),
            ),
            (Locale::Id, true) => (
                "Server sedang sibuk",
                format!("Terlalu banyak unggahan saat ini. Coba lagi setelah {seconds} detik."),
            ),
            (Locale::En, true) => (
                "Server busy",
                format!("Too many uploads right now. Try again after {seconds} seconds."),
            ),
        };
        ApiError {
            retry_after: Some(seconds),
            ..ApiError::new(status, title).detail(detail)
        }
    }

    /// 408: the request (mostly its body) took longer than the server waits.
    pub fn request_timeout(locale: Locale, seconds: u64) -> ApiError {
        let (title, detail) = match locale {
            Locale::Id => (
                "Permintaan terlalu lama",
                format!(
                    "Permintaan tidak selesai dalam {seconds} detik. Periksa koneksi, lalu kirim lagi."
                ),
            ),
            Locale::En => (
                "Request took too long",
                format!(
                    "The request did not finish within {seconds} seconds. Check the connection, then send it again."
                ),
            ),
        };
        ApiError::new(StatusCode::REQUEST_TIMEOUT, title).detail(detail)
    }

    /// 400: a query parameter this endpoint does not know.
    pub fn unknown_parameter(locale: Locale, name: &str) -> ApiError {
        let name = shorten(name);
        let (title, detail) = match locale {
            Locale::Id => (
                "Parameter tidak dikenal",
                format!("Parameter `{name}` tidak dikenal di sini."),
            ),
            Locale::En => (
                "Unknown parameter",
                format!("The parameter `{name}` is not known here."),
            ),
        };
        ApiError::new(StatusCode::BAD_REQUEST, title).detail(detail)
    }

    /// 400: a query parameter longer than `max` characters.
    pub fn parameter_too_long(locale: Locale, name: &str, max: usize) -> ApiError {
        let (title, detail) = match locale {
            Locale::Id => (
                "Parameter terlalu panjang",
                format!("Parameter `{name}` paling banyak {max} karakter."),
            ),
            Locale::En => (
                "Parameter too long",
                format!("The parameter `{name}` may have at most {max} characters."),
            ),
        };
        ApiError::new(StatusCode::BAD_REQUEST, title).detail(detail)
    }

    /// 400: a query string that cannot be read (bad encoding, a repeated or mistyped value).
    pub fn malformed_query(locale: Locale, reason: impl std::fmt::Display) -> ApiError {
        let title = match locale {
            Locale::Id => "Parameter tidak valid",
            Locale::En => "Invalid parameters",
        };
        ApiError::new(StatusCode::BAD_REQUEST, title).detail(reason.to_string())
    }

    pub fn internal(err: impl std::fmt::Display) -> ApiError {
        eprintln!("internal error: {err}");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error")
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(err: rusqlite::Error) -> ApiError {
        ApiError::internal(err)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Problem {
            detail: self.detail,
            errors: self.errors,
            ..Problem::new(self.status.as_u16(), self.title)
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// A name as a client sent it, cut short enough to quote in a message.
fn shorten(name: &str) -> String {
    let mut short: String = name.chars().filter(|c| !c.is_control()).take(40).collect();
    if name.chars().count() > 40 {
        short.push('…');
    }
    short
}

/// Query parameter values longer than this are refused: no search needs more, and SQLite's
/// `LIKE` refuses long patterns.
pub const MAX_QUERY_CHARS: usize = 200;

/// The parameters a GET endpoint understands, for [`ApiQuery`].
pub trait QueryParams: DeserializeOwned {
    const NAMES: &'static [&'static str];
}

/// `axum::extract::Query`, but unknown parameters, values over [`MAX_QUERY_CHARS`] and
/// unreadable query strings are 400 problem+json naming the parameter, in the request's
/// language.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: QueryParams> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let locale = request_locale(&parts.headers);
        let Query(pairs) = Query::<Vec<(String, String)>>::try_from_uri(&parts.uri)
            .map_err(|e| ApiError::malformed_query(locale, e.body_text()))?;
        for (name, value) in &pairs {
            if !T::NAMES.contains(&name.as_str()) {
                return Err(ApiError::unknown_parameter(locale, name));
            }
            if value.chars().count() > MAX_QUERY_CHARS {
                return Err(ApiError::parameter_too_long(locale, name, MAX_QUERY_CHARS));
            }
        }
        let Query(params) = Query::<T>::try_from_uri(&parts.uri)
            .map_err(|e| ApiError::malformed_query(locale, e.body_text()))?;
        Ok(ApiQuery(params))
    }
}

/// The language of messages: the `Accept-Language` header's first known tag, else Indonesian.
pub fn request_locale(headers: &HeaderMap) -> Locale {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',')
                .find_map(|tag| Locale::parse(tag.split(';').next()?))
        })
        .unwrap_or_default()
}

/// `axum::Json`, but every rejection is a problem+json answer.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    let status = rejection.status();
    let title = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "Request too large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "Expected a JSON body",
        StatusCode::UNPROCESSABLE_ENTITY => "Invalid request body",
        _ => "Malformed request body",
    };
    let status = if status == StatusCode::UNSUPPORTED_MEDIA_TYPE
        || status == StatusCode::PAYLOAD_TOO_LARGE
        || status == StatusCode::UNPROCESSABLE_ENTITY
    {
        status
    } else {
        StatusCode::BAD_REQUEST
    };
    ApiError::new(status, title).detail(rejection.body_text())
}
