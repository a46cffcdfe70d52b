// Writes dist/sw.js: the lists of this build's files, then public/sw.js (the worker itself,
// which Trunk copied to dist/sw.js), minified. Run by `cargo xtask` after a release build:
// `node xtask/service-worker.mjs dist`.
//
// - LAPOR_SHELL, the app shell the worker precaches at install: index.html, the bindings, the
//   split loader, the stylesheet and the main wasm (their names carry their content's hash),
//   the manifest and the icon. Names without a hash carry a revision (the content's md5), so a
//   deploy that changes them makes a new worker. URLs are relative to sw.js, so the same
//   worker works at the site root and under a sub-path. config.json is not precached, so a
//   deployer's edit reaches visitors at once.
// - LAPOR_PAGE_FILES: the pages' own code (the wasm modules `cargo xtask` split off at the
//   lazy routes), not precached: a first visit downloads only what it shows. The worker keeps
//   what was fetched and fetches the rest on request of the app from the second visit on.
// - LAPOR_BUNDLES: each entry route's bundle (xtask/src/bundle.rs), which holds files of the
//   list above again: it serves a first visit that lands on that route, and is kept only when
//   that visit downloaded it.
// The lists are written at the top of sw.js itself, one per line (end2end/tests/lazy.spec.ts and
// deploy.spec.ts read them), which the browser always checks for a new version.
//
// Until 2026-12-03 this generated the worker with Workbox (`workbox-build`, its runtime inlined):
// 27 KB raw, 8.7 KB brotli on every first visit for precaching, two runtime caches and a
// navigation fallback. public/sw.js does the same in about a tenth of that.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { minify } from 'terser';

const dist = process.argv[2] ?? 'dist';

const worker = readFileSync(`${dist}/sw.js`, 'utf8');
if (worker.startsWith('self.LAPOR_SHELL')) throw new Error(`${dist}/sw.js was already written`);
for (const name of ['lapor-pages-v1', 'lapor-data-v1']) {
  if (!worker.includes(`'${name}'`)) throw new Error(`sw.js does not use the cache name ${name}`);
}

const files = readdirSync(dist);
const hashed = /-[0-9a-f]{16}(_bg)?\.(js|wasm|css)$/;
const isBundle = (name) => name.startsWith('bundle_') && name.endsWith('.wasm');
const isPageCode = (name) => name.endsWith('.wasm') && !name.endsWith('_bg.wasm') && !isBundle(name);
const isShell = (name) =>
  name === 'index.html' ||
  name === 'manifest.webmanifest' ||
  name.endsWith('_bg.wasm') ||
  ((name.endsWith('.js') || name.endsWith('.css')) && hashed.test(name));
const pageFiles = files.filter(isPageCode).sort();
const bundleFiles = files.filter(isBundle).sort();
const shell = [...files.filter(isShell).sort(), 'icons/icon.svg'].map((url) => ({
  url,
  revision: hashed.test(url) ? null : createHash('md5').update(readFileSync(`${dist}/${url}`)).digest('hex'),
}));
for (const part of ['index.html', '_bg.wasm', '.css']) {
  if (!shell.some(({ url }) => url.endsWith(part))) throw new Error(`the shell has no ${part}`);
}

// `{url:"…",revision:"…"}`, as deploy.spec.ts finds index.html's revision.
const shellList = shell.map(({ url, revision }) => `{url:${JSON.stringify(url)},revision:${JSON.stringify(revision)}}`);
const { code } = await minify(worker, { compress: true, mangle: true });
writeFileSync(
  `${dist}/sw.js`,
  `self.LAPOR_SHELL = [${shellList.join(',')}];\n` +
    `self.LAPOR_PAGE_FILES = ${JSON.stringify(pageFiles)};\n` +
    `self.LAPOR_BUNDLES = ${JSON.stringify(bundleFiles)};\n` +
    code,
);
console.log(`service worker: ${shell.length} files precached, ${pageFiles.length} page files, ${bundleFiles.length} bundles`);
