//! A real server process on a free port with its own database, and a tiny HTTP/1.1 client,
//! so the tests exercise exactly what clients see.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const ADMIN_TOKEN: &str = "test-admin-token";

/// Asks `check` every 50 ms until it gives `Ok` (its value is returned), for at most `within`;
/// then the test fails with the last `Err`: what the server does in the background (mail,
/// clean-ups, re-hashing) is awaited, never slept on.
pub fn wait_until<T>(within: Duration, mut check: impl FnMut() -> Result<T, String>) -> T {
    let deadline = std::time::Instant::now() + within;
    loop {
        match check() {
            Ok(value) => return value,
            Err(why) => assert!(std::time::Instant::now() < deadline, "{why}"),
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The port in the server's "listening on http://127.0.0.1:PORT/" line.
fn listening_port(line: &str) -> Option<u16> {
    let address = line.split("listening on http://").nth(1)?;
    let (_, rest) = address.split_once(':')?;
    rest.split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

pub struct Server {
    pub child: Child,
    pub port: u16,
    pub data: PathBuf,
}

impl Server {
    pub fn start(name: &str) -> Server {
        Server::start_with(name, &[])
    }

    /// A fresh server with further flags (`--cors …`, `--write-burst …`).
    pub fn start_with(name: &str, flags: &[&str]) -> Server {
        let data = std::env::temp_dir().join(format!("lapor-it-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data);
        Server::launch(data, flags, &[])
    }

    /// A fresh server with further flags and environment variables.
    pub fn start_with_env(name: &str, flags: &[&str], env: &[(&str, &str)]) -> Server {
        let data = std::env::temp_dir().join(format!("lapor-it-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data);
        Server::launch(data, flags, env)
    }

    /// Starts a server on an existing data folder (after a crash, say).
    pub fn start_on(data: PathBuf) -> Server {
        Server::launch(data, &[], &[])
    }

    /// Starts a server on an existing data folder with these environment variables.
    pub fn start_on_with_env(data: PathBuf, env: &[(&str, &str)]) -> Server {
        Server::launch(data, &[], env)
    }

    fn launch(data: PathBuf, flags: &[&str], env: &[(&str, &str)]) -> Server {
        // Port 0: the server binds a free port itself and says which on its first line, so
        // no other test's server can take it between a check and the bind (a race that, under
        // load, let a test talk to another test's server and then to nothing).
        let mut child = Command::new(env!("CARGO_BIN_EXE_lapor-server"))
            .args(["--addr", "127.0.0.1:0", "--data"])
            .arg(&data)
            .args(flags)
            .env("LAPOR_ADMIN_TOKEN", ADMIN_TOKEN)
            .env("LAPOR_WRITE_BURST", "1000")
            .env("LAPOR_LOOKUP_BURST", "1000")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .spawn()
            .expect("server starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (port_tx, port_rx) = std::sync::mpsc::channel();
        // Reads the port, then keeps the pipe drained for the server's life.
        std::thread::spawn(move || {
            let mut port_tx = Some(port_tx);
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(port) = listening_port(&line)
                    && let Some(tx) = port_tx.take()
                {
                    let _ = tx.send(port);
                }
            }
        });
        match port_rx.recv_timeout(Duration::from_secs(60)) {
            Ok(port) => Server { child, port, data },
            Err(_) => {
                let _ = child.kill();
                panic!("server did not start: {:?}", child.wait())
            }
        }
    }

    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Response {
        request(self.port, method, path, headers, body)
    }

    pub fn get(&self, path: &str) -> Response {
        self.request("GET", path, &[], None)
    }

    /// Creates a report with a fresh key; panics unless 201.
    pub fn create(&self, body: &str) -> serde_json::Value {
        let key = format!("k-{}", next_id());
        let r = self.request(
            "POST",
            "/api/v1/reports",
            &[("Idempotency-Key", &key)],
            Some(body),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()
    }

    pub fn admin_event(&self, tracking: &str, body: &str) -> Response {
        let auth = format!("Bearer {ADMIN_TOKEN}");
        self.request(
            "POST",
            &format!("/api/v1/admin/reports/{tracking}/events"),
            &[("Authorization", &auth)],
            Some(body),
        )
    }

    pub fn kill_hard(&mut self) {
        // SIGKILL: no shutdown hook runs.
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn next_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed) + std::process::id() as u64 * 1_000_000
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (name, value) in headers {
        req.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(body) = body {
        // JSON unless the caller says otherwise (a form, a multipart upload).
        if !headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        {
            req.push_str("Content-Type: application/json\r\n");
        }
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    req.push_str(body.unwrap_or(""));
    stream.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| {
            l.split_once(':')
                .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        })
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_owned()
    };
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        body = &rest[n + 2..];
    }
    out
}

pub fn complaint(extra: &str) -> String {
    let today = chrono::Utc::now().date_naive() - chrono::Days::new(1);
    format!(
        r#"{{"classification":"complaint","title":"Jalan berlubang di depan pasar",
        "body":"Sejak dua minggu lalu ada lubang besar yang membahayakan pengendara motor.",
        "incident_date":"{today}","location":{{"region_id":"33.24.15"}}{extra}}}"#
    )
}

/// The smallest well-formed PDF (one empty page, a correct cross-reference table): the server
/// opens every PDF to remove its metadata and refuses what does not open.
pub fn minimal_pdf() -> String {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.push_str(&format!("{} 0 obj\n{object}\nendobj\n", i + 1));
    }
    let xref = pdf.len();
    pdf.push_str("xref\n0 4\n0000000000 65535 f \n");
    for offset in offsets {
        pdf.push_str(&format!("{offset:010} 00000 n \n"));
    }
    pdf.push_str(&format!(
        "trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ));
    pdf
}
