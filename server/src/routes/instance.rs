//! `GET /instance`: who this backend is and the rules it applies.

use axum::Json;
use axum::extract::State;
use lapor_core::api::{AttachmentLimits, Channel, Instance};

use super::directory::NoQuery;
use crate::AppState;
use crate::problem::ApiQuery;

pub const ATTACHMENT_MAX_FILES: u32 = AttachmentLimits::DEFAULT_MAX_FILES;
pub const ATTACHMENT_MAX_BYTES: u64 = AttachmentLimits::DEFAULT_MAX_BYTES_PER_FILE;
pub const ACCEPTED_TYPES: [&str; 4] = AttachmentLimits::DEFAULT_ACCEPTED_TYPES;
pub const TIME_ZONE: &str = "Asia/Jakarta";

pub fn instance_info() -> Instance {
    let channel = |kind: &str, label: &str, value: &str, link: &str| Channel {
        kind: kind.into(),
        label: label.into(),
        value: value.into(),
        link: Some(link.into()),
    };
    Instance {
        name: "Lapor Kendal".into(),
        region: "Kabupaten Kendal, Jawa Tengah".into(),
        channels: vec![
            channel("sms", "SMS", "1708", "sms:1708"),
            channel(
                "twitter",
                "Twitter/X",
                "@lapor1708",
                "https://twitter.com/lapor1708",
            ),
            channel(
                "web",
                "SP4N-LAPOR!",
                "lapor.go.id",
                "https://www.lapor.go.id/",
            ),
        ],
        time_zone: TIME_ZONE.into(),
        ..Instance::national_default()
    }
}

pub async fn get_instance(
    State(_): State<AppState>,
    ApiQuery(NoQuery {}): ApiQuery<NoQuery>,
) -> Json<Instance> {
    Json(instance_info())
}
