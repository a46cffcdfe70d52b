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
use lapor_core::refusal::Refusal;
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

    /// A refusal from `core`'s catalogue (`lapor_core::refusal`): its status, and its title
    /// and message in `locale`, with `Retry-After` for those that pass.
    pub fn refused(refusal: Refusal, locale: Locale) -> ApiError {
        ApiError {
            status: StatusCode::from_u16(refusal.status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            title: refusal.title(locale),
            detail: Some(refusal.message(locale)),
            errors: Vec::new(),
            retry_after: refusal.retry_after(),
        }
    }

    /// Adds what the client's request did wrong, as a library saw it, to the message.
    pub fn because(mut self, reason: impl std::fmt::Display) -> ApiError {
        let detail = self.detail.take().unwrap_or_default();
        self.detail = Some(format!("{detail} ({reason})").trim_start().to_owned());
        self
    }

    /// The one answer for unknown and malformed tracking numbers alike.
    pub fn report_not_found(locale: Locale) -> ApiError {
        ApiError::refused(Refusal::ReportNotFound, locale)
    }

    /// 422 with every violated rule as a field error, in `locale`.
    pub fn validation(errors: Vec<FieldError>, locale: Locale) -> ApiError {
        ApiError {
            errors,
            ..ApiError::refused(Refusal::InvalidFields, locale)
        }
    }

    /// 400: a query parameter this endpoint does not know.
    pub fn unknown_parameter(locale: Locale, name: &str) -> ApiError {
        let name = shorten(name);
        ApiError::refused(Refusal::UnknownParameter { name }, locale)
    }

    /// 500, logged; the client learns nothing of the cause.
    pub fn internal(err: impl std::fmt::Display) -> ApiError {
        eprintln!("internal error: {err}");
        let locale = Locale::default();
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            Refusal::Internal.title(locale),
        )
        .detail(Refusal::Internal.message(locale))
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
        let Query(pairs) =
            Query::<Vec<(String, String)>>::try_from_uri(&parts.uri).map_err(|e| {
                ApiError::refused(Refusal::InvalidParameters, locale).because(e.body_text())
            })?;
        for (name, value) in &pairs {
            if !T::NAMES.contains(&name.as_str()) {
                return Err(ApiError::unknown_parameter(locale, name));
            }
            if value.chars().count() > MAX_QUERY_CHARS {
                let (name, max) = (shorten(name), MAX_QUERY_CHARS);
                return Err(ApiError::refused(
                    Refusal::ParameterTooLong { name, max },
                    locale,
                ));
            }
        }
        let Query(params) = Query::<T>::try_from_uri(&parts.uri).map_err(|e| {
            ApiError::refused(Refusal::InvalidParameters, locale).because(e.body_text())
        })?;
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
        let locale = request_locale(req.headers());
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(rejection, locale)),
        }
    }
}

fn json_rejection(rejection: JsonRejection, locale: Locale) -> ApiError {
    let refusal = match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => Refusal::RequestTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => Refusal::ExpectedJson,
        StatusCode::UNPROCESSABLE_ENTITY => Refusal::InvalidBody,
        _ => Refusal::MalformedBody,
    };
    ApiError::refused(refusal, locale).because(rejection.body_text())
}
