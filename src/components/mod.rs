//! Reusable pieces of the page.

pub mod combobox;
pub mod field;
pub mod footer;
pub mod header;
pub mod language_switch;
pub mod load_error;
pub mod rich_text;
pub mod tracking_form;
