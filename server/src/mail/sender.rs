//! Hands queued update emails to the SMTP server (lettre), oldest first. A message leaves the
//! queue when the server accepted it, refused it for good (a 5xx: a bad address), or its
//! reporter stopped the updates; anything else (server down, 4xx) is retried after a delay
//! that doubles from `LAPOR_MAIL_RETRY` up to an hour, so nothing is lost while mail is down.

use std::time::Duration;

use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Body, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};

use super::{MAX_RETRY_DELAY, Smtp, SmtpTls};
use crate::AppState;
use crate::storage::{self, QueuedMailRow};

/// Messages taken from the queue per round.
const BATCH: u32 = 20;

/// `List-Unsubscribe: <url>` (RFC 2369), so mail clients offer their own button.
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(
            s.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .into(),
        ))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058): the link works with a POST.
#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".into())
    }
}

/// The transport for `smtp`, with a timeout so a stuck server does not hold the queue.
fn transport(smtp: &Smtp) -> Result<SmtpTransport, lettre::transport::smtp::Error> {
    let builder = match smtp.tls {
        SmtpTls::None => SmtpTransport::builder_dangerous(&smtp.host),
        SmtpTls::StartTls => SmtpTransport::starttls_relay(&smtp.host)?,
        SmtpTls::Tls => SmtpTransport::relay(&smtp.host)?,
    };
    let mut builder = builder
        .port(smtp.port)
        .timeout(Some(Duration::from_secs(30)));
    if let Some((user, password)) = &smtp.credentials {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    Ok(builder.build())
}

/// The message of a queued row; `Err` when it can never be sent (a malformed address).
fn message(from: &Mailbox, row: &QueuedMailRow) -> Result<Message, String> {
    let to: Mailbox = row
        .recipient
        .parse()
        .map_err(|e| format!("recipient: {e}"))?;
    // Lettre picks the transfer encoding (7bit, or quoted-printable for long or non-ASCII
    // lines) and the CRLF line ends.
    let body = Body::new(row.body.clone());
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(row.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .header(ListUnsubscribe(row.unsubscribe_url.clone()))
        .header(ListUnsubscribePost)
        .body(body)
        .map_err(|e| e.to_string())
}

/// The delay before retry number `attempts + 1`.
pub fn retry_delay(first: Duration, attempts: u32) -> Duration {
    first
        .saturating_mul(1u32 << attempts.min(20))
        .min(MAX_RETRY_DELAY)
}

fn now_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// What became of one message.
enum Outcome {
    Gone,
    Retry(String),
}

/// Sends the due messages once; returns how many were due.
async fn send_due(state: &AppState, smtp: &Smtp) -> rusqlite::Result<usize> {
    let due = state
        .with_db(|conn| storage::due_mail(conn, now_millis(), BATCH))
        .await?;
    let count = due.len();
    for row in due {
        let outcome = if row.stopped {
            Outcome::Gone
        } else {
            let smtp = smtp.clone();
            let row = row.clone();
            tokio::task::spawn_blocking(move || {
                let message = match message(&smtp.from, &row) {
                    Ok(message) => message,
                    Err(why) => {
                        eprintln!("lapor-server: mail {} dropped: {why}", row.id);
                        return Outcome::Gone;
                    }
                };
                match transport(&smtp).and_then(|t| t.send(&message)) {
                    Ok(_) => Outcome::Gone,
                    Err(e) if e.is_permanent() => {
                        // The server's words often quote the recipient: only the code is logged.
                        let code = e.status().map(|c| c.to_string()).unwrap_or_default();
                        eprintln!("lapor-server: mail {} refused for good ({code})", row.id);
                        Outcome::Gone
                    }
                    Err(e) => Outcome::Retry(e.to_string()),
                }
            })
            .await
            .unwrap_or_else(|e| Outcome::Retry(e.to_string()))
        };
        let first = state.config.mail.retry_delay;
        state
            .with_db(move |conn| match outcome {
                Outcome::Gone => storage::remove_mail(conn, row.id),
                Outcome::Retry(why) => {
                    let wait = retry_delay(first, row.attempts).as_millis() as i64;
                    storage::retry_mail(conn, row.id, now_millis() + wait, &why)
                }
            })
            .await?;
    }
    Ok(count)
}

/// Starts the sender on the runtime when SMTP is configured; it stops with the process.
pub fn start(state: &AppState) {
    let Some(smtp) = state.config.mail.smtp.clone() else {
        return;
    };
    // Often enough that an update leaves within seconds, and retries keep their delays.
    let poll = (state.config.mail.retry_delay / 2)
        .clamp(Duration::from_millis(100), Duration::from_secs(5));
    let state = state.clone();
    tokio::spawn(async move {
        loop {
            match send_due(&state, &smtp).await {
                Ok(n) if n == BATCH as usize => continue,
                Ok(_) => {}
                Err(e) => eprintln!("lapor-server: mail queue: {e}"),
            }
            tokio::time::sleep(poll).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_up_to_an_hour() {
        let first = Duration::from_secs(30);
        assert_eq!(retry_delay(first, 0), Duration::from_secs(30));
        assert_eq!(retry_delay(first, 1), Duration::from_secs(60));
        assert_eq!(retry_delay(first, 3), Duration::from_secs(240));
        assert_eq!(retry_delay(first, 40), MAX_RETRY_DELAY);
    }
}
