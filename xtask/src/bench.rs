//! `cargo xtask bench`: the portal measured beside its framework floor (the smallest Leptos
//! app, `benches/framework-floor`) and its physical floor (the same form as static HTML,
//! `benches/physical-floor`): first-visit bytes, Lighthouse mobile, and for the portal the
//! send → confirmation time, repeat-visit bytes and the wasm's largest contributors. The
//! table goes to stdout and to BENCHMARKS.md.

use std::io::Write;
use std::path::Path;

use std::path::PathBuf;

use crate::build::{build_app, build_server, precompress};
use crate::cmd::{command, run};
use crate::test::TestServer;
use crate::{Result, root, tools};

/// The first-visit budget of DEVELOPERS.md, brotli-compressed, in bytes.
pub const BUDGET_BROTLI: u64 = 250 * 1024;

/// gzip at its best level: what the bench counts and what release builds ship as `.gz`.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("in-memory write");
    encoder.finish().expect("in-memory write")
}

/// brotli at quality 11: what the bench counts and what release builds ship as `.br`.
pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("in-memory write");
    out
}

/// The files of `dist/` behind the URL paths a visit fetched (as the browser half of the bench
/// recorded them, relative to the target's root): a navigation (`/`, `/lapor`) is `index.html`.
fn fetched_files(dist: &Path, paths: &serde_json::Value) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths.as_array().ok_or("no list of fetched paths")? {
        let path = path.as_str().unwrap_or("").trim_start_matches('/');
        let file = dist.join(path);
        if file.is_file() {
            files.push(file);
        } else if !path.contains('.') {
            files.push(dist.join("index.html"));
        } else {
            return Err(format!(
                "{path} was fetched but is not in {}",
                dist.display()
            ));
        }
    }
    Ok(files)
}

/// One row of the size table.
struct Row {
    name: String,
    raw: u64,
    gzip: u64,
    brotli: u64,
}

fn rows_of(dir: &Path, paths: &serde_json::Value) -> Result<(Vec<Row>, Row)> {
    let mut rows = Vec::new();
    for path in fetched_files(dir, paths)? {
        let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
        let name = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .display()
            .to_string();
        rows.push(Row {
            name,
            raw: bytes.len() as u64,
            gzip: gzip(&bytes).len() as u64,
            brotli: brotli(&bytes).len() as u64,
        });
    }
    let total = Row {
        name: "**total**".into(),
        raw: rows.iter().map(|r| r.raw).sum(),
        gzip: rows.iter().map(|r| r.gzip).sum(),
        brotli: rows.iter().map(|r| r.brotli).sum(),
    };
    Ok((rows, total))
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{cores} cores, {cpu}")
}

fn file_table(rows: &[Row], total: &Row) -> String {
    let mut out = String::from("| file | raw | gzip | brotli |\n| --- | ---: | ---: | ---: |\n");
    for r in rows.iter().chain([total]) {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            r.name, r.raw, r.gzip, r.brotli
        ));
    }
    out
}

/// The framework floor (`benches/framework-floor`), built like the portal.
fn build_framework_floor() -> Result<PathBuf> {
    let dist = root().join("target/bench/framework-floor");
    run(command(
        "trunk",
        &[
            "build",
            "--release",
            "--dist",
            &dist.to_string_lossy(),
            "benches/framework-floor/index.html",
        ],
    )
    .env("TRUNK_OFFLINE", "true")
    // Without the relocations `.cargo/config.toml` keeps for the portal's wasm-split: the floor
    // has nothing to split, and wasm-opt would leave them in its wasm. Its own target directory
    // keeps both builds cached.
    .env(
        "CARGO_ENCODED_RUSTFLAGS",
        ["--cfg", "erase_components"].join("\u{1f}"),
    )
    .env("CARGO_TARGET_DIR", root().join("target/bench/floor-target")))?;
    precompress(&dist)?;
    Ok(dist)
}

/// The physical floor (`benches/physical-floor`): the form as static HTML with the portal's
/// own stylesheet beside it, so the difference is the script.
fn physical_floor(portal: &Path) -> Result<PathBuf> {
    let dist = root().join("target/bench/physical-floor");
    let _ = std::fs::remove_dir_all(&dist);
    std::fs::create_dir_all(&dist).map_err(|e| e.to_string())?;
    std::fs::copy(
        root().join("benches/physical-floor/index.html"),
        dist.join("index.html"),
    )
    .map_err(|e| e.to_string())?;
    let css = std::fs::read_dir(portal)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "css"))
        .ok_or("the portal build has no stylesheet")?;
    std::fs::copy(css, dist.join("main.css")).map_err(|e| e.to_string())?;
    precompress(&dist)?;
    Ok(dist)
}

/// The wasm's largest contributors, by name: wasm-bindgen's output (release builds keep the
/// names section until wasm-opt) optimised like the shipped file but keeping names.
fn twiggy_top() -> Result<String> {
    tools::ensure_twiggy()?;
    // The main module: what a first visit loads.
    let bindgen = crate::split::named_main_module()?;
    let named = root().join("target/bench/portal-named.wasm");
    let (input, output) = (bindgen.to_string_lossy(), named.to_string_lossy());
    let mut args = vec!["-Oz", "-g"];
    args.extend(crate::split::WASM_OPT_FEATURES);
    args.extend([input.as_ref(), "-o", output.as_ref()]);
    run(&mut command("wasm-opt", &args))?;
    crate::cmd::output(&mut command(
        "twiggy",
        &["top", "-n", "15", &named.to_string_lossy()],
    ))
    .ok_or_else(|| "twiggy failed".into())
}

/// Lighthouse figures of one target, as `xtask/bench/browser.mjs` prints them.
struct Lighthouse {
    score: f64,
    fcp: f64,
    lcp: f64,
    tbt: f64,
    cls: f64,
}

fn lighthouse(value: &serde_json::Value) -> Lighthouse {
    let get = |k: &str| value[k].as_f64().unwrap_or(f64::NAN);
    Lighthouse {
        score: get("score"),
        fcp: get("fcp"),
        lcp: get("lcp"),
        tbt: get("tbt"),
        cls: get("cls"),
    }
}

fn ratio(a: f64, b: f64) -> String {
    if b > 0.0 && a.is_finite() && b.is_finite() {
        format!("{:.2}×", a / b)
    } else {
        "–".into()
    }
}

/// The side-by-side table: one row per measure, the three targets and the two ratios.
fn comparison(sizes: [&Row; 3], lh: [&Lighthouse; 3]) -> String {
    let mut out = String::from(
        "| measure | portal | framework floor | physical floor | portal / framework | portal / physical |\n\
         | --- | ---: | ---: | ---: | ---: | ---: |\n",
    );
    let mut row = |name: &str, v: [f64; 3], show: &dyn Fn(f64) -> String| {
        out.push_str(&format!(
            "| {name} | {} | {} | {} | {} | {} |\n",
            show(v[0]),
            show(v[1]),
            show(v[2]),
            ratio(v[0], v[1]),
            ratio(v[0], v[2])
        ));
    };
    let kb = |v: f64| format!("{:.1} KB", v / 1024.0);
    let ms = |v: f64| format!("{v:.0} ms");
    row("first visit, raw", sizes.map(|r| r.raw as f64), &kb);
    row("first visit, gzip", sizes.map(|r| r.gzip as f64), &kb);
    row("first visit, brotli", sizes.map(|r| r.brotli as f64), &kb);
    row("Lighthouse performance", lh.map(|l| l.score), &|v| {
        format!("{v:.0}")
    });
    row("First Contentful Paint", lh.map(|l| l.fcp), &ms);
    row("Largest Contentful Paint", lh.map(|l| l.lcp), &ms);
    row("Total Blocking Time", lh.map(|l| l.tbt), &ms);
    row("Cumulative Layout Shift", lh.map(|l| l.cls), &|v| {
        format!("{v:.3}")
    });
    out
}

pub fn bench() -> Result {
    let dist = build_app(true)?;
    let framework = build_framework_floor()?;
    let physical = physical_floor(&dist)?;
    let top = twiggy_top()?;

    // The three served the same way: the reference server, pre-compressed files, caching.
    let server = build_server(true)?;
    let token = "bench-admin";
    let portal_server = TestServer::start(&server, &dist, token, &[])?;
    let framework_server = TestServer::start(&server, &framework, token, &[])?;
    let physical_server = TestServer::start(&server, &physical, token, &[])?;
    let plan = serde_json::json!({
        "targets": {
            "portal": format!("{}/", portal_server.url),
            "framework": format!("{}/", framework_server.url),
            "physical": format!("{}/", physical_server.url),
        },
        "portal": portal_server.url,
        "runs": 3,
    });
    let script = root().join("xtask/bench/browser.mjs");
    // Progress and errors on stderr, the figures on stdout.
    let measured = command("node", &[&script.to_string_lossy(), &plan.to_string()])
        .env("CHROME_PATH", tools::CHROMIUM)
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("node: {e}"))?;
    if !measured.status.success() {
        return Err("the browser measurements failed".into());
    }
    let printed = String::from_utf8_lossy(&measured.stdout).into_owned();
    let measured: serde_json::Value =
        serde_json::from_str(printed.lines().last().unwrap_or("")).map_err(|e| e.to_string())?;
    let lh = ["portal", "framework", "physical"].map(|k| lighthouse(&measured["lighthouse"][k]));
    let visits = &measured["firstVisit"];
    let (portal_rows, portal_total) = rows_of(&dist, &visits["portal"])?;
    let (_, framework_total) = rows_of(&framework, &visits["framework"])?;
    let (_, physical_total) = rows_of(&physical, &visits["physical"])?;
    let (_, form_total) = rows_of(&dist, &visits["portalForm"])?;
    let (_, offline_total) = rows_of(&dist, &measured["repeat"]["keptForOffline"])?;
    let lazy_line = format!(
        "The pages' own code is loaded when a page is first opened (wasm-split at Leptos' lazy \
         routes). A first visit that lands on the form (`/lapor`) downloads {:.1} KB brotli. \
         The service worker keeps every page's code for offline use from the second visit on: \
         {:.1} KB brotli more, fetched in the background of that visit.",
        form_total.brotli as f64 / 1024.0,
        offline_total.brotli as f64 / 1024.0,
    );

    let comparison = comparison(
        [&portal_total, &framework_total, &physical_total],
        [&lh[0], &lh[1], &lh[2]],
    );
    let send_ms = measured["sendMs"].as_f64().unwrap_or(f64::NAN);
    let repeat = &measured["repeat"];
    let repeat_line = format!(
        "Repeat visit with the service worker active: {} bytes of app shell from the network {}, \
         {} bytes for the browser's check for a new worker (API requests go through the worker, \
         network-first, and are not counted).",
        repeat["shell"], repeat["shellFiles"], repeat["updateCheck"]
    );
    let kb = |b: u64| b as f64 / 1024.0;
    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
    let over = |limit_kb: u64| {
        let over = kb(portal_total.brotli) - limit_kb as f64;
        if over > 0.0 {
            format!(" by {over:.1} KB")
        } else {
            String::new()
        }
    };
    let targets = format!(
        "Targets: first visit ≤ {} KB brotli (budget) — {:.1} KB, {}{}; ≤ 150 KB (aim) — {}{}; \
         Lighthouse ≥ 95 — {:.0}, {}; LCP < 2 s — {:.0} ms, {}; CLS < 0.05 — {:.3}, {}.",
        BUDGET_BROTLI / 1024,
        kb(portal_total.brotli),
        verdict(portal_total.brotli <= BUDGET_BROTLI),
        over(BUDGET_BROTLI / 1024),
        verdict(portal_total.brotli <= 150 * 1024),
        over(150),
        lh[0].score,
        verdict(lh[0].score >= 95.0),
        lh[0].lcp,
        verdict(lh[0].lcp < 2000.0),
        lh[0].cls,
        verdict(lh[0].cls < 0.05),
    );
    println!("\n{comparison}");
    println!("Send → confirmation (median of 5, local reference server): {send_ms:.0} ms");
    println!("{repeat_line}");
    println!("{lazy_line}");
    println!("{targets}");
    println!("\nLargest contributors to the main wasm module (twiggy top, names kept):\n{top}");

    let gaps = std::fs::read_to_string(root().join("benches/gaps.md")).unwrap_or_default();
    let date = crate::cmd::output(
        std::process::Command::new("date")
            .arg("-u")
            .arg("+%Y-%m-%d %H:%M UTC"),
    )
    .unwrap_or_default();
    let report = format!(
        "# Benchmarks\n\nWritten by `cargo xtask bench`; git history keeps the earlier runs. \
         Lighthouse 12.2.3, mobile defaults (simulated slow 4G, 4× CPU slowdown), median of \
         three runs, Debian Chromium, each target served by the release reference server.\n\n\
         ## {date}\n\nMachine: {}.\n\n{comparison}\n\
         Send → confirmation (median of 5, local reference server): {send_ms:.0} ms.\n\n\
         {repeat_line}\n\n{lazy_line}\n\n{targets}\n\n\
         ### Portal first visit, file by file\n\n\
         What the browser fetched on a first visit to `/` (service worker allowed, until the \
         network was quiet), each file counted at its size in `dist/`.\n\n{}\n\
         ### Largest contributors to the main wasm module (twiggy top)\n\n```\n{top}\n```\n\n{gaps}",
        machine(),
        file_table(&portal_rows, &portal_total),
    );
    std::fs::write(root().join("BENCHMARKS.md"), report).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compression_shrinks_repetitive_text() {
        let text = "Lapor Portal ".repeat(1000);
        let (g, b) = (gzip(text.as_bytes()).len(), brotli(text.as_bytes()).len());
        assert!(g < 200 && b < 200, "gzip {g}, brotli {b}");
        assert!(g > 0 && b > 0);
    }
}
