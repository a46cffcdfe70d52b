//! Who may reply and rate, and when, is `core::permissions`: the server refuses what the app
//! would not offer, with the same message in the request's language.

mod common;

use common::{Server, complaint};
use lapor_core::Locale;
use lapor_core::permissions::Refusal;

fn reply(server: &Server, t: &str, code: &str, lang: &str) -> common::Response {
    server.request(
        "POST",
        &format!("/api/v1/reports/{t}/replies"),
        &[("X-Access-Code", code), ("Accept-Language", lang)],
        Some(r#"{"message":"Belum diperbaiki, lubangnya masih ada."}"#),
    )
}

fn responded(server: &Server) -> (String, String) {
    let created = server.create(&complaint(""));
    let t = created["tracking_id"].as_str().unwrap().to_owned();
    let code = created["access_code"].as_str().unwrap().to_owned();
    for event in [
        r#"{"status":"verified"}"#,
        r#"{"status":"in_progress","message":"Tim dijadwalkan"}"#,
    ] {
        let r = server.admin_event(&t, event);
        assert_eq!(r.status, 201, "{}", r.body);
    }
    (t, code)
}

#[test]
fn a_closed_report_takes_no_reply_in_either_language() {
    let server = Server::start("perm-closed");
    let (t, code) = responded(&server);
    for event in [
        r#"{"status":"resolved","message":"Sudah ditambal"}"#,
        r#"{"status":"closed"}"#,
    ] {
        assert_eq!(server.admin_event(&t, event).status, 201);
    }
    for (lang, locale) in [("id", Locale::Id), ("en", Locale::En)] {
        let r = reply(&server, &t, &code, lang);
        assert_eq!(r.status, 409, "{}", r.body);
        assert_eq!(r.json()["detail"], Refusal::Finished.message(locale));
    }
}

#[test]
fn a_reply_after_the_window_is_refused_in_either_language() {
    let server = Server::start("perm-window");
    let (t, code) = responded(&server);
    assert_eq!(
        reply(&server, &t, &code, "id").status,
        201,
        "inside the window"
    );
    {
        // The response was a month ago.
        let conn = rusqlite::Connection::open(server.data.join("lapor.sqlite3")).unwrap();
        conn.execute(
            "UPDATE events SET at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-40 days')
             WHERE kind = 'response'",
            [],
        )
        .unwrap();
    }
    for (lang, locale) in [("id", Locale::Id), ("en", Locale::En)] {
        let r = reply(&server, &t, &code, lang);
        assert_eq!(r.status, 409, "{}", r.body);
        assert_eq!(
            r.json()["detail"],
            Refusal::ReplyWindowClosed { days: 10 }.message(locale)
        );
    }
}
