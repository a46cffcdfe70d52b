//! Today's date where the agency is: deadlines are dates in its time zone, not the phone's.

use chrono::NaiveDate;
use lapor_core::api::Instance;
use lapor_core::calendar::{WIB_OFFSET_MINUTES, local_date, utc_offset_minutes};

pub fn today(instance: Option<&Instance>) -> NaiveDate {
    let offset = instance
        .and_then(|i| utc_offset_minutes(&i.time_zone))
        .unwrap_or(WIB_OFFSET_MINUTES);
    local_date((js_sys::Date::now() / 1000.0) as i64, offset)
}
