//! The reference backend of Lapor Portal: the native API under `/api/v1` on SQLite, the built
//! app with an SPA fallback, and the OpenAPI document that defines a compatible backend.

pub mod db;
pub mod problem;
pub mod rate_limit;
pub mod routes;
pub mod seed;
pub mod shell;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::{HeaderValue, Method, header};
use tower_http::cors::{AllowOrigin, CorsLayer};

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
    /// The sub-path the portal is served under (`/lapor`); empty for the site root.
    pub base_path: String,
    /// A `config.json` for the app that replaces the one in `static_dir`.
    pub app_config: Option<PathBuf>,
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
            base_path: String::new(),
            app_config: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Arc<Mutex<rusqlite::Connection>>,
    pub config: Arc<Config>,
    pub limiter: Arc<rate_limit::RateLimiter>,
}

impl AppState {
    pub fn new(conn: rusqlite::Connection, config: Config) -> AppState {
        let limiter = rate_limit::RateLimiter::new(config.write_burst, 1.0);
        AppState {
            db: Arc::new(Mutex::new(conn)),
            config: Arc::new(config),
            limiter: Arc::new(limiter),
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
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            header::HeaderName::from_static("idempotency-key"),
            header::HeaderName::from_static("x-access-code"),
        ])
        .expose_headers([header::RETRY_AFTER])
}

/// The whole HTTP application.
pub fn app(state: AppState) -> std::io::Result<Router> {
    let api = routes::api_router(state.clone()).layer(cors(&state.config.cors_origins));
    let open311 = routes::open311_router(state.clone()).layer(cors(&state.config.cors_origins));
    let router = Router::new()
        .nest(lapor_core::api::API_PREFIX, api)
        .nest("/open311/v2", open311);
    let base = shell::normalize_base(&state.config.base_path);
    let dist = state.config.static_dir.as_deref();
    shell::mount(router, dist, &base, state.config.app_config.clone())
}

/// Opens (and on first run creates and seeds) the database, then serves until Ctrl-C.
pub async fn run(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(&config.data_dir)?;
    let conn = db::open(&config.data_dir.join("lapor.sqlite3"))?;
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    let base = shell::normalize_base(&config.base_path);
    let state = AppState::new(conn, config);
    println!("Lapor Portal reference server listening on http://{addr}{base}/");
    axum::serve(
        listener,
        app(state)?.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
        println!("Shutting down.");
    })
    .await?;
    Ok(())
}
