//! Installs what a fresh machine lacks: the wasm target, Trunk, wasm-bindgen-cli at the
//! Cargo.lock version, wasm-split, the npm tools (wasm-opt from binaryen, Playwright, axe-core), and
//! Debian's Chromium for the end-to-end tests. Nothing is downloaded from outside the package
//! registries, so Trunk must find every tool on PATH.

use std::path::Path;

use crate::cmd::{command, output, run};
use crate::{Result, root};

pub const TRUNK_VERSION: &str = "0.21.14";
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// wasm-split, which cuts the release wasm at Leptos' lazy routes (see `split.rs`).
pub const WASM_SPLIT_VERSION: &str = "0.2.3";

/// The `wasm-bindgen` version locked in Cargo.lock; the CLI must match it exactly.
pub fn wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_owned());
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".into())
}

fn cargo_install(krate: &str, version: &str) -> Result {
    cargo_install_with(krate, version, &[])
}

fn cargo_install_with(krate: &str, version: &str, extra: &[&str]) -> Result {
    let pinned = format!("={version}");
    let mut args = vec!["install", krate, "--version", &pinned];
    args.extend(extra);
    let locked = run(&mut command("cargo", &[&args[..], &["--locked"]].concat()));
    if locked.is_err() {
        println!("`cargo install --locked` could not resolve; retrying without --locked");
        run(&mut command("cargo", &args))?;
    }
    Ok(())
}

/// Everything needed to build the app.
pub fn ensure_build_tools() -> Result {
    let targets =
        output(&mut command("rustup", &["target", "list", "--installed"])).unwrap_or_default();
    if !targets.lines().any(|t| t == "wasm32-unknown-unknown") {
        run(&mut command(
            "rustup",
            &["target", "add", "wasm32-unknown-unknown"],
        ))?;
    }
    let trunk = output(&mut command("trunk", &["--version"])).unwrap_or_default();
    if trunk != format!("trunk {TRUNK_VERSION}") {
        cargo_install("trunk", TRUNK_VERSION)?;
    }
    let wanted = wasm_bindgen_version()?;
    let bindgen = output(&mut command("wasm-bindgen", &["--version"])).unwrap_or_default();
    if bindgen.split(' ').nth(1) != Some(wanted.as_str()) {
        cargo_install("wasm-bindgen-cli", &wanted)?;
    }
    let installed = output(&mut command("cargo", &["install", "--list"])).unwrap_or_default();
    if !installed.contains(&format!("wasm_split_cli_support v{WASM_SPLIT_VERSION}:")) {
        cargo_install_with(
            "wasm_split_cli_support",
            WASM_SPLIT_VERSION,
            &["--features", "build-binary"],
        )?;
    }
    ensure_npm_tools()
}

/// `npm ci` when node_modules is missing or older than the lock file.
pub fn ensure_npm_tools() -> Result {
    let root = root();
    let stamp = root.join("node_modules/.package-lock.json");
    let fresh = modified(&stamp)
        .zip(modified(&root.join("package-lock.json")))
        .is_some_and(|(a, b)| a >= b);
    let complete = ["wasm-opt", "playwright"]
        .iter()
        .all(|b| root.join("node_modules/.bin").join(b).exists());
    if !(fresh && complete) {
        run(command("npm", &["ci", "--no-audit", "--no-fund"])
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))?;
    }
    Ok(())
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).ok()?.modified().ok()
}

/// Debian's Chromium and ChromeDriver: installed with apt when running as root.
pub fn ensure_chromium() -> Result {
    if Path::new(CHROMIUM).exists() && Path::new("/usr/bin/chromedriver").exists() {
        return Ok(());
    }
    let uid = output(&mut command("id", &["-u"])).unwrap_or_default();
    if uid != "0" {
        return Err(
            "Chromium is missing. Install Debian's packages, then run again:\n  \
                    sudo apt-get install -y chromium chromium-driver"
                .into(),
        );
    }
    run(&mut command("apt-get", &["update"]))?;
    run(command(
        "apt-get",
        &[
            "install",
            "-y",
            "--no-install-recommends",
            "chromium",
            "chromium-driver",
        ],
    )
    .env("DEBIAN_FRONTEND", "noninteractive"))
}

pub const SCHEMATHESIS_VERSION: &str = "4.32.5";

/// Schemathesis (PyPI) in a virtual environment under `.tools/`; returns its executable.
pub fn ensure_schemathesis() -> Result<std::path::PathBuf> {
    let venv = root().join(".tools/venv");
    let exe = venv.join("bin/schemathesis");
    let version = output(&mut command(
        exe.to_str().unwrap_or_default(),
        &["--version"],
    ))
    .unwrap_or_default();
    if !version.ends_with(SCHEMATHESIS_VERSION) {
        run(&mut command(
            "python3",
            &["-m", "venv", venv.to_str().unwrap_or_default()],
        ))?;
        let pip = venv.join("bin/pip");
        let wanted = format!("schemathesis=={SCHEMATHESIS_VERSION}");
        run(&mut command(
            pip.to_str().unwrap_or_default(),
            &["install", "--quiet", &wanted],
        ))?;
    }
    Ok(exe)
}

pub const GEOREPORT_VERSION: &str = "0.3.1";

/// Python with `georeport` (a third-party Open311 client from PyPI) in the tools venv.
pub fn ensure_georeport() -> Result<std::path::PathBuf> {
    ensure_schemathesis()?;
    let python = root().join(".tools/venv/bin/python");
    let python_path = python.to_string_lossy().into_owned();
    let version = output(&mut command(
        &python_path,
        &["-c", "import georeport; print(georeport.__version__)"],
    ))
    .unwrap_or_default();
    if version != GEOREPORT_VERSION {
        let wanted = format!("georeport=={GEOREPORT_VERSION}");
        run(&mut command(
            &python_path,
            &["-m", "pip", "install", "--quiet", &wanted],
        ))?;
    }
    Ok(python)
}

pub const AIOSMTPD_VERSION: &str = "1.4.6";

/// Python with `aiosmtpd` (PyPI) in the tools venv: the loopback SMTP server the server's
/// email tests (`server/tests/email_updates.rs`) start and read.
pub fn ensure_aiosmtpd() -> Result<std::path::PathBuf> {
    let venv = root().join(".tools/venv");
    let python = venv.join("bin/python");
    let python_path = python.to_string_lossy().into_owned();
    if !python.exists() {
        run(&mut command(
            "python3",
            &["-m", "venv", venv.to_str().unwrap_or_default()],
        ))?;
    }
    let version = output(&mut command(
        &python_path,
        &["-c", "import aiosmtpd; print(aiosmtpd.__version__)"],
    ))
    .unwrap_or_default();
    if version != AIOSMTPD_VERSION {
        let wanted = format!("aiosmtpd=={AIOSMTPD_VERSION}");
        run(&mut command(
            &python_path,
            &["-m", "pip", "install", "--quiet", &wanted],
        ))?;
    }
    Ok(python)
}

pub const TWIGGY_VERSION: &str = "0.8.0";

/// twiggy, for the bench's list of the wasm's largest contributors.
pub fn ensure_twiggy() -> Result {
    let twiggy = output(&mut command("twiggy", &["--version"])).unwrap_or_default();
    if !twiggy.ends_with(&format!(" {TWIGGY_VERSION}")) {
        cargo_install("twiggy", TWIGGY_VERSION)?;
    }
    Ok(())
}
