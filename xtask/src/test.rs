//! `cargo xtask test`: every check, failing on the first failure, then the test counts.

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::build::{build_app, build_server};
use crate::cmd::{command, run};
use crate::{Result, tools};

#[derive(Default)]
struct Counts {
    passed: u64,
    failed: u64,
}

impl Counts {
    /// Reads `cargo test` ("test result: ok. 3 passed; 0 failed; …") and Playwright
    /// ("  12 passed (3.1s)") summary lines.
    fn add_line(&mut self, line: &str) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("test result: ") {
            for part in rest.split([';', '.']) {
                let mut words = part.split_whitespace();
                if let (Some(n), Some(kind)) = (words.next(), words.next()) {
                    self.count(n, kind);
                }
            }
        } else if let Some((n, rest)) = line.split_once(' ') {
            let kind = match rest.split_once(' ') {
                None => rest,
                Some((kind, tail)) if tail.starts_with('(') && tail.ends_with(')') => kind,
                Some(_) => return,
            };
            self.count(n, kind);
        }
    }

    fn count(&mut self, n: &str, kind: &str) {
        let Ok(n) = n.parse::<u64>() else { return };
        match kind {
            "passed" => self.passed += n,
            "failed" => self.failed += n,
            _ => {}
        }
    }
}

/// Runs a test command, echoing its output and adding up its summary lines.
fn run_counted(cmd: &mut Command, counts: &mut Counts) -> Result {
    println!("$ {}", format!("{cmd:?}").replace('"', ""));
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start {cmd:?}: {e}"))?;
    let stdout = child.stdout.take().expect("piped");
    for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
        println!("{line}");
        counts.add_line(&line);
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed ({status})"))
    }
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

/// The reference server on a free port with a throw-away database; killed when dropped.
pub struct TestServer {
    child: Child,
    pub url: String,
    data: std::path::PathBuf,
    /// A temporary folder (of an `--app-config` file, or a copy of `dist`), removed with the
    /// server.
    config_dir: Option<std::path::PathBuf>,
}

impl TestServer {
    /// `extra` are further flags, e.g. `--base-path /lapor/` or `--app-config FILE`.
    pub fn start(
        binary: &Path,
        dist: &Path,
        admin_token: &str,
        extra: &[&str],
    ) -> Result<TestServer> {
        let port = free_port()?;
        let data = std::env::temp_dir().join(format!("lapor-e2e-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data);
        let child = Command::new(binary)
            .args(["--addr", &format!("127.0.0.1:{port}"), "--static"])
            .arg(dist)
            .arg("--data")
            .arg(&data)
            .args(extra)
            .env("LAPOR_ADMIN_TOKEN", admin_token)
            .env("LAPOR_OPEN311_API_KEY", open311_api_key(admin_token))
            .env("LAPOR_WRITE_BURST", "1000")
            .env("LAPOR_LOOKUP_BURST", "1000")
            .spawn()
            .map_err(|e| format!("could not start the server: {e}"))?;
        let server = TestServer {
            child,
            url: format!("http://127.0.0.1:{port}"),
            data,
            config_dir: None,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err("the server did not start within 60 s".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(server)
    }

    /// A server whose app reads `config_json` as its `config.json` (`--app-config`); the
    /// file lives in a temporary folder removed with the server's data.
    pub fn with_app_config(
        binary: &Path,
        dist: &Path,
        admin_token: &str,
        name: &str,
        config_json: &str,
    ) -> Result<TestServer> {
        let dir = std::env::temp_dir().join(format!("lapor-e2e-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let file = dir.join("config.json");
        std::fs::write(&file, config_json).map_err(|e| e.to_string())?;
        let arg = file.to_string_lossy().into_owned();
        let mut server = TestServer::start(binary, dist, admin_token, &["--app-config", &arg])?;
        server.config_dir = Some(dir);
        Ok(server)
    }

    /// A server on a copy of `dist` (in a temporary folder removed with the server), which a
    /// test may change while it runs.
    pub fn on_copy_of(
        binary: &Path,
        dist: &Path,
        admin_token: &str,
        name: &str,
    ) -> Result<TestServer> {
        let dir = std::env::temp_dir().join(format!("lapor-e2e-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let copy = dir.join("dist");
        run(Command::new("cp").arg("-R").arg(dist).arg(&copy))?;
        let mut server = TestServer::start(binary, &copy, admin_token, &[])?;
        server.config_dir = Some(dir);
        Ok(server)
    }

    /// The copied `dist` of [`TestServer::on_copy_of`].
    pub fn dist_copy(&self) -> Result<std::path::PathBuf> {
        self.config_dir
            .as_ref()
            .map(|dir| dir.join("dist"))
            .ok_or_else(|| "this server serves no copy".into())
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data);
        if let Some(dir) = &self.config_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// The api_key of the test servers' Open311 dialect.
fn open311_api_key(admin_token: &str) -> String {
    format!("{admin_token}-open311")
}

/// The Open311 dialect through a client we did not write (`end2end/open311_client.py`).
fn open311_client(server: &TestServer, admin_token: &str, counts: &mut Counts) -> Result {
    let python = tools::ensure_georeport()?;
    run_counted(
        Command::new(python).current_dir(crate::root()).args([
            "end2end/open311_client.py",
            &server.url,
            &open311_api_key(admin_token),
        ]),
        counts,
    )
}

/// The server against its own OpenAPI document: Schemathesis generates requests from the
/// schema and checks every answer (status codes, content types, schemas, no 5xx).
fn conformance(server: &TestServer, admin_token: &str) -> Result {
    let schemathesis = tools::ensure_schemathesis()?;
    let seed = std::env::var("LAPOR_FUZZ_SEED").unwrap_or_else(|_| "20261128".into());
    let url = format!("{}/api/v1", server.url);
    let auth = format!("Authorization: Bearer {admin_token}");
    run(Command::new(schemathesis)
        .current_dir(crate::root())
        .args([
            "run",
            "server/openapi.json",
            "--url",
            &url,
            "--checks",
            "all",
        ])
        // Valid-by-schema is not always valid by our rules (dates, known regions): not a bug.
        .args(["--exclude-checks", "positive_data_acceptance"])
        .args([
            "--max-examples",
            "40",
            "--seed",
            &seed,
            "--no-color",
            "-H",
            &auth,
        ]))
}

pub fn test() -> Result {
    let started = Instant::now();
    tools::ensure_build_tools()?;
    tools::ensure_chromium()?;
    // The loopback SMTP server of the server's email tests, before `cargo test` runs them.
    tools::ensure_aiosmtpd()?;
    let mut counts = Counts::default();

    run(&mut command("cargo", &["fmt", "--all", "--", "--check"]))?;
    run(&mut command(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ))?;
    run(&mut command(
        "cargo",
        &[
            "clippy",
            "--package",
            "lapor-portal",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ],
    ))?;
    run_counted(&mut command("cargo", &["test", "--workspace"]), &mut counts)?;

    let dist = build_app(true)?;
    crate::split::check_reproducible(&dist)?;
    let server_bin = build_server(false)?;
    let admin_token = format!(
        "e2e-{}-{}",
        std::process::id(),
        started.elapsed().as_nanos()
    );
    // The demo host page of the embedding tests runs on its own origin; the portal is told
    // to accept it as a parent through a test config.json.
    let embed_host_port = free_port()?;
    let server = TestServer::with_app_config(
        &server_bin,
        &dist,
        &admin_token,
        "embed",
        &format!(
            r#"{{"api_base": "api/v1", "embed": {{"allowed_parents": ["http://127.0.0.1:{embed_host_port}"]}}}}"#
        ),
    )?;
    let sub_path = TestServer::start(
        &server_bin,
        &dist,
        &admin_token,
        &["--base-path", "/lapor/"],
    )?;
    // The same build configured for the Open311 dialect, talking to the server's /open311/v2.
    let open311 = TestServer::with_app_config(
        &server_bin,
        &dist,
        &admin_token,
        "open311",
        &format!(
            r#"{{"api_base": "open311/v2", "dialect": "open311", "open311": {{"api_key": "{}"}}}}"#,
            open311_api_key(&admin_token)
        ),
    )?;
    // A server on a copy of the build that `deploy.spec.ts` changes under it, as a deploy does.
    let deploy = TestServer::on_copy_of(&server_bin, &dist, &admin_token, "deploy")?;
    let playwright = [
        "playwright",
        "test",
        "--config",
        "end2end/playwright.config.ts",
        "--reporter",
        "list",
    ];
    run_counted(
        command("npx", &playwright)
            .env("BASE_URL", &server.url)
            .env("SUBPATH_URL", format!("{}/lapor", sub_path.url))
            .env("OPEN311_URL", &open311.url)
            .env("DEPLOY_URL", &deploy.url)
            .env("DEPLOY_DIST", deploy.dist_copy()?)
            .env("DEPLOY_ORIGINAL", &dist)
            .env("EMBED_HOST_PORT", embed_host_port.to_string())
            .env("ADMIN_TOKEN", &admin_token)
            .env("CHROMIUM_PATH", tools::CHROMIUM),
        &mut counts,
    )?;
    conformance(&server, &admin_token)?;
    open311_client(&server, &admin_token, &mut counts)?;
    drop((server, sub_path, open311, deploy));

    println!(
        "\nAll checks passed in {:.0} s.",
        started.elapsed().as_secs_f64()
    );
    println!("{} passed, {} failed", counts.passed, counts.failed);
    if counts.failed > 0 || counts.passed == 0 {
        return Err("some tests failed or none ran".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_up_cargo_and_playwright_summaries() {
        let mut c = Counts::default();
        c.add_line("test result: ok. 29 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.19s");
        c.add_line(
            "test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out",
        );
        c.add_line("  12 passed (31.2s)");
        c.add_line("  1 failed");
        c.add_line("    [chromium] › smoke.spec.ts:3:1 › 2 passed things are not counted here");
        assert_eq!((c.passed, c.failed), (44, 3));
    }
}
