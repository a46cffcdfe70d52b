//! Errors as RFC 9457 problem+json, with per-field errors for validation failures, and the
//! JSON extractor that turns malformed bodies into the same shape.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
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
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
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
