import { test, expect } from '@playwright/test';
import { chooseLanguage, createReport, expectNoAxeViolations, waitForApp } from './helpers';

type Text = { id: string; en: string };
const routes: { path: string; heading: Text; title?: Text }[] = [
  { path: '/', heading: { id: 'Sampaikan laporan Anda', en: 'Send us your report' }, title: { id: 'Beranda', en: 'Home' } },
  { path: '/lapor', heading: { id: 'Buat laporan', en: 'Make a report' } },
  { path: '/lacak', heading: { id: 'Lacak laporan', en: 'Track a report' } },
  { path: '/faq', heading: { id: 'Tanya jawab', en: 'Questions and answers' } },
  { path: '/laporan', heading: { id: 'Laporan warga', en: 'Public reports' } },
  { path: '/laporan-saya', heading: { id: 'Laporan saya', en: 'My reports' } },
  { path: '/tidak-ada', heading: { id: 'Halaman tidak ditemukan', en: 'Page not found' } },
];

for (const route of routes) {
  for (const lang of ['id', 'en'] as const) {
    test(`${route.path} in ${lang} renders and passes axe`, async ({ page }) => {
      // Nothing the app runs throws (here the worker's registration is blocked, as a browser
      // without service workers has none).
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) errors.push(message.text());
      });
      await page.goto(route.path);
      await waitForApp(page);
      await chooseLanguage(page, lang);
      await expect(page.locator('main h1')).toHaveText(route.heading[lang]);
      // The title names the page in the chosen language, then the instance.
      const title = (route.title ?? route.heading)[lang];
      await expect(page).toHaveTitle(`${title} · Lapor Kendal`);
      await expectNoAxeViolations(page);
      expect(errors).toEqual([]);
    });
  }
}

test('a report deep link shows its status in both languages', async ({ page, request }) => {
  const report = await createReport(request);
  await page.goto(`/lacak/${report.tracking_id}`);
  await waitForApp(page);
  await chooseLanguage(page, 'id');
  await expect(page.locator('.tracking-number')).toHaveText(report.tracking_id);
  await expect(page.locator('.badge')).toHaveText('Diterima');
  await expectNoAxeViolations(page);
  await chooseLanguage(page, 'en');
  await expect(page.locator('.badge')).toHaveText('Received');
  await expectNoAxeViolations(page);
});

test('the language choice is remembered across visits', async ({ page }) => {
  // English is fetched when chosen, never by an Indonesian visit.
  const fetched: string[] = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto('/');
  await waitForApp(page);
  await expect(page.locator('main h1')).toHaveText('Sampaikan laporan Anda');
  expect(fetched).not.toContain('/texts-en.json');
  await chooseLanguage(page, 'en');
  await expect(page.locator('main h1')).toHaveText('Send us your report');
  expect(fetched.filter((p) => p === '/texts-en.json')).toHaveLength(1);
  // The next visit starts in English: no Indonesian page in between.
  await page.goto('/faq');
  await waitForApp(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('main h1')).toHaveText('Questions and answers');
  await chooseLanguage(page, 'id');
  await expect(page.locator('main h1')).toHaveText('Tanya jawab');
  await chooseLanguage(page, 'en');
  await expect(page.locator('main h1')).toHaveText('Questions and answers');
});

test('an English visit whose texts cannot be fetched stays in Indonesian, whole', async ({ page }) => {
  await page.route('**/texts-en.json*', (route) => route.fulfill({ status: 503, body: 'busy' }));
  await page.goto('/');
  await waitForApp(page);
  await page.locator('.language-switch button[lang="en"]').click();
  await page.waitForTimeout(500);
  await expect(page.locator('html')).toHaveAttribute('lang', 'id');
  await expect(page.locator('main h1')).toHaveText('Sampaikan laporan Anda');
  await expect(page.locator('.language-switch button[lang="id"]')).toHaveAttribute('aria-pressed', 'true');
  // Texts of another version (a deploy changed them while this page was open) are not used:
  // they are matched to the page's fields by position.
  await page.unroute('**/texts-en.json*');
  await page.route('**/texts-en.json*', async (route) => {
    const texts: string[] = await (await route.fetch()).json();
    texts[2] = 'Home page';
    await route.fulfill({ json: texts });
  });
  await page.locator('.language-switch button[lang="en"]').click();
  await page.waitForTimeout(500);
  await expect(page.locator('html')).toHaveAttribute('lang', 'id');
  await expect(page.locator('main h1')).toHaveText('Sampaikan laporan Anda');
  // Once this version's texts can be fetched, the choice works.
  await page.unroute('**/texts-en.json*');
  await chooseLanguage(page, 'en');
  await expect(page.locator('main h1')).toHaveText('Send us your report');
});

test('a mistyped tracking number is caught before the server is asked', async ({ page, request }) => {
  const report = await createReport(request);
  const typo = report.tracking_id.slice(0, -1) + (report.tracking_id.endsWith('0') ? '1' : '0');
  await page.goto('/lacak');
  await waitForApp(page);
  let asked = false;
  page.on('request', (r) => {
    if (r.url().includes('/api/v1/reports/')) asked = true;
  });
  await page.getByLabel('Nomor pelacakan').fill(typo.toLowerCase());
  await page.getByRole('button', { name: 'Lacak', exact: true }).click();
  await expect(page.locator('.field-error')).toContainText('karakter terakhir');
  expect(asked).toBe(false);
  // The same number typed messily but correctly opens the report.
  await page.getByLabel('Nomor pelacakan').fill(` ${report.tracking_id.replace(/-/g, ' ').toLowerCase()} `);
  await page.getByRole('button', { name: 'Lacak', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/lacak/${report.tracking_id}$`));
  await expect(page.locator('.badge')).toHaveText('Diterima');
});
