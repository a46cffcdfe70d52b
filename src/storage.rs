//! `localStorage`, which may be missing (private mode, blocked storage): every key the app keeps
//! there, and `persisted`, the one way to keep a value there as JSON.
//!
//! What a citizen's device holds must survive an update: the keys and the JSON of each value
//! stay as they are (a type may gain `#[serde(default)]` fields, never rename or drop one).

use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Put before every key, so the portal's entries never meet another app's on the same origin.
const PREFIX: &str = "lapor.";

/// Every key the app keeps in `localStorage` (after `PREFIX`).
pub mod keys {
    /// The report being written (`crate::draft::Draft`). index.html's first paint of the form
    /// takes input only while there is none.
    pub const DRAFT: &str = "draft";
    /// What was typed into index.html's live first paint of the form, written by its inline
    /// script until the app's form has it (JSON of the app's field ids and the kind's code,
    /// read by `crate::draft::Draft::take_first_paint`); the form takes it into the draft when
    /// it starts, and removes it.
    pub const FIRST_PAINT: &str = "first-paint";
    /// Reports waiting to be sent (`crate::outbox::Queued`).
    pub const OUTBOX: &str = "outbox";
    /// Reports made or looked up here (`crate::saved_reports::SavedReport`).
    pub const SAVED_REPORTS: &str = "my_reports";
    /// Saved reports whose status changed since the citizen last looked (tracking numbers).
    pub const UPDATED_REPORTS: &str = "updated_reports";
    /// Reports this device supports ("dukung"), each with its key and whether the server
    /// has the latest choice yet (`crate::support_queue::Supported`).
    pub const SUPPORTS: &str = "supports";
    /// The visitor's language, as its tag (`id`, `en`): plain text, not JSON.
    pub const LOCALE: &str = "locale";

    /// A report's last view, kept for offline reading (`crate::saved_reports::StoredView`).
    pub fn report_view(tracking_id: &str) -> String {
        format!("report.{tracking_id}")
    }
}

/// The full `localStorage` key of `key`.
fn full_key(key: &str) -> String {
    format!("{PREFIX}{key}")
}

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// A value kept as JSON under one key of [`keys`].
pub struct Persisted<T> {
    key: String,
    value: PhantomData<fn() -> T>,
}

/// The value kept under `key` (one of [`keys`]).
pub fn persisted<T: Serialize + DeserializeOwned>(key: impl Into<String>) -> Persisted<T> {
    Persisted {
        key: full_key(&key.into()),
        value: PhantomData,
    }
}

impl<T: Serialize + DeserializeOwned> Persisted<T> {
    /// The kept value; `None` when there is none, storage is missing, or it does not read.
    pub fn load(&self) -> Option<T> {
        let json = local()?.get_item(&self.key).ok()??;
        crate::json::parse(&json).ok()
    }

    /// Keeps `value`; `false` when it could not be (storage missing, blocked or full).
    pub fn save(&self, value: &T) -> bool {
        match (local(), crate::json::write(value)) {
            (Some(storage), Some(json)) => storage.set_item(&self.key, &json).is_ok(),
            _ => false,
        }
    }

    /// Whether anything is kept under the key, without reading it (an empty list is nothing):
    /// the code that reads the value need not even be fetched when there is none.
    pub fn holds_any(&self) -> bool {
        local()
            .and_then(|storage| storage.get_item(&self.key).ok().flatten())
            .is_some_and(|json| !matches!(json.trim(), "" | "[]" | "null"))
    }

    pub fn remove(&self) {
        remove_item(&self.key);
    }
}

fn remove_item(full_key: &str) {
    if let Some(storage) = local() {
        let _ = storage.remove_item(full_key);
    }
}

/// A plain-text value (the language), which predates JSON values and stays as it was.
pub fn text(key: &str) -> Option<String> {
    local()?.get_item(&full_key(key)).ok()?
}

/// Removes a value kept under `key` without reading it.
pub fn remove(key: &str) {
    remove_item(&full_key(key));
}

pub fn set_text(key: &str, value: &str) {
    if let Some(storage) = local() {
        let _ = storage.set_item(&full_key(key), value);
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The keys devices already hold: changing one would lose a citizen's reports, outbox or
    /// draft on update (and `end2end/` reads `lapor.outbox`).
    #[test]
    fn keys_are_the_ones_devices_already_hold() {
        use super::keys::*;
        let full = |key: &str| super::full_key(key);
        assert_eq!(full(DRAFT), "lapor.draft");
        assert_eq!(full(FIRST_PAINT), "lapor.first-paint");
        assert_eq!(full(OUTBOX), "lapor.outbox");
        assert_eq!(full(SAVED_REPORTS), "lapor.my_reports");
        assert_eq!(full(UPDATED_REPORTS), "lapor.updated_reports");
        assert_eq!(full(LOCALE), "lapor.locale");
        assert_eq!(full(SUPPORTS), "lapor.supports");
        assert_eq!(
            full(&report_view("K7M-2QX-9PD")),
            "lapor.report.K7M-2QX-9PD"
        );
    }

    /// index.html's first paint of the form takes input only when the device keeps no draft,
    /// and keeps what is typed there where the form looks for it: it names both keys as the
    /// app does.
    #[test]
    fn the_first_paint_uses_the_apps_keys() {
        let html = include_str!("../index.html");
        let draft = super::full_key(super::keys::DRAFT);
        let asked = format!("localStorage.getItem('{draft}')");
        assert!(html.contains(&asked), "index.html should ask {asked}");
        let kept = format!("'{}'", super::full_key(super::keys::FIRST_PAINT));
        assert!(
            html.contains(&kept),
            "index.html should keep its copy as {kept}"
        );
    }

    /// `localStorage` is reached only here, every key is one of `keys`, and no other module
    /// writes or reads JSON of its own for it.
    #[test]
    fn every_stored_value_goes_through_this_module() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        let mut dirs = vec![src.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                }
            }
        }
        let mut offending = Vec::new();
        for path in files {
            let relative = path.strip_prefix(&src).unwrap().display().to_string();
            if relative == "storage.rs" {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            let shipped = source.split("#[cfg(test)]").next().unwrap_or_default();
            let mut uses_storage = false;
            for (number, line) in shipped.lines().enumerate() {
                let code = line.split("//").next().unwrap_or_default();
                let at = format!("{relative}:{}: {}", number + 1, line.trim());
                if code.contains("local_storage") || code.contains("session_storage") {
                    offending.push(format!("{at} (storage reached directly)"));
                }
                let calls = code
                    .match_indices("storage::")
                    .map(|(i, _)| &code[i + "storage::".len()..])
                    .filter(|call| !call.starts_with("keys"))
                    .chain(code.match_indices("persisted").map(|(i, _)| &code[i..]));
                for call in calls {
                    uses_storage = true;
                    // The argument of a call: `persisted::<T>(keys::X)`, `text(keys::X)`.
                    let Some((name, argument)) = call.split_once('(') else {
                        continue;
                    };
                    let argument = argument
                        .trim_start()
                        .trim_start_matches("crate::")
                        .trim_start_matches("storage::");
                    if !name.contains([' ', ',', '{', ';']) && !argument.starts_with("keys::") {
                        offending.push(format!("{at} (a key not in storage::keys)"));
                    }
                }
            }
            if uses_storage && shipped.contains("serde_json::") {
                offending.push(format!("{relative}: JSON of its own beside storage::"));
            }
        }
        assert!(
            offending.is_empty(),
            "keep values with storage::persisted(keys::…):\n{}",
            offending.join("\n")
        );
    }
}
