//! Support ("dukung"): `PUT`/`DELETE /api/v1/reports/{tracking}/support` with the device's
//! key for the report. Once per key however often it is sent, even at once; undoable; only
//! for listed reports (a confidential one answers as an unknown number); throttled per
//! client; counted in the public list and in the admin's search, which can sort by it.

mod common;

use common::{ADMIN_TOKEN, Server, complaint};

fn support(server: &Server, method: &str, tracking: &str, key: Option<&str>) -> common::Response {
    let headers: Vec<(&str, &str)> = key.map(|k| ("Idempotency-Key", k)).into_iter().collect();
    server.request(
        method,
        &format!("/api/v1/reports/{tracking}/support"),
        &headers,
        None,
    )
}

fn admin_list(server: &Server, query: &str) -> common::Response {
    let auth = format!("Bearer {ADMIN_TOKEN}");
    server.request(
        "GET",
        &format!("/api/v1/admin/reports{query}"),
        &[("Authorization", &auth)],
        None,
    )
}

#[test]
fn a_device_supports_once_however_often_it_sends_and_can_withdraw() {
    let server = Server::start("support-once");
    let created = server.create(&complaint(""));
    let tracking = created["tracking_id"].as_str().unwrap().to_owned();

    // The same key five times at once: one supporter.
    let port = server.port;
    let answers: Vec<common::Response> = (0..5)
        .map(|_| {
            let path = format!("/api/v1/reports/{tracking}/support");
            std::thread::spawn(move || {
                common::request(
                    port,
                    "PUT",
                    &path,
                    &[("Idempotency-Key", "device-a-report-1")],
                    None,
                )
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    for answer in &answers {
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(answer.json()["supported"], true);
    }
    let again = support(&server, "PUT", &tracking, Some("device-a-report-1"));
    assert_eq!(
        again.json(),
        serde_json::json!({"supporters": 1, "supported": true})
    );

    // Another device; any spelling of the number is the same report.
    let spelled = tracking.replace('-', "").to_lowercase();
    let other = support(&server, "PUT", &spelled, Some("device-b-report-1"));
    assert_eq!(other.json()["supporters"], 2);
    let listed = server.get("/api/v1/reports").json();
    assert_eq!(listed["items"][0]["supporters"], 2);

    // Undo: that device's support goes, once.
    let undone = support(&server, "DELETE", &tracking, Some("device-a-report-1"));
    assert_eq!(undone.status, 200, "{}", undone.body);
    assert_eq!(
        undone.json(),
        serde_json::json!({"supporters": 1, "supported": false})
    );
    let twice = support(&server, "DELETE", &tracking, Some("device-a-report-1"));
    assert_eq!(twice.json()["supporters"], 1);
    let never = support(&server, "DELETE", &tracking, Some("device-c-report-1"));
    assert_eq!(never.json()["supporters"], 1);
    assert_eq!(
        server.get("/api/v1/reports").json()["items"][0]["supporters"],
        1
    );
    // And again after undoing.
    let back = support(&server, "PUT", &tracking, Some("device-a-report-1"));
    assert_eq!(back.json()["supporters"], 2);
    // The report's own tracking page shows the same count.
    let view = server.get(&format!("/api/v1/reports/{tracking}")).json();
    assert_eq!(view["supporters"], 2, "{view}");
}

#[test]
fn the_key_is_stored_only_as_a_digest() {
    let mut server = Server::start("support-digest");
    let created = server.create(&complaint(""));
    let tracking = created["tracking_id"].as_str().unwrap();
    let key = "very-recognisable-device-key-4f2a";
    assert_eq!(support(&server, "PUT", tracking, Some(key)).status, 200);
    server.kill_hard();
    let mut stored = Vec::new();
    for entry in std::fs::read_dir(&server.data).unwrap() {
        stored.extend(std::fs::read(entry.unwrap().path()).unwrap_or_default());
    }
    let stored = String::from_utf8_lossy(&stored);
    assert!(stored.contains("Jalan berlubang"), "the database was read");
    assert!(
        !stored.contains(key),
        "the supporter's key is stored as it is"
    );
}

#[test]
fn supporting_needs_a_key_and_a_listed_report() {
    let server = Server::start("support-refusals");
    let public = server.create(&complaint(""));
    let public = public["tracking_id"].as_str().unwrap();
    let secret = server.create(&complaint(r#","confidential":true"#));
    let code = secret["access_code"].as_str().unwrap().to_owned();
    let secret = secret["tracking_id"].as_str().unwrap();
    // Its view carries no support count, not even for its reporter.
    for headers in [vec![], vec![("X-Access-Code", code.as_str())]] {
        let path = format!("/api/v1/reports/{secret}");
        let view = server.request("GET", &path, &headers, None);
        assert_eq!(view.status, 200, "{}", view.body);
        assert!(view.json().get("supporters").is_none(), "{}", view.body);
    }

    // No key: 400 in the request's language.
    for method in ["PUT", "DELETE"] {
        let path = format!("/api/v1/reports/{public}/support");
        let id = server.request(method, &path, &[], None);
        assert_eq!(id.status, 400, "{method}: {}", id.body);
        assert_eq!(id.header("content-type"), Some("application/problem+json"));
        let en = server.request(method, &path, &[("Accept-Language", "en")], None);
        assert_eq!(en.status, 400);
        let (id, en) = (id.json(), en.json());
        assert!(
            id["detail"].as_str().unwrap().contains("Idempotency-Key"),
            "{id}"
        );
        assert!(
            en["detail"].as_str().unwrap().contains("Idempotency-Key"),
            "{en}"
        );
        assert!(en["detail"].as_str().unwrap().contains("support"), "{en}");
        assert_ne!(id["detail"], en["detail"]);
    }
    let long = "k".repeat(201);
    assert_eq!(support(&server, "PUT", public, Some(&long)).status, 400);

    // A confidential report answers exactly as an unknown number: supporting reveals nothing.
    let unknown = "K7M-2QX-9PD";
    for method in ["PUT", "DELETE"] {
        let hidden = support(&server, method, secret, Some("device-x"));
        let missing = support(&server, method, unknown, Some("device-x"));
        assert_eq!(hidden.status, 404, "{method}: {}", hidden.body);
        assert_eq!(hidden.body, missing.body);
        assert_eq!(missing.status, 404);
    }
    assert_eq!(
        support(&server, "PUT", "not-a-number", Some("k")).status,
        404
    );
    // Nothing was counted on it.
    let admin = admin_list(&server, "").json();
    let row = admin
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["tracking_id"] == secret)
        .unwrap()
        .clone();
    assert_eq!(row["supporters"], 0);
}

#[test]
fn supporting_is_throttled_per_client() {
    let server = Server::start_with("support-throttle", &["--write-burst", "3"]);
    let created = server.create(&complaint(""));
    let tracking = created["tracking_id"].as_str().unwrap();
    let mut statuses = Vec::new();
    for n in 0..5 {
        let r = support(&server, "PUT", tracking, Some(&format!("device-{n}")));
        statuses.push(r.status);
        if r.status == 429 {
            assert!(r.header("retry-after").is_some(), "{:?}", r.headers);
            let en = server.request(
                "PUT",
                &format!("/api/v1/reports/{tracking}/support"),
                &[("Idempotency-Key", "device-9"), ("Accept-Language", "en")],
                None,
            );
            assert_eq!(en.json()["title"], "Too many requests");
        }
    }
    assert_eq!(statuses[..2], [200, 200], "{statuses:?}");
    assert_eq!(statuses[4], 429, "{statuses:?}");
}

#[test]
fn the_agency_sees_support_and_can_sort_by_it() {
    let server = Server::start("support-admin");
    let mut ids = Vec::new();
    for title in [
        "Jalan berlubang satu",
        "Jalan berlubang dua",
        "Jalan berlubang tiga",
    ] {
        let body = complaint("").replace("Jalan berlubang di depan pasar", title);
        ids.push(
            server.create(&body)["tracking_id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    // The oldest gets three supporters, the middle one one, the newest none.
    for n in 0..3 {
        support(&server, "PUT", &ids[0], Some(&format!("device-{n}")));
    }
    support(&server, "PUT", &ids[1], Some("device-0"));

    let newest = admin_list(&server, "").json();
    let order: Vec<&str> = newest
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["tracking_id"].as_str().unwrap())
        .collect();
    assert_eq!(order, [&ids[2], &ids[1], &ids[0]]);
    assert_eq!(newest[2]["supporters"], 3);
    assert_eq!(newest[0]["supporters"], 0);

    let popular = admin_list(&server, "?sort=supporters").json();
    let order: Vec<(&str, u64)> = popular
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["tracking_id"].as_str().unwrap(),
                r["supporters"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        order,
        [
            (ids[0].as_str(), 3),
            (ids[1].as_str(), 1),
            (ids[2].as_str(), 0)
        ]
    );
    let titled = admin_list(&server, "?sort=supporters&title=dua").json();
    assert_eq!(titled.as_array().unwrap().len(), 1);
    assert_eq!(titled[0]["supporters"], 1);

    let bad = admin_list(&server, "?sort=loudest");
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(
        bad.json()["detail"]
            .as_str()
            .unwrap()
            .contains("supporters")
    );
}

#[test]
fn an_embedding_site_may_support_and_withdraw() {
    let server = Server::start_with("support-cors", &["--cors", "https://kendalkab.go.id"]);
    for method in ["PUT", "DELETE"] {
        let preflight = server.request(
            "OPTIONS",
            "/api/v1/reports/K7M-2QX-9PD/support",
            &[
                ("Origin", "https://kendalkab.go.id"),
                ("Access-Control-Request-Method", method),
                (
                    "Access-Control-Request-Headers",
                    "idempotency-key,accept-language",
                ),
            ],
            None,
        );
        assert_eq!(
            preflight.header("access-control-allow-origin"),
            Some("https://kendalkab.go.id")
        );
        let methods = preflight
            .header("access-control-allow-methods")
            .unwrap_or_default();
        assert!(
            methods.contains(method),
            "{method}: {:?}",
            preflight.headers
        );
    }
}
