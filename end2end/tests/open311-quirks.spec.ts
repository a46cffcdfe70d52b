import { test, expect, type Page } from '@playwright/test';
import { chooseLanguage, expectNoAxeViolations, fillReport, waitForApp } from './helpers';
import { DJANGO_500, startQuirkyGeoReport, routeThrough, type Quirks, type QuirkyServer } from '../quirky_georeport';

// The app's Open311 dialect against a GeoReport server we did not write, with each quirk seen
// in public implementations (`end2end/quirky_georeport.ts`, one server per test).

let quirky: QuirkyServer;

async function open(page: Page, quirks: Partial<Quirks>) {
  quirky = await startQuirkyGeoReport(quirks);
  await routeThrough(page, quirky);
  await page.goto('/lapor');
  await waitForApp(page);
}

test.afterEach(async () => {
  await quirky?.close();
});

const BODY = 'Lampu penerangan jalan di depan SD Negeri 2 mati sejak seminggu, jalan gelap sekali.';

/** An aspiration for the street-light service, typed location only (no GPS). */
async function fillStreetLight(page: Page, place = 'Jl. Pemuda depan SD Negeri 2') {
  await fillReport(page, 'Aspirasi', 'Lampu jalan mati', BODY);
  await page.getByLabel('Jenis layanan').selectOption('lampu');
  if (place) await page.getByLabel('Detail lokasi (opsional)').fill(place);
}

async function send(page: Page) {
  await page.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
  await expect(page.locator('main h1')).toHaveText('Periksa laporan Anda');
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
}

async function sentAndTracked(page: Page, id: string) {
  await expect(page.locator('main h1')).toHaveText('Laporan terkirim');
  await expect(page.locator('#tracking-number')).toHaveText(id);
  await page.getByRole('link', { name: 'Lacak laporan ini' }).click();
  await expect(page).toHaveURL(new RegExp(`/lacak/${id}$`));
  await expect(page.locator('.report-title')).toContainText('Lampu jalan mati');
  await expect(page.locator('main')).toContainText(BODY);
}

test('a server that reads only `address` and answers bare objects with string ids', async ({ page }) => {
  await open(page, { addressField: 'address', postAnswer: 'bare-string-id', requestShape: 'bare', notFound: 'html' });
  await fillStreetLight(page);
  await send(page);
  await sentAndTracked(page, '5001');
  // The typed place went in both fields servers read; no coordinates were invented.
  const [post] = quirky.posts;
  expect(post.get('address')).toBe('Jl. Pemuda depan SD Negeri 2');
  expect(post.get('address_string')).toBe('Jl. Pemuda depan SD Negeri 2');
  expect(post.get('lat')).toBeNull();
  expect(post.get('api_key')).toBe('kunci-uji');
  await expectNoAxeViolations(page);
  // A number it does not know: a 404 page in HTML still reads as "not found".
  await page.goto('/lacak/777');
  await waitForApp(page);
  await expect(page.getByRole('alert')).toContainText('tidak ditemukan');
});

test('a server that answers 200 with only a token: the token is followed to the id', async ({ page }) => {
  await open(page, { postStatus: 200, postAnswer: 'token-only' });
  await fillStreetLight(page);
  await send(page);
  await sentAndTracked(page, '5001');
});

test('a server that answers with both an id and a token, ids as numbers', async ({ page }) => {
  await open(page, { postAnswer: 'token-and-id' });
  await fillStreetLight(page);
  await send(page);
  await sentAndTracked(page, '5001');
});

test('a server that requires the api_key on reads too', async ({ page }) => {
  await open(page, { apiKeyOnGet: true });
  await fillStreetLight(page);
  await send(page);
  await sentAndTracked(page, '5001');
});

test('a service with metadata but no definition (404) has no extra fields, and is sent', async ({ page }) => {
  await open(page, { definitionMissing: true });
  await fillStreetLight(page);
  await expect(page.locator('#attributes')).toHaveCount(0);
  await send(page);
  await sentAndTracked(page, '5001');
});

test('with a definition, its fields are asked', async ({ page }) => {
  await open(page, {});
  await fillStreetLight(page);
  await page.getByLabel('Nomor tiang (bila terlihat)').fill('PJU-17');
  await send(page);
  await sentAndTracked(page, '5001');
  expect(quirky.posts[0].get('attribute[pole]')).toBe('PJU-17');
});

test('a service that needs a location asks for it before anything is sent', async ({ page }) => {
  await open(page, {});
  await fillReport(page, 'Aspirasi', 'Taman kota kotor', 'Sampah menumpuk di taman kota sejak pekan lalu, mohon dibersihkan.');
  await page.getByLabel('Jenis layanan').selectOption('taman');
  await page.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
  await expect(page.locator('.error-summary')).toBeFocused();
  await expect(page.locator('.error-summary a[href="#location-text"]')).toContainText('Wajib diisi');
  expect(quirky.posts).toHaveLength(0);
  await page.getByLabel('Detail lokasi (opsional)').fill('Taman Kota Kendal, sisi timur');
  await page.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await expect(page.locator('#tracking-number')).toHaveText('5001');
});

test('"next" tapped before a service\'s definition arrives waits for what it asks', async ({ page }) => {
  await open(page, { poleRequired: true });
  await page.route('**/quirky/v2/services/lampu.json*', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.fallback();
  });
  await fillStreetLight(page);
  await page.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
  await expect(page.locator('.error-summary')).toBeFocused();
  await expect(page.locator('.error-summary a[href="#attr-pole"]')).toHaveText('Nomor tiang (bila terlihat): wajib diisi.');
  await expect(page.locator('main h1')).not.toHaveText('Periksa laporan Anda');
  expect(quirky.posts).toHaveLength(0);
});

test('services localised only by ?locale= are shown in the citizen\'s language', async ({ page }) => {
  await open(page, { localeByQuery: true });
  // The service comes with the fields after the kind.
  await page.getByLabel('Aspirasi', { exact: true }).check();
  await expect(page.locator('#category option[value="lampu"]')).toHaveText('Lampu jalan mati');
  await chooseLanguage(page, 'en');
  // The draft keeps the kind: the fields show again after the reload.
  await page.reload();
  await waitForApp(page);
  await expect(page.locator('#category option[value="lampu"]')).toHaveText('Broken street light');
});

test('field errors as Django REST framework writes them reach the error summary', async ({ page }) => {
  await open(page, {
    failPost: {
      status: 400,
      contentType: 'application/json',
      body: JSON.stringify({ code: 400, detail: { description: ['Ensure this field has at least 100 characters.'] } }),
    },
  });
  await fillStreetLight(page);
  await send(page);
  // Back in the form, the server's own words beside the field they are about.
  await expect(page.locator('.error-summary a[href="#body"]')).toContainText('at least 100 characters');
  await expect(page.locator('main h1')).toHaveText('Buat laporan');
});

test('a bare {code, detail} error and the spec\'s error list are shown as the server\'s reason', async ({ page }) => {
  await open(page, {
    failPost: {
      status: 403,
      contentType: 'application/json',
      body: JSON.stringify({ code: 403, detail: 'Invalid api_key.' }),
    },
  });
  await fillStreetLight(page);
  await send(page);
  await expect(page.getByRole('alert')).toContainText('Laporan ditolak server: Invalid api_key.');
  await expect(page.locator('main h1')).toHaveText('Periksa laporan Anda');
  quirky.quirks.failPost = {
    status: 400,
    contentType: 'application/json',
    body: JSON.stringify([{ code: 400, description: 'service_code lampu is closed for the holidays.' }]),
  };
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await expect(page.getByRole('alert')).toContainText('Laporan ditolak server: service_code lampu is closed');
});

test('a server that keeps failing with a 500 page is a server problem, never the connection', async ({ page }) => {
  await page.clock.install();
  await open(page, { failPost: { status: 500, contentType: 'text/html', body: DJANGO_500 } });
  await fillStreetLight(page);
  await send(page);
  await expect(page.locator('main h1')).toHaveText('Laporan disimpan di kotak keluar');
  const lead = page.locator('main .lead');
  await expect(lead).toContainText('server instansi sedang bermasalah');
  await expect(lead).not.toContainText('koneksi terputus');
  await expect(page.locator('.outbox__item')).toContainText('Ini bukan masalah koneksi Anda');
  await expect(page.locator('.outbox__item')).not.toContainText('Menunggu koneksi');
  // Not retried at once: the next try waits (growing delays), so the server saw one POST.
  await page.getByRole('button', { name: 'Kirim sekarang' }).click();
  await page.waitForTimeout(500);
  expect(quirky.posts).toHaveLength(1);
  await expectNoAxeViolations(page);
  // Retried later by itself (the outbox looks every 30 s): after 30 s, then after 60 s.
  await page.clock.runFor(61_000);
  await expect.poll(() => quirky.posts.length).toBe(2);
  await expect(page.locator('.outbox__item')).toContainText('2 kali dicoba');
  await page.clock.runFor(31_000);
  await page.waitForTimeout(300);
  expect(quirky.posts).toHaveLength(2);
  // The server is mended: the next try sends it, and the tracking number appears.
  quirky.quirks.failPost = null;
  await page.clock.runFor(61_000);
  await expect.poll(() => quirky.posts.length).toBe(3);
  await expect(page.locator('main h1')).toHaveText('Laporan terkirim');
  await expect(page.locator('#tracking-number')).toHaveText('5001');
});

test('a request id the server does not know: a 404 in JSON says not found', async ({ page }) => {
  await open(page, { notFound: 'json', requestShape: 'bare' });
  await fillStreetLight(page);
  await send(page);
  await sentAndTracked(page, '5001');
  await page.goto('/lacak/777');
  await waitForApp(page);
  await expect(page.getByRole('alert')).toContainText('tidak ditemukan');
});
