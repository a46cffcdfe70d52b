//! Building the app (Trunk) and the reference server.

use std::path::PathBuf;

use crate::cmd::{command, run};
use crate::{Result, root, tools};

/// Builds the app into `dist/` (release: size-tuned wasm, wasm-opt -Oz).
pub fn build_app(release: bool) -> Result<PathBuf> {
    tools::ensure_build_tools()?;
    let mut args = vec!["build"];
    if release {
        args.push("--release");
    }
    // Trunk must never download a tool: everything is on the PATH `command` sets.
    run(command("trunk", &args).env("TRUNK_OFFLINE", "true"))?;
    Ok(root().join("dist"))
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
