//! Every refusal answers in the request's language (`Accept-Language`), with the title and
//! message of its rule in `core::refusal`: conflicts, lifecycle moves, access codes alike.

mod common;

use common::{ADMIN_TOKEN, Server, complaint};
use lapor_core::api::Field;
use lapor_core::refusal::Refusal;
use lapor_core::validation::{Rule, Violation};
use lapor_core::{Locale, Status};

const LANGUAGES: [(&str, Locale); 2] = [
    ("id-ID,id;q=0.9", Locale::Id),
    ("en-GB,en;q=0.8", Locale::En),
];

fn assert_refused(r: &common::Response, refusal: &Refusal, locale: Locale) {
    assert_eq!(r.status, refusal.status(), "{}", r.body);
    let problem = r.json();
    assert_eq!(problem["title"], refusal.title(locale), "{}", r.body);
    assert_eq!(problem["detail"], refusal.message(locale), "{}", r.body);
}

fn admin_event(server: &Server, t: &str, body: &str, lang: &str) -> common::Response {
    let auth = format!("Bearer {ADMIN_TOKEN}");
    server.request(
        "POST",
        &format!("/api/v1/admin/reports/{t}/events"),
        &[("Authorization", &auth), ("Accept-Language", lang)],
        Some(body),
    )
}

#[test]
fn a_reused_idempotency_key_is_refused_in_either_language() {
    let server = Server::start("msg-idempotency");
    let send = |body: &str, lang: &str| {
        server.request(
            "POST",
            "/api/v1/reports",
            &[("Idempotency-Key", "one-key"), ("Accept-Language", lang)],
            Some(body),
        )
    };
    assert_eq!(send(&complaint(""), "id").status, 201);
    let other = complaint(r#","field_inspection":true"#);
    for (lang, locale) in LANGUAGES {
        assert_refused(&send(&other, lang), &Refusal::IdempotencyKeyReused, locale);
    }
}

#[test]
fn lifecycle_refusals_speak_the_admins_language() {
    let server = Server::start("msg-lifecycle");
    let created = server.create(&complaint(""));
    let t = created["tracking_id"].as_str().unwrap();
    assert_eq!(
        server.admin_event(t, r#"{"status":"rejected"}"#).status,
        201
    );
    for (lang, locale) in LANGUAGES {
        let moved = admin_event(&server, t, r#"{"status":"in_progress"}"#, lang);
        let refusal = Refusal::TransitionNotAllowed {
            from: Status::Rejected,
            to: Status::InProgress,
        };
        assert_refused(&moved, &refusal, locale);
        let nothing = admin_event(&server, t, r#"{"message":"   "}"#, lang);
        assert_refused(&nothing, &Refusal::NothingToRecord, locale);
    }
}

#[test]
fn an_unknown_agency_is_a_field_error_in_the_admins_language() {
    let server = Server::start("msg-agency");
    let created = server.create(&complaint(""));
    let t = created["tracking_id"].as_str().unwrap();
    let body = r#"{"status":"forwarded","agency_id":"no-such-agency"}"#;
    for (lang, locale) in LANGUAGES {
        let r = admin_event(&server, t, body, lang);
        assert_refused(&r, &Refusal::InvalidFields, locale);
        let unknown = Violation {
            field: Field::AgencyId,
            rule: Rule::Unknown,
        };
        assert_eq!(
            r.json()["errors"],
            serde_json::json!([unknown.to_field_error(locale)])
        );
    }
}

#[test]
fn access_code_refusals_and_unknown_reports_speak_the_readers_language() {
    let server = Server::start("msg-access");
    let created = server.create(&complaint(""));
    let t = created["tracking_id"].as_str().unwrap();
    let reply = format!("/api/v1/reports/{t}/replies");
    let body = Some(r#"{"message":"Masih rusak."}"#);
    for (lang, locale) in LANGUAGES {
        let wrong = server.request(
            "GET",
            &format!("/api/v1/reports/{t}"),
            &[("X-Access-Code", "AAAA-BBBB-CC"), ("Accept-Language", lang)],
            None,
        );
        assert_refused(&wrong, &Refusal::WrongAccessCode, locale);
        let without = server.request("POST", &reply, &[("Accept-Language", lang)], body);
        assert_refused(&without, &Refusal::AccessCodeRequired, locale);
        let unknown = server.request(
            "GET",
            "/api/v1/reports/K7M-2QX-9PE",
            &[("Accept-Language", lang)],
            None,
        );
        assert_refused(&unknown, &Refusal::ReportNotFound, locale);
    }
}
