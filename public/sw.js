// The portal's service worker. `cargo xtask` (xtask/service-worker.mjs) writes three lists at
// the top of dist/sw.js and this file, minified, below them:
// - LAPOR_SHELL: the app shell (index.html, the hashed bindings, split loader, stylesheet and
//   main wasm, the manifest, the icon), `{ url, revision }` relative to sw.js, with `revision`
//   the content's md5 for names that carry no hash; precached at install, so after one visit
//   the portal opens with no network, at the site root or under a sub-path alike;
// - LAPOR_PAGE_FILES: the pages' split-off code, `<module>-<hash>.wasm`;
// - LAPOR_BUNDLES: each entry route's bundle of its page's files.
// The browser checks sw.js itself for a new version on every navigation, so a deploy's new
// lists reach a returning visitor; the new worker waits until the citizen accepts the app's
// offer (`SKIP_WAITING`).
//
// It was Workbox's generated worker until 2026-12-03: the same behaviour in a few KB instead
// of 8.7 KB brotli on every first visit (benches/gaps.md).
//
// Cache names: the app deletes a report's copies from the data cache when the citizen removes
// it from the device, and the end-to-end tests read them:
// - `lapor-shell-<hash of the scope>-<hash of LAPOR_SHELL>`: the shell of one version, removed
//   once a newer worker of the same scope activates;
// - `lapor-pages-v1`: the pages' split-off code, cache-first (names carry their content hash);
// - `lapor-data-v1`: config.json and API answers fetched without an access code, keyed by URL,
//   network-first.

const PAGES_CACHE = 'lapor-pages-v1';
const DATA_CACHE = 'lapor-data-v1';
self.LAPOR_CACHES = { pages: PAGES_CACHE, data: DATA_CACHE };

// The types each kind of kept response must have: a server or host that answers a missing
// file with its HTML page must not leave that page under a wasm's name, nor in the data.
// (The shell is fetched at install from the lists of the same deploy; a failed fetch, or an
// HTML page under another file's name, fails the install and keeps the old worker.)
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

const SHELL = self.LAPOR_SHELL ?? [];
// One cache per portal (its scope: two portals may share an origin under different paths) and
// version of the shell: a new worker fills its own while the old one serves.
const SHELL_CACHES = `lapor-shell-${hashOf(self.registration.scope)}-`;
const SHELL_CACHE = `${SHELL_CACHES}${hashOf(JSON.stringify(SHELL))}`;
const NETWORK_TIMEOUT_MS = 10_000;
const DATA_MAX_ENTRIES = 300;
const DATA_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
// Room for every page file of this version and the next (cachePages removes earlier versions').
const PAGES_MAX_ENTRIES = Math.max(120, 2 * ((self.LAPOR_PAGE_FILES ?? []).length + (self.LAPOR_BUNDLES ?? []).length));
// Navigations to these go to the network: they are not the app's pages.
const NOT_APP_PAGES = /\/(api|open311|admin|__outbox)\//;

function hashOf(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16);
}

const inScope = (name) => new URL(name, self.registration.scope).href;
// The shell's URLs, resolved once: every request is checked against them.
const SHELL_HREFS = new Set(SHELL.map(({ url }) => inScope(url)));

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      // The cache's name carries every revision: what it holds is this version's.
      const cache = await caches.open(SHELL_CACHE);
      for (const { url, revision } of SHELL) {
        const href = inScope(url);
        if (await cache.match(href)) continue;
        // A name without a hash is asked of the server, not of the HTTP cache.
        const response = await fetch(href, { cache: revision ? 'no-cache' : 'default' });
        const type = (response.headers.get('Content-Type') ?? '').toLowerCase();
        if (response.status !== 200 || (!url.endsWith('.html') && type.startsWith('text/html'))) {
          throw new Error(`the shell file ${url} could not be fetched (${response.status})`);
        }
        // A redirected answer cannot answer a navigation: keep its content under this name.
        const kept = response.redirected
          ? new Response(await response.blob(), { status: 200, headers: response.headers })
          : response;
        await cache.put(href, kept);
      }
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      // This portal's earlier shells go, and its Workbox precache from before 2026-12-03.
      for (const name of await caches.keys()) {
        const earlierShell = name.startsWith(SHELL_CACHES) && name !== SHELL_CACHE;
        if (earlierShell || name === `lapor-precache-v2-${self.registration.scope}`) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (request.mode === 'navigate') {
    // The app routes on the client: every page of it is the shell's index.html. No page a
    // navigation fetched is ever kept.
    if (url.origin !== self.location.origin || NOT_APP_PAGES.test(url.pathname)) return;
    event.respondWith(fromShell(inScope('index.html'), request));
    return;
  }
  // A shell file's URL is in this worker's scope, so of its origin.
  if (SHELL_HREFS.has(url.origin + url.pathname)) {
    event.respondWith(fromShell(url.origin + url.pathname, request));
  } else if (url.pathname.endsWith('.wasm') && !url.pathname.endsWith('_bg.wasm')) {
    event.respondWith(pageCode(event, request));
  } else if (
    // Requests from script (fetch/XHR have no destination), not attachments' downloads, and
    // never one with an access code: it goes to the network alone, neither kept nor answered
    // from a copy.
    request.destination === '' &&
    !url.pathname.includes('/attachments/') &&
    !request.headers.has('X-Access-Code')
  ) {
    event.respondWith(data(event, request));
  }
});

async function fromShell(href, request) {
  const cache = await caches.open(SHELL_CACHE);
  return (await cache.match(href)) ?? fetch(request);
}

// The pages' code: content-hashed names, so a kept copy is never stale.
async function pageCode(event, request) {
  const cache = await caches.open(PAGES_CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (self.laporMayKeep(request, response, 'wasm')) {
    event.waitUntil(keep(PAGES_CACHE, request, response.clone(), PAGES_MAX_ENTRIES));
  }
  return response;
}

// Network first; the kept copy when the network fails, or takes longer than 10 s and a copy is
// kept. The answer is kept (when the rule lets it) even if the copy answered first.
function data(event, request) {
  const network = fetch(request);
  event.waitUntil(
    network
      .then((response) =>
        self.laporMayKeep(request, response, 'data')
          ? keep(DATA_CACHE, request, response.clone(), DATA_MAX_ENTRIES)
          : undefined,
      )
      .catch(() => {}),
  );
  return (async () => {
    const slow = new Promise((resolve) => setTimeout(resolve, NETWORK_TIMEOUT_MS));
    try {
      const first = await Promise.race([network, slow]);
      if (first) return first;
      return (await keptData(request)) ?? (await network);
    } catch (error) {
      const kept = await keptData(request);
      if (kept) return kept;
      throw error;
    }
  })();
}

// A kept answer older than 30 days (by its Date header) is not used, and goes.
async function keptData(request) {
  const cache = await caches.open(DATA_CACHE);
  const kept = await cache.match(request);
  if (!kept) return undefined;
  const date = Date.parse(kept.headers.get('Date') ?? '');
  if (!Number.isNaN(date) && Date.now() - date > DATA_MAX_AGE_MS) {
    await cache.delete(request);
    return undefined;
  }
  return kept;
}

// Keeps a copy, and removes the longest-kept entries beyond `maxEntries` (a cache lists its
// keys in the order they were put).
async function keep(cacheName, request, response, maxEntries) {
  const cache = await caches.open(cacheName);
  await cache.put(request, response);
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - maxEntries))) await cache.delete(old);
}

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
  const files = (self.LAPOR_PAGE_FILES ?? []).map(inScope);
  // An entry route's bundle (its page's files in one) is kept only from the visit that
  // downloaded it: the files one by one serve every later visit.
  const bundles = (self.LAPOR_BUNDLES ?? []).map(inScope);
  // Files of this portal's earlier versions go (their names carry another content hash); those
  // of another portal on the same origin (another folder) are its own worker's.
  const ours = (url) => url.slice(0, url.lastIndexOf('/') + 1) === self.registration.scope;
  for (const request of await cache.keys()) {
    if (ours(request.url) && !files.includes(request.url) && !bundles.includes(request.url)) {
      await cache.delete(request);
    }
  }
  // The bundles first: they are most of what a first visit downloaded, and the only copy on
  // this device of the code its page shares with others.
  const wanted = httpCacheOnly ? [...bundles, ...files] : files;
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
