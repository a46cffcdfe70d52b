//! One module per route. Pages never import pages: what two pages share (a status's words, the
//! draft, the reports kept on this device) lives in a module of `src/` or in `components/`,
//! named for what it is. Only the router (`app.rs`, `lazy_routes.rs`, and `main.rs` for the
//! configuration error) names pages; the test below keeps it so.

pub mod accessibility;
pub mod config_error;
pub mod faq;
pub mod home;
pub mod my_reports;
pub mod not_found;
pub mod reports;
pub mod submit;
pub mod track;

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    /// The files that declare routes, and so name pages.
    const ROUTERS: [&str; 4] = ["main.rs", "app.rs", "lazy_routes.rs", "pages/mod.rs"];

    fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }

    /// The module path of a file under `src/`: `pages/track/summary.rs` → `pages::track::summary`.
    fn module_of(relative: &Path) -> Vec<String> {
        let mut parts: Vec<String> = relative
            .iter()
            .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
            .collect();
        if parts.last().is_some_and(|p| p == "mod") {
            parts.pop();
        }
        parts
    }

    /// Where a file's code names another page: the `pages` module as a path anywhere but in
    /// the router, and in a page, a `super::` chain that climbs to `pages` (then names a
    /// sibling).
    fn page_imports(relative: &Path, source: &str) -> Vec<String> {
        let module = module_of(relative);
        let in_a_page = module.first().is_some_and(|m| m == "pages");
        let mut found = Vec::new();
        // A file's own tests (an inline module, where `super` is the file) ship nothing.
        let shipped = source.split("#[cfg(test)]").next().unwrap_or_default();
        for (number, line) in shipped.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            let names_pages = code.match_indices("pages").any(|(at, _)| {
                let before = code[..at].chars().next_back();
                let after = &code[at + "pages".len()..];
                !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
                    && ["::", ";", ",", "}"].iter().any(|p| after.starts_with(p))
            });
            // From `pages::track::summary`, `super::super::` is `pages`.
            let climbs_to_pages = in_a_page
                && code.match_indices("super::").any(|(at, _)| {
                    let chain = code[at..]
                        .split("super::")
                        .skip(1)
                        .take_while(|rest| rest.is_empty())
                        .count()
                        + 1;
                    !code[..at].ends_with("super::") && module.len().checked_sub(chain) == Some(1)
                });
            if names_pages || climbs_to_pages {
                found.push(format!(
                    "{}:{}: {}",
                    relative.display(),
                    number + 1,
                    line.trim()
                ));
            }
        }
        found
    }

    #[test]
    fn pages_never_import_pages() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        assert!(files.len() > 20, "the app's sources are where they were");
        let mut offending = Vec::new();
        for path in files {
            let relative = path.strip_prefix(&src).unwrap();
            if ROUTERS.iter().any(|r| Path::new(r) == relative) {
                continue;
            }
            offending.extend(page_imports(
                relative,
                &std::fs::read_to_string(&path).unwrap(),
            ));
        }
        assert!(
            offending.is_empty(),
            "only the router names pages; move what pages share to a module of src/ or to \
             components/:\n{}",
            offending.join("\n")
        );
    }

    #[test]
    fn the_check_sees_every_way_to_reach_a_page() {
        let at = |file: &str, code: &str| !page_imports(Path::new(file), code).is_empty();
        assert!(at(
            "outbox/mod.rs",
            "use crate::pages::submit::draft::Draft;"
        ));
        assert!(at(
            "pages/my_reports.rs",
            "use crate::pages::home::status_text;"
        ));
        assert!(at("pages/my_reports.rs", "use super::home::status_text;"));
        assert!(at(
            "pages/track/summary.rs",
            "use super::super::home::status_text;"
        ));
        assert!(at("pages/track/mod.rs", "use super::home::status_text;"));
        assert!(at("components/x.rs", "use crate::pages;"));
        assert!(!at(
            "pages/track/summary.rs",
            "use super::classification_text;"
        ));
        assert!(!at(
            "pages/track/mod.rs",
            "use crate::saved_reports::remember_view;"
        ));
        assert!(!at(
            "pages/track/mod.rs",
            "// pages::home used to hold this"
        ));
        assert!(!at("components/x.rs", "let pages = 3; features.my_pages;"));
        assert!(!at(
            "pages/home.rs",
            "#[cfg(test)]\nmod tests { use super::*; }"
        ));
    }
}
