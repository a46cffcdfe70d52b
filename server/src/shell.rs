//! Serving the built app: the files of Trunk's `dist/` with an SPA fallback, under the site
//! root or a sub-path, with the Content-Security-Policy the portal works under.
//!
//! `index.html` is served with its `<base href>` set to the sub-path, so one build works
//! anywhere; its CSP allows exactly the inline bootstrap script Trunk wrote (by hash), wasm
//! compilation, and `frame-ancestors` from `config.json`'s `embed.allowed_parents`.

use std::path::{Path, PathBuf};

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
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

/// The policy for the app's pages.
pub fn content_security_policy(html: &str, config: &serde_json::Value) -> String {
    let mut connect = vec!["'self'".to_owned()];
    if let Some(api) = config["api_base"].as_str().filter(|a| a.contains("://")) {
        let origin: String = api.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
        connect.push(origin);
    }
    let parents: Vec<String> = config["embed"]["allowed_parents"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|o| o.as_str())
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
    html: String,
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
            self.html,
        )
            .into_response()
    }
}

/// The API plus the app from `dist` (when given), all under `base` (already normalised), with
/// `/` redirecting to the sub-path. `app_config` replaces `dist/config.json`.
pub fn mount(
    api: Router,
    dist: Option<&Path>,
    base: &str,
    app_config: Option<PathBuf>,
) -> std::io::Result<Router> {
    let Some(dist) = dist else {
        return Ok(nest(api, base, None));
    };
    let config_path = app_config.unwrap_or_else(|| dist.join("config.json"));
    let config_text = std::fs::read_to_string(&config_path).unwrap_or_else(|_| "{}".into());
    let config: serde_json::Value = serde_json::from_str(&config_text).unwrap_or_default();
    let html = std::fs::read_to_string(dist.join("index.html"))?
        .replace("<base href=\"/\">", &format!("<base href=\"{base}/\">"));
    let csp = HeaderValue::from_str(&content_security_policy(&html, &config))
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    let page = Page { html, csp };
    let index = move || std::future::ready(page.clone());
    let config_json = move || {
        std::future::ready(
            (
                [
                    (header::CONTENT_TYPE, "application/json"),
                    (header::CACHE_CONTROL, "no-cache"),
                ],
                config_text.clone(),
            )
                .into_response(),
        )
    };
    // Pre-compressed copies (`.br`, `.gz`, written by `cargo xtask`) are served when the
    // browser accepts them; hashed files never change, so browsers may keep them for a year.
    let files = ServeDir::new(dist)
        .append_index_html_on_directories(false)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(get(index.clone()));
    let files = tower::ServiceBuilder::new()
        .layer(axum::middleware::map_response(cache_forever_if_hashed))
        .service(files);
    let app = api
        .route("/", get(index.clone()))
        .route("/index.html", get(index.clone()))
        .route("/config.json", get(config_json))
        .fallback_service(files);
    Ok(nest(app, base, Some(get(index))))
}

/// Whether a file name carries Trunk's content hash (`main-0123456789abcdef.css`).
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let stem = name.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

async fn cache_forever_if_hashed<B>(
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
