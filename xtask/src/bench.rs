//! `cargo xtask bench`: every entry route of the portal (`/`, `/lapor`, the embedded form,
//! `/lacak/<number>`, `/faq`, `/laporan`) measured the way a first visitor meets it, beside the
//! framework floor (the smallest Leptos app, `benches/framework-floor`) and the physical floor
//! (the same form as static HTML, `benches/physical-floor`): first-visit bytes by file,
//! Lighthouse mobile, the time until the page (on the form: its first input) takes a key, what a
//! host page pays for the embed, and for the portal the send → confirmation time, repeat-visit
//! bytes and the wasm's largest contributors. The tables go to stdout and to BENCHMARKS.md.
//!
//! `LAPOR_BENCH_DIST=/path/to/a/copy/of/dist` measures that build instead of making one.

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
    let mut files: Vec<PathBuf> = Vec::new();
    for path in paths.as_array().ok_or("no list of fetched paths")? {
        let path = path.as_str().unwrap_or("").trim_start_matches('/');
        let file = dist.join(path);
        // A navigation and the worker's precache of `index.html` are one file.
        let file = if file.is_file() {
            file
        } else if !path.contains('.') {
            dist.join("index.html")
        } else {
            return Err(format!(
                "{path} was fetched but is not in {}",
                dist.display()
            ));
        };
        if !files.contains(&file) {
            files.push(file);
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

/// Lighthouse figures of one target, as `xtask/bench/browser.mjs` prints them: medians of the
/// runs, and the worst run's score, TBT and CLS.
struct Lighthouse {
    score: f64,
    fcp: f64,
    lcp: f64,
    tbt: f64,
    cls: f64,
    min_score: f64,
    max_tbt: f64,
    max_cls: f64,
}

fn lighthouse(value: &serde_json::Value) -> Lighthouse {
    let get = |k: &str| value[k].as_f64().unwrap_or(f64::NAN);
    Lighthouse {
        score: get("score"),
        fcp: get("fcp"),
        lcp: get("lcp"),
        tbt: get("tbt"),
        cls: get("cls"),
        min_score: get("minScore"),
        max_tbt: get("maxTbt"),
        max_cls: get("maxCls"),
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

/// The aim of DEVELOPERS.md for a first visit, brotli-compressed, in bytes.
pub const AIM_BROTLI: u64 = 150 * 1024;

/// The entry routes, in the order of the table, with how the table names them (the keys are
/// `browser.mjs`'s).
const ROUTES: [(&str, &str); 6] = [
    ("home", "`/`"),
    ("form", "`/lapor`"),
    ("embedded", "`/lapor?embed=1…` (iframe)"),
    ("report", "`/lacak/<number>`"),
    ("faq", "`/faq`"),
    ("list", "`/laporan`"),
];

/// One entry route (or floor) measured: its first-visit files and totals, Lighthouse, and the
/// time until it takes a key (`None` for the floors).
struct Entry {
    name: &'static str,
    built: bool,
    files: Vec<Row>,
    total: Row,
    lighthouse: Option<Lighthouse>,
    /// Until the page takes a key (the form: in its first paint already).
    ready_ms: Option<f64>,
    /// Until the app's own view of the page is in.
    app_ms: Option<f64>,
}

/// `+12.3 KB` over a limit or `−4.5 KB` under it.
fn distance(bytes: u64, limit: u64) -> String {
    let d = (bytes as f64 - limit as f64) / 1024.0;
    if d > 0.0 {
        format!("+{d:.1} KB")
    } else {
        format!("−{:.1} KB", -d)
    }
}

/// The one table of every entry route and the floors: bytes against the budget and the aim,
/// Lighthouse (median of the runs, the worst run in brackets), and the time to take a key.
fn routes_table(entries: &[Entry]) -> String {
    let mut out = String::from(
        "| entry | brotli | to budget (250 KB) | to aim (150 KB) | gzip | raw | Lighthouse | TBT | CLS | LCP | FCP | takes a key | app in |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    let kb = |b: u64| format!("{:.1} KB", b as f64 / 1024.0);
    for e in entries {
        if !e.built {
            out.push_str(&format!(
                "| {} | not built | | | | | | | | | | | |\n",
                e.name
            ));
            continue;
        }
        let lh = match &e.lighthouse {
            Some(l) => format!(
                "{:.0} ({:.0}) | {:.0} ms ({:.0}) | {:.3} ({:.3}) | {:.0} ms | {:.0} ms",
                l.score, l.min_score, l.tbt, l.max_tbt, l.cls, l.max_cls, l.lcp, l.fcp
            ),
            None => "– | – | – | – | –".into(),
        };
        let ms = |t: Option<f64>| t.map_or("–".into(), |ms| format!("{ms:.0} ms"));
        let (ready, app) = (ms(e.ready_ms), ms(e.app_ms));
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {lh} | {ready} | {app} |\n",
            e.name,
            kb(e.total.brotli),
            distance(e.total.brotli, BUDGET_BROTLI),
            distance(e.total.brotli, AIM_BROTLI),
            kb(e.total.gzip),
            kb(e.total.raw),
        ));
    }
    out
}

/// Every file any entry route fetched on its first visit, with the routes that fetched it.
fn files_table(entries: &[Entry]) -> String {
    let built: Vec<&Entry> = entries.iter().filter(|e| e.built).collect();
    let mut out = String::from("| file | raw | gzip | brotli |");
    for e in &built {
        out.push_str(&format!(" {} |", e.name));
    }
    out.push_str("\n| --- | ---: | ---: | ---: |");
    out.push_str(&" :---: |".repeat(built.len()));
    out.push('\n');
    let mut names: Vec<&Row> = Vec::new();
    for e in &built {
        for row in &e.files {
            if !names.iter().any(|r| r.name == row.name) {
                names.push(row);
            }
        }
    }
    names.sort_by_key(|r| std::cmp::Reverse(r.brotli));
    for row in names {
        out.push_str(&format!(
            "| {} | {} | {} | {} |",
            row.name, row.raw, row.gzip, row.brotli
        ));
        for e in &built {
            let fetched = e.files.iter().any(|r| r.name == row.name);
            out.push_str(if fetched { " ✓ |" } else { " |" });
        }
        out.push('\n');
    }
    out
}

/// The targets of issue #20 for every entry route, each met or missed and by how much.
fn targets(entries: &[Entry]) -> String {
    let mut out = String::new();
    let verdict = |ok: bool| if ok { "met" } else { "**MISSED**" };
    for e in entries.iter().filter(|e| e.built && e.ready_ms.is_some()) {
        let mut parts = vec![format!(
            "≤ 250 KB brotli {} ({:.1} KB); ≤ 150 KB aim {} ({})",
            verdict(e.total.brotli <= BUDGET_BROTLI),
            e.total.brotli as f64 / 1024.0,
            verdict(e.total.brotli <= AIM_BROTLI),
            distance(e.total.brotli, AIM_BROTLI)
        )];
        if let Some(l) = &e.lighthouse {
            parts.push(format!(
                "Lighthouse median ≥ 95 {} ({:.0}), every run ≥ 90 {} (worst {:.0}); TBT ≤ 150 ms {} \
                 (median {:.0}, worst {:.0}); CLS < 0.05 {} (median {:.3}, worst {:.3})",
                verdict(l.score >= 95.0),
                l.score,
                verdict(l.min_score >= 90.0),
                l.min_score,
                verdict(l.tbt <= 150.0),
                l.tbt,
                l.max_tbt,
                verdict(l.cls < 0.05),
                l.cls,
                l.max_cls,
            ));
        }
        out.push_str(&format!("- {}: {}.\n", e.name, parts.join("; ")));
    }
    for e in entries.iter().filter(|e| !e.built) {
        out.push_str(&format!(
            "- {}: not built yet (the app shows its not-found page there).\n",
            e.name
        ));
    }
    let ready = |key: &str| {
        entries
            .iter()
            .find(|e| e.name == key)
            .and_then(|e| e.ready_ms)
    };
    if let (Some(embedded), Some(home)) = (ready(ROUTES[2].1), ready(ROUTES[0].1)) {
        out.push_str(&format!(
            "- The embedded form takes a key no later than `/` is ready: {} ({embedded:.0} ms against {home:.0} ms).\n",
            verdict(embedded <= home)
        ));
    }
    out
}

/// A free port for the embed's host page, which the portal's `config.json` must allow.
fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

fn kb_of(dir: &Path, paths: &serde_json::Value) -> Result<String> {
    let (_, total) = rows_of(dir, paths)?;
    Ok(format!(
        "{:.1} KB brotli ({} files)",
        total.brotli as f64 / 1024.0,
        paths.as_array().map_or(0, Vec::len)
    ))
}

pub fn bench() -> Result {
    // A copy of a build (`LAPOR_BENCH_DIST`), or a fresh release build.
    let given = std::env::var_os("LAPOR_BENCH_DIST").map(PathBuf::from);
    let dist = match &given {
        Some(dir) => dir.clone(),
        None => build_app(true)?,
    };
    let framework = build_framework_floor()?;
    let physical = physical_floor(&dist)?;
    let top = twiggy_top()?;
    let top_note = if given.is_some() {
        " (of the last release build in `target/`, not necessarily the measured copy)"
    } else {
        ""
    };

    // The three served the same way: the reference server, pre-compressed files, caching.
    let server = build_server(true)?;
    let token = "bench-admin";
    let host_port = free_port()?;
    let portal_server = TestServer::with_app_config(
        &server,
        &dist,
        token,
        "bench",
        &format!(
            r#"{{"api_base": "api/v1", "embed": {{"allowed_parents": ["http://127.0.0.1:{host_port}"]}}}}"#
        ),
    )?;
    let framework_server = TestServer::start(&server, &framework, token, &[])?;
    let physical_server = TestServer::start(&server, &physical, token, &[])?;
    let plan = serde_json::json!({
        "portal": portal_server.url,
        "floors": {
            "framework": format!("{}/", framework_server.url),
            "physical": format!("{}/", physical_server.url),
        },
        "hostPort": host_port,
        "hostPage": root().join("end2end/embed-host/index.html"),
        "runs": 3,
        "readyRuns": 3,
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

    let mut entries = Vec::new();
    for (key, name) in ROUTES {
        let route = &measured["routes"][key];
        let built = route["built"].as_bool().unwrap_or(false);
        let (files, total) = rows_of(&dist, &route["firstVisit"])?;
        entries.push(Entry {
            name,
            built,
            files,
            total,
            lighthouse: built.then(|| lighthouse(&route["lighthouse"])),
            ready_ms: route["ready"]["median"].as_f64(),
            app_ms: route["ready"]["app"]["median"].as_f64(),
        });
    }
    for (key, name, dir) in [
        ("framework", "framework floor", &framework),
        ("physical", "physical floor", &physical),
    ] {
        let floor = &measured["floors"][key];
        let (files, total) = rows_of(dir, &floor["firstVisit"])?;
        entries.push(Entry {
            name,
            built: true,
            files: if key == "framework" {
                Vec::new()
            } else {
                files
            },
            total,
            lighthouse: Some(lighthouse(&floor["lighthouse"])),
            ready_ms: None,
            app_ms: None,
        });
    }
    // The floors' files are not the portal's: only the portal's routes in the file table.
    let portal_entries = &entries[..ROUTES.len()];
    let table = routes_table(&entries);
    let files = files_table(portal_entries);
    let targets = targets(&entries);

    let home = &entries[0];
    let floor_of = |i: usize| &entries[ROUTES.len() + i];
    let no_lh = Lighthouse {
        score: f64::NAN,
        fcp: f64::NAN,
        lcp: f64::NAN,
        tbt: f64::NAN,
        cls: f64::NAN,
        min_score: f64::NAN,
        max_tbt: f64::NAN,
        max_cls: f64::NAN,
    };
    let comparison = comparison(
        [&home.total, &floor_of(0).total, &floor_of(1).total],
        [
            home.lighthouse.as_ref().unwrap_or(&no_lh),
            floor_of(0).lighthouse.as_ref().unwrap_or(&no_lh),
            floor_of(1).lighthouse.as_ref().unwrap_or(&no_lh),
        ],
    );

    let host = &measured["host"];
    let host_line = format!(
        "The embedded form on a host page of another origin (`end2end/embed-host` below a long \
         article, so the iframe starts out of view; `loading=\"lazy\"`): before it is scrolled \
         into view the host page fetches {} from the portal (the iframe {} loaded); once \
         scrolled to, the iframe fetches {} and its form takes a key {:.0} ms after the scroll \
         ({:.0} ms after the iframe's own navigation; the app's own form is in {:.0} ms after \
         it), under the same throttling.",
        kb_of(&dist, &host["beforeScroll"])?,
        if host["iframeLoadedEarly"].as_bool() == Some(true) {
            "was already"
        } else {
            "was not yet"
        },
        kb_of(&dist, &host["afterScroll"])?,
        host["readyFromScroll"].as_f64().unwrap_or(f64::NAN),
        host["readyFromFrameNavigation"]
            .as_f64()
            .unwrap_or(f64::NAN),
        host["appFromFrameNavigation"].as_f64().unwrap_or(f64::NAN),
    );
    let send_ms = measured["sendMs"].as_f64().unwrap_or(f64::NAN);
    let repeat = &measured["repeat"];
    let repeat_line = format!(
        "Repeat visit with the service worker active: {} bytes of app shell from the network {}, \
         {} bytes for the browser's check for a new worker (API requests go through the worker, \
         network-first, and are not counted).",
        repeat["shell"], repeat["shellFiles"], repeat["updateCheck"]
    );
    let offline_line = format!(
        "The service worker keeps every page's code for offline use from the second visit on: \
         {} more, fetched in the background of that visit.",
        kb_of(&dist, &repeat["keptForOffline"])?
    );
    let ready_note = "\"Takes a key\": from navigation until the page takes a key with the main \
         thread free: on the form its first input, which index.html's first paint offers before \
         any wasm (checked by choosing a kind with Space and typing a title, then finding both in \
         the app's form once it is in), elsewhere the page's own view in the app (the static \
         first paint gone): the heading (on `/faq` its search field). \"App in\": until the \
         app's own view is in, on the form its first input. Both the median of three visits in \
         Chromium with devtools throttling equal to Lighthouse's mobile settings (CPU 4×, \
         562.5 ms latency, 1.47 Mbit/s down), no service worker. Lighthouse: median of three runs, the worst run in brackets.";

    println!("\n{table}\n{ready_note}\n\n{host_line}\n\n{targets}");
    println!("`/` beside its floors:\n\n{comparison}");
    println!("Send → confirmation (median of 5, local reference server): {send_ms:.0} ms");
    println!("{repeat_line}\n{offline_line}");
    println!(
        "\nLargest contributors to the main wasm module (twiggy top, names kept){top_note}:\n{top}"
    );

    let gaps = std::fs::read_to_string(root().join("benches/gaps.md")).unwrap_or_default();
    let date = crate::cmd::output(
        std::process::Command::new("date")
            .arg("-u")
            .arg("+%Y-%m-%d %H:%M UTC"),
    )
    .unwrap_or_default();
    // One section per measure; further measures (e.g. the server under load) add theirs.
    let sections = [
        format!(
            "### Every entry route, first visit\n\n{table}\n{ready_note}\n\n{host_line}\n\n\
             Targets (issue #20):\n\n{targets}"
        ),
        format!(
            "### `/` beside its floors\n\n{comparison}\n\
             Send → confirmation (median of 5, local reference server): {send_ms:.0} ms.\n\n\
             {repeat_line}\n\n{offline_line}"
        ),
        format!(
            "### First visits, file by file\n\n\
             What the browser fetched on a first visit to each entry route (service worker \
             allowed, until the network was quiet), each file counted once at its size in \
             `dist/`, largest first.\n\n{files}"
        ),
        format!(
            "### Largest contributors to the main wasm module (twiggy top){top_note}\n\n```\n{top}\n```"
        ),
        crate::load::server_load(
            &server,
            crate::load::BENCH_REPORTS,
            crate::load::LOAD_SECONDS,
        )?,
    ];
    let report = format!(
        "# Benchmarks\n\nWritten by `cargo xtask bench`; git history keeps the earlier runs. \
         Lighthouse 12.2.3, mobile defaults (simulated slow 4G, 4× CPU slowdown), Debian \
         Chromium, each target served by the release reference server.\n\n\
         ## {date}\n\nMachine: {}.\n\n{}\n\n{gaps}",
        machine(),
        sections.join("\n\n"),
    );
    std::fs::write(root().join("BENCHMARKS.md"), report).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, brotli: u64) -> Row {
        Row {
            name: name.into(),
            raw: brotli * 4,
            gzip: brotli * 2,
            brotli,
        }
    }

    #[test]
    fn a_navigation_and_the_precached_page_are_one_file() {
        let dir = std::env::temp_dir().join(format!("xtask-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<!DOCTYPE html>").unwrap();
        std::fs::write(dir.join("app.js"), "1").unwrap();
        let paths = serde_json::json!(["/", "/index.html", "/lapor", "/app.js"]);
        let files = fetched_files(&dir, &paths).unwrap();
        assert_eq!(files, [dir.join("index.html"), dir.join("app.js")]);
        let missing = serde_json::json!(["/gone.wasm"]);
        assert!(fetched_files(&dir, &missing).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_table_says_how_far_each_route_is_from_the_budget_and_the_aim() {
        assert_eq!(distance(260 * 1024, BUDGET_BROTLI), "+10.0 KB");
        assert_eq!(distance(140 * 1024, AIM_BROTLI), "−10.0 KB");
        let lh = Lighthouse {
            score: 97.0,
            fcp: 800.0,
            lcp: 900.0,
            tbt: 40.0,
            cls: 0.01,
            min_score: 89.0,
            max_tbt: 160.0,
            max_cls: 0.02,
        };
        let entries = [
            Entry {
                name: "`/lapor`",
                built: true,
                files: vec![row("main.wasm", 200 * 1024), row("form.wasm", 60 * 1024)],
                total: row("**total**", 260 * 1024),
                lighthouse: Some(lh),
                ready_ms: Some(2500.0),
                app_ms: Some(3100.0),
            },
            Entry {
                name: "`/laporan`",
                built: false,
                files: Vec::new(),
                total: row("**total**", 0),
                lighthouse: None,
                ready_ms: None,
                app_ms: None,
            },
        ];
        let table = routes_table(&entries);
        assert!(
            table.contains("| `/lapor` | 260.0 KB | +10.0 KB | +110.0 KB |"),
            "{table}"
        );
        assert!(
            table.contains("| 97 (89) | 40 ms (160) | 0.010 (0.020) |"),
            "{table}"
        );
        assert!(table.contains("| 2500 ms | 3100 ms |"), "{table}");
        assert!(table.contains("| `/laporan` | not built |"), "{table}");
        let targets = targets(&entries);
        assert!(
            targets.contains("≤ 250 KB brotli **MISSED** (260.0 KB)"),
            "{targets}"
        );
        assert!(
            targets.contains("every run ≥ 90 **MISSED** (worst 89)"),
            "{targets}"
        );
        assert!(targets.contains("`/laporan`: not built yet"), "{targets}");
        let files = files_table(&entries);
        assert!(
            files.starts_with("| file | raw | gzip | brotli | `/lapor` |\n"),
            "{files}"
        );
        assert!(
            files.contains("| main.wasm | 819200 | 409600 | 204800 | ✓ |"),
            "{files}"
        );
    }

    #[test]
    fn compression_shrinks_repetitive_text() {
        let text = "Lapor Portal ".repeat(1000);
        let (g, b) = (gzip(text.as_bytes()).len(), brotli(text.as_bytes()).len());
        assert!(g < 200 && b < 200, "gzip {g}, brotli {b}");
        assert!(g > 0 && b > 0);
    }
}
