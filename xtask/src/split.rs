//! Splitting the release wasm at Leptos' `#[lazy]` routes, so that a first visit downloads the
//! shell and the page it opens, not the whole portal.
//!
//! Trunk 0.21 cannot split (wasm-split must run before wasm-bindgen, inside Trunk's pipeline),
//! so Trunk builds the page, the stylesheet and an unsplit wasm with its bindings, and then
//! [`split_release_wasm`] rebuilds the wasm and its bindings from the linked wasm Cargo left in
//! `target/` (relocations kept by `.cargo/config.toml`):
//!
//! 1. `wasm-split-cli` (crate `wasm_split_cli_support`) cuts the linked wasm into the main module,
//!    one module per `#[lazy]` function and chunks the lazy ones share, and writes the JS that
//!    loads them (`__wasm_split.js`);
//! 2. wasm-bindgen makes the bindings of the main module, under Trunk's file name;
//! 3. wasm-opt shrinks every module;
//! 4. every split file gets its content hash in its name (so it can be cached for good) and the
//!    files that name it are rewritten to match;
//! 5. Trunk's start-up script in `index.html` (and its preloads, with their integrity hashes of
//!    the unsplit files) gives way to one that starts the app after the first paint.

use std::path::{Path, PathBuf};

use crate::cmd::{command, run};
use crate::{Result, root};

/// The wasm features rustc emits; wasm-opt must accept all of them.
pub const WASM_OPT_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-reference-types",
    "--enable-multivalue",
    "--enable-mutable-globals",
];

/// The JS module the split wasm imports its loaders from (wasm-split's default name).
const LOADER: &str = "__wasm_split.js";

pub fn split_release_wasm(dist: &Path) -> Result {
    let linked = root().join("target/wasm32-unknown-unknown/release/lapor-portal.wasm");
    let stem = bindings_stem(dist)?;
    let work = work_dir();
    let _ = std::fs::remove_dir_all(&work);
    let split = work.join("split");
    let bindings = work.join("bindings");
    std::fs::create_dir_all(&split).map_err(|e| e.to_string())?;
    run(&mut command(
        "wasm-split-cli",
        &[&path_str(&linked), &path_str(&split)],
    ))?;
    run(&mut command(
        "wasm-bindgen",
        &[
            "--target=web",
            &format!("--out-dir={}", bindings.display()),
            &format!("--out-name={stem}"),
            "--no-typescript",
            // The split modules call into the main one through these exports.
            "--keep-lld-exports",
            "--no-demangle",
            &path_str(&split.join("main.wasm")),
        ],
    ))?;

    wasm_opt(
        &bindings.join(format!("{stem}_bg.wasm")),
        &dist.join(format!("{stem}_bg.wasm")),
    )?;
    let snippets = bindings.join("snippets");
    if snippets.exists() {
        copy_dir(&snippets, &dist.join("snippets"))?;
    }

    let mut loader = read(&split.join(LOADER))?;
    loader = loader.replace("\"./main.js\"", &format!("\"./{stem}.js\""));
    for entry in std::fs::read_dir(&split)
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(module) = name.strip_suffix(".wasm") else {
            continue;
        };
        if module == "main" {
            continue;
        }
        let optimised = work.join(&name);
        wasm_opt(&entry.path(), &optimised)?;
        let bytes = std::fs::read(&optimised).map_err(|e| e.to_string())?;
        let hashed = format!(
            "{}-{}.wasm",
            short_module_name(module),
            content_hash(&bytes)
        );
        std::fs::write(dist.join(&hashed), bytes).map_err(|e| e.to_string())?;
        let before = loader.len();
        loader = loader.replace(&format!("\"./{name}\""), &format!("\"./{hashed}\""));
        if loader.len() == before {
            return Err(format!("{LOADER} does not name {name}"));
        }
    }
    let loader_name = format!("__wasm_split-{}.js", content_hash(loader.as_bytes()));
    std::fs::write(dist.join(&loader_name), &loader).map_err(|e| e.to_string())?;

    let glue = read(&bindings.join(format!("{stem}.js")))?;
    // Only the `import … from` lines: the wasm itself still names the module `./__wasm_split.js`.
    let linked_glue = glue.replace(
        &format!("from \"./{LOADER}\""),
        &format!("from \"./{loader_name}\""),
    );
    if linked_glue == glue {
        return Err(format!("the bindings do not import {LOADER}"));
    }
    std::fs::write(dist.join(format!("{stem}.js")), linked_glue).map_err(|e| e.to_string())?;

    let index = dist.join("index.html");
    let html = start_after_first_paint(&read(&index)?, &stem, &loader_name)?;
    std::fs::write(&index, html).map_err(|e| e.to_string())
}

/// Replaces Trunk's start-up script and its preloads with one that starts the app after the
/// first paint: the static page in `index.html` is readable at once, and the wasm does not
/// compete with it for a slow link (nor count in its Largest Contentful Paint). The bindings and
/// the split loader they import are fetched side by side. A hidden tab, which paints nothing,
/// starts after half a second.
fn start_after_first_paint(html: &str, stem: &str, loader_name: &str) -> Result<String> {
    let script_start = html
        .find("<script type=\"module\">")
        .ok_or("index.html has no start-up script")?;
    let script_end = html[script_start..]
        .find("</script>")
        .map(|end| script_start + end + "</script>".len())
        .ok_or("index.html: unterminated start-up script")?;
    if !html[script_start..script_end].contains(&format!("/{stem}.js'")) {
        return Err(format!("the start-up script does not load {stem}.js"));
    }
    let bootstrap = format!(
        "<script type=\"module\">\n\
         await new Promise((go) => {{ requestAnimationFrame(() => setTimeout(go, 0)); setTimeout(go, 500); }});\n\
         const [bindings] = await Promise.all([import('/{stem}.js'), import('/{loader_name}')]);\n\
         const wasm = await bindings.default({{ module_or_path: '/{stem}_bg.wasm' }});\n\
         window.wasmBindings = bindings;\n\
         dispatchEvent(new CustomEvent(\"TrunkApplicationStarted\", {{ detail: {{ wasm }} }}));\n\
         </script>"
    );
    let html = format!(
        "{}{bootstrap}{}",
        &html[..script_start],
        &html[script_end..]
    );
    Ok(drop_tags(
        &drop_tags(&html, "<link rel=\"modulepreload\""),
        "<link rel=\"preload\"",
    ))
}

/// `html` without the tags that start with `opening`.
fn drop_tags(html: &str, opening: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(opening) {
        out.push_str(&rest[..start]);
        let tag = &rest[start..];
        rest = tag.find('>').map_or("", |end| &tag[end + 1..]);
    }
    out.push_str(rest);
    out
}

/// Where the split works; `bindings/` keeps the main module as wasm-bindgen wrote it.
fn work_dir() -> PathBuf {
    root().join("target/wasm-split")
}

/// The main module of the last release build before wasm-opt, names kept (the bench's twiggy).
pub fn named_main_module() -> Result<PathBuf> {
    let bindings = work_dir().join("bindings");
    let stem = bindings_stem(&bindings)?;
    Ok(bindings.join(format!("{stem}_bg.wasm")))
}

/// `lapor-portal-<hash>`: the name of the bindings in `dir` (and of their `…_bg.wasm`), as
/// Trunk gave it.
fn bindings_stem(dir: &Path) -> Result<String> {
    for entry in std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix("_bg.wasm") {
            return Ok(stem.to_owned());
        }
    }
    Err(format!("no *_bg.wasm in {}", dir.display()))
}

/// `split_submit_view_1491…` → `submit_view`; `chunk_7` stays.
fn short_module_name(module: &str) -> String {
    let name = module.strip_prefix("split_").unwrap_or(module);
    match name.rsplit_once('_') {
        Some((head, tail)) if tail.len() > 8 && tail.bytes().all(|b| b.is_ascii_digit()) => {
            head.to_owned()
        }
        _ => name.to_owned(),
    }
}

/// 16 hex digits of a content hash (FNV-1a, 64 bits): enough to tell versions apart, which is
/// all a cache-busting file name needs.
fn content_hash(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

fn wasm_opt(input: &Path, output: &Path) -> Result {
    let mut args = vec!["-Oz"];
    args.extend(WASM_OPT_FEATURES);
    let (input, output) = (path_str(input), path_str(output));
    args.extend([input.as_str(), "-o", output.as_str()]);
    run(&mut command("wasm-opt", &args))
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from)
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let target: PathBuf = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn path_str(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_modules_keep_a_readable_name() {
        assert_eq!(
            short_module_name("split_submit_view_14911813001234762678"),
            "submit_view"
        );
        assert_eq!(short_module_name("chunk_14"), "chunk_14");
    }

    #[test]
    fn different_contents_get_different_names() {
        assert_ne!(content_hash(b"a"), content_hash(b"b"));
        assert_eq!(content_hash(b"a").len(), 16);
    }

    #[test]
    fn the_app_starts_after_the_first_paint_without_preloads() {
        let html = concat!(
            r#"<link rel="stylesheet" href="/m.css" integrity="sha384-q">"#,
            "<script type=\"module\">\nimport init, * as bindings from '/app-1.js';\n",
            "const wasm = await init({ module_or_path: '/app-1_bg.wasm' });\n</script>",
            r#"<link rel="modulepreload" href="/app-1.js" crossorigin="anonymous" integrity="sha384-a">"#,
            r#"<link rel="preload" href="/app-1_bg.wasm" as="fetch" type="application/wasm"></head>"#,
        );
        let out = start_after_first_paint(html, "app-1", "__wasm_split-2.js").unwrap();
        assert!(out.starts_with(r#"<link rel="stylesheet" href="/m.css" integrity="sha384-q">"#));
        assert!(out.ends_with("</script></head>"), "{out}");
        assert!(!out.contains("preload"), "{out}");
        assert!(out.contains("requestAnimationFrame"));
        assert!(out.contains("import('/app-1.js'), import('/__wasm_split-2.js')"));
        assert!(out.contains("module_or_path: '/app-1_bg.wasm'"));
        assert!(start_after_first_paint(html, "other", "l.js").is_err());
    }
}
