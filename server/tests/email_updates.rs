//! Updates by email against a real SMTP server: each test starts aiosmtpd (PyPI, installed in
//! the tools venv by `cargo xtask test`) on loopback with its Maildir handler, a server that
//! sends to it, and reads what arrived: one email per status change and per agency response,
//! in the report's language with its links; nothing of a confidential report's content; none
//! for an anonymous report; the unsubscribe link stops the next one; and mail queued while the
//! SMTP server is down arrives once it is back.

mod common;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{Server, complaint, wait_until};

const PUBLIC_URL: &str = "https://lapor.uji.example/lapor";

/// The tools venv's Python, with aiosmtpd.
fn python() -> PathBuf {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools/venv/bin/python");
    let ok = Command::new(&python)
        .args(["-c", "import aiosmtpd"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok,
        "these tests need aiosmtpd in {}: run `cargo xtask test` once (it installs it, see \
         xtask/src/tools.rs ensure_aiosmtpd), or `python3 -m venv .tools/venv && \
         .tools/venv/bin/pip install aiosmtpd==1.4.6`",
        python.display()
    );
    python
}

/// aiosmtpd on `127.0.0.1:port`, writing what it receives to the Maildir `dir`.
struct SmtpServer {
    child: Child,
}

impl SmtpServer {
    fn start(port: u16, dir: &Path) -> SmtpServer {
        let child = Command::new(python())
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir)
            .stdout(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts");
        wait_until(Duration::from_secs(20), || {
            TcpStream::connect(("127.0.0.1", port))
                .map(drop)
                .map_err(|_| "aiosmtpd did not listen".to_owned())
        });
        SmtpServer { child }
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A mail folder, an SMTP port and a server that sends updates there (retrying quickly).
struct Setup {
    server: Server,
    smtp_port: u16,
    maildir: PathBuf,
}

impl Setup {
    fn new(name: &str) -> Setup {
        let smtp_port = free_port();
        let maildir =
            std::env::temp_dir().join(format!("lapor-mail-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&maildir);
        let port = smtp_port.to_string();
        let server = Server::start_with_env(&format!("mail-{name}"), &[], &Self::env(&port));
        Setup {
            server,
            smtp_port,
            maildir,
        }
    }

    fn env(smtp_port: &str) -> [(&str, &str); 6] {
        [
            ("LAPOR_SMTP_HOST", "127.0.0.1"),
            ("LAPOR_SMTP_PORT", smtp_port),
            ("LAPOR_SMTP_TLS", "none"),
            ("LAPOR_SMTP_FROM", "LAPOR! Uji <lapor@uji.example>"),
            ("LAPOR_PUBLIC_URL", PUBLIC_URL),
            ("LAPOR_MAIL_RETRY", "0.2"),
        ]
    }

    /// Kills the server (SIGKILL: nothing is flushed) and starts it again on its data.
    fn crash_and_restart(&mut self) {
        self.server.kill_hard();
        let data = self.server.data.clone();
        let port = self.smtp_port.to_string();
        self.server = Server::start_on_with_env(data, &Self::env(&port));
    }

    fn smtp(&self) -> SmtpServer {
        SmtpServer::start(self.smtp_port, &self.maildir)
    }

    /// The messages received so far, oldest first.
    fn received(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else {
            return Vec::new();
        };
        let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
            .flatten()
            .map(|e| (e.metadata().unwrap().modified().unwrap(), e.path()))
            .collect();
        files.sort();
        files
            .into_iter()
            .map(|(_, path)| readable(&std::fs::read(path).unwrap()))
            .collect()
    }

    /// Waits until `count` messages have arrived; returns them.
    fn wait_for(&self, count: usize) -> Vec<String> {
        wait_until(Duration::from_secs(20), || {
            let received = self.received();
            if received.len() >= count {
                return Ok(received);
            }
            Err(format!(
                "{count} emails expected, got {}: {received:#?}",
                received.len()
            ))
        })
    }

    /// Emails to `address` among those received.
    fn to(&self, address: &str) -> Vec<String> {
        self.received()
            .into_iter()
            .filter(|m| m.contains(&format!("To: {address}")))
            .collect()
    }

    fn report(&self, email: &str, extra: &str) -> String {
        let reporter = format!(r#","reporter":{{"name":"Siti","email":"{email}"}}{extra}"#);
        let created = self.server.create(&complaint(&reporter));
        created["tracking_id"].as_str().unwrap().to_owned()
    }

    fn event(&self, tracking: &str, body: &str) {
        let r = self.server.admin_event(tracking, body);
        assert_eq!(r.status, 201, "{}", r.body);
    }
}

/// A received message with its body decoded when it came quoted-printable (RFC 2045 6.7:
/// `=` at a line's end joins it to the next, `=XX` is a byte).
fn readable(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw).replace("\r\n", "\n");
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    if !head.contains("Content-Transfer-Encoding: quoted-printable") {
        return text;
    }
    let joined = body.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut decoded = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(byte)) => {
                decoded.push(byte);
                i += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    format!("{head}\n\n{}", String::from_utf8(decoded).unwrap())
}

/// The unsubscribe link in an email's text (not its header).
fn unsubscribe_link(mail: &str) -> String {
    let (_, text) = mail.split_once("\n\n").unwrap();
    let start = text
        .find(&format!("{PUBLIC_URL}/api/v1/email-updates/unsubscribe?"))
        .expect("an unsubscribe link");
    text[start..].split_whitespace().next().unwrap().to_owned()
}

#[test]
fn a_status_change_and_an_agency_response_each_send_one_email_in_the_reports_language() {
    let setup = Setup::new("events");
    let _smtp = setup.smtp();
    let english = setup.report("citizen@warga.example", r#","locale":"en""#);
    let indonesian = setup.report("warga@warga.example", r#","locale":"id""#);

    setup.event(&english, r#"{"status":"verified"}"#);
    let first = setup.wait_for(1).remove(0);
    assert!(first.contains("To: citizen@warga.example"), "{first}");
    assert!(
        first.contains(&format!("Subject: Update on report {english}")),
        "{first}"
    );
    assert!(first.contains("New status: Verified"), "{first}");
    assert!(first.contains("Jalan berlubang di depan pasar"), "{first}");
    assert!(
        first.contains(&format!("{PUBLIC_URL}/lacak/{english}")),
        "{first}"
    );
    assert!(first.contains("Follow-up deadline: "), "{first}");
    assert!(first.contains("working days"), "{first}");
    assert!(first.contains("List-Unsubscribe: <"), "{first}");
    assert!(unsubscribe_link(&first).contains(&format!("report={english}")));
    assert!(!first.contains("Siti"), "the reporter's name is not needed");

    setup.event(&english, r#"{"message":"A crew will patch it on Monday."}"#);
    let mails = setup.wait_for(2);
    let response = &mails[1];
    assert!(
        response.contains("Agency response:\n  A crew will patch it on Monday."),
        "{response}"
    );
    assert!(
        !response.contains("New status"),
        "the status did not change: {response}"
    );

    setup.event(
        &indonesian,
        r#"{"status":"in_progress","message":"Petugas dijadwalkan."}"#,
    );
    let mails = setup.wait_for(3);
    let indonesian_mail = &mails[2];
    assert!(
        indonesian_mail.contains("To: warga@warga.example"),
        "{indonesian_mail}"
    );
    assert!(indonesian_mail.contains(&format!("Subject: Pembaruan laporan {indonesian}")));
    assert!(
        indonesian_mail.contains("Status baru: Diproses"),
        "{indonesian_mail}"
    );
    assert!(indonesian_mail.contains("Tanggapan instansi:\n  Petugas dijadwalkan."));
    assert!(indonesian_mail.contains("Batas waktu tindak lanjut: "));

    // One email per event: nothing more arrives.
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(setup.received().len(), 3);
    assert_eq!(setup.to("citizen@warga.example").len(), 2);
}

#[test]
fn a_confidential_reports_email_says_only_that_there_is_an_update() {
    let setup = Setup::new("confidential");
    let _smtp = setup.smtp();
    let tracking = setup.report(
        "rahasia@warga.example",
        r#","confidential":true,"agency_id":"kendal-dpupr""#,
    );
    setup.event(
        &tracking,
        r#"{"status":"in_progress","message":"Pelaku pungli sudah diperiksa inspektorat."}"#,
    );
    let mail = setup.wait_for(1).remove(0);
    assert!(mail.contains("To: rahasia@warga.example"), "{mail}");
    assert!(mail.contains(&tracking), "{mail}");
    assert!(mail.contains("kode akses"), "{mail}");
    assert!(
        mail.contains(&format!("{PUBLIC_URL}/lacak/{tracking}")),
        "{mail}"
    );
    for secret in [
        "Jalan berlubang",
        "lubang besar",
        "Pelaku pungli",
        "inspektorat",
        "Diproses",
        "DPUPR",
        "Batas waktu",
    ] {
        assert!(!mail.contains(secret), "{secret} leaked: {mail}");
    }
}

#[test]
fn an_anonymous_report_gets_no_email() {
    let setup = Setup::new("anonymous");
    let _smtp = setup.smtp();
    let anonymous = setup.report("anon@warga.example", r#","anonymous":true"#);
    setup.event(
        &anonymous,
        r#"{"status":"verified","message":"Diverifikasi."}"#,
    );
    // A named report's update, queued after: when it has arrived, the one before would have.
    let named = setup.report("named@warga.example", "");
    setup.event(&named, r#"{"status":"verified"}"#);
    let mails = setup.wait_for(1);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(setup.received().len(), 1, "{mails:#?}");
    assert!(setup.to("anon@warga.example").is_empty());
    assert_eq!(setup.to("named@warga.example").len(), 1);
}

#[test]
fn the_unsubscribe_link_stops_the_next_email() {
    let setup = Setup::new("unsubscribe");
    let _smtp = setup.smtp();
    let tracking = setup.report("berhenti@warga.example", "");
    let other = setup.report("lain@warga.example", "");
    setup.event(&tracking, r#"{"status":"verified"}"#);
    let mail = setup.wait_for(1).remove(0);
    let link = unsubscribe_link(&mail);
    let path = link.strip_prefix(PUBLIC_URL).unwrap();
    let post = |path: &str| setup.server.request("POST", path, &[], None);

    // A link whose signature was tampered with, or that names another report, does nothing.
    let forged = path.replace(&tracking, &other);
    for refused in [
        setup.server.get(&forged),
        post(&forged),
        post(&path[..path.len() - 3]),
    ] {
        assert_eq!(refused.status, 400, "{}", refused.body);
        assert!(
            refused.body.contains("Tautan tidak berlaku"),
            "{}",
            refused.body
        );
    }

    // Opening the link shows one button; the GET alone (a mail scanner's) stops nothing.
    let page = setup.server.get(path);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("Berhenti menerima email"),
        "{}",
        page.body
    );
    assert!(page.body.contains("<form method=\"post\""), "{}", page.body);
    setup.event(&tracking, r#"{"message":"Masih ditangani."}"#);
    setup.wait_for(2);

    // The button (or a mail client's one-click POST) stops the next ones.
    let stopped = post(path);
    assert_eq!(stopped.status, 200, "{}", stopped.body);
    assert!(
        stopped.body.contains("Email dihentikan"),
        "{}",
        stopped.body
    );
    assert!(stopped.body.contains(&tracking));
    setup.event(&tracking, r#"{"status":"in_progress"}"#);
    // The other report's update, queued after, is the marker that the stopped one would have
    // arrived by now; the forged links did not stop it.
    setup.event(&other, r#"{"status":"verified"}"#);
    setup.wait_for(3);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(setup.to("berhenti@warga.example").len(), 2);
    assert_eq!(setup.to("lain@warga.example").len(), 1);
}

#[test]
fn mail_queued_while_the_smtp_server_is_down_arrives_after_it_restarts() {
    let mut setup = Setup::new("outage");
    let tracking = setup.report("sabar@warga.example", "");
    let mut smtp = setup.smtp();
    setup.event(&tracking, r#"{"status":"verified"}"#);
    let first = setup.wait_for(1).remove(0);

    smtp.stop();
    setup.event(
        &tracking,
        r#"{"status":"in_progress","message":"Sedang dikerjakan."}"#,
    );
    // The server tries, fails and keeps the message with its next attempt pushed back.
    let conn = rusqlite::Connection::open(setup.server.data.join("lapor.sqlite3")).unwrap();
    wait_until(Duration::from_secs(20), || {
        let attempts: Option<u32> = conn
            .query_row("SELECT MAX(attempts) FROM mail_queue", [], |r| r.get(0))
            .unwrap();
        if attempts.is_some_and(|a| a >= 2) {
            return Ok(());
        }
        Err(format!("no retry recorded: {attempts:?}"))
    });
    assert_eq!(setup.received().len(), 1);

    // The queue is in the database: a crash of the server while mail is down loses nothing.
    drop(conn);
    setup.crash_and_restart();
    let _smtp = setup.smtp();
    let mails = setup.wait_for(2);
    assert!(mails[1].contains("Sedang dikerjakan."), "{}", mails[1]);
    // The row goes once the SMTP server has acknowledged the message, which is just after the
    // message reaches it.
    let conn = rusqlite::Connection::open(setup.server.data.join("lapor.sqlite3")).unwrap();
    wait_until(Duration::from_secs(5), || {
        let left: u32 = conn
            .query_row("SELECT COUNT(*) FROM mail_queue", [], |r| r.get(0))
            .unwrap();
        if left == 0 {
            return Ok(());
        }
        Err(format!("a delivered message leaves the queue: {left} left"))
    });
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(setup.received().len(), 2, "each message is sent once");

    // The generated signing key was kept: a link sent before the restart still works.
    let link = unsubscribe_link(&first);
    let path = link.strip_prefix(PUBLIC_URL).unwrap();
    let stopped = setup.server.request("POST", path, &[], None);
    assert_eq!(stopped.status, 200, "{}", stopped.body);
}
