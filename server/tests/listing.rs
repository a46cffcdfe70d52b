//! The public reports list (`GET /api/v1/reports`): every filter, newest first, paging and
//! its bounds, and the privacy rule: a confidential report is in no page whatever is asked,
//! and no summary says who reported.

mod common;

use common::Server;
use serde_json::Value;

fn yesterday() -> String {
    (chrono::Utc::now().date_naive() - chrono::Days::new(1)).to_string()
}

/// A report body with this title, region and further members (`,"category_id":…`).
fn report(title: &str, region: &str, extra: &str) -> String {
    format!(
        r#"{{"classification":"complaint","title":"{title}",
        "body":"Sudah dua minggu tidak ada perbaikan, warga kesulitan lewat di malam hari.",
        "incident_date":"{}","location":{{"region_id":"{region}"}}{extra}}}"#,
        yesterday()
    )
}

/// A created report's tracking number (kept for the whole test).
fn tracking(created: &Value) -> &'static str {
    created["tracking_id"].as_str().unwrap().to_owned().leak()
}

/// The tracking numbers of a page, in its order.
fn listed(server: &Server, query: &str) -> Vec<String> {
    let r = server.get(&format!("/api/v1/reports{query}"));
    assert_eq!(r.status, 200, "{query}: {}", r.body);
    r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["tracking_id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn every_filter_narrows_the_list_newest_first() {
    let server = Server::start("listing-filters");
    let lamp = tracking(&server.create(&report(
        "Lampu jalan mati di Wéleri",
        "33.24.12.2001",
        r#","category_id":"infrastruktur","agency_id":"kendal-dpupr""#,
    )));
    let rubbish = tracking(&server.create(&report(
        "Sampah menumpuk di pasar Kendal",
        "33.24.15",
        r#","category_id":"lingkungan","agency_id":"kendal-dlh""#,
    )));
    let batang = tracking(&server.create(&report(
        "Jembatan retak di Wonotunggal",
        "33.25.01",
        r#","category_id":"infrastruktur","agency_id":"kemenpu""#,
    )));
    let question = tracking(
        &server.create(
            &report(
                "Jadwal posyandu Weleri",
                "33.24.12",
                r#","category_id":"kesehatan""#,
            )
            .replace(
                r#""classification":"complaint""#,
                r#""classification":"information_request""#,
            ),
        ),
    );
    let resolved = tracking(&server.create(&report(
        "Lampu taman mati",
        "33.24.12",
        r#","category_id":"infrastruktur","agency_id":"kendal-kec-weleri""#,
    )));
    for status in ["verified", "in_progress", "resolved"] {
        let r = server.admin_event(resolved, &format!(r#"{{"status":"{status}"}}"#));
        assert_eq!(r.status, 201, "{}", r.body);
    }

    // Newest first, all five.
    assert_eq!(
        listed(&server, ""),
        [resolved, question, batang, rubbish, lamp]
    );
    // Status: a group or one status.
    assert_eq!(
        listed(&server, "?status=open"),
        [question, batang, rubbish, lamp]
    );
    assert_eq!(listed(&server, "?status=closed"), [resolved]);
    assert_eq!(listed(&server, "?status=resolved"), [resolved]);
    assert!(listed(&server, "?status=in_progress").is_empty());
    // Classification, category.
    assert_eq!(
        listed(&server, "?classification=information_request"),
        [question]
    );
    assert_eq!(
        listed(&server, "?category=infrastruktur"),
        [resolved, batang, lamp]
    );
    // An agency holds the agencies under it.
    assert_eq!(listed(&server, "?agency=kendal-dpupr"), [lamp]);
    assert_eq!(
        listed(&server, "?agency=kab-kendal"),
        [resolved, rubbish, lamp]
    );
    assert_eq!(listed(&server, "?agency=kemenpu"), [batang]);
    // A region holds the regions under it, by whole segments. Only complaints are found by
    // their place: an information request's region is where its reporter lives.
    assert_eq!(listed(&server, "?region=33.24"), [resolved, rubbish, lamp]);
    assert_eq!(listed(&server, "?region=33.24.12"), [resolved, lamp]);
    assert_eq!(listed(&server, "?region=33.24.12.2001"), [lamp]);
    assert_eq!(listed(&server, "?region=33.25"), [batang]);
    assert!(
        listed(&server, "?region=33.2").is_empty(),
        "33.2 is no prefix of 33.24"
    );
    assert!(listed(&server, "?region=33.24.1").is_empty());
    assert_eq!(listed(&server, "?region=33").len(), 4);
    // Words: all of them, in the title or the text, accents and case ignored, word starts.
    assert_eq!(listed(&server, "?q=weleri%20LAMPU"), [lamp]);
    assert_eq!(listed(&server, "?q=w%C3%A9leri"), [question, lamp]);
    assert_eq!(listed(&server, "?q=lamp"), [resolved, lamp]);
    assert_eq!(
        listed(&server, "?q=perbaikan"),
        [resolved, question, batang, rubbish, lamp],
        "the text is searched too"
    );
    assert!(listed(&server, "?q=lampu%20sampah").is_empty());
    // Search syntax is only words here.
    assert!(listed(&server, "?q=lampu%20OR%20sampah").is_empty());
    assert_eq!(listed(&server, "?q=lampu*%20(%22%20-%20%5E").len(), 2);
    assert_eq!(
        listed(&server, "?q=%22%2A%28").len(),
        5,
        "no word, no search"
    );
    // Together.
    assert_eq!(
        listed(
            &server,
            "?status=open&category=infrastruktur&region=33.24&q=mati"
        ),
        [lamp]
    );
}

#[test]
fn a_summary_shows_the_report_not_its_reporter() {
    let server = Server::start("listing-summary");
    let named = server.create(&report(
        "Drainase tersumbat di Weleri",
        "33.24.12",
        r#","category_id":"infrastruktur","agency_id":"kendal-dpupr",
        "reporter":{"name":"Sutarmi Wibisana","email":"sutarmi@example.id","phone":"081234567890"}"#,
    ));
    let anonymous = server.create(&report(
        "Drainase tersumbat di Kendal",
        "33.24.15",
        r#","anonymous":true,"reporter":{"name":"Paijo Anonimus","email":"paijo@example.id"}"#,
    ));
    let r = server.get("/api/v1/reports");
    assert_eq!(r.status, 200);
    for secret in [
        "Sutarmi",
        "sutarmi@example.id",
        "081234567890",
        "Paijo",
        "paijo@example.id",
    ] {
        assert!(!r.body.contains(secret), "{secret} listed: {}", r.body);
    }
    let page = r.json();
    let item = &page["items"][1];
    assert_eq!(item["tracking_id"], named["tracking_id"]);
    assert_eq!(item["title"], "Drainase tersumbat di Weleri");
    assert_eq!(
        item["excerpt"],
        "Sudah dua minggu tidak ada perbaikan, warga kesulitan lewat di malam hari."
    );
    assert_eq!(item["status"], "received");
    assert_eq!(item["classification"], "complaint");
    assert_eq!(
        item["agency"],
        "Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Kendal"
    );
    assert_eq!(item["category"], "Infrastruktur dan jalan");
    assert_eq!(item["region"], "Weleri, Kab. Kendal");
    assert_eq!(item["submitted_at"], named["submitted_at"]);
    assert_eq!(item["due_date"], named["due_date"]);
    assert_eq!(item["overdue"], false);
    assert_eq!(item["supporters"], 0);
    let members: Vec<&String> = item.as_object().unwrap().keys().collect();
    assert!(
        members.iter().all(|m| !m.contains("reporter")
            && !m.contains("name")
            && !m.contains("email")
            && !m.contains("anonymous")),
        "{members:?}"
    );
    assert_eq!(page["items"][0]["tracking_id"], anonymous["tracking_id"]);
    assert_eq!(page["items"][0]["region"], "Kendal, Kab. Kendal");
    // The category in the request's language; a final status has no due date.
    let english = server.request("GET", "/api/v1/reports", &[("Accept-Language", "en")], None);
    assert_eq!(
        english.json()["items"][1]["category"],
        "Infrastructure and roads"
    );
    let id = named["tracking_id"].as_str().unwrap();
    for status in ["verified", "in_progress", "resolved"] {
        server.admin_event(id, &format!(r#"{{"status":"{status}"}}"#));
    }
    let after = server.get("/api/v1/reports?status=resolved").json();
    assert_eq!(after["items"][0]["status"], "resolved");
    assert!(after["items"][0].get("due_date").is_none(), "{after}");
    // Nothing private: caches may keep a page a short while.
    assert!(
        r.header("cache-control")
            .is_some_and(|c| c.starts_with("public")),
        "{:?}",
        r.headers
    );
}

#[test]
fn a_place_where_the_reporter_lives_is_in_no_list() {
    let server = Server::start("listing-home");
    let aspiration = tracking(
        &server.create(
            &report("Perpustakaan desa perlu buka sore", "33.24.12.2001", "")
                .replace(r#""classification":"complaint""#, r#""classification":"aspiration""#)
                .replace(
                    r#""region_id":"33.24.12.2001""#,
                    r#""region_id":"33.24.12.2001","text":"RT 03 RW 02 dekat masjid","lat":-6.95,"lon":110.07"#,
                ),
        ),
    );
    let complaint = tracking(&server.create(&report("Jalan desa berlubang", "33.24.12.2001", "")));
    let page = server.get("/api/v1/reports").json();
    let item = |id: &str| {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["tracking_id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(item(complaint)["region"], "Sidomukti, Kab. Kendal");
    assert!(
        item(aspiration).get("region").is_none_or(Value::is_null),
        "{page}"
    );
    // Nor does a filter find it by that place.
    assert_eq!(listed(&server, "?region=33.24.12.2001"), [complaint]);
    assert_eq!(listed(&server, "?region=33.24"), [complaint]);
    // Open311's list: no address or coordinates for it either.
    let requests = server.get("/open311/v2/requests.json").json();
    let request = requests
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["service_request_id"] == aspiration)
        .unwrap();
    for member in ["address", "lat", "long"] {
        assert!(request[member].is_null(), "{member}: {request}");
    }
    assert!(!requests.to_string().contains("RT 03 RW 02"), "{requests}");
}

#[test]
fn a_confidential_report_is_in_no_page_whatever_is_asked() {
    let server = Server::start("listing-privacy");
    let public = tracking(&server.create(&report(
        "Pungutan liar di kantor kecamatan",
        "33.24.12",
        r#","category_id":"perizinan","agency_id":"kendal-kec-weleri""#,
    )));
    let secret = tracking(&server.create(&report(
        "Pungutan liar rahasia di kantor kecamatan",
        "33.24.12.2001",
        r#","confidential":true,"category_id":"perizinan","agency_id":"kendal-kec-weleri""#,
    )));
    let compact = secret.replace('-', "");
    for query in [
        "",
        "?q=pungutan",
        "?q=rahasia",
        "?q=pungutan%20liar%20rahasia%20kantor%20kecamatan",
        "?status=open",
        "?status=received",
        "?classification=complaint",
        "?category=perizinan",
        "?agency=kendal-kec-weleri",
        "?agency=kab-kendal",
        "?region=33.24.12.2001",
        "?region=33.24.12",
        "?region=33",
        "?page_size=50",
    ] {
        let r = server.get(&format!("/api/v1/reports{query}"));
        assert_eq!(r.status, 200, "{query}: {}", r.body);
        assert!(
            !r.body.contains(secret) && !r.body.contains(&compact) && !r.body.contains("rahasia"),
            "{query} lists the confidential report: {}",
            r.body
        );
    }
    assert_eq!(listed(&server, "?q=pungutan"), [public]);
}

#[test]
fn pages_are_bounded_and_say_whether_more_follow() {
    let server = Server::start("listing-paging");
    let mut created = Vec::new();
    for n in 0..5 {
        created.push(tracking(&server.create(&report(
            &format!("Pohon tumbang nomor {n}"),
            "33.24.15",
            "",
        ))));
    }
    created.reverse();
    let page = |query: &str| server.get(&format!("/api/v1/reports{query}")).json();
    let first = page("?page_size=2");
    assert_eq!(first["page"], 1);
    assert_eq!(first["page_size"], 2);
    assert_eq!(first["more"], true);
    assert_eq!(listed(&server, "?page_size=2"), created[..2]);
    assert_eq!(listed(&server, "?page_size=2&page=2"), created[2..4]);
    let last = page("?page_size=2&page=3");
    assert_eq!(last["more"], false);
    assert_eq!(listed(&server, "?page_size=2&page=3"), created[4..]);
    assert_eq!(page("?page_size=5")["more"], false);
    let past = page("?page=4&page_size=2");
    assert_eq!(past["items"].as_array().unwrap().len(), 0);
    assert_eq!(past["more"], false);
    assert_eq!(page("")["page_size"], 20);

    // Out of bounds: 400 naming the parameter, in the request's language.
    for (query, parameter) in [
        ("?page_size=51", "page_size"),
        ("?page_size=0", "page_size"),
        ("?page=501", "page"),
        ("?page=x", "page"),
        ("?status=lost", "status"),
        ("?classification=rumor", "classification"),
        ("?region=33.x", "region"),
        ("?region=33..24", "region"),
        ("?page=", "page"),
        ("?page_size=%20", "page_size"),
    ] {
        let path = format!("/api/v1/reports{query}");
        let id = server.get(&path);
        assert_eq!(id.status, 400, "{query}: {}", id.body);
        assert_eq!(
            id.header("content-type"),
            Some("application/problem+json"),
            "{query}"
        );
        let id = id.json();
        assert_eq!(id["errors"][0]["field"], parameter, "{query}: {id}");
        let en = server
            .request("GET", &path, &[("Accept-Language", "en")], None)
            .json();
        assert_eq!(en["errors"][0]["field"], parameter);
        assert_ne!(id["detail"], en["detail"], "{query}: one language");
        assert_ne!(id["title"], en["title"]);
    }
    let r = server.request(
        "GET",
        "/api/v1/reports?page_size=51",
        &[("Accept-Language", "en")],
        None,
    );
    assert!(
        r.json()["detail"]
            .as_str()
            .unwrap()
            .contains("page_size\" must be a number from 1 to 50"),
        "{}",
        r.body
    );
    let long = "a".repeat(101);
    let r = server.get(&format!("/api/v1/reports?q={long}"));
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["errors"][0]["field"], "q");
    let r = server.request(
        "GET",
        "/api/v1/reports?sort=new",
        &[("Accept-Language", "en")],
        None,
    );
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.json()["detail"].as_str().unwrap().contains("sort"));
}
