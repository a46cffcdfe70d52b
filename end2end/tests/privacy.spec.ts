import { test, expect, type Page } from '@playwright/test';
import { createReport, expectNoAxeViolations, waitForApp, waitForServiceWorker, setOffline } from './helpers';

// What a shared phone keeps of a report: localStorage, and the service worker's caches too.
test.use({ serviceWorkers: 'allow' });

/** Everything this origin keeps on the device: localStorage, and every cached request's URL and body. */
async function deviceCopies(page: Page) {
  return page.evaluate(async () => {
    const local = Object.keys(localStorage).map((k) => `${k}=${localStorage.getItem(k)}`);
    const cached: string[] = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        const response = await cache.match(request, { ignoreVary: true });
        const type = response?.headers.get('content-type') ?? '';
        const body = response && /json|html|text/.test(type) ? await response.text() : '';
        cached.push(`${request.url} ${body}`);
      }
    }
    return { local: local.join('\n'), cached: cached.join('\n') };
  });
}

/** Every spelling of a tracking number or access code a URL or a stored value may use. */
function spellings(value: string) {
  const compact = value.replace(/-/g, '');
  return [value, compact, value.toLowerCase(), compact.toLowerCase()];
}

async function openWithCode(page: Page, code: string) {
  await page.getByLabel('Kode akses').fill(code);
  await page.getByRole('button', { name: 'Buka dengan kode' }).click();
}

test('a confidential report viewed with its code leaves nothing on the device unless kept', async ({ page, context, request }) => {
  const title = `Pungutan liar di kelurahan ${Date.now()}`;
  const report = await createReport(request, { confidential: true, title });
  await page.goto('/');
  await waitForApp(page);
  await waitForServiceWorker(page);
  await page.goto(`/lacak/${report.tracking_id}`);
  await waitForApp(page);
  await openWithCode(page, report.access_code);
  await expect(page.locator('.report-title')).toHaveText(title);
  // The choice, with what it means on a shared phone.
  await expect(page.getByText('Simpan hanya jika perangkat ini milik Anda sendiri')).toBeVisible();
  await expectNoAxeViolations(page);

  // Reloaded (and with the worker now in control), offline too: nothing of it stayed.
  await page.reload();
  await waitForApp(page);
  await expect(page.locator('.badge')).toHaveText('Diterima');
  await expect(page.getByText(title)).toHaveCount(0);
  await setOffline(context, true);
  await page.reload();
  await waitForApp(page);
  await expect(page.getByText('Ini tampilan terakhir yang tersimpan')).toHaveCount(0);
  await expect(page.getByText(title)).toHaveCount(0);
  await setOffline(context, false);
  const copies = await deviceCopies(page);
  for (const secret of [title, ...spellings(report.access_code), ...spellings(report.tracking_id)]) {
    expect(copies.local).not.toContain(secret);
  }
  expect(copies.cached).not.toContain(title);
  await page.goto('/laporan-saya');
  await waitForApp(page);
  await expect(page.locator('.my-report', { hasText: report.tracking_id })).toHaveCount(0);

  // Kept by choice: the code and the view stay, and open it again offline.
  await page.goto(`/lacak/${report.tracking_id}`);
  await waitForApp(page);
  await openWithCode(page, report.access_code);
  await page.getByRole('button', { name: 'Simpan di perangkat ini' }).click();
  await expect(page.getByText('tersimpan di perangkat ini')).toBeVisible();
  await page.reload();
  await waitForApp(page);
  await expect(page.locator('.report-title')).toHaveText(title);
  expect((await deviceCopies(page)).local).toContain(report.access_code.replace(/-/g, ''));
  // Offline it is still readable, from the kept view.
  await setOffline(context, true);
  await page.reload();
  await waitForApp(page);
  await expect(page.locator('.report-title')).toHaveText(title);
  await setOffline(context, false);
});

test('a public report looked up with its code is listed, but its code is kept only by choice', async ({ page, request }) => {
  const report = await createReport(request);
  await page.goto(`/lacak/${report.tracking_id}`);
  await waitForApp(page);
  await openWithCode(page, report.access_code);
  await expect(page.getByRole('button', { name: 'Simpan di perangkat ini' })).toBeVisible();
  const copies = await deviceCopies(page);
  expect(copies.local).toContain(report.tracking_id);
  for (const code of spellings(report.access_code)) expect(copies.local).not.toContain(code);
});

test('"remove from this device" leaves no copy in localStorage or Cache Storage', async ({ page, request }) => {
  const title = `Pungli parkir pasar ${Date.now()}`;
  const report = await createReport(request, { confidential: true, title });
  await page.goto(`/lacak/${report.tracking_id}`);
  await waitForApp(page);
  await openWithCode(page, report.access_code);
  await page.getByRole('button', { name: 'Simpan di perangkat ini' }).click();
  await expect(page.getByText('tersimpan di perangkat ini')).toBeVisible();
  // Copies an earlier version of the worker may have kept, under each spelling of the number.
  await page.evaluate(async ({ tracking, title }) => {
    const cache = await caches.open('lapor-data-v1');
    const compact = tracking.replace(/-/g, '');
    const json = { headers: { 'content-type': 'application/json' } };
    await cache.put(`api/v1/reports/${compact}`, new Response(JSON.stringify({ title }), json));
    await cache.put(`api/v1/reports/${compact.toLowerCase()}?x=1`, new Response(JSON.stringify({ title }), json));
    await cache.put(`lacak/${tracking.toLowerCase()}`, new Response(title, { headers: { 'content-type': 'text/html' } }));
  }, { tracking: report.tracking_id, title });
  expect((await deviceCopies(page)).cached).toContain(title);

  await page.getByRole('button', { name: 'Hapus dari perangkat ini' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'sudah dihapus dari perangkat ini' })).toBeVisible();
  const copies = await deviceCopies(page);
  for (const secret of [title, ...spellings(report.access_code), ...spellings(report.tracking_id)]) {
    expect(copies.local).not.toContain(secret);
    expect(copies.cached).not.toContain(secret);
  }
  await page.goto('/laporan-saya');
  await waitForApp(page);
  await expect(page.locator('.my-report', { hasText: report.tracking_id })).toHaveCount(0);
});
