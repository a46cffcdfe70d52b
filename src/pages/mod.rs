//! One module per route.

pub mod config_error;
pub mod faq;
pub mod home;
pub mod my_reports;
pub mod not_found;
pub mod submit;
pub mod track;
