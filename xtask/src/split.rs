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
//! 2. wasm-bindgen makes the bindings of the main module;
//! 3. wasm-opt shrinks every module;
//! 4. every file gets the hash of its final bytes in its name ([`name_by_content`]), so a name
//!    served `immutable` always means the same bytes, and the files that name it are rewritten
//!    to match. References only point one way (start-up script → bindings → split loader →
//!    split modules, bindings → main wasm): the loader would import the bindings for their
//!    `initSync`, a cycle no content hash can close, so it reads it from a global the start-up
//!    script sets instead (the fallback wasm-split's loader already has);
//! 5. Trunk's start-up script in `index.html` (and its preloads, with their integrity hashes of
//!    the unsplit files) gives way to one that starts the app after the first paint and shows
//!    the static load-error notice of `index.html` when a module or the wasm fails to load;
//!    Trunk's own bindings and stylesheet names go, the stylesheet renamed by the same hash.
//!    The new script preloads the main wasm and, on an entry route whose page is split off
//!    ([`ROUTE_PAGES`]), that page's files ([`files_of_split_point`]), so they download beside
//!    the main module instead of after it has started.
//!
//! Release builds are reproducible: the same linked wasm gives the same files and names
//! (`cargo xtask test` runs steps 1–4 twice on it and compares, see [`check_reproducible`]).

use std::collections::BTreeMap;
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

/// The stem of the bindings and the main wasm: `lapor-portal-<hash>.js`, `…-<hash>_bg.wasm`.
const APP: &str = "lapor-portal";

/// How wasm-split's loader imports the bindings (`--target web`, the default main module).
const LOADER_MAIN_IMPORT: &str = "import { initSync } from \"./main.js\";";

/// What the loader reads instead: the bindings' `initSync`, set by the start-up script before
/// the app starts (so before any split module loads).
const LOADER_MAIN_GLOBAL: &str =
    "const initSync = (...args) => globalThis.__wasm_split_main_initSync(...args);";

/// How each of wasm-split's loaders fetches and instantiates its file, and what it does
/// instead ([`LOADER_BUNDLES`]).
const LOADER_FETCH: [(&str, &str); 2] = [
    (
        "const src = fetch(new URL(",
        "const src = __laporFetch(new URL(",
    ),
    (
        "WebAssembly.instantiateStreaming(src, imports)",
        "__laporInstantiate(src, imports)",
    ),
];

/// The entry routes' bundles (`bundle.rs`) in the loader. `__LAPOR_ROUTES__` becomes each
/// entry route's modules ([`ROUTE_PAGES`]: `{"form": ["submit_view", "chunk_74", …]}`, names
/// without their hash, which the loader's own URLs already carry); the start-up script names
/// every route's bundle file in `globalThis.__laporPages` and this visit's in
/// `globalThis.__laporBundle` (`{ url, route }`). A module of that route is not fetched: its
/// loader waits for the bundle's one instantiation. Every other module loads on its own; should
/// that fail (offline, and this device kept the file only inside a bundle because a first visit
/// landed on that bundle's route), a bundle that holds it loads instead, if none of that
/// bundle's modules is in yet. So no part is ever instantiated twice (its data segments would
/// be written again), and what a first visit downloaded opens offline whichever way the citizen
/// comes back to it. Every file is fetched with a deadline (`__laporWatched`): given up once 30 s
/// pass with no bytes coming (as the app's API requests, `src/api/mod.rs`), a stalled file is a
/// failed one, so a page shows its retry and a report waiting on the sending code goes back to
/// the outbox, instead of waiting on a dead connection until the page is closed.
const LOADER_BUNDLES: &str = r#"
const __laporStallMs = 30000;
// A fetch of `url`, aborted once `__laporStallMs` pass without its answer or a byte of its body. A
// clone of the response is read only to see the bytes arrive: the response itself goes to
// `instantiateStreaming` as fetched (its URL kept, so the browser's code cache still applies).
const __laporWatched = (url) => {
    const controller = new AbortController();
    let timer;
    const wait = () => {
        clearTimeout(timer);
        timer = setTimeout(() => controller.abort(), __laporStallMs);
    };
    wait();
    return fetch(url, { signal: controller.signal }).then((response) => {
        wait();
        const bytes = response.clone().body?.getReader();
        (async () => {
            try {
                while (bytes && !(await bytes.read()).done) wait();
            } catch {}
            clearTimeout(timer);
        })();
        return response;
    }, (error) => {
        clearTimeout(timer);
        throw error;
    });
};
const __laporRoutes = __LAPOR_ROUTES__;
const __laporPages = globalThis.__laporPages ?? {};
const __laporEntry = globalThis.__laporBundle;
const __laporModule = (url) => url.pathname.slice(url.pathname.lastIndexOf("/") + 1).replace(/-[0-9a-f]{16}\.wasm$/, "");
const __laporVia = new Map();
const __laporSingles = new Map();
const __laporFailed = new Set();
// The file of a route's bundle: the one the start-up script fetched for the entry route.
const __laporBundleOf = (route) => route === __laporEntry?.route ? __laporEntry.url : __laporPages[route]?.bundle;
const __laporUsable = (route) => {
    const file = __laporBundleOf(route);
    return file !== undefined && !__laporFailed.has(file) && (__laporRoutes[route] ?? []).every((m) => !__laporVia.has(m) && !__laporSingles.has(m));
};
function __laporFromBundle(route, imports) {
    const file = __laporBundleOf(route);
    const modules = __laporRoutes[route];
    const load = WebAssembly.instantiateStreaming(__laporWatched(new URL("./" + file, import.meta.url)), imports);
    for (const m of modules) __laporVia.set(m, load);
    load.catch((error) => {
        __laporFailed.add(file);
        for (const m of modules) if (__laporVia.get(m) === load) __laporVia.delete(m);
        console.warn("Lapor Portal: a page bundle did not load; loading its files one by one", file, error);
    });
}
const __laporInEntry = (module) => __laporEntry !== undefined && (__laporRoutes[__laporEntry.route] ?? []).includes(module);
const __laporFetch = (url) => {
    const module = __laporModule(url);
    const later = (__laporInEntry(module) && !__laporFailed.has(__laporEntry.url)) || __laporVia.has(module);
    const response = later ? undefined : __laporWatched(url);
    // Unused if a bundle brings the module after all; its failure is then no error.
    response?.catch(() => {});
    return { url, module, response };
};
function __laporInstantiate(src, imports) {
    if (src.response === undefined && __laporInEntry(src.module) && __laporUsable(__laporEntry.route)) __laporFromBundle(__laporEntry.route, imports);
    return __laporSingle(src, imports);
}
async function __laporSingle({ url, module, response }, imports) {
    // A bundle that holds the module first; checked again after every wait, and the file on
    // its own started with no wait in between, so no part is ever instantiated twice.
    for (let via; (via = __laporVia.get(module)); ) {
        try { return await via; } catch {}
    }
    const load = WebAssembly.instantiateStreaming(response ?? __laporWatched(url), imports);
    __laporSingles.set(module, load);
    try {
        return await load;
    } catch (error) {
        if (__laporSingles.get(module) === load) __laporSingles.delete(module);
        // Offline, this device may hold the file only inside a bundle: one that holds it,
        // once every load under way has settled, if none of its modules is in.
        for (;;) {
            await Promise.allSettled([...__laporSingles.values(), ...__laporVia.values()]);
            const held = __laporVia.get(module);
            if (held) {
                try { return await held; } catch { continue; }
            }
            const route = Object.keys(__laporRoutes).find((r) => __laporRoutes[r].includes(module) && __laporUsable(r));
            if (route === undefined) throw error;
            __laporFromBundle(route, imports);
        }
    }
}
"#;

/// The linked wasm Cargo leaves for release builds (relocations kept for wasm-split).
fn linked_wasm() -> PathBuf {
    root().join("target/wasm32-unknown-unknown/release/lapor-portal.wasm")
}

pub fn split_release_wasm(dist: &Path) -> Result {
    // Trunk's name, read before this build's files join it in `dist/`.
    let trunk_stem = bindings_stem(dist)?;
    let built = build_modules(&linked_wasm(), &work_dir())?;
    let mut named = name_by_content(built, &ROUTE_PAGES, &terser)?;
    let index = dist.join("index.html");
    let route_pages = route_bundles(&mut named, &work_dir())?;
    let html = start_after_first_paint(&read(&index)?, &trunk_stem, &named, &route_pages)?;
    // Trunk's unsplit bindings would be precached by the service worker for nothing.
    for old in [format!("{trunk_stem}.js"), format!("{trunk_stem}_bg.wasm")] {
        std::fs::remove_file(dist.join(old)).map_err(|e| e.to_string())?;
    }
    for (name, bytes) in &named.files {
        std::fs::write(dist.join(name), bytes).map_err(|e| e.to_string())?;
    }
    let snippets = work_dir().join("bindings/snippets");
    if snippets.exists() {
        copy_dir(&snippets, &dist.join("snippets"))?;
    }
    let html = rename_stylesheets(dist, html)?;
    std::fs::write(&index, html).map_err(|e| e.to_string())?;
    check_content_names(dist)
}

/// The outputs of wasm-split, wasm-bindgen and wasm-opt, before naming.
#[derive(Clone, Debug, PartialEq)]
struct Modules {
    /// wasm-split's file name (`split_submit_view_1491….wasm`, `chunk_3.wasm`) → optimised bytes.
    split: BTreeMap<String, Vec<u8>>,
    /// The loader JS as wasm-split wrote it.
    loader: String,
    /// The main module after wasm-bindgen and wasm-opt.
    main_wasm: Vec<u8>,
    /// The bindings (`--out-name lapor-portal`).
    glue: String,
}

/// Steps 1–3 from `linked` in `work` (emptied first).
/// What wasm-split says when a data segment, laid out again module by module, no longer fits
/// its addresses (alignment padding): it then puts the whole segment, every page's text and
/// constants, in the main module, silently growing it by about 50 KB brotli.
const WHOLE_SEGMENT_IN_MAIN: &str = "Overlong segment";

/// Step 1: wasm-split, failing the build if it had to put a data segment whole in the main
/// module (the room `src/split.rs`'s `SPLIT_DATA_SLACK` leaves is then too small).
fn split_keeping_data_apart(linked: &Path, split: &Path) -> Result {
    let mut cmd = command("wasm-split-cli", &[&path_str(linked), &path_str(split)]);
    println!("$ wasm-split-cli {} {}", linked.display(), split.display());
    let out = cmd
        .output()
        .map_err(|e| format!("could not start wasm-split-cli: {e}"))?;
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    print!("{said}");
    if !out.status.success() {
        return Err(format!("wasm-split-cli failed ({})", out.status));
    }
    check_data_kept_apart(&said)
}

fn check_data_kept_apart(said: &str) -> Result {
    match said
        .lines()
        .find(|line| line.contains(WHOLE_SEGMENT_IN_MAIN))
    {
        Some(line) => Err(format!(
            "wasm-split put a data segment whole into the main module ({}): every page's \
             constant data would download on every first visit. Make SPLIT_DATA_SLACK in \
             src/split.rs larger.",
            line.trim()
        )),
        None => Ok(()),
    }
}

fn build_modules(linked: &Path, work: &Path) -> Result<Modules> {
    let _ = std::fs::remove_dir_all(work);
    let split = work.join("split");
    let bindings = work.join("bindings");
    std::fs::create_dir_all(&split).map_err(|e| e.to_string())?;
    split_keeping_data_apart(linked, &split)?;
    run(&mut command(
        "wasm-bindgen",
        &[
            "--target=web",
            &format!("--out-dir={}", bindings.display()),
            &format!("--out-name={APP}"),
            "--no-typescript",
            // The split modules call into the main one through these exports.
            "--keep-lld-exports",
            "--no-demangle",
            &path_str(&split.join("main.wasm")),
        ],
    ))?;
    let optimised = work.join("optimised");
    std::fs::create_dir_all(&optimised).map_err(|e| e.to_string())?;
    let main = optimised.join(format!("{APP}_bg.wasm"));
    wasm_opt(&bindings.join(format!("{APP}_bg.wasm")), &main)?;
    let mut modules = Modules {
        split: BTreeMap::new(),
        loader: read(&split.join(LOADER))?,
        main_wasm: std::fs::read(&main).map_err(|e| e.to_string())?,
        glue: read(&bindings.join(format!("{APP}.js")))?,
    };
    for entry in std::fs::read_dir(&split)
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".wasm") || name == "main.wasm" {
            continue;
        }
        let output = optimised.join(&name);
        wasm_opt(&entry.path(), &output)?;
        let bytes = std::fs::read(&output).map_err(|e| e.to_string())?;
        modules.split.insert(name, bytes);
    }
    Ok(modules)
}

/// The files to write into `dist/`, each named by the hash of its final bytes.
#[derive(Debug, PartialEq)]
struct Named {
    /// File name → bytes.
    files: BTreeMap<String, Vec<u8>>,
    glue: String,
    loader: String,
    /// The loader as written before [`Minify`].
    loader_source: String,
    /// Each entry route of [`ROUTE_PAGES`] → its page's files (split module and chunks).
    route_files: BTreeMap<String, Vec<String>>,
    main_wasm: String,
}

/// Shrinks a JS module's text (`terser` from npm in builds, [`keep_js`] in tests); the name is
/// the file's, for messages.
type Minify<'a> = &'a dyn Fn(&str, &str) -> Result<String>;

/// The JS as it is: what the unit tests minify with.
#[cfg(test)]
fn keep_js(_name: &str, text: &str) -> Result<String> {
    Ok(text.to_owned())
}

/// terser (npm, the version `package-lock.json` pins): the bindings and the loader are about a
/// third of their size minified, some 2.6 KB brotli of every first visit.
fn terser(name: &str, text: &str) -> Result<String> {
    let folder = work_dir().join("minify");
    std::fs::create_dir_all(&folder).map_err(|e| e.to_string())?;
    let (input, output) = (folder.join(name), folder.join(format!("min-{name}")));
    std::fs::write(&input, text).map_err(|e| e.to_string())?;
    run(&mut command(
        "terser",
        &[
            &path_str(&input),
            "--module",
            "--compress",
            "--mangle",
            "-o",
            &path_str(&output),
        ],
    ))?;
    read(&output)
}

/// Step 4: names from final bytes, leaves first, every reference rewritten (and the JS
/// minified) before the file that holds it is hashed.
fn name_by_content(
    modules: Modules,
    route_pages: &[(&str, &[&str])],
    minify: Minify,
) -> Result<Named> {
    let mut files = BTreeMap::new();
    let mut loader = modules.loader;
    if !loader.contains(LOADER_MAIN_IMPORT) {
        return Err(format!("{LOADER} does not import the bindings as expected"));
    }
    loader = sort_shared_imports(&loader.replace(
        LOADER_MAIN_IMPORT,
        &format!("{LOADER_MAIN_GLOBAL}\n{LOADER_BUNDLES}"),
    ));
    let loads = loader.matches(LOADER_FETCH[0].0).count();
    for (from, to) in LOADER_FETCH {
        if loader.matches(from).count() != loads || loads == 0 {
            return Err(format!(
                "{LOADER}: its loaders do not read `{from}` as expected"
            ));
        }
        loader = loader.replace(from, to);
    }
    for (name, bytes) in modules.split {
        let module = name.strip_suffix(".wasm").unwrap_or(&name);
        let hashed = format!(
            "{}-{}.wasm",
            short_module_name(module),
            content_hash(&bytes)
        );
        let before = loader.len();
        loader = loader.replace(&format!("\"./{name}\""), &format!("\"./{hashed}\""));
        if loader.len() == before {
            return Err(format!("{LOADER} does not name {name}"));
        }
        files.insert(hashed, bytes);
    }
    // Each entry route's files, read before the table that names them is written in.
    let route_files = route_pages
        .iter()
        .map(|(route, split_points)| {
            let mut files: Vec<String> = Vec::new();
            for split_point in *split_points {
                for file in files_of_split_point(&loader, split_point)? {
                    if !files.contains(&file) {
                        files.push(file);
                    }
                }
            }
            Ok(((*route).to_owned(), files))
        })
        .collect::<Result<BTreeMap<_, _>>>()?;
    let modules_of_routes: serde_json::Map<String, serde_json::Value> = route_files
        .iter()
        .map(|(route, files)| {
            let names = files.iter().map(|file| module_of_file(file)).collect();
            (route.clone(), serde_json::Value::Array(names))
        })
        .collect();
    let loader_source = loader.replacen(
        "__LAPOR_ROUTES__",
        &serde_json::Value::Object(modules_of_routes).to_string(),
        1,
    );
    let loader = minify(LOADER, &loader_source)?;
    let loader_name = format!("__wasm_split-{}.js", content_hash(loader.as_bytes()));
    files.insert(loader_name.clone(), loader.into_bytes());

    let wasm_name = format!("{APP}-{}_bg.wasm", content_hash(&modules.main_wasm));
    files.insert(wasm_name.clone(), modules.main_wasm);
    // Only the `import … from` lines: the wasm itself still names the module `./__wasm_split.js`.
    let glue = modules.glue.replace(
        &format!("from \"./{LOADER}\""),
        &format!("from \"./{loader_name}\""),
    );
    if glue == modules.glue {
        return Err(format!("the bindings do not import {LOADER}"));
    }
    // The default path of `init()`, unused by the start-up script but kept true.
    let glue = glue.replace(&format!("'{APP}_bg.wasm'"), &format!("'{wasm_name}'"));
    let glue = minify(&format!("{APP}.js"), &glue)?;
    let glue_name = format!("{APP}-{}.js", content_hash(glue.as_bytes()));
    files.insert(glue_name.clone(), glue.into_bytes());
    Ok(Named {
        files,
        glue: glue_name,
        loader: loader_name,
        loader_source,
        route_files,
        main_wasm: wasm_name,
    })
}

/// wasm-split lists the main module's exports the split modules share in a HashSet's order,
/// which changes from run to run: `const { memory, __indirect_function_table, } = initSync(…)`
/// and the `Object.assign` after it. Sorted, the loader (and so every name above it) is the
/// same for the same linked wasm.
fn sort_shared_imports(loader: &str) -> String {
    let mut out = String::with_capacity(loader.len());
    for line in loader.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let listed = (trimmed.starts_with("const {") && trimmed.contains("= initSync("))
            || trimmed.starts_with("Object.assign(sharedImports.__wasm_split, {");
        let braces = line.find("{ ").zip(line.find(" }"));
        match braces {
            Some((open, close)) if listed && open < close => {
                let mut names: Vec<&str> = line[open + 2..close]
                    .split(',')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .collect();
                names.sort_unstable();
                out.push_str(&line[..open + 2]);
                for name in names {
                    out.push_str(name);
                    out.push_str(", ");
                }
                out.push_str(&line[close..]);
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// Trunk's `main-<seahash>.css` renamed by this build's hash of the same bytes, so that
/// [`check_content_names`] holds for every immutable file.
fn rename_stylesheets(dist: &Path, mut html: String) -> Result<String> {
    for entry in std::fs::read_dir(dist)
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".css") else {
            continue;
        };
        let text = read(&entry.path())?;
        let bytes = compact_css(&text)?.into_bytes();
        let base = stem.rsplit_once('-').map_or(stem, |(base, _)| base);
        let hashed = format!("{base}-{}.css", content_hash(&bytes));
        if hashed == name {
            continue;
        }
        std::fs::write(entry.path(), &bytes).map_err(|e| e.to_string())?;
        if !html.contains(&format!("\"/{name}\"")) {
            return Err(format!("index.html does not link {name}"));
        }
        html = without_integrity(
            &html.replace(&format!("\"/{name}\""), &format!("\"/{hashed}\"")),
            &hashed,
        );
        std::fs::rename(entry.path(), dist.join(&hashed)).map_err(|e| e.to_string())?;
    }
    Ok(html)
}

/// `html` with the tag that links `file` stripped of Trunk's `integrity` hash, which names the
/// bytes before [`compact_css`] (the file's name is the hash of what it holds now).
fn without_integrity(html: &str, file: &str) -> String {
    let Some(at) = html.find(&format!("\"/{file}\"")) else {
        return html.to_owned();
    };
    let start = html[..at].rfind('<').unwrap_or(0);
    let end = at + html[at..].find('>').unwrap_or(html.len() - at);
    let tag = &html[start..end];
    let Some(attr) = tag.find(" integrity=\"") else {
        return html.to_owned();
    };
    let value_end = tag[attr + 12..]
        .find('"')
        .map_or(tag.len(), |e| attr + 12 + e + 1);
    format!(
        "{}{}{}{}",
        &html[..start],
        &tag[..attr],
        &tag[value_end..],
        &html[end..]
    )
}

/// The stylesheet without its comments and with every run of white space made one space (Trunk
/// 0.21 copies it as written): about 0.7 KB brotli less on every first visit. Safe for
/// `style/main.css`, whose strings hold no runs of white space and no `/*`.
fn compact_css(css: &str) -> Result<String> {
    let out = without_comments(css, "/*", "*/", " ")
        .ok_or("the stylesheet has an unterminated comment")?;
    Ok(out.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// `text` with every comment from `open` to `close` replaced by `instead`; `None` if a
/// comment is not closed.
fn without_comments(text: &str, open: &str, close: &str, instead: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(open) {
        out.push_str(&rest[..start]);
        let end = rest[start..].find(close)?;
        out.push_str(instead);
        rest = &rest[start + end + close.len()..];
    }
    out.push_str(rest);
    Some(out)
}

/// The 16 hex digits a content-hashed file name carries (`name-<hash>.ext`,
/// `name-<hash>_bg.wasm`), as the reference server recognises them.
pub fn name_hash(name: &str) -> Option<&str> {
    let stem = name.split('.').next()?;
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let (_, hash) = stem.rsplit_once('-')?;
    (hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then_some(hash)
}

/// Every file of `dist/` a server may cache for good is named by the hash of its bytes.
pub fn check_content_names(dist: &Path) -> Result {
    for entry in std::fs::read_dir(dist)
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(hash) = name_hash(&name) else {
            continue;
        };
        if name.ends_with(".br") || name.ends_with(".gz") {
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(|e| e.to_string())?;
        if content_hash(&bytes) != hash {
            return Err(format!(
                "dist/{name} is not named by its content (hash {})",
                content_hash(&bytes)
            ));
        }
    }
    Ok(())
}

/// Steps 1–4 run again from the same linked wasm, in a second folder, must give the files this
/// build wrote: names and bytes. (Cheaper than a second release build, and it covers what
/// varies between runs of the tools: HashMap order, numbering, timestamps.)
pub fn check_reproducible(dist: &Path) -> Result {
    let again = name_by_content(
        build_modules(&linked_wasm(), &root().join("target/wasm-split-again"))?,
        &ROUTE_PAGES,
        &terser,
    )?;
    for (name, bytes) in &again.files {
        let path = dist.join(name);
        match std::fs::read(&path) {
            Ok(built) if &built == bytes => {}
            Ok(_) => return Err(format!("a second run wrote different bytes to {name}")),
            Err(_) => {
                return Err(format!(
                    "a second run from the same linked wasm named a file {name}, which this \
                     build does not have: the build is not reproducible"
                ));
            }
        }
    }
    Ok(())
}

/// The entry routes whose page is a split point: the route's name in `index.html`'s first
/// paint (`data-first-paint`) and the split point that draws it (`src/lazy_routes.rs`).
// The form with its kind preset (`?classification=`, as an agency's embed opens it) needs no
// more: what happened is drawn with the form, the rest comes on the citizen's first touch.
const ROUTE_PAGES: [(&str, &[&str]); 4] = [
    ("form", &["submit_view"]),
    ("report", &["track_report_view"]),
    ("faq", &["faq_view"]),
    ("list", &["reports_view"]),
];

/// What the start-up script needs of an entry route of [`ROUTE_PAGES`]: the one file that
/// holds its page's files, and the page's own module (kept by the worker from the second visit
/// on, when the files one by one are used instead).
#[derive(Debug)]
struct RoutePage {
    bundle: String,
    page: String,
}

/// `submit_view-0123456789abcdef.wasm` → `submit_view`.
fn module_of_file(file: &str) -> serde_json::Value {
    let stem = file.strip_suffix(".wasm").unwrap_or(file);
    let module = stem.rsplit_once('-').map_or(stem, |(module, _)| module);
    serde_json::Value::String(module.to_owned())
}

/// Writes each entry route's bundle (`bundle.rs`, then wasm-opt) into `named`.
fn route_bundles(named: &mut Named, work: &Path) -> Result<BTreeMap<String, RoutePage>> {
    let folder = work.join("bundles");
    std::fs::create_dir_all(&folder).map_err(|e| e.to_string())?;
    let mut routes = BTreeMap::new();
    for (route, files) in &named.route_files {
        let parts =
            files
                .iter()
                .map(|file| {
                    named.files.get(file).map(Vec::as_slice).ok_or_else(|| {
                        format!("{LOADER} names {file}, which the build did not write")
                    })
                })
                .collect::<Result<Vec<_>>>()?;
        let merged = folder.join(format!("{route}.wasm"));
        let optimised = folder.join(format!("{route}-opt.wasm"));
        std::fs::write(&merged, crate::bundle::merge(&parts)?).map_err(|e| e.to_string())?;
        wasm_opt(&merged, &optimised)?;
        let bytes = std::fs::read(&optimised).map_err(|e| e.to_string())?;
        let bundle = format!("bundle_{route}-{}.wasm", content_hash(&bytes));
        named.files.insert(bundle.clone(), bytes);
        let page = files.first().ok_or("an entry route without files")?.clone();
        routes.insert(route.clone(), RoutePage { bundle, page });
    }
    Ok(routes)
}

/// The files the loader fetches on the first call of `split_point`: its own module and every
/// chunk it waits for, as the loader names them (`makeLoad(() => { const src = fetch(new
/// URL("./FILE", …)); … }, [DEPENDENCIES])`).
fn files_of_split_point(loader: &str, split_point: &str) -> Result<Vec<String>> {
    let export = format!("export const __wasm_split_load_{split_point} = ");
    let mut pending = vec![export];
    let mut files = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    while let Some(definition) = pending.pop() {
        if !seen.insert(definition.clone()) {
            continue;
        }
        let start = loader
            .find(&definition)
            .ok_or_else(|| format!("{LOADER} has no `{}`", definition.trim_end()))?;
        let (file, dependencies) = load_definition(&loader[start..]).ok_or_else(|| {
            format!(
                "{LOADER}: `{}` is not a loader as expected",
                definition.trim_end()
            )
        })?;
        files.push(file);
        pending.extend(
            dependencies
                .into_iter()
                .map(|chunk| format!("const {chunk} = makeLoad(")),
        );
    }
    Ok(files)
}

/// The file and the dependencies of the first `makeLoad` definition in `text`.
fn load_definition(text: &str) -> Option<(String, Vec<String>)> {
    const URL: &str = "new URL(\"./";
    let file_start = text.find(URL)? + URL.len();
    let file_end = file_start + text[file_start..].find('"')?;
    let after = &text[file_end..];
    let list_start = after.find("\n, [")? + "\n, [".len();
    let list_end = list_start + after[list_start..].find(']')?;
    let dependencies = after[list_start..list_end]
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect();
    Some((text[file_start..file_end].to_owned(), dependencies))
}

/// Replaces Trunk's start-up script and its preloads with one that starts the app after the
/// first paint: the static page in `index.html` is readable at once, and the wasm does not
/// compete with it for a slow link (nor count in its Largest Contentful Paint). The bindings and
/// the split loader they import are fetched side by side. A hidden tab, which paints nothing,
/// starts after half a second.
///
/// A module or wasm that cannot be loaded (offline, a file gone after a deploy, a wrong type)
/// shows `index.html`'s load-error notice (`#load-error`, the message matching the connection)
/// with a reload button, instead of "Memuat portal…" for ever.
///
/// The main wasm is preloaded as the bindings are imported, and with it the files of the page
/// the first paint shows when that page is split off (`route_files`, by `data-first-paint`):
/// over a slow link the page's dozens of small files would otherwise wait for the main module
/// to download and start before the first of them is asked for.
fn start_after_first_paint(
    html: &str,
    trunk_stem: &str,
    named: &Named,
    route_pages: &BTreeMap<String, RoutePage>,
) -> Result<String> {
    let script_start = html
        .find("<script type=\"module\">")
        .ok_or("index.html has no start-up script")?;
    let script_end = html[script_start..]
        .find("</script>")
        .map(|end| script_start + end + "</script>".len())
        .ok_or("index.html: unterminated start-up script")?;
    if !html[script_start..script_end].contains(&format!("/{trunk_stem}.js'")) {
        return Err(format!("the start-up script does not load {trunk_stem}.js"));
    }
    if !html.contains("id=\"load-error\"") {
        return Err("index.html has no #load-error notice".into());
    }
    let Named {
        glue,
        loader,
        main_wasm,
        ..
    } = named;
    let pages: serde_json::Map<String, serde_json::Value> = route_pages
        .iter()
        .map(|(route, page)| {
            let value = serde_json::json!({ "bundle": page.bundle, "page": page.page });
            (route.clone(), value)
        })
        .collect();
    let pages = serde_json::Value::Object(pages).to_string();
    let bootstrap = format!(
        "<script type=\"module\">\n\
         try {{\n\
         await new Promise((go) => {{ requestAnimationFrame(() => setTimeout(go, 0)); setTimeout(go, 500); }});\n\
         const route = document.documentElement.getAttribute('data-first-paint');\n\
         const pages = ({pages});\n\
         globalThis.__laporPages = pages;\n\
         const page = pages[route];\n\
         const preload = ['{main_wasm}'];\n\
         if (page) {{\n\
         let kept = false;\n\
         try {{ const at = (file) => caches.match(new URL(file, document.baseURI)); kept = navigator.serviceWorker?.controller != null && (await at(page.bundle)) === undefined && (await at(page.page)) !== undefined; }} catch {{}}\n\
         if (!kept) {{ globalThis.__laporBundle = {{ url: page.bundle, route }}; preload.push(page.bundle); }}\n\
         }}\n\
         for (const file of preload) {{\n\
         const link = document.createElement('link');\n\
         link.rel = 'preload'; link.as = 'fetch'; link.crossOrigin = 'anonymous'; link.href = file;\n\
         document.head.append(link);\n\
         }}\n\
         const [bindings] = await Promise.all([import('/{glue}'), import('/{loader}')]);\n\
         globalThis.__wasm_split_main_initSync = bindings.initSync;\n\
         const wasm = await bindings.default({{ module_or_path: '/{main_wasm}' }});\n\
         window.wasmBindings = bindings;\n\
         dispatchEvent(new CustomEvent(\"TrunkApplicationStarted\", {{ detail: {{ wasm }} }}));\n\
         }} catch (error) {{\n\
         console.error('Lapor Portal could not start', error);\n\
         const notice = document.getElementById('load-error');\n\
         if (notice) {{\n\
         notice.querySelector(navigator.onLine ? '[data-offline]' : '[data-online]')?.remove();\n\
         notice.querySelector('button').addEventListener('click', () => location.reload());\n\
         document.querySelector('.splash__note')?.remove();\n\
         notice.hidden = false;\n\
         }}\n\
         }}\n\
         </script>"
    );
    let html = format!(
        "{}{bootstrap}{}",
        &html[..script_start],
        &html[script_end..]
    );
    Ok(drop_tags(
        &drop_tags(&drop_comments(&html)?, "<link rel=\"modulepreload\""),
        "<link rel=\"preload\"",
    ))
}

/// `html` without its comments, which are for the people who read `index.html`'s source.
fn drop_comments(html: &str) -> Result<String> {
    Ok(without_comments(html, "<!--", "-->", "").ok_or("index.html: an unterminated comment")?)
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

    /// How wasm-split's loader loads one file.
    fn load(file: &str) -> String {
        format!(
            "const __chunk = makeLoad(() => {{\n    const src = fetch(new URL(\"./{file}\", import.meta.url));\n    \
             return async (imports) => (WebAssembly.instantiateStreaming(src, imports));\n}}\n, []);\n"
        )
    }

    /// What the tools give, in miniature: a loader importing the bindings and naming two
    /// modules, bindings importing the loader and naming the main wasm.
    fn modules(split_byte: u8) -> Modules {
        Modules {
            split: BTreeMap::from([
                (
                    "split_submit_view_14911813001234762678.wasm".to_owned(),
                    vec![0, 97, 115, 109, split_byte],
                ),
                ("chunk_3.wasm".to_owned(), vec![0, 97, 115, 109, 3]),
            ]),
            loader: format!(
                "{LOADER_MAIN_IMPORT}\n{}{}",
                load("chunk_3.wasm"),
                load("split_submit_view_14911813001234762678.wasm")
            ),
            main_wasm: vec![0, 97, 115, 109, 1, 2, 3],
            glue: format!(
                "import * as import1 from \"./{LOADER}\"\n\
                 module_or_path = new URL('{APP}_bg.wasm', import.meta.url);\n\
                 export function initSync() {{}}\n"
            ),
        }
    }

    #[test]
    fn every_name_is_the_hash_of_the_final_bytes() {
        let named = name_by_content(modules(7), &[], &keep_js).unwrap();
        assert_eq!(named.files.len(), 5);
        for (name, bytes) in &named.files {
            assert_eq!(
                name_hash(name),
                Some(content_hash(bytes).as_str()),
                "{name}"
            );
        }
        let text = |name: &str| String::from_utf8(named.files[name].clone()).unwrap();
        let (loader, glue) = (text(&named.loader), text(&named.glue));
        // Every reference is rewritten to the final names.
        for module in named
            .files
            .keys()
            .filter(|n| n.ends_with(".wasm") && !n.contains("_bg"))
        {
            assert!(loader.contains(&format!("\"./{module}\"")), "{loader}");
        }
        assert!(named.files.contains_key(&format!(
            "submit_view-{}.wasm",
            content_hash(&[0, 97, 115, 109, 7])
        )));
        assert!(!loader.contains("split_submit_view_") && !loader.contains("chunk_3.wasm"));
        assert!(
            glue.contains(&format!("from \"./{}\"", named.loader)),
            "{glue}"
        );
        assert!(glue.contains(&format!("'{}'", named.main_wasm)), "{glue}");
        assert!(named.glue.starts_with("lapor-portal-") && named.glue.ends_with(".js"));
        assert!(
            named.main_wasm.starts_with("lapor-portal-") && named.main_wasm.ends_with("_bg.wasm")
        );
        // No cycle: the loader does not import the bindings, whose name depends on its own.
        assert!(!loader.contains("import "), "{loader}");
        // Every file loads through the entry route's bundle when it holds it.
        assert_eq!(
            loader.matches("const src = __laporFetch(new URL(").count(),
            2,
            "{loader}"
        );
        assert_eq!(
            loader.matches("(__laporInstantiate(src, imports))").count(),
            2
        );
        assert!(!loader.contains("= fetch(new URL("), "{loader}");
        // Every file, on its own or in a bundle, is fetched with the stall deadline.
        assert_eq!(loader.matches("fetch(").count(), 1, "{loader}");
        assert!(loader.contains("return fetch(url, { signal: controller.signal })"));
        assert!(loader.contains("globalThis.__laporBundle"));
        assert!(loader.contains("globalThis.__wasm_split_main_initSync"));
    }

    #[test]
    fn the_js_is_minified_before_it_is_named() {
        let mark =
            |name: &str, text: &str| -> Result<String> { Ok(format!("{text}/*min {name}*/")) };
        let named = name_by_content(modules(7), &[], &mark).unwrap();
        let text = |name: &str| String::from_utf8(named.files[name].clone()).unwrap();
        assert!(text(&named.loader).ends_with(&format!("/*min {LOADER}*/")));
        assert!(text(&named.glue).ends_with(&format!("/*min {APP}.js*/")));
        // Named by the minified bytes; the glue imports the minified loader's name.
        assert_eq!(
            name_hash(&named.loader),
            Some(content_hash(text(&named.loader).as_bytes()).as_str())
        );
        assert!(text(&named.glue).contains(&named.loader));
        // The loader's own text stays readable for the build's next steps.
        assert!(!named.loader_source.contains("/*min"));
        assert!(
            named
                .loader_source
                .contains("__laporFetch(new URL(\"./submit_view-")
        );
    }

    #[test]
    fn the_loader_knows_each_entry_routes_modules() {
        let mut two_pages = modules(7);
        two_pages.split = BTreeMap::from([
            ("chunk_11.wasm".to_owned(), vec![0, 97, 115, 109, 11]),
            ("chunk_12.wasm".to_owned(), vec![0, 97, 115, 109, 12]),
            (
                "split_faq_view_14911813001234762671.wasm".to_owned(),
                vec![0, 97, 115, 109, 13],
            ),
            (
                "split_submit_view_14911813001234762672.wasm".to_owned(),
                vec![0, 97, 115, 109, 14],
            ),
        ]);
        two_pages.loader = format!(
            "{LOADER_MAIN_IMPORT}\n{}",
            TWO_PAGES_LOADER
                .replace("chunk_11-aaaaaaaaaaaaaaaa", "chunk_11")
                .replace("chunk_12-bbbbbbbbbbbbbbbb", "chunk_12")
                .replace(
                    "faq_view-cccccccccccccccc",
                    "split_faq_view_14911813001234762671"
                )
                .replace(
                    "submit_view-dddddddddddddddd",
                    "split_submit_view_14911813001234762672"
                )
        );
        let routes: [(&str, &[&str]); 3] = [
            ("faq", &["faq_view"]),
            ("form", &["submit_view"]),
            ("both", &["submit_view", "faq_view"]),
        ];
        let named = name_by_content(two_pages, &routes, &keep_js).unwrap();
        let hashed = |module: &str, byte: u8| {
            format!("{module}-{}.wasm", content_hash(&[0, 97, 115, 109, byte]))
        };
        assert_eq!(
            named.route_files["faq"],
            [hashed("faq_view", 13), hashed("chunk_11", 11)]
        );
        assert_eq!(named.route_files["form"].len(), 3);
        // Several split points in one bundle: each file once, the first split point's own first.
        assert_eq!(named.route_files["both"].len(), 4);
        assert_eq!(named.route_files["both"][0], named.route_files["form"][0]);
        assert!(
            named.loader_source.contains(
                r#"const __laporRoutes = {"both":["submit_view","chunk_12","chunk_11","faq_view"],"faq":["faq_view","chunk_11"],"form":["submit_view","chunk_12","chunk_11"]};"#
            ),
            "{}",
            named.loader_source
        );
        // A route whose page the loader does not know fails the build.
        assert!(name_by_content(modules(7), &routes, &keep_js).is_err());
    }

    #[test]
    fn a_change_anywhere_below_renames_everything_above_it() {
        let one = name_by_content(modules(7), &[], &keep_js).unwrap();
        let same = name_by_content(modules(7), &[], &keep_js).unwrap();
        assert_eq!(one, same, "the same inputs give the same files");
        let other = name_by_content(modules(8), &[], &keep_js).unwrap();
        assert_ne!(
            one.loader, other.loader,
            "the loader names a changed module"
        );
        assert_ne!(one.glue, other.glue, "the bindings import a changed loader");
        assert_eq!(
            one.main_wasm, other.main_wasm,
            "the main wasm did not change"
        );
        let mut changed_main = modules(7);
        changed_main.main_wasm.push(9);
        let changed_main = name_by_content(changed_main, &[], &keep_js).unwrap();
        assert_ne!(one.main_wasm, changed_main.main_wasm);
        assert_ne!(one.glue, changed_main.glue);
        assert_eq!(one.loader, changed_main.loader);
    }

    #[test]
    fn the_loaders_shared_imports_have_one_order() {
        let run = |order: &str| {
            format!(
                "        sharedImports = {{ __wasm_split: {{  }} }};\n\
                 \x20       const {{ {order} }} = initSync(undefined, undefined);\n\
                 \x20       Object.assign(sharedImports.__wasm_split, {{ {order} }});\n\
                 const a = {{ b, a }};\n"
            )
        };
        let one = sort_shared_imports(&run(
            "memory, __wasm_split_shared0, __indirect_function_table, ",
        ));
        let two = sort_shared_imports(&run(
            "__indirect_function_table, memory, __wasm_split_shared0, ",
        ));
        assert_eq!(one, two);
        assert!(
            one.contains(
                "const { __indirect_function_table, __wasm_split_shared0, memory,  } = initSync("
            ),
            "{one}"
        );
        assert!(
            one.contains("const a = { b, a };"),
            "other code is left alone"
        );
        assert!(one.contains("sharedImports = { __wasm_split: {  } };"));
    }

    #[test]
    fn unexpected_tool_output_is_an_error_not_a_broken_build() {
        let mut no_import = modules(7);
        no_import.loader = no_import.loader.replace(LOADER_MAIN_IMPORT, "");
        assert!(name_by_content(no_import, &[], &keep_js).is_err());
        let mut unnamed = modules(7);
        unnamed.split.insert("chunk_9.wasm".into(), vec![9]);
        assert!(name_by_content(unnamed, &[], &keep_js).is_err());
        let mut glue = modules(7);
        glue.glue = "no loader here".into();
        assert!(name_by_content(glue, &[], &keep_js).is_err());
        // A loader that fetches its files some other way could not use the bundles.
        let mut other_fetch = modules(7);
        other_fetch.loader = other_fetch
            .loader
            .replace("instantiateStreaming(src", "instantiate(src");
        assert!(name_by_content(other_fetch, &[], &keep_js).is_err());
    }

    #[test]
    fn a_dist_whose_names_lie_is_refused() {
        let dir = std::env::temp_dir().join(format!("xtask-names-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let honest = format!("app-{}.js", content_hash(b"new"));
        std::fs::write(dir.join(&honest), "new").unwrap();
        std::fs::write(dir.join("sw.js"), "unhashed").unwrap();
        std::fs::write(dir.join(format!("{honest}.br")), "compressed").unwrap();
        assert_eq!(check_content_names(&dir), Ok(()));
        std::fs::write(
            dir.join(format!("app-{}_bg.wasm", content_hash(b"old"))),
            "new",
        )
        .unwrap();
        assert!(check_content_names(&dir).unwrap_err().contains("_bg.wasm"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn stylesheets_lose_comments_and_runs_of_white_space() {
        let css = "/* theme */\n:root {\n  --a: 1px;\n}\n\na:hover, .b .c:focus { font: 1rem \"Segoe UI\", x; }/* end */";
        assert_eq!(
            compact_css(css).unwrap(),
            ":root { --a: 1px; } a:hover, .b .c:focus { font: 1rem \"Segoe UI\", x; }"
        );
        assert!(compact_css("a { } /* open").is_err());
    }

    #[test]
    fn stylesheets_are_renamed_by_the_same_hash() {
        let dir = std::env::temp_dir().join(format!("xtask-css-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("main-f2da8538e979413.css"), "/* x */\nbody {\n}\n").unwrap();
        let html =
            r#"<link rel="stylesheet" href="/main-f2da8538e979413.css" integrity="sha384-q"><p>"#;
        let out = rename_stylesheets(&dir, html.to_owned()).unwrap();
        let hashed = format!("main-{}.css", content_hash(b"body { }"));
        // Trunk's integrity hash named the bytes before compacting: it goes.
        assert_eq!(
            out,
            format!(r#"<link rel="stylesheet" href="/{hashed}"><p>"#)
        );
        assert_eq!(
            std::fs::read_to_string(dir.join(&hashed)).unwrap(),
            "body { }"
        );
        assert!(!dir.join("main-f2da8538e979413.css").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_app_starts_after_the_first_paint_without_trunks_preloads() {
        let html = concat!(
            r#"<link rel="stylesheet" href="/m.css" integrity="sha384-q">"#,
            "<!-- For the reader of the source:\n  <script> -->",
            "<script type=\"module\">\nimport init, * as bindings from '/app-1.js';\n",
            "const wasm = await init({ module_or_path: '/app-1_bg.wasm' });\n</script>",
            r#"<link rel="modulepreload" href="/app-1.js" crossorigin="anonymous" integrity="sha384-a">"#,
            r#"<link rel="preload" href="/app-1_bg.wasm" as="fetch" type="application/wasm"></head>"#,
            r#"<body><div id="load-error" hidden><p data-online>x</p><p data-offline>y</p><button>z</button></div></body>"#,
        );
        let named = name_by_content(modules(7), &[], &keep_js).unwrap();
        let pages = BTreeMap::from([(
            "form".to_owned(),
            RoutePage {
                bundle: "bundle_form-1.wasm".to_owned(),
                page: "submit_view-1.wasm".to_owned(),
            },
        )]);
        let out = start_after_first_paint(html, "app-1", &named, &pages).unwrap();
        assert!(out.starts_with(r#"<link rel="stylesheet" href="/m.css" integrity="sha384-q"><script type="module">"#), "{out}");
        assert!(
            !out.contains("<!--") && !out.contains("the reader"),
            "comments go: {out}"
        );
        assert!(out.contains("</script></head><body>"), "{out}");
        // Trunk's preloads (with the unsplit files' integrity hashes) are gone.
        assert!(!out.contains("<link rel=\"modulepreload\""), "{out}");
        assert!(!out.contains("<link rel=\"preload\""), "{out}");
        assert!(!out.contains("app-1"), "Trunk's names are gone: {out}");
        assert!(out.contains("requestAnimationFrame"));
        assert!(out.contains(&format!(
            "import('/{}'), import('/{}')",
            named.glue, named.loader
        )));
        assert!(out.contains(&format!("module_or_path: '/{}'", named.main_wasm)));
        assert!(out.contains("globalThis.__wasm_split_main_initSync = bindings.initSync"));
        // The main wasm, and the split-off page the first paint shows, are preloaded: as its
        // bundle unless the worker keeps its files and not the bundle.
        assert!(
            out.contains(r#"const pages = ({"form":{"bundle":"bundle_form-1.wasm","page":"submit_view-1.wasm"}});"#),
            "{out}"
        );
        assert!(out.contains("const page = pages[route];"));
        // The loader reads every route's bundle, to fall back on one kept by the worker.
        assert!(
            out.find("globalThis.__laporPages = pages;").unwrap() < out.find("import('/").unwrap()
        );
        assert!(
            out.contains(
                "const route = document.documentElement.getAttribute('data-first-paint');"
            )
        );
        assert!(out.contains(&format!("const preload = ['{}'];", named.main_wasm)));
        // The files one by one only when the worker keeps the page's file and not the bundle:
        // a kept bundle is whole, while the worker may still be fetching the files it holds.
        assert!(
            out.contains("const at = (file) => caches.match(new URL(file, document.baseURI));")
        );
        assert!(out.contains(
            "(await at(page.bundle)) === undefined && (await at(page.page)) !== undefined"
        ));
        assert!(out.contains(
            "if (!kept) { globalThis.__laporBundle = { url: page.bundle, route }; preload.push(page.bundle); }"
        ));
        assert!(
            out.contains("link.rel = 'preload'; link.as = 'fetch'; link.crossOrigin = 'anonymous'; link.href = file;")
        );
        // The bundle is named before the loader is imported, which reads it once.
        assert!(out.find("globalThis.__laporBundle").unwrap() < out.find("import('/").unwrap());
        // A failure shows the notice with a reload button instead of waiting for ever.
        assert!(out.contains("} catch (error) {"));
        assert!(out.contains("getElementById('load-error')"));
        assert!(out.contains("location.reload()"));
        assert!(start_after_first_paint(html, "other", &named, &pages).is_err());
        let without_notice = html.replace("id=\"load-error\"", "");
        assert!(start_after_first_paint(&without_notice, "app-1", &named, &pages).is_err());
    }

    /// Two split points sharing a chunk, as wasm-split writes its loader.
    const TWO_PAGES_LOADER: &str = r#"function makeLoad(fetcher, deps) { }
/* faq_view, submit_view */
const __chunk_11 = makeLoad(() => {
    const src = fetch(new URL("./chunk_11-aaaaaaaaaaaaaaaa.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, []);
/* submit_view */
const __chunk_12 = makeLoad(() => {
    const src = fetch(new URL("./chunk_12-bbbbbbbbbbbbbbbb.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, []);
export const __wasm_split_load_faq_view = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./faq_view-cccccccccccccccc.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, [__chunk_11]));
export const __wasm_split_load_submit_view = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./submit_view-dddddddddddddddd.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, [__chunk_11, __chunk_12]));
"#;

    #[test]
    fn a_split_points_files_are_its_module_and_the_chunks_it_waits_for() {
        let mut submit = files_of_split_point(TWO_PAGES_LOADER, "submit_view").unwrap();
        submit.sort();
        assert_eq!(
            submit,
            [
                "chunk_11-aaaaaaaaaaaaaaaa.wasm",
                "chunk_12-bbbbbbbbbbbbbbbb.wasm",
                "submit_view-dddddddddddddddd.wasm"
            ]
        );
        let faq = files_of_split_point(TWO_PAGES_LOADER, "faq_view").unwrap();
        assert_eq!(
            faq,
            [
                "faq_view-cccccccccccccccc.wasm",
                "chunk_11-aaaaaaaaaaaaaaaa.wasm"
            ]
        );
        // A page the loader does not know (a renamed split point) fails the build.
        assert!(files_of_split_point(TWO_PAGES_LOADER, "reports_view").is_err());
        let broken = TWO_PAGES_LOADER.replace("const __chunk_12 = ", "const __chunk_99 = ");
        assert!(files_of_split_point(&broken, "submit_view").is_err());
    }

    #[test]
    fn a_data_segment_wasm_split_put_whole_in_main_fails_the_build() {
        let warned = "\u{1b}[33m WARN\u{1b}[0m wasm_split_cli_support::emit: Overlong segment 0 by 15 after relocation, putting it in main module.\n";
        let error = check_data_kept_apart(warned).unwrap_err();
        assert!(error.contains("Overlong segment 0 by 15"), "{error}");
        assert!(error.contains("SPLIT_DATA_SLACK"), "{error}");
        assert!(check_data_kept_apart("INFO emitting 12 modules\n").is_ok());
    }
}
