import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { adminEvent, createReport, expectNoAxeViolations, fillReport, openForm, waitForApp, setOffline } from './helpers';

// The public reports list (`/laporan`), similar reports on the form, and support ("dukung").

/** A word no other test writes, so a search finds this test's reports only. */
const uniqueWord = () => `uji${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

type Summary = { tracking_id: string; title: string; status: string; supporters: number };

/** The public list through the API, as any client sees it. */
async function listed(request: APIRequestContext, query: string, base = ''): Promise<Summary[]> {
  const response = await request.get(`${base}/api/v1/reports?${query}`);
  expect(response.status()).toBe(200);
  return (await response.json()).items;
}

const card = (page: Page, tracking: string) => page.locator(`.report-card[data-tracking="${tracking}"]`);

test('public reports appear with their badge; filters live in the URL, which restores the view', async ({ page, request, context }) => {
  const word = uniqueWord();
  const light = await createReport(request, {
    title: `Lampu jalan mati di Wêleri ${word}`,
    category_id: 'infrastruktur',
  });
  const rubbish = await createReport(request, {
    classification: 'aspiration',
    title: `Sampah menumpuk di pasar ${word}`,
    incident_date: undefined,
    category_id: 'lingkungan',
  });
  await adminEvent(request, rubbish.tracking_id, { status: 'verified' });
  const secret = await createReport(request, { title: `Pungutan liar rahasia ${word}`, confidential: true });
  const anonymous = await createReport(request, {
    title: `Saluran air tersumbat ${word}`,
    anonymous: true,
    reporter: { name: 'Siti Rahmawati' },
  });

  await page.goto(`/laporan?q=${word}`);
  await waitForApp(page);
  await expect(page.locator('main h1')).toHaveText('Laporan warga');
  await expect(page).toHaveTitle(/^Laporan warga · /);
  await expect(page.locator('.report-card')).toHaveCount(3);
  await expect(card(page, light.tracking_id).locator('.badge')).toHaveText('Diterima');
  await expect(card(page, rubbish.tracking_id).locator('.badge')).toHaveText('Terverifikasi');
  await expect(card(page, light.tracking_id)).toContainText('hari kerja lagi');
  // A complaint shows where it happened; an aspiration's place is where its reporter lives.
  await expect(card(page, light.tracking_id)).toContainText('Kendal, Kab. Kendal');
  await expect(card(page, rubbish.tracking_id)).not.toContainText('Kab. Kendal');
  // A confidential report is in no list; an anonymous one shows no name.
  await expect(card(page, secret.tracking_id)).toHaveCount(0);
  await expect(card(page, anonymous.tracking_id)).toBeVisible();
  await expect(page.locator('main')).not.toContainText('Siti Rahmawati');
  expect((await listed(request, `q=${word}`)).map((r) => r.tracking_id)).not.toContain(secret.tracking_id);
  await expectNoAxeViolations(page);

  // Filters applied together land in the URL.
  await page.getByLabel('Status').selectOption('verified');
  await page.getByLabel('Jenis laporan').selectOption('aspiration');
  await page.getByRole('button', { name: 'Terapkan' }).click();
  await expect(page).toHaveURL(/status=verified/);
  await expect(page).toHaveURL(/classification=aspiration/);
  await expect(page.locator('.report-card')).toHaveCount(1);
  await expect(card(page, rubbish.tracking_id)).toBeVisible();

  // The URL restores the view: after a reload and in another page.
  const shared = page.url();
  await page.reload();
  await waitForApp(page);
  await expect(page.locator('.report-card')).toHaveCount(1);
  await expect(page.getByLabel('Status')).toHaveValue('verified');
  await expect(page.getByLabel('Cari', { exact: true })).toHaveValue(word);
  const other = await context.newPage();
  await other.goto(shared);
  await waitForApp(other);
  await expect(other.locator('.report-card')).toHaveCount(1);
  await expect(card(other, rubbish.tracking_id)).toBeVisible();
  await other.close();

  // Accent-tolerant search: "weleri" finds "Wêleri".
  await page.goto(`/laporan?q=weleri+${word}`);
  await waitForApp(page);
  await expect(page.locator('.report-card')).toHaveCount(1);
  await expect(card(page, light.tracking_id)).toBeVisible();

  // A shared URL names its region and agency by code; the filters show their names.
  await page.goto(`/laporan?q=${word}&region=33.24&agency=kendal-dinkes`);
  await waitForApp(page);
  await expect(page.locator('#reports-region-chosen')).toContainText('Kabupaten Kendal');
  await expect(page.locator('#reports-agency-chosen')).toContainText('Dinas Kesehatan');
  await page.goto(`/laporan?q=${word}`);
  await waitForApp(page);

  // An item opens the report's tracking page.
  await card(page, light.tracking_id).getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/lacak/${light.tracking_id}$`));
  await expect(page.getByRole('button', { name: 'Dukung laporan ini' })).toBeVisible();

  // Nothing found says so and offers to report it.
  await page.goto(`/laporan?q=${word}tidakada`);
  await waitForApp(page);
  await expect(page.getByText('Tidak ada laporan yang cocok')).toBeVisible();
  await expect(page.locator('.reports__empty').getByRole('link', { name: 'Buat laporan' })).toBeVisible();
  await expectNoAxeViolations(page);

  // A confidential report's own page offers no support.
  await page.goto(`/lacak/${secret.tracking_id}`);
  await waitForApp(page);
  await expect(page.locator('.tracking-number').first()).toHaveText(secret.tracking_id);
  await expect(page.getByRole('button', { name: 'Dukung laporan ini' })).toHaveCount(0);
});

test('the list is reached from the header and the home page, and fits 320 px', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto('/');
  await waitForApp(page);
  await page.locator('main').getByRole('link', { name: 'Laporan warga' }).click();
  await expect(page.locator('main h1')).toHaveText('Laporan warga');
  await expect(page.locator('main h1')).toBeFocused();
  await page.getByRole('navigation', { name: 'Menu utama' }).getByRole('link', { name: 'Lacak laporan' }).click();
  await page.getByRole('navigation', { name: 'Menu utama' }).getByRole('link', { name: 'Laporan warga' }).click();
  await expect(page.locator('main h1')).toHaveText('Laporan warga');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectNoAxeViolations(page);
});

test('a near-duplicate on the form is shown; supporting it counts once; the draft stays intact', async ({ page, request }) => {
  const word = uniqueWord();
  const existing = await createReport(request, {
    title: `Lampu penerangan padam ${word}`,
    category_id: 'infrastruktur',
  });
  const secret = await createReport(request, {
    title: `Lampu penerangan padam rahasia ${word}`,
    category_id: 'infrastruktur',
    confidential: true,
  });
  // What the form asks the list: never the draft's words.
  const asked: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/v1/reports?')) asked.push(r.url());
  });

  await openForm(page);
  const title = `Lampu penerangan jalan padam lagi ${word}`;
  const body = 'Sudah tiga malam lampu di ujung gang padam dan jalan gelap sekali.';
  await fillReport(page, 'Pengaduan', title, body);
  await page.getByLabel('Kategori (opsional)').selectOption('infrastruktur');
  const similar = page.locator('.similar');
  await expect(similar.getByRole('heading', { name: 'Sudah ada yang melaporkan?' })).toBeVisible();
  await expect(card(page, existing.tracking_id)).toBeVisible();
  await expect(card(page, secret.tracking_id)).toHaveCount(0);
  expect(asked.length).toBeGreaterThan(0);
  for (const url of asked) {
    expect(url).not.toContain(word);
    expect(url).toContain('category=infrastruktur');
  }
  await expectNoAxeViolations(page);

  // A double tap supports once.
  await card(page, existing.tracking_id).getByRole('button', { name: 'Dukung laporan ini' }).dblclick();
  await expect(card(page, existing.tracking_id).locator('.support__count')).toHaveText('1 dukungan');
  await expect(card(page, existing.tracking_id).getByRole('button', { name: 'Batalkan dukungan' })).toBeVisible();
  await expect
    .poll(async () => (await listed(request, `q=${word}`)).find((r) => r.tracking_id === existing.tracking_id)?.supporters)
    .toBe(1);

  // After a reload the device still supports it, once; the draft came back with the page.
  await page.reload();
  await waitForApp(page);
  await expect(page.getByLabel('Judul laporan')).toHaveValue(title);
  await expect(card(page, existing.tracking_id).getByRole('button', { name: 'Batalkan dukungan' })).toBeVisible();
  await expect(card(page, existing.tracking_id).locator('.support__count')).toHaveText('1 dukungan');
  expect((await listed(request, `q=${word}`)).find((r) => r.tracking_id === existing.tracking_id)?.supporters).toBe(1);

  // "No, continue with my report": the suggestions go, the draft stays as it was.
  await page.getByRole('button', { name: 'Bukan, lanjutkan laporan saya' }).click();
  await expect(similar).toHaveCount(0);
  await expect(page.getByLabel('Judul laporan')).toHaveValue(title);
  await expect(page.getByLabel('Isi laporan')).toHaveValue(body);
  await expect(page.getByLabel('Kategori (opsional)')).toHaveValue('infrastruktur');
  // Saved on the device as it was, for the citizen to go on with.
  const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('lapor.draft') ?? '{}'));
  expect([saved.title, saved.body, saved.category_id]).toEqual([title, body, 'infrastruktur']);
});

test('support is undone, and sent when the connection comes back', async ({ page, request, context }) => {
  const word = uniqueWord();
  const report = await createReport(request, { title: `Trotoar rusak ${word}` });
  const count = async () => (await listed(request, `q=${word}`))[0]?.supporters;

  await page.goto(`/laporan?q=${word}`);
  await waitForApp(page);
  const item = card(page, report.tracking_id);
  await item.getByRole('button', { name: 'Dukung laporan ini' }).click();
  await expect(item.locator('.support__count')).toHaveText('1 dukungan');
  await expect(item).toContainText('Anda mendukung laporan ini.');
  // Taps closer together than half a second are one double tap: a deliberate undo comes later.
  await page.waitForTimeout(600);
  await item.getByRole('button', { name: 'Batalkan dukungan' }).click();
  await expect(item.locator('.support__count')).toHaveText('0 dukungan');
  await expect.poll(count).toBe(0);

  // Offline: the tap is kept and sent once the connection is back.
  await setOffline(context, true);
  await page.waitForTimeout(600);
  await item.getByRole('button', { name: 'Dukung laporan ini' }).click();
  await expect(item).toContainText('Dukungan Anda dikirim saat perangkat tersambung lagi.');
  await expect(item.locator('.support__count')).toHaveText('1 dukungan');
  expect(await count()).toBe(0);
  await setOffline(context, false);
  await expect.poll(count).toBe(1);
});

test('the Open311 dialect lists requests.json and hides what GeoReport cannot filter', async ({ page, request }) => {
  const base = process.env.OPEN311_URL!;
  test.skip(!base, 'needs the Open311 server of cargo xtask test (OPEN311_URL)');
  const word = uniqueWord();
  const report = await createReport(
    request,
    { title: `Jembatan retak ${word}`, body: `Jembatan di desa retak sejak banjir ${word}.`, category_id: 'infrastruktur' },
    base,
  );
  const asked: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/requests.json')) asked.push(r.url());
  });
  await page.goto(`${base}/laporan?status=open&category=infrastruktur`);
  await waitForApp(page);
  const item = card(page, report.tracking_id);
  await expect(item).toBeVisible();
  await expect(item.locator('.badge')).toHaveText('Diproses');
  await expect(item).toContainText(word);
  expect(asked.some((u) => u.includes('status=open') && u.includes('service_code=infrastruktur'))).toBe(true);
  // GeoReport filters by status and service only, and has no support.
  await expect(page.locator('#reports-q, #reports-region, #reports-agency, #reports-classification')).toHaveCount(0);
  await expect(page.getByLabel('Status')).toHaveValue('open');
  await expect(page.getByRole('button', { name: 'Dukung laporan ini' })).toHaveCount(0);
  await expectNoAxeViolations(page);
});

test('embed.js data-page="laporan" opens the list in the iframe with its filters', async ({ page, request, baseURL }) => {
  const word = uniqueWord();
  const open = await createReport(request, { title: `Pohon tumbang ${word}` });
  const done = await createReport(request, { title: `Pohon tumbang lain ${word}` });
  await adminEvent(request, done.tracking_id, { status: 'verified' });
  await adminEvent(request, done.tracking_id, { status: 'in_progress' });
  await adminEvent(request, done.tracking_id, { status: 'resolved', message: 'Sudah dibersihkan.' });
  // A host page with the one line a regional web team adds. It is served here on the portal's
  // own origin, which the portal's frame-ancestors always allow (other origins are the
  // deployer's list, which embed.spec.ts covers).
  const html = `<!DOCTYPE html><html lang="id"><head><title>Host</title></head><body><main>
    <script src="${baseURL}/embed.js" async data-page="laporan" data-status="closed" data-q="${word}"></script>
    </main></body></html>`;
  await page.route(`${baseURL}/host-page-for-embed-test.html`, (route) =>
    route.fulfill({ contentType: 'text/html', body: html }),
  );
  await page.goto(`${baseURL}/host-page-for-embed-test.html`);
  const frame = page.frameLocator('iframe');
  await expect(frame.locator('main h1')).toHaveText('Laporan warga');
  await expect(frame.locator('.site-header')).toHaveCount(0);
  await expect(frame.locator(`.report-card[data-tracking="${done.tracking_id}"]`)).toBeVisible();
  await expect(frame.locator(`.report-card[data-tracking="${open.tracking_id}"]`)).toHaveCount(0);
  await expect(frame.getByLabel('Status')).toHaveValue('closed');
});
