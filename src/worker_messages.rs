//! The words the app and its service worker use to talk, in one table: the messages of
//! `public/sw.js` (posted as `{ type, … }`) and the Background Sync tag. A host test reads
//! `public/sw.js` and fails on a word missing there or one used there that is not here.

/// The Background Sync tag the outbox asks for; the worker relays it as [`OUTBOX_SYNC`].
pub const SYNC_TAG: &str = "lapor-outbox";
/// Worker → app: Background Sync fired, send what waits in the outbox.
pub const OUTBOX_SYNC: &str = "lapor-outbox-sync";
/// App → worker: keep the pages' split-off code for offline use; with [`HTTP_CACHE_ONLY`]
/// `true`, only what this visit already downloaded.
pub const CACHE_PAGES: &str = "lapor-cache-pages";
/// The field of [`CACHE_PAGES`] that says "no network".
pub const HTTP_CACHE_ONLY: &str = "httpCacheOnly";
/// App → the waiting worker: take over.
pub const SKIP_WAITING: &str = "SKIP_WAITING";

/// Every message type `public/sw.js` sends or reads.
#[cfg(test)]
const WORKER_TYPES: [&str; 3] = [OUTBOX_SYNC, CACHE_PAGES, SKIP_WAITING];

/// A message `{ type: kind }` for a worker.
pub fn message(kind: &str) -> js_sys::Object {
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &kind.into());
    message
}

/// The `type` of a message from a worker.
pub fn type_of(data: &wasm_bindgen::JsValue) -> Option<String> {
    js_sys::Reflect::get(data, &"type".into())
        .ok()
        .and_then(|t| t.as_string())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn read(path: &str) -> String {
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
    }

    /// The quoted words after each of `markers` in JavaScript source: `({ type: 'x'`,
    /// `.data?.type !== 'x'`, `.tag === 'x'`.
    fn quoted_after(source: &str, markers: &[&str]) -> Vec<String> {
        let mut words = Vec::new();
        for marker in markers {
            for (at, _) in source.match_indices(marker) {
                let rest = source[at + marker.len()..].trim_start();
                let rest = rest
                    .strip_prefix("!==")
                    .or_else(|| rest.strip_prefix("==="))
                    .unwrap_or(rest)
                    .trim_start();
                if let Some(quote) = rest.chars().next().filter(|c| "'\"`".contains(*c))
                    && let Some((word, _)) = rest[1..].split_once(quote)
                {
                    words.push(word.to_owned());
                }
            }
        }
        words
    }

    /// What a worker script says that this table does not, or lacks of it.
    fn disagreements(worker: &str) -> Vec<String> {
        let mut found = Vec::new();
        for word in WORKER_TYPES.iter().chain(&[SYNC_TAG]) {
            if !worker.contains(&format!("'{word}'")) {
                found.push(format!("{word:?} is missing"));
            }
        }
        if !worker.contains(&format!(".{HTTP_CACHE_ONLY}")) {
            found.push(format!("{HTTP_CACHE_ONLY:?} is not read"));
        }
        let sent = quoted_after(worker, &["postMessage({ type:"]);
        if sent.len() != worker.matches("postMessage(").count() {
            found.push("a message posted without `{ type: '…' }`".into());
        }
        let read = quoted_after(worker, &[".data?.type", ".data.type"]);
        if read.is_empty() {
            found.push("no message type is read".into());
        }
        for word in sent.into_iter().chain(read) {
            if !WORKER_TYPES.contains(&word.as_str()) {
                found.push(format!("the message type {word:?} is not in the table"));
            }
        }
        for tag in quoted_after(worker, &[".tag"]) {
            if tag != SYNC_TAG {
                found.push(format!("the sync tag {tag:?} is not in the table"));
            }
        }
        found
    }

    #[test]
    fn the_worker_uses_the_same_words_and_no_others() {
        let found = disagreements(&read("public/sw.js"));
        assert!(
            found.is_empty(),
            "public/sw.js and src/worker_messages.rs disagree: {found:?}"
        );
    }

    #[test]
    fn a_word_the_table_does_not_have_is_found() {
        let worker = read("public/sw.js");
        let renamed = worker.replace("'lapor-outbox-sync'", "'lapor-sync'");
        assert_eq!(
            disagreements(&renamed),
            [
                "\"lapor-outbox-sync\" is missing",
                "the message type \"lapor-sync\" is not in the table"
            ]
        );
        let extra = format!("{worker}\nif (event.data?.type === 'lapor-clear') clear();");
        assert_eq!(
            disagreements(&extra),
            ["the message type \"lapor-clear\" is not in the table"]
        );
        let bare = format!("{worker}\nclient.postMessage('lapor-ping');");
        assert_eq!(
            disagreements(&bare),
            ["a message posted without `{ type: '…' }`"]
        );
    }

    /// The app spells these words only here.
    #[test]
    fn the_app_spells_them_only_here() {
        let pwa = read("src/pwa.rs");
        for word in [
            SYNC_TAG,
            OUTBOX_SYNC,
            CACHE_PAGES,
            HTTP_CACHE_ONLY,
            SKIP_WAITING,
        ] {
            assert!(
                !pwa.contains(&format!("\"{word}\"")),
                "src/pwa.rs spells {word:?}: use crate::worker_messages"
            );
        }
    }
}
