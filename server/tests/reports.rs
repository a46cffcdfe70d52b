//! The contract of reports against a real server process and database: idempotency under
//! concurrency, privacy of anonymous and confidential reports, durability after kill -9.

mod common;

use common::{Server, complaint};

#[test]
fn twenty_concurrent_identical_requests_create_exactly_one_report() {
    let server = Server::start("idem");
    let body = complaint("");
    let port = server.port;
    let answers: Vec<_> = (0..20)
        .map(|_| {
            let body = body.clone();
            std::thread::spawn(move || {
                common::request(
                    port,
                    "POST",
                    "/api/v1/reports",
                    &[("Idempotency-Key", "same-key")],
                    Some(&body),
                )
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    for a in &answers {
        assert_eq!(a.status, 201, "{}", a.body);
    }
    let first = answers[0].json();
    assert!(
        answers.iter().all(|a| a.json() == first),
        "every answer is the first answer"
    );

    let conn = rusqlite::Connection::open(server.data.join("lapor.sqlite3")).unwrap();
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM reports", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);

    // The same key with another body is refused and creates nothing.
    let other = complaint(r#","confidential":true"#);
    let r = server.request(
        "POST",
        "/api/v1/reports",
        &[("Idempotency-Key", "same-key")],
        Some(&other),
    );
    assert_eq!(r.status, 409);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM reports", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}

#[test]
fn a_report_without_an_idempotency_key_is_refused() {
    let server = Server::start("nokey");
    let r = server.request("POST", "/api/v1/reports", &[], Some(&complaint("")));
    assert_eq!(r.status, 400);
}

#[test]
fn the_reporter_identity_never_appears_and_confidential_details_need_the_code() {
    let server = Server::start("privacy");
    let identity = r#","reporter":{"name":"Siti Rahayu","email":"siti.rahayu@contoh.id","phone":"081234567890"}"#;

    // A named, public report: details are public, the identity is not.
    let public = server.create(&complaint(identity));
    let t = public["tracking_id"].as_str().unwrap();
    let view = server.get(&format!("/api/v1/reports/{t}"));
    assert_eq!(view.status, 200);
    assert!(view.json()["details_visible"].as_bool().unwrap());
    for secret in ["Siti", "siti.rahayu", "081234567890"] {
        assert!(
            !view.body.contains(secret),
            "identity leaked: {}",
            view.body
        );
    }

    // An anonymous report: the identity is not even stored.
    let anon = server.create(&complaint(&format!(r#"{identity},"anonymous":true"#)));
    let conn = rusqlite::Connection::open(server.data.join("lapor.sqlite3")).unwrap();
    let stored: Option<String> = conn
        .query_row(
            "SELECT reporter_name FROM reports WHERE tracking_id = ?1",
            [anon["tracking_id"].as_str().unwrap().replace('-', "")],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, None);

    // A confidential report: status and dates only, unless the right code is sent.
    let secret = server.create(&complaint(
        r#","confidential":true,"agency_id":"kendal-dpupr""#,
    ));
    let t = secret["tracking_id"].as_str().unwrap();
    let code = secret["access_code"].as_str().unwrap();
    let hidden = server.get(&format!("/api/v1/reports/{t}")).json();
    assert_eq!(hidden["details_visible"], false);
    assert_eq!(hidden["title"], serde_json::Value::Null);
    assert_eq!(hidden["body"], serde_json::Value::Null);
    assert_eq!(hidden["agency"], serde_json::Value::Null);
    assert_eq!(hidden["status"], "received");
    assert!(
        !serde_json::to_string(&hidden)
            .unwrap()
            .contains("berlubang")
    );

    let path = format!("/api/v1/reports/{t}");
    let shown = server
        .request(
            "GET",
            &path,
            &[("X-Access-Code", &code.to_lowercase())],
            None,
        )
        .json();
    assert_eq!(shown["details_visible"], true);
    assert_eq!(shown["title"], "Jalan berlubang di depan pasar");

    let wrong = server.request("GET", &path, &[("X-Access-Code", "AAAAA-AAAAA")], None);
    assert_eq!(wrong.status, 403);

    // An admin's message on a confidential report is hidden too.
    let r = server.admin_event(t, r#"{"status":"verified","message":"Akan dicek petugas"}"#);
    assert_eq!(r.status, 201, "{}", r.body);
    let hidden = server.get(&path);
    assert!(!hidden.body.contains("Akan dicek"));
}

#[test]
fn unknown_and_malformed_tracking_numbers_get_the_same_404() {
    let server = Server::start("notfound");
    let valid_unknown = lapor_core::tracking::TrackingId::from_random(12345).to_string();
    let a = server.get(&format!("/api/v1/reports/{valid_unknown}"));
    let b = server.get("/api/v1/reports/not-a-number");
    assert_eq!((a.status, b.status), (404, 404));
    assert_eq!(a.body, b.body);
}

#[test]
fn validation_errors_name_each_field_in_the_requested_language() {
    let server = Server::start("validation");
    let body = r#"{"classification":"complaint","title":"Rusak","body":"pendek"}"#;
    let r = server.request(
        "POST",
        "/api/v1/reports",
        &[
            ("Idempotency-Key", "v1"),
            ("Accept-Language", "en-US,en;q=0.9"),
        ],
        Some(body),
    );
    assert_eq!(r.status, 422);
    let problem = r.json();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["title", "body", "incident_date", "location.region_id"]
    );
    // Each message names its field (core::validation), as the form's error summary does.
    let messages: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "The title must be at least 10 characters.",
            "Your report must be at least 30 characters.",
            "Enter the date of the incident.",
            "Choose the area where it happened.",
        ]
    );

    let unknown_region = complaint("").replace("33.24.15", "99.99");
    let r = server.request(
        "POST",
        "/api/v1/reports",
        &[("Idempotency-Key", "v2")],
        Some(&unknown_region),
    );
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["errors"][0]["field"], "location.region_id");
}

#[test]
fn an_acknowledged_report_survives_kill_9() {
    let mut server = Server::start("durable");
    let created = server.create(&complaint(""));
    server.kill_hard();
    let data = server.data.clone();
    let server = Server::start_on(data);
    let t = created["tracking_id"].as_str().unwrap();
    let view = server.get(&format!("/api/v1/reports/{t}"));
    assert_eq!(view.status, 200);
    assert_eq!(view.json()["tracking_id"], t);
}

#[test]
fn lifecycle_replies_and_ratings() {
    let server = Server::start("lifecycle");
    let created = server.create(&complaint(""));
    let t = created["tracking_id"].as_str().unwrap();
    let code = created["access_code"].as_str().unwrap();
    let code_header = [("X-Access-Code", code)];

    // Nothing to reply to yet, and no rating before resolution.
    let reply = |key: &str| {
        server.request(
            "POST",
            &format!("/api/v1/reports/{t}/replies"),
            &[("X-Access-Code", code), ("Idempotency-Key", key)],
            Some(r#"{"message":"Terima kasih, lubangnya di sisi timur."}"#),
        )
    };
    assert_eq!(reply("r1").status, 409);
    let rate = |key: &str| {
        server.request(
            "POST",
            &format!("/api/v1/reports/{t}/rating"),
            &[("X-Access-Code", code), ("Idempotency-Key", key)],
            Some(r#"{"stars":5,"comment":"Cepat"}"#),
        )
    };
    assert_eq!(rate("s1").status, 409);

    // Admin moves it along; an illegal move is refused.
    assert_eq!(
        server.admin_event(t, r#"{"status":"verified"}"#).status,
        201
    );
    assert_eq!(
        server.admin_event(t, r#"{"status":"received"}"#).status,
        409
    );
    let r = server.admin_event(
        t,
        r#"{"status":"forwarded","agency_id":"kendal-dpupr","message":"Diteruskan ke DPUPR"}"#,
    );
    assert_eq!(r.status, 201);
    assert_eq!(
        server
            .admin_event(t, r#"{"status":"in_progress","message":"Tim dijadwalkan"}"#)
            .status,
        201
    );
    let unauthorised = server.request(
        "POST",
        &format!("/api/v1/admin/reports/{t}/events"),
        &[("Authorization", "Bearer wrong")],
        Some(r#"{"status":"resolved"}"#),
    );
    assert_eq!(unauthorised.status, 401);

    // A reply to the response, retried with the same key, is recorded once.
    assert_eq!(reply("r2").status, 201);
    assert_eq!(reply("r2").status, 201);
    let no_code = server.request(
        "POST",
        &format!("/api/v1/reports/{t}/replies"),
        &[],
        Some(r#"{"message":"Halo"}"#),
    );
    assert_eq!(no_code.status, 401);

    assert_eq!(
        server
            .admin_event(t, r#"{"status":"resolved","message":"Sudah ditambal"}"#)
            .status,
        201
    );
    assert_eq!(rate("s2").status, 201);
    assert_eq!(
        rate("s2").status,
        201,
        "a retried rating is the same rating"
    );
    assert_eq!(rate("s3").status, 409, "a second rating is refused");

    let view = server
        .request("GET", &format!("/api/v1/reports/{t}"), &code_header, None)
        .json();
    assert_eq!(view["status"], "resolved");
    assert_eq!(
        view["agency"],
        "Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Kendal"
    );
    assert_eq!(view["rating"], 5);
    let kinds: Vec<&str> = view["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "status", "status", "response", "response", "reply", "response", "rating"
        ]
    );
}

#[test]
fn bursts_get_429_with_retry_after() {
    let server = Server::start_with("burst", &["--write-burst", "3"]);
    let statuses: Vec<_> = (0..5)
        .map(|i| {
            let key = format!("b{i}");
            server.request(
                "POST",
                "/api/v1/reports",
                &[("Idempotency-Key", &key)],
                Some(&complaint("")),
            )
        })
        .collect();
    assert_eq!(
        statuses.iter().map(|r| r.status).collect::<Vec<_>>(),
        [201, 201, 201, 429, 429]
    );
    assert!(statuses[3].header("retry-after").is_some());
}

#[test]
fn oversized_bodies_get_413_as_problem_json() {
    let server = Server::start("toolarge");
    let huge = complaint(&format!(r#","locale":"{}""#, "x".repeat(100 * 1024)));
    let r = server.request(
        "POST",
        "/api/v1/reports",
        &[("Idempotency-Key", "big")],
        Some(&huge),
    );
    assert_eq!(r.status, 413);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
}

#[test]
fn admins_list_reports_by_title_with_their_attachment_count() {
    let server = Server::start("admin-list");
    let list = |title: &str, token: &str| {
        let auth = format!("Bearer {token}");
        server.request(
            "GET",
            &format!("/api/v1/admin/reports?title={title}"),
            &[("Authorization", &auth)],
            None,
        )
    };
    let upload = server.request(
        "POST",
        "/api/v1/attachments",
        &[("Content-Type", "multipart/form-data; boundary=XyZ")],
        Some(&format!(
            "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\
             Content-Type: application/pdf\r\n\r\n{}\r\n--XyZ--\r\n",
            common::minimal_pdf()
        )),
    );
    assert_eq!(upload.status, 201, "{}", upload.body);
    let id = upload.json()["id"].as_str().unwrap().to_owned();
    let titled = |title: &str, extra: &str| {
        complaint(extra).replace("Jalan berlubang di depan pasar", title)
    };
    let with_file = server.create(&titled(
        "Lampu 100% mati di gang",
        &format!(r#","attachment_ids":["{id}"]"#),
    ));
    server.create(&titled("Lampu taman mati", ""));

    assert_eq!(list("Lampu", "wrong").status, 401);
    let found = list("lampu%20100%25", common::ADMIN_TOKEN).json();
    // `%` is taken literally, not as a wildcard: only the first report matches.
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found[0]["tracking_id"], with_file["tracking_id"]);
    assert_eq!(found[0]["attachments"], 1);
    let both = list("lampu", common::ADMIN_TOKEN).json();
    assert_eq!(both.as_array().unwrap().len(), 2);
    assert_eq!(
        both[1]["tracking_id"], with_file["tracking_id"],
        "newest first"
    );
}

#[test]
fn an_admin_event_naming_an_unknown_file_is_refused_not_skipped() {
    let server = Server::start("admin-unknown-file");
    let created = server.create(&complaint(""));
    let t = created["tracking_id"].as_str().unwrap();
    let r = server.admin_event(
        t,
        r#"{"status":"verified","message":"Foto terlampir","attachment_ids":["no-such-file"]}"#,
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["errors"][0]["field"], "attachment_ids");
    // Nothing was recorded.
    let view = server.get(&format!("/api/v1/reports/{t}")).json();
    assert_eq!(view["status"], "received");
}
