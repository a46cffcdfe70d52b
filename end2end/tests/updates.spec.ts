import { test, expect, type Page } from '@playwright/test';
import { adminEvent, chooseLanguage, expectNoAxeViolations, fillReport, openForm, waitForApp, waitForServiceWorker } from './helpers';

// Updates on the device: saved reports whose status changed are marked on the home page and in
// "my reports" until the citizen looks, and notified when the citizen allowed it (asked only on
// the confirmation page).

/**
 * Records notifications instead of showing them, across reloads (in localStorage): the
 * service worker's `showNotification` and `new Notification`, and calls of
 * `Notification.requestPermission`. `permission`, when given, is what the page reads as
 * `Notification.permission` until the stub is asked (then `granted`).
 */
async function recordNotifications(page: Page, permission?: 'default') {
  await page.addInitScript((permission) => {
    const read = (key: string) => JSON.parse(localStorage.getItem(key) ?? '[]');
    const add = (key: string, value: unknown) => localStorage.setItem(key, JSON.stringify([...read(key), value]));
    ServiceWorkerRegistration.prototype.showNotification = function (title: string, options?: NotificationOptions) {
      add('e2e.shown', { via: 'worker', title, body: options?.body ?? '' });
      return Promise.resolve();
    };
    const Real = window.Notification;
    function Stub(title: string, options?: NotificationOptions) {
      add('e2e.shown', { via: 'page', title, body: options?.body ?? '' });
    }
    Object.defineProperty(Stub, 'permission', {
      get: () => (permission && localStorage.getItem('e2e.granted') === null ? permission : Real.permission),
    });
    Stub.requestPermission = () => {
      add('e2e.asked', location.pathname);
      localStorage.setItem('e2e.granted', 'yes');
      return Promise.resolve('granted');
    };
    (window as unknown as { Notification: unknown }).Notification = Stub;
  }, permission);
}

const shown = (page: Page) => page.evaluate(() => JSON.parse(localStorage.getItem('e2e.shown') ?? '[]'));
const asked = (page: Page) => page.evaluate(() => JSON.parse(localStorage.getItem('e2e.asked') ?? '[]'));

/** Sends a report through the form and returns its tracking number. */
async function sendReport(page: Page, title: string, { confidential = false } = {}) {
  await openForm(page);
  await fillReport(page, 'Aspirasi', title, 'Mohon taman kota ditambah bangku dan lampu agar aman dipakai malam hari.');
  if (confidential) await page.getByLabel('Rahasia', { exact: true }).check();
  await page.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
  await expect(page.locator('main h1')).toHaveText('Periksa laporan Anda');
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await expect(page.locator('main h1')).toHaveText('Laporan terkirim');
  return (await page.locator('#tracking-number').innerText()).trim();
}

test.describe('the installed app', () => {
  test.use({ serviceWorkers: 'allow' });

  test('a changed report is marked on the home page until opened, and notified once when allowed', async ({ page, context, request }) => {
    await context.grantPermissions(['notifications']);
    await recordNotifications(page);
    const tracking = await sendReport(page, 'Bangku taman kota');
    await waitForServiceWorker(page);
    await page.goto('/');
    await waitForApp(page);
    await expect(page.locator('.updates')).toHaveCount(0);

    await adminEvent(request, tracking, { status: 'verified' });
    await page.reload();
    await waitForApp(page);
    const updates = page.locator('.updates');
    await expect(updates).toContainText('Diperbarui');
    await expect(updates.locator('.updated-report')).toHaveText(`${tracking}: Terverifikasi`);
    await expectNoAxeViolations(page);
    await chooseLanguage(page, 'en');
    await expect(updates).toContainText('Updated');
    await expect(updates.locator('.updated-report')).toHaveText(`${tracking}: Verified`);
    await chooseLanguage(page, 'id');

    await expect.poll(() => shown(page)).toEqual([
      { via: 'worker', title: `Laporan ${tracking} diperbarui`, body: 'Status baru: Terverifikasi' },
    ]);

    // Opening it marks it seen.
    await updates.getByRole('link', { name: tracking }).click();
    await expect(page.locator('main h1')).toHaveText('Lacak laporan');
    await expect(page.locator('.badge').first()).toHaveText('Terverifikasi');
    await page.goto('/');
    await waitForApp(page);
    await expect(page.locator('main h1')).toBeVisible();
    await page.waitForTimeout(1000);
    await expect(page.locator('.updates')).toHaveCount(0);
    // Checked again on this start: nothing new, nothing notified again.
    expect(await shown(page)).toHaveLength(1);
  });

  test('a confidential report\'s notification says only that there is an update', async ({ page, context, request }) => {
    await context.grantPermissions(['notifications']);
    await recordNotifications(page);
    const title = 'Pungutan liar di kantor kelurahan';
    const tracking = await sendReport(page, title, { confidential: true });
    await waitForServiceWorker(page);
    await adminEvent(request, tracking, { status: 'verified' });
    await page.goto('/');
    await waitForApp(page);
    await expect(page.locator('.updates .updated-report')).toHaveText(`${tracking}: Terverifikasi`);
    await expect.poll(() => shown(page)).toEqual([{ via: 'worker', title: 'Ada pembaruan pada laporan Anda.', body: '' }]);
  });
});

test('"my reports" marks a changed report with its new status, in both languages; no notification without permission', async ({ page, request }) => {
  await recordNotifications(page);
  const tracking = await sendReport(page, 'Lampu taman kota');
  await adminEvent(request, tracking, { status: 'verified' });
  await adminEvent(request, tracking, { status: 'in_progress', message: 'Dijadwalkan.' });

  await page.goto('/laporan-saya');
  await waitForApp(page);
  const row = page.locator('.my-report', { hasText: tracking });
  await expect(row.locator('.my-report__updated')).toHaveText('Diperbarui');
  await expect(row.locator('.my-report__status')).toHaveText('Diproses');
  await chooseLanguage(page, 'en');
  await expect(row.locator('.my-report__updated')).toHaveText('Updated');
  await expect(row.locator('.my-report__status')).toHaveText('In progress');
  await chooseLanguage(page, 'id');

  // Looked at: the next visit shows no mark, here nor on the home page.
  await page.reload();
  await waitForApp(page);
  await expect(row.locator('.my-report__status')).toHaveText('Diproses');
  await page.waitForTimeout(1000);
  await expect(row.locator('.my-report__updated')).toHaveCount(0);
  await page.goto('/');
  await waitForApp(page);
  await page.waitForTimeout(1000);
  await expect(page.locator('.updates')).toHaveCount(0);
  expect(await shown(page)).toEqual([]);
});

test('notifications are asked for only from the confirmation page, never on a first visit', async ({ page }) => {
  await recordNotifications(page, 'default');
  await page.goto('/');
  await waitForApp(page);
  await page.waitForTimeout(1000);
  expect(await asked(page)).toEqual([]);

  await sendReport(page, 'Bangku taman baca');
  expect(await asked(page)).toEqual([]);
  await page.getByRole('button', { name: 'Beri tahu saya bila ada pembaruan' }).click();
  await expect(page.getByText('Anda akan diberi tahu bila ada pembaruan.')).toBeVisible();
  expect(await asked(page)).toEqual(['/lapor']);
  await expect(page.getByRole('button', { name: 'Beri tahu saya bila ada pembaruan' })).toHaveCount(0);
});
