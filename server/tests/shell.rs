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
