//! Portals are embedded on other sites: only configured origins may call the API.

mod common;

use std::process::{Command, Stdio};

#[test]
fn only_configured_origins_are_allowed() {
    let data = std::env::temp_dir().join(format!("lapor-it-cors-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_lapor-server"))
        .args([
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--cors",
            "https://kendalkab.go.id",
        ])
        .arg("--data")
        .arg(&data)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let preflight = |origin: &str| {
        common::request(
            port,
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
    child.kill().unwrap();
    child.wait().unwrap();
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
