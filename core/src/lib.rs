//! Business rules shared by the Lapor Portal app (compiled to wasm) and its reference server.
//!
//! Everything here is pure Rust without `web-sys` or I/O, so every rule is tested on the host:
//! the API types ([`api`]), field validation ([`validation`]), tracking numbers and access codes
//! ([`tracking`]), the working-day calendar ([`calendar`]) and report statuses ([`status`]).

pub mod api;
pub mod calendar;
pub mod color;
pub mod date;
pub mod device_copy;
pub mod faq;
pub mod listing;
pub mod locale;
pub mod open311;
pub mod permissions;
pub mod privacy;
pub mod refusal;
pub mod retention;
pub mod status;
pub mod text;
pub mod tracking;
pub mod validation;
pub mod wire;
pub mod words;

pub use locale::Locale;
pub use status::Status;
