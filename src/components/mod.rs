//! Reusable pieces of the page.

pub mod combobox;
pub mod connection;
pub mod deferred;
pub mod field;
pub mod footer;
pub mod header;
pub mod language_switch;
pub mod later;
pub mod load_error;
pub mod outbox_list;
pub mod report_card;
pub mod rich_text;
pub mod sent_notices;
pub mod similar_reports;
pub mod support;
pub mod tracking_form;
