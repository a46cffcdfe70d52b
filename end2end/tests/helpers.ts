import { expect, type BrowserContext, type Page, type APIRequestContext, type Route } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** Runs axe-core with the WCAG 2.1 A and AA rules and expects no violations. */
export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary).toEqual([]);
}

/** Waits until the app has mounted (the static first paint is gone and a heading shows). */
export async function waitForApp(page: Page) {
  await expect(page.locator('#splash')).toHaveCount(0);
  await expect(page.locator('main h1')).toBeVisible();
}

/** Waits until the service worker controls the page and has fetched what the visit read before. */
export async function waitForServiceWorker(page: Page) {
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 20_000 });
  await expect
    .poll(() =>
      page.evaluate(async () => {
        const cache = await caches.open('lapor-data-v1');
        return (await cache.keys()).map((r) => new URL(r.url).pathname);
      }),
    )
    .toEqual(expect.arrayContaining(['/config.json', '/api/v1/instance']));
}

/** Opens the report form (`query` presets it, as links and embeds do). */
export async function openForm(page: Page, query = '') {
  await page.goto(`/lapor${query}`);
  await waitForApp(page);
  await expect(page.locator('main h1')).toHaveText('Buat laporan');
}

/** On the open form: touches it online (its later parts arrive), then goes offline, fills in
 * an aspiration and presses "send" on the review. */
export async function sendAspirationOffline(page: Page, context: BrowserContext, title: string, body: string) {
  await page.getByLabel('Aspirasi', { exact: true }).focus();
  await expect(page.locator('#report-form #privacy')).toBeAttached();
  await setOffline(context, true);
  await fillReport(page, 'Aspirasi', title, body);
  await page.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
}

/** Chooses the kind of report and types its title and body. */
export async function fillReport(page: Page, kind: string, title: string, body: string) {
  await page.getByLabel(kind, { exact: true }).check();
  // The first touch fetches the fields after what happened; they come in above the buttons
  // and move them down: a press meanwhile can land on a field instead of "next".
  await expect(page.locator('#report-form #contact')).toBeAttached();
  await page.getByLabel('Judul laporan').fill(title);
  await page.getByLabel('Isi laporan').fill(body);
}

/** Reports on the server whose title contains `title`, through the admin API. */
export async function reportsTitled(request: APIRequestContext, title: string) {
  const response = await request.get(`/api/v1/admin/reports?title=${encodeURIComponent(title)}`, {
    headers: { Authorization: `Bearer ${process.env.ADMIN_TOKEN}` },
  });
  expect(response.status()).toBe(200);
  return (await response.json()) as { tracking_id: string; title: string; attachments: number }[];
}

/** Chooses a language with the header's switch. */
export async function chooseLanguage(page: Page, tag: 'id' | 'en') {
  await page.locator(`.language-switch button[lang="${tag}"]`).click();
  await expect(page.locator('html')).toHaveAttribute('lang', tag);
}

let keyCounter = 0;

/** Creates a report through the API, as another client would. */
export async function createReport(request: APIRequestContext, overrides: Record<string, unknown> = {}, base = '') {
  const response = await request.post(`${base}/api/v1/reports`, {
    headers: { 'Idempotency-Key': `e2e-${Date.now()}-${process.pid}-${keyCounter++}` },
    data: {
      classification: 'complaint',
      title: 'Jalan berlubang di depan pasar',
      body: 'Sejak dua minggu lalu ada lubang besar yang membahayakan pengendara motor.',
      incident_date: new Date().toISOString().slice(0, 10),
      location: { region_id: '33.24.15' },
      ...overrides,
    },
  });
  expect(response.status()).toBe(201);
  return (await response.json()) as { tracking_id: string; access_code: string; due_date: string };
}

/** Moves a report through its lifecycle as an admin would, through the admin API. */
export async function adminEvent(request: APIRequestContext, tracking: string, event: Record<string, unknown>, base = '') {
  const response = await request.post(`${base}/api/v1/admin/reports/${tracking}/events`, {
    headers: { Authorization: `Bearer ${process.env.ADMIN_TOKEN}` },
    data: event,
  });
  expect(response.status(), await response.text()).toBe(201);
}

const offlineHandlers = new WeakMap<BrowserContext, (route: Route) => Promise<void>>();
const shimmed = new WeakSet<BrowserContext>();
const OFFLINE_KEY = 'lapor-test-offline';

/** Takes the whole browser context off the network and back, as a dropped connection would.
 *
 * Chromium's offline emulation (`context.setOffline`) is not whole in Debian's Chromium 148: a
 * service worker's own fetches stay online, and a document the worker serves while offline
 * (a reload, a navigation) says `navigator.onLine === true` and never gets its `offline` event.
 * So while offline every request of the context, the worker's included, is also refused, and
 * every document of the context reads `navigator.onLine` from a flag in its tab's
 * sessionStorage, with the `offline`/`online` event dispatched where Chromium sent none. */
export async function setOffline(context: BrowserContext, offline: boolean) {
  if (!shimmed.has(context)) {
    shimmed.add(context);
    await context.addInitScript((key) => {
      const real = Object.getOwnPropertyDescriptor(Navigator.prototype, 'onLine')!.get!;
      // What Chromium itself says, for `flag` below (the getter is replaced next).
      Object.defineProperty(window, '__laporRealOnLine', { value: () => real.call(navigator) });
      Object.defineProperty(Navigator.prototype, 'onLine', {
        configurable: true,
        get() {
          let flagged = false;
          try { flagged = sessionStorage.getItem(key) === '1'; } catch { /* opaque origin */ }
          return !flagged && real.call(this);
        },
      });
    }, OFFLINE_KEY);
  }
  // Each page: sets or clears its flag, and says whether Chromium's own emulation missed it
  // (the document still reads itself online).
  const flag = (value: boolean) =>
    Promise.all(context.pages().map(async (page) => {
      const missed = await page.evaluate(([key, value]) => {
        try {
          if (value) sessionStorage.setItem(key, '1'); else sessionStorage.removeItem(key);
        } catch { return false; }
        // A document from before the first call has no shim: its getter is still Chromium's.
        const real = (window as { __laporRealOnLine?: () => boolean }).__laporRealOnLine;
        return real ? real() : navigator.onLine;
      }, [OFFLINE_KEY, value] as const).catch(() => false);
      return missed ? page : null;
    }));
  const tell = (pages: (Page | null)[], event: 'offline' | 'online') =>
    Promise.all(pages.map((page) => page?.evaluate((name) => dispatchEvent(new Event(name)), event).catch(() => undefined)));
  const handler = offlineHandlers.get(context);
  if (offline) {
    await context.setOffline(true);
    if (!handler) {
      const refuse = (route: Route) => route.abort('internetdisconnected');
      offlineHandlers.set(context, refuse);
      await context.route('**/*', refuse);
    }
    await tell(await flag(true), 'offline');
  } else {
    const missed = await flag(false);
    if (handler) {
      offlineHandlers.delete(context);
      await context.unroute('**/*', handler);
    }
    await context.setOffline(false);
    await tell(missed, 'online');
  }
}

/** Chooses a small PNG drawn in the page as the report's attachment. */
export async function attachSmallPng(page: Page, name: string) {
  const png = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 48;
    canvas.getContext('2d')!.fillRect(0, 0, 32, 24);
    const blob: Blob = await new Promise((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
    return Array.from(new Uint8Array(await blob.arrayBuffer()));
  });
  await page.getByLabel('Lampiran (opsional)').setInputFiles({ name, mimeType: 'image/png', buffer: Buffer.from(png) });
}
