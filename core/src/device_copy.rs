//! What a citizen's device may keep of a report it has shown: the device side of the privacy
//! rule (`privacy.rs` is the server side).
//!
//! Phones are shared in a family, lent, repaired, taken. A confidential report's details (its
//! title, body, timeline messages) and any report's access code stay on a device only when the
//! report was made on it (the outbox remembers it) or the citizen chose "keep on this device":
//!
//! | report       | made here or kept | listed in "my reports" | access code | stored view |
//! |--------------|-------------------|------------------------|-------------|-------------|
//! | public       | yes               | yes                    | yes         | yes         |
//! | public       | no (only viewed)  | yes                    | no          | yes         |
//! | confidential | yes               | yes                    | yes         | yes         |
//! | confidential | no (only viewed)  | no                     | no          | no          |
//!
//! A confidential report only viewed is not even listed: its number on a shared phone says
//! that someone there follows a confidential report.

/// What the device keeps of one report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeviceCopy {
    /// Its number and last status in "my reports".
    pub listed: bool,
    /// Its access code.
    pub access_code: bool,
    /// The last view, readable offline (title, body, timeline as the backend showed them).
    pub view: bool,
}

/// The one rule (see the table in the module's documentation). `kept`: the report was made on
/// this device, or the citizen chose to keep it here.
pub fn device_copy(confidential: bool, kept: bool) -> DeviceCopy {
    DeviceCopy {
        listed: kept || !confidential,
        access_code: kept,
        view: kept || !confidential,
    }
}

/// Every spelling of a tracking number that may appear in a URL (`K7M-2QX-9PD`, `K7M2QX9PD`),
/// upper case: a copy is found by looking for these in the upper-cased URL.
pub fn url_spellings(tracking_id: &str) -> Vec<String> {
    let upper = tracking_id.trim().to_ascii_uppercase();
    let compact = upper.replace('-', "");
    let mut spellings = vec![upper];
    if !spellings.contains(&compact) {
        spellings.push(compact);
    }
    spellings.retain(|s| !s.is_empty());
    spellings
}

/// Whether `url` is a copy of the report numbered `tracking_id` (its API view, its page), in
/// any spelling and case.
pub fn url_is_about(url: &str, tracking_id: &str) -> bool {
    let url = url.to_ascii_uppercase();
    url_spellings(tracking_id).iter().any(|s| url.contains(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_confidential_report_only_viewed_leaves_nothing() {
        let copy = device_copy(true, false);
        assert!(!copy.listed && !copy.access_code && !copy.view);
    }

    #[test]
    fn a_public_report_only_viewed_is_listed_without_its_code() {
        assert_eq!(
            device_copy(false, false),
            DeviceCopy {
                listed: true,
                access_code: false,
                view: true
            }
        );
    }

    #[test]
    fn a_report_made_here_or_kept_is_kept_whole() {
        for confidential in [true, false] {
            assert_eq!(
                device_copy(confidential, true),
                DeviceCopy {
                    listed: true,
                    access_code: true,
                    view: true
                }
            );
        }
    }

    #[test]
    fn urls_about_a_report_are_found_in_every_spelling() {
        let id = "K7M-2QX-9PD";
        for url in [
            "https://lapor.example/api/v1/reports/K7M2QX9PD",
            "https://lapor.example/api/v1/reports/k7m2qx9pd",
            "https://lapor.example/lacak/K7M-2QX-9PD",
            "https://lapor.example/lacak/k7m-2qx-9pd?x=1",
        ] {
            assert!(url_is_about(url, id), "{url}");
        }
        assert!(!url_is_about(
            "https://lapor.example/api/v1/reports/K7M2QX9PE",
            id
        ));
        assert!(!url_is_about("https://lapor.example/faq", ""));
    }
}
