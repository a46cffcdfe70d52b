import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chooseLanguage, createReport, expectNoAxeViolations, waitForApp } from './helpers';

// Written by the app's host test `exports_the_catalogues_for_end_to_end_tests`.
type Catalogue = Record<string, string | string[]>;
const catalogues: { id: Catalogue; en: Catalogue } = JSON.parse(
  readFileSync(join(__dirname, '../../target/catalogues.json'), 'utf8'),
);

/** Strings of one language that must not show on a page in the other. */
function foreignStrings(lang: 'id' | 'en'): string[] {
  const other = lang === 'id' ? catalogues.en : catalogues.id;
  const own = lang === 'id' ? catalogues.id : catalogues.en;
  const out: string[] = [];
  for (const [key, value] of Object.entries(other)) {
    const values = Array.isArray(value) ? value : [value];
    const mine = Array.isArray(own[key]) ? (own[key] as string[]) : [own[key] as string];
    values.forEach((v, i) => {
      if (v === mine[i]) return;
      // Placeholders: check the fixed fragments that are long enough to be telling.
      for (const fragment of v.split(/\{[a-z]+\}/)) {
        if (fragment.trim().length >= 4 && !mine.some((m) => m.includes(fragment.trim()))) out.push(fragment.trim());
      }
    });
  }
  return out;
}

/** Text that is not the app's own words: the language switch (which names each language in
 * that language on purpose) and what citizens wrote, shown as written (a listed report's
 * title and excerpt). */
const NOT_THE_APPS_WORDS = ['.language-switch', '.report-card__link', '.report-card__excerpt'];

/** The page's visible text and title, without what is not the app's own words. */
async function visibleText(page: Page) {
  return page.evaluate((selectors) => {
    const hidden = [...document.querySelectorAll<HTMLElement>(selectors.join(','))];
    for (const element of hidden) element.style.visibility = 'hidden';
    const text = document.body.innerText + ' ' + document.title;
    for (const element of hidden) element.style.visibility = '';
    return text;
  }, NOT_THE_APPS_WORDS);
}

test('switching language changes every visible string on every route', async ({ page, request }) => {
  // What citizens write is shown as written, in whatever words they chose: on the public list
  // a report of another test or citizen (here one saying "lebih dari tiga jam") is not a
  // string the app failed to translate.
  await createReport(request, {
    title: 'Antrean puskesmas lebih dari tiga jam',
    body: 'Pasien menunggu lebih dari tiga jam tanpa kepastian di loket pendaftaran.',
  });
  const report = await createReport(request);
  const routes = ['/', '/lapor', '/lacak', `/lacak/${report.tracking_id}`, '/laporan', '/faq', '/laporan-saya', '/tidak-ada'];
  for (const lang of ['en', 'id'] as const) {
    const foreign = foreignStrings(lang);
    expect(foreign.length).toBeGreaterThan(100);
    for (const route of routes) {
      await page.goto(route);
      await waitForApp(page);
      await chooseLanguage(page, lang);
      if (route === '/lapor') await page.getByRole('radio').first().check(); // reveal the whole form
      const text = await visibleText(page);
      const left = foreign.filter((s) => text.includes(s));
      expect(left, `${route} in ${lang}`).toEqual([]);
      const description = await page.locator('meta[name=description]').getAttribute('content');
      expect(foreign.filter((s) => description!.includes(s)), `description of ${route}`).toEqual([]);
    }
  }
});

test('every route fits a 320 px screen without horizontal scrolling', async ({ page, request }) => {
  const report = await createReport(request);
  await page.setViewportSize({ width: 320, height: 640 });
  for (const route of ['/', '/lapor', '/lacak', `/lacak/${report.tracking_id}`, '/laporan', '/faq', '/laporan-saya']) {
    await page.goto(route);
    await waitForApp(page);
    if (route === '/lapor') await page.getByRole('radio').first().check();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, route).toBeLessThanOrEqual(320);
  }
});

test('the home page shows the service levels and channels from the instance', async ({ page }) => {
  await page.goto('/');
  await waitForApp(page);
  await chooseLanguage(page, 'id');
  await expect(page.locator('.sla')).toContainText('Diverifikasi dan diteruskan dalam 3 hari kerja.');
  await expect(page.locator('.sla')).toContainText('pengaduan 14 hari kerja (60 bila perlu pemeriksaan lapangan)');
  await expect(page.getByRole('link', { name: 'SMS: 1708' })).toHaveAttribute('href', 'sms:1708');
  // The tracking box is right there.
  await expect(page.getByLabel('Nomor pelacakan')).toBeVisible();
});

test('FAQ search forgives missing accents and case', async ({ page }) => {
  // Another backend's FAQ, with accented text.
  await page.route('**/api/v1/faq?*', (route) =>
    route.fulfill({
      json: [
        { id: 'kafe', category: 'Perizinan', question: 'Bagaimana izin usaha kafé di pasar?', answer: 'Ajukan lewat OSS.' },
        { id: 'sampah', category: 'Lingkungan', question: 'Kapan sampah diangkut?', answer: 'Setiap Senin.' },
      ],
    }),
  );
  await page.goto('/faq');
  await waitForApp(page);
  await chooseLanguage(page, 'id');
  await expect(page.locator('.faq-list h2')).toHaveText(['Perizinan', 'Lingkungan']);
  await page.getByLabel('Cari pertanyaan').fill('IZIN KAFE');
  await expect(page.locator('.faq-item summary')).toHaveText(['Bagaimana izin usaha kafé di pasar?']);
  await page.getByLabel('Cari pertanyaan').fill('tidak ada yang cocok');
  await expect(page.getByRole('status')).toContainText('Tidak ada jawaban yang cocok');
  await expect(page.getByRole('link', { name: 'Buat laporan' }).last()).toBeVisible();
  await expectNoAxeViolations(page);
});

test('a backend without a FAQ gets the bundled one, and deep links open the right answer', async ({ page }) => {
  await page.route('**/api/v1/faq?*', (route) => route.fulfill({ json: [] }));
  await page.goto('/faq#anonim-atau-rahasia');
  await waitForApp(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'id');
  const item = page.locator('details#anonim-atau-rahasia');
  await expect(item).toHaveAttribute('open', '');
  await expect(item).toContainText('identitas Anda tidak pernah ditampilkan');
  await expect(page.locator('#q-anonim-atau-rahasia')).toBeFocused();
  await expect(page.locator('details[open]')).toHaveCount(1);
  // Opening another question names it in the address.
  await page.locator('#q-berapa-lama').click();
  await expect(page).toHaveURL(/\/faq#berapa-lama$/);
});
