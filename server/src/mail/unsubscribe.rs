//! The one-click unsubscribe link of update emails: the report's tracking number signed with
//! the server's mail secret (HMAC-SHA256, first 128 bits), so no account is needed and
//! nobody can stop another report's emails by guessing. Opening it shows one button; its POST
//! (or the RFC 8058 one-click POST a mail client sends for `List-Unsubscribe-Post`) stops the
//! emails of that report, messages already queued included. A GET alone changes nothing, as
//! mail scanners open every link.

use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use lapor_core::Locale;
use lapor_core::tracking::TrackingId;
use serde::Deserialize;
use sha2::Sha256;

use super::MailSettings;
use crate::AppState;
use crate::problem::{ApiError, ApiQuery, QueryParams, request_locale};
use crate::storage;

/// The path of the unsubscribe endpoint under the API prefix.
pub const PATH: &str = "/email-updates/unsubscribe";

/// Bytes of the MAC kept in the link.
const SIGNATURE_BYTES: usize = 16;

fn mac(secret: &str, tracking: &TrackingId) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(b"lapor unsubscribe\n");
    mac.update(tracking.compact().as_bytes());
    mac
}

/// The signature of the unsubscribe link of `tracking`.
pub fn signature(secret: &str, tracking: &TrackingId) -> String {
    let full = mac(secret, tracking).finalize().into_bytes();
    URL_SAFE_NO_PAD.encode(&full[..SIGNATURE_BYTES])
}

/// Whether `signature` is the one of `tracking` (compared in constant time).
pub fn verify(secret: &str, tracking: &TrackingId, signature: &str) -> bool {
    match URL_SAFE_NO_PAD.decode(signature) {
        Ok(bytes) if bytes.len() == SIGNATURE_BYTES => {
            mac(secret, tracking).verify_truncated_left(&bytes).is_ok()
        }
        _ => false,
    }
}

/// The absolute unsubscribe link of `tracking`.
pub fn link(settings: &MailSettings, secret: &str, tracking: &TrackingId) -> String {
    format!(
        "{}{}{PATH}?report={tracking}&signature={}",
        settings.public_url,
        lapor_core::api::API_PREFIX,
        signature(secret, tracking)
    )
}

#[derive(Deserialize)]
pub struct UnsubscribeQuery {
    #[serde(default)]
    report: String,
    #[serde(default)]
    signature: String,
}

impl QueryParams for UnsubscribeQuery {
    const NAMES: &'static [&'static str] = &["report", "signature"];
}

/// The pages of the unsubscribe link.
enum Page {
    /// The link is right: one button stops the emails (a GET alone does not, so a mail
    /// scanner that opens every link cannot stop them).
    Confirm,
    Stopped,
    Invalid,
}

/// A small page in the reader's language.
fn page(status: StatusCode, locale: Locale, shown: Page, tracking: &str) -> Response {
    let (title, text, button) = match (locale, shown) {
        (Locale::Id, Page::Confirm) => (
            "Berhenti menerima email?",
            format!("Anda tidak akan menerima email lagi tentang laporan {tracking}."),
            Some("Berhenti menerima email"),
        ),
        (Locale::En, Page::Confirm) => (
            "Stop these emails?",
            format!("You will get no more emails about report {tracking}."),
            Some("Stop the emails"),
        ),
        (Locale::Id, Page::Stopped) => (
            "Email dihentikan",
            format!(
                "Anda tidak akan menerima email lagi tentang laporan {tracking}. Statusnya tetap \
                 dapat dilihat di portal dengan nomor laporan."
            ),
            None,
        ),
        (Locale::En, Page::Stopped) => (
            "Emails stopped",
            format!(
                "You will get no more emails about report {tracking}. You can still follow it \
                 on the portal with its tracking number."
            ),
            None,
        ),
        (Locale::Id, Page::Invalid) => (
            "Tautan tidak berlaku",
            "Tautan berhenti berlangganan ini tidak lengkap atau tidak berlaku. Gunakan tautan \
             persis seperti di email."
                .to_owned(),
            None,
        ),
        (Locale::En, Page::Invalid) => (
            "Link not valid",
            "This unsubscribe link is incomplete or not valid. Use the link exactly as it is in \
             the email."
                .to_owned(),
            None,
        ),
    };
    // An empty action posts to this very URL, its signed query included.
    let form = button
        .map(|b| {
            format!("<form method=\"post\" action=\"\"><button type=\"submit\">{b}</button></form>")
        })
        .unwrap_or_default();
    let html = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title></head><body><main><h1>{title}</h1><p>{text}</p>{form}</main>\
         </body></html>",
        locale.tag()
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; form-action 'self'; frame-ancestors 'none'",
            ),
        ],
        html,
    )
        .into_response()
}

/// The report a link names, when its signature is right.
fn signed_report(state: &AppState, query: &UnsubscribeQuery) -> Option<TrackingId> {
    let tracking = TrackingId::parse(&query.report).ok()?;
    let secret = state.config.mail.secret.as_deref()?;
    verify(secret, &tracking, &query.signature).then_some(tracking)
}

/// GET: the link from the email, checked, with the button that stops the emails.
pub async fn confirm(
    State(state): State<AppState>,
    parts: Parts,
    ApiQuery(query): ApiQuery<UnsubscribeQuery>,
) -> Response {
    let locale = request_locale(&parts.headers);
    match signed_report(&state, &query) {
        Some(tracking) => page(StatusCode::OK, locale, Page::Confirm, &tracking.to_string()),
        None => page(StatusCode::BAD_REQUEST, locale, Page::Invalid, ""),
    }
}

/// POST (the page's button, or a mail client's RFC 8058 one-click): stops the emails of the
/// report the link names, when its signature is right.
pub async fn unsubscribe(
    State(state): State<AppState>,
    parts: Parts,
    ApiQuery(query): ApiQuery<UnsubscribeQuery>,
) -> Result<Response, ApiError> {
    let locale = request_locale(&parts.headers);
    let Some(tracking) = signed_report(&state, &query) else {
        return Ok(page(StatusCode::BAD_REQUEST, locale, Page::Invalid, ""));
    };
    let stopped = state
        .with_db(move |conn| storage::stop_email_updates(conn, &tracking))
        .await?;
    Ok(match stopped {
        Some(report_locale) => page(
            StatusCode::OK,
            report_locale,
            Page::Stopped,
            &tracking.to_string(),
        ),
        None => page(StatusCode::NOT_FOUND, locale, Page::Invalid, ""),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_fits_only_its_report_and_secret() {
        let secret = "0123456789abcdef0123456789abcdef";
        let a = TrackingId::from_random(1);
        let b = TrackingId::from_random(2);
        let signed = signature(secret, &a);
        assert!(verify(secret, &a, &signed));
        assert!(!verify(secret, &b, &signed));
        assert!(!verify("another secret of enough length!!", &a, &signed));
        assert!(!verify(secret, &a, &signed[..10]));
        assert!(!verify(secret, &a, ""));
    }
}
