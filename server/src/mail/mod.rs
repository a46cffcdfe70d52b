//! Updates by email: when a report's status changes or its agency responds, a reporter who
//! left an email gets a short message in the report's language (`templates.rs`), with the
//! tracking link, the working-day deadline and a signed one-click unsubscribe link
//! (`unsubscribe.rs`). Messages are written to a durable queue in SQLite in the transaction
//! of the event they tell about, and `sender.rs` hands them to the SMTP server configured by
//! the `LAPOR_SMTP_*` settings, retrying with backoff: an outage of the mail server delays
//! mail and loses none. With no SMTP host set, nothing is queued.

pub mod sender;
pub mod templates;
pub mod unsubscribe;

use std::path::Path;
use std::time::Duration;

use lapor_core::Status;
use lapor_core::privacy::{Viewer, disclosure};
use lettre::message::Mailbox;
use rusqlite::Connection;

use crate::storage::{self, NewMailRow, ReportRow};

/// How the connection to the SMTP server is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain SMTP (a relay on the same machine or network, e.g. 127.0.0.1:25).
    None,
    /// Plain, then upgraded with STARTTLS (required); the usual submission port 587.
    StartTls,
    /// TLS from the first byte; the usual port 465.
    Tls,
}

/// The SMTP server updates are sent through (`Debug` leaves the password out).
#[derive(Clone)]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub from: Mailbox,
    /// User name and password, when the server wants them.
    pub credentials: Option<(String, String)>,
}

/// Everything updates by email need; off (`smtp: None`) unless an SMTP host is set
/// (`Debug` leaves the secret out).
#[derive(Clone)]
pub struct MailSettings {
    pub smtp: Option<Smtp>,
    /// Where citizens open the portal (`https://lapor.kendalkab.go.id`, with the base path if
    /// any): tracking links, and the unsubscribe link under its `/api/v1`.
    pub public_url: String,
    /// The key that signs unsubscribe links; from `LAPOR_MAIL_SECRET`, else generated once
    /// and kept in the data folder (`mail-secret`).
    pub secret: Option<String>,
    /// The first retry's delay after a failed delivery; it doubles up to [`MAX_RETRY_DELAY`].
    pub retry_delay: Duration,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            smtp: None,
            public_url: String::new(),
            secret: None,
            retry_delay: Duration::from_secs(30),
        }
    }
}

impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Smtp")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("from", &self.from)
            .field("user", &self.credentials.as_ref().map(|(user, _)| user))
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailSettings")
            .field("smtp", &self.smtp)
            .field("public_url", &self.public_url)
            .field("retry_delay", &self.retry_delay)
            .finish_non_exhaustive()
    }
}

/// Retries never wait longer than this.
pub const MAX_RETRY_DELAY: Duration = Duration::from_secs(60 * 60);

/// The settings' environment variables (documented in README.md).
pub const ENV_VARS: &str = "LAPOR_PUBLIC_URL, LAPOR_SMTP_HOST, LAPOR_SMTP_PORT, LAPOR_SMTP_FROM, \
LAPOR_SMTP_USER, LAPOR_SMTP_PASSWORD, LAPOR_SMTP_TLS, LAPOR_MAIL_SECRET, LAPOR_MAIL_RETRY";

/// Reads the mail settings from `LAPOR_*` variables; `Err` names the variable and the reason.
pub fn settings_from_env(env: impl Fn(&str) -> Option<String>) -> Result<MailSettings, String> {
    let mut settings = MailSettings::default();
    let named = |var: &str, value: &str, why: String| format!("{var}={value:?}: {why}");
    if let Some(url) = env("LAPOR_PUBLIC_URL") {
        settings.public_url =
            public_url(&url).map_err(|why| named("LAPOR_PUBLIC_URL", &url, why))?;
    }
    if let Some(secret) = env("LAPOR_MAIL_SECRET") {
        if secret.len() < 32 {
            return Err(named(
                "LAPOR_MAIL_SECRET",
                "…",
                "expected at least 32 characters (e.g. `openssl rand -hex 32`)".into(),
            ));
        }
        settings.secret = Some(secret);
    }
    if let Some(value) = env("LAPOR_MAIL_RETRY") {
        settings.retry_delay = match value.trim().parse::<f64>() {
            Ok(s) if s > 0.0 && s <= 3600.0 => Duration::from_secs_f64(s),
            _ => {
                return Err(named(
                    "LAPOR_MAIL_RETRY",
                    &value,
                    "expected seconds, more than 0 and at most 3600 (e.g. 30)".into(),
                ));
            }
        };
    }
    let Some(host) = env("LAPOR_SMTP_HOST") else {
        for var in [
            "LAPOR_SMTP_PORT",
            "LAPOR_SMTP_FROM",
            "LAPOR_SMTP_USER",
            "LAPOR_SMTP_TLS",
        ] {
            if env(var).is_some() {
                return Err(format!("{var} is set but LAPOR_SMTP_HOST is not"));
            }
        }
        return Ok(settings);
    };
    let tls = match env("LAPOR_SMTP_TLS").as_deref().map(str::trim) {
        None | Some("starttls") => SmtpTls::StartTls,
        Some("tls") => SmtpTls::Tls,
        Some("none") => SmtpTls::None,
        Some(other) => {
            return Err(named(
                "LAPOR_SMTP_TLS",
                other,
                "expected starttls (the default), tls or none".into(),
            ));
        }
    };
    let port = match env("LAPOR_SMTP_PORT") {
        Some(value) => value
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| {
                named(
                    "LAPOR_SMTP_PORT",
                    &value,
                    "expected a port, 1 to 65535".into(),
                )
            })?,
        None => match tls {
            SmtpTls::None => 25,
            SmtpTls::StartTls => 587,
            SmtpTls::Tls => 465,
        },
    };
    let from = env("LAPOR_SMTP_FROM").ok_or_else(|| {
        "LAPOR_SMTP_FROM is required with LAPOR_SMTP_HOST (e.g. \"LAPOR! Kendal <lapor@kendalkab.go.id>\")"
            .to_owned()
    })?;
    let from: Mailbox = from.parse().map_err(|_| {
        named(
            "LAPOR_SMTP_FROM",
            &from,
            "expected an address, e.g. lapor@kendalkab.go.id or \"LAPOR! Kendal <lapor@kendalkab.go.id>\"".into(),
        )
    })?;
    let credentials = match (env("LAPOR_SMTP_USER"), env("LAPOR_SMTP_PASSWORD")) {
        (Some(user), Some(password)) => Some((user, password)),
        (None, None) => None,
        _ => return Err("LAPOR_SMTP_USER and LAPOR_SMTP_PASSWORD go together".into()),
    };
    if settings.public_url.is_empty() {
        return Err(
            "LAPOR_PUBLIC_URL is required with LAPOR_SMTP_HOST: emails link to the portal \
             (e.g. https://lapor.kendalkab.go.id)"
                .into(),
        );
    }
    settings.smtp = Some(Smtp {
        host: host.trim().to_owned(),
        port,
        tls,
        from,
        credentials,
    });
    Ok(settings)
}

/// `http(s)://host[:port][/path]` without a trailing slash, query or fragment.
fn public_url(value: &str) -> Result<String, String> {
    let value = value.trim().trim_end_matches('/');
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .ok_or("expected the portal's address, e.g. https://lapor.kendalkab.go.id")?;
    let host = rest.split('/').next().unwrap_or_default();
    let ok = !host.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~:/[]%".contains(c));
    if ok {
        Ok(value.to_owned())
    } else {
        Err("expected the portal's address with no query or fragment, e.g. https://lapor.kendalkab.go.id/lapor".into())
    }
}

/// The unsubscribe key: the configured one, else the one kept in `data_dir/mail-secret`
/// (made on first use, readable by the server's user only).
pub fn load_secret(settings: &mut MailSettings, data_dir: &Path) -> std::io::Result<()> {
    if settings.secret.is_some() {
        return Ok(());
    }
    let path = data_dir.join("mail-secret");
    let secret = match std::fs::read_to_string(&path) {
        Ok(kept) if kept.trim().len() >= 32 => kept.trim().to_owned(),
        _ => {
            let mut bytes = [0u8; 32];
            getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create(true).truncate(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            std::io::Write::write_all(&mut options.open(&path)?, hex.as_bytes())?;
            hex
        }
    };
    settings.secret = Some(secret);
    Ok(())
}

/// What happened to a report, as its update email tells it.
pub struct Update<'a> {
    /// The new status, when it changed.
    pub new_status: Option<&'a Status>,
    /// The agency's message, when it responded.
    pub agency_message: Option<&'a str>,
}

/// Queues the update email of `report` (as it was before the event) when updates by email
/// are on and its reporter left an email and did not stop them. Run in the transaction that
/// records the event, so the message exists exactly when the event does.
pub fn queue_update(
    conn: &Connection,
    settings: &MailSettings,
    report: &ReportRow,
    update: &Update,
    now_millis: i64,
) -> rusqlite::Result<()> {
    let (Some(_), Some(secret)) = (&settings.smtp, &settings.secret) else {
        return Ok(());
    };
    if update.new_status.is_none() && update.agency_message.is_none() {
        return Ok(());
    }
    // Anonymous reports have no stored email, and the query checks that too.
    if report.privacy.anonymous {
        return Ok(());
    }
    let Some(recipient) = storage::update_recipient(conn, report.id)? else {
        return Ok(());
    };
    // An email can be read by anyone who sees the mailbox: it shows only what a report's
    // tracking number alone shows, plus what is not secret about a public one.
    let shown = disclosure(report.privacy, Viewer::Public);
    let unsubscribe_url = unsubscribe::link(settings, secret, &report.tracking_id);
    let message = templates::update_message(&templates::UpdateFacts {
        locale: recipient.locale,
        report,
        shown,
        update,
        tracking_url: &format!("{}/lacak/{}", settings.public_url, report.tracking_id),
        unsubscribe_url: &unsubscribe_url,
        remaining: crate::routes::calendar().remaining(crate::routes::today(), report.due_date),
    });
    storage::queue_mail(
        conn,
        &NewMailRow {
            report_id: report.id,
            recipient: &recipient.email,
            subject: &message.subject,
            body: &message.body,
            unsubscribe_url: &unsubscribe_url,
            due_at: now_millis,
        },
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(vars: &[(&str, &str)]) -> Result<MailSettings, String> {
        settings_from_env(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn mail_is_off_without_a_host_and_bad_settings_are_named() {
        assert!(parse(&[]).unwrap().smtp.is_none());
        let err = parse(&[("LAPOR_SMTP_FROM", "a@b.id")]).unwrap_err();
        assert!(err.contains("LAPOR_SMTP_HOST is not"), "{err}");
        let err = parse(&[("LAPOR_SMTP_HOST", "mail"), ("LAPOR_SMTP_FROM", "a@b.id")]).unwrap_err();
        assert!(err.starts_with("LAPOR_PUBLIC_URL is required"), "{err}");
        let base = [
            ("LAPOR_SMTP_HOST", "mail"),
            ("LAPOR_PUBLIC_URL", "https://lapor.example.go.id/lapor/"),
        ];
        let err = parse(&[base[0], base[1], ("LAPOR_SMTP_FROM", "nobody")]).unwrap_err();
        assert!(err.starts_with("LAPOR_SMTP_FROM=\"nobody\""), "{err}");
        let from = ("LAPOR_SMTP_FROM", "LAPOR! <lapor@example.go.id>");
        let err = parse(&[base[0], base[1], from, ("LAPOR_SMTP_TLS", "ssl")]).unwrap_err();
        assert!(err.starts_with("LAPOR_SMTP_TLS=\"ssl\""), "{err}");
        let err = parse(&[base[0], base[1], from, ("LAPOR_SMTP_USER", "u")]).unwrap_err();
        assert!(err.contains("go together"), "{err}");
        let err = parse(&[("LAPOR_PUBLIC_URL", "lapor.example.go.id")]).unwrap_err();
        assert!(err.starts_with("LAPOR_PUBLIC_URL="), "{err}");
        let err = parse(&[("LAPOR_MAIL_SECRET", "short")]).unwrap_err();
        assert!(err.starts_with("LAPOR_MAIL_SECRET"), "{err}");
        assert!(!err.contains("short"), "a secret is never echoed: {err}");

        let with_secrets = parse(&[
            base[0],
            base[1],
            from,
            ("LAPOR_SMTP_USER", "lapor"),
            ("LAPOR_SMTP_PASSWORD", "pw-not-for-logs"),
            ("LAPOR_MAIL_SECRET", "secret-not-for-logs-0123456789abcdef"),
        ])
        .unwrap();
        let shown = format!("{with_secrets:?}");
        assert!(shown.contains("lapor"), "{shown}");
        assert!(
            !shown.contains("not-for-logs"),
            "a secret in the log: {shown}"
        );

        let ok = parse(&[base[0], base[1], from]).unwrap();
        let smtp = ok.smtp.unwrap();
        assert_eq!((smtp.port, smtp.tls), (587, SmtpTls::StartTls));
        assert_eq!(ok.public_url, "https://lapor.example.go.id/lapor");
        let ok = parse(&[base[0], base[1], from, ("LAPOR_SMTP_TLS", "none")]).unwrap();
        assert_eq!(ok.smtp.unwrap().port, 25);
    }

    #[test]
    fn the_generated_secret_is_kept_in_the_data_folder() {
        let dir = std::env::temp_dir().join(format!("lapor-mail-secret-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut first = MailSettings::default();
        load_secret(&mut first, &dir).unwrap();
        let mut again = MailSettings::default();
        load_secret(&mut again, &dir).unwrap();
        assert_eq!(first.secret, again.secret);
        assert_eq!(first.secret.as_ref().unwrap().len(), 64);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
