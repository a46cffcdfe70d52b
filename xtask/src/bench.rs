//! `cargo xtask bench`: what a first visit downloads, raw, gzip and brotli, against the budget.

use std::io::Write;
use std::path::Path;

use crate::Result;
use crate::build::build_app;

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

/// The files of `dist/` a first visit fetches: the page, its script, wasm, styles, config,
/// manifest and icons (source maps and pre-compressed copies are not fetched).
fn first_visit_files(dist: &Path) -> Result<Vec<std::path::PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![dist.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            // embed.js is fetched by host pages that embed the portal, not by a visit.
            if path.file_name().is_some_and(|n| n == "embed.js") {
                continue;
            }
            if matches!(
                ext,
                "html" | "js" | "wasm" | "css" | "json" | "webmanifest" | "png" | "svg" | "ico"
            ) {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// One row of the size table.
struct Row {
    name: String,
    raw: u64,
    gzip: u64,
    brotli: u64,
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

fn table(rows: &[Row]) -> String {
    let mut out = String::from("| file | raw | gzip | brotli |\n| --- | ---: | ---: | ---: |\n");
    for r in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            r.name, r.raw, r.gzip, r.brotli
        ));
    }
    out
}

pub fn bench() -> Result {
    let dist = build_app(true)?;
    let files = first_visit_files(&dist)?;
    let mut rows = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
        let name = path
            .strip_prefix(&dist)
            .unwrap_or(path)
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
    println!("\nFirst visit (release build, {}):", dist.display());
    println!(
        "{:<44} {:>10} {:>10} {:>10}",
        "file", "raw", "gzip", "brotli"
    );
    for r in rows.iter().chain([&total]) {
        println!(
            "{:<44} {:>10} {:>10} {:>10}",
            r.name.trim_matches('*'),
            r.raw,
            r.gzip,
            r.brotli
        );
    }
    let verdict = if total.brotli <= BUDGET_BROTLI {
        "within"
    } else {
        "OVER"
    };
    let summary = format!(
        "brotli total {:.1} KB: {verdict} the {} KB budget",
        total.brotli as f64 / 1024.0,
        BUDGET_BROTLI / 1024
    );
    println!("{summary}");
    rows.push(total);
    let date = crate::cmd::output(
        std::process::Command::new("date")
            .arg("-u")
            .arg("+%Y-%m-%d %H:%M UTC"),
    )
    .unwrap_or_default();
    let report = format!(
        "# Benchmarks\n\nWritten by `cargo xtask bench`; git history keeps the earlier runs.\n\n\
         ## First visit download, {date}\n\nMachine: {}.\n\n{}\n{summary}.\n",
        machine(),
        table(&rows)
    );
    std::fs::write(crate::root().join("BENCHMARKS.md"), report).map_err(|e| e.to_string())
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
