//! The privacy rule of `core` in every view the server produces, and secrets at rest: a
//! confidential report is in no list and its number alone shows only its status, in the
//! native API and in Open311 alike; views that carry details are never cached; neither the
//! database nor an idempotency record yields an access code; a retry long after a lost answer
//! still gets the original report.

mod common;

use common::{Server, complaint, wait_until};
use serde_json::Value;

const SECRET_AGENCY: &str =
    r#","confidential":true,"agency_id":"kendal-dpupr","category_id":"infrastruktur""#;

#[test]
fn confidential_reports_are_in_no_open311_list_and_show_only_their_status() {
    let server = Server::start("privacy-open311");
    let public = server.create(&complaint(
        r#","agency_id":"kendal-dpupr","category_id":"infrastruktur""#,
    ));
    let anonymous = server.create(&complaint(
        r#","anonymous":true,"category_id":"infrastruktur""#,
    ));
    let secret = server.create(&complaint(SECRET_AGENCY));
    let secret_id = secret["tracking_id"].as_str().unwrap();

    let list = server.get("/open311/v2/requests.json");
    assert_eq!(list.status, 200, "{}", list.body);
    let ids: Vec<String> = list
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["service_request_id"].as_str().unwrap().to_owned())
        .collect();
    assert!(ids.contains(&public["tracking_id"].as_str().unwrap().to_owned()));
    assert!(ids.contains(&anonymous["tracking_id"].as_str().unwrap().to_owned()));
    assert!(
        !ids.contains(&secret_id.to_owned()),
        "confidential report listed: {ids:?}"
    );
    // Not through the filters either.
    for query in [
        "?status=open",
        "?service_code=infrastruktur",
        "?start_date=2000-01-01T00:00:00Z",
    ] {
        let r = server.get(&format!("/open311/v2/requests.json{query}"));
        assert!(!r.body.contains(secret_id), "{query}: {}", r.body);
    }

    // Its number alone: open or closed, nothing that narrows down who sent it.
    for path in [
        format!("/open311/v2/requests/{secret_id}.json"),
        format!("/open311/v2/requests.json?service_request_id={secret_id}"),
    ] {
        let r = server.get(&path);
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        let request = &r.json()[0];
        assert_eq!(request["status"], "open");
        for hidden in [
            "agency_responsible",
            "service_code",
            "service_name",
            "description",
            "requested_datetime",
            "updated_datetime",
            "expected_datetime",
            "address",
            "lat",
            "long",
            "status_notes",
        ] {
            assert_eq!(
                request[hidden],
                Value::Null,
                "{path} shows {hidden}: {}",
                r.body
            );
        }
    }
    // A public report's request keeps them.
    let shown = server.get(&format!(
        "/open311/v2/requests/{}.json",
        public["tracking_id"].as_str().unwrap()
    ));
    assert_eq!(shown.json()[0]["service_code"], "infrastruktur");
    assert!(shown.json()[0]["requested_datetime"].is_string());
}

#[test]
fn open311_lists_are_paged_and_bounded() {
    let server = Server::start("privacy-paging");
    for _ in 0..3 {
        server.create(&complaint(""));
    }
    let page = |q: &str| server.get(&format!("/open311/v2/requests.json{q}"));
    assert_eq!(page("?page_size=2").json().as_array().unwrap().len(), 2);
    assert_eq!(
        page("?page_size=2&page=2").json().as_array().unwrap().len(),
        1
    );
    assert_eq!(
        page("?page_size=2&page=3").json().as_array().unwrap().len(),
        0
    );
    let many = vec!["K7M-2QX-9PD"; 101].join(",");
    let many = format!("?service_request_id={many}");
    for bad in [
        "?page_size=100000",
        "?page_size=0",
        "?page=abc",
        many.as_str(),
    ] {
        let r = page(bad);
        assert_eq!(r.status, 400, "{bad}: {}", r.body);
        assert!(r.json()[0]["description"].is_string());
    }
}

#[test]
fn a_confidential_number_alone_shows_the_status_only_in_the_native_view() {
    let server = Server::start("privacy-native");
    let secret = server.create(&complaint(SECRET_AGENCY));
    let t = secret["tracking_id"].as_str().unwrap();
    let r = server.admin_event(t, r#"{"status":"verified","message":"Akan dicek petugas"}"#);
    assert_eq!(r.status, 201, "{}", r.body);

    let hidden = server.get(&format!("/api/v1/reports/{t}")).json();
    assert_eq!(hidden["status"], "verified");
    assert_eq!(hidden["confidential"], true);
    for field in [
        "classification",
        "agency",
        "category",
        "submitted_at",
        "due_date",
        "title",
        "body",
    ] {
        assert_eq!(hidden[field], Value::Null, "{field} shown: {hidden}");
    }
    assert_eq!(
        hidden["events"],
        serde_json::json!([]),
        "the timeline is a list of dates"
    );

    let code = secret["access_code"].as_str().unwrap();
    let shown = server
        .request(
            "GET",
            &format!("/api/v1/reports/{t}"),
            &[("X-Access-Code", code)],
            None,
        )
        .json();
    assert_eq!(shown["classification"], "complaint");
    assert!(shown["submitted_at"].is_string() && shown["due_date"].is_string());
    assert_eq!(shown["events"].as_array().unwrap().len(), 2);
}

#[test]
fn views_with_details_are_never_stored_and_caches_key_on_the_code() {
    let server = Server::start("privacy-cache");
    let secret = server.create(&complaint(SECRET_AGENCY));
    let public = server.create(&complaint(""));
    let path = |r: &Value| format!("/api/v1/reports/{}", r["tracking_id"].as_str().unwrap());
    let code = |r: &Value| r["access_code"].as_str().unwrap().to_owned();

    for report in [&secret, &public] {
        let r = server.request(
            "GET",
            &path(report),
            &[("X-Access-Code", &code(report))],
            None,
        );
        assert_eq!(r.status, 200);
        assert_eq!(
            r.header("cache-control"),
            Some("no-store"),
            "{:?}",
            r.headers
        );
        let vary = r.header("vary").unwrap_or_default().to_ascii_lowercase();
        assert!(vary.contains("x-access-code"), "{vary}");
    }
    for report in [&secret, &public] {
        let r = server.get(&path(report));
        assert_eq!(r.status, 200);
        let vary = r.header("vary").unwrap_or_default().to_ascii_lowercase();
        assert!(vary.contains("x-access-code"), "{vary}");
        // Without the code nothing private is in it: browsers may keep it, but must ask again.
        assert_eq!(r.header("cache-control"), Some("no-cache"));
    }
}

#[test]
fn no_access_code_is_kept_readable_at_rest() {
    let server = Server::start("privacy-rest");
    let key = "rest-key-1";
    let r = server.request(
        "POST",
        "/api/v1/reports",
        &[("Idempotency-Key", key)],
        Some(&complaint("")),
    );
    assert_eq!(r.status, 201);
    let created = r.json();
    let code = created["access_code"].as_str().unwrap();
    let normalized: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).collect();

    let conn = rusqlite::Connection::open(server.data.join("lapor.sqlite3")).unwrap();
    let hash: String = conn
        .query_row("SELECT access_hash FROM reports", [], |r| r.get(0))
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "salted, slow hash: {hash}");
    let everything: String = conn
        .query_row(
            "SELECT group_concat(scope || key || request_hash || response, '|') FROM idempotency",
            [],
            |r| r.get(0),
        )
        .unwrap();
    for secret in [code, normalized.as_str(), key, "Jalan berlubang"] {
        assert!(
            !everything.contains(secret),
            "{secret} readable in {everything}"
        );
    }
    // And the code still works.
    let t = created["tracking_id"].as_str().unwrap();
    let shown = server.request(
        "GET",
        &format!("/api/v1/reports/{t}"),
        &[("X-Access-Code", code)],
        None,
    );
    assert_eq!(shown.status, 200);
}

#[test]
fn a_retry_days_after_a_lost_answer_gets_the_original_report() {
    let mut server = Server::start("privacy-retry");
    let body = complaint("");
    let first = server.request(
        "POST",
        "/api/v1/reports",
        &[("Idempotency-Key", "late-key")],
        Some(&body),
    );
    assert_eq!(first.status, 201);
    server.kill_hard();
    {
        // Two days pass (the record's clock is turned back; the server reads none other).
        let conn = rusqlite::Connection::open(server.data.join("lapor.sqlite3")).unwrap();
        conn.execute(
            "UPDATE idempotency SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-2 days')",
            [],
        )
        .unwrap();
    }
    let server = Server::start_on(server.data.clone());
    // Other reports come and go meanwhile.
    server.create(&complaint(""));
    let retry = server.request(
        "POST",
        "/api/v1/reports",
        &[("Idempotency-Key", "late-key")],
        Some(&body),
    );
    assert_eq!(retry.status, 201, "{}", retry.body);
    assert_eq!(retry.json()["tracking_id"], first.json()["tracking_id"]);
    assert_eq!(retry.json()["access_code"], first.json()["access_code"]);
    let conn = rusqlite::Connection::open(server.data.join("lapor.sqlite3")).unwrap();
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM reports", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2, "the retry created nothing");

    // Past the retention, records go on the server's timer (which also runs at start).
    let mut server = server;
    server.kill_hard();
    conn.execute(
        "UPDATE idempotency SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-40 days')",
        [],
    )
    .unwrap();
    let _server = Server::start_on(server.data.clone());
    wait_until(std::time::Duration::from_secs(10), || {
        let left: i64 = conn
            .query_row("SELECT COUNT(*) FROM idempotency", [], |r| r.get(0))
            .unwrap();
        if left == 0 {
            return Ok(());
        }
        Err(format!("{left} expired records kept"))
    });
}

#[test]
fn guessing_access_codes_is_throttled_even_for_the_right_code() {
    let server = Server::start("privacy-guess");
    let secret = server.create(&complaint(SECRET_AGENCY));
    let other = server.create(&complaint(""));
    let path = |r: &Value| format!("/api/v1/reports/{}", r["tracking_id"].as_str().unwrap());
    for guess in 0..rate_limit_free_failures() {
        let code = format!("AAAA{guess:04}");
        let r = server.request("GET", &path(&secret), &[("X-Access-Code", &code)], None);
        assert_eq!(r.status, 403, "guess {guess}: {}", r.body);
    }
    let right = secret["access_code"].as_str().unwrap();
    let r = server.request("GET", &path(&secret), &[("X-Access-Code", right)], None);
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.header("retry-after").is_some());
    assert!(!r.body.contains("berlubang"));
    // The same client guessing at another number waits too.
    let code = other["access_code"].as_str().unwrap();
    let r = server.request("GET", &path(&other), &[("X-Access-Code", code)], None);
    assert_eq!(r.status, 429, "{}", r.body);
    // Asking without a code is a plain lookup, not a guess.
    assert_eq!(server.get(&path(&secret)).status, 200);
}

fn rate_limit_free_failures() -> u32 {
    lapor_server::rate_limit::FREE_FAILURES_PER_CLIENT
}

#[test]
fn guessers_cannot_lock_a_reporter_out_of_their_report() {
    let server = Server::start_with("privacy-lockout", &["--trusted-proxy", "127.0.0.1"]);
    let secret = server.create(&complaint(SECRET_AGENCY));
    let path = format!(
        "/api/v1/reports/{}",
        secret["tracking_id"].as_str().unwrap()
    );
    // Many clients, each guessing wrong, more than the report's own allowance.
    for n in 0..30 {
        let client = format!("198.51.100.{n}");
        let r = server.request(
            "GET",
            &path,
            &[
                ("X-Access-Code", "AAAAA-AAAAA"),
                ("X-Forwarded-For", &client),
            ],
            None,
        );
        assert!(matches!(r.status, 403 | 429), "{}", r.body);
    }
    // The reporter, who has guessed nothing, still opens it with the code.
    let code = secret["access_code"].as_str().unwrap();
    let r = server.request(
        "GET",
        &path,
        &[("X-Access-Code", code), ("X-Forwarded-For", "192.0.2.7")],
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["title"], "Jalan berlubang di depan pasar");
}

#[test]
fn codes_hashed_before_salting_are_wrapped_at_start_and_still_open_their_report() {
    let mut server = Server::start("privacy-legacy");
    let created = server.create(&complaint(SECRET_AGENCY));
    let t = created["tracking_id"].as_str().unwrap().to_owned();
    let code = created["access_code"].as_str().unwrap().to_owned();
    server.kill_hard();
    let normalized = lapor_core::tracking::normalize_access_code(&code).unwrap();
    let legacy: String = {
        use sha2::Digest;
        sha2::Sha256::digest(normalized.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    let conn = rusqlite::Connection::open(server.data.join("lapor.sqlite3")).unwrap();
    // As a database written before codes were salted holds it.
    conn.execute("UPDATE reports SET access_hash = ?1", [&legacy])
        .unwrap();
    let server = Server::start_on(server.data.clone());
    wait_until(std::time::Duration::from_secs(20), || {
        let stored: String = conn
            .query_row("SELECT access_hash FROM reports", [], |r| r.get(0))
            .unwrap();
        if stored.starts_with("sha256+$argon2id$") {
            assert!(!stored.contains(&legacy), "{stored}");
            return Ok(());
        }
        Err(format!("not wrapped: {stored}"))
    });
    let shown = server.request(
        "GET",
        &format!("/api/v1/reports/{t}"),
        &[("X-Access-Code", &code)],
        None,
    );
    assert_eq!(shown.status, 200, "{}", shown.body);
    assert_eq!(shown.json()["details_visible"], true);
}
