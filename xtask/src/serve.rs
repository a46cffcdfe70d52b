//! `cargo xtask serve` and `cargo xtask dev`.

use std::os::unix::process::CommandExt;

use crate::build::{build_app, build_server};
use crate::cmd::{command, run};
use crate::{Result, root};

const DEFAULT_ADDR: &str = "127.0.0.1:8080";

fn addr_from(args: &[String]) -> Result<String> {
    match args {
        [] => Ok(std::env::var("LAPOR_ADDR").unwrap_or_else(|_| DEFAULT_ADDR.into())),
        [flag, addr] if flag == "--addr" => Ok(addr.clone()),
        _ => Err("usage: cargo xtask serve [--addr HOST:PORT]   (or set LAPOR_ADDR)".into()),
    }
}

/// Builds the release app and replaces this process with the reference server serving it and
/// the API from one origin; Ctrl-C reaches the server directly and stops it cleanly.
pub fn serve(args: &[String]) -> Result {
    let addr = addr_from(args)?;
    let dist = build_app(true)?;
    let server = build_server(true)?;
    let data = root().join("data");
    println!("Portal: http://{addr}/   (data in {})", data.display());
    let err = std::process::Command::new(server)
        .args(["--addr", &addr, "--static"])
        .arg(&dist)
        .arg("--data")
        .arg(&data)
        .exec();
    Err(format!("could not start the server: {err}"))
}

/// Live reload: the reference server on :8080 in the background, `trunk serve` in front.
pub fn dev() -> Result {
    crate::tools::ensure_build_tools()?;
    let server = build_server(false)?;
    let mut child = std::process::Command::new(server)
        .args(["--addr", DEFAULT_ADDR, "--data"])
        .arg(root().join("data"))
        .env("LAPOR_CORS_ORIGINS", "http://127.0.0.1:8081")
        .spawn()
        .map_err(|e| format!("could not start the server: {e}"))?;
    println!("Portal with live reload: http://127.0.0.1:8081/");
    let result = run(command("trunk", &["serve"]).env("TRUNK_OFFLINE", "true"));
    let _ = child.kill();
    let _ = child.wait();
    result
}
