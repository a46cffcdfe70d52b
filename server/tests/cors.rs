//! Portals are embedded on other sites: only configured origins may call the API.

mod common;

use common::Server;

#[test]
fn only_configured_origins_are_allowed() {
    let server = Server::start_with("cors", &["--cors", "https://kendalkab.go.id"]);
    let preflight = |origin: &str| {
        server.request(
            "OPTIONS",
            "/api/v1/reports",
            &[
                ("Origin", origin),
                ("Access-Control-Request-Method", "POST"),
                (
                    "Access-Control-Request-Headers",
                    "content-type,idempotency-key",
                ),
            ],
            None,
        )
    };
    let allowed = preflight("https://kendalkab.go.id");
    let refused = preflight("https://evil.example");
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some("https://kendalkab.go.id")
    );
    assert!(
        allowed
            .header("access-control-allow-headers")
            .unwrap()
            .contains("idempotency-key")
    );
    assert_eq!(refused.header("access-control-allow-origin"), None);
}
