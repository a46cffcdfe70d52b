// The portal's own additions to the generated service worker (sw.js imports this file; `cargo
// xtask` writes the names of the pages' code files at the top of sw.js: LAPOR_PAGE_FILES).

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
const PAGES_CACHE = 'lapor-pages-v1';
self.addEventListener('message', (event) => {
  if (event.data?.type !== 'lapor-cache-pages') return;
  event.waitUntil(cachePages(event.data.httpCacheOnly === true));
});

async function cachePages(httpCacheOnly) {
  const cache = await caches.open(PAGES_CACHE);
  const wanted = (self.LAPOR_PAGE_FILES ?? []).map((name) => new URL(name, self.registration.scope).href);
  // Files of earlier versions go (their names carry another content hash).
  for (const request of await cache.keys()) {
    if (!wanted.includes(request.url)) await cache.delete(request);
  }
  for (const url of wanted) {
    if (await cache.match(url)) continue;
    try {
      const response = await fetch(
        url,
        httpCacheOnly ? { cache: 'only-if-cached', mode: 'same-origin' } : {},
      );
      if (response.ok) await cache.put(url, response);
    } catch {
      // Not downloaded yet, or offline: the next visit tries again.
    }
  }
}
