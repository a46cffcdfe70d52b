//! The reference server's Open311 output read back through `core`'s Open311 reader, the one
//! the app uses: what the server writes is what a client of ours reads.

mod common;

use common::{Server, complaint};
use lapor_core::open311::{self, Created, Datatype};

const API_KEY: &str = "contract-key";

/// A GeoReport POST as a form, in `language` (`Accept-Language`); (status, body).
fn post_form_in(server: &Server, body: &str, language: &str) -> (u16, String) {
    let r = server.request(
        "POST",
        "/open311/v2/requests.json",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Accept-Language", language),
        ],
        Some(body),
    );
    (r.status, r.body)
}

fn post_form(server: &Server, body: &str) -> (u16, String) {
    post_form_in(server, body, "id")
}

#[test]
fn the_servers_open311_answers_read_back_through_core() {
    let server = Server::start_with_env(
        "open311-contract",
        &[],
        &[("LAPOR_OPEN311_API_KEY", API_KEY)],
    );
    let json = |path: &str| {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        open311::parse_json(&r.body).unwrap_or_else(|| panic!("{path}: not JSON"))
    };

    let services = open311::services(&json("/open311/v2/services.json"));
    let roads = services
        .iter()
        .find(|s| s.code == "infrastruktur")
        .expect("categories are services");
    assert!(roads.metadata);

    let attributes = open311::attributes(&json("/open311/v2/services/infrastruktur.json"));
    let required: Vec<&str> = attributes
        .iter()
        .filter(|a| a.required)
        .map(|a| a.code.as_str())
        .collect();
    assert!(required.contains(&"classification"), "{required:?}");
    let kind = attributes
        .iter()
        .find(|a| a.code == "classification")
        .unwrap();
    assert_eq!(kind.datatype, Datatype::SingleValueList);
    assert!(kind.values.iter().any(|(key, _)| key == "complaint"));

    // A request made the way the app makes it (core's form body) is created and read back.
    let mut report: lapor_core::api::NewReport =
        serde_json::from_str(&complaint(r#","category_id":"infrastruktur""#)).unwrap();
    report.anonymous = true;
    report.location = Some(lapor_core::api::Location {
        text: Some("Jl. Pemuda 1".into()),
        ..Default::default()
    });
    let attributes = vec![
        ("classification".to_owned(), vec!["complaint".to_owned()]),
        ("urgency".to_owned(), vec!["normal".to_owned()]),
        (
            "incident_date".to_owned(),
            vec![report.incident_date.unwrap().to_string()],
        ),
    ];
    let (status, body) = post_form(
        &server,
        &open311::request_form(&report, &attributes, Some(API_KEY), None),
    );
    assert_eq!(status, 201, "{body}");
    let (created, notice) = open311::created(&open311::parse_json(&body).unwrap());
    let Created::Id(id) = created else {
        panic!("a realtime service answers with an id: {body}")
    };
    assert!(notice.is_some());

    let requests = open311::requests(&json(&format!("/open311/v2/requests/{id}.json")));
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].id, id);
    assert!(requests[0].open);
    assert_eq!(requests[0].service_code.as_deref(), Some("infrastruktur"));
    assert!(requests[0].requested.is_some());
    let view = open311::report_view(&requests[0], chrono::Utc::now().date_naive());
    assert_eq!(view.tracking_id.to_string(), id);
    assert!(
        view.due_date.is_some() && !view.due_date_estimate,
        "the server says when it is due"
    );
    assert!(
        open311::requests(&json("/open311/v2/requests.json"))
            .iter()
            .any(|r| r.id == id)
    );

    // Errors read as the citizen's message.
    let (status, body) = post_form(
        &server,
        &format!("api_key={API_KEY}&service_code=infrastruktur"),
    );
    assert_eq!(status, 400, "{body}");
    assert!(open311::error_message(&open311::parse_json(&body).unwrap()).is_some());
}

#[test]
fn open311_refusals_speak_the_clients_accept_language() {
    let server = Server::start_with_env(
        "open311-language",
        &[],
        &[("LAPOR_OPEN311_API_KEY", API_KEY)],
    );
    let form = format!(
        "api_key={API_KEY}&service_code=infrastruktur&attribute%5Bclassification%5D=aspiration\
         &attribute%5Burgency%5D=normal&description=x&address_string=Alun-alun"
    );
    let (status, indonesian) = post_form_in(&server, &form, "id");
    assert_eq!(status, 400, "{indonesian}");
    let (status, english) = post_form_in(&server, &form, "en-US");
    assert_eq!(status, 400, "{english}");
    assert_ne!(indonesian, english, "Accept-Language is heard");
    let (_, by_parameter) = post_form(&server, &format!("{form}&locale=en"));
    assert_eq!(
        english, by_parameter,
        "the same words as GeoReport's locale parameter gives"
    );
}
