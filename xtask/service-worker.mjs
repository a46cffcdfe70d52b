// Generates dist/sw.js with Workbox (npm `workbox-build`, bundled into the one file: no CDN).
// Run by `cargo xtask` after a release build: `node xtask/service-worker.mjs dist`.
//
// - The app shell (index.html, the hashed wasm/JS/CSS, manifest, favicon) is precached, so after
//   one visit the portal opens with no network. URLs are relative to sw.js, so the same worker
//   works at the site root and under a sub-path.
// - Navigations are answered with the precached index.html (the app routes on the client).
// - GET requests made by the app (config.json, the API) are network-first with a cached
//   fallback; config.json is not precached, so a deployer's edit reaches visitors at once.
// - Caches are versioned: precache entries by content revision (old ones removed on
//   activate), runtime caches by name.
// - A new version waits until the citizen accepts the app's offer (message SKIP_WAITING).
// - The pages' own code (the wasm modules `cargo xtask` split off at the lazy routes) is not
//   precached: a first visit downloads only what it shows. Fetched pages are kept (cache-first:
//   their names carry their content hash), and sw-app.js fetches the rest on request of the app
//   from the second visit on. Their list is written at the top of sw.js itself, which the
//   browser always checks for a new version (an imported script may come from the HTTP cache).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { generateSW } from 'workbox-build';

const dist = process.argv[2] ?? 'dist';

const isPageCode = (name) => name.endsWith('.wasm') && !name.endsWith('_bg.wasm');
const pageFiles = readdirSync(dist).filter(isPageCode).sort();

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
  // Trunk's file names carry their content hash: no cache-busting query needed.
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
        cacheName: 'lapor-pages-v1',
        expiration: { maxEntries: 60 },
        cacheableResponse: { statuses: [200] },
      },
    },
    {
      // Requests from script (fetch/XHR have no destination), not attachments' downloads.
      urlPattern: ({ request, url }) =>
        request.destination === '' && !url.pathname.includes('/attachments/'),
      handler: 'NetworkFirst',
      method: 'GET',
      options: {
        cacheName: 'lapor-data-v1',
        networkTimeoutSeconds: 10,
        expiration: { maxEntries: 300, maxAgeSeconds: 30 * 24 * 60 * 60 },
        cacheableResponse: { statuses: [200] },
      },
    },
  ],
});

const worker = readFileSync(`${dist}/sw.js`, 'utf8');
writeFileSync(`${dist}/sw.js`, `self.LAPOR_PAGE_FILES = ${JSON.stringify(pageFiles)};\n${worker}`);

for (const warning of warnings) console.warn(`workbox: ${warning}`);
console.log(`service worker: ${count} files precached, ${(size / 1024).toFixed(0)} KiB`);
