//! "Belum selesai": a reporter with the access code may say a resolved report is not resolved,
//! inside the window `core::permissions::can_dispute` allows, with a reason and photos; the
//! report goes back to in progress and the agency sees the dispute. Replies carry photos too.

mod common;

use common::{Server, complaint};
use lapor_core::Locale;
use lapor_core::permissions::Refusal;

fn upload_pdf(server: &Server) -> String {
    let upload = server.request(
        "POST",
        "/api/v1/attachments",
        &[("Content-Type", "multipart/form-data; boundary=XyZ")],
        Some(&format!(
            "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bukti.pdf\"\r\n\
             Content-Type: application/pdf\r\n\r\n{}\r\n--XyZ--\r\n",
            common::minimal_pdf()
        )),
    );
    assert_eq!(upload.status, 201, "{}", upload.body);
    upload.json()["id"].as_str().unwrap().to_owned()
}

fn dispute(server: &Server, t: &str, headers: &[(&str, &str)], body: &str) -> common::Response {
    server.request(
        "POST",
        &format!("/api/v1/reports/{t}/disputes"),
        headers,
        Some(body),
    )
}

/// A report the agency has marked resolved: (tracking number, access code).
fn resolved(server: &Server) -> (String, String) {
    let created = server.create(&complaint(""));
    let t = created["tracking_id"].as_str().unwrap().to_owned();
    let code = created["access_code"].as_str().unwrap().to_owned();
    for event in [
        r#"{"status":"verified"}"#,
        r#"{"status":"in_progress","message":"Tim dijadwalkan"}"#,
        r#"{"status":"resolved","message":"Sudah ditambal"}"#,
    ] {
        let r = server.admin_event(&t, event);
        assert_eq!(r.status, 201, "{}", r.body);
    }
    (t, code)
}

const REASON: &str = "Lubangnya masih ada, foto terlampir.";

#[test]
fn a_disputed_resolution_goes_back_to_in_progress_with_its_photo_for_the_agency() {
    let server = Server::start("dispute-ok");
    let (t, code) = resolved(&server);
    let photo = upload_pdf(&server);
    let body = format!(r#"{{"message":"{REASON}","attachment_ids":["{photo}"]}}"#);
    let headers = [("X-Access-Code", code.as_str()), ("Idempotency-Key", "d1")];
    let r = dispute(&server, &t, &headers, &body);
    assert_eq!(r.status, 201, "{}", r.body);
    let view = r.json();
    assert_eq!(view["status"], "in_progress");
    let last = view["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "dispute");
    assert_eq!(last["status"], "in_progress");
    assert_eq!(last["message"], REASON);
    assert_eq!(last["attachments"][0]["id"], photo.as_str());

    // Retried with the same key, it is recorded once.
    let again = dispute(&server, &t, &headers, &body);
    assert_eq!(again.status, 201, "{}", again.body);
    let kinds = |view: &serde_json::Value| -> Vec<String> {
        view["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        kinds(&again.json())
            .iter()
            .filter(|k| *k == "dispute")
            .count(),
        1
    );

    // The agency sees it: the public view and the admin's list.
    let public = server.get(&format!("/api/v1/reports/{t}")).json();
    assert_eq!(public["status"], "in_progress");
    assert_eq!(kinds(&public).last().unwrap(), "dispute");
    let auth = format!("Bearer {}", common::ADMIN_TOKEN);
    let listed = server.request(
        "GET",
        "/api/v1/admin/reports?title=berlubang",
        &[("Authorization", &auth)],
        None,
    );
    assert_eq!(listed.status, 200, "{}", listed.body);
    let row = listed
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["tracking_id"] == public["tracking_id"])
        .cloned()
        .expect("the disputed report is in the agency's list");
    assert_eq!(row["status"], "in_progress", "{row}");

    // Not resolved any more: a second dispute now is refused until it is resolved again.
    let r = dispute(
        &server,
        &t,
        &[("X-Access-Code", &code), ("Accept-Language", "en")],
        &format!(r#"{{"message":"{REASON}"}}"#),
    );
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(
        r.json()["detail"],
        Refusal::NotResolvedToDispute.message(Locale::En)
    );
}

#[test]
fn a_dispute_without_the_code_or_after_the_window_is_refused_in_either_language() {
    let server = Server::start("dispute-refused");
    let (t, code) = resolved(&server);
    let body = format!(r#"{{"message":"{REASON}"}}"#);
    for lang in ["id", "en"] {
        let r = dispute(&server, &t, &[("Accept-Language", lang)], &body);
        assert_eq!(r.status, 401, "{}", r.body);
        let r = dispute(
            &server,
            &t,
            &[("X-Access-Code", "AAAA-AAAA"), ("Accept-Language", lang)],
            &body,
        );
        assert_eq!(r.status, 403, "{}", r.body);
    }
    {
        // It was resolved a month ago.
        let conn = rusqlite::Connection::open(server.data.join("lapor.sqlite3")).unwrap();
        conn.execute(
            "UPDATE events SET at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-40 days')",
            [],
        )
        .unwrap();
    }
    for (lang, locale) in [("id", Locale::Id), ("en", Locale::En)] {
        let r = dispute(
            &server,
            &t,
            &[("X-Access-Code", &code), ("Accept-Language", lang)],
            &body,
        );
        assert_eq!(r.status, 409, "{}", r.body);
        let problem = r.json();
        assert_eq!(
            problem["title"],
            Refusal::DisputeWindowClosed { days: 10 }.title(locale)
        );
        assert_eq!(
            problem["detail"],
            Refusal::DisputeWindowClosed { days: 10 }.message(locale)
        );
    }
    let view = server.get(&format!("/api/v1/reports/{t}")).json();
    assert_eq!(view["status"], "resolved");
}

#[test]
fn a_report_is_disputed_twice_at_most() {
    let server = Server::start("dispute-twice");
    let (t, code) = resolved(&server);
    let body = format!(r#"{{"message":"{REASON}"}}"#);
    let headers = [("X-Access-Code", code.as_str()), ("Accept-Language", "id")];
    for _ in 0..2 {
        let r = dispute(&server, &t, &headers, &body);
        assert_eq!(r.status, 201, "{}", r.body);
        let r = server.admin_event(&t, r#"{"status":"resolved","message":"Sudah"}"#);
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let r = dispute(&server, &t, &headers, &body);
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(
        r.json()["detail"],
        Refusal::DisputedTooOften { times: 2 }.message(Locale::Id)
    );
}

#[test]
fn a_reply_carries_photos_and_a_used_photo_is_refused() {
    let server = Server::start("reply-photos");
    let (t, code) = resolved(&server);
    let photo = upload_pdf(&server);
    let body = format!(r#"{{"message":"Terima kasih","attachment_ids":["{photo}"]}}"#);
    let r = server.request(
        "POST",
        &format!("/api/v1/reports/{t}/replies"),
        &[("X-Access-Code", &code)],
        Some(&body),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let view = r.json();
    let last = view["events"].as_array().unwrap().last().unwrap();
    assert_eq!(last["kind"], "reply");
    assert_eq!(last["attachments"][0]["id"], photo.as_str());

    // The same upload cannot be used twice.
    let r = dispute(
        &server,
        &t,
        &[("X-Access-Code", &code), ("Accept-Language", "en")],
        &format!(r#"{{"message":"{REASON}","attachment_ids":["{photo}"]}}"#),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["errors"][0]["field"], "attachment_ids");
}
