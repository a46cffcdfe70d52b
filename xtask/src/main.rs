//! `cargo xtask <command>`: the project's only entry points.
//!
//! - `serve [--addr HOST:PORT]`: build the release app and run it with the reference server.
//! - `dev`: `trunk serve` with live reload, proxying `/api` to a reference server on :8080.
//! - `test`: fmt, clippy, host tests, release build, end-to-end tests in Chromium.
//! - `bench`: every entry route's first visit (bytes, Lighthouse, time to take a key) beside the
//!   floors, and the server under load.
//! - `load [--server BINARY] [--reports N] [--seconds S]`: only the server under load (also
//!   part of `bench`).
//! - `build [--debug]`: only the app into `dist/` (release unless `--debug`) and the server.
//!
//! Each command first installs whatever this machine lacks (see `tools.rs`).

mod bench;
mod build;
mod bundle;
mod cmd;
mod load;
mod serve;
mod split;
mod test;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

/// The workspace root (this crate lives in `xtask/`).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
        .to_owned()
}

pub type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve::serve(&args[1..]),
        Some("dev") => serve::dev(),
        Some("test") => test::test(),
        Some("bench") => bench::bench(),
        Some("load") => load::load(&args[1..]),
        Some("build") => build::build_all(args.get(1).map(String::as_str) != Some("--debug")),
        _ => {
            eprintln!(
                "usage: cargo xtask <serve [--addr HOST:PORT] | dev | test | bench | load | build [--debug]>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
