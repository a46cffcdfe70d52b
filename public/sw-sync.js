// Imported by the generated service worker (sw.js). Background Sync for the outbox: when the
// browser fires the sync the app asked for, open windows of the portal are told to send what
// waits (the app holds the outbox and sends it with its own code and Idempotency-Keys). With no
// window open the outbox is sent at the next start of the app.
self.addEventListener('sync', (event) => {
  if (event.tag !== 'lapor-outbox') return;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      for (const w of windows) w.postMessage({ type: 'lapor-outbox-sync' });
    }),
  );
});
