//! Today's date where the agency is: deadlines are dates in its time zone, not the phone's.

use chrono::NaiveDate;
use lapor_core::api::Instance;
use lapor_core::calendar::{WIB_OFFSET_MINUTES, local_date, utc_offset_minutes};

pub fn today(instance: Option<&Instance>) -> NaiveDate {
    local_date((js_sys::Date::now() / 1000.0) as i64, offset(instance))
}

/// Minutes east of UTC of the agency's time zone (WIB when unknown).
pub fn offset(instance: Option<&Instance>) -> i32 {
    instance
        .and_then(|i| utc_offset_minutes(&i.time_zone))
        .unwrap_or(WIB_OFFSET_MINUTES)
}
