// Generates dist/sw.js with Workbox (npm `workbox-build`, bundled into the one file: no CDN).
// Run by `cargo xtask` after a release build: `node xtask/service-worker.mjs dist`.
//
// - The app shell (index.html, the hashed wasm/JS/CSS, manifest, favicon) is precached, so after
//   one visit the portal opens with no network. URLs are relative to sw.js, so the same worker
//   works at the site root and under a sub-path.
// - Navigations are answered with the precached index.html only (the app routes on the
//   client); no page a navigation fetched is ever kept.
// - GET requests made by the app (config.json, the API) are network-first with a cached
//   fallback; config.json is not precached, so a deployer's edit reaches visitors at once.
//   A request carrying an access code (`X-Access-Code`) never goes through the cache at all.
// - What is kept is checked by sw-app.js's `laporMayKeep` (one rule for every cache): status
//   200, no `Cache-Control: no-store`/`private`, no access code on the request, and the type
//   the rule expects (wasm → application/wasm, JS → javascript, CSS → text/css, data → JSON or
//   problem+json), so an HTML page can never be kept under a script's or wasm's name.
// - Caches are versioned: precache entries by content revision (old ones removed on
//   activate), runtime caches by name.
// - A new version waits until the citizen accepts the app's offer (message SKIP_WAITING).
// - The pages' own code (the wasm modules `cargo xtask` split off at the lazy routes) is not
//   precached: a first visit downloads only what it shows. Fetched pages are kept (cache-first:
//   their names carry their content hash), and sw-app.js fetches the rest on request of the app
//   from the second visit on. Their list is written at the top of sw.js itself, which the
//   browser always checks for a new version (an imported script may come from the HTTP cache).
//
// Cache names (stable: the app deletes a report's copies from the data cache when the citizen
// removes it from the device, and sw-app.js uses the same names; checked below):
// - `lapor-precache-v2-<scope>`: Workbox's precache of the shell (cacheId `lapor`);
// - `lapor-pages-v1`: the pages' split-off code (`<module>-<hash>.wasm`), cache-first;
// - `lapor-data-v1`: config.json and API answers fetched without an access code, keyed by URL.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { generateSW } from 'workbox-build';
import { minify } from 'terser';

const dist = process.argv[2] ?? 'dist';

const PAGES_CACHE = 'lapor-pages-v1';
const DATA_CACHE = 'lapor-data-v1';
const appScript = readFileSync(`${dist}/sw-app.js`, 'utf8');
for (const name of [PAGES_CACHE, DATA_CACHE]) {
  if (!appScript.includes(`'${name}'`)) throw new Error(`sw-app.js does not use the cache name ${name}`);
}

// Each entry route's bundle (xtask/src/bundle.rs) holds files of the first list again: it
// serves a first visit that lands on that route. The worker keeps a bundle only when the visit
// already downloaded it, and fetches the files one by one from the second visit on.
// sw-app.js is fetched with the worker on a first visit: minified, a third of its size. (A classic
// script: its top-level names, which sw.js calls, are kept.)
writeFileSync(`${dist}/sw-app.js`, (await minify(appScript, { compress: true, mangle: true })).code);

const isBundle = (name) => name.startsWith('bundle_') && name.endsWith('.wasm');
const isPageCode = (name) => name.endsWith('.wasm') && !name.endsWith('_bg.wasm') && !isBundle(name);
const pageFiles = readdirSync(dist).filter(isPageCode).sort();
const bundleFiles = readdirSync(dist).filter(isBundle).sort();
const pageCacheEntries = Math.max(120, 2 * (pageFiles.length + bundleFiles.length));

const { count, size, warnings } = await generateSW({
  globDirectory: dist,
  globPatterns: ['index.html', '*.{js,css,webmanifest}', '*_bg.wasm', 'icons/icon.svg'],
  globIgnores: ['embed.js', 'sw.js', 'sw-app.js'],
  swDest: `${dist}/sw.js`,
  cacheId: 'lapor',
  mode: 'production',
  sourcemap: false,
  inlineWorkboxRuntime: true,
  importScripts: ['sw-app.js'],
  cleanupOutdatedCaches: true,
  clientsClaim: true,
  skipWaiting: false,
  // These names carry the hash of their content (xtask/src/split.rs): no cache-busting query.
  dontCacheBustURLsMatching: /-[0-9a-f]{16}(_bg)?\.(js|wasm|css)$/,
  maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
  navigateFallback: 'index.html',
  navigateFallbackDenylist: [/\/api\//, /\/open311\//, /\/admin\//, /\/__outbox\//],
  runtimeCaching: [
    {
      // The pages' code: content-hashed names, so a cached copy is never stale. (Workbox
      // copies this function's text into sw.js: it cannot call isPageCode.)
      urlPattern: ({ url }) => url.pathname.endsWith('.wasm') && !url.pathname.endsWith('_bg.wasm'),
      handler: 'CacheFirst',
      method: 'GET',
      options: {
        cacheName: PAGES_CACHE,
        // Room for every file of this version and the next: Workbox evicts beyond the limit,
        // and a page whose files were evicted would not open offline (cachePages in
        // sw-app.js removes earlier versions' files itself).
        expiration: { maxEntries: pageCacheEntries },
        // Workbox copies the plugin's text into sw.js, where sw-app.js (imported first) defines
        // laporMayKeep.
        plugins: [{ cacheWillUpdate: ({ request, response }) => (self.laporMayKeep(request, response, 'wasm') ? response : null) }],
      },
    },
    {
      // Requests from script (fetch/XHR have no destination), not attachments' downloads, and
      // never one with an access code: it goes to the network alone, neither kept nor answered
      // from a copy.
      urlPattern: ({ request, url }) =>
        request.destination === '' &&
        !url.pathname.includes('/attachments/') &&
        !request.headers.has('X-Access-Code'),
      handler: 'NetworkFirst',
      method: 'GET',
      options: {
        cacheName: DATA_CACHE,
        networkTimeoutSeconds: 10,
        expiration: { maxEntries: 300, maxAgeSeconds: 30 * 24 * 60 * 60 },
        plugins: [{ cacheWillUpdate: ({ request, response }) => (self.laporMayKeep(request, response, 'data') ? response : null) }],
      },
    },
  ],
});

const worker = readFileSync(`${dist}/sw.js`, 'utf8');
writeFileSync(
  `${dist}/sw.js`,
  `self.LAPOR_PAGE_FILES = ${JSON.stringify(pageFiles)};\nself.LAPOR_BUNDLES = ${JSON.stringify(bundleFiles)};\n${worker}`,
);

for (const warning of warnings) console.warn(`workbox: ${warning}`);
console.log(`service worker: ${count} files precached, ${(size / 1024).toFixed(0)} KiB`);
