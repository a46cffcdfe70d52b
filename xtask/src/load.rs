//! The reference server under load, on loopback: requests per second and p50/p99 latency of
//! report creation, report view, region search as a citizen types, and the public lists, on a
//! database of 100,000 reports (`lapor-server --seed-bench`). Run by `cargo xtask bench` (the
//! table goes into BENCHMARKS.md) and alone by `cargo xtask load`; never by tests.
//!
//! No wrk, oha or ab on this machine, so the load generator is here: 16 threads, each one
//! HTTP/1.1 keep-alive connection sending its next request as soon as the last answer is
//! read (a closed loop), for a fixed time, every latency counted in a [`Histogram`]. The
//! generator shares the machine's cores with the server, so the figures are a floor of what
//! the server does on its own.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::Result;

/// Connections at once, as wrk's and oha's common setting that issue #20 measured with.
pub const CONNECTIONS: usize = 16;
/// Reports in the database the loads run on.
pub const BENCH_REPORTS: u64 = 100_000;
/// How long each load runs.
pub const LOAD_SECONDS: u64 = 10;

/// Region searches as citizens type them, one keystroke after another (one letter finds
/// nothing and never reaches the database, as the form sends it anyway).
pub const TYPING: &[&str] = &[
    "weleri",
    "weleri kendal",
    "kaliwungu",
    "kendal",
    "semarang",
    "boja",
    "tanjung priok",
    "sukamaju",
    "banyuwangi",
    "jayapura",
];

/// Latencies in microseconds, counted in buckets 1/64 of a power of two wide: a percentile
/// read from it is at most 1.6 % above the true one, whatever the range.
#[derive(Clone, Debug)]
pub struct Histogram {
    buckets: Vec<u64>,
    count: u64,
    max: u64,
}

/// Buckets per power of two (and the values below it, each counted exactly).
const SUB_BUCKETS: u64 = 64;

impl Default for Histogram {
    fn default() -> Histogram {
        Histogram {
            buckets: vec![0; 64 * SUB_BUCKETS as usize],
            count: 0,
            max: 0,
        }
    }
}

impl Histogram {
    fn index(value: u64) -> usize {
        if value < SUB_BUCKETS {
            return value as usize;
        }
        // Keep the six bits below the highest one.
        let shift = 63 - value.leading_zeros() - 6;
        ((shift as u64 + 1) * SUB_BUCKETS + (value >> shift) - SUB_BUCKETS) as usize
    }

    /// The smallest value of bucket `index`.
    fn lowest(index: usize) -> u64 {
        let index = index as u64;
        if index < SUB_BUCKETS {
            return index;
        }
        let shift = index / SUB_BUCKETS - 1;
        (index % SUB_BUCKETS + SUB_BUCKETS) << shift
    }

    pub fn record(&mut self, micros: u64) {
        self.buckets[Histogram::index(micros)] += 1;
        self.count += 1;
        self.max = self.max.max(micros);
    }

    pub fn merge(&mut self, other: &Histogram) {
        for (mine, theirs) in self.buckets.iter_mut().zip(&other.buckets) {
            *mine += theirs;
        }
        self.count += other.count;
        self.max = self.max.max(other.max);
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    pub fn max(&self) -> u64 {
        self.max
    }

    /// The latency `fraction` (0.5 for p50) of the requests stayed under: the top of the
    /// bucket holding that request, never above the largest recorded.
    pub fn percentile(&self, fraction: f64) -> u64 {
        if self.count == 0 {
            return 0;
        }
        let rank = ((fraction * self.count as f64).ceil() as u64).clamp(1, self.count);
        let mut seen = 0;
        for (i, n) in self.buckets.iter().enumerate() {
            seen += n;
            if seen >= rank {
                return (Histogram::lowest(i + 1) - 1).min(self.max);
            }
        }
        self.max
    }
}

/// One request of a load.
pub struct Request {
    pub method: &'static str,
    pub path: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<String>,
}

impl Request {
    pub fn get(path: impl Into<String>) -> Request {
        Request {
            method: "GET",
            path: path.into(),
            headers: Vec::new(),
            body: None,
        }
    }

    fn bytes(&self, host: &str) -> Vec<u8> {
        let mut out = format!("{} {} HTTP/1.1\r\nHost: {host}\r\n", self.method, self.path);
        for (name, value) in &self.headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        let body = self.body.as_deref().unwrap_or("");
        if self.body.is_some() {
            out.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        out.push_str("\r\n");
        out.push_str(body);
        out.into_bytes()
    }
}

/// What one load measured.
pub struct Outcome {
    pub name: String,
    pub latencies: Histogram,
    /// Answers outside 2xx, and requests that got no answer.
    pub failures: u64,
    pub elapsed: Duration,
}

impl Outcome {
    pub fn per_second(&self) -> f64 {
        self.latencies.count() as f64 / self.elapsed.as_secs_f64()
    }
}

/// An answer's status and body, read off a keep-alive connection.
struct Answer {
    status: u16,
    body: Vec<u8>,
    close: bool,
}

fn read_answer(reader: &mut BufReader<TcpStream>) -> std::io::Result<Answer> {
    let eof = || std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "connection closed");
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Err(eof());
    }
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("not HTTP: {line:?}")))?;
    let (mut length, mut chunked, mut close) = (0usize, false, false);
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Err(eof());
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(':') else {
            continue;
        };
        let value = value.trim().to_ascii_lowercase();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.parse().unwrap_or(0),
            "transfer-encoding" => chunked = value.contains("chunked"),
            "connection" => close = value == "close",
            _ => {}
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            line.clear();
            reader.read_line(&mut line)?;
            let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                .map_err(|e| std::io::Error::other(format!("chunk size {line:?}: {e}")))?;
            let start = body.len();
            body.resize(start + size, 0);
            reader.read_exact(&mut body[start..])?;
            line.clear();
            reader.read_line(&mut line)?;
            if size == 0 {
                break;
            }
        }
    } else {
        body.resize(length, 0);
        reader.read_exact(&mut body)?;
    }
    Ok(Answer {
        status,
        body,
        close,
    })
}

/// A keep-alive connection that reconnects when the server closes it.
struct Connection {
    addr: String,
    reader: Option<BufReader<TcpStream>>,
}

impl Connection {
    fn new(addr: &str) -> Connection {
        Connection {
            addr: addr.to_owned(),
            reader: None,
        }
    }

    fn send(&mut self, request: &[u8]) -> std::io::Result<Answer> {
        if self.reader.is_none() {
            let stream = TcpStream::connect(&self.addr)?;
            stream.set_nodelay(true)?;
            stream.set_read_timeout(Some(Duration::from_secs(30)))?;
            self.reader = Some(BufReader::new(stream));
        }
        let reader = self.reader.as_mut().expect("connected above");
        let answer = reader
            .get_mut()
            .write_all(request)
            .and_then(|()| read_answer(reader));
        if answer.as_ref().map_or(true, |a| a.close) {
            self.reader = None;
        }
        answer
    }
}

/// Runs `next` (connection number, request number → request) on [`CONNECTIONS`] connections
/// to `addr` for `duration`.
pub fn run_load(
    name: &str,
    addr: &str,
    duration: Duration,
    next: &(dyn Fn(usize, u64) -> Request + Sync),
) -> Outcome {
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let results: Vec<(Histogram, u64)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..CONNECTIONS)
            .map(|connection| {
                let stop = stop.clone();
                scope.spawn(move || {
                    let mut latencies = Histogram::default();
                    let mut failures = 0;
                    let mut conn = Connection::new(addr);
                    let mut n = 0;
                    while !stop.load(Ordering::Relaxed) {
                        let request = next(connection, n).bytes(addr);
                        n += 1;
                        let sent = Instant::now();
                        match conn.send(&request) {
                            Ok(answer) => {
                                latencies.record(sent.elapsed().as_micros() as u64);
                                if !(200..300).contains(&answer.status) {
                                    failures += 1;
                                }
                            }
                            Err(_) => failures += 1,
                        }
                    }
                    (latencies, failures)
                })
            })
            .collect();
        std::thread::sleep(duration);
        stop.store(true, Ordering::Relaxed);
        workers
            .into_iter()
            .map(|w| w.join().expect("load thread"))
            .collect()
    });
    let elapsed = started.elapsed();
    let mut latencies = Histogram::default();
    let mut failures = 0;
    for (h, f) in &results {
        latencies.merge(h);
        failures += f;
    }
    Outcome {
        name: name.to_owned(),
        latencies,
        failures,
        elapsed,
    }
}

/// The results as a markdown table.
pub fn table(outcomes: &[Outcome]) -> String {
    let ms = |micros: u64| format!("{:.2} ms", micros as f64 / 1000.0);
    let mut out = String::from(
        "| load | requests | requests/s | p50 | p99 | max | not 2xx |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for o in outcomes {
        out.push_str(&format!(
            "| {} | {} | {:.0} | {} | {} | {} | {} |\n",
            o.name,
            o.latencies.count(),
            o.per_second(),
            ms(o.latencies.percentile(0.5)),
            ms(o.latencies.percentile(0.99)),
            ms(o.latencies.max()),
            o.failures,
        ));
    }
    out
}

/// Every prefix of `name` as typed, one keystroke at a time: `w`, `we`, … `weleri`.
pub fn keystrokes(name: &str) -> Vec<String> {
    name.char_indices()
        .map(|(i, c)| name[..i + c.len_utf8()].to_owned())
        .collect()
}

/// A query value percent-encoded (what a browser sends for the combobox's text).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The server for the loads: its own port and throw-away data folder, rate limits raised so
/// that one client may send thousands of requests a second. Killed and removed when dropped.
struct LoadServer {
    child: Child,
    addr: String,
    data: PathBuf,
}

impl LoadServer {
    fn start(binary: &Path, data: PathBuf) -> Result<LoadServer> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let addr = format!("127.0.0.1:{port}");
        let child = Command::new(binary)
            .args(["--addr", &addr, "--data"])
            .arg(&data)
            .env("LAPOR_ADMIN_TOKEN", "load-admin")
            .env("LAPOR_WRITE_BURST", "1000000")
            .env("LAPOR_LOOKUP_BURST", "1000000")
            .env("LAPOR_MAX_CONNECTIONS", "1000")
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| format!("could not start the server: {e}"))?;
        let server = LoadServer { child, addr, data };
        let deadline = Instant::now() + Duration::from_secs(120);
        while TcpStream::connect(&server.addr).is_err() {
            if Instant::now() > deadline {
                return Err("the server did not start within 120 s".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(server)
    }

    /// One request on a connection of its own, for setting up.
    fn fetch(&self, request: &Request) -> Result<(u16, String)> {
        let answer = Connection::new(&self.addr)
            .send(&request.bytes(&self.addr))
            .map_err(|e| format!("{} {}: {e}", request.method, request.path))?;
        Ok((
            answer.status,
            String::from_utf8_lossy(&answer.body).into_owned(),
        ))
    }
}

impl Drop for LoadServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

/// A new report as the form sends it, with a fresh Idempotency-Key.
fn new_report(key: String, incident_date: &str) -> Request {
    Request {
        method: "POST",
        path: "/api/v1/reports".into(),
        headers: vec![("Idempotency-Key", key)],
        body: Some(format!(
            r#"{{"classification":"complaint","title":"Lampu jalan mati di depan pasar",
            "body":"Sudah satu minggu lampu jalan mati sehingga jalan gelap dan rawan.",
            "incident_date":"{incident_date}","location":{{"region_id":"33.24.12"}},
            "agency_id":"kendal-dpupr","category_id":"infrastruktur"}}"#
        )),
    }
}

/// Seeds `reports` reports into a fresh database with `binary --seed-bench`, starts the
/// server on it, runs every load, prints the table and returns it as markdown.
pub fn server_load(binary: &Path, reports: u64, seconds: u64) -> Result<String> {
    let data = std::env::temp_dir().join(format!("lapor-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    eprintln!("Seeding {reports} reports for the server loads…");
    let seeding = Instant::now();
    let seeded = Command::new(binary)
        .arg("--seed-bench")
        .arg(reports.to_string())
        .arg("--data")
        .arg(&data)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    // A server without `--seed-bench` (an older build measured for comparison) is loaded
    // with an empty database, and the table says so.
    let seed_secs = seeding.elapsed().as_secs_f64();
    let database = if seeded.success() {
        format!(
            "with {reports} reports in its database (seeded by `lapor-server --seed-bench` in \
             {seed_secs:.0} s)"
        )
    } else {
        eprintln!(
            "{} --seed-bench failed: an empty database",
            binary.display()
        );
        let _ = std::fs::remove_dir_all(&data);
        "with an empty database (this build has no `--seed-bench`)".to_owned()
    };
    let server = LoadServer::start(binary, data)?;
    let duration = Duration::from_secs(seconds);
    let yesterday = crate::cmd::output(Command::new("date").args(["-u", "-d", "yesterday", "+%F"]))
        .ok_or("date failed")?
        .trim()
        .to_owned();

    // Reports to view: a few created here, as a citizen would share their links.
    let mut tracking = Vec::new();
    for i in 0..64 {
        let (status, body) = server.fetch(&new_report(format!("load-setup-{i}"), &yesterday))?;
        if status != 201 {
            return Err(format!("creating a report for the loads: {status} {body}"));
        }
        let created: serde_json::Value = serde_json::from_str(&body).map_err(|e| e.to_string())?;
        tracking.push(
            created["tracking_id"]
                .as_str()
                .ok_or("a created report without tracking_id")?
                .to_owned(),
        );
    }
    let searches: Vec<String> = TYPING
        .iter()
        .flat_map(|name| keystrokes(name))
        .map(|q| format!("/api/v1/regions?q={}", encode(&q)))
        .collect();
    let agency_searches: Vec<String> = ["dinas kesehatan", "pekerjaan umum kendal", "kecamatan"]
        .iter()
        .flat_map(|name| keystrokes(name))
        .map(|q| format!("/api/v1/agencies?q={}", encode(&q)))
        .collect();
    // The public lists: the first pages, and filtered views as shared links open them.
    let open311_pages: Vec<String> = [
        "",
        "?status=open",
        "?service_code=infrastruktur",
        "?status=closed&service_code=kesehatan",
    ]
    .iter()
    .map(|q| format!("/open311/v2/requests.json{q}"))
    .collect();
    let native_pages: Vec<String> = [
        "",
        "?page=2",
        "?status=open",
        "?category=infrastruktur",
        "?region=33.24",
        "?q=jalan%20rusak",
        "?agency=kendal-dpupr&status=resolved",
    ]
    .iter()
    .map(|q| format!("/api/v1/reports{q}"))
    .collect();
    let native_list = server.fetch(&Request::get(native_pages[0].clone()))?.0 == 200;

    let addr = server.addr.clone();
    let rotate = |list: &[String], connection: usize, n: u64| {
        list[(connection * 7 + n as usize) % list.len()].clone()
    };
    let mut outcomes = Vec::new();
    eprintln!("Loads of {seconds} s each on {CONNECTIONS} connections…");
    outcomes.push(run_load(
        "report creation `POST /api/v1/reports`",
        &addr,
        duration,
        &|connection, n| new_report(format!("load-{connection}-{n}"), &yesterday),
    ));
    outcomes.push(run_load(
        "report view `GET /api/v1/reports/{t}`",
        &addr,
        duration,
        &|connection, n| {
            Request::get(format!(
                "/api/v1/reports/{}",
                rotate(&tracking, connection, n)
            ))
        },
    ));
    outcomes.push(run_load(
        "region search, typed (`GET /api/v1/regions?q=…`)",
        &addr,
        duration,
        &|connection, n| Request::get(rotate(&searches, connection, n)),
    ));
    outcomes.push(run_load(
        "agency search, typed (`GET /api/v1/agencies?q=…`)",
        &addr,
        duration,
        &|connection, n| Request::get(rotate(&agency_searches, connection, n)),
    ));
    if native_list {
        outcomes.push(run_load(
            "public list `GET /api/v1/reports?…`",
            &addr,
            duration,
            &|connection, n| Request::get(rotate(&native_pages, connection, n)),
        ));
    }
    outcomes.push(run_load(
        "Open311 list `GET /open311/v2/requests.json?…`",
        &addr,
        duration,
        &|connection, n| Request::get(rotate(&open311_pages, connection, n)),
    ));
    drop(server);

    let table = table(&outcomes);
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let regions = outcomes
        .iter()
        .find(|o| o.name.starts_with("region search"))
        .ok_or("no region search load")?;
    let (rps, p99) = (
        regions.per_second(),
        regions.latencies.percentile(0.99) as f64 / 1000.0,
    );
    let verdict = if rps >= 2000.0 && p99 < 20.0 {
        "met".to_owned()
    } else {
        format!(
            "MISSED ({})",
            [
                (rps < 2000.0).then(|| format!("{:.0} req/s short", 2000.0 - rps)),
                (p99 >= 20.0).then(|| format!("p99 {:.1} ms over", p99 - 20.0)),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
        )
    };
    let markdown = format!(
        "### The reference server under load\n\n\
         The release server on loopback {database}, rate limits raised; \
         `xtask/src/load.rs`: {CONNECTIONS} keep-alive connections, each sending its next \
         request when the last answer is read, {seconds} s per load. The load generator \
         shares the {cores} cores with the server, so these are floors. Region search types \
         {} names letter by letter (one letter is answered without the database); the lists \
         rotate over first pages and filtered views{}.\n\n{table}\n\
         Target: region search ≥ 2,000 requests/s with p99 < 20 ms — {:.0} requests/s, p99 \
         {p99:.2} ms, {verdict}.\n",
        TYPING.len(),
        if native_list {
            ""
        } else {
            " (the native list `GET /api/v1/reports` did not answer 200, so only Open311's)"
        },
        rps,
    );
    println!("\n{markdown}");
    Ok(markdown)
}

/// `cargo xtask load [--server BINARY] [--reports N] [--seconds S]`: only the server loads,
/// with the release server unless another binary is named.
pub fn load(args: &[String]) -> Result {
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
    };
    let number = |flag: &str, default: u64| -> Result<u64> {
        value(flag).map_or(Ok(default), |v| {
            v.parse()
                .map_err(|_| format!("{flag} {v}: a whole number, please"))
        })
    };
    let binary = match value("--server") {
        Some(path) => PathBuf::from(path),
        None => crate::build::build_server(true)?,
    };
    server_load(
        &binary,
        number("--reports", BENCH_REPORTS)?,
        number("--seconds", LOAD_SECONDS)?,
    )
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_contiguous_and_at_most_one_sixty_fourth_wide() {
        for value in (0..100_000).chain([1 << 20, (1 << 30) + 12_345, u32::MAX as u64]) {
            let i = Histogram::index(value);
            let (low, next) = (Histogram::lowest(i), Histogram::lowest(i + 1));
            assert!(low <= value && value < next, "{value}: [{low}, {next})");
            assert!(
                (next - low) as f64 <= (low as f64 / 64.0).max(1.0),
                "{value}"
            );
        }
    }

    #[test]
    fn percentiles_read_the_slow_tail() {
        let mut h = Histogram::default();
        for _ in 0..98 {
            h.record(1_000);
        }
        h.record(15_000);
        h.record(50_000);
        assert_eq!(h.count(), 100);
        let p50 = h.percentile(0.5);
        assert!((1_000..=1_016).contains(&p50), "{p50}");
        assert!((1_000..=1_016).contains(&h.percentile(0.98)));
        let p99 = h.percentile(0.99);
        assert!((15_000..=15_240).contains(&p99), "{p99}");
        assert_eq!(h.percentile(1.0), 50_000, "never above the largest");
        assert_eq!(h.max(), 50_000);
        assert_eq!(Histogram::default().percentile(0.99), 0);
    }

    #[test]
    fn merged_histograms_count_every_request() {
        let (mut a, mut b) = (Histogram::default(), Histogram::default());
        for v in 1..=50 {
            a.record(v);
            b.record(v + 50);
        }
        a.merge(&b);
        assert_eq!(a.count(), 100);
        assert_eq!(a.percentile(0.5), 50);
        assert_eq!(a.percentile(0.99), 99);
        assert_eq!(a.max(), 100);
    }

    #[test]
    fn typing_sends_every_prefix_and_answers_are_read_whole() {
        assert_eq!(keystrokes("wé l"), ["w", "wé", "wé ", "wé l"]);
        assert_eq!(encode("wé l"), "w%C3%A9%20l");
        // A keep-alive answer with a length, then a chunked one, on one connection.
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let server = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            for answer in [
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
                "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
            ] {
                let mut line = String::new();
                while reader.read_line(&mut line).unwrap() > 2 {
                    line.clear();
                }
                stream.write_all(answer.as_bytes()).unwrap();
            }
        });
        let mut conn = Connection::new(&addr);
        let first = conn.send(&Request::get("/a").bytes(&addr)).unwrap();
        assert_eq!((first.status, &first.body[..]), (200, &b"hello"[..]));
        let second = conn.send(&Request::get("/b").bytes(&addr)).unwrap();
        assert_eq!((second.status, &second.body[..]), (404, &b"abcde"[..]));
        server.join().unwrap();
    }
}
