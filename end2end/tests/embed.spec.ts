import { test, expect, type Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createReport, expectNoAxeViolations, waitForApp } from './helpers';

const PORTAL = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
const HOST_PORT = Number(process.env.EMBED_HOST_PORT ?? 0);
const SUBPATH = process.env.SUBPATH_URL;

async function frameHeight(page: Page) {
  return page.locator('iframe').first().evaluate((f) => f.getBoundingClientRect().height);
}

/** Waits until the frame has stopped resizing (the portal finished loading its content). */
async function settledHeight(page: Page) {
  await expect
    .poll(async () => {
      const first = await frameHeight(page);
      await page.waitForTimeout(400);
      return first === (await frameHeight(page)) ? first : -1;
    })
    .toBeGreaterThan(0);
  return frameHeight(page);
}

test.describe('embedded on another origin', () => {
  test.skip(!HOST_PORT, 'needs EMBED_HOST_PORT from cargo xtask test');
  // One demo host server on the port the portal was configured to accept: one worker.
  test.describe.configure({ mode: 'serial' });

  /** Serves the demo host page on its own origin (another port). */
  let host: Server;
  let hostUrl = '';
  test.beforeAll(async () => {
    const page = readFileSync(join(__dirname, '../embed-host/index.html'), 'utf8').replace('{{PORTAL}}', PORTAL);
    host = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page));
    await new Promise<void>((resolve) => host.listen(HOST_PORT, '127.0.0.1', resolve));
    hostUrl = `http://127.0.0.1:${HOST_PORT}/`;
  });
  test.afterAll(async () => {
    await new Promise((resolve) => host.close(resolve));
  });

  test('the iframe follows its content, and the agency preset reaches the report', async ({ page, request }) => {
    await page.goto(hostUrl);
    const frame = page.frameLocator('iframe');
    await expect(frame.locator('main h1')).toHaveText('Buat laporan');
    await expect(frame.locator('.site-header')).toHaveCount(0); // no site chrome inside
    // The classification preset opens the form at what happened: the frame shows it.
    await expect(frame.getByLabel('Pengaduan', { exact: true })).toBeChecked();
    await expect(frame.getByLabel('Judul laporan')).toBeVisible();
    const first = await settledHeight(page);
    expect(Math.abs(first - (await frame.locator('body').evaluate((b) => b.scrollHeight)))).toBeLessThan(5);
    // The first touch brings the fields after it: the frame grows to show them all.
    await frame.getByLabel('Judul laporan').fill('Antrean puskesmas terlalu lama');
    await expect.poll(() => frameHeight(page)).toBeGreaterThan(1500);
    const tall = await settledHeight(page);
    expect(tall).toBeGreaterThan(first);
    const inner = await frame.locator('body').evaluate((b) => b.scrollHeight);
    expect(Math.abs(tall - inner)).toBeLessThan(5);
    await expect(frame.locator('#agency-hint')).toContainText('Dinas Kesehatan Kabupaten Kendal');
    await expect(frame.getByLabel('Judul laporan')).toHaveValue('Antrean puskesmas terlalu lama');

    await frame.getByLabel('Isi laporan').fill('Pasien menunggu lebih dari tiga jam tanpa kepastian di loket pendaftaran.');
    await frame.locator('#incident-date').fill(new Date(Date.now() - 86_400_000).toISOString().slice(0, 10));
    await frame.locator('#region').fill('Weleri');
    await frame.locator('#region-listbox [role=option]').first().click();
    await frame.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
    // The shorter review page: the frame shrinks.
    await expect.poll(() => frameHeight(page)).toBeLessThan(tall);
    await frame.getByRole('button', { name: 'Kirim laporan' }).click();
    const tracking = (await frame.locator('#tracking-number').innerText()).trim();
    const view = await (await request.get(`${PORTAL}/api/v1/reports/${tracking}`)).json();
    expect(view.agency).toBe('Dinas Kesehatan Kabupaten Kendal');
    expect(view.category).toBe('Kesehatan');
  });

  test('the accent colour attribute themes the portal', async ({ page }) => {
    await page.goto(hostUrl);
    const frame = page.frameLocator('iframe');
    // The static first paint has a heading too: wait for the app itself.
    await expect(frame.locator('#splash')).toHaveCount(0);
    await expect(frame.locator('main h1')).toBeVisible();
    // The embed's theme is applied by an effect after the first render: read it once it has run.
    const accent = () => frame.locator('html').evaluate((e) => getComputedStyle(e).getPropertyValue('--color-accent').trim());
    await expect.poll(accent).toBe('#7c2d12');
  });

  test('messages from a foreign origin are ignored by the host script', async ({ page }) => {
    await page.goto(hostUrl);
    await expect(page.frameLocator('iframe').locator('main h1')).toBeVisible();
    await expect.poll(() => frameHeight(page)).toBeGreaterThan(600);
    const before = await settledHeight(page);
    // The host page itself (not the portal's origin, not its iframe) claims a tiny height.
    await page.evaluate(() => window.postMessage({ type: 'lapor:height', height: 40 }, '*'));
    await page.waitForTimeout(500);
    expect(await frameHeight(page)).toBe(before);
  });

  test('the portal talks only to the parent it may serve', async ({ page }) => {
    await page.goto(hostUrl);
    // A frame that asks the portal to report to another origin than this page's.
    await page.evaluate((portal) => {
      const f = document.createElement('iframe');
      f.id = 'spoofed';
      f.src = `${portal}/lapor?embed=1&parent=${encodeURIComponent('https://evil.example')}`;
      (window as unknown as { got: unknown[] }).got = [];
      addEventListener('message', (e) => {
        if (e.source === f.contentWindow) (window as unknown as { got: unknown[] }).got.push(e.data);
      });
      document.body.append(f);
    }, PORTAL);
    await expect(page.frameLocator('#spoofed').locator('main h1')).toHaveText('Buat laporan');
    await page.waitForTimeout(700);
    expect(await page.evaluate(() => (window as unknown as { got: unknown[] }).got)).toEqual([]);
  });

  test('with no allowed parents the portal posts nothing to its parent', async ({ page }) => {
    // The same host page, but the deployer listed no parent: `allowed_parents` empty.
    await page.route('**/config.json', (route) => route.fulfill({ json: { api_base: 'api/v1', embed: { allowed_parents: [] } } }));
    await page.addInitScript(() => {
      if (window.top !== window) return;
      const got: unknown[] = [];
      (window as unknown as { got: unknown[] }).got = got;
      addEventListener('message', (e) => got.push(e.data));
    });
    await page.goto(hostUrl);
    await expect(page.frameLocator('iframe').locator('main h1')).toHaveText('Buat laporan');
    await page.waitForTimeout(700);
    expect(await page.evaluate(() => (window as unknown as { got: unknown[] }).got)).toEqual([]);
  });

  test('a page on an origin that is not allowed cannot frame the portal', async ({ page, request }) => {
    const csp = (await request.get(`${PORTAL}/lapor`)).headers()['content-security-policy'];
    expect(csp).toContain(`frame-ancestors 'self' http://127.0.0.1:${HOST_PORT}`);
  });
});

test('an embed asked for English starts in English, its texts fetched before the first render', async ({ page }) => {
  const heading: string[] = [];
  // Every heading the app's #main shows, from its first render on.
  await page.addInitScript(() => {
    new MutationObserver(() => {
      const h1 = document.querySelector('#main h1');
      if (h1?.textContent) (window as unknown as { seen: Set<string> }).seen.add(h1.textContent);
    }).observe(document, { subtree: true, childList: true, characterData: true });
    (window as unknown as { seen: Set<string> }).seen = new Set();
  });
  await page.goto('/lapor?embed=1&locale=en');
  await waitForApp(page);
  await expect(page.locator('main h1')).toHaveText('Make a report');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  heading.push(...(await page.evaluate(() => [...(window as unknown as { seen: Set<string> }).seen])));
  expect(heading).toEqual(['Make a report']);
});

test('a bad config.json shows a friendly page and says why in the console', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.route('**/config.json', (route) => route.fulfill({ json: { api_base: 'api/v1', colour: 'red' } }));
  await page.goto('/');
  await expect(page.locator('main h1')).toHaveText(/Portal belum siap|The portal is not ready/);
  expect(errors.join('\n')).toContain('colour');
  await expectNoAxeViolations(page);
});

test('unsafe or unreadable theme colours fall back to the defaults', async ({ page }) => {
  await page.route('**/config.json', (route) =>
    route.fulfill({
      json: { api_base: 'api/v1', theme: { primary: '#ffd700', accent: '#14532d', radius: '0', font_stack: 'x;}*{display:none' } },
    }),
  );
  await page.goto('/');
  await waitForApp(page);
  const vars = await page.locator('html').evaluate((e) => {
    const s = getComputedStyle(e);
    return ['--color-primary', '--color-accent', '--radius', '--font-stack'].map((v) => s.getPropertyValue(v).trim());
  });
  expect(vars[0]).toBe('#0b5394'); // gold on white fails AA: default kept
  expect(vars[1]).toBe('#14532d');
  expect(vars[2]).toBe('0');
  expect(vars[3]).not.toContain('display');
});

test('the portal runs under its Content-Security-Policy without violations', async ({ page, request }) => {
  const response = await request.get('/');
  const csp = response.headers()['content-security-policy'];
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval' 'sha256-");
  expect(csp).not.toContain('unsafe-inline');
  const violations: string[] = [];
  page.on('console', (m) => {
    if (m.text().includes('Content Security Policy')) violations.push(m.text());
  });
  await page.goto('/lapor');
  await waitForApp(page);
  await page.getByLabel('Pengaduan', { exact: true }).check();
  await page.goto('/faq');
  await waitForApp(page);
  expect(violations).toEqual([]);
});

test.describe('under a sub-path', () => {
  test.skip(!SUBPATH, 'needs SUBPATH_URL from cargo xtask test');

  test('the same build works at /lapor/, deep links included', async ({ page, request }) => {
    const report = await createReport(request, {}, SUBPATH);
    await page.goto(`${SUBPATH}/lacak/${report.tracking_id}`);
    await waitForApp(page);
    await expect(page.locator('.tracking-number')).toHaveText(report.tracking_id);
    await page.getByRole('link', { name: 'Tanya jawab' }).click();
    await expect(page).toHaveURL(`${SUBPATH}/faq`);
    await expect(page.locator('main h1')).toHaveText('Tanya jawab');
    await page.goto(`${SUBPATH}/`);
    await waitForApp(page);
    await expect(page.locator('main h1')).toHaveText('Sampaikan laporan Anda');
  });
});
