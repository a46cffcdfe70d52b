//! The reference backend of Lapor Portal: the native API under `/api/v1` on SQLite, the built
//! app with an SPA fallback, and the OpenAPI document that defines a compatible backend.

pub mod db;
pub mod housekeeping;
pub mod idempotency;
pub mod mail;
pub mod problem;
pub mod quota;
pub mod rate_limit;
pub mod routes;
pub mod scrub;
pub mod secrets;
pub mod seed;
pub mod serve;
pub mod shell;
pub mod storage;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderValue, Method, header};
use ipnet::IpNet;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;

/// Everything the server is told at start-up, from flags and `LAPOR_*` environment variables.
#[derive(Clone, Debug)]
pub struct Config {
    pub addr: SocketAddr,
    /// The folder of the SQLite database, created on first run.
    pub data_dir: PathBuf,
    /// The built app (Trunk's `dist/`); `None` serves the API only.
    pub static_dir: Option<PathBuf>,
    /// Origins allowed to call the API from a browser (portals embedded elsewhere).
    pub cors_origins: Vec<String>,
    /// Bearer token of the admin API; `None` disables it.
    pub admin_token: Option<String>,
    /// The api_key Open311 clients send with `POST requests`; `None` disables posting there.
    pub open311_api_key: Option<String>,
    /// Write requests one client may burst before 429, refilled at one per second.
    pub write_burst: u32,
    /// Tracking-number lookups one client may burst before 429, refilled at one per second.
    pub lookup_burst: u32,
    /// Proxies whose `X-Forwarded-For`/`Forwarded` name the client; nobody else's are read.
    pub trusted_proxies: Vec<IpNet>,
    /// A client must send its request headers within this time.
    pub header_timeout: Duration,
    /// A request, body included, must be received (and answered) within this time.
    pub body_timeout: Duration,
    /// A connection with no bytes moving either way for this long is closed.
    pub idle_timeout: Duration,
    /// Connections served at once; more wait in the listen queue.
    pub max_connections: usize,
    /// Upload bytes being received at once, server-wide and per client.
    pub upload_bytes_in_flight: u64,
    pub upload_bytes_in_flight_per_client: u64,
    /// Bytes one client may upload per UTC day before 429.
    pub upload_daily_bytes: u64,
    /// Files one client may upload per UTC day before 429.
    pub upload_daily_files: u32,
    /// Uploads and new reports get 507 while the data folder's disk has less free space.
    pub min_free_disk_bytes: u64,
    /// The sub-path the portal is served under (`/lapor`); empty for the site root.
    pub base_path: String,
    /// A `config.json` for the app that replaces the one in `static_dir`.
    pub app_config: Option<PathBuf>,
    /// Updates by email (`LAPOR_SMTP_*`, `LAPOR_PUBLIC_URL`); off unless an SMTP host is set.
    pub mail: mail::MailSettings,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            static_dir: None,
            cors_origins: Vec::new(),
            admin_token: None,
            open311_api_key: None,
            write_burst: 30,
            lookup_burst: 60,
            trusted_proxies: Vec::new(),
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(60),
            max_connections: 512,
            upload_bytes_in_flight: 256 * 1024 * 1024,
            upload_bytes_in_flight_per_client: 32 * 1024 * 1024,
            upload_daily_bytes: 250 * 1024 * 1024,
            upload_daily_files: 100,
            min_free_disk_bytes: 256 * 1024 * 1024,
            base_path: String::new(),
            app_config: None,
            mail: mail::MailSettings::default(),
        }
    }
}

/// Every limit the server keeps per client, one per purpose.
pub struct Limits {
    /// Reports, replies, ratings, uploads.
    pub writes: rate_limit::RateLimiter,
    /// Tracking numbers looked up (native and Open311).
    pub lookups: rate_limit::RateLimiter,
    /// Wrong access codes, admin tokens and Open311 api_keys.
    pub secrets: rate_limit::SecretGuard,
    /// Upload bytes being received.
    pub uploads: Arc<rate_limit::UploadBudget>,
    /// Files and bytes uploaded today.
    pub daily_uploads: quota::DailyUploads,
}

impl Limits {
    pub fn new(config: &Config) -> Limits {
        Limits {
            writes: rate_limit::RateLimiter::new(config.write_burst, 1.0),
            lookups: rate_limit::RateLimiter::new(config.lookup_burst, 1.0),
            secrets: rate_limit::SecretGuard::default(),
            uploads: Arc::new(rate_limit::UploadBudget::new(
                config.upload_bytes_in_flight,
                config.upload_bytes_in_flight_per_client,
            )),
            daily_uploads: quota::DailyUploads::new(
                config.upload_daily_bytes,
                config.upload_daily_files,
            ),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Arc<Mutex<rusqlite::Connection>>,
    pub config: Arc<Config>,
    pub limits: Arc<Limits>,
    /// Region search's recent answers (`routes::RegionAnswers`).
    pub region_answers: Arc<routes::RegionAnswers>,
}

impl AppState {
    pub fn new(conn: rusqlite::Connection, config: Config) -> AppState {
        AppState {
            db: Arc::new(Mutex::new(conn)),
            limits: Arc::new(Limits::new(&config)),
            config: Arc::new(config),
            region_answers: Arc::default(),
        }
    }

    /// Runs `f` with the database on a blocking thread; all writes are serialised here.
    pub async fn with_db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut rusqlite::Connection) -> T + Send + 'static,
    ) -> T {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = db.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            f(&mut conn)
        })
        .await
        .expect("database task panicked")
    }
}

fn cors(origins: &[String]) -> CorsLayer {
    let allowed: Vec<HeaderValue> = origins.iter().filter_map(|o| o.parse().ok()).collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(allowed))
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([
            header::CONTENT_TYPE,
            header::HeaderName::from_static(lapor_core::api::headers::IDEMPOTENCY_KEY),
            header::HeaderName::from_static(lapor_core::api::headers::ACCESS_CODE),
            header::HeaderName::from_static(lapor_core::api::headers::UPLOAD_KEY),
        ])
        .expose_headers([header::RETRY_AFTER])
}

/// `X-Content-Type-Options: nosniff` on every answer of the API and Open311: a JSON answer
/// is never run as a script or shown as a page.
fn nosniff() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    )
}

/// The whole HTTP application.
pub fn app(state: AppState) -> std::io::Result<Router> {
    let api = routes::api_router(state.clone())
        .layer(cors(&state.config.cors_origins))
        .layer(nosniff());
    let open311 = routes::open311_router(state.clone())
        .layer(cors(&state.config.cors_origins))
        .layer(nosniff());
    let router = Router::new()
        .nest(lapor_core::api::API_PREFIX, api)
        .nest("/open311/v2", open311);
    let base = shell::normalize_base(&state.config.base_path);
    let dist = state.config.static_dir.as_deref();
    let router = shell::mount(router, dist, &base, state.config.app_config.clone())?;
    Ok(router.layer(axum::middleware::from_fn_with_state(
        state.config.body_timeout,
        serve::request_deadline,
    )))
}

/// Opens (and on first run creates and seeds) the database, then serves until Ctrl-C or
/// SIGTERM, letting requests in progress finish.
pub async fn run(mut config: Config) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(&config.data_dir)?;
    mail::load_secret(&mut config.mail, &config.data_dir)?;
    let conn = db::open(&config.data_dir.join("lapor.sqlite3"))?;
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    let base = shell::normalize_base(&config.base_path);
    let state = AppState::new(conn, config);
    println!("Lapor Portal reference server listening on http://{addr}{base}/");
    let router = app(state.clone())?;
    housekeeping::start(&state);
    mail::sender::start(&state);
    serve::serve(listener, router, &state.config, serve::shutdown_signal()).await;
    println!("Stopped.");
    Ok(())
}
