import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { adminEvent, chooseLanguage, createReport, expectNoAxeViolations, waitForApp } from './helpers';

// A 1×1 PNG: the app re-encodes it as JPEG on the device before the upload.
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

async function resolvedReport(request: APIRequestContext) {
  const report = await createReport(request);
  await adminEvent(request, report.tracking_id, { status: 'verified' });
  await adminEvent(request, report.tracking_id, { status: 'in_progress', message: 'Tim dijadwalkan.' });
  await adminEvent(request, report.tracking_id, { status: 'resolved', message: 'Sudah ditambal.' });
  return report;
}

async function openWithCode(page: Page, tracking: string, code: string) {
  await page.goto(`/lacak/${tracking}`);
  await waitForApp(page);
  await page.getByLabel('Kode akses').fill(code);
  await page.getByRole('button', { name: 'Buka dengan kode' }).click();
}

test('a resolved report disputed with a photo goes back to in progress and shows the dispute', async ({ page, request }) => {
  const report = await resolvedReport(request);
  await openWithCode(page, report.tracking_id, report.access_code);
  await expect(page.getByRole('heading', { name: 'Belum selesai?' })).toBeVisible();
  await page.getByLabel('Apa yang belum selesai?').fill('Lubangnya masih ada, hanya ditutup papan.');
  const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/v1/attachments') && r.status() === 201);
  await page.locator('#dispute-photos').setInputFiles({ name: 'bukti.png', mimeType: 'image/png', buffer: PHOTO });
  await uploaded;
  await expect(page.locator('.dispute-form .photo-list li')).toContainText('bukti.png');
  await expect(page.locator('.dispute-form .photo-list li')).not.toContainText('Mengunggah');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Kirim: belum selesai' }).click();

  const newest = page.locator('.timeline li').first();
  await expect(newest).toContainText('Dinyatakan belum selesai');
  await expect(newest).toContainText('Diproses');
  await expect(newest).toContainText('hanya ditutup papan');
  // Re-encoded on the device as JPEG.
  await expect(newest.getByRole('link')).toContainText('bukti.jpg');
  await expect(page.locator('.dispute-form')).toHaveCount(0);
  await expectNoAxeViolations(page);

  // What the agency sees.
  const view = await (await request.get(`/api/v1/reports/${report.tracking_id}`)).json();
  expect(view.status).toBe('in_progress');
  const last = view.events[view.events.length - 1];
  expect(last.kind).toBe('dispute');
  expect(last.attachments).toHaveLength(1);

  await chooseLanguage(page, 'en');
  await expect(page.locator('.timeline li').first()).toContainText('Disputed: not resolved');
});

test('after the window a resolution can no longer be disputed, and the page says why in both languages', async ({ page, request }) => {
  const report = await resolvedReport(request);
  // Forty days on: the ten working days after the resolution are long past.
  await page.clock.setFixedTime(new Date(Date.now() + 40 * 24 * 3600 * 1000));
  await openWithCode(page, report.tracking_id, report.access_code);
  await expect(page.locator('#dispute-closed')).toHaveText(
    'Anda dapat menyatakan belum selesai hanya dalam 10 hari kerja setelah laporan dinyatakan selesai.',
  );
  await expect(page.locator('.dispute-form')).toHaveCount(0);
  await expectNoAxeViolations(page);
  await chooseLanguage(page, 'en');
  await expect(page.locator('#dispute-closed')).toHaveText(
    'You can say a report is not resolved only within 10 working days of it being marked resolved.',
  );
});

test('without the access code there is no dispute form, and the API refuses it in both languages', async ({ page, request }) => {
  const report = await resolvedReport(request);
  await page.goto(`/lacak/${report.tracking_id}`);
  await waitForApp(page);
  await expect(page.getByLabel('Kode akses')).toBeVisible();
  await expect(page.locator('.dispute-form')).toHaveCount(0);
  for (const [lang, title] of [['id', 'Kode akses diperlukan'], ['en', 'Access code required']]) {
    const response = await request.post(`/api/v1/reports/${report.tracking_id}/disputes`, {
      headers: { 'Accept-Language': lang },
      data: { message: 'Belum selesai.' },
    });
    expect(response.status()).toBe(401);
    expect((await response.json()).title).toBe(title);
  }
  const view = await (await request.get(`/api/v1/reports/${report.tracking_id}`)).json();
  expect(view.status).toBe('resolved');
});
