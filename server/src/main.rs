//! `lapor-server [--addr HOST:PORT] [--data DIR] [--static DIR] [--cors ORIGIN,…]`
//!
//! Every flag has a `LAPOR_*` environment variable; the admin token comes only from the
//! environment (`LAPOR_ADMIN_TOKEN`) so that it never shows in a process list.

use std::path::PathBuf;

use lapor_server::Config;

fn usage() -> ! {
    eprintln!(
        "usage: lapor-server [--addr HOST:PORT] [--data DIR] [--static DIR] [--cors ORIGIN,...] \
         [--write-burst N] [--base-path /PATH] [--app-config FILE]\n\
         env: LAPOR_ADDR, LAPOR_DATA_DIR, LAPOR_STATIC_DIR, LAPOR_CORS_ORIGINS, \
         LAPOR_WRITE_BURST, LAPOR_BASE_PATH, LAPOR_APP_CONFIG, LAPOR_ADMIN_TOKEN, LAPOR_OPEN311_API_KEY"
    );
    std::process::exit(2)
}

fn parse_config() -> Config {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let mut config = Config::default();
    let set = |config: &mut Config, flag: &str, value: String| match flag {
        "--addr" => config.addr = value.parse().unwrap_or_else(|_| usage()),
        "--data" => config.data_dir = PathBuf::from(value),
        "--static" => config.static_dir = Some(PathBuf::from(value)),
        "--cors" => {
            config.cors_origins = value
                .split(',')
                .map(|o| o.trim().to_owned())
                .filter(|o| !o.is_empty())
                .collect()
        }
        "--write-burst" => config.write_burst = value.parse().unwrap_or_else(|_| usage()),
        "--base-path" => config.base_path = value,
        "--app-config" => config.app_config = Some(PathBuf::from(value)),
        _ => usage(),
    };
    for (flag, var) in [
        ("--addr", "LAPOR_ADDR"),
        ("--data", "LAPOR_DATA_DIR"),
        ("--static", "LAPOR_STATIC_DIR"),
        ("--cors", "LAPOR_CORS_ORIGINS"),
        ("--write-burst", "LAPOR_WRITE_BURST"),
        ("--base-path", "LAPOR_BASE_PATH"),
        ("--app-config", "LAPOR_APP_CONFIG"),
    ] {
        if let Some(value) = env(var) {
            set(&mut config, flag, value);
        }
    }
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            usage();
        }
        let value = args.next().unwrap_or_else(|| usage());
        set(&mut config, &flag, value);
    }
    config.admin_token = env("LAPOR_ADMIN_TOKEN");
    config.open311_api_key = env("LAPOR_OPEN311_API_KEY");
    config
}

#[tokio::main]
async fn main() {
    if let Err(err) = lapor_server::run(parse_config()).await {
        eprintln!("lapor-server: {err}");
        std::process::exit(1);
    }
}
