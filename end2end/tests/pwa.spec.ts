import { test, expect, chromium, type BrowserContext, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachSmallPng, createReport, expectNoAxeViolations, fillReport, openForm, reportsTitled, sendAspirationOffline, waitForApp, waitForServiceWorker, setOffline } from './helpers';

// A route handler still fetching when a test ends (the app refreshes in the background) is
// no failure of the test, nor of the next one.
test.afterEach(async ({ page }) => page.unrouteAll({ behavior: 'ignoreErrors' }));

// These tests need the service worker that release builds register.
test.use({ serviceWorkers: 'allow' });

const BODY = 'Lampu penerangan jalan di gang ini sudah sebulan mati dan warga takut lewat malam hari.';

/**
 * Chromium does not offer installation in incognito windows, which Playwright's contexts are:
 * the installability checks run in a context with a profile of its own.
 */
async function withProfile(run: (context: BrowserContext) => Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), 'lapor-pwa-'));
  const { launchOptions, baseURL } = test.info().project.use;
  const context = await chromium.launchPersistentContext(dir, { ...launchOptions, baseURL, locale: 'id-ID' });
  try {
    await run(context);
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the manifest and service worker make the portal installable', () => withProfile(async (context) => {
  const page = await context.newPage();
  await page.goto('/');
  await waitForApp(page);
  await waitForServiceWorker(page);
  const cdp = await page.context().newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors).toEqual([]);
  const manifest = await page.evaluate(async () => {
    const href = document.querySelector<HTMLLinkElement>('link[rel=manifest]')!.href;
    return (await fetch(href)).json();
  });
  expect(manifest.display).toBe('standalone');
  expect(manifest.icons.some((i: { purpose: string }) => i.purpose === 'maskable')).toBe(true);
  expect(manifest.shortcuts.map((s: { name: string }) => s.name)).toEqual(['Buat laporan', 'Lacak laporan']);
}));

test('under a sub-path the manifest and worker stay inside it', () => withProfile(async (context) => {
  const page = await context.newPage();
  const base = process.env.SUBPATH_URL!;
  await page.goto(`${base}/`);
  await waitForApp(page);
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 20_000 });
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(new URL(scope).pathname).toBe('/lapor/');
  const cdp = await page.context().newCDPSession(page);
  const { url, errors } = await cdp.send('Page.getAppManifest');
  expect(new URL(url).pathname).toBe('/lapor/manifest.webmanifest');
  expect(errors).toEqual([]);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors).toEqual([]);
  // A shortcut opens the form inside the sub-path.
  await page.goto(new URL('lapor', url).href);
  await waitForApp(page);
  await expect(page.locator('main h1')).toHaveText('Buat laporan');
}));

test('after one visit, the home page, the FAQ and a viewed report open offline', async ({ page, context, request }) => {
  const created = await createReport(request, { title: 'Saluran air tersumbat di Jalan Pemuda' });
  const neverViewed = await createReport(request);
  await page.goto('/');
  await waitForApp(page);
  await waitForServiceWorker(page);
  await page.getByRole('link', { name: 'Tanya jawab' }).first().click();
  await expect(page.locator('main h1')).toHaveText('Tanya jawab');
  await expect(page.locator('.faq-item').first()).toBeVisible();
  await page.goto(`/lacak/${created.tracking_id}`);
  await expect(page.locator('.report-title')).toContainText('Saluran air tersumbat');

  await setOffline(context, true);
  await page.goto('/');
  await waitForApp(page);
  await expect(page.getByRole('status').filter({ hasText: 'Anda sedang offline' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.goto('/faq');
  await expect(page.locator('main h1')).toHaveText('Tanya jawab');
  await expect(page.locator('.faq-item').first()).toBeVisible();
  await page.goto(`/lacak/${created.tracking_id}`);
  await expect(page.locator('.report-title')).toContainText('Saluran air tersumbat');
  // A page that needs the network says so instead of spinning.
  await page.goto(`/lacak/${neverViewed.tracking_id}`);
  await expect(page.getByRole('alert')).toContainText('memerlukan koneksi internet');
});

/** Whether the worker keeps a page file whose name starts with `prefix` (`bundle_form-`). */
async function pageFileKept(page: Page, prefix: string) {
  return page.evaluate(async (prefix) => {
    const cache = await caches.open('lapor-pages-v1');
    return (await cache.keys()).some((r) => new URL(r.url).pathname.slice(1).startsWith(prefix));
  }, prefix);
}

test('a first visit that lands on the form: the pages it opened open offline, and so does the form from the home page', async ({ page, context }) => {
  // The form's code came as its route's one bundle; the FAQ's as files of their own, minus
  // the parts it shares with the form, which only that bundle holds on this device.
  await openForm(page);
  await waitForServiceWorker(page);
  await expect.poll(() => pageFileKept(page, 'bundle_form-')).toBe(true);
  await page.getByRole('link', { name: 'Tanya jawab' }).first().click();
  await expect(page.locator('main h1')).toHaveText('Tanya jawab');
  await expect(page.locator('.faq-item').first()).toBeVisible();
  await expect.poll(() => pageFileKept(page, 'faq_view-')).toBe(true);

  await setOffline(context, true);
  await page.goto('/faq');
  await waitForApp(page);
  await expect(page.locator('main h1')).toHaveText('Tanya jawab');
  await expect(page.locator('.faq-item').first()).toBeVisible();
  // The installed app opens on the home page; from there, the form.
  await page.goto('/');
  await waitForApp(page);
  await page.getByRole('link', { name: 'Buat laporan' }).first().click();
  await expect(page.locator('main h1')).toHaveText('Buat laporan');
  await expect(page.locator('main')).not.toHaveAttribute('aria-busy');
  await expect(page.getByLabel('Aspirasi', { exact: true })).toBeEnabled();
});

test('a report sent offline waits in the outbox, with its photo, and is created once when back online', async ({ page, context, request }) => {
  const title = `Lampu jalan mati ${Date.now()}`;
  await openForm(page);
  await waitForServiceWorker(page);
  // Touching the form fetches its remaining fields (lazy.spec.ts): the connection drops after.
  // So does "my reports" (a lazy route), where the report is listed after the reload below;
  // the code it shares with the form is in the form's bundle, which the worker keeps.
  await page.getByLabel('Aspirasi', { exact: true }).focus();
  await expect(page.locator('#report-form #privacy')).toBeAttached();
  await expect.poll(() => pageFileKept(page, 'my_reports_view-')).toBe(true);
  await expect.poll(() => pageFileKept(page, 'bundle_form-')).toBe(true);
  await setOffline(context, true);
  await expect(page.getByRole('status').filter({ hasText: 'Anda sedang offline' })).toBeVisible();
  await fillReport(page, 'Aspirasi', title, BODY);
  // A photo chosen offline is prepared on the device and waits with the report.
  await attachSmallPng(page, 'lampu.png');
  await expect(page.locator('.file').filter({ hasText: 'lampu.jpg' })).toContainText('Menunggu koneksi');
  await page.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await expect(page.locator('main h1')).toHaveText('Laporan disimpan di kotak keluar');
  await expect(page.locator('main h1')).toBeFocused();
  await expect(page.locator('.outbox__item')).toContainText(title);
  await expect(page.locator('.outbox__item')).toContainText('Menunggu koneksi');
  await expectNoAxeViolations(page);
  expect(await reportsTitled(request, title)).toEqual([]);

  // Kept on the device: a reload (still offline) shows it in "my reports".
  await page.goto('/laporan-saya');
  await waitForApp(page);
  await expect(page.locator('.outbox__item')).toContainText(title);
  await expect(page.locator('.outbox__item')).toContainText('1 berkas menunggu diunggah');

  await setOffline(context, false);
  const notice = page.locator('.sent-notices .notice');
  await expect(notice).toContainText(title);
  await expect(page.locator('.outbox__item')).toHaveCount(0);
  const tracking = (await notice.locator('.tracking-number').innerText()).trim();
  // Exactly one copy on the server, with the photo, and the number is remembered here.
  expect(await reportsTitled(request, title)).toEqual([expect.objectContaining({ tracking_id: tracking, attachments: 1 })]);
  await expect(page.locator('.my-reports .tracking-number').filter({ hasText: tracking })).toBeVisible();
  await page.reload();
  await waitForApp(page);
  await expect(page.locator('.my-reports .tracking-number').filter({ hasText: tracking })).toBeVisible();
  expect(await reportsTitled(request, title)).toHaveLength(1);
});

/** Opens the form online (its later parts arrive on the first touch), then fills in and sends
 * an aspiration offline: it waits in the outbox. */
async function sendOffline(page: Page, context: BrowserContext, title: string) {
  await openForm(page);
  await waitForServiceWorker(page);
  await sendAspirationOffline(page, context, title, BODY);
  await expect(page.locator('main h1')).toHaveText('Laporan disimpan di kotak keluar');
}

test('a report left waiting in the outbox is sent when the portal is next opened online, from any page', async ({ page, context, request }) => {
  const title = `Sampah menumpuk ${Date.now()}`;
  // Queued in a tab that is then closed.
  const first = await context.newPage();
  await sendOffline(first, context, title);
  await first.close();
  expect(await reportsTitled(request, title)).toEqual([]);

  // The home page holds none of the outbox's code: it reads what waits, and sends it.
  await setOffline(context, false);
  await page.goto('/');
  await waitForApp(page);
  const notice = page.locator('.sent-notices .notice');
  await expect(notice).toContainText(title);
  const tracking = (await notice.locator('.tracking-number').innerText()).trim();
  expect(await reportsTitled(request, title)).toEqual([expect.objectContaining({ tracking_id: tracking })]);
  expect(await page.evaluate(() => localStorage.getItem('lapor.outbox'))).toBe('[]');
});

test('when the connection comes back but the first tries still fail, the report leaves within seconds', async ({ page, context, request }) => {
  // A phone says "online" before its data connection carries anything: the half-minute retry
  // is too late for a citizen watching the screen.
  const title = `Saluran air tersumbat ${Date.now()}`;
  await sendOffline(page, context, title);

  let backOnline = false;
  let failed = 0;
  await context.route('**/api/v1/reports', async (route) => {
    if (backOnline && route.request().method() === 'POST' && failed < 2) {
      failed += 1;
      await route.abort('internetdisconnected');
    } else {
      await route.fallback();
    }
  });
  backOnline = true;
  await setOffline(context, false);
  await expect(page.locator('main h1')).toHaveText('Laporan terkirim', { timeout: 15_000 });
  expect(failed).toBe(2);
  expect(await reportsTitled(request, title)).toHaveLength(1);
});

test('a new version is offered, never forced on a form being filled in', async ({ page, context }) => {
  const title = 'Trotoar rusak dekat sekolah';
  // This visit installs a worker one byte off what the server has: the server's is then "the
  // next release". (Playwright routes the first fetch of a worker script, not its update checks.)
  await context.route('**/sw.js', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: `${await response.text()}\n// previous release\n` });
  });
  await openForm(page);
  await waitForServiceWorker(page);
  await fillReport(page, 'Aspirasi', title, BODY);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
  await context.unroute('**/sw.js');
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
  const offer = page.getByRole('region', { name: 'Muat versi baru' });
  await expect(offer).toContainText('Versi baru portal tersedia');
  await expectNoAxeViolations(page);
  // Nothing reloads by itself: the page and what was typed are still there.
  await page.waitForTimeout(1000);
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
  await expect(page.getByLabel('Judul laporan')).toHaveValue(title);

  await offer.getByRole('button', { name: 'Muat versi baru' }).click();
  await page.waitForFunction(() => (window as unknown as { marker?: number }).marker === undefined);
  await waitForApp(page);
  await expect(page.getByRole('region', { name: 'Muat versi baru' })).toHaveCount(0);
  await expect(page.getByLabel('Judul laporan')).toHaveValue(title);
});
