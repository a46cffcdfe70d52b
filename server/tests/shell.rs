//! Serving the built app: pre-compressed files, caching by content hash, the SPA fallback,
//! the CSP of the page, and the deployer's config.json.

mod common;

use common::Server;

const BOOT: &str = "import init from './app-0123456789abcdef.js'; init();";

fn dist(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("lapor-it-dist-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let html = format!(
        "<!DOCTYPE html><html><head><base href=\"/\"><script type=\"module\">{BOOT}</script></head></html>"
    );
    std::fs::write(dir.join("index.html"), html).unwrap();
    std::fs::write(dir.join("app-0123456789abcdef.js"), "plain").unwrap();
    std::fs::write(dir.join("app-0123456789abcdef.js.br"), "BROTLI-BYTES").unwrap();
    std::fs::write(dir.join("embed.js"), "embed").unwrap();
    std::fs::write(dir.join("config.json"), r#"{"api_base": "api/v1"}"#).unwrap();
    dir
}

#[test]
fn serves_precompressed_hashed_files_with_long_caching() {
    let dir = dist("files");
    let server = Server::start_with("shell-files", &["--static", dir.to_str().unwrap()]);
    let js = server.request(
        "GET",
        "/app-0123456789abcdef.js",
        &[("Accept-Encoding", "br, gzip")],
        None,
    );
    assert_eq!(js.status, 200);
    assert_eq!(js.header("content-encoding"), Some("br"));
    assert_eq!(js.body, "BROTLI-BYTES");
    assert_eq!(
        js.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );

    let plain = server.request("GET", "/app-0123456789abcdef.js", &[], None);
    assert_eq!(plain.body, "plain");
    let embed = server.get("/embed.js");
    assert_eq!(
        embed.header("cache-control"),
        Some("no-cache"),
        "unhashed files are revalidated"
    );
}

#[test]
fn every_app_path_gets_the_page_with_its_policy() {
    let dir = dist("page");
    let server = Server::start_with("shell-page", &["--static", dir.to_str().unwrap()]);
    let page = server.get("/lacak/K7M-2QX-9PD");
    assert_eq!(page.status, 200);
    assert!(page.body.contains(BOOT));
    assert_eq!(page.header("cache-control"), Some("no-cache"));
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
    let csp = page.header("content-security-policy").unwrap();
    use base64::Engine;
    use sha2::Digest;
    let hash =
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(BOOT.as_bytes()));
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
    assert!(!csp.contains("unsafe-inline"));
    // The API keeps its own 404s.
    assert_eq!(
        server.get("/api/v1/nope").header("content-type"),
        Some("application/problem+json")
    );
}

#[test]
fn a_sub_path_and_a_deployers_config() {
    let dir = dist("subpath");
    let config = dir.join("deployer.json");
    std::fs::write(
        &config,
        r#"{"api_base": "api/v1", "embed": {"allowed_parents": ["https://kendalkab.go.id"]}}"#,
    )
    .unwrap();
    let server = Server::start_with(
        "shell-subpath",
        &[
            "--static",
            dir.to_str().unwrap(),
            "--base-path",
            "/lapor/",
            "--app-config",
            config.to_str().unwrap(),
        ],
    );
    let page = server.get("/lapor/faq");
    assert!(page.body.contains("<base href=\"/lapor/\">"));
    assert!(
        page.header("content-security-policy")
            .unwrap()
            .contains("frame-ancestors 'self' https://kendalkab.go.id")
    );
    assert!(
        server
            .get("/lapor/config.json")
            .body
            .contains("kendalkab.go.id")
    );
    assert_eq!(server.get("/lapor/api/v1/instance").status, 200);
    assert_eq!(server.get("/").status, 307);
}

#[test]
fn a_missing_file_is_404_never_the_page() {
    let dir = dist("missing");
    let server = Server::start_with("shell-missing", &["--static", dir.to_str().unwrap()]);
    for path in [
        "/lapor-portal-fedcba9876543210_bg.wasm",
        "/lapor-portal-fedcba9876543210.js",
        "/__wasm_split-fedcba9876543210.js",
        "/main-fedcba9876543210.css",
        "/submit_view-fedcba9876543210.wasm",
        "/old.wasm",
        "/manifest.webmanifest",
        "/icons/gone.png",
        "/lacak/app.js.br",
    ] {
        let r = server.request("GET", path, &[("Accept-Encoding", "br, gzip")], None);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("<html"), "{path}: {}", r.body);
        assert_eq!(r.header("cache-control"), Some("no-store"), "{path}");
        assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    }
    // Pages of the app still get the page.
    assert!(server.get("/laporan-saya").body.contains(BOOT));
    let js = server.get("/app-0123456789abcdef.js");
    assert_eq!(js.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(
        server.get("/embed.js").header("x-content-type-options"),
        Some("nosniff")
    );
    assert_eq!(
        server.get("/config.json").header("x-content-type-options"),
        Some("nosniff")
    );
}

#[test]
fn a_new_dist_is_served_without_a_restart() {
    let dir = dist("redeploy");
    let server = Server::start_with("shell-redeploy", &["--static", dir.to_str().unwrap()]);
    assert!(server.get("/").body.contains(BOOT));
    // A deploy writes the new build beside the old one and moves it in place (new inode), or
    // overwrites the file (new size and time): both are noticed.
    let next = "import init from './app-fedcba9876543210.js'; init();";
    let staged = dir.join("index.html.new");
    std::fs::write(
        &staged,
        format!(
            "<html><head><base href=\"/\"><script type=\"module\">{next}</script></head></html>"
        ),
    )
    .unwrap();
    std::fs::rename(&staged, dir.join("index.html")).unwrap();
    std::fs::write(
        dir.join("config.json"),
        r##"{"api_base": "api/v1", "theme": {"primary": "#123456"}}"##,
    )
    .unwrap();
    for path in ["/", "/lacak", "/index.html"] {
        let page = server.get(path);
        assert!(page.body.contains(next), "{path}: {}", page.body);
        assert!(!page.body.contains(BOOT));
        use base64::Engine;
        use sha2::Digest;
        let hash =
            base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(next.as_bytes()));
        assert!(
            page.header("content-security-policy")
                .unwrap()
                .contains(&hash),
            "the policy follows the new start-up script"
        );
    }
    assert!(server.get("/config.json").body.contains("#123456"));

    std::fs::write(dir.join("index.html"), "<html>v3 <base href=\"/\"></html>").unwrap();
    assert!(server.get("/faq").body.contains("v3"));
}

/// Runs the server with `flags` and expects it to refuse to start within 20 s, returning what
/// it said.
fn refuses_to_start(name: &str, flags: &[&str]) -> String {
    let data = std::env::temp_dir().join(format!("lapor-it-{name}-{}", std::process::id()));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_lapor-server"))
        .args(["--addr", "127.0.0.1:0", "--data"])
        .arg(&data)
        .args(flags)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let _ = std::fs::remove_dir_all(&data);
    let mut said = String::new();
    use std::io::Read;
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut said)
        .unwrap();
    match status {
        Some(status) => assert!(!status.success(), "{name}: exited successfully: {said}"),
        None => panic!("{name}: the server started with {flags:?}"),
    }
    said
}

#[test]
fn bad_operator_settings_stop_the_server_with_a_clear_message() {
    let dir = dist("settings");
    let static_dir = dir.to_str().unwrap();
    for (i, parent) in [
        "https://kendalkab.go.id; script-src *",
        "*",
        "https://kendalkab.go.id/lapor",
        "'self'",
    ]
    .iter()
    .enumerate()
    {
        let config = dir.join(format!("parents-{i}.json"));
        let json = serde_json::json!({"embed": {"allowed_parents": [parent]}});
        std::fs::write(&config, json.to_string()).unwrap();
        let said = refuses_to_start(
            "shell-parents",
            &[
                "--static",
                static_dir,
                "--app-config",
                config.to_str().unwrap(),
            ],
        );
        assert!(said.contains("embed.allowed_parents"), "{said}");
        assert!(said.contains(parent), "{said}");
    }
    for base in ["/la{por}", "/lapor\"><script>", "/a b"] {
        let said = refuses_to_start("shell-base", &["--static", static_dir, "--base-path", base]);
        assert!(said.contains("--base-path"), "{said}");
        assert!(said.contains(base.trim_end_matches('/')), "{said}");
        assert!(!said.contains("panicked"), "{said}");
    }
}
