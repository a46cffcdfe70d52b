//! Building the app (Trunk) and the reference server.

use std::path::{Path, PathBuf};

use crate::bench::{brotli, gzip};
use crate::cmd::{command, run};
use crate::{Result, root, tools};

/// Builds the app into `dist/` (release: size-tuned wasm split at its lazy routes, wasm-opt -Oz).
pub fn build_app(release: bool) -> Result<PathBuf> {
    tools::ensure_build_tools()?;
    let mut args = vec!["build"];
    if release {
        args.push("--release");
    }
    // Trunk must never download a tool: everything is on the PATH `command` sets.
    run(command("trunk", &args).env("TRUNK_OFFLINE", "true"))?;
    let dist = root().join("dist");
    if release {
        crate::split::split_release_wasm(&dist)?;
    }
    relativize_assets(&dist)?;
    if release {
        // The service worker belongs to release builds only: in development it would serve
        // stale code.
        let script = root().join("xtask/service-worker.mjs");
        run(&mut command(
            "node",
            &[&script.to_string_lossy(), &dist.to_string_lossy()],
        ))?;
        precompress(&dist)?;
    }
    Ok(dist)
}

/// `cargo xtask build`: the app into `dist/` and the server beside it, for running either
/// by hand (e.g. a copy of `dist/` served by `target/debug/lapor-server --static`).
pub fn build_all(release: bool) -> Result {
    let dist = build_app(release)?;
    let server = build_server(false)?;
    println!("app: {}\nserver: {}", dist.display(), server.display());
    Ok(())
}

/// Writes `.br` and `.gz` beside each text and wasm file, so a server can send them as they
/// are (the reference server does) instead of compressing on every request or not at all.
pub fn precompress(dist: &Path) -> Result {
    for entry in std::fs::read_dir(dist)
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(
            ext,
            "js" | "wasm" | "css" | "html" | "json" | "svg" | "webmanifest"
        ) {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        std::fs::write(dist.join(format!("{name}.br")), brotli(&bytes))
            .map_err(|e| e.to_string())?;
        std::fs::write(dist.join(format!("{name}.gz")), gzip(&bytes)).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Trunk writes `/main-….css`; `./main-….css` resolves against the document's `<base href>`
/// instead, so the same build works at the site root and under any sub-path (the host sets
/// the base: the reference server does it, static hosts edit one line).
pub fn relativize_assets(dist: &Path) -> Result {
    let index = dist.join("index.html");
    let mut html =
        std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    let entries = std::fs::read_dir(dist).map_err(|e| e.to_string())?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        for quote in ['"', '\''] {
            html = html.replace(
                &format!("{quote}/{name}{quote}"),
                &format!("{quote}./{name}{quote}"),
            );
        }
    }
    std::fs::write(&index, html).map_err(|e| e.to_string())
}

/// Builds the reference server and returns its binary. `optimised` uses the `server` profile
/// (optimised without fat LTO); otherwise the debug build the host tests already made.
pub fn build_server(optimised: bool) -> Result<PathBuf> {
    let profile = if optimised { "server" } else { "dev" };
    run(&mut command(
        "cargo",
        &["build", "--package", "lapor-server", "--profile", profile],
    ))?;
    let folder = if optimised { "server" } else { "debug" };
    Ok(root().join("target").join(folder).join("lapor-server"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn asset_urls_become_relative_to_the_base() {
        let dir = std::env::temp_dir().join(format!("xtask-rel-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("app-1.js"), "").unwrap();
        std::fs::write(
            dir.join("index.html"),
            "<base href=\"/\"><script type=\"module\">import init from '/app-1.js';</script><a href=\"/lapor\">",
        )
        .unwrap();
        super::relativize_assets(&dir).unwrap();
        let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
        assert!(html.contains("from './app-1.js'"));
        assert!(html.contains("<base href=\"/\">"), "the base itself stays");
        assert!(
            html.contains("href=\"/lapor\""),
            "only files of dist/ change"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
