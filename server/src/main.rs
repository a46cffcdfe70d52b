//! `lapor-server [--addr HOST:PORT] [--data DIR] [--static DIR] [--cors ORIGIN,…] …`
//!
//! Every flag has a `LAPOR_*` environment variable (flags win); the admin token comes only
//! from the environment (`LAPOR_ADMIN_TOKEN`) so that it never shows in a process list. A
//! setting that cannot be used stops the server at once with a message naming it.

use std::path::PathBuf;
use std::time::Duration;

use ipnet::IpNet;
use lapor_server::Config;

const USAGE: &str = "usage: lapor-server [--addr HOST:PORT] [--data DIR] [--static DIR] \
[--cors ORIGIN,...] [--write-burst N] [--lookup-burst N] [--trusted-proxy CIDR,...] \
[--header-timeout SECONDS] [--body-timeout SECONDS] [--idle-timeout SECONDS] \
[--max-connections N] [--upload-bytes-in-flight BYTES] [--upload-bytes-in-flight-per-client BYTES] \
[--upload-daily-bytes BYTES] [--upload-daily-files N] [--min-free-disk BYTES] \
[--base-path /PATH] [--app-config FILE]
env: LAPOR_ADDR, LAPOR_DATA_DIR, LAPOR_STATIC_DIR, LAPOR_CORS_ORIGINS, LAPOR_WRITE_BURST, \
LAPOR_LOOKUP_BURST, LAPOR_TRUSTED_PROXIES, LAPOR_HEADER_TIMEOUT, LAPOR_BODY_TIMEOUT, \
LAPOR_IDLE_TIMEOUT, LAPOR_MAX_CONNECTIONS, LAPOR_UPLOAD_BYTES_IN_FLIGHT, \
LAPOR_UPLOAD_BYTES_IN_FLIGHT_PER_CLIENT, LAPOR_UPLOAD_DAILY_BYTES, LAPOR_UPLOAD_DAILY_FILES, \
LAPOR_MIN_FREE_DISK, LAPOR_BASE_PATH, LAPOR_APP_CONFIG, LAPOR_ADMIN_TOKEN, \
LAPOR_OPEN311_API_KEY, and for updates by email LAPOR_PUBLIC_URL, LAPOR_SMTP_HOST, \
LAPOR_SMTP_PORT, LAPOR_SMTP_FROM, LAPOR_SMTP_USER, LAPOR_SMTP_PASSWORD, LAPOR_SMTP_TLS, \
LAPOR_MAIL_SECRET, LAPOR_MAIL_RETRY";

/// Every flag and its environment variable.
const SETTINGS: [(&str, &str); 19] = [
    ("--addr", "LAPOR_ADDR"),
    ("--data", "LAPOR_DATA_DIR"),
    ("--static", "LAPOR_STATIC_DIR"),
    ("--cors", "LAPOR_CORS_ORIGINS"),
    ("--write-burst", "LAPOR_WRITE_BURST"),
    ("--lookup-burst", "LAPOR_LOOKUP_BURST"),
    ("--trusted-proxy", "LAPOR_TRUSTED_PROXIES"),
    ("--header-timeout", "LAPOR_HEADER_TIMEOUT"),
    ("--body-timeout", "LAPOR_BODY_TIMEOUT"),
    ("--idle-timeout", "LAPOR_IDLE_TIMEOUT"),
    ("--max-connections", "LAPOR_MAX_CONNECTIONS"),
    ("--upload-bytes-in-flight", "LAPOR_UPLOAD_BYTES_IN_FLIGHT"),
    (
        "--upload-bytes-in-flight-per-client",
        "LAPOR_UPLOAD_BYTES_IN_FLIGHT_PER_CLIENT",
    ),
    ("--upload-daily-bytes", "LAPOR_UPLOAD_DAILY_BYTES"),
    ("--upload-daily-files", "LAPOR_UPLOAD_DAILY_FILES"),
    ("--min-free-disk", "LAPOR_MIN_FREE_DISK"),
    ("--base-path", "LAPOR_BASE_PATH"),
    ("--app-config", "LAPOR_APP_CONFIG"),
    ("--help", ""),
];

/// A count between `min` and `max`.
fn count(value: &str, min: u64, max: u64) -> Result<u64, String> {
    match value.trim().parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!("expected a whole number from {min} to {max}")),
    }
}

/// Seconds, fractions allowed (`0.5`), more than zero and at most a day.
fn seconds(value: &str) -> Result<Duration, String> {
    match value.trim().parse::<f64>() {
        Ok(s) if s > 0.0 && s <= 86_400.0 => Ok(Duration::from_secs_f64(s)),
        _ => Err("expected seconds, more than 0 and at most 86400 (e.g. 10 or 0.5)".into()),
    }
}

/// Bytes, with an optional binary suffix: `1048576`, `512K`, `64M`, `1G`.
fn bytes(value: &str) -> Result<u64, String> {
    let value = value.trim();
    let (digits, unit) = match value.char_indices().last() {
        Some((at, c)) if c.is_ascii_alphabetic() => (&value[..at], c.to_ascii_uppercase()),
        _ => (value, 'B'),
    };
    let multiplier: u64 = match unit {
        'B' => 1,
        'K' => 1 << 10,
        'M' => 1 << 20,
        'G' => 1 << 30,
        _ => return Err("expected bytes, e.g. 33554432 or 32M (suffixes K, M, G)".into()),
    };
    match digits
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(multiplier))
    {
        Some(n) if n > 0 => Ok(n),
        _ => Err("expected bytes, more than 0, e.g. 33554432 or 32M (suffixes K, M, G)".into()),
    }
}

/// A comma-separated list with blanks dropped.
fn list(value: &str) -> Vec<&str> {
    value
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect()
}

/// A browser origin as it appears in an `Origin` header: `https://host[:port]`, nothing more.
fn origin(value: &str) -> Result<String, String> {
    let bad = || {
        format!(
            "`{value}` is not an origin: write scheme://host[:port] with no path, e.g. https://kendalkab.go.id"
        )
    };
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .ok_or_else(bad)?;
    let host_ok = !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c));
    if !host_ok || rest.starts_with(':') || rest.ends_with(':') {
        return Err(bad());
    }
    Ok(value.to_ascii_lowercase())
}

/// A CIDR (`10.0.0.0/8`, `2001:db8::/32`) or a single address.
fn network(value: &str) -> Result<IpNet, String> {
    value
        .parse::<IpNet>()
        .map(|net| net.trunc())
        .or_else(|_| value.parse::<std::net::IpAddr>().map(IpNet::from))
        .map_err(|_| {
            format!("`{value}` is not an address or CIDR like 10.0.0.0/8 or 2001:db8::/32")
        })
}

/// Applies one setting; `Err` says what is wrong with the value.
fn set(config: &mut Config, flag: &str, value: &str) -> Result<(), String> {
    match flag {
        "--addr" => {
            config.addr = value.trim().parse().map_err(|_| {
                "expected HOST:PORT with a numeric address, e.g. 0.0.0.0:8080 or [::]:8080"
                    .to_owned()
            })?
        }
        "--data" => config.data_dir = PathBuf::from(value),
        "--static" => config.static_dir = Some(PathBuf::from(value)),
        "--cors" => {
            config.cors_origins = list(value)
                .into_iter()
                .map(origin)
                .collect::<Result<_, _>>()?
        }
        "--write-burst" => config.write_burst = count(value, 1, 1_000_000)? as u32,
        "--lookup-burst" => config.lookup_burst = count(value, 1, 1_000_000)? as u32,
        "--trusted-proxy" => {
            config.trusted_proxies = list(value)
                .into_iter()
                .map(network)
                .collect::<Result<_, _>>()?
        }
        "--header-timeout" => config.header_timeout = seconds(value)?,
        "--body-timeout" => config.body_timeout = seconds(value)?,
        "--idle-timeout" => config.idle_timeout = seconds(value)?,
        "--max-connections" => config.max_connections = count(value, 1, 1_000_000)? as usize,
        "--upload-bytes-in-flight" => config.upload_bytes_in_flight = bytes(value)?,
        "--upload-bytes-in-flight-per-client" => {
            config.upload_bytes_in_flight_per_client = bytes(value)?
        }
        "--upload-daily-bytes" => config.upload_daily_bytes = bytes(value)?,
        "--upload-daily-files" => config.upload_daily_files = count(value, 1, 1_000_000)? as u32,
        "--min-free-disk" => config.min_free_disk_bytes = bytes(value)?,
        "--base-path" => config.base_path = value.to_owned(),
        "--app-config" => config.app_config = Some(PathBuf::from(value)),
        _ => return Err("unknown setting".into()),
    }
    Ok(())
}

/// The configuration from the environment, then the flags; `Err` is the message to print.
fn parse_config(
    env: impl Fn(&str) -> Option<String>,
    args: impl IntoIterator<Item = String>,
) -> Result<Config, String> {
    let mut config = Config::default();
    for (flag, var) in SETTINGS.iter().filter(|(_, var)| !var.is_empty()) {
        if let Some(value) = env(var) {
            set(&mut config, flag, &value).map_err(|why| format!("{var}={value:?}: {why}"))?;
        }
    }
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            return Err(String::new());
        }
        if !SETTINGS.iter().any(|(known, _)| *known == flag) {
            return Err(format!("{flag}: unknown flag"));
        }
        let value = args
            .next()
            .ok_or_else(|| format!("{flag}: a value is missing"))?;
        set(&mut config, &flag, &value).map_err(|why| format!("{flag} {value:?}: {why}"))?;
    }
    config.admin_token = env("LAPOR_ADMIN_TOKEN");
    config.open311_api_key = env("LAPOR_OPEN311_API_KEY");
    config.mail = lapor_server::mail::settings_from_env(&env)?;
    Ok(config)
}

/// The hidden `--seed-bench N` (with `--data DIR`): fill the database with `N` synthetic
/// reports for the list benchmark, then exit. Taken out of `args`; `Err` names a bad count.
fn take_seed_bench(args: &mut Vec<String>) -> Result<Option<u64>, String> {
    let Some(at) = args.iter().position(|a| a == "--seed-bench") else {
        return Ok(None);
    };
    args.remove(at);
    if at >= args.len() {
        return Err("--seed-bench: a value is missing".into());
    }
    let value = args.remove(at);
    count(&value, 1, 10_000_000)
        .map(Some)
        .map_err(|why| format!("--seed-bench {value:?}: {why}"))
}

#[tokio::main]
async fn main() {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let seed_bench = take_seed_bench(&mut args).unwrap_or_else(|why| {
        eprintln!("lapor-server: {why}");
        std::process::exit(2)
    });
    let config = match parse_config(env, args) {
        Ok(config) => config,
        Err(why) if why.is_empty() => {
            println!("{USAGE}");
            return;
        }
        Err(why) => {
            eprintln!("lapor-server: {why}\n{USAGE}");
            std::process::exit(2)
        }
    };
    if let Some(n) = seed_bench {
        let path = config.data_dir.join("lapor.sqlite3");
        let started = std::time::Instant::now();
        let seeded = std::fs::create_dir_all(&config.data_dir)
            .map_err(|e| e.to_string())
            .and_then(|()| {
                lapor_server::storage::bench_seed::fill(&path, n).map_err(|e| e.to_string())
            });
        match seeded {
            Ok(total) => println!(
                "Seeded {n} synthetic reports in {:.1} s; {} holds {total}.",
                started.elapsed().as_secs_f64(),
                path.display()
            ),
            Err(err) => {
                eprintln!("lapor-server: --seed-bench: {err}");
                std::process::exit(1);
            }
        }
        return;
    }
    if let Err(err) = lapor_server::run(config).await {
        eprintln!("lapor-server: {err}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(env: &[(&str, &str)], args: &[&str]) -> Result<Config, String> {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        parse_config(
            |name| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()),
            args.iter().map(|a| a.to_string()),
        )
    }

    #[test]
    fn the_bench_seed_count_is_taken_out_of_the_flags() {
        let mut args: Vec<String> = ["--data", "/tmp/x", "--seed-bench", "100000"]
            .iter()
            .map(|a| a.to_string())
            .collect();
        assert_eq!(take_seed_bench(&mut args), Ok(Some(100_000)));
        assert_eq!(args, ["--data", "/tmp/x"]);
        assert_eq!(take_seed_bench(&mut args), Ok(None));
        let mut bad = vec!["--seed-bench".to_owned(), "many".to_owned()];
        let err = take_seed_bench(&mut bad).unwrap_err();
        assert!(
            err.starts_with("--seed-bench \"many\": expected a whole number"),
            "{err}"
        );
        let mut missing = vec!["--seed-bench".to_owned()];
        assert_eq!(
            take_seed_bench(&mut missing).unwrap_err(),
            "--seed-bench: a value is missing"
        );
    }

    #[test]
    fn bad_settings_are_named_with_the_reason() {
        let err = parse(&[], &["--header-timeout", "soon"]).unwrap_err();
        assert!(
            err.starts_with("--header-timeout \"soon\": expected seconds"),
            "{err}"
        );
        let err = parse(&[("LAPOR_MAX_CONNECTIONS", "0")], &[]).unwrap_err();
        assert!(
            err.starts_with("LAPOR_MAX_CONNECTIONS=\"0\": expected a whole number"),
            "{err}"
        );
        let err = parse(&[], &["--cors", "https://ok.example,kendalkab.go.id"]).unwrap_err();
        assert!(err.contains("`kendalkab.go.id` is not an origin"), "{err}");
        let err = parse(&[], &["--cors", "https://kendalkab.go.id/"]).unwrap_err();
        assert!(err.contains("no path"), "{err}");
        let err = parse(&[], &["--trusted-proxy", "10.0.0.0/33"]).unwrap_err();
        assert!(err.starts_with("--trusted-proxy"), "{err}");
        let err = parse(&[], &["--addr", "localhost"]).unwrap_err();
        assert!(err.contains("HOST:PORT"), "{err}");
        assert_eq!(
            parse(&[], &["--write-burst"]).unwrap_err(),
            "--write-burst: a value is missing"
        );
        assert_eq!(
            parse(&[], &["--bogus", "1"]).unwrap_err(),
            "--bogus: unknown flag"
        );
        let err = parse(&[], &["--upload-bytes-in-flight", "12X"]).unwrap_err();
        assert!(err.contains("suffixes K, M, G"), "{err}");
    }

    #[test]
    fn good_settings_are_read_and_flags_win_over_the_environment() {
        let config = parse(
            &[("LAPOR_WRITE_BURST", "5"), ("LAPOR_IDLE_TIMEOUT", "2")],
            &[
                "--write-burst",
                "7",
                "--trusted-proxy",
                "10.0.0.1/8, 2001:db8::/32 ,192.0.2.9",
                "--body-timeout",
                "0.5",
                "--upload-bytes-in-flight-per-client",
                "16M",
                "--cors",
                "https://Kendalkab.go.id,http://127.0.0.1:8081",
            ],
        )
        .unwrap();
        assert_eq!(config.write_burst, 7);
        assert_eq!(config.idle_timeout, Duration::from_secs(2));
        assert_eq!(config.body_timeout, Duration::from_millis(500));
        assert_eq!(config.upload_bytes_in_flight_per_client, 16 << 20);
        let proxies: Vec<String> = config
            .trusted_proxies
            .iter()
            .map(|n| n.to_string())
            .collect();
        assert_eq!(proxies, ["10.0.0.0/8", "2001:db8::/32", "192.0.2.9/32"]);
        assert_eq!(
            config.cors_origins,
            ["https://kendalkab.go.id", "http://127.0.0.1:8081"]
        );
    }
}
