//! The server's edge under abuse and unlucky networks: slow and idle connections are closed
//! within their timeouts, connections and uploads in flight are capped, limits key on the
//! real client (behind a trusted proxy, never on a forged header), guessing secrets backs
//! off, bad input is a 4xx in the request's language, and SIGTERM stops the server cleanly.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{ADMIN_TOKEN, Server};

fn connect(server: &Server) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    stream
}

/// Whether the server has closed `stream` (EOF or reset); bytes it sent are collected.
fn closed(stream: &mut TcpStream, received: &mut Vec<u8>) -> bool {
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(n) => received.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return false;
            }
            Err(_) => return true,
        }
    }
}

/// Sends `chunk` every 200 ms (if any) until the server closes the connection or `give_up`
/// passes; returns how long the connection lived and what the server sent.
fn trickle(stream: &mut TcpStream, chunk: &[u8], give_up: Duration) -> (Duration, Vec<u8>) {
    let start = Instant::now();
    let mut received = Vec::new();
    while start.elapsed() < give_up {
        // Once the server answers, stop sending: it reads no more.
        if !chunk.is_empty() && received.is_empty() && stream.write_all(chunk).is_err() {
            // Reset by the server; read what it said before.
            closed(stream, &mut received);
            return (start.elapsed(), received);
        }
        std::thread::sleep(Duration::from_millis(100));
        if closed(stream, &mut received) {
            return (start.elapsed(), received);
        }
    }
    (start.elapsed(), received)
}

#[test]
fn slow_headers_are_cut_off_at_the_header_timeout() {
    let server = Server::start_with(
        "abuse-headers",
        &["--header-timeout", "1", "--idle-timeout", "30"],
    );
    let mut stream = connect(&server);
    stream
        .write_all(b"GET /api/v1/instance HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let (lived, _) = trickle(&mut stream, b"X", Duration::from_secs(6));
    assert!(
        lived >= Duration::from_millis(800) && lived < Duration::from_secs(3),
        "a header trickled byte by byte was held for {lived:?}"
    );
}

#[test]
fn a_trickled_body_is_cut_off_with_408_at_the_body_timeout() {
    let server = Server::start_with(
        "abuse-body",
        &[
            "--body-timeout",
            "1",
            "--header-timeout",
            "30",
            "--idle-timeout",
            "30",
        ],
    );
    let mut stream = connect(&server);
    stream
        .write_all(
            b"POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\n\
              Content-Type: application/json\r\nIdempotency-Key: slow-1\r\n\
              Content-Length: 10000\r\n\r\n{",
        )
        .unwrap();
    let (lived, received) = trickle(&mut stream, b" ", Duration::from_secs(6));
    let text = String::from_utf8_lossy(&received);
    assert!(
        lived < Duration::from_secs(3),
        "a trickled body was held for {lived:?}"
    );
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("application/problem+json"), "{text}");
    assert!(text.contains("Request took too long"), "{text}");
}

#[test]
fn a_large_upload_sent_slowly_but_steadily_is_not_cut_off() {
    let server = Server::start_with(
        "abuse-slow-upload",
        &[
            "--body-timeout",
            "1",
            "--header-timeout",
            "30",
            "--idle-timeout",
            "30",
        ],
    );
    let file = vec![b'x'; 24 * 1024];
    let mut body =
        b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n\r\n"
            .to_vec();
    body.extend_from_slice(&file);
    body.extend_from_slice(b"\r\n--XyZ--\r\n");
    let mut stream = connect(&server);
    write!(
        stream,
        "POST /api/v1/attachments HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
         Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    // About 12 KB a second: two seconds in all, twice the body timeout.
    let start = Instant::now();
    for chunk in body.chunks(1200) {
        stream.write_all(chunk).unwrap();
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(start.elapsed() > Duration::from_millis(1500));
    let mut received = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !closed(&mut stream, &mut received) && Instant::now() < deadline {}
    let text = String::from_utf8_lossy(&received);
    assert!(text.starts_with("HTTP/1.1 4"), "{text}");
    assert!(
        !text.starts_with("HTTP/1.1 408"),
        "a steady upload was cut off: {text}"
    );
}

#[test]
fn idle_connections_are_closed_at_the_idle_timeout() {
    let server = Server::start_with(
        "abuse-idle",
        &["--idle-timeout", "1", "--header-timeout", "30"],
    );
    // One that never says anything, one kept alive after an answer.
    let mut silent = connect(&server);
    let mut kept = connect(&server);
    kept.write_all(b"GET /api/v1/instance HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut answer = Vec::new();
    let start = Instant::now();
    while !String::from_utf8_lossy(&answer).contains("\"time_zone\"") {
        assert!(!closed(&mut kept, &mut answer), "closed before the answer");
        assert!(start.elapsed() < Duration::from_secs(10), "no answer");
    }
    let (silent_lived, _) = trickle(&mut silent, b"", Duration::from_secs(6));
    let (kept_lived, _) = trickle(&mut kept, b"", Duration::from_secs(6));
    assert!(
        silent_lived < Duration::from_secs(3),
        "a silent connection lived {silent_lived:?}"
    );
    assert!(
        kept_lived < Duration::from_secs(3),
        "an idle keep-alive connection lived {kept_lived:?}"
    );
}

#[test]
fn connections_beyond_the_cap_wait_until_one_closes() {
    let server = Server::start_with(
        "abuse-cap",
        &[
            "--max-connections",
            "3",
            "--idle-timeout",
            "30",
            "--header-timeout",
            "30",
        ],
    );
    let holders: Vec<TcpStream> = (0..3).map(|_| connect(&server)).collect();
    std::thread::sleep(Duration::from_millis(200));
    let mut fourth = connect(&server);
    fourth
        .write_all(b"GET /api/v1/instance HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut received = Vec::new();
    let waited = Instant::now();
    while waited.elapsed() < Duration::from_millis(800) {
        closed(&mut fourth, &mut received);
    }
    assert!(
        received.is_empty(),
        "a fourth connection was served beside three: {}",
        String::from_utf8_lossy(&received)
    );
    drop(holders);
    let start = Instant::now();
    while !closed(&mut fourth, &mut received) {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "not served after the others left"
        );
    }
    assert!(
        String::from_utf8_lossy(&received).starts_with("HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&received)
    );
}

#[test]
fn parallel_uploads_from_one_client_beyond_its_budget_get_429_at_once() {
    let server = Server::start_with(
        "abuse-uploads",
        &["--upload-bytes-in-flight-per-client", "1M"],
    );
    // 40 uploads of 300 KB each announce themselves; none sends its body yet.
    let mut streams: Vec<TcpStream> = (0..40)
        .map(|_| {
            let mut s = connect(&server);
            s.write_all(
                b"POST /api/v1/attachments HTTP/1.1\r\nHost: x\r\n\
                  Content-Type: multipart/form-data; boundary=b\r\n\
                  Content-Length: 300000\r\n\r\n",
            )
            .unwrap();
            s
        })
        .collect();
    let start = Instant::now();
    let mut refused = 0;
    let mut waiting = 0;
    for stream in &mut streams {
        let mut received = Vec::new();
        let mut done = false;
        let asked = Instant::now();
        while asked.elapsed() < Duration::from_millis(500) && !done {
            done = closed(stream, &mut received);
            done |= String::from_utf8_lossy(&received).contains("\r\n\r\n{");
        }
        let text = String::from_utf8_lossy(&received).to_lowercase();
        if text.is_empty() {
            waiting += 1;
            continue;
        }
        assert!(text.starts_with("http/1.1 429"), "{text}");
        assert!(text.contains("retry-after: "), "{text}");
        assert!(text.contains("application/problem+json"), "{text}");
        assert!(text.contains("terlalu banyak unggahan"), "{text}");
        refused += 1;
    }
    assert!(
        (1..=3).contains(&waiting),
        "{waiting} uploads were being received at once"
    );
    assert_eq!(refused + waiting, 40);
    assert!(start.elapsed() < Duration::from_secs(5));
}

fn lookup(server: &Server, forwarded_for: Option<&str>) -> common::Response {
    let mut headers = vec![("Accept-Language", "en")];
    if let Some(client) = forwarded_for {
        headers.push(("X-Forwarded-For", client));
    }
    server.request("GET", "/api/v1/reports/K7M-2QX-9PD", &headers, None)
}

#[test]
fn lookups_behind_a_trusted_proxy_are_limited_per_forwarded_client() {
    let server = Server::start_with(
        "abuse-proxy",
        &["--trusted-proxy", "127.0.0.0/8", "--lookup-burst", "2"],
    );
    let noisy = "198.51.100.7, 203.0.113.5";
    assert_eq!(lookup(&server, Some(noisy)).status, 404);
    assert_eq!(lookup(&server, Some(noisy)).status, 404);
    let refused = lookup(&server, Some(noisy));
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert!(refused.header("retry-after").is_some());
    assert_eq!(refused.json()["title"], "Too many requests");
    // Another citizen behind the same proxy, and one whose spoofed left-hand hop differs.
    assert_eq!(lookup(&server, Some("203.0.113.6")).status, 404);
    assert_eq!(
        lookup(&server, Some("192.0.2.99, 203.0.113.5")).status,
        429,
        "only the hop the proxy saw counts"
    );
    // Open311 lookups share the bucket, answered in GeoReport's shape.
    let open311 = server.request(
        "GET",
        "/open311/v2/requests/K7M-2QX-9PD.json",
        &[("X-Forwarded-For", "203.0.113.5")],
        None,
    );
    assert_eq!(open311.status, 429);
    assert!(open311.header("retry-after").is_some());
    assert_eq!(open311.json()[0]["code"], 429);
}

#[test]
fn forwarded_headers_from_an_untrusted_peer_are_ignored() {
    let server = Server::start_with("abuse-untrusted", &["--lookup-burst", "2"]);
    assert_eq!(lookup(&server, Some("203.0.113.1")).status, 404);
    assert_eq!(lookup(&server, Some("203.0.113.2")).status, 404);
    let refused = lookup(&server, Some("203.0.113.3"));
    assert_eq!(
        refused.status, 429,
        "a forged X-Forwarded-For escaped the limit"
    );
    let forwarded = server.request(
        "GET",
        "/api/v1/reports/K7M-2QX-9PD",
        &[("Forwarded", "for=203.0.113.4")],
        None,
    );
    assert_eq!(forwarded.status, 429);
}

fn admin_list(server: &Server, token: &str, client: &str, language: &str) -> common::Response {
    let auth = format!("Bearer {token}");
    server.request(
        "GET",
        "/api/v1/admin/reports",
        &[
            ("Authorization", &auth),
            ("X-Forwarded-For", client),
            ("Accept-Language", language),
        ],
        None,
    )
}

#[test]
fn wrong_admin_tokens_back_off_per_client_and_per_target() {
    let server = Server::start_with("abuse-admin", &["--trusted-proxy", "127.0.0.1"]);
    let guesser = "203.0.113.9";
    for _ in 0..5 {
        assert_eq!(admin_list(&server, "guess", guesser, "id").status, 401);
    }
    // Now even the right token waits, told so in the request's language.
    let waiting = admin_list(&server, ADMIN_TOKEN, guesser, "id");
    assert_eq!(waiting.status, 429, "{}", waiting.body);
    let seconds: u64 = waiting.header("retry-after").unwrap().parse().unwrap();
    assert!(seconds >= 1);
    assert_eq!(
        waiting.json()["title"],
        "Terlalu banyak percobaan yang salah"
    );
    let english = admin_list(&server, ADMIN_TOKEN, guesser, "en");
    assert_eq!(english.json()["title"], "Too many wrong attempts");
    // The admin elsewhere is not locked out by one guesser ...
    assert_eq!(
        admin_list(&server, ADMIN_TOKEN, "192.0.2.1", "id").status,
        200
    );
    // ... and many guessers together make the admin API wait for guessers, each after one
    // wrong try of their own ...
    for n in 0..20 {
        let client = format!("198.51.100.{n}");
        admin_list(&server, "guess", &client, "id");
    }
    assert_eq!(
        admin_list(&server, ADMIN_TOKEN, "198.51.100.0", "id").status,
        429
    );
    // ... but never for a client that has not guessed: nobody can lock the agency out.
    assert_eq!(
        admin_list(&server, ADMIN_TOKEN, "192.0.2.2", "id").status,
        200
    );
}

#[test]
fn wrong_open311_api_keys_back_off() {
    let server = Server::start_with_env(
        "abuse-open311",
        &[],
        &[("LAPOR_OPEN311_API_KEY", "right-key")],
    );
    let post = |key: &str| {
        let body = format!("api_key={key}&service_code=jalan&description=x&lat=-6.9&long=110.2");
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        write!(
            stream,
            "POST /open311/v2/requests.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut raw = String::new();
        stream.read_to_string(&mut raw).unwrap();
        raw
    };
    for _ in 0..5 {
        let answer = post("wrong");
        assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    }
    let waiting = post("right-key");
    assert!(waiting.starts_with("HTTP/1.1 429"), "{waiting}");
    assert!(
        waiting.to_lowercase().contains("retry-after: "),
        "{waiting}"
    );
    assert!(waiting.contains("\"code\":429"), "{waiting}");
}

#[test]
fn long_searches_and_unknown_parameters_are_400_in_the_request_language() {
    let server = Server::start("abuse-query");
    let long = "a".repeat(50_000);
    for path in ["/api/v1/regions", "/api/v1/agencies"] {
        let r = server.get(&format!("{path}?q={long}"));
        assert_eq!(r.status, 400, "{path}: {}", r.body);
        assert_eq!(r.header("content-type"), Some("application/problem+json"));
        assert_eq!(r.json()["title"], "Parameter terlalu panjang");
        assert!(r.json()["detail"].as_str().unwrap().contains("`q`"));
    }
    let r = server.request(
        "GET",
        "/api/v1/regions?q=kendal&color=red",
        &[("Accept-Language", "en-GB,en;q=0.8")],
        None,
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["title"], "Unknown parameter");
    assert!(r.json()["detail"].as_str().unwrap().contains("`color`"));
    for path in [
        "/api/v1/categories?x=1",
        "/api/v1/faq?lang=en",
        "/api/v1/agencies?qq=a",
    ] {
        assert_eq!(server.get(path).status, 400, "{path}");
    }
    // What the app sends is still fine.
    assert_eq!(server.get("/api/v1/regions?q=kendal").status, 200);
    assert_eq!(server.get("/api/v1/faq?locale=en").status, 200);
}

#[test]
fn every_api_and_open311_answer_says_nosniff() {
    let server = Server::start("abuse-nosniff");
    for path in [
        "/api/v1/instance",
        "/api/v1/regions?q=kendal",
        "/api/v1/reports/K7M-2QX-9PD",
        "/api/v1/nothing-here",
        "/api/v1/openapi.json",
        "/open311/v2/services.json",
        "/open311/v2/requests/K7M-2QX-9PD.json",
    ] {
        let r = server.get(path);
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{path} ({})",
            r.status
        );
    }
}

/// Sends raw bytes as one request and returns the status line and the whole answer.
fn raw_request(server: &Server, head: &[u8]) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(head).unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    String::from_utf8_lossy(&raw).into_owned()
}

#[test]
fn malformed_headers_get_a_4xx_never_a_500() {
    let server = Server::start("abuse-headers-bad");
    let body = common::complaint("");
    let post = |extra: &[u8]| {
        let mut head = b"POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
              Content-Type: application/json\r\n"
            .to_vec();
        head.extend_from_slice(extra);
        head.extend_from_slice(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
        raw_request(&server, &head)
    };
    let not_utf8 = post(b"Idempotency-Key: k\xff\xfe\r\n");
    assert!(not_utf8.starts_with("HTTP/1.1 400"), "{not_utf8}");
    let overlong = post(format!("Idempotency-Key: {}\r\n", "k".repeat(5000)).as_bytes());
    assert!(overlong.starts_with("HTTP/1.1 400"), "{overlong}");
    for answer in [&not_utf8, &overlong] {
        assert!(answer.contains("application/problem+json"), "{answer}");
        assert!(
            answer
                .to_lowercase()
                .contains("x-content-type-options: nosniff"),
            "{answer}"
        );
    }
    let garbage_language = raw_request(
        &server,
        b"GET /api/v1/regions?q=kendal HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
          Accept-Language: \xff\xfe;;;q=,,=\r\n\r\n",
    );
    assert!(
        garbage_language.starts_with("HTTP/1.1 200"),
        "{garbage_language}"
    );
    let garbage_auth = raw_request(
        &server,
        b"GET /api/v1/admin/reports HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
          Authorization: Bearer \xff\r\n\r\n",
    );
    assert!(garbage_auth.starts_with("HTTP/1.1 401"), "{garbage_auth}");
    let garbage_code = raw_request(
        &server,
        b"GET /api/v1/reports/K7M-2QX-9PD HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
          X-Access-Code: \xff\xff\r\n\r\n",
    );
    assert!(garbage_code.starts_with("HTTP/1.1 4"), "{garbage_code}");
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let mut server = Server::start("abuse-sigterm");
    // An idle keep-alive connection must not hold the stop up.
    let mut idle = connect(&server);
    idle.write_all(b"GET /api/v1/instance HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let killed = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "still running 10 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0), "{status:?}");
}

#[test]
fn a_bad_setting_stops_the_start_with_a_message_naming_it() {
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let data = std::env::temp_dir().join(format!("lapor-it-abuse-bad-{}", std::process::id()));
        Command::new(env!("CARGO_BIN_EXE_lapor-server"))
            .args(["--addr", "127.0.0.1:0", "--data"])
            .arg(&data)
            .args(args)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .output()
            .unwrap()
    };
    let out = run(&["--header-timeout", "soon"], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.starts_with("lapor-server: --header-timeout \"soon\": expected seconds"),
        "{stderr}"
    );
    let out = run(&[], &[("LAPOR_TRUSTED_PROXIES", "10.0.0.0/99")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.starts_with("lapor-server: LAPOR_TRUSTED_PROXIES=\"10.0.0.0/99\""),
        "{stderr}"
    );
    let out = run(&["--cors", "kendalkab.go.id"], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("--cors"), "{stderr}");
    assert!(stderr.contains("is not an origin"), "{stderr}");
}
