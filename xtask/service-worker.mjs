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
import { generateSW } from 'workbox-build';

const dist = process.argv[2] ?? 'dist';

const { count, size, warnings } = await generateSW({
  globDirectory: dist,
  globPatterns: ['index.html', '*.{js,wasm,css,webmanifest}', 'icons/icon.svg'],
  globIgnores: ['embed.js', 'sw.js', 'sw-sync.js'],
  swDest: `${dist}/sw.js`,
  cacheId: 'lapor',
  mode: 'production',
  sourcemap: false,
  inlineWorkboxRuntime: true,
  importScripts: ['sw-sync.js'],
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

for (const warning of warnings) console.warn(`workbox: ${warning}`);
console.log(`service worker: ${count} files precached, ${(size / 1024).toFixed(0)} KiB`);
