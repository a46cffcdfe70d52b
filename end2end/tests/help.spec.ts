import { test, expect, type Page } from '@playwright/test';
import { chooseLanguage, expectNoAxeViolations, fillReport, openForm, waitForApp } from './helpers';

// A route handler still fetching when a test ends (the app refreshes in the background) is
// no failure of the test, nor of the next one.
test.afterEach(async ({ page }) => page.unrouteAll({ behavior: 'ignoreErrors' }));

// Where a citizen turns for help: the other channels, a word on the service, and the
// accessibility statement — each in both languages.

async function withConfig(page: Page, extra: Record<string, unknown>) {
  await page.route('**/config.json', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, json: { ...(await response.json()), ...extra } });
  });
}

async function sendAspiration(page: Page) {
  await openForm(page);
  await fillReport(
    page,
    'Aspirasi',
    'Tambah lampu penerangan di alun-alun',
    'Alun-alun gelap setelah magrib; mohon lampu penerangan ditambah agar aman bagi warga.',
  );
  await page.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
  await expect(page.locator('main h1')).toHaveText('Periksa laporan Anda');
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await expect(page.locator('main h1')).toHaveText('Laporan terkirim');
}

test('WhatsApp and Telegram channels open their apps, with the number shown', async ({ page }) => {
  await page.route('**/api/v1/instance', async (route) => {
    const response = await route.fetch();
    const instance = await response.json();
    instance.channels = [
      ...instance.channels,
      { kind: 'whatsapp', label: 'WhatsApp', value: '0812-2500-1708' },
      { kind: 'telegram', label: 'Telegram', value: '@lapor1708' },
    ];
    await route.fulfill({ response, json: instance });
  });
  await page.goto('/');
  await waitForApp(page);
  for (const tag of ['id', 'en'] as const) {
    await chooseLanguage(page, tag);
    const channels = page.locator('#channels');
    await expect(channels.getByRole('link', { name: 'WhatsApp: 0812-2500-1708' })).toHaveAttribute(
      'href',
      'https://wa.me/6281225001708',
    );
    await expect(channels.getByRole('link', { name: 'Telegram: @lapor1708' })).toHaveAttribute(
      'href',
      'https://t.me/lapor1708',
    );
    await expectNoAxeViolations(page);
  }
});

test('the confirmation page links to the configured feedback survey in either language', async ({ page }) => {
  await withConfig(page, { feedback_url: 'https://survei.kendalkab.go.id/lapor' });
  await sendAspiration(page);
  const feedback = page.locator('#feedback a');
  await expect(feedback).toHaveText('Bagaimana layanan ini? Beri masukan singkat');
  await expect(feedback).toHaveAttribute('href', 'https://survei.kendalkab.go.id/lapor');
  await expectNoAxeViolations(page);
  await chooseLanguage(page, 'en');
  await expect(feedback).toHaveText('How was this service? Give quick feedback');
});

test('without a feedback survey configured there is no feedback link', async ({ page }) => {
  await sendAspiration(page);
  await expect(page.locator('#access-code')).toBeVisible();
  await expect(page.locator('#feedback')).toHaveCount(0);
});

test('the footer links the accessibility statement: bundled text, or the deployer’s, at 320 px', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto('/');
  await waitForApp(page);
  await page.locator('footer').getByRole('link', { name: 'Pernyataan aksesibilitas' }).click();
  await expect(page).toHaveURL(/\/aksesibilitas$/);
  await expect(page.locator('main h1')).toHaveText('Pernyataan aksesibilitas');
  await expect(page.locator('main h2')).toHaveText([
    'Apa yang sudah diuji',
    'Keterbatasan yang diketahui',
    'Bantuan dengan cara lain',
  ]);
  await expect(page.locator('main')).toContainText('WCAG 2.1');
  await expect(page.locator('main')).toContainText('SMS ke 1708');
  // Nothing wider than the screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await expectNoAxeViolations(page);
  await chooseLanguage(page, 'en');
  await expect(page.locator('main h1')).toHaveText('Accessibility statement');
  await expect(page.locator('main h2')).toHaveText(['What was tested', 'Known limits', 'Getting help another way']);
  await expect(page.locator('footer').getByRole('link', { name: 'Accessibility statement' })).toBeVisible();
  await expectNoAxeViolations(page);
});

test('the accessibility statement shows the deployer’s texts from config.json in each language', async ({ page }) => {
  await withConfig(page, {
    accessibility: {
      help: { id: 'Telepon (0294) 381-234 pada jam kerja.', en: 'Call (0294) 381-234 in office hours.' },
    },
  });
  await page.goto('/aksesibilitas');
  await waitForApp(page);
  const help = page.locator('main section').nth(2);
  await expect(help).toContainText('Telepon (0294) 381-234 pada jam kerja.');
  // The parts not configured keep the bundled text.
  await expect(page.locator('main section').first()).toContainText('WCAG 2.1');
  await chooseLanguage(page, 'en');
  await expect(help).toContainText('Call (0294) 381-234 in office hours.');
});
