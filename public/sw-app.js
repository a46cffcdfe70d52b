// The portal's own additions to the generated service worker (sw.js imports this file; `cargo
// xtask` writes the names of the pages' code files at the top of sw.js: LAPOR_PAGE_FILES).
//
// Cache names, stable (xtask/service-worker.mjs configures Workbox with the same ones and
// checks it; the app deletes a report's copies from the data cache on "remove from this
// device"):
// - `lapor-pages-v1`: the pages' split-off code, `<module>-<hash>.wasm`;
// - `lapor-data-v1`: config.json and API answers fetched without an access code, keyed by URL;
// - `lapor-precache-v2-<scope>`: Workbox's precache of the shell.
const PAGES_CACHE = 'lapor-pages-v1';
const DATA_CACHE = 'lapor-data-v1';
self.LAPOR_CACHES = { pages: PAGES_CACHE, data: DATA_CACHE };

// The types each kind of kept response must have: a server or host that answers a missing
// file with its HTML page must not leave that page under a wasm's name, nor in the data.
// (The shell's scripts and stylesheet are Workbox's precache, fetched at install from the
// manifest of the same deploy; a failed fetch there fails the install and keeps the old worker.)
const EXPECTED_TYPES = {
  wasm: ['application/wasm'],
  data: ['application/json', 'application/problem+json'],
};

// The one rule for what any cache of this worker may keep: a complete 200 answer of the
// expected type, that the server lets be stored, to a request that carried no access code.
self.laporMayKeep = (request, response, kind) => {
  if (!response || response.status !== 200 || response.type === 'opaque') return false;
  if (request.headers.has('X-Access-Code')) return false;
  const cacheControl = (response.headers.get('Cache-Control') ?? '').toLowerCase();
  if (/(^|[\s,])(no-store|private)([\s,=]|$)/.test(cacheControl)) return false;
  const type = (response.headers.get('Content-Type') ?? '').split(';')[0].trim().toLowerCase();
  return (EXPECTED_TYPES[kind] ?? []).includes(type);
};

// Background Sync for the outbox: when the browser fires the sync the app asked for, open
// windows of the portal are told to send what waits (the app holds the outbox and sends it with
// its own code and Idempotency-Keys). With no window open the outbox is sent at the next start.
self.addEventListener('sync', (event) => {
  if (event.tag !== 'lapor-outbox') return;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      for (const w of windows) w.postMessage({ type: 'lapor-outbox-sync' });
    }),
  );
});

// The pages' code (the form, tracking, FAQ) is not part of the first visit's download. The app
// asks for it here: `{ type: 'lapor-cache-pages', httpCacheOnly: true }` when this worker first
// takes control (keeps what the visit already downloaded, no network), and without
// `httpCacheOnly` on later visits and when the portal is installed (fetches what is missing;
// not when the browser asks to save data), so every page opens offline from the second visit on.
self.addEventListener('message', (event) => {
  if (event.data?.type !== 'lapor-cache-pages') return;
  event.waitUntil(cachePages(event.data.httpCacheOnly === true));
});

async function cachePages(httpCacheOnly) {
  const cache = await caches.open(PAGES_CACHE);
  const href = (name) => new URL(name, self.registration.scope).href;
  const files = (self.LAPOR_PAGE_FILES ?? []).map(href);
  // An entry route's bundle (its page's files in one) is kept only from the visit that
  // downloaded it: the files one by one serve every later visit.
  const bundles = (self.LAPOR_BUNDLES ?? []).map(href);
  // Files of earlier versions go (their names carry another content hash).
  for (const request of await cache.keys()) {
    if (!files.includes(request.url) && !bundles.includes(request.url)) await cache.delete(request);
  }
  const wanted = httpCacheOnly ? [...files, ...bundles] : files;
  for (const url of wanted) {
    if (await cache.match(url)) continue;
    try {
      const response = await fetch(
        url,
        httpCacheOnly ? { cache: 'only-if-cached', mode: 'same-origin' } : {},
      );
      if (self.laporMayKeep(new Request(url), response, 'wasm')) await cache.put(url, response);
    } catch {
      // Not downloaded yet, or offline: the next visit tries again.
    }
  }
}
