//! Serving the built app: the files of Trunk's `dist/` with an SPA fallback, under the site
//! root or a sub-path, with the Content-Security-Policy the portal works under.
//!
//! `index.html` is served with its `<base href>` set to the sub-path, so one build works
//! anywhere; its CSP allows exactly the inline scripts the build wrote (by hash), wasm
//! compilation, and `frame-ancestors` from `config.json`'s `embed.allowed_parents`.
//!
//! A deploy replaces `dist/` under a running server: `index.html` and `config.json` are
//! re-read when their modification time (or size, or inode) changes, checked with one `stat`
//! per request for them, so a new build is served without a restart and never an old page
//! naming files that are gone. Asset-like paths that do not exist are a plain 404, never the
//! SPA page: a browser or service worker must not keep HTML under a script's or wasm's name.
//!
//! Operator settings pasted into headers and HTML (`--base-path`, `embed.allowed_parents`,
//! `api_base`'s origin) are checked at start; a bad value stops the server with a message
//! naming the setting.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use base64::Engine;
use sha2::{Digest, Sha256};
use tower_http::services::ServeDir;

/// `"/lapor/"`, `"lapor"` or `"/lapor"` → `"/lapor"`; `"/"` or `""` → `""`.
pub fn normalize_base(base: &str) -> String {
    let trimmed = base.trim().trim_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("/{trimmed}")
    }
}

/// A normalised base path (`normalize_base`) made only of `[A-Za-z0-9._~-]` segments: it is
/// pasted into `<base href>` and into the router's paths, where `{`, quotes or `..` would
/// break or change them.
pub fn check_base_path(base: &str) -> Result<(), String> {
    let valid_segment = |s: &str| {
        !s.is_empty()
            && s != "."
            && s != ".."
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._~-".contains(&b))
    };
    if base.is_empty() || base[1..].split('/').all(valid_segment) {
        Ok(())
    } else {
        Err(format!(
            "--base-path (LAPOR_BASE_PATH) `{base}`: use /-separated segments of letters, digits \
             and . _ ~ - only, e.g. /lapor/"
        ))
    }
}

/// Whether `value` is a bare origin, `scheme://host[:port]` (http or https): no path, query,
/// user, wildcard, quote, space or `;`, so it is one source in a CSP directive and one
/// origin the app compares `postMessage` targets with.
pub fn is_origin(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once("://") else {
        return false;
    };
    if scheme != "https" && scheme != "http" {
        return false;
    }
    let (host, port) = match rest.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((address, after)) => (Host::V6(address), after.strip_prefix(':')),
            None => return false,
        },
        None => match rest.split_once(':') {
            Some((host, port)) => (Host::Name(host), Some(port)),
            None => (Host::Name(rest), None),
        },
    };
    if matches!(host, Host::V6(_)) && !rest.ends_with(']') && port.is_none() {
        return false;
    }
    let host_ok = match host {
        Host::V6(address) => {
            !address.is_empty()
                && address
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        }
        Host::Name(name) => name.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        }),
    };
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    host_ok && port_ok
}

enum Host<'a> {
    Name(&'a str),
    V6(&'a str),
}

/// `config.json`'s values that go into the page's CSP, checked: every
/// `embed.allowed_parents` entry is an origin, and so is `api_base`'s when it is absolute.
pub fn check_app_config(config: &serde_json::Value, source: &Path) -> Result<(), String> {
    let parents = &config["embed"]["allowed_parents"];
    if !parents.is_null() {
        let Some(list) = parents.as_array() else {
            return Err(format!(
                "embed.allowed_parents in {}: must be a list of origins such as \
                 [\"https://kendalkab.go.id\"]",
                source.display()
            ));
        };
        for parent in list {
            if !parent.as_str().is_some_and(is_origin) {
                return Err(format!(
                    "embed.allowed_parents in {}: {parent} is not an origin; write \
                     https://host or https://host:port, without a path, *, ; or quotes",
                    source.display()
                ));
            }
        }
    }
    if let Some(api) = config["api_base"].as_str().filter(|a| a.contains("://"))
        && !is_origin(&api_origin(api))
    {
        return Err(format!(
            "api_base in {}: {api:?} does not start with an origin (https://host[:port])",
            source.display()
        ));
    }
    Ok(())
}

/// `https://api.example.go.id/lapor/api/v1` → `https://api.example.go.id`.
fn api_origin(api: &str) -> String {
    api.splitn(4, '/').take(3).collect::<Vec<_>>().join("/")
}

/// The `sha256-…` sources of every inline `<script>` in a page.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let body = &after[tag_end + 1..];
        let Some(close) = body.find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            let digest = Sha256::digest(&body.as_bytes()[..close]);
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &body[close..];
    }
    hashes
}

/// The policy for the app's pages (`config` already checked by [`check_app_config`]).
pub fn content_security_policy(html: &str, config: &serde_json::Value) -> String {
    let mut connect = vec!["'self'".to_owned()];
    if let Some(api) = config["api_base"].as_str().filter(|a| a.contains("://")) {
        connect.push(api_origin(api));
    }
    let parents: Vec<String> = config["embed"]["allowed_parents"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|o| o.as_str())
                .filter(|o| is_origin(o))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let ancestors = std::iter::once("'self'".to_owned())
        .chain(parents)
        .collect::<Vec<_>>()
        .join(" ");
    let scripts = std::iter::once("'self' 'wasm-unsafe-eval'".to_owned())
        .chain(inline_script_hashes(html))
        .collect::<Vec<_>>()
        .join(" ");
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data: blob: https:; \
         connect-src {}; frame-src 'none'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors {ancestors}",
        connect.join(" ")
    )
}

#[derive(Clone)]
struct Page {
    html: Arc<str>,
    csp: HeaderValue,
}

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
                (header::CONTENT_SECURITY_POLICY, self.csp),
                (
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("no-referrer"),
                ),
                (
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ),
            ],
            self.html.to_string(),
        )
            .into_response()
    }
}

/// What identifies one version of a file on disk: a deploy that replaces it changes at least
/// one of these (a copy or rename gives a new inode; an edit in place a new mtime or size).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
    inode: u64,
}

fn stamp(path: &Path) -> Option<Stamp> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    Some(Stamp {
        modified: meta.modified().ok(),
        len: meta.len(),
        inode: meta.ino(),
    })
}

/// The page and the app's `config.json` as last read, with the stamps they were read at.
struct Current {
    page: Page,
    config_text: Arc<str>,
    stamps: (Option<Stamp>, Option<Stamp>),
}

/// `index.html` and `config.json` of a `dist/` that may be replaced while the server runs.
struct Shell {
    index_path: PathBuf,
    config_path: PathBuf,
    base: String,
    current: Mutex<Arc<Current>>,
}

impl Shell {
    fn load(
        index_path: PathBuf,
        config_path: PathBuf,
        base: &str,
    ) -> Result<Shell, std::io::Error> {
        let stamps = (stamp(&index_path), stamp(&config_path));
        let current = read_current(&index_path, &config_path, base, stamps)?;
        Ok(Shell {
            index_path,
            config_path,
            base: base.to_owned(),
            current: Mutex::new(Arc::new(current)),
        })
    }

    /// The current page and config, re-read first if either file changed on disk. A new
    /// version that cannot be read or is invalid is reported once and the last good one kept.
    fn current(&self) -> Arc<Current> {
        let stamps = (stamp(&self.index_path), stamp(&self.config_path));
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        if current.stamps != stamps {
            match read_current(&self.index_path, &self.config_path, &self.base, stamps) {
                Ok(fresh) => *current = Arc::new(fresh),
                Err(err) => {
                    eprintln!("lapor-server: keeping the previous app files: {err}");
                    let kept = Current {
                        page: current.page.clone(),
                        config_text: current.config_text.clone(),
                        stamps,
                    };
                    *current = Arc::new(kept);
                }
            }
        }
        current.clone()
    }
}

fn read_current(
    index_path: &Path,
    config_path: &Path,
    base: &str,
    stamps: (Option<Stamp>, Option<Stamp>),
) -> Result<Current, std::io::Error> {
    let config_text = std::fs::read_to_string(config_path).unwrap_or_else(|_| "{}".into());
    let config: serde_json::Value = serde_json::from_str(&config_text).unwrap_or_default();
    check_app_config(&config, config_path).map_err(std::io::Error::other)?;
    let html = std::fs::read_to_string(index_path)
        .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", index_path.display())))?
        .replace("<base href=\"/\">", &format!("<base href=\"{base}/\">"));
    let csp = HeaderValue::from_str(&content_security_policy(&html, &config))
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(Current {
        page: Page {
            html: html.into(),
            csp,
        },
        config_text: config_text.into(),
        stamps,
    })
}

/// The API plus the app from `dist` (when given), all under `base` (already normalised), with
/// `/` redirecting to the sub-path. `app_config` replaces `dist/config.json`. A bad base path
/// or `config.json` setting is an error naming it.
pub fn mount(
    api: Router,
    dist: Option<&Path>,
    base: &str,
    app_config: Option<PathBuf>,
) -> std::io::Result<Router> {
    check_base_path(base).map_err(std::io::Error::other)?;
    let Some(dist) = dist else {
        return Ok(nest(api, base, None));
    };
    let config_path = app_config.unwrap_or_else(|| dist.join("config.json"));
    let shell = Arc::new(Shell::load(dist.join("index.html"), config_path, base)?);
    let index = {
        let shell = shell.clone();
        move || std::future::ready(shell.current().page.clone())
    };
    let config_json = move || {
        let current = shell.current();
        std::future::ready(
            (
                [
                    (header::CONTENT_TYPE, "application/json"),
                    (header::CACHE_CONTROL, "no-cache"),
                    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                ],
                current.config_text.to_string(),
            )
                .into_response(),
        )
    };
    let page_or_missing = {
        let index = index.clone();
        move |uri: Uri| {
            let response = if is_asset_like(uri.path()) {
                missing_file()
            } else {
                index().into_inner().into_response()
            };
            std::future::ready(response)
        }
    };
    // Pre-compressed copies (`.br`, `.gz`, written by `cargo xtask`) are served when the
    // browser accepts them; hashed files never change, so browsers may keep them for a year.
    let files = ServeDir::new(dist)
        .append_index_html_on_directories(false)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(get(page_or_missing));
    let files = tower::ServiceBuilder::new()
        .layer(axum::middleware::map_response(static_file_headers))
        .service(files);
    let app = api
        .route("/", get(index.clone()))
        .route("/index.html", get(index.clone()))
        .route("/config.json", get(config_json))
        .fallback_service(files);
    Ok(nest(app, base, Some(get(index))))
}

/// The extensions of files the app loads by name: a request for one that does not exist is a
/// missing file (a stale reference after a deploy), not a route of the app.
const ASSET_EXTENSIONS: [&str; 14] = [
    "wasm",
    "js",
    "mjs",
    "css",
    "json",
    "webmanifest",
    "png",
    "jpg",
    "svg",
    "ico",
    "br",
    "gz",
    "map",
    "txt",
];

/// Whether a path names a file rather than a page of the app: one of [`ASSET_EXTENSIONS`] or
/// a content-hashed name.
pub fn is_asset_like(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let extension = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase());
    is_hashed(path) || extension.is_some_and(|ext| ASSET_EXTENSIONS.contains(&ext.as_str()))
}

/// A plain 404 no cache keeps: the file may exist after the next deploy.
fn missing_file() -> Response {
    (
        StatusCode::NOT_FOUND,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        "Not found\n",
    )
        .into_response()
}

/// Whether a file name carries a content hash (`main-0123456789abcdef.css`).
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let stem = name.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Static files: a year of caching for content-hashed names, revalidation for the rest, and
/// never a sniffed type.
async fn static_file_headers<B>(
    uri: axum::http::Uri,
    mut response: axum::http::Response<B>,
) -> axum::http::Response<B> {
    if response.status().is_success() && !response.headers().contains_key(header::CACHE_CONTROL) {
        let value = if is_hashed(uri.path()) {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    let failed = response.status().is_client_error() || response.status().is_server_error();
    if failed && !response.headers().contains_key(header::CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// Puts `app` under `base`; `/` redirects there and `{base}/` is the app's index.
fn nest(app: Router, base: &str, index: Option<axum::routing::MethodRouter>) -> Router {
    if base.is_empty() {
        return app;
    }
    let target = format!("{base}/");
    let mut outer = Router::new().nest(base, app).route(
        "/",
        get(move || std::future::ready(Redirect::temporary(&target))),
    );
    if let Some(index) = index {
        outer = outer.route(&format!("{base}/"), index);
    }
    outer.fallback(|| async { StatusCode::NOT_FOUND })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_trunks_hashed_names() {
        assert!(is_hashed("/lapor-portal-4035ba0d8b5bc915_bg.wasm"));
        assert!(is_hashed("/lapor/main-f2da8538e9794138.css"));
        assert!(!is_hashed("/embed.js"));
        assert!(!is_hashed("/config.json"));
        assert!(!is_hashed("/lapor-portal.js"));
    }

    #[test]
    fn asset_like_paths_are_files_not_pages() {
        for path in [
            "/lapor-portal-4035ba0d8b5bc915_bg.wasm",
            "/__wasm_split-0123456789abcdef.js",
            "/main-f2da8538e9794138.css",
            "/lapor/sw.js",
            "/icons/icon-192.png",
            "/manifest.webmanifest",
            "/x.MJS",
            "/robots.txt",
            "/app.js.br",
        ] {
            assert!(is_asset_like(path), "{path}");
        }
        for path in ["/", "/lacak/K7M-2QX-9PD", "/laporan-saya", "/lapor", "/faq"] {
            assert!(!is_asset_like(path), "{path}");
        }
    }

    #[test]
    fn only_bare_origins_are_allowed_parents() {
        for origin in [
            "https://kendalkab.go.id",
            "http://127.0.0.1:8123",
            "https://xn--80ak6aa92e.id",
            "http://[::1]:8080",
        ] {
            assert!(is_origin(origin), "{origin}");
        }
        for value in [
            "https://kendalkab.go.id; script-src *",
            "https://kendalkab.go.id/",
            "https://kendalkab.go.id/path",
            "*",
            "https://*.go.id",
            "'self'",
            "https://a b.id",
            "kendalkab.go.id",
            "javascript://x",
            "https://",
            "https://host:",
            "https://host:80a",
            "https://user@host",
            "http://[::1]x",
            "https://host?x",
        ] {
            assert!(!is_origin(value), "{value}");
        }
    }

    #[test]
    fn app_config_errors_name_the_setting_and_value() {
        let source = Path::new("dist/config.json");
        let bad = serde_json::json!({"embed": {"allowed_parents": ["https://a.id; frame-src *"]}});
        let err = check_app_config(&bad, source).unwrap_err();
        assert!(err.contains("embed.allowed_parents"), "{err}");
        assert!(err.contains("https://a.id; frame-src *"), "{err}");
        assert!(err.contains("dist/config.json"), "{err}");
        let not_a_list = serde_json::json!({"embed": {"allowed_parents": "https://a.id"}});
        assert!(check_app_config(&not_a_list, source).is_err());
        let api = serde_json::json!({"api_base": "https://api.id;x/api/v1"});
        assert!(
            check_app_config(&api, source)
                .unwrap_err()
                .contains("api_base")
        );
        let fine = serde_json::json!({"api_base": "api/v1", "embed": {"allowed_parents": []}});
        assert_eq!(check_app_config(&fine, source), Ok(()));
        assert_eq!(check_app_config(&serde_json::json!({}), source), Ok(()));
    }

    #[test]
    fn base_paths_are_plain_segments() {
        for base in ["", "/lapor", "/pemkab/lapor-2.0", "/a_b/~c"] {
            assert_eq!(check_base_path(base), Ok(()), "{base}");
        }
        for base in [
            "/la{por}", "/a\"b", "/a b", "/a/../b", "/a;b", "/a//b", "/%2e",
        ] {
            let err = check_base_path(base).unwrap_err();
            assert!(err.contains("--base-path") && err.contains(base), "{err}");
        }
    }

    #[test]
    fn bases_are_normalised() {
        assert_eq!(normalize_base("/lapor/"), "/lapor");
        assert_eq!(normalize_base("lapor"), "/lapor");
        assert_eq!(normalize_base("/"), "");
        assert_eq!(normalize_base(""), "");
    }

    #[test]
    fn hashes_only_inline_scripts() {
        let html = r#"<script type="module">import init from '/a.js';</script><script src="/x.js"></script>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 1);
        let expected = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest(b"import init from '/a.js';"));
        assert_eq!(hashes[0], format!("'sha256-{expected}'"));
    }

    #[test]
    fn the_policy_allows_configured_parents_and_api_origin() {
        let config = serde_json::json!({
            "api_base": "https://api.kendalkab.go.id/lapor/api/v1",
            "embed": { "allowed_parents": ["https://kendalkab.go.id"] }
        });
        let csp = content_security_policy("<script>boot()</script>", &config);
        assert!(csp.contains("frame-ancestors 'self' https://kendalkab.go.id"));
        assert!(csp.contains("connect-src 'self' https://api.kendalkab.go.id"));
        assert!(csp.contains("'wasm-unsafe-eval' 'sha256-"));
        assert!(!csp.contains("unsafe-inline"));
    }
}
