import { test, expect } from '@playwright/test';
import { adminEvent, expectNoAxeViolations, fillReport, waitForApp } from './helpers';

// The same build, configured with `"dialect": "open311"`, in front of the reference server's
// GeoReport v2 endpoint (`cargo xtask test` starts it and sets OPEN311_URL).
const base = () => process.env.OPEN311_URL!;

test('a report goes through Open311: service, its extra fields, and a request id', async ({ page, request }) => {
  const body = `Lampu penerangan jalan mati sejak seminggu, jalan gelap. Ref ${Date.now()}.`;
  await page.goto(`${base()}/lapor`);
  await waitForApp(page);
  await fillReport(page, 'Aspirasi', 'Lampu jalan mati', body);
  // What GeoReport has no room for is not asked.
  await expect(page.locator('#region')).toHaveCount(0);
  await expect(page.locator('#agency-unknown')).toHaveCount(0);
  await expect(page.locator('#confidential')).toHaveCount(0);
  await expect(page.locator('#attachments')).toHaveCount(0);

  // Without a service, and without the service's required field, the form says so.
  await page.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
  await expect(page.locator('.error-summary a[href="#category"]')).toHaveCount(1);
  await page.getByLabel('Jenis layanan').selectOption('infrastruktur');
  await expect(page.locator('#category optgroup[label="Pelayanan publik"]')).toHaveCount(1);
  const urgency = page.getByLabel('Seberapa mendesak?');
  await expect(urgency).toBeVisible();
  // The service's classification, title and date are the form's own fields, not asked twice.
  await expect(page.locator('#attributes select, #attributes input, #attributes textarea')).toHaveCount(1);
  await page.getByLabel('Detail lokasi (opsional)').fill('Jl. Pemuda depan masjid');
  await page.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
  await expect(page.locator('.error-summary')).toBeFocused();
  // The service's own field is named by its label, and its link goes to its input.
  const missing = page.locator('.error-summary a[href="#attr-urgency"]');
  await expect(missing).toHaveText('Seberapa mendesak?: wajib diisi.');
  await expect(page.locator('.error-summary a[href="#category"]')).toHaveCount(0);
  await expectNoAxeViolations(page);
  await missing.click();
  await expect(urgency).toBeFocused();
  await urgency.selectOption('urgent');

  await page.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
  await expect(page.locator('main h1')).toHaveText('Periksa laporan Anda');
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await expect(page.locator('main h1')).toHaveText('Laporan terkirim');
  const id = (await page.locator('#tracking-number').innerText()).trim();
  expect(id).not.toBe('');
  // No access codes in GeoReport: none is shown.
  await expect(page.locator('#access-code')).toHaveCount(0);
  await expectNoAxeViolations(page);

  // The Open311 server holds the request as sent: one location form, the attribute's answer.
  const stored = (await (await request.get(`${base()}/open311/v2/requests/${id}.json`)).json())[0];
  expect(stored.description).toContain(body);
  expect(stored.description).toContain('Urgensi: Mendesak');
  // An aspiration's place is where its reporter lives: never in a public answer.
  expect(stored.address).toBeNull();
  expect(stored.lat).toBeNull();
  expect(stored.long).toBeNull();
  expect(stored.service_code).toBe('infrastruktur');

  // Tracking reads it back from requests/{id}: open, then closed (resolved) with the agency's note.
  await page.getByRole('link', { name: 'Lacak laporan ini' }).click();
  await expect(page.locator('.report-title')).toContainText('Infrastruktur dan jalan');
  await expect(page.locator('#access-form, .reply-form, .rating-form')).toHaveCount(0);
  await adminEvent(request, id, { status: 'verified' }, base());
  await adminEvent(request, id, { status: 'in_progress' }, base());
  await adminEvent(request, id, { status: 'resolved', message: 'Lampu sudah diganti petugas.' }, base());
  await page.getByRole('button', { name: 'Muat ulang' }).click();
  await expect(page.locator('.badge')).toHaveText('Selesai');
  await expect(page.locator('dl.summary')).not.toContainText('Jenis laporan');
  await expect(page.locator('.timeline li').first()).toContainText('Lampu sudah diganti petugas.');
  await expectNoAxeViolations(page);
});

test('with Open311, ids are opaque and the FAQ is the bundled one', async ({ page }) => {
  await page.goto(`${base()}/lacak`);
  await waitForApp(page);
  // Not this portal's number format: still asked of the server, which does not know it.
  await page.getByLabel('Nomor pelacakan').fill('293944');
  await page.getByRole('button', { name: 'Lacak', exact: true }).click();
  await expect(page).toHaveURL(/\/lacak\/293944$/);
  await expect(page.getByRole('alert')).toContainText('tidak ditemukan');
  await page.goto(`${base()}/faq`);
  await expect(page.locator('main h1')).toHaveText('Tanya jawab');
  await expect(page.locator('.faq-item').first()).toBeVisible();
});

test('a confidential draft is never posted to a GeoReport server, which lists every request', async ({ page, request }) => {
  const body = `Pungutan liar di kantor desa, mohon dirahasiakan. Ref ${Date.now()}.`;
  await page.goto(`${base()}/lapor`);
  await waitForApp(page);
  await fillReport(page, 'Aspirasi', 'Pungutan liar di kantor desa', body);
  await page.getByLabel('Jenis layanan').selectOption('infrastruktur');
  await page.getByLabel('Seberapa mendesak?').selectOption('normal');
  await page.getByLabel('Detail lokasi (opsional)').fill('Kantor desa');
  // A draft saved as confidential (while the portal spoke the native API, say).
  await expect
    .poll(() => page.evaluate(() => localStorage.getItem('lapor.draft')?.includes('Pungutan liar') ?? false))
    .toBe(true);
  await page.evaluate(() => {
    const draft = JSON.parse(localStorage.getItem('lapor.draft')!);
    draft.confidential = true;
    localStorage.setItem('lapor.draft', JSON.stringify(draft));
  });
  await page.reload();
  await waitForApp(page);
  // The kept draft's fields come from their own file and move the buttons down as they do:
  // "next" is pressed once they are in.
  await expect(page.getByLabel('Jenis layanan')).toHaveValue('infrastruktur');
  await expect(page.getByLabel('Seberapa mendesak?')).toHaveValue('normal');
  await page.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
  await expect(page.locator('main h1')).toHaveText('Periksa laporan Anda');
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await expect(page.getByText('laporan rahasia tidak dapat dikirim ke sini', { exact: false }).first()).toBeVisible();
  const listed = await (await request.get(`${base()}/open311/v2/requests.json?page_size=100`)).text();
  expect(listed).not.toContain('Pungutan liar');
});
